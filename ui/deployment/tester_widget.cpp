// SPDX-License-Identifier: GPL-3.0-or-later
#include "deployment/tester_widget.h"
#include "error_text.h"

#include "deployment/explanation_view.h"
#include "deployment/predictor_loading.h"
#include "pool_work.h"
#include "qcustomplot_wrapper.h"
#include "qt_config.h"
#include "studio.h"
#include "training/training_controller.h"
#include "ui_format.h"

#include "runtime/runtime.h"

#include <QCheckBox>
#include <QLocale>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QShortcut>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace fika::ui {
namespace {
const QString kExplainEveryKey = QStringLiteral("tester/explain_every_prediction");
constexpr int kTextHeight = 200;          // of the text typed
constexpr int kExplainedTextHeight = 110; // while an explanation shows it again, shaded
}

TesterWidget::TesterWidget(Studio* studio, QWidget* parent) : QWidget(parent), m_studio(studio)
{
    auto* layout = new QVBoxLayout(this);
    m_source = new QLabel(this);
    m_source->setTextFormat(Qt::RichText);
    m_source->setWordWrap(true);
    layout->addWidget(m_source);
    m_checkpointRow = new QWidget(this);
    auto* top = new QHBoxLayout(m_checkpointRow);
    top->setContentsMargins(0, 0, 0, 0);
    m_checkpoints = new QComboBox(m_checkpointRow);
    m_checkpoints->setToolTip(tr("The checkpoint that answers"));
    top->addWidget(new QLabel(tr("Checkpoint:"), m_checkpointRow));
    top->addWidget(m_checkpoints, 1);
    layout->addWidget(m_checkpointRow);
    m_text = new QPlainTextEdit(this);
    m_text->setPlaceholderText(tr("Type or paste a review, then press Play (Ctrl+Return)"));
    m_text->setMinimumHeight(80);
    m_text->setTabChangesFocus(true); // Tab goes on to Play, as a review needs no tab characters
    m_text->setMaximumHeight(kTextHeight);
    layout->addWidget(m_text);
    auto* row = new QHBoxLayout;
    m_play = new QPushButton(tr("▶ Play"), this);
    m_play->setToolTip(tr("Predict the class of the text (Ctrl+Return)"));
    m_result = new QLabel(this);
    m_result->setTextFormat(Qt::RichText);
    m_result->setWordWrap(true);
    m_explain = new QPushButton(tr("Explain"), this);
    m_explain->setToolTip(tr("Which words made the prediction: Integrated Gradients, 32 steps from a text of [PAD] tokens"));
    row->addWidget(m_play);
    row->addWidget(m_explain);
    row->addStretch(1);
    layout->addLayout(row);
    // Its own line: beside the buttons it would widen the tester past a laptop's half screen.
    m_explainEvery = new QCheckBox(tr("Explain every prediction"), this);
    m_explainEvery->setToolTip(tr("Play also explains which words made the prediction (slower: 32 more passes)"));
    m_explainEvery->setChecked(QSettings().value(kExplainEveryKey, false).toBool());
    layout->addWidget(m_explainEvery);
    layout->addWidget(m_result); // its own line: the answer wraps where the window is narrow
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
    m_explanationView = new ExplanationView(this);
    layout->addWidget(m_explanationView);
    layout->addStretch(1);

    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    // Where the focus is: window-wide, the Deployment view's tester and the dock's shared the key in
    // one window, and Ctrl+Return played in neither.
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, &TesterWidget::play);
    connect(m_play, &QPushButton::clicked, this, &TesterWidget::play);
    connect(m_checkpoints, &QComboBox::currentIndexChanged, this, &TesterWidget::loadPredictor);
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, &TesterWidget::onLoaded);
    connect(&m_predictWatcher, &QFutureWatcher<void>::finished, this, &TesterWidget::onPredicted);
    connect(m_explain, &QPushButton::clicked, this, &TesterWidget::explain);
    connect(&m_explainWatcher, &QFutureWatcher<void>::finished, this, &TesterWidget::onExplained);
    connect(m_explainEvery, &QCheckBox::toggled, this, [](bool on) { QSettings().setValue(kExplainEveryKey, on); });
    connect(m_studio, &Studio::currentExperimentChanged, this, [this] {
        if (!m_followsCheckpoint)
            reloadCheckpoints();
    });
    connect(m_studio->training(), &TrainingController::finished, this, &TesterWidget::reloadCheckpoints);
    reloadCheckpoints();
}

void TesterWidget::followCheckpoint(const QString& dir, const QString& name, std::shared_ptr<const core::Predictor> served)
{
    const bool sameFolder = m_followsCheckpoint && dir == m_followedDir;
    m_followsCheckpoint = true;
    m_checkpointRow->hide(); // the caption names the one checkpoint tested
    m_followedName = name;
    if (sameFolder && (served == m_servedPredictor || !served)) {
        // Same model: the deployment stopped (its predictor answers as before) or a list reloaded.
        updateSource();
        return;
    }
    m_followedDir = dir;
    m_servedPredictor = std::move(served);
    reloadCheckpoints();
}

void TesterWidget::setBf16(bool on)
{
    if (on == m_bf16)
        return;
    m_bf16 = on;
    // A deployment serves in a precision fixed while it runs, so a served model kept here is a
    // stopped one's, in the other precision.
    m_servedPredictor.reset();
    m_loadedDir.clear();
    updateSource();
    loadPredictor();
}

void TesterWidget::reloadCheckpoints()
{
    const QSignalBlocker blocker(m_checkpoints);
    const QString previous = m_checkpoints->currentData().toString();
    m_checkpoints->clear();
    if (m_followsCheckpoint) {
        if (m_servedPredictor || QFileInfo::exists(m_followedDir + QStringLiteral("/model.safetensors")))
            m_checkpoints->addItem(m_followedName, m_followedDir);
    } else if (const auto& config = m_studio->currentExperiment()) {
        const QString base = toQString(config->output.dir) + QStringLiteral("/checkpoints/");
        if (QFileInfo::exists(base + QStringLiteral("best/model.safetensors")))
            m_checkpoints->addItem(tr("best epoch"), base + QStringLiteral("best"));
        if (QFileInfo::exists(base + QStringLiteral("last/model.safetensors")))
            m_checkpoints->addItem(tr("last epoch"), base + QStringLiteral("last"));
    }
    const int index = m_checkpoints->findData(previous);
    m_checkpoints->setCurrentIndex(index >= 0 ? index : 0);
    m_play->setEnabled(m_checkpoints->count() > 0);
    updateSource();
    if (m_checkpoints->count() == 0) { // nothing of another experiment's answer may stay
        m_result->setText(tr("No checkpoint yet: train the experiment first."));
        m_predictor.reset();
        m_loadedDir.clear();
        clearAnswer();
        return;
    }
    if (!(m_followsCheckpoint && m_servedPredictor && m_predictor == m_servedPredictor))
        m_loadedDir.clear(); // a finished run may have replaced the files; a served model stays as it is
    loadPredictor();
}

void TesterWidget::updateSource()
{
    if (m_checkpoints->count() == 0) {
        m_source->clear();
    } else if (m_followsCheckpoint) {
        m_source->setText((m_servedPredictor ? tr("Tests <b>%1</b>: the deployed checkpoint.")
                                             : tr("Tests <b>%1</b>: the checkpoint chosen for deployment, not served yet."))
                              .arg(m_followedName.toHtmlEscaped()));
    } else if (const auto& config = m_studio->currentExperiment()) {
        m_source->setText(tr("Tests <b>%1</b>, the experiment open in Modeling.")
                              .arg(QFileInfo(toQString(config->output.dir)).fileName().toHtmlEscaped()));
    }
}

QString TesterWidget::sourceText() const
{
    return m_source->text();
}

void TesterWidget::clearAnswer()
{
    m_probabilities.clear();
    m_bars->data()->clear();
    m_plot->replot();
    m_explanationView->clear();
    m_text->setMaximumHeight(kTextHeight);
}

void TesterWidget::loadPredictor()
{
    const QString dir = m_checkpoints->currentData().toString();
    if (dir.isEmpty() || dir == m_loadedDir)
        return;
    // Another model: no answer of the previous one may stay.
    m_predictor.reset();
    m_loadedDir.clear();
    clearAnswer();
    if (m_followsCheckpoint && m_servedPredictor && dir == m_followedDir) {
        usePredictor(m_servedPredictor, dir);
        return;
    }
    m_result->setText(tr("Loading %1…").arg(m_checkpoints->currentText()));
    if (m_watcher.isRunning())
        return; // onLoaded starts the newest
    // The checkpoint's own encoding (as trained), like the API, predict and evaluate.
    m_watcherDir = dir;
    m_watcherBf16 = m_bf16;
    core::PredictorOptions options;
    options.bf16 = m_bf16;
    m_watcher.setFuture(loadPredictorInBackground(dir, options));
}

void TesterWidget::onLoaded()
{
    const auto result = m_watcher.result();
    const QString loaded = std::exchange(m_watcherDir, QString());
    const QString wanted = m_checkpoints->currentData().toString();
    // The selection or precision moved on while loading, or a served model came.
    if (wanted != loaded || m_watcherBf16 != m_bf16 || m_loadedDir == wanted) {
        loadPredictor();
        return;
    }
    if (!result->ok()) {
        m_result->setText(tr("<span style='color:#c0392b'>%1</span>").arg(ErrorText::text(result->error()).toHtmlEscaped()));
        Q_EMIT predictorLoaded(false);
        return;
    }
    usePredictor(result->value(), loaded);
}

void TesterWidget::usePredictor(std::shared_ptr<const core::Predictor> predictor, const QString& dir)
{
    m_predictor = std::move(predictor);
    m_loadedDir = dir;
    m_result->setText(m_bf16 ? tr("Ready (bf16).") : tr("Ready.")); // a served model's precision is the panel's, as m_bf16
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
    if (m_explainEvery->isChecked())
        explain();
    if (m_predictWatcher.isRunning()) {
        m_playAgain = true;
        return;
    }
    m_predictWatcher.setFuture(QtConcurrent::run([predictor = m_predictor, text = toStdString(text)] {
        QElapsedTimer timer;
        timer.start();
        TimedPrediction answer;
        answer.predictor = predictor;
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
    if (answer.predictor != m_predictor) { // the model changed meanwhile: its answer is not this one's
        if (std::exchange(m_playAgain, false) && m_predictor)
            play();
        return;
    }
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
    m_result->setText((m_bf16 ? tr("<b>%1</b> (%2) in %3 ms with bf16") : tr("<b>%1</b> (%2) in %3 ms"))
                          .arg(toQString(prediction.label).toHtmlEscaped(),
                               formatPercent(m_probabilities[static_cast<size_t>(prediction.labelId)]))
                          .arg(QLocale().toString(answer.milliseconds, 'f', 1)));
    Q_EMIT answered();
    if (m_playAgain) {
        m_playAgain = false;
        play();
    }
}

void TesterWidget::explain()
{
    const QString text = m_text->toPlainText();
    if (!m_predictor || text.trimmed().isEmpty())
        return;
    if (m_explainWatcher.isRunning()) {
        m_explainAgain = true; // one at a time: the newest text once this one is done
        return;
    }
    m_explain->setEnabled(false);
    m_explainWatcher.setFuture(QtConcurrent::run([predictor = m_predictor, text] {
        QElapsedTimer timer;
        timer.start();
        TimedExplanation answer{predictor, text};
        try {
            answer.explanation = predictor->explain(toStdString(text));
        } catch (...) { // none may reach the event loop
            answer.explanation = core::makeError(core::ErrorCode::IoError, currentExceptionMessage());
        }
        answer.milliseconds = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        core::releaseComputeThreads();
        return answer;
    }));
}

void TesterWidget::onExplained()
{
    m_explain->setEnabled(true);
    const TimedExplanation answer = m_explainWatcher.result();
    if (std::exchange(m_explainAgain, false) && m_predictor && m_text->toPlainText() != answer.text) {
        explain(); // the text changed meanwhile: this answer is not the one asked for last
        return;
    }
    if (answer.predictor != m_predictor)
        return; // the model changed meanwhile
    if (!answer.explanation) {
        m_result->setText(tr("<span style='color:#c0392b'>%1</span>").arg(ErrorText::text(answer.explanation.error()).toHtmlEscaped()));
        Q_EMIT explained(false);
        return;
    }
    m_explanationView->showExplanation(answer.text, answer.explanation.value(), answer.milliseconds);
    // Room for the explanation below: on a laptop screen the view would scroll it out of sight.
    m_text->setMaximumHeight(kExplainedTextHeight);
    for (QWidget* up = parentWidget(); up; up = up->parentWidget())
        if (auto* scroll = qobject_cast<QScrollArea*>(up)) {
            QTimer::singleShot(0, scroll, [scroll, chart = QPointer<QWidget>(m_explanationView->chart())] {
                if (chart)
                    scroll->ensureWidgetVisible(chart, 0, 0); // once the layout has made room
            });
            break;
        }
    Q_EMIT explained(true);
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
