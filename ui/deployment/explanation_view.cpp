// SPDX-License-Identifier: GPL-3.0-or-later
#include "deployment/explanation_view.h"

#include "qt_config.h"

#include <QLabel>
#include <QLocale>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace fika::ui {
namespace {

// Orange (for the class) and blue (against it), the Okabe–Ito pair, blended into white by strength;
// at most 70 % of the way, so that black text stays readable on the strongest words.
QString shade(double strength)
{
    const double s = 0.7 * std::clamp(std::abs(strength), 0.0, 1.0);
    const int rgb[2][3] = {{0, 114, 178}, {230, 159, 0}};
    const int* target = strength >= 0 ? rgb[1] : rgb[0];
    auto mix = [s](int to) { return static_cast<int>(std::lround(255 + (to - 255) * s)); };
    return QStringLiteral("#%1%2%3")
        .arg(mix(target[0]), 2, 16, QLatin1Char('0'))
        .arg(mix(target[1]), 2, 16, QLatin1Char('0'))
        .arg(mix(target[2]), 2, 16, QLatin1Char('0'));
}

QString codePoints(const QList<uint>& text, qsizetype from, qsizetype to)
{
    from = std::clamp<qsizetype>(from, 0, text.size());
    to = std::clamp<qsizetype>(to, from, text.size());
    const QList<uint> part = text.mid(from, to - from);
    return QString::fromUcs4(reinterpret_cast<const char32_t*>(part.constData()), part.size()).toHtmlEscaped();
}

} // namespace

QString explanationHtml(const QString& text, const core::Explanation& explanation)
{
    const QList<uint> points = text.toUcs4();
    float largest = 0;
    for (const auto& word : explanation.words)
        largest = std::max(largest, std::abs(word.attribution));
    QString html;
    qsizetype at = 0;
    for (const auto& word : explanation.words) {
        html += codePoints(points, at, word.start);
        const double strength = largest > 0 ? word.attribution / largest : 0.0;
        html += QStringLiteral("<span style=\"background-color:%1\">%2</span>")
                    .arg(shade(strength), codePoints(points, word.start, word.end));
        at = std::max<qsizetype>(at, word.end);
    }
    if (explanation.truncated && at < points.size())
        html += QStringLiteral("<span style=\"color:#888888\" title=\"%1\">%2</span>")
                    .arg(ExplanationView::tr("not seen by the model"), codePoints(points, at, points.size()));
    else
        html += codePoints(points, at, points.size());
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
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
    layout->addWidget(m_summary);
    clear();
}

void ExplanationView::clear()
{
    m_text->clear();
    m_summary->clear();
    setVisible(false);
}

void ExplanationView::showExplanation(const QString& text, const core::Explanation& explanation, double milliseconds)
{
    m_text->setHtml(explanationHtml(text, explanation));
    std::vector<core::WordAttribution> words = explanation.words;
    std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) { return a.attribution > b.attribution; });
    const QLocale locale;
    auto list = [&](auto first, auto last, bool positive) {
        QStringList items;
        for (auto it = first; it != last && items.size() < 5; ++it)
            if (positive ? it->attribution > 0 : it->attribution < 0)
                items << QStringLiteral("%1 (%2)").arg(toQString(it->word).toHtmlEscaped(),
                                                       locale.toString(it->attribution, 'g', 3));
        return items.isEmpty() ? tr("none") : items.join(QStringLiteral(", "));
    };
    const QString label = toQString(explanation.label).toHtmlEscaped();
    m_summary->setText(
        tr("<span style=\"background-color:%1\">&nbsp;for %2&nbsp;</span> <span style=\"background-color:%3\">&nbsp;against&nbsp;</span> "
           "Integrated Gradients from an all-[PAD] text, %4 steps, %5 ms.<br>For: %6<br>Against: %7")
            .arg(shade(1.0), label, shade(-1.0))
            .arg(explanation.steps)
            .arg(locale.toString(milliseconds, 'f', 0), list(words.begin(), words.end(), true),
                 list(words.rbegin(), words.rend(), false)));
    const double difference = explanation.logit - explanation.baselineLogit;
    if (std::abs(difference) > 0 && std::abs(explanation.completenessGap()) > 0.01 * std::abs(difference))
        m_summary->setText(m_summary->text() + QStringLiteral("<br>") +
                           tr("The attributions miss %1 % of the logit's change: more steps would be more exact.")
                               .arg(locale.toString(100 * std::abs(explanation.completenessGap() / difference), 'f', 1)));
    setVisible(true);
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
