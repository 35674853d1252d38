// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli export as a user runs it: what it may replace, what it must leave alone, and that the
// folder it writes predicts exactly as the checkpoint it came from.
#include "test_support.h"

#include <QProcess>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>

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
