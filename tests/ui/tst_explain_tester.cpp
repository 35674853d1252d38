// SPDX-License-Identifier: GPL-3.0-or-later
// The tester's Explain: the text shown with each word shaded by its attribution, a legend naming the
// class and the baseline, the words for and against, and the time it took. (That the attributions
// are right is tst_explanation's: completeness, a PyTorch golden, a one-word task.)
#include "ui_test_support.h"

#include "deployment/deployment_view.h"
#include "deployment/explanation_view.h"
#include "deployment/tester_widget.h"
#include "main_window.h"
#include "qcustomplot_wrapper.h"
#include "qt_config.h"
#include "modeling/experiment_wizard.h"
#include "modeling/modeling_view.h"
#include "studio.h"
#include "training/training_controller.h"

#include <QApplication>
#include <QCheckBox>
#include <QHelpEvent>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTextBlock>
#include <QTextBrowser>
#include <QToolTip>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace fika::ui;

namespace {

// The tester's explanation of `text` (Explain clicked); null when it fails.
ExplanationView* explainInTester(TesterWidget* tester, const QString& text)
{
    tester->setText(text);
    QSignalSpy explained(tester, &TesterWidget::explained);
    QTest::mouseClick(tester->explainButton(), Qt::LeftButton);
    if (!explained.wait(60000) || !explained.first().first().toBool())
        return nullptr;
    return tester->explanationView();
}

// The character format's tooltip of every fragment of the shown text, by the fragment's text.
QMap<QString, QString> fragmentToolTips(const QTextDocument* document)
{
    QMap<QString, QString> tips;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it)
            if (!it.fragment().charFormat().toolTip().isEmpty())
                tips.insert(it.fragment().text(), it.fragment().charFormat().toolTip());
    return tips;
}

} // namespace

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
                     summary.contains(QStringLiteral(" ms")),
                 qPrintable(summary));
        if (const QByteArray shots = qgetenv("FIKA_SHOTS"); !shots.isEmpty()) { // a picture to look at
            QTest::qWait(200); // the layout makes room and scrolls to the explanation
            m_window->grab().save(QString::fromLocal8Bit(shots) + QStringLiteral("/tester-explained.png"));
        }
    }

    // The bars are the explanation's 5 largest attributions in descending order, then its 5 most
    // negative with the most negative last, each drawn at its value with its word as the row's label.
    void chartShowsTopWordsInOrder()
    {
        auto* tester = m_window->deploymentView()->tester();
        QVERIFY(tester->predictor());
        const QString text = QStringLiteral("the plot was dull but the acting was great and the ending made me smile a lot");
        ExplanationView* view = explainInTester(tester, text);
        QVERIFY(view);
        auto expected = tester->predictor()->explain(fika::ui::toStdString(text));
        QVERIFY(expected);
        std::vector<fika::core::WordAttribution> positive, negative;
        for (const auto& word : expected->words)
            (word.attribution > 0 ? positive : negative).push_back(word);
        std::sort(positive.begin(), positive.end(), [](auto& a, auto& b) { return a.attribution > b.attribution; });
        std::sort(negative.begin(), negative.end(), [](auto& a, auto& b) { return a.attribution < b.attribution; });
        positive.resize(std::min<size_t>(positive.size(), 5));
        negative.resize(std::min<size_t>(negative.size(), 5));
        std::vector<fika::core::WordAttribution> rows = positive;
        rows.insert(rows.end(), negative.rbegin(), negative.rend());
        QVERIFY(expected->words.size() >= 11); // so that some words are left out
        QCOMPARE(rows.size(), size_t(10));

        const auto& charted = view->chartedWords();
        QCOMPARE(charted.size(), rows.size());
        auto ticker = view->chart()->yAxis->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        QVERIFY(view->chart()->isVisible());
        for (size_t row = 0; row < rows.size(); ++row) {
            QCOMPARE(charted[row].start, rows[row].start); // the same occurrence of the word
            QCOMPARE(charted[row].word, rows[row].word);
            QVERIFY(std::abs(charted[row].attribution - rows[row].attribution) <= 1e-4f * std::abs(rows[row].attribution) + 1e-9f);
            QCOMPARE(ticker->ticks().value(static_cast<double>(row)), fika::ui::toQString(rows[row].word));
            // The bar at this row: orange to the right for the class, blue to the left against it.
            auto* bars = static_cast<QCPBars*>(view->chart()->plottable(rows[row].attribution > 0 ? 0 : 1));
            auto found = bars->data()->findBegin(static_cast<double>(row), false);
            QVERIFY(found != bars->data()->constEnd() && found->key == static_cast<double>(row));
            QCOMPARE(found->value, static_cast<double>(charted[row].attribution));
        }
        QCOMPARE(static_cast<QCPBars*>(view->chart()->plottable(0))->brush().color(), QColor(230, 159, 0));
        QCOMPARE(static_cast<QCPBars*>(view->chart()->plottable(1))->brush().color(), QColor(0, 114, 178));
    }

    // Every shaded word and every bar says its numbers: the word, its attribution and its share of
    // logit - baseline logit.
    void toolTipsCarryTheNumbers()
    {
        auto* tester = m_window->deploymentView()->tester();
        const QString text = QStringLiteral("acting great plot awful");
        ExplanationView* view = explainInTester(tester, text);
        QVERIFY(view);
        auto expected = tester->predictor()->explain(fika::ui::toStdString(text));
        QVERIFY(expected);
        const double difference = expected->logit - expected->baselineLogit;
        const QLocale locale;
        auto numbersOf = [&](const fika::core::WordAttribution& word) {
            return QStringList{locale.toString(word.attribution, 'g', 3),
                               locale.toString(100.0 * word.attribution / difference, 'f', 1) + QStringLiteral(" %")};
        };
        const auto tips = fragmentToolTips(view->textBrowser()->document());
        for (const auto& word : expected->words) {
            const QString tip = tips.value(fika::ui::toQString(word.word));
            QVERIFY2(tip.contains(fika::ui::toQString(word.word)), qPrintable(tip));
            for (const QString& number : numbersOf(word))
                QVERIFY2(tip.contains(number), qPrintable(tip + QStringLiteral(" lacks ") + number));
        }
        QCustomPlot* chart = view->chart();
        for (size_t row = 0; row < view->chartedWords().size(); ++row) {
            const QPoint centre(chart->axisRect()->center().x(),
                                static_cast<int>(chart->yAxis->coordToPixel(static_cast<double>(row))));
            const QString tip = view->barToolTipAt(centre);
            const auto& word = view->chartedWords()[row];
            QVERIFY2(tip.contains(fika::ui::toQString(word.word)), qPrintable(tip));
            for (const QString& number : numbersOf(word))
                QVERIFY2(tip.contains(number), qPrintable(tip + QStringLiteral(" lacks ") + number));
        }
        QVERIFY(view->barToolTipAt(QPoint(1, 1)).isEmpty()); // outside the bars

        // And they pop up where the mouse rests: on a word of the text, on a bar.
        auto hover = [](QWidget* widget, const QPoint& pos) {
            QHelpEvent help(QEvent::ToolTip, pos, widget->mapToGlobal(pos));
            QApplication::sendEvent(widget, &help);
            return QToolTip::text();
        };
        QTextBrowser* browser = view->textBrowser();
        QTextCursor cursor(browser->document());
        cursor.setPosition(static_cast<int>(browser->document()->toPlainText().indexOf(QStringLiteral("great"))) + 2);
        const QString wordTip = hover(browser->viewport(), browser->cursorRect(cursor).center());
        QVERIFY2(wordTip.contains(QStringLiteral("great")) && wordTip.contains(QStringLiteral("attribution")), qPrintable(wordTip));
        const QPoint firstBar(chart->axisRect()->center().x(), static_cast<int>(chart->yAxis->coordToPixel(0.0)));
        QCOMPARE(hover(chart, firstBar), view->barToolTip(0));
        QToolTip::hideText();
    }

    // With "Explain every prediction" ticked Play also explains, and the choice is remembered.
    void explainEveryPredictionExplainsOnPlay()
    {
        auto* tester = m_window->deploymentView()->tester();
        tester->explainEveryPrediction()->setChecked(false);
        const QString first = QStringLiteral("great music");
        tester->setText(first);
        QSignalSpy answered(tester, &TesterWidget::answered);
        QSignalSpy explained(tester, &TesterWidget::explained);
        tester->playButton()->click();
        QVERIFY(answered.wait(30000));
        QTest::qWait(300);
        QCOMPARE(explained.count(), 0); // unticked: Play predicts only

        tester->explainEveryPrediction()->setChecked(true);
        QVERIFY(QSettings().value(QStringLiteral("tester/explain_every_prediction")).toBool());
        const QString second = QStringLiteral("awful story and a dull end");
        tester->setText(second);
        tester->playButton()->click();
        QVERIFY(explained.wait(60000));
        QVERIFY(explained.first().first().toBool());
        QCOMPARE(tester->explanationView()->text(), second);
        QVERIFY(tester->explanationView()->isVisible());
        QVERIFY(answered.count() == 2 || answered.wait(30000));
        tester->explainEveryPrediction()->setChecked(false);
        QVERIFY(!QSettings().value(QStringLiteral("tester/explain_every_prediction")).toBool());
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestExplainTester)
#include "tst_explain_tester.moc"
