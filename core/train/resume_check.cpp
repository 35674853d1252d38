// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/resume_check.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <set>

namespace fika::core {
namespace {

// "training.learning_rate" → its value as written, for every scalar (sequences as one flow string).
void flatten(const YAML::Node& node, const std::string& prefix, std::map<std::string, std::string>& out)
{
    if (node.IsMap()) {
        for (const auto& item : node)
            flatten(item.second, prefix.empty() ? item.first.as<std::string>() : prefix + "." + item.first.as<std::string>(), out);
        return;
    }
    YAML::Emitter text;
    text << YAML::Flow << node;
    out[prefix] = text.c_str();
}

// How it runs, and how long: a finished run may be given more epochs (the learning-rate schedule
// then follows the new length from where the run is).
const std::set<std::string> kMayDiffer = {"training.threads",          "training.device",
                                          "training.log_every_steps",  "training.keep_epoch_checkpoints",
                                          "training.epochs",           "training.early_stopping_patience",
                                          "training.early_stopping_min_delta", "output.dir"};

} // namespace

Status checkResumeMatches(const ExperimentConfig& config, const std::string& savedExperimentFile, bool sameDataChecked)
{
    std::error_code ec;
    if (!std::filesystem::exists(savedExperimentFile, ec)) // runs saved before the file existed: nothing to compare with
        return Ok{};
    auto saved = loadExperimentConfig(savedExperimentFile);
    if (!saved)
        return saved.error();
    std::map<std::string, std::string> now, before;
    try {
        flatten(YAML::Load(experimentConfigToYaml(config)), "", now);
        flatten(YAML::Load(experimentConfigToYaml(saved.value())), "", before);
    } catch (const YAML::Exception& e) {
        return makeError(ErrorCode::Yaml, savedExperimentFile + ": " + e.msg, savedExperimentFile);
    }
    for (const auto& [key, value] : now) {
        if (kMayDiffer.count(key) || (sameDataChecked && (key == "data.csv" || key == "data.folder")))
            continue;
        const auto it = before.find(key);
        const std::string old = it == before.end() ? "(not set)" : it->second;
        if (old != value)
            return makeError(ErrorCode::ConfigInvalid,
                             key + " is " + value + " now but was " + old + " in the run being resumed (" + savedExperimentFile +
                                 "); resume with the run's settings, or start anew with --overwrite",
                             savedExperimentFile, 0, -1, key);
    }
    return Ok{};
}

} // namespace fika::core
