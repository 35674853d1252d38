// SPDX-License-Identifier: GPL-3.0-or-later
// Modeling view, training progress and the experiment wizard, as a newcomer reads them: an epoch
// estimate calibrated by the machine's own steps and a smooth time left, "Validating… n %" instead
// of a full bar at "0:00 left", a wizard summary and weights tab that follow every choice and are
// remembered, a fresh log and bar for a new experiment, and "custom" once a preset was edited.
#include "ui_test_support.h"

#include "datasets/datasets_view.h"
#include "main_window.h"
#include "modeling/experiment_wizard.h"
#include "modeling/modeling_view.h"
#include "studio.h"
#include "training/run_progress.h"
#include "training/training_controller.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace fika::ui;

namespace {

QComboBox* presetCombo(ModelingView* view)
{
    for (auto* combo : view->findChildren<QComboBox*>())
        if (combo->currentText().startsWith(QStringLiteral("Settings:")))
            return combo;
    return nullptr;
}

QString summaryText(ExperimentWizard* wizard)
{
    for (auto* label : wizard->findChildren<QLabel*>())
        if (label->text().contains(QStringLiteral("Creates")) || label->text().contains(QStringLiteral("color:#c0392b")))
            return label->text();
    return {};
}

int spinValue(ExperimentWizard* wizard, const char* name)
{
    auto* box = wizard->findChild<QSpinBox*>(QString::fromLatin1(name));
    return box ? box->value() : -1;
}

// Saves a picture of the window into $FIKA_MINORS_SHOTS when set (run under xvfb to look at them).
void shoot(QWidget* window, const QString& name)
{
    const QString dir = qEnvironmentVariable("FIKA_MINORS_SHOTS");
    if (!dir.isEmpty() && QDir().mkpath(dir))
        window->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

} // namespace

class TestModelingMinors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear(); // no epoch-time calibration from an earlier run of these tests
        qputenv("FIKA_CACHE_DIR", m_dir.filePath(QStringLiteral("cache")).toUtf8());
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1366, 768);
        m_window->show();
        QString error;
        QVERIFY2(m_window->studio()->newProject(m_dir.filePath(QStringLiteral("project")), QStringLiteral("p"), &error),
                 qPrintable(error));
        const QString csv = m_dir.filePath(QStringLiteral("reviews.csv"));
        QVERIFY(fika::test::importSyntheticReviews(m_window->datasetsView(), csv, 1200));
        m_window->datasetsView()->setSequenceLength(24);
        QVERIFY2(m_window->datasetsView()->saveVersion(m_window->datasetsView()->versionFile(QStringLiteral("reviews")), &error),
                 qPrintable(error));
    }

    void cleanupTestCase() { m_window.reset(); }

    // The pace is the mean over all measured steps: windows that alternate between fast and slow
    // batches (length buckets) do not make the time left jump, validation time is not step time,
    // and the validations still to come are counted in.
    void etaIsSmoothAndCountsValidation()
    {
        EtaEstimator eta;
        const int64_t epochs = 2, total = 200; // 100 steps per epoch, an event every 10
        double now = 0;
        eta.stepReached(10, total, epochs, now);
        QCOMPARE(eta.secondsLeft(77), 77.0); // no pace yet: the trainer's own guess
        QList<double> shown;
        for (int64_t step = 20; step <= 90; step += 10) {
            now += step % 20 == 0 ? 2.0 : 6.0; // 0.2 and 0.6 s per step, alternating
            eta.stepReached(step, total, epochs, now);
            shown << eta.secondsLeft(step % 20 == 0 ? 0.2 * double(total - step) : 0.6 * double(total - step));
        }
        QCOMPARE(eta.secondsPerStep(), 0.4);
        // The windows' own guesses jump 3× from one event to the next; the mean pace soon settles.
        for (qsizetype i = 3; i < shown.size(); ++i)
            QVERIFY2(std::abs(shown[i] / shown[i - 1] - 1) < 0.2,
                     qPrintable(QStringLiteral("%1 then %2").arg(shown[i - 1]).arg(shown[i])));
        QCOMPARE(shown.last(), 110 * 0.4);

        // Validation of epoch 1 takes 20 s: it is not counted as steps, and it is counted as time left.
        now += 4; // steps 91 … 100 ran since the last step event
        eta.validating(1, 0, 400, now);
        QCOMPARE(eta.secondsPerStep(), 0.4);
        eta.validating(1, 100, 400, now + 5);
        QCOMPARE(eta.secondsLeft(0), 100 * 0.4 + 15 + 20); // its rest, steps, epoch 2's validation
        eta.epochEnded(1, now + 20);
        QCOMPARE(eta.validationSeconds(), 20.0);
        QCOMPARE(eta.secondsPerStep(), 0.4);
        QCOMPARE(eta.secondsLeft(0), 100 * 0.4 + 20);
        eta.stepReached(110, total, epochs, now + 24);
        QCOMPARE(eta.secondsLeft(0), 90 * 0.4 + 20);
        eta.stepReached(200, total, epochs, now + 60);
        QCOMPARE(eta.secondsLeft(0), 20.0); // steps done, the last validation remains
    }

    void throttleLetsThroughAboutTwentyASecond()
    {
        ProgressThrottle throttle(0.05);
        int passed = 0;
        for (int ms = 0; ms < 1000; ++ms)
            passed += throttle.pass(ms / 1000.0, ms == 999) ? 1 : 0;
        QVERIFY2(passed >= 20 && passed <= 21, qPrintable(QString::number(passed)));
        QVERIFY(throttle.pass(1.0001, true)); // the last of a series always passes
    }

    // A real run: the estimate says "about" and is calibrated by the first measured steps, the
    // time left says "about", and the validation shows its own progress instead of a full bar.
    void trainingShowsHonestProgress()
    {
        auto* wizard = m_window->openExperimentWizard();
        wizard->setRandomShape(2, 32, 4, 64);
        wizard->setExperimentName(QStringLiteral("first"));
        wizard->accept();
        auto* modeling = m_window->modelingView();
        modeling->setSetting(QStringLiteral("training.epochs"), 2);
        modeling->setSetting(QStringLiteral("training.batch_size"), 8);
        modeling->setSetting(QStringLiteral("training.threads"), 1);
        QVERIFY2(modeling->warningsText().contains(QStringLiteral("an epoch takes about")), qPrintable(modeling->warningsText()));
        QVERIFY2(!modeling->warningsText().contains(QStringLiteral("at most")), qPrintable(modeling->warningsText()));
        QVERIFY2(modeling->warningsText().contains(QStringLiteral("a first guess")), qPrintable(modeling->warningsText()));
        m_window->showSection(MainWindow::ModelingSection);

        auto* training = m_window->studio()->training();
        auto* bar = modeling->findChild<QProgressBar*>();
        QObject scope; // the recorders below capture locals: disconnected when this test ends
        QStringList stepTexts, validationTexts, atEpochEnd;
        int validationEvents = 0;
        bool shotStep = false, shotValidation = false;
        connect(training, &TrainingController::stepped, &scope, [&](const fika::core::StepEvent& e) {
            stepTexts << modeling->progressText();
            if (!shotStep && e.step > 30) {
                shotStep = true;
                shoot(m_window.get(), QStringLiteral("modeling-training"));
            }
        });
        connect(training, &TrainingController::validating, &scope, [&](const fika::core::ValidationEvent& e) {
            ++validationEvents;
            validationTexts << modeling->progressText();
            QCOMPARE(bar->maximum(), int(e.total));
            QCOMPARE(bar->value(), int(e.examples));
            if (!shotValidation && e.examples > 0) {
                shotValidation = true;
                shoot(m_window.get(), QStringLiteral("modeling-validating"));
            }
        });
        // The epoch event comes right after validation: what does the label say while it ran?
        connect(training, &TrainingController::epochEnded, &scope,
                [&](const fika::core::EpochEvent&) { atEpochEnd << modeling->progressText(); });
        QSignalSpy finished(training, &TrainingController::finished);
        QElapsedTimer clock;
        clock.start();
        modeling->runButton()->click();
        QVERIFY(finished.wait(300000));
        const double seconds = clock.elapsed() / 1000.0;
        QVERIFY(finished.first().first().toBool());
        QVERIFY(!stepTexts.isEmpty());
        for (const QString& text : stepTexts)
            QVERIFY2(text.contains(QStringLiteral(", about ")) && text.endsWith(QStringLiteral(" left")), qPrintable(text));
        QCOMPARE(atEpochEnd.size(), 2);
        for (const QString& text : atEpochEnd)
            QVERIFY2(text.startsWith(QStringLiteral("Validating… 100 %")), qPrintable(text));
        QVERIFY(!validationTexts.isEmpty());
        QVERIFY2(validationTexts.first().startsWith(QStringLiteral("Validating… 0 %")), qPrintable(validationTexts.first()));
        // At most ~20 validation events a second reach the UI, plus each validation's first and last.
        QVERIFY2(validationEvents <= 20 * seconds + 4, qPrintable(QStringLiteral("%1 in %2 s").arg(validationEvents).arg(seconds)));
        QCOMPARE(bar->value(), bar->maximum());
        // The first measured steps calibrated the estimate for this machine.
        QVERIFY2(modeling->warningsText().contains(QStringLiteral("timed on this machine")), qPrintable(modeling->warningsText()));
        QVERIFY(QSettings().value(QStringLiteral("estimates/epoch_time_factor")).toDouble() > 0);
    }

    // After a run, a new experiment shows nothing of the previous one: empty log, empty bar.
    void newExperimentStartsEmpty()
    {
        auto* modeling = m_window->modelingView();
        auto* bar = modeling->findChild<QProgressBar*>();
        auto* log = modeling->findChild<QPlainTextEdit*>();
        QVERIFY2(bar->value() == bar->maximum() && !log->toPlainText().isEmpty(), "needs trainingShowsHonestProgress first");
        auto* wizard = m_window->openExperimentWizard();
        wizard->setRandomShape(2, 32, 4, 64);
        wizard->setExperimentName(QStringLiteral("second"));
        wizard->accept();
        QVERIFY(m_window->studio()->currentExperiment()->output.dir.ends_with("second"));
        QCOMPARE(bar->value(), bar->minimum());
        QVERIFY2(log->toPlainText().isEmpty(), qPrintable(log->toPlainText()));
        QVERIFY(modeling->progressText().isEmpty());
    }

    // Stop pressed while the data and model are prepared: the view says nothing was trained (it said
    // Resume continues, with nothing to continue or with an earlier run's checkpoint).
    void stopBeforeTheFirstBatchSaysNothingWasTrained()
    {
        auto* wizard = m_window->openExperimentWizard();
        wizard->setRandomShape(2, 32, 4, 64);
        wizard->setExperimentName(QStringLiteral("stopped-early"));
        wizard->accept();
        auto* modeling = m_window->modelingView();
        auto* training = m_window->studio()->training();
        QSignalSpy finished(training, &TrainingController::finished);
        modeling->runButton()->click();
        training->stop(); // before the worker has read the data
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.first().at(0).toBool());
        QVERIFY(finished.first().at(1).toBool());
        QVERIFY(training->stoppedBeforeTraining());
        QCOMPARE(modeling->progressText(), QStringLiteral("Stopped before the first batch: nothing was trained"));
    }

    // The summary on the Create tab always shows the current choices: preset, shape, trainable.
    void wizardSummaryFollowsEveryChoice()
    {
        auto* wizard = m_window->openExperimentWizard();
        wizard->setRandomShape(2, 32, 4, 64);
        auto* preset = wizard->findChild<QComboBox*>(QStringLiteral("preset"));
        wizard->tabs()->setCurrentIndex(3);
        QVERIFY2(summaryText(wizard).contains(QStringLiteral("learning rate 0.0005")), qPrintable(summaryText(wizard)));
        preset->setCurrentIndex(0);
        QVERIFY2(summaryText(wizard).contains(QStringLiteral("learning rate 1e-06")), qPrintable(summaryText(wizard)));
        preset->setCurrentIndex(1);
        QVERIFY2(summaryText(wizard).contains(QStringLiteral("learning rate 2e-05")), qPrintable(summaryText(wizard)));
        QVERIFY2(!summaryText(wizard).contains(QStringLiteral("1e-06")), qPrintable(summaryText(wizard)));
        wizard->setRandomShape(3, 48, 4, 96);
        QVERIFY2(summaryText(wizard).contains(QStringLiteral("3 layers, hidden 48")), qPrintable(summaryText(wizard)));
        wizard->findChild<QSpinBox*>(QStringLiteral("heads"))->setValue(5); // 48 is no multiple of 5
        QVERIFY2(summaryText(wizard).contains(QStringLiteral("multiple")), qPrintable(summaryText(wizard)));
        QVERIFY(!wizard->findChild<QPushButton*>(QStringLiteral("create"))->isEnabled());
        shoot(wizard, QStringLiteral("wizard-summary-problem"));
        wizard->reject();
    }

    // Random weights disable every pretrained-weights widget; the shape survives tab changes and
    // reopening the wizard (after Cancel, and after Create).
    void wizardRemembersShapeAndDisablesPretrained()
    {
        auto* wizard = m_window->openExperimentWizard();
        auto* pretrainedBox = wizard->findChild<QWidget*>(QStringLiteral("pretrainedWeights"));
        QVERIFY(pretrainedBox);
        const auto widgets = pretrainedBox->findChildren<QWidget*>();
        QVERIFY(widgets.size() >= 4); // downloaded models, folder, Browse, Data library
        wizard->setPretrainedFolder(QString());
        for (auto* widget : widgets)
            QVERIFY2(widget->isEnabled(), widget->metaObject()->className());
        wizard->setRandomShape(3, 96, 6, 192);
        for (auto* widget : widgets)
            QVERIFY2(!widget->isEnabled(), widget->metaObject()->className());
        for (int tab : {3, 0, 1, 2, 3, 2})
            wizard->tabs()->setCurrentIndex(tab);
        shoot(wizard, QStringLiteral("wizard-random-weights"));
        QCOMPARE(spinValue(wizard, "layers"), 3);
        QCOMPARE(spinValue(wizard, "hiddenSize"), 96);
        QCOMPARE(spinValue(wizard, "heads"), 6);
        QCOMPARE(spinValue(wizard, "intermediateSize"), 192);
        wizard->reject();
        QTest::qWait(0);

        wizard = m_window->openExperimentWizard();
        QVERIFY(wizard->findChild<QRadioButton*>() && !wizard->findChild<QWidget*>(QStringLiteral("pretrainedWeights"))->isEnabled());
        QCOMPARE(spinValue(wizard, "layers"), 3);
        QCOMPARE(spinValue(wizard, "hiddenSize"), 96);
        QCOMPARE(spinValue(wizard, "heads"), 6);
        QCOMPARE(spinValue(wizard, "intermediateSize"), 192);
        QVERIFY2(wizard->findChild<QComboBox*>(QStringLiteral("preset"))->currentText().startsWith(QStringLiteral("From scratch")),
                 qPrintable(wizard->findChild<QComboBox*>(QStringLiteral("preset"))->currentText()));
        wizard->setRandomShape(2, 64, 2, 128);
        wizard->setExperimentName(QStringLiteral("third"));
        wizard->accept();
        QCOMPARE(m_window->studio()->currentExperiment()->model.hiddenSize, int64_t(64));
        QTest::qWait(0);

        wizard = m_window->openExperimentWizard();
        QCOMPARE(spinValue(wizard, "layers"), 2);
        QCOMPARE(spinValue(wizard, "hiddenSize"), 64);
        QCOMPARE(spinValue(wizard, "heads"), 2);
        QCOMPARE(spinValue(wizard, "intermediateSize"), 128);
        wizard->reject();
    }

    // The preset label names the preset only while the values are the preset's.
    void presetSaysCustomOnceEdited()
    {
        auto* modeling = m_window->modelingView();
        auto* preset = presetCombo(modeling);
        QVERIFY(preset);
        Q_EMIT preset->activated(1);
        QCOMPARE(preset->currentText(), QStringLiteral("Settings: recommended"));
        modeling->setSetting(QStringLiteral("training.learning_rate"), 0.00003);
        QCOMPARE(preset->currentText(), QStringLiteral("Settings: custom"));
        modeling->setSetting(QStringLiteral("training.learning_rate"), 0.00002);
        QCOMPARE(preset->currentText(), QStringLiteral("Settings: recommended"));
        modeling->setSetting(QStringLiteral("training.epochs"), 7);
        QCOMPARE(preset->currentText(), QStringLiteral("Settings: custom"));
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestModelingMinors)
#include "tst_modeling_minors.moc"
