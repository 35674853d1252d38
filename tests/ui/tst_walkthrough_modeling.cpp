// SPDX-License-Identifier: GPL-3.0-or-later
// A newcomer's walk through Datasets and Modeling: Save version… never replaces a saved version
// unasked, a "learning nothing" warning goes once the model learns, and Resume on a run that
// finished all its epochs is off (and a resume keeps the log it continues), the estimate says what
// the checkpoints take on disk, and Import folder on aclImdb says which split it read.
#include "ui_test_support.h"

#include "datasets/dataset_table_model.h"
#include "datasets/datasets_view.h"
#include "main_window.h"
#include "modeling/experiment_wizard.h"
#include "modeling/modeling_view.h"
#include "studio.h"
#include "training/training_controller.h"

#include "train/estimates.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace fika::ui;

namespace {

// Runs `answer` on the next modal dialog of type T once it is open (polled; the dialogs run exec()).
template <typename T>
void answerNext(std::function<void(T*)> answer)
{
    auto* poll = new QTimer;
    auto tries = std::make_shared<int>(0);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, answer, tries] {
        if (auto* dialog = qobject_cast<T*>(QApplication::activeModalWidget())) {
            poll->deleteLater();
            answer(dialog);
            return;
        }
        if (++*tries > 400)
            poll->deleteLater();
    });
    poll->start(25);
}

// Types `name` into Save version's name dialog, after noting what it suggested, and clicks OK.
void answerVersionName(const QString& name, QString* suggested)
{
    answerNext<QInputDialog>([name, suggested](QInputDialog* dialog) {
        *suggested = dialog->textValue();
        if (!name.isEmpty())
            dialog->setTextValue(name);
        dialog->accept();
    });
}

// Clicks `button` of the next message box, after noting its text and default button.
void answerMessageBox(QMessageBox::StandardButton button, QString* text, QMessageBox::StandardButton* defaultButton)
{
    answerNext<QMessageBox>([button, text, defaultButton](QMessageBox* box) {
        *text = box->text();
        *defaultButton = box->standardButton(box->defaultButton());
        box->button(button)->click();
    });
}

QPushButton* buttonNamed(QWidget* parent, const QString& text)
{
    for (auto* button : parent->findChildren<QPushButton*>())
        if (button->text().remove(QLatin1Char('&')) == text)
            return button;
    return nullptr;
}

// The field of the Datasets form's "Seed" row.
QSpinBox* seedBox(DatasetsView* datasets)
{
    for (auto* label : datasets->findChildren<QLabel*>())
        if (label->text() == QStringLiteral("Seed"))
            return qobject_cast<QSpinBox*>(label->buddy());
    return nullptr;
}

QByteArray readAll(const QString& file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A stalled two-class epoch (loss at ln 2, "positive" for every validation text) or a learning one.
fika::core::EpochEvent epochEvent(int64_t epoch, int64_t epochs, double trainingLoss, bool collapsed)
{
    fika::core::EpochEvent event;
    event.epoch = epoch;
    event.epochs = epochs;
    event.trainingLoss = trainingLoss;
    event.validation.confusion = fika::core::ConfusionMatrix(2);
    for (int i = 0; i < 20; ++i) {
        event.validation.confusion.add(0, collapsed || i >= 15 ? 1 : 0);
        event.validation.confusion.add(1, 1);
    }
    event.validation.accuracy = collapsed ? 0.5 : 0.875;
    event.labels = {"neg", "pos"};
    return event;
}

} // namespace

class TestWalkthroughModeling : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_window = fika::test::tinyExperimentWindow(m_dir, QStringLiteral("walk"), 120, 1);
        QVERIFY(m_window);
    }

    void cleanupTestCase() { m_window.reset(); }

    // Seed changed, Save version…, the suggested name kept: a new version beside the saved one. An
    // existing name typed: asked first (No by default), replaced only on Yes.
    void saveVersionNeverReplacesUnasked()
    {
        auto* datasets = m_window->datasetsView();
        auto* save = buttonNamed(datasets, QStringLiteral("Save version…"));
        QVERIFY(save && save->isEnabled());
        // The view's own suggestion saved once, as a newcomer's first Save version does.
        QString suggested;
        answerVersionName(QString(), &suggested);
        save->click();
        QVERIFY(!suggested.isEmpty());
        const QString existing = datasets->versionFile(suggested);
        QVERIFY2(QFile::exists(existing), qPrintable(existing));
        const QByteArray before = readAll(existing);

        QSpinBox* seed = seedBox(datasets);
        QVERIFY(seed);
        seed->setValue(seed->value() == 7 ? 8 : 7);
        QString suggestedNow;
        answerVersionName(QString(), &suggestedNow);
        save->click();
        QCOMPARE(suggestedNow, suggested + QStringLiteral("-2"));
        QCOMPARE(readAll(existing), before);
        QVERIFY(QFile::exists(datasets->versionFile(suggestedNow)));

        // The existing name typed: a question, No by default; No leaves the file as it was.
        QString question;
        QMessageBox::StandardButton defaultButton = QMessageBox::NoButton;
        answerVersionName(suggested, &suggestedNow);
        answerMessageBox(QMessageBox::No, &question, &defaultButton);
        save->click();
        QVERIFY2(question.contains(QStringLiteral("A dataset version named “%1” exists").arg(suggested)), qPrintable(question));
        QCOMPARE(defaultButton, QMessageBox::No);
        QCOMPARE(readAll(existing), before);
        // Yes replaces it.
        question.clear();
        answerVersionName(suggested, &suggestedNow);
        answerMessageBox(QMessageBox::Yes, &question, &defaultButton);
        save->click();
        QVERIFY(!question.isEmpty());
        QVERIFY(readAll(existing) != before);
        QVERIFY2(readAll(existing).contains("seed: " + QByteArray::number(seed->value())), readAll(existing).constData());
    }

    // Use in new experiment saves under the suggested name too: an unchanged version is used as it is
    // (not rewritten), a changed one goes to a free name instead of replacing the saved one.
    void useInNewExperimentKeepsSavedVersions()
    {
        auto* datasets = m_window->datasetsView();
        auto* use = buttonNamed(datasets, QStringLiteral("Use in new experiment…"));
        QVERIFY(use);
        QSignalSpy used(datasets, &DatasetsView::useInNewExperiment);
        QSpinBox* seed = seedBox(datasets);
        QVERIFY(seed);
        seed->setValue(seed->value() + 100); // unlike every saved version
        auto closeWizard = [this] {
            for (auto* wizard : m_window->findChildren<ExperimentWizard*>())
                if (wizard->isVisible())
                    wizard->reject();
        };
        const QStringList before = datasets->savedVersions();
        QMap<QString, QByteArray> bytes;
        for (const QString& file : before)
            bytes[file] = readAll(file);
        use->click();
        closeWizard();
        QCOMPARE(used.size(), 1);
        const QString first = used.takeFirst().first().toString();
        for (const QString& file : before)
            QCOMPARE(readAll(file), bytes[file]); // none replaced
        QVERIFY2(!before.contains(first), qPrintable(first));
        // Unchanged settings: the same version again, not one more file.
        const QStringList afterFirst = datasets->savedVersions();
        use->click();
        closeWizard();
        QCOMPARE(used.takeFirst().first().toString(), first);
        QCOMPARE(datasets->savedVersions(), afterFirst);
    }

    // A run that stalled at epoch 6 and then learned: the red warning goes, and the log says why.
    void stallWarningGoesWhenTheModelLearns()
    {
        auto* modeling = m_window->modelingView();
        auto* training = m_window->studio()->training();
        auto* log = modeling->findChild<QPlainTextEdit*>();
        QVERIFY(log);
        Q_EMIT training->epochEnded(epochEvent(6, 30, 0.6725, true));
        QVERIFY2(modeling->warningsText().contains(QStringLiteral("learning nothing")), qPrintable(modeling->warningsText()));
        // The class it predicts by the run's own names, whatever dataset the view shows.
        QVERIFY2(modeling->warningsText().contains(QStringLiteral("predicts “pos”")), qPrintable(modeling->warningsText()));
        // Barely below chance, both classes predicted but no better than guessing: still the warning
        // (no flicker on noise).
        auto guessing = epochEvent(7, 30, 0.66, false);
        guessing.validation.accuracy = 0.5;
        guessing.validation.confusion = fika::core::ConfusionMatrix(2);
        for (int i = 0; i < 20; ++i) {
            guessing.validation.confusion.add(0, i % 2);
            guessing.validation.confusion.add(1, (i + 1) % 2);
        }
        Q_EMIT training->epochEnded(guessing);
        QVERIFY2(modeling->warningsText().contains(QStringLiteral("learning nothing")), qPrintable(modeling->warningsText()));
        // The loss still near ln 2, but 87.5 % of the validation texts right: it learns.
        Q_EMIT training->epochEnded(epochEvent(8, 30, 0.66, false));
        QVERIFY2(!modeling->warningsText().contains(QStringLiteral("learning nothing")), qPrintable(modeling->warningsText()));
        QVERIFY2(log->toPlainText().contains(QStringLiteral("Epoch 8: the model learns now: validation accuracy 87.5")),
                 qPrintable(log->toPlainText()));
        // And it stays gone at the run's end.
        Q_EMIT training->epochEnded(epochEvent(30, 30, 0.0018, false));
        Q_EMIT training->finished(true, false, QString());
        QVERIFY2(!modeling->warningsText().contains(QStringLiteral("learning nothing")), qPrintable(modeling->warningsText()));
    }

    // A run that finished all its epochs: Resume is off and says why; raising Epochs turns it on, and
    // the resumed run adds to the log instead of wiping it.
    void resumeIsOffOnAFinishedRun()
    {
        auto* modeling = m_window->modelingView();
        auto* training = m_window->studio()->training();
        auto* log = modeling->findChild<QPlainTextEdit*>();
        modeling->setSetting(QStringLiteral("training.epochs"), 1);
        QSignalSpy finished(training, &TrainingController::finished);
        answerNext<QMessageBox>([](QMessageBox* box) { box->button(QMessageBox::Yes)->click(); }); // if asked "Run again?"
        modeling->runButton()->click();
        QVERIFY(finished.wait(300000));
        QVERIFY(finished.first().first().toBool());
        QVERIFY2(!finished.first().at(1).toBool(), "the run should finish, not stop");
        QVERIFY2(log->toPlainText().contains(QStringLiteral("Epoch 1 of 1")), qPrintable(log->toPlainText()));
        QVERIFY(!modeling->resumeButton()->isEnabled());
        QVERIFY2(modeling->resumeButton()->toolTip().contains(QStringLiteral("raise Epochs")),
                 qPrintable(modeling->resumeButton()->toolTip()));

        modeling->setSetting(QStringLiteral("training.epochs"), 2);
        QVERIFY(modeling->resumeButton()->isEnabled());
        QVERIFY2(!modeling->resumeButton()->toolTip().contains(QStringLiteral("raise Epochs")),
                 qPrintable(modeling->resumeButton()->toolTip()));
        finished.clear();
        modeling->resumeButton()->click();
        QVERIFY(finished.wait(300000));
        QVERIFY(finished.first().first().toBool());
        const QString text = log->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("Epoch 1 of 1")) && text.contains(QStringLiteral("resuming at epoch 2")) &&
                     text.contains(QStringLiteral("Epoch 2 of 2")),
                 qPrintable(text));
        QVERIFY(!modeling->resumeButton()->isEnabled());
    }

    // The estimate line says how much disk the checkpoints take for the epochs and retention set, and
    // a red warning says when that outgrows the free space of the experiment folder's disk.
    void estimateSaysTheCheckpointsDiskUse()
    {
        auto* modeling = m_window->modelingView();
        auto* studio = m_window->studio();
        const QLocale locale;
        auto megabytes = [&] {
            const auto& config = *studio->currentExperiment();
            const auto disk = fika::core::estimateCheckpointDisk(fika::core::experimentModelShape(config, 2), config);
            return QStringLiteral("%1 MB").arg(locale.toString(static_cast<double>(disk.keptBytes) / 1e6, 'f', 0));
        };
        auto estimateLine = [&] {
            for (const QString& line : modeling->warningsText().split(QStringLiteral("<br>")))
                if (line.startsWith(QStringLiteral("Estimated peak memory")))
                    return line;
            return QString();
        };
        modeling->setSetting(QStringLiteral("training.epochs"), 4);
        QString line = estimateLine();
        QVERIFY2(line.contains(QStringLiteral("Checkpoints take about %1 on disk (4 epoch(s); "
                                              "training.keep_epoch_checkpoints limits it).").arg(megabytes())),
                 qPrintable(line));
        auto config = *studio->currentExperiment();
        config.training.keepEpochCheckpoints = 1;
        QString error;
        QVERIFY2(studio->saveExperimentConfig(config, &error), qPrintable(error));
        modeling->setSetting(QStringLiteral("training.epochs"), 5);
        line = estimateLine();
        QVERIFY2(line.contains(QStringLiteral("Checkpoints take about %1 on disk (the last 1 of 5 epoch(s) kept, "
                                              "training.keep_epoch_checkpoints).").arg(megabytes())),
                 qPrintable(line));
        QVERIFY2(!modeling->warningsText().contains(QStringLiteral("The checkpoints need")), qPrintable(modeling->warningsText()));

        // BERT-base's shape: 440 MB of weights an epoch, for more epochs than the disk holds.
        auto* wizard = m_window->openExperimentWizard();
        wizard->setRandomShape(12, 768, 12, 3072);
        wizard->accept();
        const std::string runFolder = studio->currentExperiment()->output.dir;
        const int64_t free = fika::core::freeDiskBytes(runFolder);
        const int64_t epochs = free / int64_t(440e6) + 10;
        if (free < 0 || epochs > 1000)
            QSKIP("the experiment folder's disk has more room than 1,000 epochs of BERT-base take");
        QVERIFY2(!modeling->warningsText().contains(QStringLiteral("The checkpoints need")), qPrintable(modeling->warningsText()));
        modeling->setSetting(QStringLiteral("training.epochs"), static_cast<double>(epochs));
        const QString text = modeling->warningsText();
        QVERIFY2(text.contains(QStringLiteral("<span style='color:#c0392b'>⚠ The checkpoints need up to ")) &&
                     text.contains(QStringLiteral("on disk while the run writes them, and the disk of %1 has ")
                                       .arg(QString::fromStdString(runFolder))),
                 qPrintable(text));
    }

    // Import folder on the original aclImdb layout (train/ and test/): train/ is read, the summary
    // says test/ was not and where to choose it, and Split imports test/ instead, as a folder that a
    // saved version and a training run read alike.
    void importFolderSaysWhichSplitItRead()
    {
        FIKA_REQUIRE_SHARED("data/imdb/aclImdb-sample/test/pos");
        const QString root = QString::fromStdString(fika::test::sharedPath("data/imdb/aclImdb-sample"));
        DatasetsView view;
        view.setVersionsFolder(m_dir.filePath(QStringLiteral("split-versions")));
        QSignalSpy finished(&view, &DatasetsView::importFinished);
        view.importPath(root);
        QVERIFY(finished.wait(30000));
        QVERIFY(finished.takeFirst().first().toBool());
        QString summary = view.importSummary();
        QVERIFY2(summary.contains(QStringLiteral("200 rows imported")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("Imported train/ (200 files). Not imported: test/ (100 files); choose it "
                                                 "under Split to import it instead.")),
                 qPrintable(summary));
        QComboBox* split = view.splitBox();
        QVERIFY(split && split->isVisibleTo(&view));
        QCOMPARE(split->count(), 2);
        QCOMPARE(split->currentData().toString(), QStringLiteral("train"));

        split->setCurrentIndex(split->findData(QStringLiteral("test")));
        QVERIFY(finished.wait(30000));
        QVERIFY(finished.takeFirst().first().toBool());
        summary = view.importSummary();
        QVERIFY2(summary.startsWith(QDir(root).filePath(QStringLiteral("test"))) &&
                     summary.contains(QStringLiteral("100 rows imported")) &&
                     summary.contains(QStringLiteral("Imported test/ (100 files). Not imported: train/ (200 files)")),
                 qPrintable(summary));
        QCOMPARE(view.tableModel()->rowCount(), 100);
        QCOMPARE(split->currentData().toString(), QStringLiteral("test"));
        // The saved version names test/'s folder, which training (data.folder) reads: the same 100 reviews.
        QString error;
        const QString file = view.versionFile(QStringLiteral("imdb-test"));
        QVERIFY2(view.saveVersion(file, &error), qPrintable(error));
        auto saved = fika::core::loadDatasetVersion(file.toStdString());
        QVERIFY(saved.ok());
        auto trained = fika::core::importFolder(saved->source.path);
        QVERIFY(trained.ok());
        QCOMPARE(trained->report.rowsImported, int64_t(100));
        QCOMPARE(saved->trainingCount + saved->validationCount + saved->testCount, int64_t(100));

        // A folder without splits: no Split choice.
        QTemporaryDir plain;
        fika::test::writeBytes(plain.filePath(QStringLiteral("pos/1.txt")).toStdString(), "Fine.");
        fika::test::writeBytes(plain.filePath(QStringLiteral("neg/1.txt")).toStdString(), "Dull.");
        view.importPath(plain.path());
        QVERIFY(finished.wait(30000));
        QVERIFY(finished.takeFirst().first().toBool());
        QVERIFY(!split->isVisibleTo(&view));
        QVERIFY2(!view.importSummary().contains(QStringLiteral("Split")), qPrintable(view.importSummary()));
    }

    // For a look under xvfb: FIKA_WALKTHROUGH_CSV (reviews, say a few hundred of IMDB) trained on a
    // 2-layer, hidden-32 BERT for 30 epochs, as the walk-through did (it stalls at first, then learns);
    // the Modeling view afterwards saved in FIKA_WALKTHROUGH_SHOTS.
    void screenshotAfterAFinishedRun()
    {
        const QString csv = qEnvironmentVariable("FIKA_WALKTHROUGH_CSV");
        const QString shots = qEnvironmentVariable("FIKA_WALKTHROUGH_SHOTS");
        if (csv.isEmpty() || shots.isEmpty())
            QSKIP("set FIKA_WALKTHROUGH_CSV and FIKA_WALKTHROUGH_SHOTS to take the screenshot");
        MainWindow window;
        window.resize(1366, 768);
        window.show();
        QString error;
        QVERIFY2(window.studio()->newProject(m_dir.filePath(QStringLiteral("shot-project")), QStringLiteral("shot"), &error),
                 qPrintable(error));
        QSignalSpy imported(window.datasetsView(), &DatasetsView::importFinished);
        window.datasetsView()->importPath(csv);
        QVERIFY(imported.wait(60000));
        QVERIFY(imported.first().first().toBool());
        window.datasetsView()->setSequenceLength(128);
        QVERIFY2(window.datasetsView()->saveVersion(window.datasetsView()->versionFile(QStringLiteral("small-128")), &error),
                 qPrintable(error));
        auto* wizard = window.openExperimentWizard();
        wizard->setRandomShape(2, 32, 4, 64);
        wizard->accept();
        auto* modeling = window.modelingView();
        modeling->setSetting(QStringLiteral("training.epochs"), 30);
        modeling->setSetting(QStringLiteral("training.batch_size"), 16);
        QSignalSpy finished(window.studio()->training(), &TrainingController::finished);
        modeling->runButton()->click();
        QVERIFY(finished.wait(300000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().at(2).toString()));
        window.showSection(MainWindow::ModelingSection);
        QTest::qWait(200);
        QVERIFY(QDir().mkpath(shots));
        QVERIFY(window.grab().save(shots + QStringLiteral("/modeling-finished.png")));
        qInfo("Resume: %s, tooltip: %s", modeling->resumeButton()->isEnabled() ? "on" : "off",
              qPrintable(modeling->resumeButton()->toolTip()));
        for (const QString& line : modeling->findChild<QPlainTextEdit*>()->toPlainText().split(QLatin1Char('\n')))
            if (line.contains(QStringLiteral("learn")))
                qInfo("log: %s", qPrintable(line));
        // And the Datasets view after Import folder on aclImdb's layout, with its Split choice.
        if (fika::test::sharedExists("data/imdb/aclImdb-sample/test")) {
            QSignalSpy folder(window.datasetsView(), &DatasetsView::importFinished);
            window.datasetsView()->importPath(QString::fromStdString(fika::test::sharedPath("data/imdb/aclImdb-sample")));
            QVERIFY(folder.wait(60000));
            window.showSection(MainWindow::DatasetsSection);
            QTest::qWait(200);
            QVERIFY(window.grab().save(shots + QStringLiteral("/datasets-splits.png")));
        }
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestWalkthroughModeling)
#include "tst_walkthrough_modeling.moc"
