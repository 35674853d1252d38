// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "train/trainer.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <thread>

namespace fika::ui {

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
    void stop();
    bool isRunning() const { return m_running; }
    // The finished run was stopped before its first batch (an earlier run's checkpoints are untouched).
    bool stoppedBeforeTraining() const { return m_stoppedBeforeTraining; }
    QString runDir() const { return m_runDir; }

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

    std::thread m_thread;
    std::shared_ptr<std::atomic<bool>> m_stop;
    bool m_running = false;
    bool m_stoppedBeforeTraining = false;
    QString m_runDir;
};

} // namespace fika::ui
