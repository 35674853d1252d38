// SPDX-License-Identifier: GPL-3.0-or-later
#include "main_window.h"

#include "datasets/datasets_view.h"
#include "deployment/deployment_view.h"
#include "deployment/server_panel.h"
#include "deployment/tester_widget.h"
#include "evaluation/evaluation_view.h"
#include "library/data_library_dialog.h"
#include "modeling/experiment_wizard.h"
#include "modeling/modeling_view.h"
#include "preferences_dialog.h"
#include "project/project_view.h"
#include "qt_config.h"
#include "studio.h"
#include "training/training_controller.h"
#include "user_guide_dialog.h"

#include "runtime/runtime.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QThreadPool>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcess>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

namespace fika::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_studio(new Studio(this))
{
    setWindowTitle(tr("Fika"));
    // A laptop screen may be smaller than the preferred size: never open larger than the screen.
    resize(screen() ? QSize(1280, 820).boundedTo(screen()->availableGeometry().size()) : QSize(1280, 820));

    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    m_navigation = new QListWidget(central);
    m_navigation->setFixedWidth(170);
    m_navigation->setFrameShape(QFrame::NoFrame);
    QFont navigationFont = m_navigation->font();
    navigationFont.setPointSizeF(navigationFont.pointSizeF() * 1.15);
    m_navigation->setFont(navigationFont);
    m_navigation->setSpacing(4);
    m_views = new QStackedWidget(central);
    layout->addWidget(m_navigation);
    layout->addWidget(m_views, 1);
    setCentralWidget(central);

    m_project = new ProjectView(m_studio, m_views);
    m_datasets = new DatasetsView(m_views);
    m_datasets->setVersionsFolder(m_studio->datasetsDir());
    m_modeling = new ModelingView(m_studio, m_views);
    m_evaluation = new EvaluationView(m_studio, m_views);
    m_deployment = new DeploymentView(m_studio, m_views);
    addSection(tr("Project"), m_project);
    addSection(tr("Datasets"), m_datasets);
    addSection(tr("Modeling"), m_modeling);
    addSection(tr("Evaluation"), m_evaluation);
    addSection(tr("Deployment"), m_deployment);

    m_testerDock = new QDockWidget(tr("Tester"), this);
    m_testerDock->setObjectName(QStringLiteral("testerDock"));
    m_dockTester = new TesterWidget(m_studio, m_testerDock);
    m_testerDock->setWidget(m_dockTester);
    addDockWidget(Qt::RightDockWidgetArea, m_testerDock);
    m_testerDock->hide();

    connect(m_navigation, &QListWidget::currentRowChanged, m_views, &QStackedWidget::setCurrentIndex);
    connect(m_studio, &Studio::projectChanged, this, [this] {
        m_datasets->setVersionsFolder(m_studio->datasetsDir());
        setWindowTitle(tr("Fika — %1").arg(toQString(m_studio->project()->name)));
    });
    connect(m_studio, &Studio::statusMessage, this, [this](const QString& text) { statusBar()->showMessage(text); });
    connect(m_datasets, &DatasetsView::versionSaved, m_studio, &Studio::notifyDatasetsChanged);
    connect(m_datasets, &DatasetsView::useInNewExperiment, this, [this](const QString& file) { openExperimentWizard(file); });
    connect(m_modeling, &ModelingView::newExperimentRequested, this, [this] { openExperimentWizard(); });
    connect(m_studio->training(), &TrainingController::finished, this, [this](bool ok, bool stopped) {
        if (ok && !stopped) // a stopped run stays in Modeling, where Resume is
            showSection(EvaluationSection);
    });
    m_studio->setLeaveProjectGuard([this] { return confirmLeavingProject(); });
    createMenus();
    m_navigation->setCurrentRow(0);
    statusBar()->showMessage(tr("Fika %1 — LibTorch %2, %3 compute threads")
                                 .arg(toQString(core::fikaVersion()), toQString(core::torchVersion()))
                                 .arg(core::computeThreads()));

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

MainWindow::~MainWindow()
{
    // Pool work the views started (an evaluation, a prediction, a predictor load) must end before
    // the program does: LibTorch's kernels are torn down at exit, and a thread still computing with
    // them corrupted the heap (seen as a hang at the end of tst_whole_flow). A running training and
    // evaluation are asked to stop first: they stop within one batch.
    m_studio->training()->stop();
    m_evaluation->cancelEvaluation();
    QThreadPool::globalInstance()->waitForDone();
}

void MainWindow::createMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New project…"), QKeySequence::New, m_project, &ProjectView::newProjectDialog);
    file->addAction(tr("&Open project…"), QKeySequence::Open, m_project, &ProjectView::openProjectDialog);
    file->addAction(tr("&Import dataset…"), QKeySequence(tr("Ctrl+I")), this, [this] {
        showSection(DatasetsSection);
        m_datasets->chooseCsv();
    });
    file->addAction(tr("Data &library…"), QKeySequence(tr("Ctrl+L")), this, [this] {
        auto* dialog = new DataLibraryDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &DataLibraryDialog::datasetReady, this, [this](const QString& folder) {
            showSection(DatasetsSection);
            m_datasets->importPath(folder);
        });
        dialog->open();
    });
    file->addAction(tr("&Preferences…"), QKeySequence::Preferences, this, [this] {
        auto* dialog = new PreferencesDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this, dialog] {
            if (dialog->languageChanges())
                statusBar()->showMessage(tr("The new language takes effect when Fika restarts."));
        });
        connect(dialog, &PreferencesDialog::restartRequested, this, [this] {
            // Only once this window closed: a run or a deployment may ask to stay.
            if (close())
                QProcess::startDetached(QCoreApplication::applicationFilePath(), QCoreApplication::arguments().mid(1));
        });
        dialog->open();
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    auto* view = menuBar()->addMenu(tr("&View"));
    const QStringList names = sectionNames();
    for (int i = 0; i < names.size(); ++i)
        view->addAction(names[i], QKeySequence(QStringLiteral("Ctrl+%1").arg(i + 1)), this, [this, i] { showSection(i); });
    view->addSeparator();
    view->addAction(m_testerDock->toggleViewAction());
    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&User guide"), QKeySequence::HelpContents, this, [this] {
        auto* guide = new UserGuideDialog(this);
        guide->setAttribute(Qt::WA_DeleteOnClose);
        guide->show();
    });
    help->addAction(tr("&About Fika"), this, [this] {
        QMessageBox::about(this, tr("About Fika"),
                           tr("<b>Fika %1</b><p>A desktop studio for fine-tuning BERT text classifiers.</p>"
                              "<p>LibTorch %2. GPL-3.0-or-later.</p>")
                               .arg(toQString(core::fikaVersion()), toQString(core::torchVersion())));
    });
}

ExperimentWizard* MainWindow::openExperimentWizard(const QString& versionFile)
{
    auto* wizard = new ExperimentWizard(m_studio, this);
    if (!versionFile.isEmpty())
        wizard->selectVersion(versionFile);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &QDialog::accepted, this, [this] { showSection(ModelingSection); });
    wizard->open();
    return wizard;
}

void MainWindow::addSection(const QString& name, QWidget* view)
{
    m_navigation->addItem(name);
    // A view larger than the window scrolls instead of growing the window past a laptop screen.
    auto* scroll = new QScrollArea(m_views);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // No stop on Tab: it showed no focus, so after a view's last control Tab seemed lost. Tabbing
    // through the controls scrolls each into sight all the same.
    scroll->setFocusPolicy(Qt::NoFocus);
    scroll->setWidget(view);
    m_views->addWidget(scroll);
}

QStringList MainWindow::sectionNames() const
{
    QStringList names;
    for (int i = 0; i < m_navigation->count(); ++i)
        names << m_navigation->item(i)->text();
    return names;
}

void MainWindow::showSection(int index)
{
    m_navigation->setCurrentRow(index);
}

int MainWindow::currentSection() const
{
    return m_views->currentIndex();
}

bool MainWindow::confirmLeavingProject()
{
    if (m_studio->training()->isRunning()) {
        QMessageBox::information(this, tr("Training is running"),
                                 tr("Stop the training in the Modeling view before switching projects."));
        return false;
    }
    ServerPanel* server = m_deployment->server();
    if (!server->isServing())
        return true;
    QMessageBox box(QMessageBox::Question, tr("A deployment is running"),
                    tr("%1 still serves this project's model. Stop it, or keep it serving while you work on "
                       "the other project?")
                        .arg(server->url()),
                    QMessageBox::Cancel, this);
    auto* stop = box.addButton(tr("&Stop the deployment"), QMessageBox::AcceptRole);
    auto* keep = box.addButton(tr("&Keep serving"), QMessageBox::AcceptRole);
    box.setDefaultButton(stop);
    box.exec();
    if (box.clickedButton() == stop)
        server->stopServing();
    return box.clickedButton() == stop || box.clickedButton() == keep;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_studio->training()->isRunning() &&
        QMessageBox::question(this, tr("Training is running"),
                              tr("Stop the training and quit? It stops within one batch, and Resume continues from there.")) !=
            QMessageBox::Yes) {
        event->ignore();
        return;
    }
    if (m_deployment->server()->isServing() &&
        QMessageBox::question(this, tr("A deployment is running"),
                              tr("Quitting stops the deployment at %1: its clients get no more answers. Quit?")
                                  .arg(m_deployment->server()->url())) != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

} // namespace fika::ui
