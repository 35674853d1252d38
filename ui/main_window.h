// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QDockWidget;
class QListWidget;
class QStackedWidget;

namespace fika::ui {

class DatasetsView;
class DeploymentView;
class EvaluationView;
class ModelingView;
class ProjectView;
class Studio;
class TesterWidget;

// Composes the views behind a left navigation (Project, Datasets, Modeling, Evaluation,
// Deployment) and the tester dock; remembers its layout. Owns no business logic.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Section { ProjectSection = 0, DatasetsSection, ModelingSection, EvaluationSection, DeploymentSection };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    QStringList sectionNames() const;
    void showSection(int index);
    int currentSection() const;
    Studio* studio() const { return m_studio; }
    DatasetsView* datasetsView() const { return m_datasets; }
    ModelingView* modelingView() const { return m_modeling; }
    EvaluationView* evaluationView() const { return m_evaluation; }
    DeploymentView* deploymentView() const { return m_deployment; }
    TesterWidget* testerDock() const { return m_dockTester; }

    // Opens the experiment wizard on a dataset version (the newest when none is given); returns it
    // (non-modal) so that tests and scripts can drive it.
    class ExperimentWizard* openExperimentWizard(const QString& versionFile = QString());

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    // Before another project replaces this one: a run must be stopped first, a deployment is
    // stopped or kept as the user answers. False: stay in this project.
    bool confirmLeavingProject();
    void addSection(const QString& name, QWidget* view);
    void createMenus();

    Studio* m_studio = nullptr;
    QListWidget* m_navigation = nullptr;
    QStackedWidget* m_views = nullptr;
    ProjectView* m_project = nullptr;
    DatasetsView* m_datasets = nullptr;
    ModelingView* m_modeling = nullptr;
    EvaluationView* m_evaluation = nullptr;
    DeploymentView* m_deployment = nullptr;
    QDockWidget* m_testerDock = nullptr;
    TesterWidget* m_dockTester = nullptr;
};

} // namespace fika::ui
