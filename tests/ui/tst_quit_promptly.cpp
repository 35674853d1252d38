// SPDX-License-Identifier: GPL-3.0-or-later
// Quitting while a long job runs ends within a second: a training run in the middle of its
// validation, and the Evaluation view's predictions of a checkpoint. Both are stopped within one
// batch; the run keeps its epoch's training in checkpoints/last.
#include <torch/torch.h> // before Qt: its headers use the word slots

#include "ui_test_support.h"

#include "datasets/datasets_view.h"
#include "evaluation/evaluation_view.h"
#include "main_window.h"
#include "modeling/experiment_wizard.h"
#include "modeling/modeling_view.h"
#include "studio.h"
#include "training/training_controller.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <memory>

using namespace fika::ui;

namespace {

// How long destroying the window (what quitting does) takes while `during` runs.
qint64 millisecondsToClose(std::unique_ptr<MainWindow>& window, const char* during)
{
    QElapsedTimer clock;
    clock.start();
    window.reset();
    const qint64 ms = clock.elapsed();
    qInfo("quit during %s took %lld ms", during, static_cast<long long>(ms));
    return ms;
}

} // namespace

class TestQuitPromptly : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        qputenv("FIKA_CACHE_DIR", m_dir.filePath(QStringLiteral("cache")).toUtf8());
    }

    void quitWhileValidating()
    {
        auto window = std::make_unique<MainWindow>();
        window->show();
        QString error;
        QVERIFY2(window->studio()->newProject(m_dir.filePath(QStringLiteral("project")), QStringLiteral("p"), &error), qPrintable(error));
        // A short training and a long validation: 10 % of 8,000 reviews to train on, 90 % to validate.
        const QString csv = m_dir.filePath(QStringLiteral("reviews.csv"));
        auto* datasets = window->datasetsView();
        QVERIFY(fika::test::importSyntheticReviews(datasets, csv, 8000, 60000));
        datasets->setSequenceLength(128);
        const auto shares = datasets->findChildren<QDoubleSpinBox*>();
        QCOMPARE(shares.size(), 3);
        shares[0]->setValue(10); // validation takes the other 90
        QCOMPARE(shares[1]->value(), 90.0);
        QVERIFY2(datasets->saveVersion(datasets->versionFile(QStringLiteral("reviews")), &error), qPrintable(error));

        auto* wizard = window->openExperimentWizard();
        wizard->setRandomShape(4, 256, 4, 1024); // validation then takes several seconds here
        wizard->setExperimentName(QStringLiteral("run"));
        wizard->accept();
        auto* modeling = window->modelingView();
        modeling->setSetting(QStringLiteral("training.epochs"), 1);
        modeling->setSetting(QStringLiteral("training.batch_size"), 16);
        auto* training = window->studio()->training();
        bool validating = false;
        QObject scope;
        connect(training, &TrainingController::validating, &scope, [&](const fika::core::ValidationEvent& e) {
            validating = validating || e.examples > 0;
        });
        modeling->runButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(validating, 120000);
        QVERIFY(training->isRunning());
        const QString runDir = window->studio()->currentExperiment() ? QString::fromStdString(window->studio()->currentExperiment()->output.dir)
                                                                     : QString();
        QVERIFY(!runDir.isEmpty());

        const auto ms = millisecondsToClose(window, "validation");
        QVERIFY2(ms < 1000, qPrintable(QString::number(ms)));

        const auto state = nlohmann::json::parse(fika::test::readBytes((runDir + QStringLiteral("/checkpoints/last/trainer_state.json")).toStdString()));
        QCOMPARE(state["epoch"].get<int64_t>(), int64_t(0)); // the epoch is not over: its validation runs on resume
        QVERIFY(state["batch"].get<int64_t>() > 0);
        m_runDir = runDir;
    }

    void quitWhileTheEvaluationPredicts()
    {
        QVERIFY2(!m_runDir.isEmpty(), "needs the run of quitWhileValidating");
        auto window = std::make_unique<MainWindow>();
        window->show();
        QString error;
        QVERIFY2(window->studio()->openProject(m_dir.filePath(QStringLiteral("project")), &error), qPrintable(error));
        window->showSection(MainWindow::EvaluationSection);
        auto* evaluation = window->evaluationView();
        QTRY_VERIFY_WITH_TIMEOUT(evaluation->checkpointSelector()->count() > 0, 30000);
        // The checkpoint's predictions of 7,200 reviews: stop them after the first batches.
        QTRY_VERIFY_WITH_TIMEOUT(evaluation->evaluationProgress()->value() > 0, 120000);
        QVERIFY(!evaluation->evaluationReady());

        const auto ms = millisecondsToClose(window, "the evaluation");
        QVERIFY2(ms < 1000, qPrintable(QString::number(ms)));
    }

private:
    QTemporaryDir m_dir;
    QString m_runDir;
};

QTEST_MAIN(TestQuitPromptly)
#include "tst_quit_promptly.moc"
