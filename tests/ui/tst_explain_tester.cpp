// SPDX-License-Identifier: GPL-3.0-or-later
// The tester's Explain: the text shown with each word shaded by its attribution, a legend naming the
// class and the baseline, the words for and against, and the time it took. (That the attributions
// are right is tst_explanation's: completeness, a PyTorch golden, a one-word task.)
#include "ui_test_support.h"

#include "deployment/deployment_view.h"
#include "deployment/explanation_view.h"
#include "deployment/tester_widget.h"
#include "main_window.h"
#include "modeling/experiment_wizard.h"
#include "modeling/modeling_view.h"
#include "studio.h"
#include "training/training_controller.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace fika::ui;

class TestExplainTester : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_window = fika::test::tinyExperimentWindow(m_dir, QStringLiteral("explain"), 300, 2);
        QVERIFY(m_window);
        auto* modeling = m_window->modelingView();
        QSignalSpy finished(m_window->studio()->training(), &TrainingController::finished);
        modeling->runButton()->click();
        QVERIFY(finished.wait(300000));
        QVERIFY(finished.first().first().toBool());
    }

    void cleanupTestCase() { m_window.reset(); }

    void explainShadesEveryWord()
    {
        m_window->showSection(MainWindow::DeploymentSection);
        auto* tester = m_window->deploymentView()->tester();
        QSignalSpy loaded(tester, &TesterWidget::predictorLoaded);
        QVERIFY(tester->predictor() || loaded.wait(30000));
        QVERIFY(!tester->explanationView()->isVisible());

        const QString text = QStringLiteral("a café with great acting");
        tester->setText(text);
        QSignalSpy explained(tester, &TesterWidget::explained);
        QTest::mouseClick(tester->explainButton(), Qt::LeftButton);
        QVERIFY(explained.wait(60000));
        QVERIFY(explained.first().first().toBool());
        auto* view = tester->explanationView();
        QVERIFY(view->isVisible());
        const QString html = view->html();
        for (const QString& word : {QStringLiteral("café"), QStringLiteral("great"), QStringLiteral("acting")})
            QVERIFY2(html.contains(QStringLiteral(">%1</span>").arg(word)), qPrintable(html));
        QVERIFY2(html.contains(QStringLiteral("background-color:")), qPrintable(html));
        const QString summary = view->summary();
        QVERIFY2(summary.contains(QStringLiteral("[PAD]")) && summary.contains(QStringLiteral("32 steps")) &&
                     summary.contains(QStringLiteral(" ms")) && summary.contains(QStringLiteral("For: ")) &&
                     summary.contains(QStringLiteral("Against: ")),
                 qPrintable(summary));
        if (const QByteArray shots = qgetenv("FIKA_SHOTS"); !shots.isEmpty()) // a picture to look at
            m_window->grab().save(QString::fromLocal8Bit(shots) + QStringLiteral("/tester-explained.png"));
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestExplainTester)
#include "tst_explain_tester.moc"
