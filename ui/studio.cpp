// SPDX-License-Identifier: GPL-3.0-or-later
#include "studio.h"
#include "error_text.h"

#include "qt_config.h"
#include "training/training_controller.h"

#include "common/atomic_file.h"
#include "train/evaluation.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include <filesystem>
#include <fstream>

namespace fika::ui {
namespace {

constexpr int kMaxRecent = 8;
const QString kRecentKey = QStringLiteral("projects/recent");

} // namespace

Studio::Studio(QObject* parent) : QObject(parent), m_training(new TrainingController(this))
{
    connect(m_training, &TrainingController::finished, this, [this] { Q_EMIT experimentsChanged(); });
}

bool Studio::newProject(const QString& dir, const QString& name, QString* error)
{
    if (m_leaveGuard && !m_leaveGuard()) {
        if (error)
            error->clear();
        return false;
    }
    return setProject(core::createProject(toStdString(dir), toStdString(name)), dir, error);
}

bool Studio::openProject(const QString& dir, QString* error)
{
    if (m_leaveGuard && !m_leaveGuard()) {
        if (error)
            error->clear();
        return false;
    }
    return setProject(core::openProject(toStdString(dir)), dir, error);
}

bool Studio::setProject(core::Result<core::Project> project, const QString& dir, QString* error)
{
    if (!project) {
        if (error)
            *error = ErrorText::text(project.error());
        return false;
    }
    m_project = std::move(project.value());
    m_current.reset();
    rememberRecent(dir);
    Q_EMIT projectChanged();
    Q_EMIT datasetsChanged();
    Q_EMIT experimentsChanged();
    const QStringList runs = experiments();
    if (!runs.isEmpty())
        selectExperiment(runs.last(), nullptr);
    else
        Q_EMIT currentExperimentChanged();
    return true;
}

QStringList Studio::recentProjects() const
{
    return QSettings().value(kRecentKey).toStringList();
}

bool Studio::reopenLastProject()
{
    const QStringList recent = recentProjects();
    if (recent.isEmpty() || !QFileInfo::exists(QDir(recent.first()).filePath(QStringLiteral("project.yaml"))))
        return false;
    QString error;
    if (openProject(recent.first(), &error))
        return true;
    Q_EMIT statusMessage(tr("The last project, %1, could not be reopened: %2").arg(recent.first(), error));
    return false;
}

void Studio::rememberRecent(const QString& dir)
{
    QStringList recent = recentProjects();
    const QString path = QDir(dir).absolutePath();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(kRecentKey, recent);
}

QStringList Studio::datasetVersions() const
{
    QStringList out;
    if (m_project)
        for (const auto& file : core::listDatasetVersions(*m_project))
            out << toQString(file);
    return out;
}

QStringList Studio::experiments() const
{
    QStringList out;
    if (m_project)
        for (const auto& dir : core::listExperiments(*m_project))
            out << toQString(dir);
    return out;
}

QString Studio::datasetsDir() const
{
    if (m_project)
        return toQString(m_project->datasetsDir());
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/datasets");
}

QString Studio::newExperimentDir(const QString& name) const
{
    if (m_project)
        return toQString(core::newExperimentDir(*m_project, toStdString(name)));
    core::Project scratch;
    scratch.dir = toStdString(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    return toQString(core::newExperimentDir(scratch, toStdString(name)));
}

bool Studio::saveExperimentConfig(const core::ExperimentConfig& config, QString* error)
{
    if (auto valid = core::validateExperimentConfig(config); !valid) {
        if (error)
            *error = ErrorText::text(valid.error());
        return false;
    }
    const std::string file = config.output.dir + "/config.yaml";
    if (auto written = core::writeFileAtomically(file, core::experimentConfigToYaml(config)); !written) {
        if (error)
            *error = tr("%1 cannot be written. Choose a project folder you can write to.").arg(toQString(file));
        return false;
    }
    m_current = config;
    return true;
}

bool Studio::createExperiment(const core::ExperimentConfig& config, QString* error)
{
    if (!saveExperimentConfig(config, error))
        return false;
    Q_EMIT experimentsChanged();
    Q_EMIT currentExperimentChanged();
    return true;
}

bool Studio::selectExperiment(const QString& runDir, QString* error)
{
    auto config = core::loadExperimentConfig(toStdString(runDir + QStringLiteral("/config.yaml")));
    if (!config) {
        if (error)
            *error = ErrorText::text(config.error());
        return false;
    }
    config->output.dir = toStdString(runDir); // the folder may have moved with its project
    m_current = std::move(config.value());
    Q_EMIT currentExperimentChanged();
    return true;
}

} // namespace fika::ui

namespace fika::ui {

DatasetInfo Studio::datasetInfo() const
{
    DatasetInfo info;
    if (!m_current)
        return info;
    const std::string source = core::experimentDataSource(*m_current);
    for (const QString& file : datasetVersions()) {
        auto version = core::loadDatasetVersion(toStdString(file));
        if (!version || version->source.path != source || version->subsets.seed != m_current->data.subsets.seed)
            continue;
        for (const auto& name : version->classes)
            info.classes << toQString(name);
        info.trainingCount = version->trainingCount;
        info.validationCount = version->validationCount;
    }
    return info;
}

} // namespace fika::ui
