// SPDX-License-Identifier: GPL-3.0-or-later
#include "evaluation/confusion_matrix_plot.h"

#include "qcustomplot_wrapper.h"
#include "ui_format.h"

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

} // namespace

ConfusionMatrixPlot::ConfusionMatrixPlot(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumSize(260, 230);
    m_plot->setMouseTracking(true);
    layout->addWidget(m_plot);

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

void ConfusionMatrixPlot::setMatrix(const core::ConfusionMatrix& matrix, const QStringList& labels)
{
    m_matrix = matrix;
    m_labels = labels;
    const int n = static_cast<int>(matrix.classes());
    m_plot->clearItems();
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
                       .arg(count)
                       .arg(formatPercent(share));
    if (t == p)
        text += tr("\nRecall of %1: %2, precision: %3")
                    .arg(m_labels[truth], formatPercent(m_matrix.recall(t)), formatPercent(m_matrix.precision(t)));
    return text + tr("\nClick to list them.");
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
    int truth = 0, predicted = 0;
    if (cellAt(event->pos(), &truth, &predicted))
        QToolTip::showText(event->globalPosition().toPoint(), cellText(truth, predicted), m_plot);
    else
        QToolTip::hideText();
}

void ConfusionMatrixPlot::onMousePress(QMouseEvent* event)
{
    int truth = 0, predicted = 0;
    if (event->button() == Qt::LeftButton && cellAt(event->pos(), &truth, &predicted))
        Q_EMIT cellClicked(truth, predicted);
}

} // namespace fika::ui
