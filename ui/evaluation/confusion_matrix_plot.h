// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "train/metrics.h"

#include <QStringList>
#include <QWidget>

class QCustomPlot;
class QCPAxisRect;
class QCPBars;
class QCPColorMap;
class QCPItemRect;
class QKeyEvent;
class QMouseEvent;

namespace fika::ui {

// The confusion matrix as a QCustomPlot heat map: rows are true labels, columns predictions; each
// cell shows its count and its share of the row (the diagonal is the class's recall). Precision
// bars run along the top, recall bars along the right side, each with its value; hovering explains
// a cell or a bar, clicking a cell asks for the examples behind it and outlines it. By keyboard it is
// a stop on Tab whose arrow keys move the outlined cell.
class ConfusionMatrixPlot : public QWidget {
    Q_OBJECT
public:
    enum class Bars { None, Precision, Recall };

    explicit ConfusionMatrixPlot(QWidget* parent = nullptr);

    void setMatrix(const core::ConfusionMatrix& matrix, const QStringList& labels);
    void clear();
    QCustomPlot* plot() const { return m_plot; }
    QStringList labels() const { return m_labels; }
    QString cellText(int truth, int predicted) const; // the tooltip of a cell
    QString barText(Bars bars, int label) const;      // the tooltip of a precision or recall bar
    QString toolTipAt(const QPoint& position) const;  // a cell's or a bar's, in plot coordinates
    QPoint cellCenter(int truth, int predicted) const; // in widget coordinates, for tests
    QPoint barCenter(Bars bars, int label) const;      // in widget coordinates, for tests
    bool cellAt(const QPoint& position, int* truth, int* predicted) const;
    // The cell whose examples are listed, outlined; -1 for none. It stays through setMatrix.
    void setHighlightedCell(int truth, int predicted);

Q_SIGNALS:
    void cellClicked(int truth, int predicted);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void focusInEvent(QFocusEvent* event) override { QWidget::focusInEvent(event); update(); }
    void focusOutEvent(QFocusEvent* event) override { QWidget::focusOutEvent(event); update(); }

private:
    void onMouseMove(QMouseEvent* event);
    void onMousePress(QMouseEvent* event);
    void drawHighlight();
    bool barAt(const QPoint& position, Bars* bars, int* label) const;

    QCustomPlot* m_plot = nullptr;
    QCPAxisRect* m_matrixRect = nullptr;
    QCPAxisRect* m_precisionRect = nullptr;
    QCPAxisRect* m_recallRect = nullptr;
    QCPColorMap* m_map = nullptr;
    QCPBars* m_precision = nullptr;
    QCPBars* m_recall = nullptr;
    QCPItemRect* m_highlight = nullptr; // owned by m_plot; null while no cell is highlighted
    int m_highlightTruth = -1;
    int m_highlightPredicted = -1;
    core::ConfusionMatrix m_matrix;
    QStringList m_labels;
};

} // namespace fika::ui
