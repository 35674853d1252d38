// SPDX-License-Identifier: GPL-3.0-or-later
// Data-parallel training through fika-cli's launcher on loopback: 2 processes give what 1 process
// gives, dropout stays deterministic for a fixed world size, a killed worker stops the other with a
// message naming it and leaves a `last` that resumes on 1 process, and bad worlds are refused.
#include <torch/torch.h>

#include "distributed/world.h"
#include "model/checkpoint.h"
#include "tiny_training.h"

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <map>

using namespace fika::core;

namespace {

struct Run {
    int exitCode = -1;
    QString err;
};

// A TCP port nobody listens on right now (the kernel's choice), for one rendezvous.
int freePort()
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t size = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    close(fd);
    return ntohs(address.sin_port);
}

QStringList launcherArgs(int processes)
{
    if (processes == 1)
        return {};
    return {QStringLiteral("--nproc-per-node"), QString::number(processes), QStringLiteral("--master-port"),
            QString::number(freePort())};
}

Run train(const QString& config, const QStringList& extra, const QStringList& environment = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& assignment : environment)
        env.insert(assignment.section(QLatin1Char('='), 0, 0), assignment.section(QLatin1Char('='), 1));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(FIKA_CLI_PATH), QStringList{QStringLiteral("train"), QStringLiteral("--config"), config} + extra);
    process.waitForFinished(300000);
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardError())};
}

// The config of a 2-layer, 32-wide BERT on `rows` synthetic reviews, global batch 8.
QString writeConfig(const QTemporaryDir& dir, const QString& name, int rows, double dropout, int epochs)
{
    const std::string csv = dir.filePath(QStringLiteral("reviews.csv")).toStdString();
    fika::test::writeBytes(csv, fika::test::syntheticReviewsCsv(rows));
    ExperimentConfig c = fika::test::tinyTrainingConfig(csv, dir.filePath(name).toStdString());
    c.training.batchSize = 8;
    c.training.epochs = epochs;
    c.model.dropout = dropout;
    const QString path = dir.filePath(name + QStringLiteral(".yaml"));
    fika::test::writeBytes(path.toStdString(), experimentConfigToYaml(c));
    return path;
}

std::vector<double> stepLosses(const QString& runDir)
{
    std::vector<double> losses;
    std::ifstream in((runDir + QStringLiteral("/metrics.jsonl")).toStdString());
    for (std::string line; std::getline(in, line);) {
        const auto entry = nlohmann::json::parse(line);
        if (entry["type"] == "step")
            losses.push_back(entry["loss"].get<double>());
    }
    return losses;
}

std::map<std::string, torch::Tensor> weights(const QString& checkpoint)
{
    auto loaded = loadCheckpoint(checkpoint.toStdString());
    if (!loaded)
        qFatal("%s", loaded.error().message.c_str());
    std::map<std::string, torch::Tensor> out;
    for (const auto& item : loaded->model->named_parameters())
        out[item.key()] = item.value().detach().clone();
    return out;
}

double largestRelativeDifference(const std::vector<double>& a, const std::vector<double>& b)
{
    double worst = 0;
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]) / std::max(1e-12, std::abs(a[i])));
    return worst;
}

// The pid of the launcher's child whose environment says RANK=rank, or -1.
pid_t workerPid(qint64 launcher, int rank)
{
    std::ifstream children("/proc/" + std::to_string(launcher) + "/task/" + std::to_string(launcher) + "/children");
    for (pid_t pid; children >> pid;) {
        std::ifstream environ("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
        for (std::string variable; std::getline(environ, variable, '\0');)
            if (variable == "RANK=" + std::to_string(rank))
                return pid;
    }
    return -1;
}

// Two launches of one process each on loopback, as two machines would start them: node 0's
// arguments, then node 1's. A launch still running after two minutes is killed and reported.
std::pair<Run, Run> trainOnTwoNodes(const QString& config, const QStringList& node0, const QStringList& node1)
{
    const QStringList common{QStringLiteral("train"), QStringLiteral("--config"), config, QStringLiteral("--nnodes"),
                             QStringLiteral("2"), QStringLiteral("--master-port"), QString::number(freePort())};
    QProcess first, second;
    first.start(QStringLiteral(FIKA_CLI_PATH), common + QStringList{QStringLiteral("--node-rank"), QStringLiteral("0")} + node0);
    second.start(QStringLiteral(FIKA_CLI_PATH), common + QStringList{QStringLiteral("--node-rank"), QStringLiteral("1")} + node1);
    std::pair<Run, Run> runs;
    for (auto [process, run] : {std::pair{&first, &runs.first}, std::pair{&second, &runs.second}}) {
        const bool finished = process->waitForFinished(120000);
        if (!finished) { // the launcher's workers stop with it (PR_SET_PDEATHSIG)
            process->kill();
            process->waitForFinished();
        }
        run->exitCode = finished ? process->exitCode() : -1;
        run->err = (finished ? QString() : QStringLiteral("still running after 120 s\n")) + QString::fromUtf8(process->readAllStandardError());
    }
    return runs;
}

} // namespace

class TestDistributed : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void twoProcessesTrainAsOne()
    {
        QTemporaryDir dir;
        const QString one = writeConfig(dir, QStringLiteral("one"), 200, 0.0, 1); // 160 training rows: 20 steps of 8
        const Run single = train(one, {});
        QVERIFY2(single.exitCode == 0, qPrintable(single.err));
        const QString two = writeConfig(dir, QStringLiteral("two"), 200, 0.0, 1);
        const Run pair = train(two, launcherArgs(2));
        QVERIFY2(pair.exitCode == 0, qPrintable(pair.err));
        QVERIFY2(pair.err.contains(QStringLiteral("started 2 workers")), qPrintable(pair.err));

        const auto a = stepLosses(dir.filePath(QStringLiteral("one")));
        const auto b = stepLosses(dir.filePath(QStringLiteral("two")));
        QCOMPARE(a.size(), size_t(20));
        QCOMPARE(b.size(), a.size());
        const double lossDifference = largestRelativeDifference(a, b);
        qInfo("per-step loss, 2 processes against 1: largest relative difference %.3g", lossDifference);
        QVERIFY(lossDifference < 1e-5);

        const auto wa = weights(dir.filePath(QStringLiteral("one/checkpoints/last")));
        const auto wb = weights(dir.filePath(QStringLiteral("two/checkpoints/last")));
        // Relative to the value, with 1 as the floor: a key bias's gradient is zero (softmax does not
        // see it), so it stays at rounding noise where a ratio would mean nothing.
        double worst = 0;
        for (const auto& [name, tensor] : wa)
            worst = std::max(worst, ((tensor - wb.at(name)).abs() / tensor.abs().clamp_min(1.0)).max().item<double>());
        qInfo("final weights: largest difference %.3g (relative, floor 1)", worst);
        QVERIFY(worst < 1e-5);
        // Only rank 0 writes: one metrics file, one set of checkpoints, no second progress.
        QVERIFY(!pair.err.contains(QStringLiteral("[rank 1] epoch")));
    }

    void dropoutIsDeterministicForAWorldSize()
    {
        QTemporaryDir dir;
        std::vector<std::vector<double>> runs;
        for (const char* name : {"a", "b", "off"}) {
            const QString config = writeConfig(dir, QString::fromLatin1(name), 120, name == std::string("off") ? 0.0 : 0.1, 1);
            const Run run = train(config, launcherArgs(2));
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            runs.push_back(stepLosses(dir.filePath(QString::fromLatin1(name))));
        }
        QVERIFY(!runs[0].empty());
        QCOMPARE(runs[0], runs[1]);         // the same masks on the same ranks
        QVERIFY(runs[0] != runs[2]);        // and dropout was on
    }

    void aKilledWorkerStopsTheOtherAndTheRunResumesOnOneProcess()
    {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, QStringLiteral("run"), 4000, 0.1, 3); // 400 steps per epoch
        const QString runDir = dir.filePath(QStringLiteral("run"));
        QProcess launcher;
        launcher.start(QStringLiteral(FIKA_CLI_PATH), QStringList{QStringLiteral("train"), QStringLiteral("--config"), config} +
                                                          launcherArgs(2));
        QVERIFY(launcher.waitForStarted());
        // Mid-epoch 2: epoch 1's checkpoints are written and some steps of epoch 2 done.
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(runDir + QStringLiteral("/checkpoints/last/trainer_state.json")) &&
                                     stepLosses(runDir).size() > 420,
                                 240000);
        const pid_t victim = workerPid(launcher.processId(), 1);
        QVERIFY(victim > 0);
        QElapsedTimer sinceKill;
        sinceKill.start();
        QCOMPARE(::kill(victim, SIGKILL), 0);
        QVERIFY(launcher.waitForFinished(90000));
        const double seconds = static_cast<double>(sinceKill.elapsed()) / 1000.0;
        const QString err = QString::fromUtf8(launcher.readAllStandardError());
        qInfo("the surviving worker and the launcher stopped %.1f s after the kill", seconds);
        QVERIFY2(seconds < 60, qPrintable(err));
        QVERIFY(launcher.exitCode() != 0);
        QVERIFY2(err.contains(QStringLiteral("rank 1 (pid ")) && err.contains(QStringLiteral("was killed by signal 9")), qPrintable(err));
        // Rank 0 noticed by itself (not killed by the launcher) and named the dead rank.
        QVERIFY2(err.contains(QStringLiteral("rank 1 stopped")), qPrintable(err));
        QVERIFY2(!err.contains(QStringLiteral("did not stop within")), qPrintable(err));

        QVERIFY(loadCheckpoint((runDir + QStringLiteral("/checkpoints/last")).toStdString()).ok());
        const Run resumed = train(config, {QStringLiteral("--resume")});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY2(resumed.err.contains(QStringLiteral("resuming at epoch 2")), qPrintable(resumed.err));
        const auto state = nlohmann::json::parse(fika::test::readBytes((runDir + QStringLiteral("/checkpoints/last/trainer_state.json")).toStdString()));
        QCOMPARE(state["epoch"].get<int>(), 3);
    }

    void interruptingTheLauncherStopsEveryWorkerResumably()
    {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, QStringLiteral("run"), 2000, 0.1, 2);
        const QString runDir = dir.filePath(QStringLiteral("run"));
        QProcess launcher;
        launcher.start(QStringLiteral(FIKA_CLI_PATH), QStringList{QStringLiteral("train"), QStringLiteral("--config"), config} +
                                                          launcherArgs(2));
        QVERIFY(launcher.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(stepLosses(runDir).size() > 20, 120000);
        QCOMPARE(::kill(static_cast<pid_t>(launcher.processId()), SIGINT), 0); // as Ctrl-C, but to the launcher alone
        QVERIFY(launcher.waitForFinished(60000));
        const QString err = QString::fromUtf8(launcher.readAllStandardError());
        // 130: every worker stopped cleanly (one that crashed or failed would make it 1, named on stderr).
        QVERIFY2(launcher.exitCode() == 130, qPrintable(err.right(600)));
        const auto state =
            nlohmann::json::parse(fika::test::readBytes((runDir + QStringLiteral("/checkpoints/last/trainer_state.json")).toStdString()));
        const int stoppedAt = state["step"].get<int>();
        QVERIFY(stoppedAt > 20);
        const Run resumed = train(config, QStringList{QStringLiteral("--resume")} + launcherArgs(2));
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY2(resumed.err.contains(QStringLiteral("resuming at epoch 1, batch ") + QString::number(stoppedAt)), qPrintable(resumed.err));
    }

    // A worker that hangs (stopped here with SIGSTOP, as a peer machine that stops answering) keeps
    // the others in a collective, where Ctrl-C cannot reach their next batch: the launcher ignored
    // every further Ctrl-C and waited forever. A second Ctrl-C kills the workers; `last` stays.
    void aSecondInterruptKillsAHungRun()
    {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, QStringLiteral("run"), 2000, 0.0, 2);
        const QString runDir = dir.filePath(QStringLiteral("run"));
        QProcess launcher;
        launcher.start(QStringLiteral(FIKA_CLI_PATH), QStringList{QStringLiteral("train"), QStringLiteral("--config"), config} +
                                                          launcherArgs(2));
        QVERIFY(launcher.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(stepLosses(runDir).size() > 20, 120000);
        const pid_t hung = workerPid(launcher.processId(), 1);
        QVERIFY(hung > 0);
        QCOMPARE(::kill(hung, SIGSTOP), 0);
        const auto launcherPid = static_cast<pid_t>(launcher.processId());
        QCOMPARE(::kill(launcherPid, SIGINT), 0);
        QVERIFY(!launcher.waitForFinished(3000)); // rank 0 waits for rank 1 in the batch's all-reduce
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(::kill(launcherPid, SIGINT), 0);
        const bool finished = launcher.waitForFinished(20000);
        if (!finished) { // the workers follow the launcher (PR_SET_PDEATHSIG); the stopped one needs SIGKILL
            ::kill(hung, SIGKILL);
            launcher.kill();
            launcher.waitForFinished();
        }
        const QString err = QString::fromUtf8(launcher.readAllStandardError());
        QVERIFY2(finished, qPrintable(err.right(600)));
        qInfo("the launcher ended %.1f s after the second Ctrl-C", static_cast<double>(timer.elapsed()) / 1000.0);
        QCOMPARE(launcher.exitCode(), 130);
        QVERIFY2(err.contains(QStringLiteral("Ctrl-C again kills them at once")) && err.contains(QStringLiteral("killing the workers")),
                 qPrintable(err.right(600)));
        QTRY_VERIFY(::kill(hung, 0) != 0); // no worker is left behind
    }

    // Ctrl-C while node 0 waits for node 1 reaches the worker before it takes Ctrl-C as a stop: it was
    // 'rank 0 was killed by signal 2 (Interrupt)' and exit status 1, as if it had failed.
    void interruptDuringTheRendezvousIsAStop()
    {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, QStringLiteral("run"), 100, 0.0, 1);
        QProcess launcher;
        launcher.start(QStringLiteral(FIKA_CLI_PATH),
                       {QStringLiteral("train"), QStringLiteral("--config"), config, QStringLiteral("--nnodes"), QStringLiteral("2"),
                        QStringLiteral("--master-port"), QString::number(freePort())});
        QVERIFY(launcher.waitForStarted());
        pid_t worker = -1;
        QTRY_VERIFY((worker = workerPid(launcher.processId(), 0)) > 0);
        QTest::qWait(500);
        // As Ctrl-C in a terminal: the launcher and its worker at once.
        QCOMPARE(::kill(static_cast<pid_t>(launcher.processId()), SIGINT), 0);
        QCOMPARE(::kill(worker, SIGINT), 0);
        QVERIFY(launcher.waitForFinished(30000));
        const QString err = QString::fromUtf8(launcher.readAllStandardError());
        QVERIFY2(launcher.exitCode() == 130 && !err.contains(QStringLiteral("killed by signal")), qPrintable(err));
    }

    void aWorldThatCannotWorkIsRefused()
    {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, QStringLiteral("run"), 100, 0.0, 1);
        // 8 does not divide among 3 workers.
        const Run three = train(config, launcherArgs(3));
        QVERIFY(three.exitCode != 0);
        QVERIFY2(three.err.contains(QStringLiteral("training.batch_size 8 is the global batch and does not divide among 3 workers; use a multiple of 3 (6 or 9)")),
                 qPrintable(three.err));
        // Said once, by the launcher, before any worker starts (it was said by each of them).
        QCOMPARE(three.err.count(QStringLiteral("does not divide")), 1);
        QVERIFY2(!three.err.contains(QStringLiteral("started ")), qPrintable(three.err));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("run"))));
        // A worker whose peer never comes: the rendezvous says so in time.
        QElapsedTimer timer;
        timer.start();
        const Run alone = train(config, {QStringLiteral("--rendezvous-timeout"), QStringLiteral("2")},
                                {QStringLiteral("RANK=0"), QStringLiteral("WORLD_SIZE=2"), QStringLiteral("MASTER_PORT=") + QString::number(freePort())});
        QVERIFY(alone.exitCode != 0);
        QVERIFY2(alone.err.contains(QStringLiteral("timed out after 2 s: 1 of 2 workers arrived")), qPrintable(alone.err));
        QVERIFY(timer.elapsed() < 30000);
        const Run rank = train(config, {}, {QStringLiteral("RANK=2"), QStringLiteral("WORLD_SIZE=2")});
        QVERIFY(rank.exitCode != 0);
        QVERIFY2(rank.err.contains(QStringLiteral("RANK=2 is not below WORLD_SIZE=2")), qPrintable(rank.err));
    }

    // Two machines started with other settings or other data trained on silently (a mixture of two
    // datasets) or waited forever in collectives the other never reached (another batch size or
    // model): the workers compare the config, the data's checksum and the state resumed from.
    void workersThatDisagreeAreRefused()
    {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, QStringLiteral("run"), 100, 0.0, 1);
        const QString expected =
            QStringLiteral("the experiment config differs between the workers: training.batch_size: 8 on rank 0, "
                           "training.batch_size: 16 on rank 1; start every machine with the same config and --set options");
        const auto [batch0, batch1] = trainOnTwoNodes(config, {}, {QStringLiteral("--set"), QStringLiteral("training.batch_size=16")});
        QVERIFY2(batch0.exitCode == 1 && batch0.err.contains(expected), qPrintable(batch0.err));
        QVERIFY2(batch1.exitCode == 1 && batch1.err.contains(expected), qPrintable(batch1.err));

        const QString other = dir.filePath(QStringLiteral("other.csv"));
        fika::test::writeBytes(other.toStdString(), fika::test::syntheticReviewsCsv(120));
        const auto [data0, data1] = trainOnTwoNodes(config, {}, {QStringLiteral("--set"), QStringLiteral("data.csv=") + other});
        QVERIFY2(data0.exitCode == 1 && data0.err.contains(QStringLiteral("the data differs between the workers: SHA-256 ")),
                 qPrintable(data0.err));
        QVERIFY2(data1.err.contains(QStringLiteral("every machine needs a copy of the same data (this one read ") + other),
                 qPrintable(data1.err));

        // The same rows at another path and another thread count are the same run.
        const QString copy = dir.filePath(QStringLiteral("copy.csv"));
        QVERIFY(QFile::copy(dir.filePath(QStringLiteral("reviews.csv")), copy));
        const auto [same0, same1] = trainOnTwoNodes(
            config, {}, {QStringLiteral("--set"), QStringLiteral("data.csv=") + copy, QStringLiteral("--set"), QStringLiteral("training.threads=2")});
        QVERIFY2(same0.exitCode == 0, qPrintable(same0.err));
        QVERIFY2(same1.exitCode == 0, qPrintable(same1.err));

        // Node 1 resumes from a `last` one epoch ahead of rank 0's.
        const QString ahead = dir.filePath(QStringLiteral("ahead"));
        QVERIFY(train(config, {QStringLiteral("--set"), QStringLiteral("output.dir=") + ahead, QStringLiteral("--set"),
                               QStringLiteral("training.epochs=2")})
                    .exitCode == 0);
        const auto [resume0, resume1] =
            trainOnTwoNodes(config, {QStringLiteral("--resume"), QStringLiteral("--set"), QStringLiteral("training.epochs=2")},
                            {QStringLiteral("--resume"), QStringLiteral("--set"), QStringLiteral("training.epochs=2"), QStringLiteral("--set"),
                             QStringLiteral("output.dir=") + ahead});
        QVERIFY2(resume0.exitCode == 1 &&
                     resume0.err.contains(QStringLiteral("the checkpoint resumed from differs between the workers: step 10 (resuming at "
                                                         "epoch 2, batch 0) on rank 0, step 20 (resuming at epoch 3, batch 0) on rank 1")),
                 qPrintable(resume0.err));
    }

    // Mistakes of the rendezvous are named at once: which rank is missing, a rank started twice, a
    // port already in use, an address that does not resolve (which cost the whole timeout and ended
    // in "the client socket has timed out").
    void rendezvousMistakesAreNamed()
    {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, QStringLiteral("run"), 100, 0.0, 1);
        const QString port = QStringLiteral("MASTER_PORT=") + QString::number(freePort());
        const QStringList timeout{QStringLiteral("--rendezvous-timeout"), QStringLiteral("8")};
        auto worker = [&](QProcess& process, int rank) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("RANK"), QString::number(rank));
            env.insert(QStringLiteral("WORLD_SIZE"), QStringLiteral("3"));
            env.insert(QStringLiteral("MASTER_PORT"), port.section(QLatin1Char('='), 1));
            process.setProcessEnvironment(env);
            process.start(QStringLiteral(FIKA_CLI_PATH), QStringList{QStringLiteral("train"), QStringLiteral("--config"), config} + timeout);
            QVERIFY(process.waitForStarted());
        };
        // Ranks 0, 1 and 1 again of 3; a second rank 0 finds the port taken.
        QProcess rank0, rank1, again, second0;
        worker(rank0, 0);
        QTest::qWait(500);
        worker(rank1, 1);
        worker(again, 1);
        worker(second0, 0);
        for (QProcess* p : {&rank0, &rank1, &again, &second0})
            QVERIFY(p->waitForFinished(60000));
        const QString errors[] = {QString::fromUtf8(rank0.readAllStandardError()), QString::fromUtf8(rank1.readAllStandardError()),
                                  QString::fromUtf8(again.readAllStandardError()), QString::fromUtf8(second0.readAllStandardError())};
        QVERIFY2(errors[0].contains(QStringLiteral("timed out after 8 s: 2 of 3 workers arrived (missing: rank 2)")), qPrintable(errors[0]));
        const QString twice = QStringLiteral("two workers were started as rank 1; give each machine its own --node-rank");
        QVERIFY2(errors[1].contains(twice) != errors[2].contains(twice), qPrintable(errors[1] + errors[2]));
        QVERIFY2(errors[3].contains(QStringLiteral(" is in use here (by another program or run, or by a second rank 0: was "
                                                   "--node-rank 0 given twice?); choose another --master-port")),
                 qPrintable(errors[3]));

        QElapsedTimer timer;
        timer.start();
        const Run nowhere = train(config, {QStringLiteral("--rendezvous-timeout"), QStringLiteral("60")},
                                  {QStringLiteral("RANK=1"), QStringLiteral("WORLD_SIZE=2"), QStringLiteral("MASTER_ADDR=no-such-host.invalid")});
        QVERIFY(nowhere.exitCode != 0);
        QVERIFY2(nowhere.err.contains(QStringLiteral("the rendezvous address no-such-host.invalid does not resolve (")) &&
                     nowhere.err.contains(QStringLiteral("): give --master-addr (MASTER_ADDR) the name or IP address")),
                 qPrintable(nowhere.err));
        QVERIFY2(timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed())));
    }

    void worldFromTheEnvironment()
    {
        auto read = [](std::map<std::string, std::string> values) {
            return worldFromEnvironment([values = std::move(values)](const char* name) -> const char* {
                const auto it = values.find(name);
                return it == values.end() ? nullptr : it->second.c_str();
            });
        };
        QVERIFY(!read({}).value().distributed());
        const auto torchrun = read({{"RANK", "3"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"}, {"LOCAL_WORLD_SIZE", "2"},
                                    {"MASTER_ADDR", "node7"}, {"MASTER_PORT", "1234"}});
        QVERIFY(torchrun.ok());
        QCOMPARE(torchrun->rank, 3);
        QCOMPARE(torchrun->localRank, 1);
        QCOMPARE(torchrun->localWorldSize, 2);
        QCOMPARE(torchrun->masterAddr, std::string("node7"));
        QCOMPARE(torchrun->masterPort, 1234);
        const auto slurm = read({{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "8"}, {"SLURM_LOCALID", "1"},
                                 {"SLURM_NTASKS_PER_NODE", "2"}, {"MASTER_ADDR", "head"}});
        QVERIFY(slurm.ok());
        QCOMPARE(slurm->rank, 5);
        QCOMPARE(slurm->worldSize, 8);
        const auto noAddress = read({{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "8"}, {"SLURM_NTASKS_PER_NODE", "2"}});
        QVERIFY(!noAddress.ok());
        QCOMPARE(noAddress.error().field, std::string("MASTER_ADDR"));
        const auto notANumber = read({{"RANK", "one"}, {"WORLD_SIZE", "2"}});
        QVERIFY(!notANumber.ok());
        QVERIFY2(notANumber.error().message.find("RANK=one is not a whole number") != std::string::npos, notANumber.error().message.c_str());
        QVERIFY(!read({{"RANK", "0"}}).ok()); // WORLD_SIZE missing
        // RANK missing: each worker trained alone, all but one then refused by the run folder's lock.
        const auto noRank = read({{"WORLD_SIZE", "2"}, {"LOCAL_RANK", "0"}});
        QVERIFY(!noRank.ok());
        QCOMPARE(noRank.error().field, std::string("RANK"));
        QVERIFY2(noRank.error().message.find("WORLD_SIZE=2 is set but RANK is not") != std::string::npos, noRank.error().message.c_str());
        QVERIFY(!read({{"WORLD_SIZE", "1"}}).value().distributed());
        QVERIFY(!read({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "70000"}}).ok());
    }
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "tst_distributed.moc"
