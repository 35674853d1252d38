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
#include <QComboBox>
#include <QDir>
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
#include <QToolButton>

#include <nlohmann/json.hpp>

#include <cmath>

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

// Filler words with a verdict at each end, so that head and head+tail truncation see different words.
QString longReviewText(int words)
{
    const char* filler[] = {"the", "movie", "plot", "actor", "scene", "was", "and", "a", "film", "story", "music", "end"};
    QString text = QStringLiteral("awful awful ");
    for (int w = 0; w < words - 4; ++w)
        text += QLatin1String(filler[(w * 7) % 12]) + QLatin1Char(' ');
    return text + QStringLiteral("great great");
}

QByteArray runCli(const QStringList& arguments)
{
    QProcess cli;
    cli.start(QStringLiteral(FIKA_CLI_PATH), arguments);
    if (!cli.waitForFinished(60000) || cli.exitCode() != 0)
        qWarning("fika-cli %s: %s", qPrintable(arguments.join(QLatin1Char(' '))), cli.readAllStandardError().constData());
    return cli.readAllStandardOutput();
}

// [negative, positive] from `fika-cli predict --json`.
std::vector<double> predictWithCli(const QString& checkpoint, const QString& text, const QStringList& extra = {})
{
    const QByteArray out = runCli(QStringList{QStringLiteral("predict"), QStringLiteral("--json"), QStringLiteral("--checkpoint"),
                                              checkpoint} + extra + QStringList{text});
    const auto json = nlohmann::json::parse(out.toStdString(), nullptr, false);
    if (json.is_discarded() || !json.is_array() || json.empty())
        return {-1, -1};
    return {json[0]["probabilities"]["negative"].get<double>(), json[0]["probabilities"]["positive"].get<double>()};
}

// P(negative) of `text` from `fika-cli evaluate`: the CSV holds it as a negative review and a short
// positive one (evaluate needs two classes); the mean loss is -(log P(negative | text) + log P(positive | short)) / 2.
double negativeProbabilityFromEvaluate(const QString& checkpoint, const QString& text)
{
    const QString shortReview = QStringLiteral("a great film");
    const double shortPositive = predictWithCli(checkpoint, shortReview)[1];
    const QString csv = QDir::temp().filePath(QStringLiteral("fika-long-review-%1.csv").arg(QCoreApplication::applicationPid()));
    fika::test::writeBytes(csv.toStdString(), "review,sentiment\n\"" + text.toStdString() + "\",negative\n" +
                                                  shortReview.toStdString() + ",positive\n");
    const QByteArray out = runCli({QStringLiteral("evaluate"), QStringLiteral("--json"), QStringLiteral("--checkpoint"), checkpoint,
                                   QStringLiteral("--csv"), csv});
    QFile::remove(csv);
    const auto json = nlohmann::json::parse(out.toStdString(), nullptr, false);
    return json.is_discarded() ? -1 : std::exp(-2 * json["loss"].get<double>() - std::log(shortPositive));
}

// [negative, positive] from the running deployment's POST /predict.
std::vector<double> predictWithApi(const QString& url, const QString& token, const QString& text)
{
    QProcess curl;
    curl.start(QStringLiteral("curl"), {QStringLiteral("-s"), QStringLiteral("-X"), QStringLiteral("POST"), QStringLiteral("-F"),
                                        QStringLiteral("review=") + text, QStringLiteral("-u"), token + QStringLiteral(":"),
                                        url + QStringLiteral("/predict")});
    curl.waitForFinished(30000);
    const auto json = nlohmann::json::parse(curl.readAllStandardOutput().toStdString(), nullptr, false);
    if (json.is_discarded() || !json.contains("sentiment"))
        return {-1, -1};
    return {json["sentiment"]["negative"].get<double>(), json["sentiment"]["positive"].get<double>()};
}

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
        // Column buttons draw only characters their font has (no missing-glyph boxes).
        int columnButtons = 0;
        for (auto* button : datasets->findChildren<QToolButton*>()) {
            if (!button->text().startsWith(QStringLiteral("review:")) && !button->text().startsWith(QStringLiteral("sentiment:")))
                continue;
            ++columnButtons;
            for (const QChar c : button->text())
                QVERIFY2(button->fontMetrics().inFont(c), qPrintable(button->text()));
        }
        QCOMPARE(columnButtons, 2);
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
        // Head + tail truncation: the deployed model must encode long reviews the same way.
        QComboBox* truncation = nullptr;
        for (auto* combo : datasets->findChildren<QComboBox*>())
            if (combo->findText(QStringLiteral("Head + tail"), Qt::MatchStartsWith) >= 0)
                truncation = combo;
        QVERIFY(truncation);
        truncation->setCurrentIndex(truncation->findText(QStringLiteral("Head + tail"), Qt::MatchStartsWith));

        // Use in new experiment → wizard: random tiny BERT, Create.
        QTest::mouseClick(buttonWithText(datasets, QStringLiteral("Use in new experiment")), Qt::LeftButton);
        auto* wizard = window.findChild<ExperimentWizard*>();
        QVERIFY(wizard);
        QCOMPARE(window.studio()->datasetVersions().size(), 1);
        wizard->tabs()->setCurrentIndex(2);
        wizard->setRandomShape(2, 32, 4, 64);
        // Random weights select the From scratch settings; this flow sets its own on the tutorial's
        // (constant learning rate).
        auto* preset = wizard->findChild<QComboBox*>(QStringLiteral("preset"));
        QVERIFY(preset && preset->currentText().startsWith(QStringLiteral("From scratch")));
        preset->setCurrentIndex(0);
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
        // Alt+R is the Run button's underlined key (F5 is the other); neither may be lost to the other.
        QCOMPARE(modeling->runButton()->shortcut(), QKeySequence(QKeySequence::mnemonic(modeling->runButton()->text())));
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_R, Qt::AltModifier);
        QTRY_VERIFY(!modeling->runButton()->isEnabled()); // a shortcut clicks the button animated, a moment later
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
        QCOMPARE(evaluation->charts()->graphPoints(0, 0), 30); // a run this short records every one of its 30 steps
        for (auto* plot : evaluation->charts()->plots()) { // legends sit beside the curves, never on them
            plot->replot();
            QVERIFY(plot->legend->visible() && plot->legend->itemCount() > 0);
            QVERIFY(!plot->legend->outerRect().intersects(plot->axisRect()->rect()));
        }
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
        QVERIFY(window.studio()->currentExperiment()->encoding.truncation == fika::core::Truncation::HeadTail);
        const QString bestDir = tester->loadedCheckpoint();
        QFile tokenizerConfig(bestDir + QStringLiteral("/tokenizer_config.json"));
        QVERIFY(tokenizerConfig.open(QIODevice::ReadOnly));
        QVERIFY(tokenizerConfig.readAll().contains("\"fika_truncation\": \"head_tail\""));

        // A 700-word review (far over the 24 tokens): the tester, the API, predict and evaluate
        // all encode it as training did (head + tail), so they give the same probabilities.
        const QString longReview = longReviewText(700);
        answered.clear();
        tester->setText(longReview);
        QTest::mouseClick(tester->playButton(), Qt::LeftButton);
        QVERIFY(answered.size() == 1 || answered.wait(30000));
        const std::vector<double> fromTester = tester->shownProbabilities();
        QCOMPARE(fromTester.size(), size_t(2));
        const std::vector<double> fromPredict = predictWithCli(bestDir, longReview);
        const std::vector<double> headOnly = predictWithCli(bestDir, longReview, {QStringLiteral("--truncation"), QStringLiteral("head")});
        QVERIFY2(std::abs(headOnly[0] - fromTester[0]) > 1e-6, "head truncation should change this review's probabilities");
        const double negativeFromEvaluate = negativeProbabilityFromEvaluate(bestDir, longReview);

        // Deployment: Enable serves the best checkpoint; the shown curl command gets an answer.
        auto* server = window.deploymentView()->server();
        server->setPort(0);
        QSignalSpy serving(server, &ServerPanel::servingChanged);
        QTest::mouseClick(server->enableSwitch(), Qt::LeftButton, {}, QPoint(8, server->enableSwitch()->height() / 2));
        QVERIFY(serving.wait(30000));
        QVERIFY2(serving.first().first().toBool(), "the deployment did not start");
        QVERIFY(server->token().size() >= 32);
        // The code example hides the token like its field, until Show (then Hide).
        QVERIFY(!server->shownCode().contains(server->token()));
        QVERIFY(server->shownCode().contains(QStringLiteral("<token>")));
        auto* show = buttonWithText(server, QStringLiteral("Show"));
        QVERIFY(show);
        QTest::mouseClick(show, Qt::LeftButton);
        QVERIFY(server->shownCode().contains(server->token()));
        QCOMPARE(show->text(), QStringLiteral("Hide"));
        QTest::mouseClick(show, Qt::LeftButton);
        QVERIFY(!server->shownCode().contains(server->token()));
        QProcess curl;
        curl.start(QStringLiteral("sh"), {QStringLiteral("-c"), server->curlCommand() + QStringLiteral(" -s")});
        QVERIFY(curl.waitForFinished(30000));
        const QByteArray answer = curl.readAllStandardOutput();
        QVERIFY2(answer.contains("\"sentiment\"") && answer.contains("\"label\""), answer.constData());
        const std::vector<double> fromApi = predictWithApi(server->url(), server->token(), longReview);
        for (size_t c = 0; c < 2; ++c) {
            QVERIFY2(std::abs(fromPredict[c] - fromTester[c]) < 1e-6, "predict and the tester disagree");
            QVERIFY2(std::abs(fromApi[c] - fromTester[c]) < 1e-6, "the API and the tester disagree");
        }
        QVERIFY2(std::abs(negativeFromEvaluate - fromTester[0]) < 1e-6, "evaluate and the tester disagree");
        QTest::mouseClick(server->enableSwitch(), Qt::LeftButton, {}, QPoint(8, server->enableSwitch()->height() / 2));
        QVERIFY(!server->isServing());

        // Exports: predictions CSV, a Hugging Face folder, charts as PNG and SVG.
        const QString predictions = m_dir.filePath(QStringLiteral("predictions.csv"));
        QVERIFY2(evaluation->exportPredictions(predictions, &error), qPrintable(error));
        QFile csvFile(predictions);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QByteArray predicted = csvFile.readAll();
        QCOMPARE(predicted.count('\n'), 41); // header + 40 validation examples
        QCOMPARE(predicted.left(predicted.indexOf('\n')), QByteArray("text,true_label,predicted_label,p_negative,p_positive"));
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
