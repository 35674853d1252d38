// SPDX-License-Identifier: GPL-3.0-or-later
#include "modeling/modeling_view.h"

#include "modeling/block_chain.h"
#include "modeling/several_machines_dialog.h"
#include "qt_config.h"
#include "studio.h"
#include "training/training_controller.h"
#include "ui_format.h"

#include "runtime/runtime.h"
#include "train/estimates.h"
#include "train/run_folder.h"
#include "train/trainer_state.h"

#include <QLocale>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QStandardItemModel>

#include "train/training_health.h"

#include <algorithm>
#include <filesystem>
#include <utility>

namespace fika::ui {
namespace {

const core::ConfigPreset kPresets[] = {core::ConfigPreset::Tutorial, core::ConfigPreset::Recommended,
                                       core::ConfigPreset::FromScratch};
constexpr int kCustomPreset = 3; // index of "Settings: custom" in the combo box
// Measured epoch time over the formula's on this machine: the formula knows the model and the data,
// not how fast (or how loaded) this machine is.
const auto kEpochTimeFactorKey = QStringLiteral("estimates/epoch_time_factor");

// A GPU's pace says nothing about the CPU's formula, nor the CPU's about a GPU's: one factor each.
QString epochTimeFactorKey(core::TrainingDevice device)
{
    return device == core::TrainingDevice::Cuda ? kEpochTimeFactorKey + QStringLiteral("_cuda") : kEpochTimeFactorKey;
}

// The preset whose training settings these are, or kCustomPreset once any was edited.
int presetIndex(const core::ExperimentConfig::Training& t)
{
    for (int i = 0; i < 3; ++i) {
        const auto p = core::presetConfig(kPresets[i]).training;
        if (t.batchSize == p.batchSize && t.epochs == p.epochs && t.learningRate == p.learningRate &&
            t.schedule == p.schedule && t.warmupRatio == p.warmupRatio && t.weightDecay == p.weightDecay)
            return i;
    }
    return kCustomPreset;
}

// Disk sizes: a tiny model's checkpoints are megabytes, which "0.0 GB" would hide.
QString diskSize(int64_t bytes)
{
    return bytes >= 1'000'000'000
               ? formatBytes(bytes)
               : ModelingView::tr("%1 MB").arg(QLocale().toString(static_cast<double>(bytes) / 1e6, 'f', 0));
}

} // namespace

ModelingView::ModelingView(Studio* studio, QWidget* parent) : QWidget(parent), m_studio(studio)
{
    auto* layout = new QVBoxLayout(this);
    auto* header = new QHBoxLayout;
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::RichText);
    m_title->setWordWrap(true);
    m_newExperiment = new QPushButton(tr("New experiment…"), this);
    m_newExperiment->setShortcut(QKeySequence(tr("Ctrl+E")));
    m_newExperiment->setToolTip(tr("Choose a dataset version, the BERT snippet and its initial weights (Ctrl+E)"));
    connect(m_newExperiment, &QPushButton::clicked, this, &ModelingView::newExperimentRequested);
    m_preset = new QComboBox(this);
    m_preset->addItem(tr("Settings: tutorial"));
    m_preset->addItem(tr("Settings: recommended"));
    m_preset->addItem(tr("Settings: from scratch"));
    m_preset->addItem(tr("Settings: custom"));
    // "Custom" only names edited settings; it is not a choice.
    qobject_cast<QStandardItemModel*>(m_preset->model())->item(kCustomPreset)->setEnabled(false);
    m_preset->setToolTip(tr("Tutorial: batch 6, 2 epochs, learning rate 0.000001, constant.\n"
                            "Recommended: learning rate 2e-5, 10 % warm-up then linear decay, weight decay 0.01.\n"
                            "From scratch (random weights): batch 32, 4 epochs, learning rate 5e-4, 10 % warm-up."));
    connect(m_preset, &QComboBox::activated, this, &ModelingView::applyPreset);
    header->addWidget(m_title, 1);
    header->addWidget(m_preset);
    header->addWidget(m_newExperiment);
    layout->addLayout(header);

    m_blocks = new BlockChain(this);
    connect(m_blocks, &BlockChain::encoderTrainableChanged, this, &ModelingView::settingsEdited);
    layout->addWidget(m_blocks);

    auto* settings = new QGroupBox(tr("Training settings"), this);
    m_settings = settings;
    auto* settingsLayout = new QVBoxLayout(settings);
    auto* columns = new QHBoxLayout;
    settingsLayout->addLayout(columns);
    auto* left = new QFormLayout;
    auto* right = new QFormLayout;
    columns->addLayout(left);
    columns->addSpacing(24);
    columns->addLayout(right);
    columns->addStretch(1);
    for (auto* form : {left, right})
        form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_batchSize = new QSpinBox(settings);
    m_batchSize->setRange(1, 4096);
    m_epochs = new QSpinBox(settings);
    m_epochs->setRange(1, 1000);
    m_learningRate = new QDoubleSpinBox(settings);
    m_learningRate->setDecimals(7);
    m_learningRate->setRange(0.0000001, 1.0);
    m_learningRate->setSingleStep(0.000001);
    m_schedule = new QComboBox(settings);
    m_schedule->addItem(tr("Constant"), QStringLiteral("constant"));
    m_schedule->addItem(tr("Linear warm-up, then linear decay"), QStringLiteral("linear"));
    m_warmup = new QDoubleSpinBox(settings);
    m_warmup->setRange(0, 100);
    m_warmup->setSuffix(QStringLiteral(" %"));
    m_weightDecay = new QDoubleSpinBox(settings);
    m_weightDecay->setDecimals(4);
    m_weightDecay->setRange(0, 1);
    m_weightDecay->setSingleStep(0.01);
    m_seed = new QSpinBox(settings);
    m_seed->setRange(0, 2147483647);
    m_threads = new QSpinBox(settings);
    m_threads->setRange(0, core::maxTrainingThreads()); // more threads than cores only contend
    m_threads->setSpecialValueText(tr("All cores"));
    m_precision = new QComboBox(settings);
    m_precision->addItem(tr("fp32"), QStringLiteral("fp32"));
    m_precision->addItem(tr("bf16 (mixed)"), QStringLiteral("bf16"));
    m_precision->setObjectName(QStringLiteral("trainingPrecision"));
    m_precision->setToolTip(tr("bf16 trains about 2.4× faster on CPUs with bf16 units, keeping float32 master "
                               "weights; the epoch estimate below counts it. fp32 is the exact choice."));
    left->addRow(tr("&Batch size:"), m_batchSize);
    left->addRow(tr("&Epochs:"), m_epochs);
    left->addRow(tr("&Learning rate:"), m_learningRate);
    left->addRow(tr("S&chedule:"), m_schedule);
    left->addRow(tr("&Warm-up:"), m_warmup);
    right->addRow(tr("Weight &decay:"), m_weightDecay);
    right->addRow(tr("&Seed:"), m_seed);
    right->addRow(tr("&Threads:"), m_threads);
    right->addRow(tr("&Precision:"), m_precision);
    // Where training runs: training.device cpu, or cuda (the GPU of the process's local rank).
    m_devices = core::computeDevices();
    m_device = new QComboBox(settings);
    m_device->setObjectName(QStringLiteral("trainingDevice"));
    // Wide enough for "GPU 0 — NVIDIA H200, 141 GB"; a longer name is elided in the box, whole in its list.
    m_device->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_device->setMinimumContentsLength(22);
    // Data-parallel training: not a config key but how this computer runs the experiment.
    m_processes = new QSpinBox(settings);
    m_processes->setRange(1, 64);
    m_processes->setObjectName(QStringLiteral("trainingProcesses"));
    m_processes->setToolTip(tr("1 trains inside Fika. More start fika-cli train with that many processes, which "
                               "share this computer's cores and each take an equal share of every batch."));
    m_severalMachines = new QPushButton(tr("Commands for several machines…"), settings);
    m_severalMachines->setToolTip(tr("The fika-cli commands that run this experiment on several machines"));
    auto* processesRow = new QHBoxLayout;
    processesRow->addWidget(m_processes);
    processesRow->addWidget(m_severalMachines);
    auto* processesLabel = new QLabel(tr("Processes on this c&omputer:"), settings); // Alt+C is Schedule's
    processesLabel->setBuddy(m_processes); // the form gives a layout's label none: "&c" showed as typed
    // Beside the processes (each takes a GPU): the left column's fields are the wider ones already.
    left->addRow(tr("Dev&ice:"), m_device);
    left->addRow(processesLabel, processesRow);
    // Under the field, the group's whole width: wrapped in the form's field column, its lines were
    // squeezed into the height of two (a nested layout does not ask a label its height for a width).
    m_processesError = new QLabel(settings);
    m_processesError->setWordWrap(true);
    m_processesError->setStyleSheet(QStringLiteral("color:#c0392b"));
    m_processesError->setVisible(false);
    settingsLayout->addWidget(m_processesError);
    // Under the columns, the whole width: beside the box it widened the view past a 1024-pixel screen.
    m_deviceNote = new QLabel(settings); // why the box is disabled, or which process takes which GPU
    m_deviceNote->setObjectName(QStringLiteral("deviceNote"));
    m_deviceNote->setWordWrap(true);
    m_deviceNote->setEnabled(false); // the palette's dimmed text: a remark, not a setting
    settingsLayout->addWidget(m_deviceNote);
    m_deviceProblem = new QLabel(settings); // as the processes' refusal
    m_deviceProblem->setObjectName(QStringLiteral("deviceProblem"));
    m_deviceProblem->setWordWrap(true);
    m_deviceProblem->setStyleSheet(QStringLiteral("color:#c0392b"));
    m_deviceProblem->setVisible(false);
    settingsLayout->addWidget(m_deviceProblem);
    layout->addWidget(settings);
    connect(m_processes, &QSpinBox::valueChanged, this, &ModelingView::updateProcessesCheck);
    connect(m_processes, &QSpinBox::valueChanged, this, &ModelingView::updateAdvice); // GPUs: per-process figures
    connect(m_batchSize, &QSpinBox::valueChanged, this, &ModelingView::updateProcessesCheck);
    connect(m_severalMachines, &QPushButton::clicked, this, &ModelingView::showSeveralMachines);
    for (auto* spin : {m_batchSize, m_epochs, m_seed, m_threads})
        connect(spin, &QSpinBox::valueChanged, this, &ModelingView::settingsEdited);
    for (auto* spin : {m_learningRate, m_warmup, m_weightDecay})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &ModelingView::settingsEdited);
    for (auto* combo : {m_schedule, m_precision, m_device})
        connect(combo, &QComboBox::currentIndexChanged, this, &ModelingView::settingsEdited);
    connect(m_device, &QComboBox::currentIndexChanged, this, &ModelingView::updateProcessesCheck);

    m_advice = new QLabel(this);
    m_advice->setWordWrap(true);
    m_advice->setTextFormat(Qt::RichText);
    layout->addWidget(m_advice);

    auto* runRow = new QHBoxLayout;
    m_run = new QPushButton(tr("&Run"), this);
    m_run->setToolTip(tr("Train from the initial weights (Alt+R or F5)"));
    // F5 beside the button's own Alt+R: setShortcut(F5) replaced the mnemonic the label underlines.
    auto* runKey = new QShortcut(QKeySequence(tr("F5")), this);
    connect(runKey, &QShortcut::activated, m_run, &QPushButton::animateClick);
    m_stop = new QPushButton(tr("S&top"), this);
    m_stop->setToolTip(tr("Stop after the current batch; the run can be resumed"));
    m_resume = new QPushButton(tr("Res&ume"), this);
    m_resume->setToolTip(tr("Continue the stopped run from its last checkpoint"));
    m_progress = new QProgressBar(this);
    m_progressText = new QLabel(this);
    m_progressText->setWordWrap(true); // under the bar: a long status must not widen the window
    runRow->addWidget(m_run);
    runRow->addWidget(m_stop);
    runRow->addWidget(m_resume);
    runRow->addWidget(m_progress, 1);
    layout->addLayout(runRow);
    layout->addWidget(m_progressText);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setMaximumHeight(180);
    m_log->setPlaceholderText(tr("Training messages appear here."));
    layout->addWidget(m_log);
    layout->addStretch(1);

    connect(m_run, &QPushButton::clicked, this, [this] { run(false); });
    connect(m_resume, &QPushButton::clicked, this, [this] { run(true); });
    connect(m_stop, &QPushButton::clicked, m_studio->training(), &TrainingController::stop);
    auto* training = m_studio->training();
    connect(training, &TrainingController::message, m_log, &QPlainTextEdit::appendPlainText);
    connect(training, &TrainingController::stepped, this, &ModelingView::onStep);
    connect(training, &TrainingController::validating, this, &ModelingView::onValidation);
    connect(training, &TrainingController::epochEnded, this, &ModelingView::onEpoch);
    connect(training, &TrainingController::finished, this, &ModelingView::onFinished);
    connect(m_studio, &Studio::currentExperimentChanged, this, &ModelingView::showExperiment);
    m_clock.start();
    showExperiment();
}

void ModelingView::showExperiment()
{
    const auto& config = m_studio->currentExperiment();
    // Another experiment (or project): the previous one's log and progress must not stay.
    const QString dir = config ? toQString(config->output.dir) : QString();
    if (dir != m_shownDir && !m_studio->training()->isRunning()) {
        m_log->clear();
        m_progress->setRange(0, 100);
        m_progress->setValue(0);
        m_progress->setFormat(QStringLiteral("%p%"));
        m_progressText->clear();
    }
    m_shownDir = dir;
    m_loading = true;
    if (!config) {
        m_title->setText(tr("<h2>Modeling</h2>No experiment yet: import a dataset, save a version, then click "
                            "<b>New experiment…</b>"));
    } else {
        const auto& c = *config;
        m_title->setText(tr("<h2>%1</h2>").arg(QFileInfo(toQString(c.output.dir)).fileName().toHtmlEscaped()));
        m_blocks->setEncoderTrainable(c.model.trainable);
        m_batchSize->setValue(static_cast<int>(c.training.batchSize));
        m_epochs->setValue(static_cast<int>(c.training.epochs));
        m_learningRate->setValue(c.training.learningRate);
        m_schedule->setCurrentIndex(std::max(0, m_schedule->findData(QString::fromUtf8(core::configName(c.training.schedule)))));
        m_warmup->setValue(c.training.warmupRatio * 100.0);
        m_weightDecay->setValue(c.training.weightDecay);
        m_seed->setValue(static_cast<int>(c.training.seed));
        m_threads->setValue(static_cast<int>(c.training.threads));
        m_precision->setCurrentIndex(std::max(0, m_precision->findData(QString::fromUtf8(core::configName(c.training.precision)))));
        m_preset->setCurrentIndex(presetIndex(c.training));
    }
    fillDevices();
    m_loading = false;
    updateProcessesCheck();
    m_stallWarning.clear();
    updateAdvice();
    updateButtons();
}

void ModelingView::applyPreset(int index)
{
    if (!m_studio->currentExperiment() || index < 0 || index >= kCustomPreset)
        return;
    const auto preset = core::presetConfig(kPresets[index]);
    auto config = *m_studio->currentExperiment();
    config.training = preset.training;
    QString error;
    if (!m_studio->saveExperimentConfig(config, &error))
        Q_EMIT m_studio->statusMessage(error);
    showExperiment();
}

void ModelingView::setSetting(const QString& key, double value)
{
    if (key == QStringLiteral("training.batch_size"))
        m_batchSize->setValue(static_cast<int>(value));
    else if (key == QStringLiteral("training.epochs"))
        m_epochs->setValue(static_cast<int>(value));
    else if (key == QStringLiteral("training.learning_rate"))
        m_learningRate->setValue(value);
    else if (key == QStringLiteral("training.threads"))
        m_threads->setValue(static_cast<int>(value));
}

void ModelingView::settingsEdited()
{
    if (m_loading || !m_studio->currentExperiment())
        return;
    auto config = *m_studio->currentExperiment();
    auto& t = config.training;
    config.model.trainable = m_blocks->encoderTrainable();
    t.batchSize = m_batchSize->value();
    t.epochs = m_epochs->value();
    t.learningRate = m_learningRate->value();
    t.schedule = core::parseConfigName<core::LrSchedule>(toStdString(m_schedule->currentData().toString())).value();
    t.warmupRatio = m_warmup->value() / 100.0;
    t.weightDecay = m_weightDecay->value();
    t.seed = static_cast<uint64_t>(m_seed->value());
    t.threads = m_threads->value();
    t.precision = core::parseConfigName<core::Precision>(toStdString(m_precision->currentData().toString())).value();
    t.device = deviceIsCuda() ? core::TrainingDevice::Cuda : core::TrainingDevice::Cpu;
    QString error;
    if (!m_studio->saveExperimentConfig(config, &error))
        Q_EMIT m_studio->statusMessage(error);
    m_preset->setCurrentIndex(presetIndex(t));
    updateAdvice();
    updateButtons(); // more epochs than the run has trained make it resumable
}

core::TrainingEstimate ModelingView::rawEstimate() const
{
    const auto& config = m_studio->currentExperiment();
    const auto info = m_studio->datasetInfo();
    const auto shape = core::experimentModelShape(*config, static_cast<size_t>(std::max<qsizetype>(2, info.classes.size())));
    const int threads = config->training.threads > 0 ? static_cast<int>(config->training.threads) : core::computeThreads();
    const int64_t examples = info.trainingCount > 0 ? info.trainingCount : 1000;
    // On GPUs each process holds its share of the batch on its own GPU and trains its share of the
    // examples (the all-reduce aside): the figures are one GPU's.
    const int processes = m_processes->value();
    if (config->training.device == core::TrainingDevice::Cuda && processes > 1) {
        auto perGpu = *config;
        perGpu.training.batchSize = std::max<int64_t>(1, config->training.batchSize / processes);
        return core::estimateTraining(shape, perGpu, (examples + processes - 1) / processes, threads);
    }
    return core::estimateTraining(shape, *config, examples, threads);
}

// The running training's measured pace against the formula, kept for the next estimates.
void ModelingView::calibrateEstimate()
{
    const double measured = m_eta.secondsPerStep() * static_cast<double>(m_eta.stepsPerEpoch());
    // The factor is one process's: several share the cores and the all-reduce, a pace of its own.
    if (!m_studio->currentExperiment() || measured <= 0 || m_studio->datasetInfo().trainingCount <= 0 ||
        m_processes->value() > 1)
        return;
    const double formula = rawEstimate().epochSeconds;
    if (formula > 0)
        QSettings().setValue(epochTimeFactorKey(m_studio->currentExperiment()->training.device),
                             std::clamp(measured / formula, 0.01, 100.0));
    updateAdvice();
}

void ModelingView::updateAdvice()
{
    const auto& config = m_studio->currentExperiment();
    if (!config) {
        m_advice->clear();
        return;
    }
    const auto info = m_studio->datasetInfo();
    const auto shape = core::experimentModelShape(*config, static_cast<size_t>(std::max<qsizetype>(2, info.classes.size())));
    m_blocks->setModel(shape, config->model.init == core::ModelInit::Pretrained, toQString(config->data.textColumn),
                       toQString(config->data.labelColumn), config->encoding.sequenceLength);
    const auto estimate = rawEstimate();
    bool calibrated = false;
    const double factor = QSettings().value(epochTimeFactorKey(config->training.device)).toDouble(&calibrated);
    calibrated = calibrated && factor > 0;
    // The memory that holds the run: the RAM, or the GPU's own (process 0's, local rank 0). None to
    // compare with when the experiment's GPU is not on this computer.
    const bool cuda = config->training.device == core::TrainingDevice::Cuda;
    const core::ComputeDevice* device = cuda ? gpu(0) : nullptr;
    const int64_t memory = !cuda ? core::physicalMemoryBytes() : device ? device->memoryBytes : 0;
    const int processes = m_processes->value();
    const QString where = !cuda           ? tr("the CPU")
                          : !device        ? tr("a GPU (none here)")
                          : processes > 1 ? tr("each of %1 GPUs (%2)").arg(processes).arg(toQString(device->name))
                                           : tr("GPU 0 (%1)").arg(toQString(device->name));
    QStringList lines;
    lines << tr("Estimated peak memory %1 on %2; an epoch takes about %3%4 (%5).")
                 .arg(memory > 0 ? tr("%1 of %2").arg(formatBytes(estimate.peakBytes), formatBytes(memory))
                                 : formatBytes(estimate.peakBytes),
                      where.toHtmlEscaped(), formatDuration(estimate.epochSeconds * (calibrated ? factor : 1.0)),
                      info.trainingCount > 0 ? tr(" for %1 training examples").arg(QLocale().toString(info.trainingCount))
                                             : tr(" per 1,000 training examples"),
                      calibrated ? tr("timed on this machine") : tr("a first guess until training has run here"));
    // Every epoch keeps a checkpoint: BERT-base for 4 epochs writes gigabytes, said before the run.
    const auto disk = core::estimateCheckpointDisk(shape, *config);
    const int64_t epochs = config->training.epochs;
    lines.last() += QLatin1Char(' ') +
                    (disk.epochsKept < epochs
                         ? tr("Checkpoints take about %1 on disk (the last %2 of %n epoch(s) kept, "
                              "training.keep_epoch_checkpoints).", nullptr, static_cast<int>(epochs))
                               .arg(diskSize(disk.keptBytes))
                               .arg(disk.epochsKept)
                         : tr("Checkpoints take about %1 on disk (%n epoch(s); training.keep_epoch_checkpoints limits it).",
                              nullptr, static_cast<int>(epochs))
                               .arg(diskSize(disk.keptBytes)));
    QStringList warnings;
    for (const auto& warning : core::trainingWarnings(*config, estimate, memory))
        warnings << toQString(warning);
    const QString runFolder = toQString(config->output.dir);
    if (const int64_t free = core::freeDiskBytes(config->output.dir); free >= 0 && disk.peakBytes > free)
        warnings << tr("The checkpoints need up to %1 on disk while the run writes them, and the disk of %2 has %3 free: "
                       "set training.keep_epoch_checkpoints (1 keeps only the newest epoch), fewer epochs, or free some "
                       "space.")
                        .arg(diskSize(disk.peakBytes), QDir::toNativeSeparators(runFolder), diskSize(free));
    for (const QString& warning : warnings)
        lines << QStringLiteral("<span style='color:#c0392b'>⚠ %1</span>").arg(warning.toHtmlEscaped());
    if (!m_stallWarning.isEmpty())
        lines << QStringLiteral("<span style='color:#c0392b'><b>⚠ %1</b></span>").arg(m_stallWarning.toHtmlEscaped());
    m_advice->setText(lines.join(QStringLiteral("<br>")));
}

QString ModelingView::warningsText() const
{
    return m_advice->text();
}

QString ModelingView::progressText() const
{
    return m_progressText->text();
}

void ModelingView::run(bool resume)
{
    const auto& config = m_studio->currentExperiment();
    if (!config)
        return;
    const int processes = m_processes->value();
    if (const QString problem = processesProblem(); !problem.isEmpty()) {
        m_progressText->setText(problem);
        return;
    }
    const QString cli = processes > 1 ? fikaCliPath() : QString();
    if (processes > 1 && !QFileInfo(cli).isExecutable()) {
        const QString missing = tr("fika-cli, which trains on several processes, is not at %1. Reinstall Fika, or train "
                                   "on 1 process.")
                                    .arg(QDir::toNativeSeparators(cli));
        m_progressText->setText(missing);
        QMessageBox::warning(this, tr("fika-cli is missing"), missing);
        return;
    }
    // The trainer refuses to replace an earlier run unasked: ask here, and tell it the answer.
    const bool hasResults = !core::earlierRunIn(config->output.dir).empty();
    if (!resume && hasResults &&
        QMessageBox::question(this, tr("Run again?"),
                              tr("This experiment has results. Running again replaces its checkpoints and curves.")) !=
            QMessageBox::Yes)
        return;
    if (resume && finishedEpochs() >= config->training.epochs) {
        m_progressText->setText(tr("The run finished all its epochs; raise Epochs to continue it"));
        return;
    }
    // A resumed run continues the shown one: its log (and a warning about it) stays.
    if (!resume) {
        m_log->clear();
        m_stallWarning.clear();
        updateAdvice();
    }
    m_progress->setValue(0);
    m_progressText->setText(tr("Preparing data and model…"));
    m_eta = EtaEstimator();
    m_calibratedAt = -1;
    const bool overwrite = !resume && hasResults;
    if (processes > 1) {
        ProcessLaunch launch;
        launch.cliPath = cli;
        launch.processes = processes;
        // The progress bar's end, as the trainer counts it (metrics.jsonl records only the steps).
        const auto& t = config->training;
        const int64_t examples = m_studio->datasetInfo().trainingCount;
        const int64_t batches = (examples + t.batchSize - 1) / t.batchSize;
        launch.totalSteps = (batches + t.gradientAccumulation - 1) / t.gradientAccumulation * t.epochs;
        m_progressText->setText(tr("Starting %1 processes…").arg(processes));
        m_studio->training()->startProcesses(*config, resume, overwrite, launch);
    } else {
        m_studio->training()->start(*config, resume, overwrite);
    }
    updateButtons();
}

void ModelingView::onStep(const core::StepEvent& event)
{
    const auto& config = m_studio->currentExperiment();
    const double now = m_clock.elapsed() / 1000.0;
    m_eta.stepReached(event.step, event.totalSteps, config ? config->training.epochs : 0, now);
    // From the first measured steps on, and again every few seconds as the measurement improves.
    if (m_eta.secondsPerStep() > 0 && (m_calibratedAt < 0 || now - m_calibratedAt >= 10)) {
        m_calibratedAt = now;
        calibrateEstimate();
    }
    m_progress->setRange(0, static_cast<int>(event.totalSteps));
    m_progress->setValue(static_cast<int>(event.step));
    m_progress->setFormat(QStringLiteral("%p%"));
    const QString text = tr("Epoch %1, step %2 of %3, loss %4, %5 examples/s, about %6 left")
                             .arg(event.epoch)
                             .arg(event.step)
                             .arg(event.totalSteps)
                             .arg(QLocale().toString(event.loss, 'f', 4))
                             .arg(QLocale().toString(event.samplesPerSecond, 'f', 1))
                             .arg(formatDuration(m_eta.secondsLeft(event.etaSeconds)));
    m_progressText->setText(text);
    Q_EMIT m_studio->statusMessage(text);
}

void ModelingView::onValidation(const core::ValidationEvent& event)
{
    m_eta.validating(event.epoch, event.examples, event.total, m_clock.elapsed() / 1000.0);
    // The bar runs through the validation subset: training at 100 % would look finished.
    m_progress->setRange(0, static_cast<int>(std::max<int64_t>(1, event.total)));
    m_progress->setValue(static_cast<int>(event.examples));
    const double fraction = event.total > 0 ? static_cast<double>(event.examples) / static_cast<double>(event.total) : 0;
    m_progress->setFormat(tr("Validating… %p%"));
    const auto& config = m_studio->currentExperiment();
    const QString text = tr("Validating… %1 (epoch %2 of %3, %4 of %5 examples), about %6 left")
                             .arg(formatPercent(fraction, 0))
                             .arg(event.epoch)
                             .arg(config ? config->training.epochs : event.epoch)
                             .arg(event.examples)
                             .arg(event.total)
                             .arg(formatDuration(m_eta.secondsLeft(0)));
    m_progressText->setText(text);
    Q_EMIT m_studio->statusMessage(text);
}

void ModelingView::onEpoch(const core::EpochEvent& event)
{
    m_eta.epochEnded(event.epoch, m_clock.elapsed() / 1000.0);
    calibrateEstimate(); // a whole epoch's pace is the better measurement
    // Loss at chance and one class for everything: say so now, not after hours of training.
    const auto health = core::checkStalledTraining(event.trainingLoss, event.validation.confusion);
    if (health.stalled) {
        // The run's own class names (the view's dataset may be another, or none yet).
        const auto dominant = static_cast<size_t>(health.dominantClass);
        const QString name = dominant < event.labels.size() ? toQString(event.labels[dominant]) : QString::number(health.dominantClass + 1);
        const auto& experiment = m_studio->currentExperiment();
        const bool random = experiment && experiment->model.init == core::ModelInit::Random;
        // From random weights at the from-scratch rate, what is missing is steps, not a higher rate.
        const bool fromScratchRate = random && experiment->training.learningRate >=
                                                   core::presetConfig(core::ConfigPreset::FromScratch).training.learningRate;
        m_stallWarning = tr("Epoch %1: the model is learning nothing. Its training loss %2 is still ln(%3) = %4, what "
                            "guessing scores, and it predicts “%5” for %6 of the validation texts. %7")
                             .arg(event.epoch)
                             .arg(QLocale().toString(event.trainingLoss, 'f', 3))
                             .arg(event.validation.confusion.classes())
                             .arg(QLocale().toString(health.chanceLoss, 'f', 3))
                             .arg(name, formatPercent(health.dominantShare))
                             .arg(fromScratchRate ? tr("From random weights a model needs many steps before it learns: let it "
                                                       "train on (the from-scratch preset runs 4 epochs), or give it more data.")
                                  : random ? tr("Random weights need a higher learning rate: stop, choose Settings: from "
                                                "scratch and run again.")
                                           : tr("Check the learning rate (2e-5 suits pretrained BERT) and the labels."));
        m_log->appendPlainText(m_stallWarning);
        Q_EMIT m_studio->statusMessage(m_stallWarning);
        updateAdvice();
    } else if (!m_stallWarning.isEmpty() && health.learning) {
        // The warning was true of an earlier epoch: it must not outlive the stall.
        m_stallWarning.clear();
        m_log->appendPlainText(tr("Epoch %1: the model learns now: validation accuracy %2, training loss %3 (guessing "
                                  "scores ln(%4) = %5).")
                                   .arg(event.epoch)
                                   .arg(formatPercent(event.validation.accuracy))
                                   .arg(QLocale().toString(event.trainingLoss, 'f', 3))
                                   .arg(event.validation.confusion.classes())
                                   .arg(QLocale().toString(health.chanceLoss, 'f', 3)));
        updateAdvice();
    }
    m_log->appendPlainText(tr("Epoch %1 of %2: training loss %3, validation loss %4, accuracy %5%6")
                               .arg(event.epoch)
                               .arg(event.epochs)
                               .arg(QLocale().toString(event.trainingLoss, 'f', 4))
                               .arg(QLocale().toString(event.validation.loss, 'f', 4))
                               .arg(QLocale().toString(event.validation.accuracy, 'f', 4))
                               .arg(event.best ? tr(" (best so far)") : QString()));
}

void ModelingView::onFinished(bool ok, bool stopped, const QString& error)
{
    if (!ok) {
        m_progressText->setText(tr("Training failed"));
        m_log->appendPlainText(error);
        QMessageBox::warning(this, tr("Training failed"), error);
    } else {
        m_progressText->setText(!stopped ? tr("Finished: see the Evaluation view")
                                : m_studio->training()->stoppedBeforeTraining()
                                    ? tr("Stopped before the first batch: nothing was trained")
                                    : tr("Stopped: Resume continues from the last checkpoint"));
        if (!stopped) {
            m_progress->setFormat(QStringLiteral("%p%"));
            m_progress->setValue(m_progress->maximum());
        }
    }
    Q_EMIT m_studio->statusMessage(m_progressText->text());
    updateButtons();
}

QString ModelingView::fikaCliPath()
{
    const QString configured = qEnvironmentVariable("FIKA_CLI");
    return !configured.isEmpty() ? configured : QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("fika-cli"));
}

QString ModelingView::processesProblem() const
{
    const int processes = m_processes->value(), batch = m_batchSize->value();
    if (batch % processes != 0)
        return tr("%1 processes cannot share a batch of %2 equally: choose a divisor of %2, or another batch size.")
            .arg(processes)
            .arg(batch);
    // Each process trains on the GPU of its local rank: no two share one.
    if (processes > 1 && deviceIsCuda() && processes > gpuCount())
        return tr("%1 processes on GPUs need %1 GPUs, one each (process i trains on GPU i); this computer has %2. "
                  "Choose at most %2 processes, or the CPU.")
            .arg(processes)
            .arg(gpuCount());
    return {};
}

void ModelingView::updateProcessesCheck()
{
    const QString problem = processesProblem();
    m_processesError->setText(problem);
    m_processesError->setVisible(!problem.isEmpty());
    updateDeviceNote();
    updateButtons();
}

void ModelingView::setComputeDevices(std::vector<core::ComputeDevice> devices)
{
    m_devices = std::move(devices);
    showExperiment();
}

const core::ComputeDevice* ModelingView::gpu(int index) const
{
    for (const auto& device : m_devices)
        if (device.id != "cpu" && index-- == 0)
            return &device;
    return nullptr;
}

int ModelingView::gpuCount() const
{
    return static_cast<int>(std::count_if(m_devices.begin(), m_devices.end(), [](const auto& d) { return d.id != "cpu"; }));
}

bool ModelingView::deviceIsCuda() const
{
    return m_device->currentData().toString() == QStringLiteral("cuda");
}

// CPU, then one entry per GPU: the first is the one training.device cuda means for one process; the
// others are shown (a process of local rank i takes GPU i) but not chosen, as the config names no
// index. An experiment set to cuda on a computer without GPU keeps its choice, shown as unavailable,
// so that the file changes only when the user picks the CPU.
void ModelingView::fillDevices()
{
    const bool wasLoading = std::exchange(m_loading, true);
    const auto& config = m_studio->currentExperiment();
    const bool configCuda = config && config->training.device == core::TrainingDevice::Cuda;
    m_device->clear();
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    auto* items = qobject_cast<QStandardItemModel*>(m_device->model());
    for (int i = 0; const core::ComputeDevice* g = gpu(i); ++i) {
        m_device->addItem(tr("GPU %1 — %2, %3 GB")
                              .arg(i)
                              .arg(toQString(g->name))
                              .arg(QLocale().toString(static_cast<double>(g->memoryBytes) / 1e9, 'f', 0)),
                          QStringLiteral("cuda"));
        if (i > 0) {
            items->item(i + 1)->setEnabled(false);
            items->item(i + 1)->setToolTip(tr("With %1 or more processes on this computer, process %2 trains on this GPU")
                                               .arg(i + 1)
                                               .arg(i));
        }
    }
    if (configCuda && gpuCount() == 0) {
        m_device->addItem(tr("GPU — not available here"), QStringLiteral("cuda"));
        items->item(1)->setEnabled(false); // kept while the file says cuda; not a choice to come back to
    }
    m_device->setCurrentIndex(configCuda ? 1 : 0);
    // Nothing to choose without a GPU, unless the experiment's own GPU is missing: then CPU is the way out.
    m_device->setEnabled(gpuCount() > 0 || configCuda);
    if (gpuCount() > 0)
        m_device->setToolTip(tr("Where training runs. With several processes on this computer, process i trains on GPU i."));
    else
        m_device->setToolTip(core::torchHasCuda()
                                 ? tr("No GPU found: this Fika's LibTorch has CUDA but sees no GPU (check the driver and "
                                      "CUDA_VISIBLE_DEVICES). Training runs on the CPU.")
                                 : tr("No GPU: this Fika's LibTorch was built without CUDA, so training runs on the CPU. "
                                      "A CUDA build of Fika lists the GPUs here."));
    m_loading = wasLoading;
    updateDeviceNote();
}

void ModelingView::updateDeviceNote()
{
    QString note;
    if (gpuCount() == 0 && !deviceIsCuda()) // with cuda chosen, the problem below says why
        note = core::torchHasCuda() ? tr("No GPU found: training runs on the CPU.")
                                    : tr("No GPU: this Fika's LibTorch was built without CUDA, so training runs on the CPU.");
    else if (deviceIsCuda() && m_processes->value() > 1 && m_processes->value() <= gpuCount())
        note = tr("Each process trains on its own GPU: GPUs 0–%1.").arg(m_processes->value() - 1);
    m_deviceNote->setText(note);
    m_deviceNote->setVisible(!note.isEmpty());
    QString problem;
    if (deviceIsCuda() && gpuCount() == 0)
        problem = tr("This experiment trains on a GPU (training.device: cuda), but %1. Its config.yaml keeps cuda until "
                     "you choose CPU here: Run as it is stops at once with an error.")
                      .arg(core::torchHasCuda() ? tr("no GPU is found on this computer")
                                                : tr("this Fika's LibTorch was built without CUDA"));
    m_deviceProblem->setText(problem);
    m_deviceProblem->setVisible(!problem.isEmpty());
}

QString ModelingView::deviceNote() const
{
    return m_deviceNote->text();
}

QString ModelingView::deviceProblem() const
{
    return m_deviceProblem->text();
}

void ModelingView::showSeveralMachines()
{
    const auto& config = m_studio->currentExperiment();
    if (!config)
        return;
    auto* dialog = new SeveralMachinesDialog(QDir::toNativeSeparators(toQString(config->output.dir + "/config.yaml")),
                                             m_processes->value(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

int64_t ModelingView::finishedEpochs() const
{
    const auto& config = m_studio->currentExperiment();
    if (!config)
        return 0;
    auto state = core::readTrainerState(config->output.dir + "/checkpoints/last/trainer_state.json");
    return state ? state->epoch : 0; // unreadable: let Resume try, and say why it cannot
}

void ModelingView::updateButtons()
{
    const bool running = m_studio->training()->isRunning();
    const auto& config = m_studio->currentExperiment();
    const bool processesFit = processesProblem().isEmpty();
    m_run->setEnabled(config && !running && processesFit);
    m_stop->setEnabled(running);
    const bool hasLast = config && std::filesystem::exists(config->output.dir + "/checkpoints/last");
    // A run that trained all its epochs has nothing left to resume until Epochs is raised.
    const bool allEpochsDone = hasLast && finishedEpochs() >= config->training.epochs;
    m_resume->setEnabled(config && !running && processesFit && hasLast && !allEpochsDone);
    m_resume->setToolTip(allEpochsDone ? tr("The run finished all its epochs; raise Epochs to continue it")
                                       : tr("Continue the stopped run from its last checkpoint"));
    m_newExperiment->setEnabled(!running);
    m_preset->setEnabled(config && !running);
    // A run keeps the settings it started with (its config.yaml); edit them between runs.
    m_settings->setEnabled(config && !running);
    m_blocks->setEnabled(config && !running);
}

} // namespace fika::ui
