// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/training_controller.h"
#include "error_text.h"

#include "pool_work.h"
#include "qt_config.h"
#include "training/run_progress.h"
#include "runtime/runtime.h"
#include "train/trainer.h"

#include "training/metrics_follower.h"
#include "common/atomic_file.h"

#include <QPointer>
#include <QRegularExpression>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>

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

constexpr int kLastLines = 12;       // output lines shown with a failed run's error
constexpr int kStopWaitMs = 30000;  // a closing app waits this long for the workers' `last`

// A TCP port nobody listens on now, for the rendezvous (0 when none is found). Another program may
// take it before the launcher does; the run then fails saying so, and Run picks another.
int freeTcpPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_ANY);
    socklen_t length = sizeof(address);
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

} // namespace

TrainingController::TrainingController(QObject* parent) : QObject(parent) {}

TrainingController::~TrainingController()
{
    stop();
    join();
    // The workers save a resumable `last` on the launcher's SIGINT; QProcess kills what is left.
    if (m_process && m_process->state() != QProcess::NotRunning) {
        disconnect(m_process, nullptr, this, nullptr);
        m_process->waitForFinished(kStopWaitMs);
    }
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
    // As Ctrl-C on the launcher: it forwards SIGINT to every worker, which stop at the same batch.
    // Once: a second SIGINT kills the workers (closing the window while they save `last`, say).
    if (m_process && m_process->state() == QProcess::Running && !m_processStopRequested) {
        m_processStopRequested = true;
        ::kill(static_cast<pid_t>(m_process->processId()), SIGINT);
    }
}

bool TrainingController::startProcesses(const core::ExperimentConfig& config, bool resume, bool overwrite,
                                        const ProcessLaunch& launch)
{
    if (m_running)
        return false;
    join();
    m_runDir = toQString(config.output.dir);
    m_stop.reset();
    m_stoppedBeforeTraining = false;
    m_processStopRequested = false;
    m_processTrained = false;
    m_processOutput.clear();
    m_lastLines.clear();
    m_totalSteps = launch.totalSteps;
    m_running = true;
    Q_EMIT started(m_runDir);
    // The workers read the experiment from its file, written as the in-process run writes it.
    const std::string configFile = config.output.dir + "/config.yaml";
    if (auto written = core::writeFileAtomically(configFile, core::experimentConfigToYaml(config)); !written) {
        finishProcessRun(false, false, ErrorText::text(written.error()));
        return true;
    }
    const int port = launch.masterPort > 0 ? launch.masterPort : freeTcpPort();
    m_processArguments = {QStringLiteral("train"), QStringLiteral("--config"), toQString(configFile),
                          QStringLiteral("--nproc-per-node"), QString::number(launch.processes),
                          QStringLiteral("--master-port"), QString::number(port > 0 ? port : 29500)};
    if (resume)
        m_processArguments << QStringLiteral("--resume");
    if (overwrite)
        m_processArguments << QStringLiteral("--overwrite");

    // What is in metrics.jsonl already (the run being resumed) has been shown; a fresh run
    // truncates the file, which the follower reads from its start again.
    m_follower = new MetricsFollower(m_runDir, this);
    m_follower->poll();
    connect(m_follower, &MetricsFollower::stepRead, this, [this](core::StepEvent event) {
        m_processTrained = true;
        event.totalSteps = m_totalSteps;
        Q_EMIT stepped(event);
    });
    connect(m_follower, &MetricsFollower::epochRead, this, [this](const core::EpochEvent& event) {
        m_processTrained = true;
        Q_EMIT epochEnded(event);
    });

    delete m_process;
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &TrainingController::onProcessOutput);
    connect(m_process, &QProcess::finished, this, &TrainingController::onProcessFinished);
    connect(m_process, &QProcess::errorOccurred, this, &TrainingController::onProcessError);
    Q_EMIT message(QStringLiteral("%1 %2").arg(launch.cliPath, m_processArguments.join(QLatin1Char(' '))));
    m_process->start(launch.cliPath, m_processArguments);
    return true;
}

void TrainingController::onProcessOutput()
{
    m_processOutput += m_process->readAllStandardOutput();
    const qsizetype end = m_processOutput.lastIndexOf('\n');
    if (end < 0)
        return;
    const QByteArray complete = m_processOutput.left(end);
    m_processOutput.remove(0, end + 1);
    for (const QByteArray& bytes : complete.split('\n')) {
        const QString line = QString::fromUtf8(bytes).trimmed();
        if (line.isEmpty())
            continue;
        m_lastLines << line;
        if (m_lastLines.size() > kLastLines)
            m_lastLines.removeFirst();
        // Rank 0's progress and epoch lines: the view shows both from metrics.jsonl already.
        static const QRegularExpression progress(QStringLiteral("^epoch \\d+ step \\d+/\\d+ |^epoch \\d+/\\d+: training loss "));
        if (!progress.match(line).hasMatch())
            Q_EMIT message(line);
    }
}

void TrainingController::onProcessFinished(int exitCode, QProcess::ExitStatus status)
{
    if (!m_running)
        return;
    m_processOutput += '\n'; // a last line without its newline
    onProcessOutput();
    m_follower->poll(); // the records written just before the exit
    // 130: stopped as asked (SIGINT), `last` is resumable. A launcher killed by a signal before it
    // could forward one leaves its workers to stop the same way (they die with it on SIGINT).
    const bool stopped = exitCode == 130 || (m_processStopRequested && status == QProcess::CrashExit);
    if (status == QProcess::NormalExit && exitCode == 0)
        finishProcessRun(true, false, {});
    else if (stopped)
        finishProcessRun(true, true, {});
    else
        finishProcessRun(false, false,
                         (status == QProcess::CrashExit ? tr("fika-cli train ended abruptly (killed by a signal).")
                                                        : tr("fika-cli train failed (exit status %1).").arg(exitCode)) +
                             (m_lastLines.isEmpty() ? QString() : QStringLiteral("\n\n") + m_lastLines.join(QLatin1Char('\n'))));
}

void TrainingController::onProcessError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart || !m_running)
        return; // the others end in finished()
    finishProcessRun(false, false, tr("%1 cannot be started: %2").arg(m_process->program(), m_process->errorString()));
}

void TrainingController::finishProcessRun(bool ok, bool stopped, const QString& error)
{
    // The next run (in-process or resumed elsewhere) appends to the same file: not this run's steps.
    if (m_follower) {
        disconnect(m_follower, nullptr, this, nullptr);
        m_follower->deleteLater();
        m_follower = nullptr;
    }
    m_running = false;
    m_stoppedBeforeTraining = stopped && !m_processTrained;
    Q_EMIT finished(ok, stopped, error);
}

} // namespace fika::ui
