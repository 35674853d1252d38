// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "train/trainer.h"

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <thread>

namespace fika::ui {

class MetricsFollower;

// A run on several processes of this computer: fika-cli train's launcher starts them.
struct ProcessLaunch {
    QString cliPath;        // the fika-cli executable
    int processes = 2;      // --nproc-per-node
    int masterPort = 0;     // the rendezvous port; 0: a free one
    int64_t totalSteps = 0; // for the progress: metrics.jsonl does not say it
};

// Runs core::train on a worker thread and re-emits its events on the UI thread. The window never
// waits for training: events arrive as queued calls, Stop only sets a flag the trainer checks
// after each batch.
class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override; // stops and joins a running training

    // overwrite: replace an earlier run in the output folder (ask the user first).
    bool start(const core::ExperimentConfig& config, bool resume, bool overwrite = false);
    // The same run on launch.processes processes through `fika-cli train --nproc-per-node`: its
    // output lines arrive as messages, its steps and epochs from metrics.jsonl, and its exit status
    // says finished, stopped or failed. The config is written to <output.dir>/config.yaml first.
    bool startProcesses(const core::ExperimentConfig& config, bool resume, bool overwrite, const ProcessLaunch& launch);
    void stop();
    bool isRunning() const { return m_running; }
    // The finished run was stopped before its first batch (an earlier run's checkpoints are untouched).
    bool stoppedBeforeTraining() const { return m_stoppedBeforeTraining; }
    QString runDir() const { return m_runDir; }
    // The command line of the running (or last) run on several processes, for its log; empty otherwise.
    QStringList processArguments() const { return m_processArguments; }

Q_SIGNALS:
    void started(const QString& runDir);
    void message(const QString& text);
    void stepped(const fika::core::StepEvent& event);
    // Progress through the validation subset, at most ~20 times a second (always its start and end).
    void validating(const fika::core::ValidationEvent& event);
    void epochEnded(const fika::core::EpochEvent& event);
    // ok false: error holds a readable message. stopped: the user asked, `last` is resumable.
    void finished(bool ok, bool stopped, const QString& error);

private:
    void join();
    void onProcessOutput();
    void onProcessFinished(int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError error);
    void finishProcessRun(bool ok, bool stopped, const QString& error);

    std::thread m_thread;
    std::shared_ptr<std::atomic<bool>> m_stop;
    bool m_running = false;
    bool m_stoppedBeforeTraining = false;
    QString m_runDir;
    // A run on several processes: the launcher, and what follows its metrics.jsonl.
    QProcess* m_process = nullptr;
    MetricsFollower* m_follower = nullptr;
    QStringList m_processArguments;
    QByteArray m_processOutput; // a last line without its newline yet
    QStringList m_lastLines;    // the newest output lines, for the error of a failed run
    int64_t m_totalSteps = 0;
    bool m_processStopRequested = false;
    bool m_processTrained = false; // a step or an epoch was read
};

} // namespace fika::ui
