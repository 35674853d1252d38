// SPDX-License-Identifier: GPL-3.0-or-later
#include "evaluation/training_charts.h"

#include "qcustomplot_wrapper.h"

#include <QFontMetrics>
#include <QGridLayout>
#include <QSvgGenerator>

#include <algorithm>

namespace fika::ui {
namespace {

constexpr double kSmoothing = 0.9; // weight of the running average in the smoothed loss
constexpr double kRawLightening = 0.35; // share of white mixed into the raw loss line's colour

QColor runColor(int index)
{
    static const QColor colors[] = {QColor(31, 119, 180), QColor(214, 39, 40), QColor(44, 160, 44),
                                    QColor(148, 103, 189), QColor(255, 127, 14), QColor(23, 190, 207)};
    return colors[index % 6];
}

QCustomPlot* makePlot(const QString& title, const QString& xLabel, const QString& yLabel, QWidget* parent)
{
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumSize(180, 150);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, QFont(plot->font().family(), -1, QFont::Bold)));
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->legend->setVisible(true);
    QFont small = plot->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    plot->legend->setFont(small);
    // The legend in a row under the axes, entries side by side: inside them it covered the curves.
    plot->axisRect()->insetLayout()->take(plot->legend);
    auto* legendRow = new QCPLayoutGrid;
    plot->plotLayout()->addElement(2, 0, legendRow);
    legendRow->setMargins(QMargins(5, 0, 5, 2));
    legendRow->addElement(0, 0, plot->legend);
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->legend->setWrap(3);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setMargins(QMargins(4, 1, 4, 1)); // a short chart cut the descenders off ("traininq")
    plot->legend->setIconSize(16, 10); // narrow entries: two fit under a chart on a 1024-pixel screen
    plot->legend->setIconTextPadding(3);
    plot->legend->setColumnSpacing(6);
    plot->plotLayout()->setRowStretchFactor(2, 0.001);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    // As many value labels as the axis has room for: at the charts' smallest height (a laptop at
    // 125 %) the default five, every 0.1, ran into each other. The ticks are made before the layout
    // is known, so a changed count draws once more.
    QObject::connect(plot, &QCustomPlot::afterLayout, plot, [plot] {
        const int line = QFontMetrics(plot->yAxis->tickLabelFont()).height();
        const int count = std::clamp(plot->axisRect()->height() / (2 * line), 2, 5);
        if (plot->yAxis->ticker()->tickCount() != count) {
            plot->yAxis->ticker()->setTickCount(count);
            plot->replot(QCustomPlot::rpQueuedReplot);
        }
    });
    return plot;
}

QCPGraph* addGraph(QCustomPlot* plot, const QString& name, const QPen& pen, bool markers)
{
    auto* graph = plot->addGraph();
    graph->setName(name);
    graph->setPen(pen);
    if (markers)
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
    return graph;
}

} // namespace

TrainingCharts::TrainingCharts(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_stepLoss = makePlot(tr("Training loss per step"), tr("step"), tr("loss"), this);
    m_epochLoss = makePlot(tr("Loss per epoch"), tr("epoch"), tr("loss"), this);
    m_accuracy = makePlot(tr("Validation accuracy"), tr("epoch"), tr("accuracy"), this);
    layout->addWidget(m_stepLoss, 0, 0);
    layout->addWidget(m_epochLoss, 0, 1);
    layout->addWidget(m_accuracy, 0, 2);
}

void TrainingCharts::setRuns(const QList<RunSeries>& runs)
{
    for (auto* plot : plots())
        plot->clearGraphs();
    const bool several = runs.size() > 1;
    for (int r = 0; r < runs.size(); ++r) {
        const auto& run = runs[r];
        const QColor color = runColor(r);
        const QString prefix = several ? run.name + QStringLiteral(": ") : QString();
        // The raw loss a lighter shade of the run's colour, opaque and thinner than the smoothed
        // one: at alpha 70 it was almost invisible on white.
        const QColor light = QColor::fromRgbF(color.redF() * (1 - kRawLightening) + kRawLightening,
                                              color.greenF() * (1 - kRawLightening) + kRawLightening,
                                              color.blueF() * (1 - kRawLightening) + kRawLightening);
        auto* raw = addGraph(m_stepLoss, prefix + tr("raw"), QPen(light, 1.2), false);
        auto* smooth = addGraph(m_stepLoss, prefix + tr("smoothed"), QPen(color, 2), false);
        double average = 0;
        for (size_t i = 0; i < run.history.steps.size(); ++i) {
            const auto& s = run.history.steps[i];
            average = i == 0 ? s.loss : kSmoothing * average + (1 - kSmoothing) * s.loss;
            raw->addData(static_cast<double>(s.step), s.loss);
            smooth->addData(static_cast<double>(s.step), average);
        }
        auto* training = addGraph(m_epochLoss, prefix + tr("training"), QPen(color, 2), true);
        auto* validation = addGraph(m_epochLoss, prefix + tr("validation"), QPen(color, 2, Qt::DashLine), true);
        auto* accuracy = addGraph(m_accuracy, several ? run.name : tr("validation"), QPen(color, 2), true);
        for (const auto& e : run.history.epochs) {
            training->addData(static_cast<double>(e.epoch), e.trainingLoss);
            validation->addData(static_cast<double>(e.epoch), e.validation.loss);
            accuracy->addData(static_cast<double>(e.epoch), e.validation.accuracy);
        }
    }
    // Ranges by hand: QCustomPlot's rescale gives a one-epoch run a degenerate axis.
    int64_t epochs = 1;
    for (const auto& run : runs)
        for (const auto& e : run.history.epochs)
            epochs = std::max(epochs, e.epoch);
    for (auto* plot : {m_epochLoss, m_accuracy}) {
        plot->xAxis->setRange(0.5, static_cast<double>(epochs) + 0.5);
        plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerFixed>::create());
        qSharedPointerCast<QCPAxisTickerFixed>(plot->xAxis->ticker())->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    }
    m_stepLoss->rescaleAxes();
    for (auto* plot : {m_stepLoss, m_epochLoss}) {
        bool found = false;
        const QCPRange values = plot->graphCount() ? plot->graph(0)->getValueRange(found) : QCPRange(0, 1);
        double top = found ? values.upper : 1.0;
        for (int g = 1; g < plot->graphCount(); ++g)
            if (const QCPRange r = plot->graph(g)->getValueRange(found); found)
                top = std::max(top, r.upper);
        plot->yAxis->setRange(0, top * 1.1 + 1e-3);
    }
    double lowest = 1.0;
    for (const auto& run : runs)
        for (const auto& e : run.history.epochs)
            lowest = std::min(lowest, e.validation.accuracy);
    m_accuracy->yAxis->setRange(std::max(0.0, lowest - 0.05), 1.0);
    for (auto* plot : plots())
        plot->replot(QCustomPlot::rpQueuedReplot);
}

int TrainingCharts::graphPoints(int plot, int graph) const
{
    auto* p = plots().value(plot);
    return p && graph < p->graphCount() ? p->graph(graph)->dataCount() : -1;
}

bool TrainingCharts::savePlot(QCustomPlot* plot, const QString& file)
{
    if (file.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator generator;
        generator.setFileName(file);
        generator.setSize(plot->size());
        generator.setViewBox(plot->rect());
        QCPPainter painter;
        if (!painter.begin(&generator))
            return false;
        plot->toPainter(&painter, plot->width(), plot->height());
        painter.end();
        return QFileInfo(file).size() > 0;
    }
    if (file.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive))
        return plot->savePdf(file);
    return plot->savePng(file, 0, 0, 2.0);
}

} // namespace fika::ui
