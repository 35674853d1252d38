// SPDX-License-Identifier: GPL-3.0-or-later
#include "deployment/tester_widget.h"

#include "deployment/predictor_loading.h"
#include "pool_work.h"
#include "qcustomplot_wrapper.h"
#include "qt_config.h"
#include "studio.h"
#include "training/training_controller.h"
#include "ui_format.h"

#include "runtime/runtime.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QtConcurrent/QtConcurrentRun>

namespace fika::ui {

TesterWidget::TesterWidget(Studio* studio, QWidget* parent) : QWidget(parent), m_studio(studio)
{
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    m_checkpoints = new QComboBox(this);
    m_checkpoints->setToolTip(tr("The checkpoint that answers"));
    top->addWidget(new QLabel(tr("Checkpoint:"), this));
    top->addWidget(m_checkpoints, 1);
    layout->addLayout(top);
    m_text = new QPlainTextEdit(this);
    m_text->setPlaceholderText(tr("Type or paste a review, then press Play (Ctrl+Return)"));
    m_text->setMinimumHeight(80);
    m_text->setMaximumHeight(200);
    layout->addWidget(m_text);
    auto* row = new QHBoxLayout;
    m_play = new QPushButton(tr("▶ Play"), this);
    m_play->setToolTip(tr("Predict the class of the text (Ctrl+Return)"));
    m_result = new QLabel(this);
    m_result->setTextFormat(Qt::RichText);
    m_result->setWordWrap(true);
    row->addWidget(m_play);
    row->addWidget(m_result, 1);
    layout->addLayout(row);
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumHeight(110);
    m_plot->yAxis->setRangeReversed(true);
    m_plot->xAxis->setRange(0, 1);
    m_plot->xAxis->setLabel(tr("probability"));
    m_bars = new QCPBars(m_plot->yAxis, m_plot->xAxis);
    m_bars->setBrush(QColor(52, 152, 219));
    m_bars->setPen(Qt::NoPen);
    m_bars->setWidth(0.6);
    layout->addWidget(m_plot);
    layout->addStretch(1);

    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(shortcut, &QShortcut::activated, this, &TesterWidget::play);
    connect(m_play, &QPushButton::clicked, this, &TesterWidget::play);
    connect(m_checkpoints, &QComboBox::currentIndexChanged, this, &TesterWidget::loadPredictor);
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, &TesterWidget::onLoaded);
    connect(&m_predictWatcher, &QFutureWatcher<void>::finished, this, &TesterWidget::onPredicted);
    connect(m_studio, &Studio::currentExperimentChanged, this, &TesterWidget::reloadCheckpoints);
    connect(m_studio->training(), &TrainingController::finished, this, &TesterWidget::reloadCheckpoints);
    reloadCheckpoints();
}

void TesterWidget::reloadCheckpoints()
{
    const QSignalBlocker blocker(m_checkpoints);
    const QString previous = m_checkpoints->currentData().toString();
    m_checkpoints->clear();
    const auto& config = m_studio->currentExperiment();
    if (config) {
        const QString base = toQString(config->output.dir) + QStringLiteral("/checkpoints/");
        if (QFileInfo::exists(base + QStringLiteral("best/model.safetensors")))
            m_checkpoints->addItem(tr("best epoch"), base + QStringLiteral("best"));
        if (QFileInfo::exists(base + QStringLiteral("last/model.safetensors")))
            m_checkpoints->addItem(tr("last epoch"), base + QStringLiteral("last"));
    }
    const int index = m_checkpoints->findData(previous);
    m_checkpoints->setCurrentIndex(index >= 0 ? index : 0);
    m_play->setEnabled(m_checkpoints->count() > 0);
    if (m_checkpoints->count() == 0) { // nothing of another experiment's answer may stay
        m_result->setText(tr("No checkpoint yet: train the experiment first."));
        m_predictor.reset();
        m_probabilities.clear();
        m_bars->data()->clear();
        m_plot->replot();
    }
    m_loadedDir.clear(); // a finished run may have replaced the files
    loadPredictor();
}

void TesterWidget::loadPredictor()
{
    const QString dir = m_checkpoints->currentData().toString();
    if (dir.isEmpty() || dir == m_loadedDir || dir == m_loadingDir)
        return;
    m_predictor.reset();
    m_loadingDir = dir;
    m_result->setText(tr("Loading %1…").arg(m_checkpoints->currentText()));
    if (m_watcher.isRunning())
        return; // onLoaded starts the newest
    // The checkpoint's own encoding (as trained), like the API, predict and evaluate.
    m_watcher.setFuture(loadPredictorInBackground(dir, core::PredictorOptions{}));
}

void TesterWidget::onLoaded()
{
    const auto result = m_watcher.result();
    const QString wanted = m_checkpoints->currentData().toString();
    const QString loaded = m_loadingDir;
    m_loadingDir.clear();
    if (wanted != loaded && !wanted.isEmpty()) { // the selection moved on while loading
        loadPredictor();
        return;
    }
    if (!result->ok()) {
        m_result->setText(tr("<span style='color:#c0392b'>%1</span>").arg(toQString(result->error().message).toHtmlEscaped()));
        Q_EMIT predictorLoaded(false);
        return;
    }
    m_predictor = result->value();
    m_loadedDir = loaded;
    m_result->setText(tr("Ready."));
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (size_t i = 0; i < m_predictor->labels().size(); ++i)
        ticker->addTick(static_cast<double>(i), toQString(m_predictor->labels()[i]));
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis->setRange(-0.5, static_cast<double>(m_predictor->labels().size()) - 0.5);
    m_plot->replot();
    Q_EMIT predictorLoaded(true);
    if (m_playWhenLoaded) {
        m_playWhenLoaded = false;
        play();
    }
}

void TesterWidget::setText(const QString& text)
{
    m_text->setPlainText(text);
}

void TesterWidget::play()
{
    if (!m_predictor) {
        m_playWhenLoaded = true;
        return;
    }
    const QString text = m_text->toPlainText();
    if (text.trimmed().isEmpty()) {
        m_result->setText(tr("Type a text first."));
        return;
    }
    if (m_predictWatcher.isRunning()) {
        m_playAgain = true;
        return;
    }
    m_predictWatcher.setFuture(QtConcurrent::run([predictor = m_predictor, text = toStdString(text)] {
        QElapsedTimer timer;
        timer.start();
        TimedPrediction answer;
        try {
            answer.prediction = predictor->predict({text}).front();
        } catch (...) { // LibTorch reports failures as exceptions; none may reach the event loop
            answer.error = currentExceptionMessage();
        }
        answer.milliseconds = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        core::releaseComputeThreads(); // the pool thread stays; its OpenMP team would slow training
        return answer;
    }));
}

void TesterWidget::onPredicted()
{
    const TimedPrediction answer = m_predictWatcher.result();
    if (!answer.error.empty()) {
        m_result->setText(tr("<span style='color:#c0392b'>%1</span>").arg(toQString(answer.error).toHtmlEscaped()));
        m_playAgain = false;
        return;
    }
    const core::Prediction& prediction = answer.prediction;
    m_probabilities.assign(prediction.probabilities.begin(), prediction.probabilities.end());
    QVector<double> keys, values;
    for (size_t i = 0; i < m_probabilities.size(); ++i) {
        keys << static_cast<double>(i);
        values << m_probabilities[i];
    }
    m_bars->setData(keys, values);
    m_plot->replot();
    m_result->setText(tr("<b>%1</b> (%2) in %3 ms")
                          .arg(toQString(prediction.label).toHtmlEscaped(),
                               formatPercent(m_probabilities[static_cast<size_t>(prediction.labelId)]))
                          .arg(answer.milliseconds, 0, 'f', 1));
    Q_EMIT answered();
    if (m_playAgain) {
        m_playAgain = false;
        play();
    }
}

QString TesterWidget::resultText() const
{
    return m_result->text();
}

std::vector<double> TesterWidget::shownProbabilities() const
{
    return m_probabilities;
}

} // namespace fika::ui
