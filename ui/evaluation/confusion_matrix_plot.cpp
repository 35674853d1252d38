// SPDX-License-Identifier: GPL-3.0-or-later
#include "evaluation/confusion_matrix_plot.h"

#include "qcustomplot_wrapper.h"
#include "ui_format.h"

#include <algorithm>

#include <QKeyEvent>
#include <QLocale>
#include <QStyleOptionFocusRect>
#include <QStylePainter>
#include <QToolTip>
#include <QVBoxLayout>

namespace fika::ui {
namespace {

QSharedPointer<QCPAxisTickerText> labelTicker(const QStringList& labels)
{
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < labels.size(); ++i)
        ticker->addTick(i, labels[i]);
    return ticker;
}

// A bar's value written on it: inside a long bar in white, past the end of a short one.
void addBarValue(QCustomPlot* plot, QCPAxisRect* rect, bool horizontal, int key, double value)
{
    auto* text = new QCPItemText(plot);
    text->setClipAxisRect(rect);
    QCPAxis* keyAxis = rect->axis(horizontal ? QCPAxis::atLeft : QCPAxis::atBottom);
    QCPAxis* valueAxis = rect->axis(horizontal ? QCPAxis::atBottom : QCPAxis::atLeft);
    text->position->setAxes(horizontal ? valueAxis : keyAxis, horizontal ? keyAxis : valueAxis);
    text->position->setCoords(horizontal ? value : key, horizontal ? key : value);
    const bool inside = value > 0.6;
    text->setPositionAlignment(horizontal ? (inside ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter
                                          : (inside ? Qt::AlignTop : Qt::AlignBottom) | Qt::AlignHCenter);
    text->setPadding(QMargins(3, 1, 3, 1));
    text->setColor(inside ? Qt::white : Qt::black);
    text->setText(formatPercent(value, 0));
    QFont font = text->font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    text->setFont(font);
}

} // namespace

ConfusionMatrixPlot::ConfusionMatrixPlot(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumSize(260, 230);
    m_plot->setMouseTracking(true);
    layout->addWidget(m_plot);
    // A stop on Tab whose arrow keys move the outlined cell: the examples behind the cells were for
    // the mouse alone. A margin shows the focus frame around the plot.
    layout->setContentsMargins(2, 2, 2, 2);
    setFocusPolicy(Qt::StrongFocus);
    m_plot->setFocusPolicy(Qt::ClickFocus);
    m_plot->setFocusProxy(this);
    setAccessibleName(tr("Confusion matrix"));
    setAccessibleDescription(tr("Arrow keys choose a cell and list its examples"));

    m_plot->plotLayout()->clear();
    m_precisionRect = new QCPAxisRect(m_plot);
    m_matrixRect = new QCPAxisRect(m_plot);
    m_recallRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, m_precisionRect);
    m_plot->plotLayout()->addElement(1, 0, m_matrixRect);
    m_plot->plotLayout()->addElement(1, 1, m_recallRect);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.25);
    m_plot->plotLayout()->setColumnStretchFactor(1, 0.25);
    auto* columns = new QCPMarginGroup(m_plot);
    m_precisionRect->setMarginGroup(QCP::msLeft | QCP::msRight, columns);
    m_matrixRect->setMarginGroup(QCP::msLeft | QCP::msRight, columns);
    auto* rows = new QCPMarginGroup(m_plot);
    m_matrixRect->setMarginGroup(QCP::msTop | QCP::msBottom, rows);
    m_recallRect->setMarginGroup(QCP::msTop | QCP::msBottom, rows);

    m_matrixRect->axis(QCPAxis::atBottom)->setLabel(tr("predicted"));
    m_matrixRect->axis(QCPAxis::atLeft)->setLabel(tr("true"));
    m_matrixRect->axis(QCPAxis::atLeft)->setRangeReversed(true);
    m_map = new QCPColorMap(m_matrixRect->axis(QCPAxis::atBottom), m_matrixRect->axis(QCPAxis::atLeft));
    QCPColorGradient gradient;
    gradient.setColorStopAt(0.0, QColor(247, 251, 255));
    gradient.setColorStopAt(1.0, QColor(8, 81, 156));
    m_map->setGradient(gradient);
    m_map->setDataRange(QCPRange(0, 1));
    m_map->setInterpolate(false);

    m_precisionRect->axis(QCPAxis::atLeft)->setLabel(tr("precision"));
    m_precisionRect->axis(QCPAxis::atLeft)->setRange(0, 1);
    m_precisionRect->axis(QCPAxis::atBottom)->setTickLabels(false);
    m_precision = new QCPBars(m_precisionRect->axis(QCPAxis::atBottom), m_precisionRect->axis(QCPAxis::atLeft));
    m_precision->setBrush(QColor(230, 126, 34));
    m_precision->setPen(Qt::NoPen);
    m_precision->setWidth(0.6);

    m_recallRect->axis(QCPAxis::atBottom)->setLabel(tr("recall"));
    m_recallRect->axis(QCPAxis::atBottom)->setRange(0, 1);
    auto halves = QSharedPointer<QCPAxisTickerFixed>::create();
    halves->setTickStep(0.5);
    m_recallRect->axis(QCPAxis::atBottom)->setTicker(halves);
    m_precisionRect->axis(QCPAxis::atLeft)->setTicker(halves);
    m_recallRect->axis(QCPAxis::atLeft)->setTickLabels(false);
    m_recallRect->axis(QCPAxis::atLeft)->setRangeReversed(true);
    m_recall = new QCPBars(m_recallRect->axis(QCPAxis::atLeft), m_recallRect->axis(QCPAxis::atBottom));
    m_recall->setBrush(QColor(39, 174, 96));
    m_recall->setPen(Qt::NoPen);
    m_recall->setWidth(0.6);

    connect(m_plot, &QCustomPlot::mouseMove, this, &ConfusionMatrixPlot::onMouseMove);
    connect(m_plot, &QCustomPlot::mousePress, this, &ConfusionMatrixPlot::onMousePress);
    clear();
}

void ConfusionMatrixPlot::clear()
{
    setMatrix(core::ConfusionMatrix(0), {});
}

void ConfusionMatrixPlot::setHighlightedCell(int truth, int predicted)
{
    m_highlightTruth = truth;
    m_highlightPredicted = predicted;
    drawHighlight();
    m_plot->replot();
}

void ConfusionMatrixPlot::drawHighlight()
{
    if (m_highlight) {
        m_plot->removeItem(m_highlight);
        m_highlight = nullptr;
    }
    const int n = static_cast<int>(m_matrix.classes());
    if (m_highlightTruth < 0 || m_highlightPredicted < 0 || m_highlightTruth >= n || m_highlightPredicted >= n)
        return;
    // An orange frame: it stands out from both ends of the blue scale.
    m_highlight = new QCPItemRect(m_plot);
    m_highlight->setClipToAxisRect(false);
    for (auto* corner : {m_highlight->topLeft, m_highlight->bottomRight})
        corner->setAxes(m_matrixRect->axis(QCPAxis::atBottom), m_matrixRect->axis(QCPAxis::atLeft));
    m_highlight->topLeft->setCoords(m_highlightPredicted - 0.5, m_highlightTruth - 0.5);
    m_highlight->bottomRight->setCoords(m_highlightPredicted + 0.5, m_highlightTruth + 0.5);
    m_highlight->setPen(QPen(QColor(230, 126, 34), 3));
    m_highlight->setBrush(Qt::NoBrush);
}

void ConfusionMatrixPlot::setMatrix(const core::ConfusionMatrix& matrix, const QStringList& labels)
{
    m_matrix = matrix;
    m_labels = labels;
    const int n = static_cast<int>(matrix.classes());
    m_plot->clearItems();
    m_highlight = nullptr; // went with the items
    m_map->data()->setSize(std::max(1, n), std::max(1, n));
    m_map->data()->setRange(QCPRange(0, std::max(0, n - 1)), QCPRange(0, std::max(0, n - 1)));
    m_map->data()->fill(0);
    QVector<double> keys, precision, recall;
    for (int t = 0; t < n; ++t) {
        keys << t;
        precision << matrix.precision(static_cast<size_t>(t));
        recall << matrix.recall(static_cast<size_t>(t));
        const double support = static_cast<double>(std::max<int64_t>(1, matrix.support(static_cast<size_t>(t))));
        for (int p = 0; p < n; ++p) {
            const double share = static_cast<double>(matrix.count(static_cast<size_t>(t), static_cast<size_t>(p))) / support;
            m_map->data()->setCell(p, t, share);
            auto* text = new QCPItemText(m_plot);
            text->setClipAxisRect(m_matrixRect);
            text->position->setAxes(m_matrixRect->axis(QCPAxis::atBottom), m_matrixRect->axis(QCPAxis::atLeft));
            text->position->setCoords(p, t);
            text->setText(QStringLiteral("%1\n%2").arg(matrix.count(static_cast<size_t>(t), static_cast<size_t>(p)))
                              .arg(formatPercent(share)));
            text->setColor(share > 0.5 ? Qt::white : Qt::black);
            QFont font = text->font();
            font.setBold(t == p);
            text->setFont(font);
        }
    }
    m_precision->setData(keys, precision);
    m_recall->setData(keys, recall);
    for (int t = 0; t < n; ++t) {
        addBarValue(m_plot, m_precisionRect, false, t, precision[t]);
        addBarValue(m_plot, m_recallRect, true, t, recall[t]);
    }
    drawHighlight();
    const auto ticker = labelTicker(labels);
    for (auto* axis : {m_matrixRect->axis(QCPAxis::atBottom), m_matrixRect->axis(QCPAxis::atLeft),
                       m_precisionRect->axis(QCPAxis::atBottom), m_recallRect->axis(QCPAxis::atLeft)}) {
        axis->setTicker(ticker);
        axis->setRange(-0.5, std::max(0, n - 1) + 0.5);
    }
    m_plot->replot();
}

QString ConfusionMatrixPlot::cellText(int truth, int predicted) const
{
    const int n = static_cast<int>(m_matrix.classes());
    if (truth < 0 || predicted < 0 || truth >= n || predicted >= n || m_labels.size() < n)
        return {};
    const auto t = static_cast<size_t>(truth), p = static_cast<size_t>(predicted);
    const int64_t count = m_matrix.count(t, p);
    const double share = static_cast<double>(count) / static_cast<double>(std::max<int64_t>(1, m_matrix.support(t)));
    QString text = tr("True %1, predicted %2: %3 examples, %4 of the %1 examples")
                       .arg(m_labels[truth], m_labels[predicted])
                       .arg(QLocale().toString(count))
                       .arg(formatPercent(share));
    if (t == p)
        text += tr("\nRecall of %1: %2, precision: %3")
                    .arg(m_labels[truth], formatPercent(m_matrix.recall(t)), formatPercent(m_matrix.precision(t)));
    return text + tr("\nClick to list them.");
}

QString ConfusionMatrixPlot::barText(Bars bars, int label) const
{
    const int n = static_cast<int>(m_matrix.classes());
    if (bars == Bars::None || label < 0 || label >= n || m_labels.size() < n)
        return {};
    const auto c = static_cast<size_t>(label);
    if (bars == Bars::Recall)
        return tr("Recall of %1: %2\n%3 of the %4 examples labelled %1 were predicted %1.")
            .arg(m_labels[label], formatPercent(m_matrix.recall(c)))
            .arg(m_matrix.count(c, c))
            .arg(m_matrix.support(c));
    int64_t predicted = 0;
    for (size_t t = 0; t < m_matrix.classes(); ++t)
        predicted += m_matrix.count(t, c);
    return tr("Precision of %1: %2\n%3 of the %4 examples predicted %1 are labelled %1.")
        .arg(m_labels[label], formatPercent(m_matrix.precision(c)))
        .arg(m_matrix.count(c, c))
        .arg(predicted);
}

bool ConfusionMatrixPlot::barAt(const QPoint& position, Bars* bars, int* label) const
{
    const int n = static_cast<int>(m_matrix.classes());
    double key = -1;
    if (m_precisionRect->rect().contains(position)) {
        *bars = Bars::Precision;
        key = m_precisionRect->axis(QCPAxis::atBottom)->pixelToCoord(position.x());
    } else if (m_recallRect->rect().contains(position)) {
        *bars = Bars::Recall;
        key = m_recallRect->axis(QCPAxis::atLeft)->pixelToCoord(position.y());
    } else {
        return false;
    }
    *label = static_cast<int>(std::lround(key));
    return n > 0 && *label >= 0 && *label < n;
}

QString ConfusionMatrixPlot::toolTipAt(const QPoint& position) const
{
    int truth = 0, predicted = 0;
    if (cellAt(position, &truth, &predicted))
        return cellText(truth, predicted);
    Bars bars = Bars::None;
    int label = 0;
    return barAt(position, &bars, &label) ? barText(bars, label) : QString();
}

QPoint ConfusionMatrixPlot::barCenter(Bars bars, int label) const
{
    const auto c = static_cast<size_t>(label);
    QPointF center;
    if (bars == Bars::Precision)
        center = QPointF(m_precisionRect->axis(QCPAxis::atBottom)->coordToPixel(label),
                         m_precisionRect->axis(QCPAxis::atLeft)->coordToPixel(m_matrix.precision(c) / 2));
    else
        center = QPointF(m_recallRect->axis(QCPAxis::atBottom)->coordToPixel(m_matrix.recall(c) / 2),
                         m_recallRect->axis(QCPAxis::atLeft)->coordToPixel(label));
    return m_plot->mapTo(this, center.toPoint());
}

bool ConfusionMatrixPlot::cellAt(const QPoint& position, int* truth, int* predicted) const
{
    if (!m_matrixRect->rect().contains(position) || m_matrix.classes() == 0)
        return false;
    const double x = m_matrixRect->axis(QCPAxis::atBottom)->pixelToCoord(position.x());
    const double y = m_matrixRect->axis(QCPAxis::atLeft)->pixelToCoord(position.y());
    *predicted = static_cast<int>(std::lround(x));
    *truth = static_cast<int>(std::lround(y));
    const int n = static_cast<int>(m_matrix.classes());
    return *truth >= 0 && *truth < n && *predicted >= 0 && *predicted < n;
}

QPoint ConfusionMatrixPlot::cellCenter(int truth, int predicted) const
{
    const double x = m_matrixRect->axis(QCPAxis::atBottom)->coordToPixel(predicted);
    const double y = m_matrixRect->axis(QCPAxis::atLeft)->coordToPixel(truth);
    return m_plot->mapTo(this, QPoint(static_cast<int>(x), static_cast<int>(y)));
}

void ConfusionMatrixPlot::onMouseMove(QMouseEvent* event)
{
    const QString text = toolTipAt(event->pos());
    if (!text.isEmpty())
        QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
    else
        QToolTip::hideText();
}

void ConfusionMatrixPlot::keyPressEvent(QKeyEvent* event)
{
    const int n = static_cast<int>(m_matrix.classes());
    int row = 0, column = 0;
    switch (event->key()) {
    case Qt::Key_Left: column = -1; break;
    case Qt::Key_Right: column = 1; break;
    case Qt::Key_Up: row = -1; break;
    case Qt::Key_Down: row = 1; break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space: break;
    default: QWidget::keyPressEvent(event); return;
    }
    if (n == 0)
        return QWidget::keyPressEvent(event);
    int truth = 0, predicted = 0; // with no cell outlined yet, any key starts at the first one
    const bool outlined = m_highlightTruth >= 0 && m_highlightTruth < n && m_highlightPredicted >= 0 && m_highlightPredicted < n;
    if (outlined) {
        truth = std::clamp(m_highlightTruth + row, 0, n - 1);
        predicted = std::clamp(m_highlightPredicted + column, 0, n - 1);
        const bool moved = truth != m_highlightTruth || predicted != m_highlightPredicted;
        if (!moved && (row != 0 || column != 0))
            return; // at the edge
    }
    setHighlightedCell(truth, predicted);
    // What the mouse would show on hovering the cell.
    QToolTip::showText(mapToGlobal(cellCenter(truth, predicted)), cellText(truth, predicted), this);
    Q_EMIT cellClicked(truth, predicted);
}

void ConfusionMatrixPlot::paintEvent(QPaintEvent* event)
{
    QWidget::paintEvent(event);
    if (!hasFocus())
        return;
    QStylePainter painter(this);
    QStyleOptionFocusRect option;
    option.initFrom(this);
    painter.drawPrimitive(QStyle::PE_FrameFocusRect, option);
}

void ConfusionMatrixPlot::onMousePress(QMouseEvent* event)
{
    int truth = 0, predicted = 0;
    if (event->button() == Qt::LeftButton && cellAt(event->pos(), &truth, &predicted)) {
        setHighlightedCell(truth, predicted);
        Q_EMIT cellClicked(truth, predicted);
    }
}

} // namespace fika::ui
