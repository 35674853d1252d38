// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace fika::core {

// Where a run stands: everything besides the weights and the optimizer that a resumed run needs to
// continue exactly. Saved as trainer_state.json in every checkpoint folder.
struct TrainerState {
    static constexpr int kSchemaVersion = 1; // a resume refuses a newer one

    int64_t epoch = 0;     // finished epochs (0-based index of the epoch in progress)
    int64_t nextBatch = 0; // the batch of `epoch` a resumed run starts with
    int64_t step = 0;      // optimizer steps so far
    int64_t totalSteps = 0;
    int64_t bestEpoch = 0; // 1-based; 0 before the first validation
    double bestScore = -1e300; // higher is better (validation loss is negated)
    int64_t epochsWithoutImprovement = 0;
    nlohmann::json history = nlohmann::json::array(); // each finished epoch's metrics
    double epochLossSum = 0; // the unfinished epoch's training loss so far
    int64_t epochBatches = 0;
    std::string dataSha256; // the data source's checksum: a resume on other data is refused (empty: not recorded)

    nlohmann::json toJson() const;
};

// trainer_state.json, checked: valid JSON, a schema_version this Fika reads, every field present.
// Files written before schema_version existed are version 1; before epoch_loss_sum, 0.
Result<TrainerState> readTrainerState(const std::string& file);

} // namespace fika::core
