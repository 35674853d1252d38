// SPDX-License-Identifier: GPL-3.0-or-later
// Smaller things a newcomer tripped on around the Datasets view, the main window, the project and
// the language (issue 14: items 10, 11 and 16).
#include "datasets/dataset_table_model.h"
#include "datasets/datasets_view.h"
#include "language.h"
#include "main_window.h"
#include "preferences_dialog.h"
#include "project/project_view.h"
#include "studio.h"
#include "user_guide_dialog.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>

#include <fstream>

using namespace fika::ui;

namespace {

// 40 reviews of growing length (short sequence lengths cut some), two classes.
QString writeReviews(const QTemporaryDir& dir)
{
    const QString csv = dir.filePath(QStringLiteral("reviews.csv"));
    std::ofstream out(csv.toStdString());
    out << "review,sentiment\n";
    for (int i = 0; i < 40; ++i)
        out << "\"review " << i << ' ' << std::string(static_cast<size_t>(i % 7) * 4, 'x') << " and a few more words\","
            << (i % 2 ? "positive" : "negative") << "\n";
    return csv;
}

bool importInto(DatasetsView& view, const QString& path)
{
    QSignalSpy finished(&view, &DatasetsView::importFinished);
    view.importPath(path);
    return finished.wait(20000) && finished.first().first().toBool();
}

} // namespace

class TestWindowMinors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("FIKA_CACHE_DIR", m_dir.filePath(QStringLiteral("cache")).toUtf8());
        QSettings().clear();
    }

    void cleanup() { applyLanguage(QStringLiteral("en")); }

    // Item 10: the label column's encoding dialog showed a sequence length, its "cuts" caption and
    // the truncation over its Type combo (made, but left out of the form).
    void categoricalEncodingOffersNoSequenceLength()
    {
        QTemporaryDir dir;
        DatasetsView view;
        view.show();
        QVERIFY(importInto(view, writeReviews(dir)));
        QToolButton* labelButton = nullptr;
        for (auto* button : view.findChildren<QToolButton*>())
            if (button->text().contains(QStringLiteral("categorical")))
                labelButton = button;
        QVERIFY(labelButton);
        int spinBoxes = -1, combos = -1;
        QStringList captions;
        QTimer::singleShot(100, &view, [&] {
            QDialog* dialog = view.encodingDialog();
            if (!dialog)
                return;
            spinBoxes = combos = 0;
            for (auto* box : dialog->findChildren<QSpinBox*>())
                spinBoxes += box->isVisible();
            for (auto* box : dialog->findChildren<QComboBox*>())
                combos += box->isVisible();
            for (auto* label : dialog->findChildren<QLabel*>())
                if (label->isVisible())
                    captions << label->text();
            dialog->reject();
        });
        labelButton->click();
        QCOMPARE(spinBoxes, 0);
        QCOMPARE(combos, 1); // the Type, nothing else
        QVERIFY2(!captions.join(QLatin1Char('|')).contains(QStringLiteral("cuts")), qPrintable(captions.join(QLatin1Char('|'))));
        QVERIFY(captions.join(QLatin1Char('|')).contains(QStringLiteral("negative, positive")));
    }

    // Item 16: editing one subset share adjusts the others so that they add up to 100 %.
    void subsetsAlwaysAddUpTo100()
    {
        QTemporaryDir dir;
        DatasetsView view;
        QVERIFY(importInto(view, writeReviews(dir)));
        const auto boxes = view.findChildren<QDoubleSpinBox*>();
        QCOMPARE(boxes.size(), 3);
        QDoubleSpinBox* training = boxes[0];
        QDoubleSpinBox* validation = boxes[1];
        QDoubleSpinBox* test = boxes[2];
        auto shares = [&] { return QList<double>{training->value(), validation->value(), test->value()}; };
        training->setValue(70);
        QCOMPARE(shares(), (QList<double>{70, 30, 0}));
        test->setValue(10); // validation gives
        QCOMPARE(shares(), (QList<double>{70, 20, 10}));
        validation->setValue(50); // training gives
        QCOMPARE(shares(), (QList<double>{40, 50, 10}));
        training->setValue(95); // validation gives all it has, test the rest
        QCOMPARE(shares(), (QList<double>{95, 0, 5}));
        QVERIFY2(view.subsetSummary().endsWith(QStringLiteral("test examples")), qPrintable(view.subsetSummary()));
    }

    // Item 16: New project accepts a folder that does not exist yet and creates it (a directory
    // chooser refused it). Whatever dialog opens gets the path typed in and is accepted.
    void newProjectCreatesAMissingFolder()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("projects/first"));
        Studio studio;
        ProjectView view(&studio);
        QStringList warnings;
        int ticks = 0;
        bool typed = false;
        QTimer timer;
        connect(&timer, &QTimer::timeout, this, [&] {
            ++ticks;
            QWidget* modal = QApplication::activeModalWidget();
            if (auto* box = qobject_cast<QMessageBox*>(modal)) {
                warnings << box->text();
                box->reject();
            } else if (auto* dialog = qobject_cast<QDialog*>(modal)) {
                if (typed || ticks > 20) {
                    dialog->reject(); // it refused the path
                } else if (auto* edit = dialog->findChild<QLineEdit*>()) {
                    edit->setText(folder);
                    typed = true;
                    // Queued: a warning it may open runs its own loop, and this timer must tick in it.
                    QMetaObject::invokeMethod(dialog, &QDialog::accept, Qt::QueuedConnection);
                }
            }
        });
        timer.start(100);
        view.newProjectDialog();
        timer.stop();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('|'))));
        QVERIFY(studio.project().has_value());
        QCOMPARE(QDir(QString::fromStdString(studio.project()->dir)).absolutePath(), QDir(folder).absolutePath());
        QVERIFY(QFileInfo::exists(folder + QStringLiteral("/project.yaml")));
    }

    // Item 16: Help has a user guide, built in (it reads offline).
    void helpMenuOpensTheUserGuide()
    {
        MainWindow window;
        QAction* guide = nullptr;
        for (QAction* menu : window.menuBar()->actions())
            if (menu->menu())
                for (QAction* action : menu->menu()->actions())
                    if (action->text() == QStringLiteral("&User guide"))
                        guide = action;
        QVERIFY(guide);
        QCOMPARE(guide->shortcut(), QKeySequence(QKeySequence::HelpContents));
        guide->trigger();
        QTextBrowser* browser = nullptr;
        for (auto* candidate : window.findChildren<QTextBrowser*>())
            if (candidate->isVisible())
                browser = candidate;
        QVERIFY(browser);
        const QString text = browser->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("New project")) && text.contains(QStringLiteral("Use in new experiment")),
                 qPrintable(text.left(200)));
        // In Swedish, the Swedish guide.
        QCOMPARE(applyLanguage(QStringLiteral("sv")), QStringLiteral("sv"));
        UserGuideDialog swedish;
        QVERIFY2(swedish.browser()->toPlainText().contains(QStringLiteral("Arkiv › Nytt projekt…")),
                 qPrintable(swedish.browser()->toPlainText().left(200)));
    }

    // Item 11: the app reopens the project used last, if it is still there.
    void reopensTheLastProject()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("kept"));
        {
            Studio first;
            QString error;
            QVERIFY2(first.newProject(folder, QStringLiteral("kept"), &error), qPrintable(error));
        }
        MainWindow window;
        QVERIFY(!window.studio()->project());
        QVERIFY(window.studio()->reopenLastProject());
        QCOMPARE(QString::fromStdString(window.studio()->project()->name), QStringLiteral("kept"));
        QVERIFY(QDir(folder).removeRecursively());
        MainWindow later;
        QVERIFY(!later.studio()->reopenLastProject()); // gone: the app starts without a project
        QVERIFY(!later.studio()->project());
    }

    // Item 11: a reopened project's Datasets view lists its saved versions; choosing one shows its
    // rows, its summary and its settings.
    void datasetsViewListsSavedVersions()
    {
        QTemporaryDir dir;
        const QString csv = writeReviews(dir);
        const QString versions = dir.filePath(QStringLiteral("datasets"));
        {
            DatasetsView before;
            before.setVersionsFolder(versions);
            QVERIFY(importInto(before, csv));
            before.setSequenceLength(64);
            QString error;
            QVERIFY2(before.saveVersion(before.versionFile(QStringLiteral("reviews-64")), &error), qPrintable(error));
        }
        DatasetsView view; // as after a restart
        view.setVersionsFolder(versions);
        auto* box = view.findChild<QComboBox*>(QStringLiteral("savedVersions"));
        QVERIFY(box);
        QCOMPARE(box->count(), 2); // "1 saved, choose one…" and the version
        QCOMPARE(box->itemText(1), QStringLiteral("reviews-64"));
        QVERIFY2(view.importSummary().startsWith(QStringLiteral("Saved dataset versions in this project: 1.")),
                 qPrintable(view.importSummary()));
        QCOMPARE(view.tableModel()->rowCount(), 0);
        QSignalSpy finished(&view, &DatasetsView::importFinished);
        Q_EMIT box->activated(1); // the user chooses it
        QVERIFY(finished.wait(20000));
        QCOMPARE(view.tableModel()->rowCount(), 40);
        QCOMPARE(view.sequenceLength(), 64);
        QVERIFY2(view.importSummary().startsWith(QStringLiteral("Saved version reviews-64 of ")), qPrintable(view.importSummary()));
        QVERIFY2(view.importSummary().contains(QStringLiteral("32 training, 8 validation, 0 test examples")),
                 qPrintable(view.importSummary()));
        QCOMPARE(box->currentIndex(), 1);
    }

    // Item 11: switching the language in Preferences leaves no half-translated window: it takes
    // effect at the next start, and the dialog says so and offers the restart.
    void preferencesSaysARestartIsNeeded()
    {
        QCOMPARE(applyLanguage(QStringLiteral("en")), QStringLiteral("en"));
        MainWindow window;
        PreferencesDialog preferences(&window);
        auto* box = preferences.languageBox();
        box->setCurrentIndex(box->findData(QStringLiteral("sv")));
        QPushButton* restart = nullptr;
        for (auto* button : preferences.findChildren<QPushButton*>())
            if (button->text() == QStringLiteral("&Restart now"))
                restart = button;
        QVERIFY(restart);
        QVERIFY(!restart->isHidden());
        QStringList captions;
        for (auto* label : preferences.findChildren<QLabel*>())
            captions << label->text();
        QVERIFY2(captions.join(QLatin1Char('|')).contains(QStringLiteral("when Fika restarts")), qPrintable(captions.join(QLatin1Char('|'))));
        preferences.accept();
        QCOMPARE(savedLanguageChoice(), QStringLiteral("sv"));
        // Nothing switched yet: a menu built now is in the same language as the window.
        QCOMPARE(QCoreApplication::translate("fika::ui::MainWindow", "Project"), QStringLiteral("Project"));
        saveLanguageChoice(QString());
    }

    // Item 11: Qt's own dialogs speak Swedish too (Qt's translation beside Fika's).
    void qtDialogsSpeakSwedish()
    {
        QCOMPARE(applyLanguage(QStringLiteral("sv")), QStringLiteral("sv"));
        // Qt 6's standard buttons, which Qt's Swedish file lacks, come with Fika.
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Avbryt"));
        QCOMPARE(QDialogButtonBox(QDialogButtonBox::Cancel).button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Avbryt"));
        const QString dir = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
        if (!QFileInfo::exists(dir + QStringLiteral("/qtbase_sv.qm")) && !QFileInfo::exists(dir + QStringLiteral("/qt_sv.qm")))
            QSKIP("Qt's Swedish translation is not installed (Debian: qt6-translations-l10n)");
        QCOMPARE(QCoreApplication::translate("QFileDialog", "Back"), QStringLiteral("Tillbaka"));
        QCOMPARE(QCoreApplication::translate("QFileDialog", "&Open"), QStringLiteral("&Öppna"));
        applyLanguage(QStringLiteral("en"));
        QCOMPARE(QCoreApplication::translate("QFileDialog", "Back"), QStringLiteral("Back"));
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Cancel"));
    }

    // Item 11: numbers in the Datasets view as the language writes them ("12,5 %" in Swedish).
    void datasetsNumbersFollowTheLanguage()
    {
        QTemporaryDir dir;
        QCOMPARE(applyLanguage(QStringLiteral("sv")), QStringLiteral("sv"));
        DatasetsView view;
        QVERIFY(importInto(view, writeReviews(dir)));
        view.setSequenceLength(10);
        const QRegularExpression swedishPercent(QStringLiteral("\\d,\\d %"));
        const QRegularExpression pointPercent(QStringLiteral("\\d\\.\\d %"));
        QVERIFY2(view.truncationSummary().contains(swedishPercent), qPrintable(view.truncationSummary()));
        QVERIFY2(!view.truncationSummary().contains(pointPercent), qPrintable(view.truncationSummary()));
        QVERIFY2(view.importSummary().contains(QStringLiteral("1,00")), qPrintable(view.importSummary())); // the balance
        applyLanguage(QStringLiteral("en"));
        view.setSequenceLength(11);
        QVERIFY2(view.truncationSummary().contains(pointPercent), qPrintable(view.truncationSummary()));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestWindowMinors)
#include "tst_window_minors.moc"
