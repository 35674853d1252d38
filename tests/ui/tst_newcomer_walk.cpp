// SPDX-License-Identifier: GPL-3.0-or-later
// A newcomer's walk through the tutorial in Swedish, on a laptop scaled to 125 % and by keyboard.
#include "ui_test_support.h"

#include "datasets/import_columns_dialog.h"
#include "deployment/deployment_view.h"
#include "deployment/server_panel.h"
#include "deployment/tester_widget.h"
#include "download/library.h"
#include "evaluation/confusion_matrix_plot.h"
#include "evaluation/evaluation_view.h"
#include "evaluation/misclassified_browser.h"
#include "evaluation/training_charts.h"
#include "qcustomplot_wrapper.h"
#include "language.h"
#include "library/data_library_dialog.h"
#include "modeling/several_machines_dialog.h"
#include "preferences_dialog.h"
#include "project/new_project_dialog.h"
#include "training/training_controller.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QComboBox>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTabBar>
#include <QTableWidget>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QTranslator>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace fika::ui;

namespace {

// A window whose tiny experiment has trained one epoch, active (the keys go where the focus is).
std::unique_ptr<MainWindow> trainedWindow(const QTemporaryDir& dir, int rows = 60)
{
    auto window = fika::test::tinyExperimentWindow(dir, QStringLiteral("walk"), rows, 1);
    if (!window)
        return nullptr;
    QSignalSpy finished(window->studio()->training(), &TrainingController::finished);
    window->modelingView()->runButton()->click();
    if (!finished.wait(120000) || !finished.first().first().toBool())
        return nullptr;
    QApplication::setActiveWindow(window.get());
    if (!QTest::qWaitForWindowActive(window.get()))
        return nullptr;
    return window;
}

// The letters of Alt+letter among the shown, enabled controls of `top` (and `extra` texts, the
// menus): "Alt+C: S&chedule: / Processes on this &computer:" for each letter given twice.
QStringList accessKeyConflicts(QWidget* top, const QStringList& extra = {})
{
    QCoreApplication::processEvents();
    QMultiMap<QChar, QString> keys;
    auto add = [&keys](const QString& text) {
        for (int at = text.indexOf(QLatin1Char('&')); at >= 0 && at + 1 < text.size(); at = text.indexOf(QLatin1Char('&'), at + 2))
            if (text[at + 1] != QLatin1Char('&')) {
                keys.insert(text[at + 1].toLower(), text);
                return;
            }
    };
    for (const QString& text : extra)
        add(text);
    for (QWidget* widget : top->findChildren<QWidget*>()) {
        if (!widget->isVisible() || !widget->isEnabled())
            continue;
        if (auto* button = qobject_cast<QAbstractButton*>(widget))
            add(button->text());
        else if (auto* label = qobject_cast<QLabel*>(widget); label && label->buddy() && label->buddy()->isEnabled())
            add(label->text());
        else if (auto* tabs = qobject_cast<QTabBar*>(widget))
            for (int tab = 0; tab < tabs->count(); ++tab)
                add(tabs->tabText(tab));
    }
    QStringList conflicts;
    for (QChar key : keys.uniqueKeys())
        if (keys.count(key) > 1)
            conflicts << QStringLiteral("Alt+%1: %2").arg(key.toUpper(), QStringList(keys.values(key)).join(QStringLiteral(" / ")));
    return conflicts;
}

} // namespace

class TestNewcomerWalk : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The experiments list took 240 px of 1366 (300 of a 125 % laptop's), and the confusion matrix
    // beside the examples cut "100.0 %" in its cells. It is as wide as its names now, up to a limit,
    // eliding longer ones in the middle (their ends tell runs apart), the full name in the tooltip.
    void experimentsListLeavesTheChartsRoom_data()
    {
        QTest::addColumn<QSize>("window");
        QTest::newRow("1366x768") << QSize(1366, 768);
        QTest::newRow("1366x768 at 125 %") << QSize(1093, 614); // the same layout in logical pixels
    }

    void experimentsListLeavesTheChartsRoom()
    {
        QFETCH(QSize, window);
        QTemporaryDir dir;
        auto main = fika::test::tinyExperimentWindow(dir, QStringLiteral("walk"), 60, 1);
        QVERIFY(main);
        main->resize(window);
        main->showSection(MainWindow::EvaluationSection);
        auto* evaluation = main->evaluationView();
        const auto lists = evaluation->findChildren<QListWidget*>();
        QCOMPARE(lists.size(), 1);
        QListWidget* experiments = lists.first();
        QTRY_VERIFY(experiments->count() == 1 && experiments->width() > 0);
        QCoreApplication::processEvents();
        const int nameWidth = experiments->visualItemRect(experiments->item(0)).width();
        qInfo("list %d px (its name %d px), charts %d px, matrix %d px of %d", experiments->width(), nameWidth,
              evaluation->charts()->width(), evaluation->confusionMatrix()->width(), window.width());
        QVERIFY2(experiments->width() <= 170, qPrintable(QString::number(experiments->width())));
        QVERIFY(experiments->width() >= 100); // still a list to click in
        // The matrix gets half the width beside the examples: 100.0 % and the labels fit in its cells.
        const int right = evaluation->width() - experiments->width();
        QVERIFY2(evaluation->confusionMatrix()->width() >= right * 2 / 5,
                 qPrintable(QStringLiteral("%1 of %2").arg(evaluation->confusionMatrix()->width()).arg(right)));

        // A long name: the list grows to its limit, elides the name, and the tooltip holds it whole.
        const QString longName = QStringLiteral("bert-base-uncased-imdb-lr2e-5-batch32-warmup10-seed42");
        QString error;
        auto config = *main->studio()->currentExperiment();
        config.output.dir = (QDir(dir.filePath(QStringLiteral("project/experiments"))).filePath(longName)).toStdString();
        QVERIFY2(main->studio()->createExperiment(config, &error), qPrintable(error));
        QTRY_COMPARE(experiments->count(), 2);
        QCoreApplication::processEvents();
        qInfo("with a long name: list %d px", experiments->width());
        QVERIFY2(experiments->width() > 110 && experiments->width() <= 230, qPrintable(QString::number(experiments->width())));
        QListWidgetItem* item = experiments->findItems(longName, Qt::MatchExactly).value(0);
        QVERIFY(item);
        QVERIFY(item->toolTip().contains(longName));
    }

    // By keyboard the confusion matrix was no stop on Tab and its cells listed nothing: their examples
    // were for the mouse alone. Tab reaches it, the arrows move the outlined cell and list its examples.
    void confusionMatrixCellsByKeyboard()
    {
        ConfusionMatrixPlot plot;
        fika::core::ConfusionMatrix matrix(3);
        for (int t = 0; t < 3; ++t)
            for (int p = 0; p < 3; ++p)
                matrix.add(t, p);
        plot.setMatrix(matrix, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        plot.resize(400, 360);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QVERIFY(plot.focusPolicy() & Qt::TabFocus);
        plot.setFocus();
        QSignalSpy clicked(&plot, &ConfusionMatrixPlot::cellClicked);
        QTest::keyClick(&plot, Qt::Key_Right); // no cell yet: the first one
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.last(), (QList<QVariant>{0, 0}));
        QTest::keyClick(&plot, Qt::Key_Right);
        QTest::keyClick(&plot, Qt::Key_Down);
        QCOMPARE(clicked.last(), (QList<QVariant>{1, 1}));
        QTest::keyClick(&plot, Qt::Key_Down);
        QTest::keyClick(&plot, Qt::Key_Down); // stays in the last row
        QCOMPARE(clicked.last(), (QList<QVariant>{2, 1}));
        QTest::keyClick(&plot, Qt::Key_Left);
        QTest::keyClick(&plot, Qt::Key_Left);
        QTest::keyClick(&plot, Qt::Key_Up);
        QCOMPARE(clicked.last(), (QList<QVariant>{1, 0}));
        const auto moves = clicked.size();
        QTest::keyClick(&plot, Qt::Key_Left); // at the edge: nothing new to list
        QCOMPARE(clicked.size(), moves);
    }
    // Return in the experiment wizard did nothing: its default button was Browse… of the weights tab,
    // hidden (and disabled for random weights); on that tab Return in the folder field opened a file
    // dialog. Return goes on to the next tab now, and on the last one creates the experiment.
    void wizardReturnGoesOnAndCreates()
    {
        QTemporaryDir dir;
        auto window = fika::test::tinyExperimentWindow(dir, QStringLiteral("walk"), 60, 1);
        QVERIFY(window);
        auto* wizard = window->openExperimentWizard();
        QVERIFY(QTest::qWaitForWindowExposed(wizard));
        QSignalSpy accepted(wizard, &QDialog::accepted);
        auto pressReturn = [wizard] {
            QWidget* focus = wizard->focusWidget() ? wizard->focusWidget() : wizard;
            QTest::keyClick(focus, Qt::Key_Return);
        };
        for (int tab = 1; tab < wizard->tabs()->count(); ++tab) {
            pressReturn();
            QCOMPARE(wizard->tabs()->currentIndex(), tab);
            QCOMPARE(accepted.size(), 0);
        }
        auto* name = wizard->findChild<QLineEdit*>(QStringLiteral("experimentName"));
        QVERIFY(name);
        name->setFocus();
        name->setText(QStringLiteral("by-keyboard"));
        QTest::keyClick(name, Qt::Key_Return);
        QCOMPARE(accepted.size(), 1);
        QVERIFY(window->studio()->currentExperiment());
        QVERIFY(QString::fromStdString(window->studio()->currentExperiment()->output.dir).endsWith(QStringLiteral("by-keyboard")));
    }
    // With the Tester dock open (View ▸ Tester) beside the Deployment view's own tester, Ctrl+Return
    // played in neither: two window-wide shortcuts on one key are ambiguous. Each tester's shortcut
    // is its own now, where the focus is.
    void testerCtrlReturnWithTheDockOpen()
    {
        QTemporaryDir dir;
        auto window = trainedWindow(dir);
        QVERIFY(window);
        window->showSection(MainWindow::DeploymentSection);
        window->findChild<QDockWidget*>(QStringLiteral("testerDock"))->show();
        for (TesterWidget* tester : {window->deploymentView()->tester(), window->testerDock()}) {
            QTRY_VERIFY(tester->predictor() != nullptr);
            tester->setText(QStringLiteral("a good film"));
            auto* text = tester->findChild<QPlainTextEdit*>();
            text->setFocus();
            QSignalSpy answered(tester, &TesterWidget::answered);
            QTest::keyClick(text, Qt::Key_Return, Qt::ControlModifier);
            QVERIFY(answered.wait(10000));
        }
    }

    // The port in use: the refusal says to choose another port, and the focus stayed on the switch.
    // It is in the port field now, its number selected to type over.
    void portInUseLeavesTheFocusOnThePort()
    {
        QTemporaryDir dir;
        auto window = trainedWindow(dir);
        QVERIFY(window);
        window->showSection(MainWindow::DeploymentSection);
        const int busy = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        QVERIFY(::bind(busy, reinterpret_cast<sockaddr*>(&address), size) == 0 && ::listen(busy, 1) == 0 &&
                ::getsockname(busy, reinterpret_cast<sockaddr*>(&address), &size) == 0);
        auto* server = window->deploymentView()->server();
        server->setPort(ntohs(address.sin_port));
        server->enableSwitch()->setFocus();
        QSignalSpy serving(server, &ServerPanel::servingChanged);
        QTest::keyClick(server->enableSwitch(), Qt::Key_Space);
        QVERIFY(serving.wait(20000));
        ::close(busy);
        QCOMPARE(serving.last().first().toBool(), false);
        QVERIFY(!server->enableSwitch()->isChecked());
        auto* port = server->findChild<QSpinBox*>();
        QVERIFY(port);
        QVERIFY2(port->hasFocus(), QApplication::focusWidget() ? QApplication::focusWidget()->metaObject()->className() : "none");
        QCOMPARE(port->findChild<QLineEdit*>()->selectedText(), QString::number(ntohs(address.sin_port)));
    }
    // The data library listed the catalog's names in English in the Swedish interface ("BERT base,
    // English, uncased (110 M parameters)"): they are translatable now, each name of the bundled
    // catalog, and shown through the translation.
    void dataLibraryNamesAreTranslated()
    {
        auto catalog = fika::core::loadCatalog(fika::core::bundledCatalogPath());
        QVERIFY(catalog);
        const QStringList marked = DataLibraryDialog::translatableCatalogNames();
        QStringList names;
        for (const auto& dataset : catalog->datasets)
            names << QString::fromStdString(dataset.name);
        for (const auto& model : catalog->models)
            names << QString::fromStdString(model.name);
        for (const QString& name : names)
            QVERIFY2(marked.contains(name), qPrintable(name + QStringLiteral(": not marked for translation")));

        // Every text of the dialog's context comes back in brackets: so do the names in the list.
        class Brackets : public QTranslator {
        public:
            bool isEmpty() const override { return false; }
            QString translate(const char* context, const char* source, const char*, int) const override
            {
                return QByteArray(context) == "fika::ui::DataLibraryDialog" ? QStringLiteral("[%1]").arg(QString::fromUtf8(source))
                                                                             : QString();
            }
        } brackets;
        QCoreApplication::installTranslator(&brackets);
        DataLibraryDialog dialog;
        QCoreApplication::removeTranslator(&brackets);
        auto* list = dialog.findChild<QListWidget*>();
        QVERIFY(list);
        QCOMPARE(list->count(), names.size());
        for (int row = 0; row < list->count(); ++row)
            QVERIFY2(list->item(row)->text().contains(QStringLiteral("[%1]").arg(names[row])), qPrintable(list->item(row)->text()));
    }

    // The wizard's summary wrote the learning rate as C does ("inlärningstakt 0.0005") among Swedish
    // numbers ("1 600 träningsexempel"): it follows the language now.
    void wizardSummaryWritesTheLearningRateInTheLanguage()
    {
        QTemporaryDir dir;
        auto window = fika::test::tinyExperimentWindow(dir, QStringLiteral("walk"), 60, 1);
        QVERIFY(window);
        QCOMPARE(applyLanguage(QStringLiteral("sv")), QStringLiteral("sv"));
        auto* wizard = window->openExperimentWizard(); // random weights, from scratch: 5e-4
        wizard->tabs()->setCurrentIndex(wizard->tabs()->count() - 1);
        QString summary;
        for (auto* label : wizard->findChildren<QLabel*>())
            if (label->text().contains(QStringLiteral("→")))
                summary = label->text();
        applyLanguage(QStringLiteral("en"));
        QVERIFY2(summary.contains(QStringLiteral("0,0005")) && !summary.contains(QStringLiteral("0.0005")), qPrintable(summary));
    }

    // On a 1366x768 laptop at 125 % the Misclassified reviews tab showed two rows of its list, and
    // the view scrolled to reach the rest of the explanation beside it: the explanation's chart is
    // as tall as its rows (up to 16 words). The explanation scrolls within its pane now; the view
    // fits the window and the list shows more reviews, a line each.
    void misclassifiedTabFitsALaptopAt125()
    {
        QTemporaryDir dir;
        auto window = trainedWindow(dir, 120);
        QVERIFY(window);
        window->resize(1093, 614); // 1366x768 at 125 %, in logical pixels
        window->showSection(MainWindow::EvaluationSection);
        auto* evaluation = window->evaluationView();
        QTRY_VERIFY_WITH_TIMEOUT(evaluation->evaluationReady(), 60000);
        auto* browser = evaluation->misclassifiedBrowser();
        evaluation->detailTabs()->setCurrentWidget(browser);
        QVERIFY(browser->count() > 4);
        QSignalSpy explained(browser, &MisclassifiedBrowser::explained);
        browser->list()->selectRow(0);
        QVERIFY(explained.wait(60000));
        QCoreApplication::processEvents();
        auto* area = qobject_cast<QScrollArea*>(evaluation->parentWidget()->parentWidget());
        QVERIFY(area);
        const int needed = area->widget()->height(), shown = area->viewport()->height(); // as laid out
        const int rows = browser->list()->viewport()->height() / std::max(1, browser->list()->rowHeight(0));
        qInfo("the view needs %d px of %d; the list shows %d rows", needed, shown, rows);
        QVERIFY2(needed <= shown, qPrintable(QStringLiteral("%1 > %2").arg(needed).arg(shown)));
        QVERIFY2(rows >= 3, qPrintable(QString::number(rows)));
    }

    // By Tab a keyboard user could not get round the views: Tab stopped on each view's scroll area (a
    // stop that shows no focus), went cell by cell through the dataset's table and the matrix's
    // examples (25,000 reviews), and typed a tab character in the tester's text. From the sections,
    // Tab goes round every view and back to them now.
    void tabGoesRoundEveryView()
    {
        QTemporaryDir dir;
        auto window = trainedWindow(dir);
        QVERIFY(window);
        auto* evaluation = window->evaluationView();
        QTRY_VERIFY_WITH_TIMEOUT(evaluation->evaluationReady(), 60000);
        for (int cell = 0; cell < 4 && evaluation->examplesTable()->rowCount() == 0; ++cell)
            evaluation->showCell(cell / 2, cell % 2); // examples to list
        QVERIFY(evaluation->examplesTable()->rowCount() > 0);
        auto* sections = window->findChild<QListWidget*>();
        auto* views = window->findChild<QStackedWidget*>();
        for (int section = 0; section < window->sectionNames().size(); ++section) {
            window->showSection(section);
            sections->setFocus();
            QWidget* focus = sections;
            QStringList stops;
            for (int press = 0; press < 60 && (press == 0 || focus != sections); ++press) {
                QWidget* before = focus;
                QTest::keyClick(focus, Qt::Key_Tab);
                focus = QApplication::focusWidget();
                QVERIFY(focus);
                stops << QString::fromLatin1(focus->metaObject()->className());
                QVERIFY2(focus != before, qPrintable(window->sectionNames()[section] + QStringLiteral(": Tab stays in ") + stops.last()));
                const bool viewsScrollArea = qobject_cast<QScrollArea*>(focus) && focus->parentWidget() == views;
                QVERIFY2(!viewsScrollArea, qPrintable(window->sectionNames()[section]));
            }
            QVERIFY2(focus == sections, qPrintable(window->sectionNames()[section] + QStringLiteral(": ") + stops.join(QLatin1Char(' '))));
        }
    }

    // Alt+letter in a view reached two controls where two labels shared a letter ("S&chedule" and
    // "Processes on this &computer" in Modeling), or a label and a menu: Qt then cycles between
    // them instead of going to the one named. Each view's enabled controls and the menus have a
    // letter each, with a run that Resume continues (its settings and Resume enabled together).
    void accessKeysAreUniqueInEachView_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("English") << QStringLiteral("en");
        QTest::newRow("Swedish") << QStringLiteral("sv");
    }

    void accessKeysAreUniqueInEachView()
    {
        QFETCH(QString, language);
        QTemporaryDir dir;
        QCOMPARE(applyLanguage(language), language);
        auto window = trainedWindow(dir);
        QVERIFY(window);
        window->modelingView()->setSetting(QStringLiteral("training.epochs"), 2); // Resume continues it
        QStringList menus;
        for (QAction* menu : window->menuBar()->actions())
            menus << menu->text();
        QStringList conflicts;
        for (int section = 0; section < window->sectionNames().size(); ++section) {
            window->showSection(section);
            for (const QString& conflict : accessKeyConflicts(window.get(), menus))
                conflicts << window->sectionNames()[section] + QStringLiteral(", ") + conflict;
        }
        applyLanguage(QStringLiteral("en"));
        if (!conflicts.isEmpty())
            qInfo("%s", qPrintable(conflicts.join(QLatin1Char('\n'))));
        QVERIFY2(conflicts.isEmpty(), qPrintable(conflicts.join(QStringLiteral("; "))));
    }


    // The same in the dialogs: the wizard's Browse… and < Back shared Alt+B (with pretrained weights).
    void accessKeysAreUniqueInEachDialog_data() { accessKeysAreUniqueInEachView_data(); }

    void accessKeysAreUniqueInEachDialog()
    {
        QFETCH(QString, language);
        QTemporaryDir dir;
        auto window = fika::test::tinyExperimentWindow(dir, QStringLiteral("walk"), 60, 1);
        QVERIFY(window);
        QCOMPARE(applyLanguage(language), language);
        QStringList conflicts;
        auto check = [&conflicts](QWidget* dialog, const QString& name) {
            for (const QString& conflict : accessKeyConflicts(dialog))
                conflicts << name + QStringLiteral(", ") + conflict;
        };
        auto* wizard = window->openExperimentWizard(); // random weights, as the experiment's
        for (int tab = 0; tab < wizard->tabs()->count(); ++tab) {
            wizard->tabs()->setCurrentIndex(tab);
            check(wizard, QStringLiteral("wizard tab %1").arg(tab + 1));
        }
        wizard->findChild<QRadioButton*>()->setChecked(true); // pretrained: its folder's buttons
        wizard->tabs()->setCurrentIndex(2);
        check(wizard, QStringLiteral("wizard, pretrained"));
        wizard->reject();
        PreferencesDialog preferences;
        preferences.show();
        check(&preferences, QStringLiteral("preferences"));
        NewProjectDialog project;
        project.show();
        check(&project, QStringLiteral("new project"));
        DataLibraryDialog library;
        library.show();
        check(&library, QStringLiteral("data library"));
        SeveralMachinesDialog machines(QStringLiteral("/tmp/run/config.yaml"), 1);
        machines.show();
        check(&machines, QStringLiteral("several machines"));
        fika::core::CsvColumns columns;
        columns.names = {"id", "title", "body", "stars"};
        ImportColumnsDialog import(QStringLiteral("/tmp/reviews.csv"), columns);
        import.show();
        check(&import, QStringLiteral("import columns"));
        window->showSection(MainWindow::DatasetsSection);
        bool encodingChecked = false;
        QTimer::singleShot(0, window.get(), [&] { // inside the encoding dialog's exec()
            auto* encoding = window->datasetsView()->encodingDialog();
            if (!encoding)
                return;
            if (QTest::qWaitForWindowExposed(encoding)) {
                check(encoding, QStringLiteral("encoding"));
                encodingChecked = true;
            }
            encoding->reject();
        });
        window->datasetsView()->showTextEncoding();
        applyLanguage(QStringLiteral("en"));
        QVERIFY2(encodingChecked, "the encoding dialog was not shown");
        if (!conflicts.isEmpty())
            qInfo("%s", qPrintable(conflicts.join(QLatin1Char('\n'))));
        QVERIFY2(conflicts.isEmpty(), qPrintable(conflicts.join(QStringLiteral("; "))));
    }

    // With nothing to export the Evaluation view's exports were enabled all the same: Export
    // predictions asked for a file name and then refused, and Export chart saved empty charts. Each
    // is enabled once there is its thing: a shown run, a checkpoint, its predictions.
    void exportsWaitForWhatTheyExport()
    {
        QTemporaryDir dir;
        QStandardPaths::setTestModeEnabled(true);
        qputenv("FIKA_CACHE_DIR", dir.filePath(QStringLiteral("cache")).toUtf8());
        MainWindow empty;
        QString error;
        QVERIFY2(empty.studio()->newProject(dir.filePath(QStringLiteral("empty")), QStringLiteral("empty"), &error), qPrintable(error));
        auto exportButtons = [](EvaluationView* view) {
            QHash<QString, QPushButton*> buttons;
            for (auto* button : view->findChildren<QPushButton*>())
                if (button->text().startsWith(QStringLiteral("Export ")))
                    buttons.insert(button->text(), button);
            return buttons;
        };
        const auto none = exportButtons(empty.evaluationView());
        QCOMPARE(none.size(), 3);
        for (auto* button : none)
            QVERIFY2(!button->isEnabled(), qPrintable(button->text()));

        auto window = trainedWindow(dir);
        QVERIFY(window);
        auto* evaluation = window->evaluationView();
        const auto buttons = exportButtons(evaluation);
        QTRY_VERIFY_WITH_TIMEOUT(evaluation->evaluationReady(), 60000);
        for (auto* button : buttons)
            QVERIFY2(button->isEnabled(), qPrintable(button->text()));
        // Another checkpoint: its predictions are computed anew, and meanwhile not exported.
        evaluation->checkpointSelector()->setCurrentIndex(1);
        QVERIFY(!evaluation->evaluationReady());
        QVERIFY(!buttons.value(QStringLiteral("Export predictions…"))->isEnabled());
        QVERIFY(buttons.value(QStringLiteral("Export checkpoint…"))->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(evaluation->evaluationReady(), 60000);
        QVERIFY(buttons.value(QStringLiteral("Export predictions…"))->isEnabled());
    }

    // The charts' value axes wrote a label every 0.1 in about 60 px (Validation accuracy from 0.45
    // to 1 at 125 %): "0,9" and "1" ran into each other. The labels stand a line apart at the
    // charts' smallest size.
    void chartLabelsDoNotOverlap()
    {
        TrainingCharts charts;
        RunSeries run;
        run.name = QStringLiteral("run");
        for (int epoch = 1; epoch <= 12; ++epoch) {
            fika::core::EpochEvent event;
            event.epoch = event.epochs = epoch;
            event.trainingLoss = 0.7 - 0.05 * epoch;
            event.validation.loss = 0.72 - 0.04 * epoch;
            event.validation.accuracy = 0.45 + 0.045 * epoch;
            run.history.epochs.push_back(event);
            fika::core::StepEvent step;
            step.step = epoch;
            step.loss = event.trainingLoss;
            run.history.steps.push_back(step);
        }
        charts.setRuns({run});
        charts.resize(charts.minimumSizeHint().expandedTo(QSize(600, 150)).width(), 150);
        charts.show();
        QVERIFY(QTest::qWaitForWindowExposed(&charts));
        for (QCustomPlot* plot : charts.plots()) {
            plot->replot();
            QCoreApplication::processEvents(); // a replot it queued
            QCPAxis* axis = plot->yAxis;
            const QVector<double> ticks = axis->tickVector();
            QVERIFY(ticks.size() >= 2);
            const int lineHeight = QFontMetrics(axis->tickLabelFont()).height();
            for (int i = 1; i < ticks.size(); ++i) {
                const double apart = std::abs(axis->coordToPixel(ticks[i]) - axis->coordToPixel(ticks[i - 1]));
                QVERIFY2(apart >= lineHeight, qPrintable(QStringLiteral("%1: labels %2 px apart, a line is %3 px")
                                                             .arg(plot->yAxis->label()).arg(apart).arg(lineHeight)));
            }
        }
    }

    // Saving a version with an empty subset is refused with "raise its share under Training/
    // Validation", and the focus stayed on the button: it is on that share now, selected to type over.
    void emptySubsetLeavesTheFocusOnItsShare()
    {
        QTemporaryDir dir;
        DatasetsView view;
        view.show();
        QApplication::setActiveWindow(&view);
        QVERIFY(QTest::qWaitForWindowActive(&view));
        QVERIFY(fika::test::importSyntheticReviews(&view, dir.filePath(QStringLiteral("four.csv")), 4));
        const auto shares = view.findChildren<QDoubleSpinBox*>();
        QCOMPARE(shares.size(), 3); // training, validation, test
        shares[0]->setValue(90);
        QCOMPARE(shares[1]->value(), 10.0); // of 4 reviews, none
        QPushButton* save = nullptr; // it saves a version first
        for (auto* button : view.findChildren<QPushButton*>())
            if (button->text() == QStringLiteral("Use in new experiment…"))
                save = button;
        QVERIFY(save);
        save->setFocus();
        QTest::keyClick(save, Qt::Key_Space);
        QVERIFY2(shares[1]->hasFocus(), QApplication::focusWidget() ? QApplication::focusWidget()->metaObject()->className() : "none");
        QCOMPARE(shares[1]->findChild<QLineEdit*>()->selectedText(), shares[1]->cleanText());
    }

    // On a 1366x768 laptop at 125 % an explanation in the Deployment view's tester (its words' chart
    // as tall as its rows) made the whole view scroll, 806 px of 555 (763 before it, the request log
    // and code asking for 192 and 110 px): the deployment's switch and Test deployment went out of
    // sight. The tester scrolls within its column, the log and the code take only the room left, and
    // the view fits.
    void deploymentFitsALaptopAt125WithAnExplanation()
    {
        QTemporaryDir dir;
        auto window = trainedWindow(dir);
        QVERIFY(window);
        window->resize(1093, 614); // 1366x768 at 125 %, in logical pixels
        window->showSection(MainWindow::DeploymentSection);
        auto* tester = window->deploymentView()->tester();
        QTRY_VERIFY(tester->predictor() != nullptr);
        auto* area = qobject_cast<QScrollArea*>(window->deploymentView()->parentWidget()->parentWidget());
        QVERIFY(area);
        QCoreApplication::processEvents();
        const int before = area->widget()->height();
        tester->setText(QStringLiteral("a good film with a fine cast and a plot that holds, though the end drags on and on"));
        QSignalSpy explained(tester, &TesterWidget::explained);
        tester->explainButton()->click();
        QVERIFY(explained.wait(30000));
        QCoreApplication::processEvents();
        const int after = area->widget()->height(), shown = area->viewport()->height();
        qInfo("the view is %d px tall before the explanation, %d after, in %d", before, after, shown);
        QCOMPARE(after, before);
        QVERIFY2(after <= shown, qPrintable(QStringLiteral("%1 > %2").arg(after).arg(shown))); // no scrolling
        auto* server = window->deploymentView()->server();
        QPushButton* testDeployment = nullptr;
        for (auto* button : server->findChildren<QPushButton*>())
            if (button->text() == QStringLiteral("Test deployment"))
                testDeployment = button;
        QVERIFY(testDeployment);
        for (QWidget* control : {static_cast<QWidget*>(server->enableSwitch()), static_cast<QWidget*>(testDeployment)}) {
            const QRect inView(control->mapTo(area->viewport(), QPoint(0, 0)), control->size());
            QVERIFY2(area->viewport()->rect().contains(inView), qPrintable(QString::fromLatin1(control->metaObject()->className())));
        }
    }
};

QTEST_MAIN(TestNewcomerWalk)
#include "tst_newcomer_walk.moc"
