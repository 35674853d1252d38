// SPDX-License-Identifier: GPL-3.0-or-later
#include "evaluation/evaluation_view.h"
#include "error_text.h"

#include "evaluation/confusion_matrix_plot.h"
#include "evaluation/misclassified_browser.h"
#include "pool_work.h"
#include "qcustomplot_wrapper.h"
#include "qt_config.h"
#include "studio.h"
#include "training/metrics_follower.h"
#include "training/training_controller.h"
#include "ui_format.h"

#include "model/checkpoint_folder.h"
#include "runtime/runtime.h"

#include <QLocale>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <fstream>
#include <utility>


namespace fika::ui {
namespace {

// Of a review in a list: more than any screen shows on one line.
constexpr int kShownCharacters = 600;

// Sorts by the number behind the text: "9.5 %" before "10.0 %".
class NumberItem : public QTableWidgetItem {
public:
    NumberItem(const QString& text, double value) : QTableWidgetItem(text)
    {
        setData(Qt::UserRole, value);
        setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    bool operator<(const QTableWidgetItem& other) const override
    {
        return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
    }
};

// A CSV field, quoted only where it must be (a comma, quote or line break in it; a space at an end),
// as spreadsheets and Python's csv module write: the header's names come out plain like the rest.
std::string csvField(const std::string& text)
{
    const bool quoted = text.find_first_of(",\"\r\n") != std::string::npos ||
                        (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    if (!quoted)
        return text;
    std::string out = "\"";
    for (char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace

// Wide enough for its names, between a click target's width and a share that leaves the charts
// room (240 px of a 1366 px window squeezed the matrix); longer names are elided.
QSize ExperimentList::sizeHint() const
{
    constexpr int kNarrowest = 110, kWidest = 220;
    int names = 0;
    for (int row = 0; row < count(); ++row)
        names = std::max(names, sizeHintForIndex(model()->index(row, 0)).width());
    const int width = names + 2 * frameWidth() + verticalScrollBar()->sizeHint().width();
    return {std::clamp(width, kNarrowest, kWidest), QListWidget::sizeHint().height()};
}

EvaluationView::EvaluationView(Studio* studio, QWidget* parent) : QWidget(parent), m_studio(studio)
{
    auto* layout = new QHBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter = splitter;
    layout->addWidget(splitter);
    m_experiments = new ExperimentList(splitter);
    m_experiments->setToolTip(tr("Tick experiments to compare their curves; select one for its details"));
    // Run names differ at their ends (lr2e-5, seed42): elided in the middle, whole in the tooltip.
    m_experiments->setTextElideMode(Qt::ElideMiddle);
    splitter->setCollapsible(0, false);
    connect(splitter, &QSplitter::splitterMoved, this, [this] { m_listWidthChosen = true; });

    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    auto* vertical = new QSplitter(Qt::Vertical, right);
    rightLayout->addWidget(vertical);
    m_charts = new TrainingCharts(vertical);

    auto* details = new QWidget(vertical);
    auto* detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    m_info = new QLabel(details);
    m_info->setTextFormat(Qt::RichText);
    m_info->setWordWrap(true);
    detailsLayout->addWidget(m_info);
    auto* toolbar = new QHBoxLayout;
    m_checkpoints = new QComboBox(details);
    m_checkpoints->setToolTip(tr("The checkpoint whose confusion matrix and predictions are shown"));
    // A share and the time left: the validation subset of a large run takes minutes on a CPU.
    m_busy = new QProgressBar(details);
    m_busy->setRange(0, 100);
    m_busy->setTextVisible(true);
    m_busy->setVisible(false);
    m_busy->setMaximumWidth(260);
    m_exportChart = new QPushButton(tr("Export chart…"), details);
    m_exportPredictions = new QPushButton(tr("Export predictions…"), details);
    m_exportCheckpoint = new QPushButton(tr("Export checkpoint…"), details);
    toolbar->addWidget(new QLabel(tr("Checkpoint:"), details));
    toolbar->addWidget(m_checkpoints);
    toolbar->addWidget(m_busy);
    toolbar->addStretch();
    toolbar->addWidget(m_exportChart);
    toolbar->addWidget(m_exportPredictions);
    toolbar->addWidget(m_exportCheckpoint);
    detailsLayout->addLayout(toolbar);

    // The matrix with a cell's examples, and the misclassified reviews: tabs, so that each has the
    // whole width at 1366x768.
    m_detailTabs = new QTabWidget(details);
    auto* bottom = new QSplitter(Qt::Horizontal, m_detailTabs);
    m_matrix = new ConfusionMatrixPlot(bottom);
    auto* examplesBox = new QWidget(bottom);
    auto* examplesLayout = new QVBoxLayout(examplesBox);
    examplesLayout->setContentsMargins(0, 0, 0, 0);
    m_examplesTitle = new QLabel(examplesBox);
    m_examplesTitle->setWordWrap(true);
    m_examples = new QTableWidget(0, 3, examplesBox);
    m_examples->setHorizontalHeaderLabels({tr("Text"), tr("Predicted"), tr("Probability")});
    // The label and probability as wide as they are, the text all the rest: at 1366x768 two
    // columns of 100 px left the text about 25 characters.
    m_examples->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_examples->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_examples->verticalHeader()->setVisible(false);
    m_examples->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_examples->setWordWrap(false);
    m_examples->setTabKeyNavigation(false); // Tab leaves the list; arrows move in it
    m_examples->setSortingEnabled(true); // most confident first; a header click sorts by its column
    m_examples->sortByColumn(2, Qt::DescendingOrder);
    examplesLayout->addWidget(m_examplesTitle);
    examplesLayout->addWidget(m_examples);
    bottom->addWidget(m_matrix);
    bottom->addWidget(examplesBox);
    // The matrix grows with the window too: at 2/5 of the width "100.0 %" was cut off in its cells
    // on a 1366x768 laptop at 125 %. Halves: the examples' text is elided at any width.
    bottom->setStretchFactor(0, 1);
    bottom->setStretchFactor(1, 1);
    bottom->setSizes({1000, 1000});
    m_misclassified = new MisclassifiedBrowser(m_detailTabs);
    m_detailTabs->addTab(bottom, tr("Confusion matrix"));
    m_detailTabs->addTab(m_misclassified, tr("Misclassified reviews"));
    detailsLayout->addWidget(m_detailTabs, 1);
    vertical->setStretchFactor(1, 2);
    splitter->setStretchFactor(0, 0); // a wider window widens the charts and the matrix
    splitter->setStretchFactor(1, 1);

    connect(m_experiments, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row < m_runDirs.size() && !m_studio->training()->isRunning())
            m_studio->selectExperiment(m_runDirs[row], nullptr);
        refreshCharts();
        updateInfo();
        loadCheckpoints();
    });
    connect(m_studio, &Studio::currentExperimentChanged, this, [this] {
        const auto& config = m_studio->currentExperiment();
        const int index = config ? static_cast<int>(m_runDirs.indexOf(toQString(config->output.dir))) : -1;
        if (index < 0 && config)
            reloadExperiments(); // a new experiment
        else if (index != m_experiments->currentRow())
            m_experiments->setCurrentRow(index);
    });
    connect(m_experiments, &QListWidget::itemChanged, this, &EvaluationView::refreshCharts);
    connect(m_checkpoints, &QComboBox::currentIndexChanged, this, &EvaluationView::evaluateCheckpoint);
    connect(m_matrix, &ConfusionMatrixPlot::cellClicked, this, &EvaluationView::showCell);
    connect(m_misclassified, &MisclassifiedBrowser::countChanged, this, [this](int count) {
        m_detailTabs->setTabText(1, count < 0 ? tr("Misclassified reviews") : tr("Misclassified reviews (%1)").arg(count));
    });
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, &EvaluationView::onEvaluated);
    connect(m_exportChart, &QPushButton::clicked, this, &EvaluationView::exportChartDialog);
    connect(m_exportPredictions, &QPushButton::clicked, this, &EvaluationView::exportPredictionsDialog);
    connect(m_exportCheckpoint, &QPushButton::clicked, this, &EvaluationView::exportCheckpointDialog);
    connect(m_studio, &Studio::experimentsChanged, this, &EvaluationView::reloadExperiments);
    connect(m_studio, &Studio::projectChanged, this, &EvaluationView::forgetProject);
    auto* training = m_studio->training();
    connect(training, &TrainingController::started, this, &EvaluationView::reloadExperiments);
    // The curves come from metrics.jsonl alone, whoever trains (this app, fika-cli here, a cluster
    // writing to a shared disk), so that a run is never drawn twice. The trainer writes each record
    // around the event it reports: read at once, not on the next timer tick.
    connect(training, &TrainingController::stepped, this, &EvaluationView::pollRuns);
    connect(training, &TrainingController::epochEnded, this, &EvaluationView::pollRuns);
    reloadExperiments();
}

void EvaluationView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    fitExperimentList(); // the splitter's width is known once shown
}

// The experiments list as wide as its names, within limits, and the rest for the charts and the
// matrix; once the user drags the splitter, their width stays.
void EvaluationView::fitExperimentList()
{
    const int total = m_splitter->width() - m_splitter->handleWidth();
    const int list = m_experiments->sizeHint().width();
    if (m_listWidthChosen || !m_splitter->isVisible() || total <= 2 * list)
        return;
    m_splitter->setSizes({list, total - list});
}

EvaluationView::~EvaluationView()
{
    cancelEvaluation(); // stops within one batch, so quitting does not wait for the rest
    m_watcher.waitForFinished(); // its progress reports are addressed to this view
}

QString EvaluationView::currentRunDir() const
{
    const int row = m_experiments->currentRow();
    return row >= 0 && row < m_runDirs.size() ? m_runDirs[row] : QString();
}

MetricsFollower* EvaluationView::follower(const QString& runDir) const
{
    return m_followers.value(runDir);
}

void EvaluationView::pollRuns()
{
    for (auto* follower : std::as_const(m_followers))
        follower->poll();
}

// A follower for each run whose curves are shown, and none for the others.
void EvaluationView::followShownRuns()
{
    QSet<QString> shown;
    for (int i = 0; i < m_runDirs.size(); ++i)
        if (m_experiments->item(i)->checkState() == Qt::Checked || i == m_experiments->currentRow())
            shown << m_runDirs[i];
    for (auto it = m_followers.begin(); it != m_followers.end();) {
        if (shown.contains(it.key())) {
            ++it;
        } else {
            disconnect(it.value(), nullptr, this, nullptr);
            it.value()->deleteLater(); // it may be the sender of the signal being handled
            it = m_followers.erase(it);
        }
    }
    for (const QString& dir : std::as_const(shown)) {
        auto* follower = m_followers.value(dir);
        if (!follower) {
            follower = new MetricsFollower(dir, this);
            m_followers.insert(dir, follower);
            connect(follower, &MetricsFollower::changed, this, [this, dir] { onRunChanged(dir); });
        }
        {
            const QSignalBlocker quiet(follower); // the caller draws the charts once, for all runs
            follower->poll();
        }
        m_runs[m_runDirs.indexOf(dir)].history = follower->history();
    }
}

// Lines of the current run's metrics.jsonl that are no metrics record: its curves may lack points.
QString EvaluationView::skippedNote() const
{
    const auto* follower = m_followers.value(currentRunDir());
    m_infoSkipped = follower ? follower->skippedLines() : 0;
    if (m_infoSkipped == 0)
        return {};
    return QStringLiteral("<br><span style='color:#c0392b'>⚠ %1</span>")
        .arg(tr("Lines of metrics.jsonl left out, as they cannot be read: %1. The first: %2")
                 .arg(m_infoSkipped)
                 .arg(follower->firstSkipped())
                 .toHtmlEscaped());
}

void EvaluationView::onRunChanged(const QString& dir)
{
    const int index = static_cast<int>(m_runDirs.indexOf(dir));
    auto* follower = m_followers.value(dir);
    if (index < 0 || !follower)
        return;
    auto& history = m_runs[index].history;
    const bool epochsChanged = history.epochs.size() != follower->history().epochs.size() ||
                               history.steps.size() > follower->history().steps.size(); // started over
    history = follower->history();
    drawCharts();
    if (index == m_experiments->currentRow() && (epochsChanged || follower->skippedLines() != m_infoSkipped))
        updateInfo();
    // A run outside this app (fika-cli, a cluster) wrote its last epoch: its checkpoints are complete.
    const auto& epochs = history.epochs;
    if (index == m_experiments->currentRow() && epochsChanged && !m_studio->training()->isRunning() && !epochs.empty() &&
        epochs.back().epoch == epochs.back().epochs)
        loadCheckpoints();
}

void EvaluationView::reloadExperiments()
{
    const QString current = m_studio->currentExperiment() ? toQString(m_studio->currentExperiment()->output.dir) : currentRunDir();
    QStringList dirs = m_studio->experiments();
    if (!current.isEmpty() && !dirs.contains(current))
        dirs << current; // an experiment outside a project
    m_runDirs = dirs;
    m_runs.clear();
    const QSignalBlocker blocker(m_experiments);
    m_experiments->clear();
    for (const QString& dir : dirs) {
        RunSeries series; // the history of a shown run comes from its follower (refreshCharts)
        series.name = QFileInfo(dir).fileName();
        m_runs << series;
        auto* item = new QListWidgetItem(series.name, m_experiments);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(dir == current ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(dir);
    }
    m_experiments->setCurrentRow(static_cast<int>(dirs.indexOf(current)));
    fitExperimentList();
    refreshCharts();
    updateInfo();
    loadCheckpoints();
}

void EvaluationView::refreshCharts()
{
    followShownRuns();
    drawCharts();
}

void EvaluationView::drawCharts()
{
    QList<RunSeries> shown;
    for (int i = 0; i < m_runs.size(); ++i)
        if (m_experiments->item(i)->checkState() == Qt::Checked || i == m_experiments->currentRow())
            shown << m_runs[i];
    m_charts->setRuns(shown);
}

void EvaluationView::updateInfo()
{
    const int row = m_experiments->currentRow();
    if (row < 0 || row >= m_runs.size()) {
        m_info->setText(tr("<h2>Evaluation</h2>No experiment yet. Train one in the Modeling view."));
        m_matrix->clear();
        return;
    }
    const auto& history = m_runs[row].history;
    if (history.epochs.empty()) {
        m_info->setText(tr("<b>%1</b>: no epoch has ended yet.").arg(m_runs[row].name.toHtmlEscaped()) + skippedNote());
        m_matrix->clear();
        return;
    }
    // The numbers of the checkpoint whose matrix is shown: the best epoch's unless the selector
    // names another one ("last", "epoch 5"), so that headline, matrix and status bar agree.
    const auto& last = history.epochs.back();
    const int64_t epochs = last.epochs > 0 ? last.epochs : static_cast<int64_t>(history.epochs.size());
    const QString checkpointDir = m_checkpoints->currentData().toString();
    const QString checkpointsOfRun = currentRunDir() + QStringLiteral("/checkpoints/");
    const QString checkpoint = checkpointDir.startsWith(checkpointsOfRun) ? checkpointDir.mid(checkpointsOfRun.size())
                                                                           : QString(); // none, or another run's
    int64_t epoch = history.bestEpoch();
    if (checkpoint == QStringLiteral("last"))
        epoch = last.epoch;
    else if (checkpoint.startsWith(QStringLiteral("epoch-")))
        epoch = checkpoint.mid(6).toLongLong();
    const core::EpochEvent* event = &last;
    for (const auto& e : history.epochs)
        if (e.epoch == epoch)
            event = &e;
    const auto& shown = *event;
    // Once the checkpoint's own predictions are in, their metrics: those of the matrix below.
    const bool evaluated = m_evaluation && !checkpoint.isEmpty() && m_evaluatedCheckpoint == checkpointDir;
    const core::EvaluationMetrics& metrics = evaluated ? m_evaluation->metrics : shown.validation;
    QString where;
    if (checkpoint.isEmpty() || checkpoint == QStringLiteral("best"))
        where = tr("at the best epoch (%1 of %2)").arg(shown.epoch).arg(epochs);
    else if (checkpoint == QStringLiteral("last"))
        where = tr("for <i>last</i> (epoch %1 of %2)").arg(shown.epoch).arg(epochs);
    else
        where = tr("at epoch %1 of %2").arg(shown.epoch).arg(epochs);
    double elapsed = 0, samples = 0;
    for (const auto& e : history.epochs)
        elapsed += e.elapsedSeconds;
    for (const auto& s : history.steps)
        samples += s.samplesPerSecond;
    samples /= std::max<size_t>(1, history.steps.size());
    m_info->setText(tr("<b>%1</b>: accuracy <b>%2</b>, macro-F1 %3%4 %5; %6 elapsed, %7 examples/s")
                        .arg(m_runs[row].name.toHtmlEscaped(), formatPercent(metrics.accuracy, 2),
                             formatPercent(metrics.macroF1, 2),
                             metrics.rocAuc >= 0 ? tr(", ROC AUC %1").arg(QLocale().toString(metrics.rocAuc, 'f', 4)) : QString(),
                             where)
                        .arg(formatDuration(elapsed))
                        .arg(QLocale().toString(samples, 'f', 1)) +
                    skippedNote());
    if (!m_evaluation) {
        QStringList labels;
        for (const auto& name : history.labels)
            labels << toQString(name);
        m_matrix->setMatrix(shown.validation.confusion, labels);
    }
}

QString EvaluationView::infoText() const
{
    return m_info->text();
}

void EvaluationView::loadCheckpoints()
{
    const QString dir = currentRunDir();
    const QSignalBlocker blocker(m_checkpoints);
    m_checkpoints->clear();
    m_evaluation.reset();
    m_evaluatedCheckpoint.clear();
    m_evaluationFailed = false;
    if (dir != m_cellRunDir) { // another experiment: its cells are other cells
        m_cellTruth = m_cellPredicted = -1;
        m_cellRunDir.clear();
    }
    showExamples();
    if (dir.isEmpty() || m_studio->training()->isRunning())
        return;
    const QString checkpoints = dir + QStringLiteral("/checkpoints");
    for (const QString& name : {QStringLiteral("best"), QStringLiteral("last")})
        if (QFileInfo::exists(checkpoints + QLatin1Char('/') + name + QStringLiteral("/model.safetensors")))
            m_checkpoints->addItem(name == QStringLiteral("best") ? tr("best") : tr("last"), checkpoints + QLatin1Char('/') + name);
    QStringList epochs = QDir(checkpoints).entryList({QStringLiteral("epoch-*")}, QDir::Dirs);
    std::sort(epochs.begin(), epochs.end(), [](const QString& a, const QString& b) {
        return a.mid(6).toInt() < b.mid(6).toInt();
    });
    for (const QString& name : epochs)
        m_checkpoints->addItem(tr("epoch %1").arg(name.mid(6)), checkpoints + QLatin1Char('/') + name);
    updateExports();
    if (m_checkpoints->count() > 0)
        evaluateCheckpoint();
}

// Each export only when there is something to export: Export predictions asked for a file name and
// then refused ("No predictions yet"), and with no experiment Export chart saved empty charts.
void EvaluationView::updateExports()
{
    const bool shown = m_experiments->currentRow() >= 0;
    const bool checkpoint = !m_checkpoints->currentData().toString().isEmpty();
    m_exportChart->setEnabled(shown);
    m_exportPredictions->setEnabled(m_evaluation != nullptr);
    m_exportPredictions->setToolTip(m_evaluation ? tr("The validation subset's predictions as CSV, with each class's probability")
                                    : checkpoint ? tr("Once the checkpoint's validation predictions are in")
                                                 : tr("No checkpoint yet: train the experiment in the Modeling view"));
    m_exportCheckpoint->setEnabled(checkpoint);
    m_exportCheckpoint->setToolTip(checkpoint ? tr("A folder that Hugging Face transformers loads as it is")
                                              : tr("No checkpoint yet: train the experiment in the Modeling view"));
}

void EvaluationView::evaluateCheckpoint()
{
    const QString checkpoint = m_checkpoints->currentData().toString();
    const auto& config = m_studio->currentExperiment();
    if (checkpoint.isEmpty() || !config)
        return;
    // The examples listed must be this checkpoint's: until its predictions are in, none are.
    m_evaluation.reset();
    m_evaluationFailed = false;
    updateInfo(); // the headline and matrix of this checkpoint's epoch meanwhile
    if (m_watcher.isRunning()) { // evaluated when the running one ends
        m_pendingCheckpoint = checkpoint;
        if (checkpoint != m_evaluatedCheckpoint)
            *m_cancelEvaluation = true; // the running one is for another checkpoint
        showExamples();
        return;
    }
    m_busy->setValue(0);
    m_busy->setFormat(tr("Loading the checkpoint…"));
    m_busy->setVisible(true);
    m_busy->setToolTip(tr("Predicting the validation subset with %1").arg(checkpoint));
    m_predictionClock.invalidate();
    m_evaluatedCheckpoint = checkpoint;
    showExamples();
    m_cancelEvaluation = std::make_shared<std::atomic<bool>>(false);
    core::JobContext job;
    job.stopRequested = m_cancelEvaluation.get(); // kept alive by the task's copy below
    job.progress = [this](int64_t done, int64_t total) { // on the pool thread; the destructor waits for it
        QMetaObject::invokeMethod(
            this, [this, done, total] { onPredictionProgress(done, total); }, Qt::QueuedConnection);
    };
    m_watcher.setFuture(QtConcurrent::run([config = *config, dir = toStdString(checkpoint), job, cancel = m_cancelEvaluation] {
        auto evaluation =
            resultOrError<core::TextEvaluation>(dir, [&] { return core::evaluateValidationSubset(config, dir, job); });
        core::releaseComputeThreads(); // the pool thread stays; its OpenMP team would slow training
        return evaluation;
    }));
}

void EvaluationView::forgetProject()
{
    // Nothing of the previous project may stay: its runs, curves, matrix, examples, a pending evaluation.
    const QSignalBlocker blocker(m_experiments);
    m_experiments->clear();
    m_runDirs.clear();
    m_runs.clear();
    m_evaluation.reset();
    m_pendingCheckpoint.clear();
    m_discardRunningEvaluation = m_watcher.isRunning();
    *m_cancelEvaluation = true; // its result is thrown away
    m_cellTruth = m_cellPredicted = -1;
    m_cellRunDir.clear();
    reloadExperiments(); // lists no examples: showExamples() through loadCheckpoints()
}

void EvaluationView::onPredictionProgress(qint64 done, qint64 total)
{
    if (!m_busy->isVisible() || total <= 0)
        return; // a late report of an evaluation already over
    if (done == 0 || !m_predictionClock.isValid())
        m_predictionClock.start();
    m_busy->setValue(static_cast<int>(done * 100 / total));
    const double elapsed = static_cast<double>(m_predictionClock.elapsed()) / 1000.0;
    // The share done is the share of padded tokens, so time grows in proportion to it.
    if (done > 0 && done < total)
        m_busy->setFormat(tr("%p % · about %1 left")
                              .arg(formatDuration(elapsed * static_cast<double>(total - done) / static_cast<double>(done))));
    else
        m_busy->setFormat(tr("%p %"));
}

void EvaluationView::onEvaluated()
{
    m_busy->setVisible(false);
    if (std::exchange(m_discardRunningEvaluation, false)) { // a checkpoint of the previous project
        if (m_checkpoints->count() > 0)
            evaluateCheckpoint();
        return;
    }
    const auto result = m_watcher.result();
    if (!m_pendingCheckpoint.isEmpty()) {
        m_pendingCheckpoint.clear();
        evaluateCheckpoint();
        return;
    }
    if (!result->ok()) {
        m_evaluation.reset();
        m_evaluationFailed = true;
        showExamples();
        Q_EMIT m_studio->statusMessage(tr("Evaluation failed: %1").arg(ErrorText::text(result->error())));
        Q_EMIT evaluationFinished(false);
        return;
    }
    m_evaluation = std::make_shared<const core::TextEvaluation>(std::move(result->value()));
    QStringList labels;
    for (const auto& name : m_evaluation->labels)
        labels << toQString(name);
    m_matrix->setMatrix(m_evaluation->metrics.confusion, labels);
    updateInfo(); // the headline gives the same checkpoint's numbers
    showExamples(); // a cell clicked meanwhile gets its examples now
    Q_EMIT m_studio->statusMessage(tr("%1: accuracy %2 on %3 validation examples")
                                       .arg(m_checkpoints->currentText(), formatPercent(m_evaluation->metrics.accuracy, 2))
                                       .arg(m_evaluation->texts.size()));
    Q_EMIT evaluationFinished(true);
}

void EvaluationView::showCell(int truth, int predicted)
{
    m_cellTruth = truth;
    m_cellPredicted = predicted;
    m_cellRunDir = currentRunDir();
    showExamples();
}

QString EvaluationView::examplesCaption() const
{
    return m_examplesTitle->text();
}

void EvaluationView::showExamples()
{
    // Caption, table, the matrix's outline and the misclassified reviews are drawn here only, from the
    // same state, so they always agree.
    if (m_misclassified->evaluation() != m_evaluation)
        m_misclassified->setEvaluation(m_evaluation, m_evaluatedCheckpoint);
    m_examples->setSortingEnabled(false); // rows inserted into a sorted table land anywhere
    m_examples->setRowCount(0);
    const QStringList labels = m_evaluation ? QStringList() : m_matrix->labels();
    auto labelName = [&](int id) {
        return m_evaluation ? toQString(m_evaluation->labels[static_cast<size_t>(id)]) : labels.value(id);
    };
    const int classes = m_evaluation ? static_cast<int>(m_evaluation->labels.size()) : static_cast<int>(labels.size());
    if (m_cellTruth >= classes || m_cellPredicted >= classes)
        m_cellTruth = m_cellPredicted = -1; // not a cell of this matrix
    m_matrix->setHighlightedCell(m_cellTruth, m_cellPredicted);
    updateExports(); // they follow the same state
    if (m_cellTruth < 0 || m_cellPredicted < 0) {
        m_examplesTitle->setText(tr("Click a cell of the confusion matrix to list its validation examples."));
        m_examples->setSortingEnabled(true);
        return;
    }
    const QString truthName = labelName(m_cellTruth), predictedName = labelName(m_cellPredicted);
    if (!m_evaluation) {
        m_examplesTitle->setText(
            m_evaluationFailed
                ? tr("The examples labelled %1, predicted %2 cannot be listed: the checkpoint's predictions failed.")
                      .arg(truthName, predictedName)
                : tr("The examples labelled %1, predicted %2 are listed once the checkpoint's predictions are computed.")
                      .arg(truthName, predictedName));
        m_examples->setSortingEnabled(true);
        return;
    }
    const auto& e = *m_evaluation;
    int rows = 0;
    for (size_t i = 0; i < e.texts.size(); ++i) {
        if (e.truth[i] != m_cellTruth || e.predictions[i].labelId != m_cellPredicted)
            continue;
        m_examples->insertRow(rows);
        // On one line, elided by the table at the column's width; the tooltip has the whole review.
        auto* text = new QTableWidgetItem(toQString(e.texts[i]).left(kShownCharacters).simplified());
        text->setToolTip(reviewTooltip(toQString(e.texts[i])));
        m_examples->setItem(rows, 0, text);
        m_examples->setItem(rows, 1, new QTableWidgetItem(toQString(e.predictions[i].label)));
        const double probability = e.predictions[i].probabilities[static_cast<size_t>(m_cellPredicted)];
        m_examples->setItem(rows, 2, new NumberItem(formatPercent(probability), probability));
        ++rows;
    }
    m_examples->setSortingEnabled(true);
    m_examplesTitle->setText(tr("%1 examples labelled %2, predicted %3:").arg(rows).arg(truthName, predictedName));
}

bool EvaluationView::exportPredictions(const QString& file, QString* error) const
{
    if (!m_evaluation) {
        if (error)
            *error = tr("No predictions yet: choose a checkpoint and wait for its evaluation.");
        return false;
    }
    const auto& e = *m_evaluation;
    std::ofstream out(toStdString(file), std::ios::binary | std::ios::trunc);
    out << csvField("text") << "," << csvField("true_label") << "," << csvField("predicted_label");
    for (const auto& label : e.labels)
        out << "," << csvField("p_" + label);
    out << "\n";
    for (size_t i = 0; i < e.texts.size(); ++i) {
        out << csvField(e.texts[i]) << "," << csvField(e.labels[static_cast<size_t>(e.truth[i])]) << ","
            << csvField(e.predictions[i].label);
        for (float p : e.predictions[i].probabilities)
            out << "," << p;
        out << "\n";
    }
    if (!out.flush()) {
        if (error)
            *error = tr("%1 cannot be written.").arg(file);
        return false;
    }
    return true;
}

bool EvaluationView::exportCheckpoint(const QString& dir, QString* error) const
{
    const QString checkpoint = m_checkpoints->currentData().toString();
    if (checkpoint.isEmpty()) {
        if (error)
            *error = tr("This experiment has no checkpoint yet.");
        return false;
    }
    // Only into a new or empty folder or over an earlier export: never over the user's own files, nor
    // over a training checkpoint, whose state an export would lose. Said in an export's words: core's
    // refusal speaks of replacing a checkpoint.
    if (auto allowed = core::checkExportTarget(toStdString(dir)); !allowed) {
        if (error)
            *error = tr("%1 is a training checkpoint (it holds %2): an export would replace it without its training "
                        "state. Choose a new or empty folder.")
                         .arg(dir, toQString(allowed.error().field));
        return false;
    }
    if (auto replaceable = core::checkCheckpointTarget(toStdString(dir)); !replaceable) {
        if (error) {
            const auto& refusal = replaceable.error();
            if (refusal.code == core::ErrorCode::NotAFolder)
                *error = tr("%1 is a file: Fika exports into a new or empty folder; choose another name.").arg(dir);
            else if (refusal.code == core::ErrorCode::AlreadyExists && !refusal.field.empty())
                *error = tr("%1 is not empty (it holds %2): Fika exports only into an empty or new folder; choose another.")
                             .arg(dir, toQString(refusal.field));
            else if (refusal.code == core::ErrorCode::AlreadyExists)
                *error = tr("%1 is not empty: Fika exports only into an empty or new folder; choose another.").arg(dir);
            else
                *error = ErrorText::text(refusal);
        }
        return false;
    }
    // Loaded and written as fika-cli export does: a folder written under a temporary name and renamed
    // in one step, so an earlier export is never left half replaced.
    QGuiApplication::setOverrideCursor(Qt::WaitCursor);
    const core::Status exported = core::exportCheckpoint(toStdString(checkpoint), toStdString(dir));
    QGuiApplication::restoreOverrideCursor();
    if (!exported) {
        if (error)
            *error = ErrorText::text(exported.error());
        return false;
    }
    return true;
}

void EvaluationView::exportChartDialog()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Export chart"), QStringLiteral("loss.png"),
                                                      tr("PNG image (*.png);;SVG drawing (*.svg);;PDF (*.pdf)"));
    if (file.isEmpty())
        return;
    const QString base = file.left(file.lastIndexOf(QLatin1Char('.')));
    const QString suffix = file.mid(file.lastIndexOf(QLatin1Char('.')));
    const QStringList names = {QStringLiteral("-steps"), QStringLiteral("-epochs"), QStringLiteral("-accuracy")};
    bool ok = true;
    for (int i = 0; i < 3; ++i)
        ok = TrainingCharts::savePlot(m_charts->plots()[i], base + names[i] + suffix) && ok;
    ok = TrainingCharts::savePlot(m_matrix->plot(), base + QStringLiteral("-confusion") + suffix) && ok;
    if (!ok)
        QMessageBox::warning(this, tr("Export failed"), tr("%1 cannot be written.").arg(file));
}

void EvaluationView::exportPredictionsDialog()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Export predictions"), QStringLiteral("predictions.csv"),
                                                      tr("CSV (*.csv)"));
    QString error;
    if (!file.isEmpty() && !exportPredictions(file, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

// A path and a Browse button for where it goes rather than a folder chooser: the export belongs in
// a new folder, which a folder chooser cannot name ("Directory not found"). A refusal is shown in
// the dialog, which stays open for another name; a success is said in the status bar.
void EvaluationView::exportCheckpointDialog()
{
    const QString checkpoint = m_checkpoints->currentData().toString();
    if (checkpoint.isEmpty()) {
        QMessageBox::warning(this, tr("Export failed"), tr("This experiment has no checkpoint yet."));
        return;
    }
    if (m_exportParent.isEmpty())
        m_exportParent = QDir::homePath();
    const QString name = QFileInfo(currentRunDir()).fileName() + QLatin1Char('-') + QFileInfo(checkpoint).fileName();
    QDialog dialog(this);
    dialog.setObjectName(QStringLiteral("exportCheckpointDialog"));
    dialog.setWindowTitle(tr("Export checkpoint"));
    auto* layout = new QVBoxLayout(&dialog);
    auto* note = new QLabel(tr("Hugging Face transformers loads the folder as it is. A new folder is created; an "
                               "existing one must be empty."),
                            &dialog);
    note->setWordWrap(true);
    layout->addWidget(note);
    auto* row = new QHBoxLayout;
    auto* folder = new QLineEdit(QDir::toNativeSeparators(QDir(m_exportParent).filePath(name)), &dialog);
    folder->setMinimumWidth(folder->fontMetrics().averageCharWidth() * 60);
    auto* browse = new QPushButton(tr("Browse…"), &dialog);
    browse->setToolTip(tr("Choose the folder to export into; the new folder's name stays as typed"));
    row->addWidget(new QLabel(tr("Folder:"), &dialog));
    row->addWidget(folder, 1);
    row->addWidget(browse);
    layout->addLayout(row);
    auto* refusal = new QLabel(&dialog);
    refusal->setObjectName(QStringLiteral("exportRefusal"));
    refusal->setWordWrap(true);
    refusal->setStyleSheet(QStringLiteral("color:#c0392b"));
    refusal->setTextInteractionFlags(Qt::TextSelectableByMouse);
    refusal->setVisible(false);
    layout->addWidget(refusal);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    layout->addWidget(buttons);
    // "~/models/x" and a path relative to the home folder mean what they mean in a shell.
    auto chosen = [folder] {
        QString text = QDir::fromNativeSeparators(folder->text().trimmed());
        if (text == QStringLiteral("~") || text.startsWith(QStringLiteral("~/")))
            text = QDir::homePath() + text.mid(1);
        return text.isEmpty() ? QString() : QDir::cleanPath(QDir::home().absoluteFilePath(text));
    };
    connect(browse, &QPushButton::clicked, &dialog, [&] {
        const QString current = chosen();
        const QString parent = QFileDialog::getExistingDirectory(&dialog, tr("Export into which folder?"),
                                                                 current.isEmpty() ? m_exportParent : QFileInfo(current).path());
        if (!parent.isEmpty())
            folder->setText(QDir::toNativeSeparators(QDir(parent).filePath(current.isEmpty() ? name : QFileInfo(current).fileName())));
    });
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    QString exported;
    connect(buttons, &QDialogButtonBox::accepted, &dialog, [&] {
        const QString dir = chosen();
        QString error = tr("Give the folder a name.");
        if (dir.isEmpty() || !exportCheckpoint(dir, &error)) {
            refusal->setText(error);
            refusal->setVisible(true);
            dialog.adjustSize(); // a shown window does not grow for a wrapped label by itself
            return; // open for another name
        }
        exported = dir;
        dialog.accept();
    });
    if (dialog.exec() != QDialog::Accepted || exported.isEmpty())
        return;
    m_exportParent = QFileInfo(exported).path();
    Q_EMIT m_studio->statusMessage(tr("Exported to %1 (Hugging Face format)").arg(QDir::toNativeSeparators(exported)));
}

} // namespace fika::ui
