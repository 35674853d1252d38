// SPDX-License-Identifier: GPL-3.0-or-later
// The Evaluation and Deployment views' smaller promises, after one short training run: predictions
// over the validation subset show a share and the time left, a cell clicked meanwhile is listed
// once they are ready, the examples' caption always agrees with their table, the Deployment view's
// tester tests what is deployed and forgets an answer when its model changes, the raw loss line is
// visible, the precision and recall bars carry their values, the clicked cell is outlined and the
// Probability column sorts by number.
#include "ui_test_support.h"

#include "datasets/datasets_view.h"
#include "deployment/deployment_view.h"
#include "deployment/server_panel.h"
#include "deployment/tester_widget.h"
#include "evaluation/confusion_matrix_plot.h"
#include "evaluation/evaluation_view.h"
#include "evaluation/training_charts.h"
#include "main_window.h"
#include "modeling/experiment_wizard.h"
#include "modeling/modeling_view.h"
#include "qcustomplot_wrapper.h"
#include "studio.h"
#include "training/training_controller.h"

#include <QComboBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace fika::ui;

namespace {

// WCAG relative luminance of an opaque colour.
double luminance(const QColor& color)
{
    auto channel = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF());
}

// A pen's colour as drawn on white: its alpha blended in.
QColor onWhite(const QColor& color)
{
    const double a = color.alphaF();
    return QColor::fromRgbF(color.redF() * a + 1 - a, color.greenF() * a + 1 - a, color.blueF() * a + 1 - a);
}

// "12 examples labelled …" over a table of 12 rows; no count of examples over an empty table.
bool captionAgreesWithTable(EvaluationView* view, QString* why)
{
    const QString caption = view->examplesCaption();
    const int rows = view->examplesTable()->rowCount();
    const auto counted = QRegularExpression(QStringLiteral("^(\\d+) examples")).match(caption);
    const bool agrees = counted.hasMatch() ? counted.captured(1).toInt() == rows : rows == 0;
    *why = QStringLiteral("caption '%1' over %2 rows").arg(caption).arg(rows);
    return agrees;
}

// The cell of the evaluated checkpoint with the most examples (a barely trained model may leave
// whole columns empty).
std::pair<int, int> fullestCell(EvaluationView* view)
{
    std::pair<int, int> fullest{0, 0};
    int most = -1;
    for (int t = 0; t < 2; ++t)
        for (int p = 0; p < 2; ++p) {
            view->showCell(t, p);
            if (view->examplesTable()->rowCount() > most) {
                most = view->examplesTable()->rowCount();
                fullest = {t, p};
            }
        }
    view->showCell(-1, -1);
    return fullest;
}

double shownPercent(const QTableWidgetItem* item)
{
    return QLocale().toDouble(item->text().section(QLatin1Char(' '), 0, 0));
}

} // namespace

class TestEvaluationMinors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // One project, one short run of a tiny random model on 600 synthetic reviews (six epochs).
    void initTestCase()
    {
        m_window = fika::test::tinyExperimentWindow(m_dir, QStringLiteral("minors"), 600, 6);
        QVERIFY(m_window);
        auto* modeling = m_window->modelingView();
        QSignalSpy finished(m_window->studio()->training(), &TrainingController::finished);
        QSignalSpy evaluated(m_window->evaluationView(), &EvaluationView::evaluationFinished);
        modeling->runButton()->click();
        QVERIFY(finished.wait(300000));
        QVERIFY(finished.first().first().toBool());
        QVERIFY(evaluated.size() > 0 || evaluated.wait(60000));
        QVERIFY(m_window->evaluationView()->evaluationReady());
        m_runDir = QString::fromStdString(m_window->studio()->currentExperiment()->output.dir);
        m_window->showSection(MainWindow::EvaluationSection);
    }

    void cleanupTestCase() { m_window.reset(); }

    // Item 7: the predictions over the validation subset show how far they are and the time left
    // (it was a busy bar without either for over two minutes).
    void predictionsShowShareAndTimeLeft()
    {
        auto* view = m_window->evaluationView();
        QProgressBar* bar = view->findChild<QProgressBar*>();
        QVERIFY(bar);
        QList<int> values;
        QStringList texts;
        connect(bar, &QProgressBar::valueChanged, this, [&](int value) {
            values << value;
            texts << bar->text();
        });
        QSignalSpy evaluated(view, &EvaluationView::evaluationFinished);
        auto* checkpoints = view->checkpointSelector();
        QVERIFY(checkpoints->count() >= 2);
        checkpoints->setCurrentIndex(checkpoints->currentIndex() == 1 ? 0 : 1);
        QVERIFY(bar->isVisible());
        QVERIFY(evaluated.wait(60000));
        QVERIFY(evaluated.first().first().toBool());
        disconnect(bar, nullptr, this, nullptr);
        qInfo("progress shown: %s", qPrintable(texts.join(QStringLiteral(" | "))));
        QVERIFY2(!values.isEmpty() && values.last() == 100, "the share done never reached 100 %");
        bool between = false, timeLeft = false;
        for (int i = 0; i < values.size(); ++i) {
            between = between || (values[i] > 0 && values[i] < 100);
            timeLeft = timeLeft || texts[i].contains(QStringLiteral(" left"));
        }
        QVERIFY2(between, "no share between 0 and 100 % was shown");
        QVERIFY2(timeLeft, "no time left was shown");
        QVERIFY(!bar->isVisible());
    }

    // Item 7: a cell clicked while the predictions run is remembered and listed once they are ready.
    void cellClickedDuringPredictionsIsListedWhenReady()
    {
        auto* view = m_window->evaluationView();
        const auto [truth, predicted] = fullestCell(view);
        const QStringList labels = view->confusionMatrix()->labels();
        QSignalSpy evaluated(view, &EvaluationView::evaluationFinished);
        Q_EMIT m_window->studio()->experimentsChanged(); // as after a run: the checkpoints are evaluated anew
        QVERIFY(!view->evaluationReady());
        auto* matrix = view->confusionMatrix();
        QTest::mouseClick(matrix->plot(), Qt::LeftButton, {},
                          matrix->plot()->mapFrom(matrix, matrix->cellCenter(truth, predicted)));
        QString why;
        QVERIFY2(captionAgreesWithTable(view, &why), qPrintable(why));
        QVERIFY2(view->examplesCaption().contains(QStringLiteral("labelled %1, predicted %2").arg(labels[truth], labels[predicted])),
                 qPrintable(view->examplesCaption()));
        QVERIFY(evaluated.wait(60000));
        QVERIFY(view->evaluationReady());
        QVERIFY2(view->examplesTable()->rowCount() > 0, qPrintable(view->examplesCaption()));
        for (int row = 0; row < view->examplesTable()->rowCount(); ++row)
            QCOMPARE(view->examplesTable()->item(row, 1)->text(), labels[predicted]);
        QVERIFY2(view->examplesCaption().contains(QStringLiteral("labelled %1, predicted %2:").arg(labels[truth], labels[predicted])),
                 qPrintable(view->examplesCaption()));
        QVERIFY2(captionAgreesWithTable(view, &why), qPrintable(why));
    }

    // Item 9: the caption over the examples never keeps a cell's count over an emptied table.
    void examplesCaptionAgreesWithTable()
    {
        auto* view = m_window->evaluationView();
        const auto [truth, predicted] = fullestCell(view);
        view->showCell(truth, predicted);
        QString why;
        QVERIFY(view->examplesTable()->rowCount() > 0);
        QVERIFY2(captionAgreesWithTable(view, &why), qPrintable(why));
        QSignalSpy evaluated(view, &EvaluationView::evaluationFinished);
        Q_EMIT m_window->studio()->experimentsChanged(); // the table is emptied while predictions run
        QVERIFY2(captionAgreesWithTable(view, &why), qPrintable(why));
        QVERIFY(evaluated.wait(60000));
        QVERIFY2(captionAgreesWithTable(view, &why), qPrintable(why));
        auto* checkpoints = view->checkpointSelector();
        checkpoints->setCurrentIndex(checkpoints->currentIndex() == 1 ? 0 : 1); // another checkpoint
        QVERIFY2(captionAgreesWithTable(view, &why), qPrintable(why));
        QVERIFY(evaluated.wait(60000));
        QVERIFY2(captionAgreesWithTable(view, &why), qPrintable(why));
    }

    // Item 15: the raw loss is drawn visibly (contrast of at least 2:1 on white) and lighter and
    // no wider than the smoothed loss.
    void rawLossLineIsVisibleButLighter()
    {
        QCustomPlot* steps = m_window->evaluationView()->charts()->plots().at(0);
        QVERIFY(steps->graphCount() >= 2);
        QCOMPARE(steps->graph(0)->name(), QStringLiteral("raw"));
        const QPen raw = steps->graph(0)->pen(), smooth = steps->graph(1)->pen();
        const double rawLuminance = luminance(onWhite(raw.color()));
        const double contrast = 1.05 / (rawLuminance + 0.05);
        qInfo("raw loss line: contrast %.2f:1 on white", contrast);
        QVERIFY2(contrast >= 2.0, "the raw loss line is nearly invisible");
        QVERIFY(rawLuminance > luminance(onWhite(smooth.color())));
        QVERIFY(raw.widthF() <= smooth.widthF());
    }

    // Item 15: precision and recall bars carry their values and explain themselves on hover.
    void precisionRecallBarsShowValues()
    {
        auto* matrix = m_window->evaluationView()->confusionMatrix();
        int labels = 0;
        const QRegularExpression percent(QStringLiteral("^\\d+ %$"));
        for (int i = 0; i < matrix->plot()->itemCount(); ++i)
            if (auto* text = qobject_cast<QCPItemText*>(matrix->plot()->item(i)); text && percent.match(text->text()).hasMatch())
                ++labels;
        QCOMPARE(labels, 4); // a precision and a recall value per class
        using Bars = ConfusionMatrixPlot::Bars;
        const QString precision = matrix->toolTipAt(matrix->plot()->mapFrom(matrix, matrix->barCenter(Bars::Precision, 0)));
        QVERIFY2(precision.startsWith(QStringLiteral("Precision of negative: ")), qPrintable(precision));
        const QString recall = matrix->toolTipAt(matrix->plot()->mapFrom(matrix, matrix->barCenter(Bars::Recall, 1)));
        QVERIFY2(recall.startsWith(QStringLiteral("Recall of positive: ")), qPrintable(recall));
    }

    // Item 15: the clicked cell is outlined, and the outline moves with the next click.
    void clickedCellIsHighlighted()
    {
        auto* view = m_window->evaluationView();
        auto* matrix = view->confusionMatrix();
        view->showCell(-1, -1); // no cell
        matrix->plot()->replot();
        const QImage before = matrix->plot()->grab().toImage();
        const QPoint cell = matrix->plot()->mapFrom(matrix, matrix->cellCenter(0, 1));
        QTest::mouseClick(matrix->plot(), Qt::LeftButton, {}, cell);
        matrix->plot()->replot();
        const QImage after = matrix->plot()->grab().toImage();
        QCOMPARE(after.size(), before.size());
        QRect changed;
        const qreal ratio = after.devicePixelRatio();
        for (int y = 0; y < after.height(); ++y)
            for (int x = 0; x < after.width(); ++x)
                if (after.pixel(x, y) != before.pixel(x, y))
                    changed |= QRect(QPoint(static_cast<int>(x / ratio), static_cast<int>(y / ratio)), QSize(1, 1));
        QVERIFY2(!changed.isEmpty(), "clicking a cell changed nothing in the matrix");
        QVERIFY2(changed.contains(cell), "the change is not around the clicked cell");
        const QPoint other = matrix->plot()->mapFrom(matrix, matrix->cellCenter(1, 1));
        QVERIFY2(!changed.contains(other), "more than the clicked cell changed");
    }

    // Item 15: the Probability column sorts by its numbers, both ways.
    void probabilityColumnSorts()
    {
        auto* view = m_window->evaluationView();
        const auto [truth, predicted] = fullestCell(view);
        view->showCell(truth, predicted);
        auto* table = view->examplesTable();
        QVERIFY2(table->rowCount() >= 5, qPrintable(view->examplesCaption()));
        auto column = [table] {
            QList<double> values;
            for (int row = 0; row < table->rowCount(); ++row)
                values << shownPercent(table->item(row, 2));
            return values;
        };
        const QList<double> shown = column();
        QVERIFY2(QSet<double>(shown.begin(), shown.end()).size() >= 2, "every probability is the same");
        auto* header = table->horizontalHeader();
        QList<int> directions;
        for (int click = 0; click < 2; ++click) {
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                              QPoint(header->sectionViewportPosition(2) + header->sectionSize(2) / 2, header->height() / 2));
            const QList<double> values = column();
            bool ascending = true, descending = true;
            for (int i = 1; i < values.size(); ++i) {
                ascending = ascending && values[i - 1] <= values[i];
                descending = descending && values[i - 1] >= values[i];
            }
            QVERIFY2(ascending || descending, "the Probability column is not in order after a header click");
            directions << (ascending ? 1 : -1);
        }
        QVERIFY2(directions[0] != directions[1], "a second click does not reverse the order");
    }

    // Item 9: the Deployment view's tester tests the checkpoint chosen for deployment (the deployed
    // model while it serves), not the experiment open in Modeling, and says which; a model change
    // takes the previous answer's bars away.
    void testerTestsWhatIsDeployed()
    {
        // A second experiment, not trained, becomes Modeling's current one.
        auto* wizard = m_window->openExperimentWizard();
        wizard->setRandomShape(2, 32, 4, 64);
        wizard->findChild<QLineEdit*>(QStringLiteral("experimentName"))->setText(QStringLiteral("untrained"));
        wizard->accept();
        QVERIFY(QString::fromStdString(m_window->studio()->currentExperiment()->output.dir).endsWith(QStringLiteral("untrained")));

        m_window->showSection(MainWindow::DeploymentSection);
        auto* server = m_window->deploymentView()->server();
        auto* tester = m_window->deploymentView()->tester();
        QCOMPARE(server->checkpointDir(), m_runDir + QStringLiteral("/checkpoints/best"));
        QSignalSpy loaded(tester, &TesterWidget::predictorLoaded);
        QVERIFY(tester->loadedCheckpoint() == server->checkpointDir() || loaded.wait(30000));
        QCOMPARE(tester->loadedCheckpoint(), server->checkpointDir());
        const QString runName = QFileInfo(m_runDir).fileName();
        QVERIFY2(tester->sourceText().contains(runName) && tester->sourceText().contains(QStringLiteral("best epoch")),
                 qPrintable(tester->sourceText()));

        server->setPort(0);
        QSignalSpy serving(server, &ServerPanel::servingChanged);
        server->enableSwitch()->click();
        QVERIFY(serving.wait(30000));
        QVERIFY(server->isServing());
        QVERIFY2(tester->sourceText().contains(QStringLiteral("deployed")), qPrintable(tester->sourceText()));
        QSignalSpy answered(tester, &TesterWidget::answered);
        tester->setText(QStringLiteral("a great film"));
        QTest::mouseClick(tester->playButton(), Qt::LeftButton);
        QVERIFY(answered.size() == 1 || answered.wait(30000));
        QCOMPARE(tester->shownProbabilities().size(), size_t(2));

        // Another checkpoint chosen for deployment: the bars of the previous model go at once.
        server->enableSwitch()->click();
        QVERIFY(!server->isServing());
        auto* checkpoints = server->findChildren<QComboBox*>().at(1);
        QCOMPARE(checkpoints->currentText(), QStringLiteral("best epoch"));
        loaded.clear();
        checkpoints->setCurrentIndex(1);
        QVERIFY(tester->shownProbabilities().empty());
        QVERIFY(loaded.wait(30000));
        QVERIFY(tester->loadedCheckpoint().endsWith(QStringLiteral("checkpoints/last")));
        QVERIFY2(tester->sourceText().contains(QStringLiteral("last epoch")), qPrintable(tester->sourceText()));

        // The dock's tester tests Modeling's experiment (it says so); its bars go with its model too.
        auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("testerDock"));
        auto* dockTester = qobject_cast<TesterWidget*>(dock->widget());
        QVERIFY(dockTester);
        m_window->studio()->selectExperiment(m_runDir, nullptr);
        QVERIFY2(dockTester->sourceText().contains(QStringLiteral("open in Modeling")), qPrintable(dockTester->sourceText()));
        QSignalSpy dockAnswered(dockTester, &TesterWidget::answered);
        dockTester->setText(QStringLiteral("a dull film"));
        QTest::mouseClick(dockTester->playButton(), Qt::LeftButton);
        QVERIFY(dockAnswered.wait(30000));
        QCOMPARE(dockTester->shownProbabilities().size(), size_t(2));
        dockTester->checkpointSelector()->setCurrentIndex(dockTester->checkpointSelector()->currentIndex() == 0 ? 1 : 0);
        QVERIFY(dockTester->shownProbabilities().empty());
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_runDir;
};

QTEST_MAIN(TestEvaluationMinors)
#include "tst_evaluation_minors.moc"
