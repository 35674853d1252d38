// SPDX-License-Identifier: GPL-3.0-or-later
#include "screenshot_tour.h"

#include "datasets/datasets_view.h"
#include "deployment/deployment_view.h"
#include "deployment/tester_widget.h"
#include "evaluation/evaluation_view.h"
#include "evaluation/misclassified_browser.h"
#include "main_window.h"
#include "modeling/experiment_wizard.h"
#include "modeling/modeling_view.h"
#include "studio.h"
#include "training/training_controller.h"

#include <QDialog>
#include <QDir>
#include <QPushButton>
#include <QScreen>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>

#include <cstdio>

namespace fika::ui {
namespace {
constexpr int kSettleMs = 400; // let layouts and queued replots finish before grabbing
}

ScreenshotTour::ScreenshotTour(MainWindow* window, QString dataset, QString outDir, QObject* parent)
    : QObject(parent), m_window(window), m_dataset(std::move(dataset)), m_outDir(std::move(outDir))
{
}

void ScreenshotTour::save(QWidget* widget, const QString& name)
{
    const QString file = QDir(m_outDir).filePath(name + QStringLiteral(".png"));
    const bool ok = widget->grab().save(file);
    std::fprintf(stderr, "%s %s\n", ok ? "saved" : "cannot save", qPrintable(file));
}

void ScreenshotTour::fail(const QString& why)
{
    std::fprintf(stderr, "screenshot tour: %s\n", qPrintable(why));
    Q_EMIT done(false);
}

void ScreenshotTour::start()
{
    // Maximised to the screen (no window manager under Xvfb does it): every picture fits the screen.
    if (QScreen* screen = m_window->screen())
        m_window->setGeometry(screen->availableGeometry());
    QDir().mkpath(m_outDir);
    QString error;
    const QString project = QDir(m_outDir).filePath(QStringLiteral("tour-project"));
    QDir(project).removeRecursively();
    if (!m_window->studio()->newProject(project, QStringLiteral("IMDB tour"), &error))
        return fail(error);
    save(m_window, QStringLiteral("1-project"));
    m_window->showSection(MainWindow::DatasetsSection);
    connect(m_window->datasetsView(), &DatasetsView::importFinished, this, &ScreenshotTour::afterImport,
            Qt::SingleShotConnection);
    m_window->datasetsView()->importPath(m_dataset);
}

void ScreenshotTour::afterImport(bool ok)
{
    if (!ok)
        return fail(QStringLiteral("import failed"));
    auto* datasets = m_window->datasetsView();
    datasets->setSequenceLength(128);
    QTimer::singleShot(kSettleMs, this, [this, datasets] {
        save(m_window, QStringLiteral("2-datasets-histogram"));
        // The wrench of the text column: exec() runs the dialog's own loop, the timer fires inside it.
        QTimer::singleShot(kSettleMs, this, [this, datasets] {
            if (auto* dialog = datasets->encodingDialog()) {
                save(dialog, QStringLiteral("2b-encoding-dialog"));
                dialog->reject();
            }
        });
        datasets->showTextEncoding();
        QString error;
        if (!datasets->saveVersion(datasets->versionFile(QStringLiteral("imdb-128")), &error))
            return fail(error);
        m_window->studio()->notifyDatasetsChanged();
        auto* wizard = m_window->openExperimentWizard();
        wizard->setRandomShape(2, 64, 2, 128);
        wizard->setExperimentName(QStringLiteral("tiny-bert"));
        QTimer::singleShot(kSettleMs, this, [this, wizard] {
            for (int tab = 0; tab < wizard->tabs()->count(); ++tab) {
                wizard->tabs()->setCurrentIndex(tab);
                save(wizard, QStringLiteral("3-wizard-tab%1").arg(tab + 1));
            }
            wizard->accept();
            auto* modeling = m_window->modelingView();
            modeling->setSetting(QStringLiteral("training.epochs"), 1);
            modeling->setSetting(QStringLiteral("training.batch_size"), 32);
            modeling->setSetting(QStringLiteral("training.learning_rate"), 0.0005);
            QTimer::singleShot(kSettleMs, this, [this, modeling] {
                save(m_window, QStringLiteral("4-modeling-settings"));
                connect(m_window->studio()->training(), &TrainingController::finished, this,
                        &ScreenshotTour::afterTraining, Qt::SingleShotConnection);
                modeling->runButton()->click();
                QTimer::singleShot(8000, this, [this] {
                    if (m_window->studio()->training()->isRunning())
                        save(m_window, QStringLiteral("5-modeling-training"));
                });
            });
        });
    });
}

void ScreenshotTour::afterTraining(bool ok)
{
    if (!ok)
        return fail(QStringLiteral("training failed"));
    auto* evaluation = m_window->evaluationView();
    if (evaluation->evaluationReady())
        return afterEvaluation();
    connect(evaluation, &EvaluationView::evaluationFinished, this, &ScreenshotTour::afterEvaluation,
            Qt::SingleShotConnection);
}

void ScreenshotTour::afterEvaluation()
{
    m_window->showSection(MainWindow::EvaluationSection);
    auto* evaluation = m_window->evaluationView();
    evaluation->showCell(1, 0);
    QTimer::singleShot(kSettleMs, this, [this, evaluation] {
        save(m_window, QStringLiteral("6-evaluation"));
        // The most confidently wrong review, explained.
        auto* browser = evaluation->misclassifiedBrowser();
        evaluation->detailTabs()->setCurrentWidget(browser);
        if (browser->count() == 0)
            return showTester();
        connect(browser, &MisclassifiedBrowser::explained, this, [this, evaluation](bool) {
            QTimer::singleShot(kSettleMs, this, [this, evaluation] {
                save(m_window, QStringLiteral("6b-evaluation-misclassified"));
                evaluation->detailTabs()->setCurrentIndex(0);
                showTester();
            });
        }, Qt::SingleShotConnection);
        browser->list()->selectRow(0);
    });
}

void ScreenshotTour::showTester()
{
    m_window->showSection(MainWindow::DeploymentSection);
    auto* tester = m_window->deploymentView()->tester();
    tester->setText(QStringLiteral("A fun brain candy movie...good dialog. A genuinely good day"));
    connect(tester, &TesterWidget::answered, this, [this, tester] {
        QTimer::singleShot(kSettleMs, this, [this, tester] {
            save(m_window, QStringLiteral("7-deployment-tester"));
            connect(tester, &TesterWidget::explained, this, [this](bool) {
                QTimer::singleShot(kSettleMs, this, [this] {
                    save(m_window, QStringLiteral("7b-deployment-tester-explained"));
                    Q_EMIT done(true);
                });
            }, Qt::SingleShotConnection);
            tester->explainButton()->click();
        });
    }, Qt::SingleShotConnection);
    tester->playButton()->click();
}

} // namespace fika::ui
