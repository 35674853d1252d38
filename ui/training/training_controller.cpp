// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/training_controller.h"
#include "error_text.h"

#include "pool_work.h"
#include "qt_config.h"
#include "training/run_progress.h"
#include "runtime/runtime.h"
#include "train/trainer.h"

#include <QPointer>

#include <chrono>

namespace fika::ui {
namespace {

// Forwards trainer events to the controller on the UI thread; never touches widgets itself.
class QueuedObserver : public core::TrainObserver {
public:
    explicit QueuedObserver(TrainingController* controller) : m_controller(controller) {}
    void onMessage(const std::string& text) override
    {
        post([text](TrainingController* c) { Q_EMIT c->message(toQString(text)); });
    }
    void onWarning(const core::Warning& warning) override
    {
        post([warning](TrainingController* c) { Q_EMIT c->message(ErrorText::warningText(warning)); });
    }
    void onStep(const core::StepEvent& event) override
    {
        post([event](TrainingController* c) { Q_EMIT c->stepped(event); });
    }
    void onValidation(const core::ValidationEvent& event) override
    {
        // One event per validation batch: a small model validates hundreds of batches a second.
        const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
        if (m_validationThrottle.pass(now, event.examples == 0 || event.examples >= event.total))
            post([event](TrainingController* c) { Q_EMIT c->validating(event); });
    }
    void onEpoch(const core::EpochEvent& event) override
    {
        post([event](TrainingController* c) { Q_EMIT c->epochEnded(event); });
    }

    template <typename F>
    void post(F&& f)
    {
        QPointer<TrainingController> target = m_controller;
        QMetaObject::invokeMethod(
            m_controller, [target, f = std::forward<F>(f)] {
                if (target)
                    f(target.data());
            },
            Qt::QueuedConnection);
    }

private:
    TrainingController* m_controller;
    ProgressThrottle m_validationThrottle{0.05};
};

} // namespace

TrainingController::TrainingController(QObject* parent) : QObject(parent) {}

TrainingController::~TrainingController()
{
    stop();
    join();
}

void TrainingController::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

bool TrainingController::start(const core::ExperimentConfig& config, bool resume, bool overwrite)
{
    if (m_running)
        return false;
    join();
    m_running = true;
    m_runDir = toQString(config.output.dir);
    m_stop = std::make_shared<std::atomic<bool>>(false);
    Q_EMIT started(m_runDir);
    m_thread = std::thread([this, config, resume, overwrite, stopFlag = m_stop] {
        QueuedObserver observer(this);
        core::TrainOptions options;
        options.resume = resume;
        options.overwrite = overwrite;
        options.stop = stopFlag.get();
        options.defaultVocab = core::bundledVocabPath();
        options.cacheDir = core::defaultEncodedCacheDir();
        // What training throws ends this run with a message, not the app (an exception leaving a
        // std::thread calls std::terminate).
        const auto summary = resultOrError<core::TrainSummary>(config.output.dir,
                                                               [&] { return core::train(config, observer, options); });
        const bool ok = summary->ok();
        const bool stopped = ok && summary->value().stopped;
        const bool nothingTrained = stopped && summary->value().batchLosses.empty() && summary->value().epochsCompleted == 0;
        const QString error = ok ? QString() : ErrorText::text(summary->error());
        observer.post([ok, stopped, nothingTrained, error](TrainingController* c) {
            c->m_running = false;
            c->m_stoppedBeforeTraining = nothingTrained;
            Q_EMIT c->finished(ok, stopped, error);
        });
    });
    return true;
}

void TrainingController::stop()
{
    if (m_stop)
        *m_stop = true;
}

} // namespace fika::ui
