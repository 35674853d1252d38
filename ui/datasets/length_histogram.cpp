// SPDX-License-Identifier: GPL-3.0-or-later
#include "datasets/length_histogram.h"

#include "qcustomplot_wrapper.h"

#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace fika::ui {
namespace {
constexpr int kBinTokens = 16;
constexpr int kShownTokens = 1024; // longer texts share the last bar
} // namespace

LengthHistogram::LengthHistogram(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumSize(240, 150);
    // The note in brackets on a line of its own: in one line the label was cut at 1024 px wide.
    const QString label = tr("tokens per text ([CLS] and [SEP] included)");
    m_plot->xAxis->setLabel(QString(label).replace(QStringLiteral(" ("), QStringLiteral("\n(")));
    m_plot->yAxis->setLabel(tr("texts"));
    m_bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_bars->setWidth(kBinTokens * 0.9);
    m_bars->setPen(Qt::NoPen);
    m_bars->setBrush(QColor(70, 130, 180));
    m_line = new QCPItemStraightLine(m_plot);
    m_line->setPen(QPen(QColor(200, 40, 40), 2));
    m_line->setVisible(false); // until there are lengths: alone on empty axes it drew a stray diagonal
    m_plot->xAxis->setRange(0, kShownTokens + kBinTokens);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true); // a long caption wraps instead of widening the window
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_summary);
}

void LengthHistogram::setStats(core::LengthStats stats)
{
    m_stats = std::move(stats);
    const auto counts = m_stats.histogram(kBinTokens, kShownTokens);
    QVector<double> keys, values;
    double highest = 0;
    for (size_t bin = 0; bin < counts.size(); ++bin) {
        keys << static_cast<double>(bin) * kBinTokens + kBinTokens / 2.0;
        values << static_cast<double>(counts[bin]);
        highest = std::max(highest, static_cast<double>(counts[bin]));
    }
    m_bars->setData(keys, values);
    m_plot->xAxis->setRange(0, kShownTokens + kBinTokens);
    m_plot->yAxis->setRange(0, std::max(1.0, highest * 1.1));
    updateSummary();
}

void LengthHistogram::setSequenceLength(int length)
{
    m_sequenceLength = length;
    updateSummary();
}

QString LengthHistogram::summaryText() const
{
    return m_summary->text();
}

void LengthHistogram::updateSummary()
{
    m_line->point1->setCoords(m_sequenceLength, 0);
    m_line->point2->setCoords(m_sequenceLength, 1);
    m_line->setVisible(m_stats.count != 0);
    if (m_stats.count == 0) {
        m_summary->setText(tr("Import a dataset to see its token lengths."));
    } else {
        const QLocale locale; // "14,8 %" in Swedish
        m_summary->setText(tr("%1 cuts %2 % of the texts (mean %3, median %4, 90th percentile %5, longest %6 tokens)")
                               .arg(m_sequenceLength)
                               .arg(locale.toString(100.0 * m_stats.truncatedShare(m_sequenceLength), 'f', 1),
                                    locale.toString(m_stats.mean, 'f', 0), locale.toString(m_stats.median, 'f', 0),
                                    locale.toString(m_stats.p90, 'f', 0), locale.toString(m_stats.max)));
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace fika::ui
