// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "train/trainer.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace fika::core {

// What a training run folder's metrics.jsonl tells: the step and epoch events, as the observer saw
// them. A resumed run's repeated lines replace the earlier ones.
struct RunHistory {
    std::vector<std::string> labels;
    std::vector<StepEvent> steps;
    std::vector<EpochEvent> epochs;
    int64_t bestEpoch() const; // 0 when no epoch has ended
};

Result<RunHistory> readRunHistory(const std::string& runDir);

// Before a resumed run appends to metrics.jsonl: drops the lines past the checkpoint it resumes from
// (steps after `step`, epochs after `epoch`, written by the run that was killed or stopped after that
// checkpoint) and lines cut short by a kill or a full disk, so that every step and epoch is in the file
// once and each line is JSON. Rewrites the file atomically, and only when something is dropped.
Status trimRunHistory(const std::string& runDir, int64_t step, int64_t epoch);

// Parses one metrics object (metricsToJson's layout) back; throws nlohmann::json::exception.
EvaluationMetrics metricsFromJson(const nlohmann::json& json);

} // namespace fika::core
