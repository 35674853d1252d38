// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/trainer_state.h"

#include <fstream>

namespace fika::core {

nlohmann::json TrainerState::toJson() const
{
    return {{"schema_version", kSchemaVersion},
            {"epoch", epoch},
            {"batch", nextBatch},
            {"step", step},
            {"total_steps", totalSteps},
            {"best_epoch", bestEpoch},
            {"best_score", bestScore},
            {"epochs_without_improvement", epochsWithoutImprovement},
            {"history", history},
            {"epoch_loss_sum", epochLossSum},
            {"epoch_batches", epochBatches},
            {"data_sha256", dataSha256}};
}

Result<TrainerState> readTrainerState(const std::string& file)
{
    std::ifstream in(file);
    if (!in)
        return makeError(ErrorCode::FileNotFound, file + ": cannot be read; nothing to resume", file);
    const auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return makeError(ErrorCode::Json, file + ": not valid JSON; nothing to resume", file);
    TrainerState state;
    try {
        const int schema = json.value("schema_version", 1);
        if (schema > TrainerState::kSchemaVersion)
            return makeError(ErrorCode::InvalidArgument,
                             file + ": schema_version " + std::to_string(schema) +
                                 " was written by a newer Fika; this one resumes version " +
                                 std::to_string(TrainerState::kSchemaVersion),
                             file, 0, -1, "schema_version");
        state.epoch = json.at("epoch").get<int64_t>();
        state.nextBatch = json.at("batch").get<int64_t>();
        state.step = json.at("step").get<int64_t>();
        state.totalSteps = json.value("total_steps", int64_t(0));
        state.bestEpoch = json.at("best_epoch").get<int64_t>();
        state.bestScore = json.at("best_score").get<double>();
        state.epochsWithoutImprovement = json.at("epochs_without_improvement").get<int64_t>();
        state.history = json.at("history");
        state.epochLossSum = json.value("epoch_loss_sum", 0.0);
        state.epochBatches = json.value("epoch_batches", int64_t(0));
        state.dataSha256 = json.value("data_sha256", std::string());
    } catch (const nlohmann::json::exception& e) {
        return makeError(ErrorCode::Json, file + ": " + e.what(), file);
    }
    if (state.epoch < 0 || state.nextBatch < 0 || state.step < 0 || !state.history.is_array())
        return makeError(ErrorCode::Json, file + ": epoch, batch and step must not be negative and history must be a list", file);
    return state;
}

} // namespace fika::core
