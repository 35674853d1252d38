// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "text/length_stats.h"

#include <QWidget>

class QCustomPlot;
class QCPBars;
class QCPItemStraightLine;
class QLabel;

namespace fika::ui {

// Token lengths as a histogram with a line at the chosen sequence length and the share it cuts
// ("512 cuts 14.8 % of the reviews").
class LengthHistogram : public QWidget {
    Q_OBJECT
public:
    explicit LengthHistogram(QWidget* parent = nullptr);

    void setStats(core::LengthStats stats);
    void setSequenceLength(int length);
    QString summaryText() const;
    QCustomPlot* plot() const { return m_plot; }

private:
    void updateSummary();

    core::LengthStats m_stats;
    int m_sequenceLength = 512;
    QCustomPlot* m_plot = nullptr;
    QCPBars* m_bars = nullptr;
    QCPItemStraightLine* m_line = nullptr;
    QLabel* m_summary = nullptr;
};

} // namespace fika::ui
