// SPDX-License-Identifier: GPL-3.0-or-later
#include "main_window.h"

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
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
