// SPDX-License-Identifier: GPL-3.0-or-later
// The tutorial by clicks and keys on a tiny CSV and a tiny model: import → sequence length →
// subsets → wizard → settings → run (the event loop never blocked over 50 ms) → epochs end →
// confusion matrix filled → cell examples → tester answers → exports.
#include <torch/torch.h>

#include "test_support.h"

#include "datasets/datasets_view.h"
#include "deployment/deployment_view.h"
#include "deployment/server_panel.h"
#include "deployment/tester_widget.h"
#include "evaluation/confusion_matrix_plot.h"
#include "evaluation/evaluation_view.h"
#include "main_window.h"
#include "modeling/experiment_wizard.h"
#include "modeling/modeling_view.h"
#include "qcustomplot_wrapper.h"
#include "studio.h"
#include "training/training_controller.h"

#include <QCheckBox>
#include <QDialog>
#include <QElapsedTimer>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace fika::ui;

namespace {

// Measures the longest gap between 5 ms timer ticks: how long the event loop was blocked.
class StallMeter : public QObject {
public:
    StallMeter()
    {
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.elapsed();
            m_longest = std::max(m_longest, now - m_last);
            m_last = now;
        });
        m_clock.start();
        m_timer.start();
    }
    qint64 longestMs() const { return m_longest; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_longest = 0;
};

QPushButton* buttonWithText(QWidget* root, const QString& prefix)
{
    for (auto* button : root->findChildren<QPushButton*>())
        if (button->text().remove(QLatin1Char('&')).startsWith(prefix))
            return button;
    return nullptr;
}

} // namespace

class TestWholeFlow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("FIKA_CACHE_DIR", m_dir.filePath(QStringLiteral("cache")).toUtf8());
    }

    void tutorialByClicks()
    {
        const QString csv = m_dir.filePath(QStringLiteral("reviews.csv"));
        fika::test::writeBytes(csv.toStdString(), fika::test::syntheticReviewsCsv(200));
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QString error;
        QVERIFY2(window.studio()->newProject(m_dir.filePath(QStringLiteral("project")), QStringLiteral("flow"), &error),
                 qPrintable(error));

        // Datasets: import, type a sequence length, keep the 80/20 subsets.
        window.showSection(MainWindow::DatasetsSection);
        auto* datasets = window.datasetsView();
        QSignalSpy imported(datasets, &DatasetsView::importFinished);
        datasets->importPath(csv);
        QVERIFY(imported.wait(30000));
        QVERIFY(imported.first().first().toBool());
        auto* length = datasets->findChild<QSpinBox*>();
        QVERIFY(length);
        length->setFocus();
        length->selectAll();
        QTest::keyClicks(length, QStringLiteral("24"));
        QCOMPARE(datasets->sequenceLength(), 24);
        // The wrench of the text column opens its encoding; a length typed there is applied.
        QTimer::singleShot(200, datasets, [datasets] {
            auto* dialog = datasets->encodingDialog();
            QVERIFY(dialog);
            auto* dialogLength = dialog->findChild<QSpinBox*>();
            dialogLength->setValue(32);
            QVERIFY(dialog->findChild<QLabel*>() != nullptr);
            dialog->accept();
        });
        datasets->showTextEncoding();
        QCOMPARE(datasets->sequenceLength(), 32);
        length->selectAll();
        QTest::keyClicks(length, QStringLiteral("24"));
        QCOMPARE(datasets->sequenceLength(), 24);
        QCOMPARE(datasets->subsetSummary(), QStringLiteral("160 training, 40 validation, 0 test examples"));

        // Use in new experiment → wizard: random tiny BERT, Create.
        QTest::mouseClick(buttonWithText(datasets, QStringLiteral("Use in new experiment")), Qt::LeftButton);
        auto* wizard = window.findChild<ExperimentWizard*>();
        QVERIFY(wizard);
        QCOMPARE(window.studio()->datasetVersions().size(), 1);
        wizard->tabs()->setCurrentIndex(2);
        wizard->setRandomShape(2, 32, 4, 64);
        wizard->setExperimentName(QStringLiteral("tiny run"));
        wizard->tabs()->setCurrentIndex(3);
        auto* create = wizard->findChild<QPushButton*>(QStringLiteral("create"));
        QVERIFY(create && create->isEnabled());
        QTest::mouseClick(create, Qt::LeftButton);
        QTRY_COMPARE(window.currentSection(), int(MainWindow::ModelingSection));
        QVERIFY(window.studio()->currentExperiment().has_value());
        QCOMPARE(window.studio()->currentExperiment()->encoding.sequenceLength, 24);

        // Settings, then Run while measuring the event loop.
        auto* modeling = window.modelingView();
        QVERIFY(modeling->warningsText().contains(QStringLiteral("Estimated peak memory")));
        modeling->setSetting(QStringLiteral("training.batch_size"), 16);
        modeling->setSetting(QStringLiteral("training.epochs"), 3);
        modeling->setSetting(QStringLiteral("training.learning_rate"), 0.002);
        modeling->setSetting(QStringLiteral("training.threads"), 1);
        QCOMPARE(window.studio()->currentExperiment()->training.epochs, int64_t(3));
        QSignalSpy finished(window.studio()->training(), &TrainingController::finished);
        QSignalSpy epochs(window.studio()->training(), &TrainingController::epochEnded);
        QSignalSpy evaluated(window.evaluationView(), &EvaluationView::evaluationFinished);
        StallMeter meter;
        QTest::mouseClick(modeling->runButton(), Qt::LeftButton);
        QVERIFY(!modeling->runButton()->isEnabled());
        QVERIFY(modeling->stopButton()->isEnabled());
        QVERIFY(finished.wait(180000));
        qInfo("longest event-loop stall during training: %lld ms", meter.longestMs());
        QVERIFY2(meter.longestMs() < 50, qPrintable(QString::number(meter.longestMs())));
        QCOMPARE(finished.first().at(0).toBool(), true);
        QCOMPARE(epochs.size(), 3);
        QVERIFY(modeling->progressText().startsWith(QStringLiteral("Finished")));

        // Evaluation: curves, the best checkpoint's confusion matrix, a cell's examples.
        QCOMPARE(window.currentSection(), int(MainWindow::EvaluationSection));
        auto* evaluation = window.evaluationView();
        QCOMPARE(evaluation->charts()->graphPoints(1, 0), 3); // training loss per epoch
        QCOMPARE(evaluation->charts()->graphPoints(0, 0), 3); // loss every 10 of the 30 steps
        QVERIFY(evaluated.wait(60000) || evaluation->evaluationReady());
        QVERIFY(evaluation->evaluationReady());
        QVERIFY(evaluation->infoText().contains(QStringLiteral("accuracy")));
        QVERIFY(evaluation->checkpointSelector()->count() >= 3); // best, last, epoch N
        auto* matrix = evaluation->confusionMatrix();
        QVERIFY(matrix->cellText(0, 0).contains(QStringLiteral("True negative, predicted negative")));
        QTest::mouseClick(matrix->plot(), Qt::LeftButton, {}, matrix->plot()->mapFrom(matrix, matrix->cellCenter(1, 1)));
        QVERIFY(evaluation->examplesTable()->rowCount() > 0);
        QCOMPARE(evaluation->examplesTable()->item(0, 1)->text(), QStringLiteral("positive"));

        // Tester in the Deployment view: it answers with a probability per class.
        window.showSection(MainWindow::DeploymentSection);
        auto* tester = window.deploymentView()->tester();
        QSignalSpy answered(tester, &TesterWidget::answered);
        tester->setText(QStringLiteral("a great film and a great story"));
        QTest::mouseClick(tester->playButton(), Qt::LeftButton);
        QVERIFY(answered.size() == 1 || answered.wait(30000));
        const auto probabilities = tester->shownProbabilities();
        QCOMPARE(probabilities.size(), size_t(2));
        QVERIFY(std::abs(probabilities[0] + probabilities[1] - 1.0) < 1e-5);
        QVERIFY(tester->resultText().contains(QStringLiteral(" ms")));
        QVERIFY(tester->loadedCheckpoint().endsWith(QStringLiteral("checkpoints/best")));

        // Deployment: Enable serves the best checkpoint; the shown curl command gets an answer.
        auto* server = window.deploymentView()->server();
        server->setPort(0);
        QSignalSpy serving(server, &ServerPanel::servingChanged);
        QTest::mouseClick(server->enableSwitch(), Qt::LeftButton, {}, QPoint(8, server->enableSwitch()->height() / 2));
        QVERIFY(serving.wait(30000));
        QVERIFY2(serving.first().first().toBool(), "the deployment did not start");
        QVERIFY(server->token().size() >= 32);
        QProcess curl;
        curl.start(QStringLiteral("sh"), {QStringLiteral("-c"), server->curlCommand() + QStringLiteral(" -s")});
        QVERIFY(curl.waitForFinished(30000));
        const QByteArray answer = curl.readAllStandardOutput();
        QVERIFY2(answer.contains("\"sentiment\"") && answer.contains("\"label\""), answer.constData());
        QTest::mouseClick(server->enableSwitch(), Qt::LeftButton, {}, QPoint(8, server->enableSwitch()->height() / 2));
        QVERIFY(!server->isServing());

        // Exports: predictions CSV, a Hugging Face folder, charts as PNG and SVG.
        const QString predictions = m_dir.filePath(QStringLiteral("predictions.csv"));
        QVERIFY2(evaluation->exportPredictions(predictions, &error), qPrintable(error));
        QFile csvFile(predictions);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        QCOMPARE(csvFile.readAll().count('\n'), 41); // header + 40 validation examples
        const QString exported = m_dir.filePath(QStringLiteral("exported"));
        QVERIFY2(evaluation->exportCheckpoint(exported, &error), qPrintable(error));
        QVERIFY(QFile::exists(exported + QStringLiteral("/model.safetensors")));
        QVERIFY(QFile::exists(exported + QStringLiteral("/config.json")));
        QVERIFY(!QFile::exists(exported + QStringLiteral("/optimizer.pt")));
        const QString png = m_dir.filePath(QStringLiteral("loss.png"));
        const QString svg = m_dir.filePath(QStringLiteral("loss.svg"));
        QVERIFY(TrainingCharts::savePlot(evaluation->charts()->plots()[0], png));
        QVERIFY(TrainingCharts::savePlot(evaluation->charts()->plots()[0], svg));
        QVERIFY(QFileInfo(png).size() > 1000);
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QVERIFY(svgFile.readAll().contains("<svg"));

        // Reopening the project shows the experiment and its curves from disk.
        MainWindow reopened;
        QVERIFY(reopened.studio()->openProject(m_dir.filePath(QStringLiteral("project")), &error));
        QCOMPARE(reopened.studio()->experiments().size(), 1);
        QCOMPARE(reopened.evaluationView()->charts()->graphPoints(1, 0), 3);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestWholeFlow)
#include "tst_whole_flow.moc"
