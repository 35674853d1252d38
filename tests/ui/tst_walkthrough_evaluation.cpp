// SPDX-License-Identifier: GPL-3.0-or-later
// What a newcomer's walk through the Evaluation and Deployment views at 1366x768 found, after one
// short training run: the headline describes the checkpoint chosen, a checkpoint export says where
// it went, refuses a full folder in one clear sentence and can create a new folder, "Test
// deployment" says when no browser opens and gives the address, and review texts use the width
// there is.
#include "ui_test_support.h"

#include "deployment/deployment_view.h"
#include "deployment/server_panel.h"
#include "evaluation/evaluation_view.h"
#include "evaluation/misclassified_browser.h"
#include "main_window.h"
#include "studio.h"
#include "training/training_controller.h"
#include "ui_format.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QTimer>

#include <functional>
#include <memory>
#include <random>

using namespace fika::ui;

namespace {

QByteArray readAll(const QString& file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QPushButton* buttonWithText(QWidget* parent, const QString& text)
{
    for (auto* button : parent->findChildren<QPushButton*>())
        if (button->text() == text)
            return button;
    return nullptr;
}

// Runs `step` on the modal dialog that `open` opens, then closes whatever is still open, so that a
// dialog other than the one expected fails the test instead of hanging it.
void onModalDialog(const std::function<void()>& open, const std::function<void(QWidget*)>& step)
{
    QTimer::singleShot(200, [step] {
        QWidget* dialog = QApplication::activeModalWidget();
        if (dialog)
            step(dialog);
        while (auto* still = qobject_cast<QDialog*>(QApplication::activeModalWidget()))
            still->reject();
    });
    open();
}

// Reviews of 40 to 80 words, as long as real ones begin.
std::string longReviewsCsv(int rows)
{
    const char* filler[] = {"the", "movie", "plot", "actor", "scene", "was", "and", "a", "film", "story", "music", "end"};
    std::mt19937 rng(11);
    std::string csv = "review,sentiment\n";
    for (int i = 0; i < rows; ++i) {
        const bool positive = i % 2 == 0;
        std::string text = "Review " + std::to_string(i) + ":";
        const int words = 40 + static_cast<int>(rng() % 40);
        const int where = static_cast<int>(rng() % 8);
        for (int w = 0; w < words; ++w)
            text += std::string(" ") + (w == where ? (positive ? "great" : "awful") : filler[rng() % 12]);
        csv += "\"" + text + "\"," + (positive ? "positive" : "negative") + "\n";
    }
    return csv;
}

// Saves a picture of `widget` under $FIKA_WALKTHROUGH_SHOTS, where set (to look at, under xvfb).
void shoot(QWidget* widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("FIKA_WALKTHROUGH_SHOTS");
    if (!dir.isEmpty() && QDir().mkpath(dir))
        widget->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

} // namespace

class TestWalkthroughEvaluation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // One project, one short run of a tiny random model on 400 long synthetic reviews (four epochs).
    void initTestCase()
    {
        // tinyExperimentWindow's steps, on long reviews: a list that cuts them short shows.
        QStandardPaths::setTestModeEnabled(true);
        qputenv("FIKA_CACHE_DIR", m_dir.filePath(QStringLiteral("cache")).toUtf8());
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1366, 768);
        m_window->show();
        QString error;
        QVERIFY2(m_window->studio()->newProject(m_dir.filePath(QStringLiteral("project")), QStringLiteral("walkthrough"), &error),
                 qPrintable(error));
        const QString csv = m_dir.filePath(QStringLiteral("reviews.csv"));
        fika::test::writeBytes(csv.toStdString(), longReviewsCsv(400));
        auto* datasets = m_window->datasetsView();
        QSignalSpy imported(datasets, &DatasetsView::importFinished);
        datasets->importPath(csv);
        QVERIFY(imported.wait(30000));
        datasets->setSequenceLength(24);
        QVERIFY2(datasets->saveVersion(datasets->versionFile(QStringLiteral("reviews")), &error), qPrintable(error));
        auto* wizard = m_window->openExperimentWizard();
        wizard->setRandomShape(2, 32, 4, 64);
        wizard->accept();
        auto* modeling = m_window->modelingView();
        modeling->setSetting(QStringLiteral("training.epochs"), 4);
        modeling->setSetting(QStringLiteral("training.batch_size"), 16);
        modeling->setSetting(QStringLiteral("training.threads"), 1);
        QSignalSpy finished(m_window->studio()->training(), &TrainingController::finished);
        QSignalSpy evaluated(m_window->evaluationView(), &EvaluationView::evaluationFinished);
        m_window->modelingView()->runButton()->click();
        QVERIFY(finished.wait(300000));
        QVERIFY(finished.first().first().toBool());
        QVERIFY(evaluated.size() > 0 || evaluated.wait(60000));
        QVERIFY(m_window->evaluationView()->evaluationReady());
        m_window->showSection(MainWindow::EvaluationSection);
    }

    void cleanupTestCase() { m_window.reset(); }

    // Item 1: with `last` chosen, the headline gave the best epoch's accuracy beside the matrix and
    // status bar of `last`: two accuracies on screen.
    void headlineDescribesTheChosenCheckpoint()
    {
        auto* view = m_window->evaluationView();
        auto* checkpoints = view->checkpointSelector();
        const int last = checkpoints->findText(QStringLiteral("last"));
        const int best = checkpoints->findText(QStringLiteral("best"));
        QVERIFY(last >= 0 && best >= 0);
        for (const int index : {last, best}) {
            QSignalSpy evaluated(view, &EvaluationView::evaluationFinished);
            checkpoints->setCurrentIndex(index);
            QVERIFY(evaluated.wait(60000));
            QVERIFY(evaluated.first().first().toBool());
            const auto evaluation = view->misclassifiedBrowser()->evaluation();
            QVERIFY(evaluation);
            const QString accuracy = formatPercent(evaluation->metrics.accuracy, 2);
            const QString headline = view->infoText();
            qInfo("%s: %s | status: %s", qPrintable(checkpoints->currentText()), qPrintable(headline),
                  qPrintable(m_window->statusBar()->currentMessage()));
            QVERIFY2(m_window->statusBar()->currentMessage().contains(accuracy), qPrintable(m_window->statusBar()->currentMessage()));
            QVERIFY2(headline.contains(QStringLiteral("accuracy <b>%1</b>").arg(accuracy)), qPrintable(headline));
            QVERIFY2(headline.contains(QStringLiteral("macro-F1 %1").arg(formatPercent(evaluation->metrics.macroF1, 2))),
                     qPrintable(headline));
            if (index == last) {
                QVERIFY2(headline.contains(QStringLiteral("<i>last</i> (epoch 4 of 4)")), qPrintable(headline));
                QVERIFY2(!headline.contains(QStringLiteral("best epoch")), qPrintable(headline));
            } else {
                QVERIFY2(headline.contains(QStringLiteral("at the best epoch (")), qPrintable(headline));
            }
        }
    }

    // Item 2 (b): a folder holding other files is refused in one sentence that fits an export.
    void exportRefusesAFullFolderClearly()
    {
        const QString precious = m_dir.filePath(QStringLiteral("precious"));
        QVERIFY(QDir().mkpath(precious));
        fika::test::writeBytes((precious + QStringLiteral("/notes.txt")).toStdString(), "mine");
        QString error;
        QVERIFY(!m_window->evaluationView()->exportCheckpoint(precious, &error));
        qInfo("refusal: %s", qPrintable(error));
        QVERIFY2(error.startsWith(precious + QStringLiteral(" is not empty")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("notes.txt")), qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("open it")) && !error.contains(QStringLiteral("Fika replaces")),
                 qPrintable(error));
        QVERIFY(QFile::exists(precious + QStringLiteral("/notes.txt")));
    }

    // A training checkpoint (the run's own best, and a copy of it, with its trainer state) is never
    // exported over: new weights beside the old training state would resume wrongly. An earlier export is replaced whole, and the export holds only what it writes.
    void exportNeverReplacesATrainingCheckpoint()
    {
        QString best;
        for (QDirIterator it(m_dir.path(), {QStringLiteral("trainer_state.json")}, QDir::Files, QDirIterator::Subdirectories);
             it.hasNext();) {
            const QString folder = QFileInfo(it.next()).path();
            if (QFileInfo(folder).fileName() == QStringLiteral("best"))
                best = folder;
        }
        QVERIFY2(!best.isEmpty(), "no best checkpoint with a trainer_state.json");
        const QString copy = m_dir.filePath(QStringLiteral("training-copy"));
        QVERIFY(QDir().mkpath(copy));
        for (const QString& name : QDir(best).entryList(QDir::Files))
            QVERIFY(QFile::copy(QDir(best).filePath(name), QDir(copy).filePath(name)));
        QVERIFY(QFile::exists(QDir(copy).filePath(QStringLiteral("trainer_state.json"))));
        auto* view = m_window->evaluationView();
        for (const QString& target : {copy, best}) {
            const QStringList names = QDir(target).entryList(QDir::Files);
            QMap<QString, QByteArray> bytes;
            for (const QString& name : names)
                bytes[name] = readAll(QDir(target).filePath(name));
            QString error;
            QVERIFY(!view->exportCheckpoint(target, &error));
            QVERIFY2(error.contains(QStringLiteral("is a training checkpoint")), qPrintable(error));
            QCOMPARE(QDir(target).entryList(QDir::Files), names);
            for (const QString& name : names)
                QCOMPARE(readAll(QDir(target).filePath(name)), bytes[name]);
        }
        const QString exported = m_dir.filePath(QStringLiteral("exported-twice/hf"));
        QString error;
        QVERIFY2(view->exportCheckpoint(exported, &error), qPrintable(error));
        QVERIFY2(view->exportCheckpoint(exported, &error), qPrintable(error)); // over the earlier export
        QStringList written = QDir(exported).entryList(QDir::Files);
        written.sort();
        QCOMPARE(written, QStringList({QStringLiteral("config.json"), QStringLiteral("model.safetensors"),
                                       QStringLiteral("special_tokens_map.json"), QStringLiteral("tokenizer_config.json"),
                                       QStringLiteral("vocab.txt")}));
        QCOMPARE(QDir(QFileInfo(exported).path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList({QStringLiteral("hf")})); // no temporary left beside it
    }

    // Item 2 (a, c): the dialog takes a folder that does not exist yet (a folder chooser answered
    // "Directory not found"), keeps itself open with the refusal for a full folder, and a success is
    // said in the status bar.
    void exportDialogCreatesANewFolderAndSaysWhere()
    {
        auto* view = m_window->evaluationView();
        auto* exportButton = buttonWithText(view, QStringLiteral("Export checkpoint…"));
        QVERIFY(exportButton);
        const QString precious = m_dir.filePath(QStringLiteral("precious-dialog"));
        QVERIFY(QDir().mkpath(precious));
        fika::test::writeBytes((precious + QStringLiteral("/notes.txt")).toStdString(), "mine");
        const QString target = m_dir.filePath(QStringLiteral("exports/walkthrough-best"));
        QVERIFY(!QFileInfo::exists(QFileInfo(target).path()));
        QString refusal, dialogName;
        bool closedItself = false;
        onModalDialog([&] { exportButton->click(); },
                      [&](QWidget* dialog) {
                          dialogName = dialog->objectName();
                          auto* folder = dialog->findChild<QLineEdit*>();
                          auto* buttons = dialog->findChild<QDialogButtonBox*>();
                          if (!folder || !buttons || !buttons->button(QDialogButtonBox::Ok))
                              return;
                          qInfo("offered: %s", qPrintable(folder->text()));
                          shoot(dialog, QStringLiteral("export-offered"));
                          folder->setText(precious);
                          buttons->button(QDialogButtonBox::Ok)->click();
                          auto* label = dialog->findChild<QLabel*>(QStringLiteral("exportRefusal"));
                          refusal = label && label->isVisibleTo(dialog) ? label->text() : QString();
                          QApplication::processEvents();
                          shoot(dialog, QStringLiteral("export-refused"));
                          if (label && label->height() < label->heightForWidth(label->width()))
                              refusal = QStringLiteral("cut off: ") + refusal; // the dialog did not grow for it
                          if (!dialog->isVisible())
                              return; // closed on a refusal
                          folder->setText(target);
                          buttons->button(QDialogButtonBox::Ok)->click();
                          closedItself = !dialog->isVisible();
                      });
        QCOMPARE(dialogName, QStringLiteral("exportCheckpointDialog"));
        QVERIFY2(refusal.startsWith(precious + QStringLiteral(" is not empty")), qPrintable(refusal));
        QVERIFY(closedItself);
        for (const char* name : {"config.json", "model.safetensors", "vocab.txt"})
            QVERIFY2(QFileInfo::exists(target + QLatin1Char('/') + QLatin1String(name)), name);
        const QString status = m_window->statusBar()->currentMessage();
        QCOMPARE(status, QStringLiteral("Exported to %1 (Hugging Face format)").arg(QDir::toNativeSeparators(target)));
    }

    // Item 3: xdg-open started but no browser opened (Chromium as root exits at once): nothing was
    // said. Now a message gives the address, selectable and with a Copy button; a browser that
    // opens gets no message.
    void testDeploymentSaysWhenNoBrowserOpens()
    {
        QTemporaryDir bin;
        QVERIFY(bin.isValid());
        const QString opener = bin.filePath(QStringLiteral("xdg-open"));
        auto fakeOpener = [&](int exitCode) {
            fika::test::writeBytes(opener.toStdString(), "#!/bin/sh\nexit " + std::to_string(exitCode) + "\n");
            QFile::setPermissions(opener, QFile::permissions(opener) | QFileDevice::ExeOwner);
        };
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", bin.path().toUtf8() + ':' + path);
        auto restorePath = qScopeGuard([&] { qputenv("PATH", path); });

        m_window->showSection(MainWindow::DeploymentSection);
        auto* server = m_window->deploymentView()->server();
        server->setPort(0);
        QSignalSpy serving(server, &ServerPanel::servingChanged);
        server->enableSwitch()->click();
        QVERIFY(serving.wait(30000));
        QVERIFY(server->isServing());
        auto stop = qScopeGuard([&] { server->stopServing(); });
        auto* test = buttonWithText(server, QStringLiteral("Test deployment"));
        QVERIFY(test && test->isEnabled());
        const QString page = server->url() + QStringLiteral("/");

        fakeOpener(4); // xdg-open's "the action failed"
        // A blocking message box would stop the test here: close it after a while.
        QTimer::singleShot(5000, [] {
            if (auto* modal = qobject_cast<QDialog*>(QApplication::activeModalWidget()); modal && modal->objectName().isEmpty())
                modal->reject();
        });
        test->click();
        QMessageBox* box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((box = server->findChild<QMessageBox*>(QStringLiteral("browserFailure"))), 10000);
        qInfo("message: %s", qPrintable(box->text()));
        shoot(box, QStringLiteral("browser-failure"));
        QVERIFY2(box->text().contains(page) && box->text().contains(QStringLiteral("Couldn't open a web browser")),
                 qPrintable(box->text()));
        QVERIFY(box->textInteractionFlags() & Qt::TextSelectableByMouse);
        QAbstractButton* copy = nullptr;
        for (auto* button : box->buttons())
            if (button->text() == QStringLiteral("Copy address"))
                copy = button;
        QVERIFY(copy);
        QApplication::clipboard()->clear();
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), page);
        QTRY_VERIFY(!server->findChild<QMessageBox*>(QStringLiteral("browserFailure")));

        fakeOpener(0); // a browser opened
        test->click();
        QTest::qWait(1500);
        QVERIFY(!server->findChild<QMessageBox*>(QStringLiteral("browserFailure")));
    }

    // Item 4: at 1366x768 the Misclassified reviews table left its Review column about 110 px and
    // the list under a clicked matrix cell cut reviews at about 25 characters. Now each shows as
    // much as its column holds, and the whole review wrapped in its tooltip.
    void reviewTextsUseTheWidth()
    {
        m_window->showSection(MainWindow::EvaluationSection);
        auto* view = m_window->evaluationView();
        view->detailTabs()->setCurrentIndex(0);
        for (int t = 0; t < 2 && view->examplesTable()->rowCount() == 0; ++t)
            for (int p = 0; p < 2 && view->examplesTable()->rowCount() == 0; ++p)
                view->showCell(t, p);
        QVERIFY(view->examplesTable()->rowCount() > 0);
        QApplication::processEvents();
        shoot(m_window.get(), QStringLiteral("evaluation-matrix"));
        const auto evaluation = view->misclassifiedBrowser()->evaluation();
        QVERIFY(evaluation);
        const int cellShows = shownCharacters(view->examplesTable(), 0);
        qInfo("a clicked cell's list shows %d characters of a review", cellShows);
        const QTableWidgetItem* cellItem = view->examplesTable()->item(0, 0);

        view->detailTabs()->setCurrentIndex(1);
        QApplication::processEvents();
        auto* browser = view->misclassifiedBrowser();
        QVERIFY(browser->count() > 0);
        auto* list = browser->list();
        const int reviewColumn = list->columnCount() - 1;
        const int listShows = shownCharacters(list, reviewColumn);
        qInfo("the Review column is %d of %d px and shows %d characters", list->columnWidth(reviewColumn),
              list->viewport()->width(), listShows);
        QVERIFY2(cellShows >= 40 && listShows >= 80,
                 qPrintable(QStringLiteral("cell list %1, Review column %2 characters").arg(cellShows).arg(listShows)));
        checkTooltip(cellItem, *evaluation);
        checkTooltip(list->item(0, reviewColumn), *evaluation);
        if (QTest::currentTestFailed())
            return;
        shoot(m_window.get(), QStringLiteral("evaluation-misclassified"));
        QSignalSpy explained(browser, &MisclassifiedBrowser::explained);
        list->selectRow(0);
        QVERIFY(explained.wait(30000));
        QVERIFY(explained.first().first().toBool());
        QApplication::processEvents();
        shoot(m_window.get(), QStringLiteral("evaluation-misclassified-explained"));
    }

private:
    // How many characters of the top row's text `column` shows, as the table elides it.
    static int shownCharacters(QTableWidget* table, int column)
    {
        const QString text = table->item(0, column)->text();
        const int margin = 2 * (table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table) + 1);
        const QString shown = table->fontMetrics().elidedText(text, Qt::ElideRight, table->columnWidth(column) - margin);
        return static_cast<int>(shown.size() - (shown.endsWith(QChar(0x2026)) ? 1 : 0));
    }

    // The whole review, in rich text that the tooltip wraps.
    static void checkTooltip(const QTableWidgetItem* item, const fika::core::TextEvaluation& evaluation)
    {
        QString review;
        for (const auto& text : evaluation.texts)
            if (QString::fromStdString(text).simplified().startsWith(item->text()))
                review = QString::fromStdString(text);
        QVERIFY(!review.isEmpty());
        QVERIFY2(Qt::mightBeRichText(item->toolTip()) && item->toolTip().contains(review.toHtmlEscaped()),
                 qPrintable(item->toolTip()));
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestWalkthroughEvaluation)
#include "tst_walkthrough_evaluation.moc"
