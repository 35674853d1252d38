// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli export as a user runs it: what it may replace, what it must leave alone, and that the
// folder it writes predicts exactly as the checkpoint it came from.
#include "test_support.h"

#include "model/checkpoint_folder.h"

#include <QProcess>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runCli(const QStringList& args)
{
    QProcess process;
    process.start(QStringLiteral(FIKA_CLI_PATH), args);
    process.closeWriteChannel();
    process.waitForFinished(120000);
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

// Every file of a folder with its bytes.
std::map<std::string, std::string> snapshot(const std::string& dir)
{
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::directory_iterator(dir))
        files[entry.path().filename().string()] = fika::test::readBytes(entry.path().string());
    return files;
}

// The id of a process that has ended (a child, waited for), as a killed export's was.
pid_t deadPid()
{
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(0);
    ::waitpid(child, nullptr, 0);
    return child;
}

} // namespace

class TestExportCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/golden.json");
        m_exported = m_dir.filePath(QStringLiteral("export"));
        const Run run = exportTo(QString::fromStdString(fika::test::sharedPath("golden/tiny-bert")), m_exported,
                                 {QStringLiteral("--vocab"), QString::fromStdString(fika::test::bundledVocabPath()),
                                  QStringLiteral("--labels"), QStringLiteral("negative,positive")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }

    // An export predicts with the very probabilities of what it was exported from, and so does an
    // export written over an earlier one.
    void exportPredictsAsItsCheckpoint()
    {
        const QByteArray before = predict(m_exported);
        QVERIFY(!before.isEmpty());
        const QString again = m_dir.filePath(QStringLiteral("again"));
        QCOMPARE(exportTo(m_exported, again).exitCode, 0);
        QCOMPARE(predict(again), before);
        QCOMPARE(exportTo(m_exported, again).exitCode, 0); // over an earlier export
        QCOMPARE(predict(again), before);
        QCOMPARE(exportTo(again, again).exitCode, 0); // an export into its own folder
        QCOMPARE(predict(again), before);
    }

    // A training checkpoint holds what resuming and its report need (trainer_state.json,
    // optimizer.pt, metrics.json, experiment.yaml), which an export does not write: exporting over
    // it, its own folder included, is refused and leaves every file as it was.
    void exportNeverReplacesATrainingCheckpoint_data()
    {
        QTest::addColumn<bool>("ownFolder");
        QTest::newRow("another checkpoint's folder") << false;
        QTest::newRow("the checkpoint's own folder") << true;
    }

    void exportNeverReplacesATrainingCheckpoint()
    {
        QFETCH(bool, ownFolder);
        const QString checkpoint = m_dir.filePath(QStringLiteral("run-%1/best").arg(ownFolder));
        QCOMPARE(exportTo(m_exported, checkpoint).exitCode, 0);
        for (const char* name : {"trainer_state.json", "optimizer.pt", "metrics.json", "experiment.yaml"})
            fika::test::writeBytes(checkpoint.toStdString() + "/" + name, std::string("training state: ") + name);
        const auto before = snapshot(checkpoint.toStdString());
        const Run run = exportTo(ownFolder ? checkpoint : m_exported, checkpoint);
        QVERIFY2(run.exitCode != 0, "an export replaced a training checkpoint");
        QVERIFY2(run.err.contains("trainer_state.json"), run.err.constData());
        QVERIFY2(run.err.contains("training checkpoint"), run.err.constData());
        QVERIFY(snapshot(checkpoint.toStdString()) == before);

        // A trainer killed while replacing it left it moved aside: fika-cli export restores it first,
        // and then refuses it too.
        const fs::path aside = fs::path(checkpoint.toStdString()).parent_path() / (".best.old-" + std::to_string(deadPid()));
        fs::rename(checkpoint.toStdString(), aside);
        const Run afterKill = exportTo(ownFolder ? QString::fromStdString(aside.string()) : m_exported, checkpoint);
        QVERIFY2(afterKill.exitCode != 0, "an export replaced a training checkpoint moved aside");
        QVERIFY2(afterKill.err.contains("training checkpoint"), afterKill.err.constData());
        QVERIFY(snapshot(checkpoint.toStdString()) == before);
    }

    // A folder holding anything else is refused, and stays as it was.
    void exportRefusesAFolderWithOtherFiles()
    {
        const QString other = m_dir.filePath(QStringLiteral("other"));
        QVERIFY(QDir().mkpath(other));
        fika::test::writeBytes(other.toStdString() + "/notes.txt", "mine");
        const Run run = exportTo(m_exported, other);
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains("notes.txt"), run.err.constData());
        QVERIFY(snapshot(other.toStdString()) == (std::map<std::string, std::string>{{"notes.txt", "mine"}}));
    }

    // An export killed midway leaves its temporary `.X.tmp-PID` (as large as the model), and one killed
    // after replacing X leaves the replaced copy as `.X.old-PID`: the next export into X removes those
    // of ended processes, and touches nothing else: a running process's, another folder's, other names.
    void exportRemovesLeftoversOfAnInterruptedExport()
    {
        const std::string out = m_dir.filePath(QStringLiteral("leftovers")).toStdString();
        QCOMPARE(exportTo(m_exported, QString::fromStdString(out)).exitCode, 0);
        const std::string dead = std::to_string(deadPid());
        const std::string live = std::to_string(::getpid()); // this test outlives the fika-cli it starts
        const fs::path parent = fs::path(out).parent_path();
        const std::vector<std::string> removed = {".leftovers.tmp-" + dead, ".leftovers.old-" + dead};
        const std::vector<std::string> kept = {".leftovers.tmp-" + live, ".leftovers.old-" + live, ".leftovers.tmp-abc",
                                               ".leftovers.tmp-" + dead + "x", ".leftovers.tmp-", "leftovers.tmp-" + dead,
                                               ".leftovers2.tmp-" + dead, ".Leftovers.tmp-" + dead};
        for (const auto& name : removed)
            fika::test::writeBytes((parent / name / "model.safetensors").string(), "partial");
        for (const auto& name : kept)
            fika::test::writeBytes((parent / name / "model.safetensors").string(), "not this export's");
        const Run run = exportTo(m_exported, QString::fromStdString(out));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        for (const auto& name : removed)
            QVERIFY2(!fs::exists(parent / name), (name + " was left").c_str());
        for (const auto& name : kept)
            QVERIFY2(fika::test::readBytes((parent / name / "model.safetensors").string()) == "not this export's",
                     (name + " was touched").c_str());
        QVERIFY(!predict(QString::fromStdString(out)).isEmpty());
    }

    // Killed between moving the earlier export aside and renaming the new one in, an export leaves X
    // missing and `.X.old-PID` holding the earlier, complete export: the next export puts it back
    // first (so that it is there even when that export fails), unless its process is still running.
    void exportRestoresAnEarlierExportMovedAside()
    {
        const std::string out = m_dir.filePath(QStringLiteral("moved")).toStdString();
        QCOMPARE(exportTo(m_exported, QString::fromStdString(out)).exitCode, 0);
        const auto earlier = snapshot(out);
        const fs::path parent = fs::path(out).parent_path();
        const std::string missing = m_dir.filePath(QStringLiteral("no-such-checkpoint")).toStdString();

        const fs::path running = parent / (".moved.old-" + std::to_string(::getppid()));
        fs::rename(out, running);
        QVERIFY(!fika::core::exportCheckpoint(missing, out)); // the source cannot be loaded
        QVERIFY2(!fs::exists(out) && snapshot(running.string()) == earlier, "a running export's copy was taken");

        const fs::path aside = parent / (".moved.old-" + std::to_string(deadPid()));
        fs::rename(running, aside);
        QVERIFY(!fika::core::exportCheckpoint(missing, out));
        QVERIFY2(fs::exists(out) && snapshot(out) == earlier, "the earlier export was not restored");
        QVERIFY(!fs::exists(aside));

        fs::rename(out, aside); // and fika-cli export, which then writes over it
        const Run run = exportTo(m_exported, QString::fromStdString(out));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(!fs::exists(aside));
        QCOMPARE(predict(QString::fromStdString(out)), predict(m_exported));
    }

private:
    Run exportTo(const QString& checkpoint, const QString& out, const QStringList& extra = {})
    {
        return runCli(QStringList{QStringLiteral("export"), QStringLiteral("--checkpoint"), checkpoint, QStringLiteral("--out"), out} +
                      extra);
    }

    QByteArray predict(const QString& checkpoint)
    {
        const Run run = runCli({QStringLiteral("predict"), QStringLiteral("--checkpoint"), checkpoint, QStringLiteral("--json"),
                                QStringLiteral("A fine film with a dull middle."), QStringLiteral("Awful.")});
        return run.exitCode == 0 ? run.out : QByteArray();
    }

    QTemporaryDir m_dir;
    QString m_exported;
};

QTEST_GUILESS_MAIN(TestExportCli)
#include "tst_export_cli.moc"
