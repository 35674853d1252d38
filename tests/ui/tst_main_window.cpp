// SPDX-License-Identifier: GPL-3.0-or-later
#include "library/data_library_dialog.h"
#include "main_window.h"

#include <QListWidget>

#include <QTest>

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensWithItsSections()
    {
        fika::ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.windowTitle(), QStringLiteral("Fika"));
        QCOMPARE(window.sectionNames(),
                 (QStringList{QStringLiteral("Project"), QStringLiteral("Datasets"), QStringLiteral("Modeling"),
                              QStringLiteral("Evaluation"), QStringLiteral("Deployment")}));
        QCOMPARE(window.currentSection(), 0);
        window.showSection(3);
        QCOMPARE(window.currentSection(), 3);
    }

    void dataLibraryListsTheCatalog()
    {
        fika::ui::DataLibraryDialog dialog;
        auto* items = dialog.findChild<QListWidget*>();
        QVERIFY(items);
        QCOMPARE(items->count(), 7); // IMDB and six BERTs
        QVERIFY(items->item(0)->text().contains(QStringLiteral("IMDB")));
        QVERIFY(items->item(0)->toolTip().startsWith(QStringLiteral("https://ai.stanford.edu/")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
