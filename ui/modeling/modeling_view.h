// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "training/run_progress.h"

#include "runtime/runtime.h"
#include "train/estimates.h"
#include "train/trainer.h"

#include <QElapsedTimer>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace fika::ui {

class BlockChain;
class Studio;

// The current experiment's model as a chain of blocks, its training settings with inline advice,
// and Run / Stop / Resume with progress. Every change is saved to the experiment's config.yaml.
class ModelingView : public QWidget {
    Q_OBJECT
public:
    explicit ModelingView(Studio* studio, QWidget* parent = nullptr);

    QPushButton* runButton() const { return m_run; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* resumeButton() const { return m_resume; }
    QPushButton* newExperimentButton() const { return m_newExperiment; }
    // Processes on this computer: 1 trains inside Fika, more run fika-cli train --nproc-per-node.
    QSpinBox* processesBox() const { return m_processes; }
    QString processesProblem() const; // why the number of processes cannot run; empty when it can
    QPushButton* severalMachinesButton() const { return m_severalMachines; }
    // Where training runs (training.device): CPU, then one entry per GPU.
    QComboBox* deviceBox() const { return m_device; }
    QString deviceNote() const;    // why the choice is limited (no GPU) or how processes map to GPUs
    QString deviceProblem() const; // the experiment's device is not on this computer; empty when it is
    // The devices offered: core::computeDevices() unless given here (tests offer a fake GPU).
    void setComputeDevices(std::vector<core::ComputeDevice> devices);
    // fika-cli beside the running executable, or $FIKA_CLI when set.
    static QString fikaCliPath();
    QString warningsText() const;
    QString progressText() const;
    // Settings by key path (training.batch_size, training.epochs, training.learning_rate …).
    void setSetting(const QString& key, double value);

Q_SIGNALS:
    void newExperimentRequested();

private:
    void showExperiment();
    void applyPreset(int index);
    void settingsEdited();
    void updateAdvice();
    core::TrainingEstimate rawEstimate() const; // the formula's, before calibration
    void calibrateEstimate();
    void run(bool resume);
    void onStep(const core::StepEvent& event);
    void onValidation(const core::ValidationEvent& event);
    void onEpoch(const core::EpochEvent& event);
    void onFinished(bool ok, bool stopped, const QString& error);
    void updateButtons();
    int64_t finishedEpochs() const; // of the experiment's checkpoints/last; 0 when there is none
    void updateProcessesCheck();
    void fillDevices();
    void updateDeviceNote();
    const core::ComputeDevice* gpu(int index) const; // the index-th GPU, or null
    int gpuCount() const;
    bool deviceIsCuda() const;
    void showSeveralMachines();

    Studio* m_studio;
    bool m_loading = false;
    QLabel* m_title = nullptr;
    QPushButton* m_newExperiment = nullptr;
    QComboBox* m_preset = nullptr;
    BlockChain* m_blocks = nullptr;
    QWidget* m_settings = nullptr;
    QSpinBox* m_batchSize = nullptr;
    QSpinBox* m_epochs = nullptr;
    QDoubleSpinBox* m_learningRate = nullptr;
    QComboBox* m_schedule = nullptr;
    QDoubleSpinBox* m_warmup = nullptr;
    QDoubleSpinBox* m_weightDecay = nullptr;
    QSpinBox* m_seed = nullptr;
    QSpinBox* m_threads = nullptr;
    QComboBox* m_precision = nullptr;
    QSpinBox* m_processes = nullptr;
    QLabel* m_processesError = nullptr;
    std::vector<core::ComputeDevice> m_devices;
    QComboBox* m_device = nullptr;
    QLabel* m_deviceNote = nullptr;
    QLabel* m_deviceProblem = nullptr;
    QPushButton* m_severalMachines = nullptr;
    QLabel* m_advice = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_stop = nullptr;
    QPushButton* m_resume = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressText = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QString m_shownDir; // the experiment whose log and progress are shown
    QString m_stallWarning; // set when an epoch ends with the loss at chance and one class predicted
    EtaEstimator m_eta;     // the running training's pace and time left
    QElapsedTimer m_clock;
    double m_calibratedAt = -1; // when this run's measured pace last calibrated the estimate (m_clock seconds)
};

} // namespace fika::ui
