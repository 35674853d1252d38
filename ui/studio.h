// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "project/project.h"
#include "train/experiment_config.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace fika::ui {

class TrainingController;

// Classes and subset sizes of the current experiment's dataset (from its dataset version).
struct DatasetInfo {
    QStringList classes;
    int64_t trainingCount = 0;
    int64_t validationCount = 0;
};

// What the views share: the open project, the experiments in it, the one being edited and the
// training controller. Views talk to each other only through this object's signals.
class Studio : public QObject {
    Q_OBJECT
public:
    explicit Studio(QObject* parent = nullptr);

    // Both ask the leave guard first: false with an empty error when the user keeps the project.
    bool newProject(const QString& dir, const QString& name, QString* error);
    bool openProject(const QString& dir, QString* error);
    // Asked before another project replaces the open one (a run or a deployment may need a word).
    void setLeaveProjectGuard(std::function<bool()> guard) { m_leaveGuard = std::move(guard); }
    const std::optional<core::Project>& project() const { return m_project; }
    QStringList recentProjects() const;
    // At start: opens the project used last (the first recent one) if it is still there.
    bool reopenLastProject();

    QStringList datasetVersions() const; // files
    QStringList experiments() const;     // run folders
    // A folder for new dataset versions or experiments: the project's, or a scratch folder.
    QString datasetsDir() const;
    QString newExperimentDir(const QString& name) const;

    // Writes <dir>/config.yaml and makes it the current experiment.
    bool createExperiment(const core::ExperimentConfig& config, QString* error);
    bool saveExperimentConfig(const core::ExperimentConfig& config, QString* error);
    const std::optional<core::ExperimentConfig>& currentExperiment() const { return m_current; }
    bool selectExperiment(const QString& runDir, QString* error);
    DatasetInfo datasetInfo() const;

    TrainingController* training() const { return m_training; }
    void notifyDatasetsChanged() { Q_EMIT datasetsChanged(); }

Q_SIGNALS:
    void projectChanged();
    void datasetsChanged();
    void experimentsChanged();
    void currentExperimentChanged();
    void statusMessage(const QString& text);

private:
    bool setProject(core::Result<core::Project> project, const QString& dir, QString* error);
    void rememberRecent(const QString& dir);

    std::optional<core::Project> m_project;
    std::optional<core::ExperimentConfig> m_current;
    TrainingController* m_training = nullptr;
    std::function<bool()> m_leaveGuard;
};

} // namespace fika::ui
