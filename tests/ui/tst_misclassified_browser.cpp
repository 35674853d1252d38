// SPDX-License-Identifier: GPL-3.0-or-later
// The Evaluation view's misclassified reviews: exactly the validation examples whose prediction is
// not their label, the most confidently wrong first, and a selected one shown with the words that
// made its prediction, computed off the GUI thread (a stale selection's result is not shown).
#include "ui_test_support.h"

#include "deployment/explanation_view.h"
#include "deployment/predictor_loading.h"
#include "evaluation/evaluation_view.h"
#include "evaluation/misclassified_browser.h"
#include "main_window.h"
#include "qt_config.h"
#include "studio.h"
#include "training/training_controller.h"
#include "ui_format.h"

#include <QComboBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <set>
#include <stdexcept>

using namespace fika::ui;

class TestMisclassifiedBrowser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_window = fika::test::tinyExperimentWindow(m_dir, QStringLiteral("misclassified"), 300, 2);
        QVERIFY(m_window);
        auto* evaluation = m_window->evaluationView();
        QSignalSpy finished(m_window->studio()->training(), &TrainingController::finished);
        QSignalSpy evaluated(evaluation, &EvaluationView::evaluationFinished);
        m_window->modelingView()->runButton()->click();
        QVERIFY(finished.wait(300000));
        QVERIFY(finished.first().first().toBool());
        m_window->showSection(MainWindow::EvaluationSection);
        QVERIFY(evaluation->evaluationReady() || evaluated.wait(120000));
        QVERIFY(evaluation->evaluationReady());
        evaluation->detailTabs()->setCurrentWidget(evaluation->misclassifiedBrowser());
    }

    void cleanupTestCase() { m_window.reset(); }

    void listsExactlyTheWrongOnesMostConfidentFirst()
    {
        auto* browser = m_window->evaluationView()->misclassifiedBrowser();
        const auto evaluation = browser->evaluation();
        QVERIFY(evaluation);
        std::set<size_t> wrong;
        for (size_t i = 0; i < evaluation->texts.size(); ++i)
            if (evaluation->truth[i] != evaluation->predictions[i].labelId)
                wrong.insert(i);
        QVERIFY2(wrong.size() >= 2, "the tiny model should get some validation reviews wrong");
        const auto& listed = browser->listedExamples();
        QCOMPARE(std::set<size_t>(listed.begin(), listed.end()), wrong);
        QCOMPARE(listed.size(), wrong.size()); // each once
        auto* list = browser->list();
        QCOMPARE(list->rowCount(), static_cast<int>(wrong.size()));
        for (size_t row = 0; row < listed.size(); ++row) {
            const size_t i = listed[row];
            const auto& prediction = evaluation->predictions[i];
            const double confidence = prediction.probabilities[static_cast<size_t>(prediction.labelId)];
            if (row > 0) {
                const auto& before = evaluation->predictions[listed[row - 1]];
                QVERIFY(before.probabilities[static_cast<size_t>(before.labelId)] >= confidence);
            }
            const int r = static_cast<int>(row);
            QCOMPARE(list->item(r, 0)->text(), toQString(evaluation->labels[static_cast<size_t>(evaluation->truth[i])]));
            QCOMPARE(list->item(r, 1)->text(), toQString(prediction.label));
            QCOMPARE(list->item(r, 2)->text(), formatPercent(confidence));
            QVERIFY(toQString(evaluation->texts[i]).simplified().startsWith(list->item(r, 3)->text()));
        }
        QVERIFY2(browser->caption().startsWith(QStringLiteral("%1 of %2 ").arg(wrong.size()).arg(evaluation->texts.size())),
                 qPrintable(browser->caption()));
        QVERIFY(m_window->evaluationView()->detailTabs()->tabText(1).contains(QString::number(wrong.size())));
    }

    // A selection left before its explanation came shows nothing of it: the newest selection's
    // review is the one shown, explained for the class the checkpoint predicted.
    void selectedReviewIsExplained()
    {
        auto* browser = m_window->evaluationView()->misclassifiedBrowser();
        const auto evaluation = browser->evaluation();
        QSignalSpy explained(browser, &MisclassifiedBrowser::explained);
        browser->list()->selectRow(0);
        QVERIFY(browser->busyIndicator()->isVisible()); // the GUI thread went on
        browser->list()->selectRow(1);
        QVERIFY(explained.wait(60000));
        QVERIFY(explained.first().first().toBool());
        QVERIFY(!browser->busyIndicator()->isVisible());
        QCOMPARE(explained.count(), 1);
        const size_t example = browser->listedExamples()[1];
        const QString review = toQString(evaluation->texts[example]);
        auto* view = browser->explanationView();
        QVERIFY(view->isVisible());
        QCOMPARE(view->text(), review);
        QVERIFY(!view->chartedWords().empty());
        for (const auto& word : view->chartedWords()) {
            const QString shown = toQString(word.word);
            QVERIFY2(review.contains(shown), qPrintable(shown + QStringLiteral(" not in ") + review));
            QCOMPARE(review.mid(word.start, word.end - word.start), shown); // ASCII reviews: code points are QChars
        }
        const QString predicted = toQString(evaluation->predictions[example].label);
        QVERIFY2(view->summary().contains(QStringLiteral("for %1").arg(predicted)), qPrintable(view->summary()));
        // Once the model is loaded: an explanation running for row 2 when row 3 is selected is dropped.
        if (browser->listedExamples().size() >= 4) {
            explained.clear();
            browser->list()->selectRow(2);
            QVERIFY(!view->isVisible()); // nothing of row 1 stays
            browser->list()->selectRow(3);
            QVERIFY(explained.wait(60000));
            QCOMPARE(view->text(), toQString(evaluation->texts[browser->listedExamples()[3]]));
        }
        QTest::qWait(200);
        QCOMPARE(explained.count(), 1); // the earlier selection's result was dropped, not shown late

        if (const QByteArray shots = qgetenv("FIKA_SHOTS"); !shots.isEmpty())
            m_window->grab().save(QString::fromLocal8Bit(shots) + QStringLiteral("/evaluation-misclassified.png"));
    }

    // Another checkpoint: nothing of the previous one's reviews or explanation stays, and once its
    // predictions are in, its own misclassified reviews are listed and explained.
    void anotherCheckpointReplacesTheList()
    {
        auto* evaluation = m_window->evaluationView();
        auto* browser = evaluation->misclassifiedBrowser();
        QVERIFY(browser->explanationView()->isVisible());
        QComboBox* checkpoints = evaluation->checkpointSelector();
        QVERIFY(checkpoints->count() >= 2);
        QSignalSpy evaluated(evaluation, &EvaluationView::evaluationFinished);
        checkpoints->setCurrentIndex(checkpoints->currentIndex() == 0 ? 1 : 0);
        QVERIFY(!browser->evaluation());
        QCOMPARE(browser->list()->rowCount(), 0);
        QVERIFY(!browser->explanationView()->isVisible());
        QVERIFY(evaluated.wait(120000));
        QVERIFY(evaluated.first().first().toBool());
        const auto other = browser->evaluation();
        QVERIFY(other);
        QCOMPARE(browser->list()->rowCount(), browser->count());
        if (browser->count() == 0)
            return;
        QSignalSpy explained(browser, &MisclassifiedBrowser::explained);
        browser->list()->selectRow(0);
        QVERIFY(explained.wait(60000));
        QVERIFY(explained.first().first().toBool());
        QCOMPARE(browser->explanationView()->text(), toQString(other->texts[browser->listedExamples()[0]]));
    }

    // A checkpoint that cannot be loaded (here: out of memory, as LibTorch throws it) says so beside
    // the list, and the next selection tries again.
    void loadFailureIsShown()
    {
        auto* evaluation = m_window->evaluationView();
        auto* browser = evaluation->misclassifiedBrowser();
        setPredictorLoaderForTesting([](const std::string&, const fika::core::PredictorOptions&)
                                         -> fika::core::Result<std::shared_ptr<fika::core::Predictor>> {
            throw std::runtime_error("not enough memory");
        });
        struct Restore {
            ~Restore() { setPredictorLoaderForTesting({}); }
        } restore;
        QSignalSpy evaluated(evaluation, &EvaluationView::evaluationFinished);
        QComboBox* checkpoints = evaluation->checkpointSelector();
        checkpoints->setCurrentIndex(checkpoints->currentIndex() == 0 ? 1 : 0); // a new evaluation loads anew
        QVERIFY(evaluated.wait(120000));
        if (browser->count() < 2)
            QSKIP("this checkpoint gets every validation review right");
        QSignalSpy explained(browser, &MisclassifiedBrowser::explained);
        browser->list()->selectRow(0);
        QVERIFY(explained.wait(30000));
        QCOMPARE(explained.first().first().toBool(), false);
        QVERIFY2(browser->errorText().contains(QStringLiteral("not enough memory")), qPrintable(browser->errorText()));
        QVERIFY(!browser->busyIndicator()->isVisible());
        QVERIFY(!browser->explanationView()->isVisible());
        setPredictorLoaderForTesting({});
        explained.clear();
        browser->list()->selectRow(1);
        QVERIFY(explained.wait(60000));
        QVERIFY(explained.first().first().toBool());
        QVERIFY(browser->errorText().isEmpty());
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestMisclassifiedBrowser)
#include "tst_misclassified_browser.moc"
