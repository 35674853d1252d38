// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "data/dataset_version.h"
#include "train/experiment_config.h"

#include <string>
#include <vector>

namespace fika::core {

// A Fika project is a folder: project.yaml, datasets/<name>.yaml (dataset versions) and
// experiments/<name>/ (each a training run folder with config.yaml, metrics.jsonl, checkpoints/).
struct Project {
    static constexpr int kSchemaVersion = 1;
    std::string dir;
    std::string name;
    std::string createdUtc;

    std::string datasetsDir() const;
    std::string experimentsDir() const;
};

// Creates the folder (it may exist but must not hold a project yet).
Result<Project> createProject(const std::string& dir, const std::string& name);
Result<Project> openProject(const std::string& dir);

// Dataset version files and experiment folders, sorted by name.
std::vector<std::string> listDatasetVersions(const Project& project);
std::vector<std::string> listExperiments(const Project& project);

// A file or folder name from a display name: letters (any script's), digits, '-' and '_' kept, the rest '-'.
std::string safeFileName(const std::string& name);
// experiments/<name>, or <name>-2, -3 … when taken.
std::string newExperimentDir(const Project& project, const std::string& name);

// An experiment config for a dataset version: its source, columns, encoding and subsets, the
// preset's training settings, and output.dir set to the given folder.
ExperimentConfig experimentForDataset(const DatasetVersion& version, ConfigPreset preset, const std::string& outputDir);

} // namespace fika::core
