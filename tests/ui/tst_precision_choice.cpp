// SPDX-License-Identifier: GPL-3.0-or-later
// The precision choice: bf16 chosen in the Deployment view loads the tester's and the local API's
// predictor in bf16 (PredictorOptions::bf16), whose answers agree with float32's; the Modeling
// view's epoch estimate follows training.precision.
#include "ui_test_support.h"

#include "datasets/datasets_view.h"
#include "deployment/deployment_view.h"
#include "deployment/predictor_loading.h"
#include "deployment/server_panel.h"
#include "deployment/tester_widget.h"
#include "main_window.h"
#include "model/predictor.h"
#include "runtime/runtime.h"
#include "modeling/experiment_wizard.h"
#include "modeling/modeling_view.h"
#include "studio.h"
#include "training/training_controller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>

using namespace fika::ui;

class TestPrecisionChoice : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // One project, one short run of a tiny random model on synthetic reviews.
    void initTestCase()
    {
        m_window = fika::test::tinyExperimentWindow(m_dir, QStringLiteral("precision"), 300, 2);
        QVERIFY(m_window);
        auto* modeling = m_window->modelingView();
        QSignalSpy finished(m_window->studio()->training(), &TrainingController::finished);
        modeling->runButton()->click();
        QVERIFY(finished.wait(300000));
        QVERIFY(finished.first().first().toBool());
        // Every load goes through the real loader; the options it was given are recorded.
        setPredictorLoaderForTesting([this](const std::string& dir, const fika::core::PredictorOptions& options) {
            {
                const std::lock_guard lock(m_loadsMutex);
                m_loadedBf16.push_back(options.bf16);
            }
            return fika::core::Predictor::fromCheckpoint(dir, options);
        });
    }

    void cleanupTestCase()
    {
        m_window.reset();
        setPredictorLoaderForTesting({});
    }

    // bf16 chosen for deployment: the tester reloads the checkpoint in bf16 and answers as the float32
    // model does (same class, probabilities within rounding); the server loads it in bf16 too, and the
    // choice is fixed while it serves.
    void bf16ChoiceLoadsTesterAndServerInBf16()
    {
        m_window->showSection(MainWindow::DeploymentSection);
        auto* server = m_window->deploymentView()->server();
        auto* tester = m_window->deploymentView()->tester();
        auto* precision = server->precisionSelector();
        QCOMPARE(precision->currentData().toString(), QStringLiteral("fp32")); // the default
        QVERIFY(!precision->toolTip().isEmpty());
        const auto labels = server->findChildren<QLabel*>();
        QVERIFY2(std::any_of(labels.begin(), labels.end(), [&](QLabel* l) { return l->buddy() == precision; }),
                 "the Precision label's mnemonic has no buddy");
        auto* note = server->findChild<QLabel*>(QStringLiteral("precisionNote")); // what bf16 trades, in one line
        QVERIFY(note && note->isVisible() && note->text().contains(QStringLiteral("bf16")));
        QVERIFY2(note->text().contains(fika::core::cpuHasBf16Units() ? QStringLiteral("third decimal") : QStringLiteral("slower")),
                 qPrintable(note->text()));
        QSignalSpy loaded(tester, &TesterWidget::predictorLoaded);
        QVERIFY(tester->loadedCheckpoint() == server->checkpointDir() || loaded.wait(30000));
        QVERIFY(!tester->usesBf16());

        const QString text = QStringLiteral("a wonderful film, great acting and a moving story");
        QSignalSpy answered(tester, &TesterWidget::answered);
        tester->setText(text);
        QTest::mouseClick(tester->playButton(), Qt::LeftButton);
        QVERIFY(answered.wait(30000));
        const auto fp32Probabilities = tester->shownProbabilities();
        const QString fp32Label = tester->resultText().section(QStringLiteral("</b>"), 0, 0);
        QCOMPARE(fp32Probabilities.size(), size_t(2));

        clearLoads();
        loaded.clear();
        precision->setCurrentIndex(precision->findData(QStringLiteral("bf16")));
        QVERIFY(tester->usesBf16());
        QVERIFY(loaded.wait(30000));
        QCOMPARE(loaded.last().first().toBool(), true);
        QCOMPARE(loads(), std::vector<bool>{true});
        QCOMPARE(tester->resultText(), QStringLiteral("Ready (bf16)."));
        answered.clear();
        QTest::mouseClick(tester->playButton(), Qt::LeftButton);
        QVERIFY(answered.wait(30000));
        const auto bf16Probabilities = tester->shownProbabilities();
        QCOMPARE(bf16Probabilities.size(), size_t(2));
        QVERIFY2(tester->resultText().startsWith(fp32Label) && tester->resultText().endsWith(QStringLiteral("with bf16")),
                 qPrintable(tester->resultText()));
        for (size_t i = 0; i < 2; ++i) // bf16 keeps 8 bits of mantissa: measured within 0.0032 on IMDB
            QVERIFY2(std::abs(bf16Probabilities[i] - fp32Probabilities[i]) < 0.02,
                     qPrintable(QStringLiteral("%1 vs %2").arg(bf16Probabilities[i]).arg(fp32Probabilities[i])));

        // The local API loads its predictor in bf16 as well; the choice is fixed while it serves.
        clearLoads();
        server->setPort(0);
        QSignalSpy serving(server, &ServerPanel::servingChanged);
        server->enableSwitch()->click();
        QVERIFY(!precision->isEnabled()); // fixed from the start of the load
        QVERIFY(serving.wait(30000));
        QVERIFY(server->isServing());
        QCOMPARE(loads(), std::vector<bool>{true});
        server->enableSwitch()->click();
        QVERIFY(!server->isServing());
        QVERIFY(precision->isEnabled());

        // Back to fp32: the tester reloads in float32.
        clearLoads();
        loaded.clear();
        precision->setCurrentIndex(precision->findData(QStringLiteral("fp32")));
        QVERIFY(loaded.size() > 0 || loaded.wait(30000));
        QCOMPARE(loads(), std::vector<bool>{false});
        QCOMPARE(tester->resultText(), QStringLiteral("Ready."));
    }

    // The Modeling view's "an epoch takes about" follows training.precision (bf16 ~2.4x faster).
    void modelingEstimateFollowsPrecision()
    {
        // A BERT-base-shaped experiment (not trained): its epoch takes long enough to show the factor.
        auto* wizard = m_window->openExperimentWizard();
        wizard->setRandomShape(12, 768, 12, 3072);
        wizard->findChild<QLineEdit*>(QStringLiteral("experimentName"))->setText(QStringLiteral("large"));
        wizard->accept();
        m_window->showSection(MainWindow::ModelingSection);
        auto* modeling = m_window->modelingView();
        modeling->setSetting(QStringLiteral("training.batch_size"), 6);
        auto* precision = modeling->findChild<QComboBox*>(QStringLiteral("trainingPrecision"));
        QVERIFY(precision);
        QVERIFY(!precision->toolTip().isEmpty());
        precision->setCurrentIndex(precision->findData(QStringLiteral("fp32")));
        const QString fp32 = modeling->warningsText();
        precision->setCurrentIndex(precision->findData(QStringLiteral("bf16")));
        const QString bf16 = modeling->warningsText();
        QVERIFY2(fp32 != bf16, qPrintable(bf16));
        precision->setCurrentIndex(precision->findData(QStringLiteral("fp32")));
    }

private:
    void clearLoads()
    {
        const std::lock_guard lock(m_loadsMutex);
        m_loadedBf16.clear();
    }
    std::vector<bool> loads()
    {
        const std::lock_guard lock(m_loadsMutex);
        return m_loadedBf16;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    std::mutex m_loadsMutex;
    std::vector<bool> m_loadedBf16; // PredictorOptions::bf16 of each load since the last clearLoads()
};

QTEST_MAIN(TestPrecisionChoice)
#include "tst_precision_choice.moc"
