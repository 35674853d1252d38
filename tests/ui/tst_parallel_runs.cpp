// SPDX-License-Identifier: GPL-3.0-or-later
// Runs on several processes, as the app shows them: the Evaluation view follows metrics.jsonl as a
// trainer outside the app appends to it (half lines, bad lines, a truncated or replaced file), and
// the Modeling view runs an experiment on N local processes through fika-cli and shows the commands
// for several machines.
#include "ui_test_support.h"

#include "evaluation/evaluation_view.h"
#include "evaluation/training_charts.h"
#include "language.h"
#include "main_window.h"
#include "modeling/modeling_view.h"
#include "modeling/several_machines_dialog.h"
#include "studio.h"
#include "training/metrics_follower.h"
#include "training/training_controller.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace fika::ui;

namespace {

QByteArray stepLine(int step, double loss)
{
    return QStringLiteral(R"({"type":"step","step":%1,"epoch":1,"loss":%2,"learning_rate":0.001,"grad_norm":1.5,"samples_per_s":%3})")
               .arg(step)
               .arg(loss)
               .arg(100 + step)
               .toUtf8() +
           '\n';
}

QByteArray epochLine(int epoch, double accuracy)
{
    return QStringLiteral(R"({"type":"epoch","metrics":{"epoch":%1,"epochs":3,"training_loss":0.6,"elapsed_seconds":2.5,)"
                          R"("best":true,"loss":0.55,"accuracy":%2,"macro_f1":0.7,"labels":["negative","positive"],)"
                          R"("confusion_matrix":[[3,1],[1,3]],"per_class":{"negative":{"precision":0.75,"recall":0.75,)"
                          R"("f1":0.75,"support":4},"positive":{"precision":0.75,"recall":0.75,"f1":0.75,"support":4}}}})")
               .arg(epoch)
               .arg(accuracy)
               .toUtf8() +
           '\n';
}

bool append(const QString& file, const QByteArray& bytes)
{
    QFile f(file);
    return f.open(QIODevice::WriteOnly | QIODevice::Append) && f.write(bytes) == bytes.size();
}

// Truncates in place (the same inode), as a fresh fika-cli run with --overwrite does.
bool rewrite(const QString& file, const QByteArray& bytes)
{
    QFile f(file);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// Clicks the button starting with `prefix` of the next message box (Run's "Run again?").
void answerNextMessageBox(const QString& prefix)
{
    auto* poll = new QTimer;
    auto tries = std::make_shared<int>(0);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, prefix, tries] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget()))
            for (auto* button : box->buttons())
                if (button->text().remove(QLatin1Char('&')).startsWith(prefix)) {
                    poll->deleteLater();
                    button->click();
                    return;
                }
        if (++*tries > 400)
            poll->deleteLater();
    });
    poll->start(25);
}

// Saves a picture of `widget` into $FIKA_PARALLEL_SHOTS when set (run under xvfb to look at them).
void shoot(QWidget* widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("FIKA_PARALLEL_SHOTS");
    if (dir.isEmpty() || !QDir().mkpath(dir))
        return;
    QTest::qWait(200); // the layout of a view just shown settles first
    widget->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

QString logText(ModelingView* view)
{
    auto* log = view->findChild<QPlainTextEdit*>();
    return log ? log->toPlainText() : QString();
}

} // namespace

class TestParallelRuns : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // FIKA_PARALLEL_LANG=sv with FIKA_PARALLEL_SHOTS: the screenshots in Swedish, ~30 % longer.
        if (const QString language = qEnvironmentVariable("FIKA_PARALLEL_LANG"); !language.isEmpty())
            applyLanguage(language);
        m_window = fika::test::tinyExperimentWindow(m_dir, QStringLiteral("parallel"), 64, 2);
        QVERIFY(m_window);
        m_runDir = QString::fromStdString(m_window->studio()->currentExperiment()->output.dir);
    }

    // Item 1: a trainer outside the app appends to metrics.jsonl in pieces; the charts follow, a
    // half-written line waits for its end, a bad line is skipped, and a truncated or replaced file
    // (a fresh --overwrite run) is drawn from its start.
    void evaluationFollowsMetricsFile()
    {
        m_window->showSection(MainWindow::EvaluationSection);
        auto* view = m_window->evaluationView();
        auto* charts = view->charts();
        const QString file = QDir(m_runDir).filePath(QStringLiteral("metrics.jsonl"));
        QFile::remove(file);
        QTRY_VERIFY(view->follower(m_runDir) != nullptr);
        QTRY_VERIFY(charts->graphPoints(0, 0) <= 0);

        // Two lines and half of a third: two points; the half line is not read as a bad line.
        const QByteArray third = stepLine(30, 0.5);
        QVERIFY(append(file, stepLine(10, 0.7) + stepLine(20, 0.6) + third.left(25)));
        QTRY_COMPARE(charts->graphPoints(0, 0), 2);
        QTest::qWait(300);
        QCOMPARE(charts->graphPoints(0, 0), 2);
        QCOMPARE(view->follower(m_runDir)->skippedLines(), 0);
        QVERIFY(append(file, third.mid(25)));
        QTRY_COMPARE(charts->graphPoints(0, 0), 3);

        // A bad line and a record without a needed key are skipped; the next good one is drawn.
        QVERIFY(append(file, QByteArray("{\"type\":\"step\",\"loss\n") + QByteArray("{\"type\":\"step\",\"step\":35}\n") +
                                 stepLine(40, 0.45)));
        QTRY_COMPARE(charts->graphPoints(0, 0), 4);
        QCOMPARE(view->follower(m_runDir)->skippedLines(), 2);
        QVERIFY2(view->follower(m_runDir)->firstSkipped().contains(QStringLiteral("line 4")),
                 qPrintable(view->follower(m_runDir)->firstSkipped()));
        QTRY_VERIFY2(view->infoText().contains(QStringLiteral("left out, as they cannot be read: 2.")),
                     qPrintable(view->infoText()));

        // An epoch: the epoch charts and the run's numbers.
        QVERIFY(append(file, epochLine(1, 0.8125)));
        QTRY_COMPARE(charts->graphPoints(1, 0), 1);
        QCOMPARE(charts->graphPoints(2, 0), 1);
        QTRY_VERIFY2(view->infoText().contains(QStringLiteral("81.25")), qPrintable(view->infoText()));
        shoot(m_window.get(), QStringLiteral("0-evaluation-following"));

        // Truncated to less than was read: the new run's one step, no epoch.
        QVERIFY(rewrite(file, stepLine(10, 0.9)));
        QTRY_COMPARE(charts->graphPoints(0, 0), 1);
        QCOMPARE(charts->graphPoints(1, 0), 0);
        QTRY_VERIFY2(view->infoText().contains(QStringLiteral("no epoch")), qPrintable(view->infoText()));
        QVERIFY(!view->infoText().contains(QStringLiteral("cannot be read"))); // the new run has no bad line

        // Truncated and rewritten past where the view had read before it looked: its first line differs.
        QByteArray longer;
        for (int step = 10; step <= 80; step += 10)
            longer += stepLine(step, 0.8 - step / 1000.0);
        QVERIFY(rewrite(file, longer));
        QTRY_COMPARE(charts->graphPoints(0, 0), 8);
        QCOMPARE(charts->graphPoints(0, 0), 8);

        // Replaced by another file (a new inode): read from its start.
        const QString replacement = file + QStringLiteral(".new");
        QVERIFY(rewrite(replacement, stepLine(10, 0.3) + stepLine(20, 0.2) + epochLine(1, 0.9)));
        QVERIFY(QFile::remove(file));
        QVERIFY(QFile::rename(replacement, file));
        QTRY_COMPARE(charts->graphPoints(0, 0), 2);
        QCOMPARE(charts->graphPoints(1, 0), 1);

        // Removed: no curves.
        QVERIFY(QFile::remove(file));
        QTRY_COMPARE(charts->graphPoints(0, 0), 0);
    }

    // Item 1: the follower alone, without a watcher's help (the timer): a resumed run's repeated
    // steps replace the earlier ones instead of doubling them.
    void followerReplacesRepeatedSteps()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("metrics.jsonl"));
        MetricsFollower follower(dir.path(), nullptr, 50);
        QVERIFY(!follower.poll());
        QVERIFY(append(file, stepLine(10, 0.7) + stepLine(20, 0.6) + stepLine(30, 0.5)));
        QVERIFY(follower.poll());
        QCOMPARE(follower.history().steps.size(), size_t(3));
        QVERIFY(append(file, stepLine(20, 0.65))); // resumed from step 10
        QSignalSpy changed(&follower, &MetricsFollower::changed);
        QVERIFY(changed.wait(2000));
        QCOMPARE(follower.history().steps.size(), size_t(2));
        QCOMPARE(follower.history().steps.back().loss, 0.65);
        QVERIFY(!follower.poll()); // nothing new
    }

    // Item 1: fika-cli started outside the app into the experiment's folder: the Evaluation view
    // draws its curves as they are written and lists its checkpoints once its last epoch is in.
    void commandLineRunIsFollowed()
    {
        m_window->showSection(MainWindow::EvaluationSection);
        auto* view = m_window->evaluationView();
        QTRY_VERIFY(view->follower(m_runDir) != nullptr);
        QCOMPARE(view->checkpointSelector()->count(), 0);
        QProcess cli;
        cli.setProcessChannelMode(QProcess::ForwardedChannels);
        cli.start(QStringLiteral(FIKA_CLI_PATH),
                  {QStringLiteral("train"), QStringLiteral("--config"), QDir(m_runDir).filePath(QStringLiteral("config.yaml")),
                   QStringLiteral("--set"), QStringLiteral("training.log_every_steps=1"), QStringLiteral("--overwrite"),
                   QStringLiteral("--nproc-per-node"), QStringLiteral("2")});
        QVERIFY(cli.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(view->charts()->graphPoints(0, 0) > 0 || cli.state() == QProcess::NotRunning, 120000);
        QVERIFY(cli.waitForFinished(300000));
        QCOMPARE(cli.exitCode(), 0);
        QTRY_COMPARE(view->charts()->graphPoints(0, 0), 8); // 51 examples in batches of 16, 2 epochs
        QCOMPARE(view->charts()->graphPoints(1, 0), 2);
        QTRY_VERIFY(view->checkpointSelector()->count() >= 2); // best, last and the epochs
        QVERIFY2(view->infoText().contains(QStringLiteral("(2 of 2)")), qPrintable(view->infoText()));
    }

    // Item 2: a number of processes that does not divide the batch is refused beside the field,
    // before anything starts.
    void processesMustDivideTheBatch()
    {
        auto* modeling = m_window->modelingView();
        m_window->showSection(MainWindow::ModelingSection);
        QCOMPARE(modeling->processesBox()->value(), 1); // in-process training, as before
        shoot(m_window.get(), QStringLiteral("1-modeling"));
        QCOMPARE(m_window->studio()->currentExperiment()->training.batchSize, int64_t(16));
        modeling->processesBox()->setValue(3);
        shoot(m_window.get(), QStringLiteral("1b-processes-refused"));
        const QString problem = modeling->processesProblem();
        QVERIFY2(problem.contains(QStringLiteral("3 processes")) && problem.contains(QStringLiteral("16")), qPrintable(problem));
        QLabel* shown = nullptr;
        for (auto* label : modeling->findChildren<QLabel*>())
            if (label->text() == problem)
                shown = label;
        QVERIFY(shown && shown->isVisible());
        QVERIFY(!modeling->runButton()->isEnabled());
        modeling->processesBox()->setValue(2);
        QVERIFY(modeling->processesProblem().isEmpty());
        QVERIFY(!shown->isVisible());
        QVERIFY(modeling->runButton()->isEnabled());
        modeling->processesBox()->setValue(1);
    }

    // Item 2: the commands for M machines, one line per node rank, copyable.
    void severalMachinesCommands()
    {
        auto* modeling = m_window->modelingView();
        modeling->processesBox()->setValue(2);
        modeling->severalMachinesButton()->click();
        auto* dialog = modeling->findChild<SeveralMachinesDialog*>();
        QVERIFY(dialog && dialog->isVisible());
        dialog->machinesBox()->setValue(3);
        dialog->addressEdit()->setText(QStringLiteral("node0.example.org"));
        const QString config = QDir(m_runDir).filePath(QStringLiteral("config.yaml"));
        QStringList expected;
        for (int rank = 0; rank < 3; ++rank)
            expected << QStringLiteral("fika-cli train --config %1 --nnodes 3 --node-rank %2 --nproc-per-node 2 "
                                       "--master-addr node0.example.org --master-port 29500")
                            .arg(config)
                            .arg(rank);
        QCOMPARE(dialog->commandsText(), expected.join(QLatin1Char('\n')));
        shoot(dialog, QStringLiteral("2-several-machines"));
        dialog->copyButton()->click();
        QCOMPARE(QApplication::clipboard()->text(), dialog->commandsText());
        // A path a shell would split is quoted.
        QCOMPARE(SeveralMachinesDialog::commands(QStringLiteral("/data/my run's/config.yaml"), 1, 4, QStringLiteral("10.0.0.1")),
                 QStringLiteral("fika-cli train --config '/data/my run'\\''s/config.yaml' --nnodes 1 --node-rank 0 "
                                "--nproc-per-node 4 --master-addr 10.0.0.1 --master-port 29500"));
        dialog->close();
        modeling->processesBox()->setValue(1);
    }

    // Item 2: 2 processes through fika-cli train the experiment to its end; progress and curves come
    // from metrics.jsonl, the launcher's lines go to the log.
    void twoProcessesTrainToTheEnd()
    {
        qputenv("FIKA_CLI", FIKA_CLI_PATH);
        auto* modeling = m_window->modelingView();
        auto config = *m_window->studio()->currentExperiment();
        config.training.logEverySteps = 1; // a curve point per step of this short run
        QString error;
        QVERIFY2(m_window->studio()->saveExperimentConfig(config, &error), qPrintable(error));
        modeling->processesBox()->setValue(2);
        auto* training = m_window->studio()->training();
        QSignalSpy finished(training, &TrainingController::finished);
        QSignalSpy steps(training, &TrainingController::stepped);
        QSignalSpy epochs(training, &TrainingController::epochEnded);
        answerNextMessageBox(QStringLiteral("Yes")); // "Run again?": replace the command line's run
        modeling->runButton()->click();
        QVERIFY(training->isRunning());
        QVERIFY(training->processArguments().contains(QStringLiteral("--nproc-per-node")));
        QVERIFY(!modeling->runButton()->isEnabled() && modeling->stopButton()->isEnabled());
        if (steps.wait(60000))
            shoot(m_window.get(), QStringLiteral("3-two-processes-running"));
        QVERIFY(finished.wait(300000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
        QCOMPARE(finished.first().at(1).toBool(), false);
        shoot(m_window.get(), QStringLiteral("4-two-processes-finished"));
        QCOMPARE(epochs.size(), 2);
        QVERIFY(steps.size() >= 2);
        const auto last = steps.last().at(0).value<fika::core::StepEvent>();
        QCOMPARE(last.step, last.totalSteps); // the progress bar's end is the trainer's
        auto* bar = modeling->findChild<QProgressBar*>();
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY2(modeling->progressText().startsWith(QStringLiteral("Finished")), qPrintable(modeling->progressText()));
        QVERIFY2(logText(modeling).contains(QStringLiteral("started 2 workers")), qPrintable(logText(modeling)));
        auto* charts = m_window->evaluationView()->charts();
        QTRY_COMPARE(charts->graphPoints(0, 0), static_cast<int>(last.step));
        QCOMPARE(charts->graphPoints(1, 0), 2);
        m_window->showSection(MainWindow::ModelingSection);
        shoot(m_window.get(), QStringLiteral("5-two-processes-modeling"));
        QVERIFY(QFile::exists(QDir(m_runDir).filePath(QStringLiteral("checkpoints/last/model.safetensors"))));

        // Over: what is appended to the file later (the next run) is no step of this one.
        steps.clear();
        QVERIFY(append(QDir(m_runDir).filePath(QStringLiteral("metrics.jsonl")), stepLine(99, 0.1)));
        QTest::qWait(1500); // past the follower's poll interval
        QCOMPARE(steps.size(), 0);
    }

    // Item 2: Stop sends the launcher SIGINT; every worker stops and `last` resumes the run.
    void stopLeavesAResumableRun()
    {
        auto* modeling = m_window->modelingView();
        auto* training = m_window->studio()->training();
        modeling->setSetting(QStringLiteral("training.epochs"), 10); // Stop comes after its first step
        QCOMPARE(modeling->processesBox()->value(), 2);
        QSignalSpy finished(training, &TrainingController::finished);
        QSignalSpy steps(training, &TrainingController::stepped);
        answerNextMessageBox(QStringLiteral("Yes")); // "Run again?": replace the finished run
        modeling->runButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(training->isRunning(), 10000);
        QVERIFY(steps.wait(120000));
        modeling->stopButton()->click();
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
        QCOMPARE(finished.first().at(1).toBool(), true);
        shoot(m_window.get(), QStringLiteral("6-stopped"));
        QVERIFY2(modeling->progressText().startsWith(QStringLiteral("Stopped: Resume")), qPrintable(modeling->progressText()));
        QVERIFY(modeling->resumeButton()->isEnabled());
        QVERIFY(QFile::exists(QDir(m_runDir).filePath(QStringLiteral("checkpoints/last/trainer_state.json"))));

        // Resumed on 1 process, inside the app, to its end.
        modeling->processesBox()->setValue(1);
        finished.clear();
        steps.clear();
        modeling->resumeButton()->click();
        QVERIFY(finished.wait(300000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
        // Each step drawn once: the in-process run's events add no points beside metrics.jsonl's,
        // and the steps repeated after the checkpoint replace the stopped run's.
        QVERIFY(!steps.isEmpty());
        const auto last = steps.last().at(0).value<fika::core::StepEvent>();
        QCOMPARE(last.step, last.totalSteps);
        QTRY_COMPARE(m_window->evaluationView()->charts()->graphPoints(0, 0), static_cast<int>(last.totalSteps));
    }

    // Item 2: without fika-cli the run says where it was looked for and starts nothing.
    void missingCliIsSaid()
    {
        auto* modeling = m_window->modelingView();
        qputenv("FIKA_CLI", QDir(m_dir.path()).filePath(QStringLiteral("no-such-fika-cli")).toUtf8());
        modeling->processesBox()->setValue(2);
        answerNextMessageBox(QStringLiteral("OK"));
        modeling->runButton()->click();
        QVERIFY(!m_window->studio()->training()->isRunning());
        QVERIFY2(modeling->progressText().contains(QStringLiteral("no-such-fika-cli")), qPrintable(modeling->progressText()));
        qunsetenv("FIKA_CLI");
        modeling->processesBox()->setValue(1);
    }

    // Item 2: a launcher that fails gives the failed state with its last lines as the error.
    void failedRunShowsItsLastLines()
    {
        const QString script = QDir(m_dir.path()).filePath(QStringLiteral("failing-cli"));
        QVERIFY(rewrite(script, "#!/bin/sh\necho \"rank 1 (pid 42) exited with status 1\" >&2\nprintf \"no newline\" >&2\nexit 3\n"));
        QVERIFY(QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        auto* training = m_window->studio()->training();
        QSignalSpy finished(training, &TrainingController::finished);
        ProcessLaunch launch;
        launch.cliPath = script;
        answerNextMessageBox(QStringLiteral("OK")); // the Modeling view's "Training failed"
        QVERIFY(training->startProcesses(*m_window->studio()->currentExperiment(), true, false, launch));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        const QString error = finished.first().at(2).toString();
        QVERIFY2(error.contains(QStringLiteral("exit status 3")) && error.contains(QStringLiteral("rank 1 (pid 42) exited")) &&
                     error.contains(QStringLiteral("no newline")),
                 qPrintable(error));
        QVERIFY(!training->isRunning());
        QTRY_VERIFY(QApplication::activeModalWidget() == nullptr);
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_runDir;
};

QTEST_MAIN(TestParallelRuns)
#include "tst_parallel_runs.moc"
