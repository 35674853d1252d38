// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "train/run_history.h"

#include <QList>
#include <QString>
#include <QWidget>

class QCustomPlot;

namespace fika::ui {

// One experiment's curves.
struct RunSeries {
    QString name;
    core::RunHistory history;
};

// Three QCustomPlot charts side by side for any number of experiments: training loss per step
// (raw, and smoothed with an exponential moving average), training and validation loss per
// epoch, validation accuracy per epoch.
class TrainingCharts : public QWidget {
    Q_OBJECT
public:
    explicit TrainingCharts(QWidget* parent = nullptr);

    void setRuns(const QList<RunSeries>& runs);
    QList<QCustomPlot*> plots() const { return {m_stepLoss, m_epochLoss, m_accuracy}; }
    int graphPoints(int plot, int graph) const; // for tests
    // PNG, SVG or PDF by the file's suffix; false when it cannot be written.
    static bool savePlot(QCustomPlot* plot, const QString& file);

private:
    QCustomPlot* m_stepLoss = nullptr;
    QCustomPlot* m_epochLoss = nullptr;
    QCustomPlot* m_accuracy = nullptr;
};

} // namespace fika::ui
