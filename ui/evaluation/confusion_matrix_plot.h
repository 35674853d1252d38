// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "train/metrics.h"

#include <QStringList>
#include <QWidget>

class QCustomPlot;
class QCPAxisRect;
class QCPBars;
class QCPColorMap;
class QMouseEvent;

namespace fika::ui {

// The confusion matrix as a QCustomPlot heat map: rows are true labels, columns predictions; each
// cell shows its count and its share of the row (the diagonal is the class's recall). Precision
// bars run along the top, recall bars along the right side; hovering explains a cell, clicking it
// asks for the examples behind it.
class ConfusionMatrixPlot : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionMatrixPlot(QWidget* parent = nullptr);

    void setMatrix(const core::ConfusionMatrix& matrix, const QStringList& labels);
    void clear();
    QCustomPlot* plot() const { return m_plot; }
    QString cellText(int truth, int predicted) const; // the tooltip of a cell
    QPoint cellCenter(int truth, int predicted) const; // in widget coordinates, for tests
    bool cellAt(const QPoint& position, int* truth, int* predicted) const;

Q_SIGNALS:
    void cellClicked(int truth, int predicted);

private:
    void onMouseMove(QMouseEvent* event);
    void onMousePress(QMouseEvent* event);

    QCustomPlot* m_plot = nullptr;
    QCPAxisRect* m_matrixRect = nullptr;
    QCPAxisRect* m_precisionRect = nullptr;
    QCPAxisRect* m_recallRect = nullptr;
    QCPColorMap* m_map = nullptr;
    QCPBars* m_precision = nullptr;
    QCPBars* m_recall = nullptr;
    core::ConfusionMatrix m_matrix;
    QStringList m_labels;
};

} // namespace fika::ui
