// SPDX-License-Identifier: GPL-3.0-or-later
#include "deployment/explanation_view.h"

#include "qcustomplot_wrapper.h"
#include "qt_config.h"

#include <QBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QLocale>
#include <QTextBrowser>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace fika::ui {
namespace {

// The Okabe–Ito pair: blue against the class, orange for it.
const QColor kAgainst(0, 114, 178);
const QColor kFor(230, 159, 0);
constexpr int kChartedEachWay = 5;
constexpr int kChartRowHeight = 18;

// Orange or blue blended into white by strength; at most 70 % of the way, so that black text stays
// readable on the strongest words.
QString shade(double strength)
{
    const double s = 0.7 * std::clamp(std::abs(strength), 0.0, 1.0);
    const QColor& target = strength >= 0 ? kFor : kAgainst;
    auto mix = [s](int to) { return static_cast<int>(std::lround(255 + (to - 255) * s)); };
    return QColor(mix(target.red()), mix(target.green()), mix(target.blue())).name();
}

QString codePoints(const QList<uint>& text, qsizetype from, qsizetype to)
{
    from = std::clamp<qsizetype>(from, 0, text.size());
    to = std::clamp<qsizetype>(to, from, text.size());
    const QList<uint> part = text.mid(from, to - from);
    return QString::fromUcs4(reinterpret_cast<const char32_t*>(part.constData()), part.size());
}

QString signedNumber(double value)
{
    const QString number = QLocale().toString(value, 'g', 3);
    return value > 0 ? QStringLiteral("+") + number : number;
}

} // namespace

QString wordToolTip(const core::WordAttribution& word, const core::Explanation& explanation)
{
    const double difference = explanation.logit - explanation.baselineLogit;
    const QString name = toQString(word.word);
    if (difference == 0)
        return ExplanationView::tr("“%1”: attribution %2").arg(name, signedNumber(word.attribution));
    return ExplanationView::tr("“%1”: attribution %2, %3 % of logit − baseline logit (%4)")
        .arg(name, signedNumber(word.attribution), QLocale().toString(100.0 * word.attribution / difference, 'f', 1),
             QLocale().toString(difference, 'g', 3));
}

QString explanationHtml(const QString& text, const core::Explanation& explanation)
{
    const QList<uint> points = text.toUcs4();
    float largest = 0;
    for (const auto& word : explanation.words)
        largest = std::max(largest, std::abs(word.attribution));
    QString html;
    qsizetype at = 0;
    for (const auto& word : explanation.words) {
        html += codePoints(points, at, word.start).toHtmlEscaped();
        const double strength = largest > 0 ? word.attribution / largest : 0.0;
        html += QStringLiteral("<span style=\"background-color:%1\" title=\"%2\">%3</span>")
                    .arg(shade(strength), wordToolTip(word, explanation).toHtmlEscaped(),
                         codePoints(points, word.start, word.end).toHtmlEscaped());
        at = std::max<qsizetype>(at, word.end);
    }
    if (explanation.truncated && at < points.size())
        html += QStringLiteral("<span style=\"color:#888888\" title=\"%1\">%2</span>")
                    .arg(ExplanationView::tr("not seen by the model"), codePoints(points, at, points.size()).toHtmlEscaped());
    else
        html += codePoints(points, at, points.size()).toHtmlEscaped();
    return html;
}

ExplanationView::ExplanationView(QWidget* parent) : QWidget(parent)
{
    m_text = new QTextBrowser(this);
    m_text->setObjectName(QStringLiteral("explanationText"));
    m_text->setMinimumHeight(60);
    m_text->setMaximumHeight(160);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("explanationSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_chart = new QCustomPlot(this);
    m_chart->setObjectName(QStringLiteral("explanationChart"));
    m_chart->setAccessibleName(tr("The words that pushed most for and against the class"));
    m_chart->yAxis->setRangeReversed(true); // the first row on top
    m_chart->yAxis->grid()->setVisible(false);
    m_chart->xAxis->setLabel(tr("attribution"));
    m_chart->xAxis->ticker()->setTickCount(3); // -largest, 0, +largest: more crowd each other in a narrow tester
    m_chart->axisRect()->setMargins(QMargins(0, 0, 0, 0));
    m_forBars = new QCPBars(m_chart->yAxis, m_chart->xAxis);
    m_againstBars = new QCPBars(m_chart->yAxis, m_chart->xAxis);
    for (auto [bars, colour] : {std::pair{m_forBars, kFor}, std::pair{m_againstBars, kAgainst}}) {
        bars->setBrush(colour);
        bars->setPen(Qt::NoPen);
        bars->setWidth(0.7);
    }
    m_chart->installEventFilter(this); // the bars' tooltips
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
    layout->addWidget(m_summary);
    layout->addWidget(m_chart);
    clear();
}

void ExplanationView::setChartBeside(bool beside)
{
    if (beside == m_besideChart)
        return;
    m_besideChart = beside;
    delete layout(); // its widgets stay, children of this view
    if (beside) { // text and summary on the left, the chart on the right, as tall as its rows
        auto* row = new QHBoxLayout(this);
        row->setContentsMargins(0, 0, 0, 0);
        auto* left = new QVBoxLayout;
        left->addWidget(m_text, 1);
        left->addWidget(m_summary);
        row->addLayout(left, 3);
        row->addWidget(m_chart, 2, Qt::AlignTop);
        m_text->setMinimumHeight(60);
        m_text->setMaximumHeight(QWIDGETSIZE_MAX);
    } else {
        auto* column = new QVBoxLayout(this);
        column->setContentsMargins(0, 0, 0, 0);
        column->addWidget(m_text);
        column->addWidget(m_summary);
        column->addWidget(m_chart);
        fitTextHeight();
    }
}

void ExplanationView::clear()
{
    m_text->clear();
    m_summary->clear();
    m_shownText.clear();
    m_explanation = {};
    m_charted.clear();
    drawChart();
    setVisible(false);
}

void ExplanationView::showExplanation(const QString& text, const core::Explanation& explanation, double milliseconds)
{
    m_shownText = text;
    m_explanation = explanation;
    m_text->setHtml(explanationHtml(text, explanation));
    fitTextHeight();
    // The strongest each way, each side in the order of its strength.
    std::vector<core::WordAttribution> sorted = explanation.words;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.attribution > b.attribution; });
    m_charted.clear();
    for (const auto& word : sorted)
        if (word.attribution > 0 && m_charted.size() < kChartedEachWay)
            m_charted.push_back(word);
    const size_t forCount = m_charted.size();
    for (auto it = sorted.rbegin(); it != sorted.rend() && it->attribution < 0 && m_charted.size() < forCount + kChartedEachWay; ++it)
        m_charted.insert(m_charted.begin() + static_cast<std::ptrdiff_t>(forCount), *it); // the most negative ends last
    drawChart();

    const QLocale locale;
    const QString label = toQString(explanation.label).toHtmlEscaped();
    QString summary =
        tr("<span style=\"background-color:%1\">&nbsp;for %2&nbsp;</span> <span style=\"background-color:%3\">&nbsp;against&nbsp;</span> "
           "Integrated Gradients from an all-[PAD] text, %4 steps, %5 ms.")
            .arg(shade(1.0), label, shade(-1.0))
            .arg(explanation.steps)
            .arg(locale.toString(milliseconds, 'f', 0));
    const double difference = explanation.logit - explanation.baselineLogit;
    if (std::abs(difference) > 0 && std::abs(explanation.completenessGap()) > 0.01 * std::abs(difference))
        summary += QStringLiteral("<br>") +
                   tr("The attributions miss %1 % of the logit's change: more steps would be more exact.")
                       .arg(locale.toString(100 * std::abs(explanation.completenessGap() / difference), 'f', 1));
    m_summary->setText(summary);
    setVisible(true);
}

void ExplanationView::drawChart()
{
    QVector<double> forKeys, forValues, againstKeys, againstValues;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double largest = 0;
    const QFontMetrics metrics(m_chart->yAxis->tickLabelFont());
    for (size_t row = 0; row < m_charted.size(); ++row) {
        const auto& word = m_charted[row];
        const double key = static_cast<double>(row);
        (word.attribution > 0 ? forKeys : againstKeys) << key;
        (word.attribution > 0 ? forValues : againstValues) << word.attribution;
        largest = std::max(largest, static_cast<double>(std::abs(word.attribution)));
        // A long word is elided: its tooltip has it whole.
        ticker->addTick(key, metrics.elidedText(toQString(word.word), Qt::ElideRight, 110));
    }
    m_forBars->setData(forKeys, forValues, true);
    m_againstBars->setData(againstKeys, againstValues, true);
    m_chart->yAxis->setTicker(ticker);
    m_chart->yAxis->setRange(-0.5, static_cast<double>(m_charted.size()) - 0.5);
    const double reach = largest > 0 ? 1.1 * largest : 1.0;
    m_chart->xAxis->setRange(-reach, reach); // zero in the middle: for to the right, against to the left
    m_chart->setVisible(!m_charted.empty());
    m_chart->setFixedHeight(kChartRowHeight * static_cast<int>(m_charted.size()) + 3 * metrics.height() + 10);
    m_chart->replot();
}

void ExplanationView::fitTextHeight()
{
    // As tall as the text (a short review takes one line, not the browser's usual 190 pixels), up to
    // 160 pixels, past which it scrolls.
    if (!m_besideChart) {
        m_text->document()->setTextWidth(m_text->viewport()->width());
        const int height = static_cast<int>(std::ceil(m_text->document()->size().height())) + 2 * m_text->frameWidth();
        m_text->setFixedHeight(std::clamp(height, 40, 160));
    }
}

void ExplanationView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (isVisible() && !m_shownText.isEmpty())
        fitTextHeight(); // the text wraps otherwise at another width
}

QString ExplanationView::barToolTip(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_charted.size()))
        return {};
    return wordToolTip(m_charted[static_cast<size_t>(row)], m_explanation);
}

QString ExplanationView::barToolTipAt(const QPoint& pos) const
{
    if (m_charted.empty() || !m_chart->axisRect()->rect().contains(pos))
        return {};
    const double key = m_chart->yAxis->pixelToCoord(pos.y());
    const long row = std::lround(key);
    if (std::abs(key - static_cast<double>(row)) > 0.5)
        return {};
    return barToolTip(static_cast<int>(row));
}

bool ExplanationView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_chart && event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString tip = barToolTipAt(help->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, m_chart);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

QString ExplanationView::html() const
{
    return m_text->toHtml();
}

QString ExplanationView::summary() const
{
    return m_summary->text();
}

} // namespace fika::ui
