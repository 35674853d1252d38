// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "common/warning.h"
#include "train/experiment_config.h"
#include "train/metrics.h"

#include <atomic>
#include <string>
#include <vector>

namespace fika::core {

class DistributedGroup; // distributed/process_group.h

struct StepEvent {
    int64_t step = 0;       // optimizer steps so far
    int64_t totalSteps = 0;
    int64_t epoch = 0;      // 1-based
    double loss = 0;        // mean training loss since the previous step event
    double learningRate = 0;
    double samplesPerSecond = 0;
    double etaSeconds = 0;
    double gradNorm = 0;    // the last step's gradient norm, before clipping
};

// Progress through the validation subset at the end of an epoch, before its EpochEvent.
struct ValidationEvent {
    int64_t epoch = 0;    // 1-based
    int64_t examples = 0; // validated so far
    int64_t total = 0;    // in the validation subset
};

struct EpochEvent {
    int64_t epoch = 0; // 1-based
    int64_t epochs = 0;
    double trainingLoss = 0;
    EvaluationMetrics validation;
    double elapsedSeconds = 0;
    bool best = false;
    std::vector<std::string> labels; // the classes, in the order of validation's confusion matrix
};

// Receives progress from the training thread. Implementations hop to their own thread if needed.
class TrainObserver {
public:
    virtual ~TrainObserver() = default;
    virtual void onMessage(const std::string& /*message*/) {}
    // The run goes on; by default said as a message starting with "warning: ".
    virtual void onWarning(const Warning& warning) { onMessage("warning: " + warning.message); }
    virtual void onStep(const StepEvent& /*event*/) {}
    virtual void onValidation(const ValidationEvent& /*event*/) {} // after every validation batch
    virtual void onEpoch(const EpochEvent& /*event*/) {}
};

struct TrainOptions {
    bool resume = false;                          // continue from <output.dir>/checkpoints/last
    bool overwrite = false;                       // a fresh run may replace an earlier run's checkpoints and metrics
    const std::atomic<bool>* stop = nullptr;      // honoured within one batch
    std::string defaultVocab;                     // for random initialisation without encoding.vocab
    std::string cacheDir;                         // encoded-dataset cache; empty: no cache
    // A data-parallel run's group: every rank trains its share of each batch (training.batch_size is
    // the global batch), gradients are averaged, and rank 0 alone writes the run folder. nullptr: alone.
    DistributedGroup* group = nullptr;
};

// The encoded-dataset cache's usual place: fikaCacheDir() + "/encoded".
std::string defaultEncodedCacheDir();

struct TrainSummary {
    bool stopped = false;
    int64_t epochsCompleted = 0;
    int64_t steps = 0;
    int64_t bestEpoch = 0;
    double bestValue = 0;
    std::vector<double> batchLosses; // every batch's loss, in order (tests compare runs with these)
    double elapsedSeconds = 0;
};

// Fine-tunes (or trains from scratch) a BERT classifier as the config says. Writes
// <output.dir>/config.yaml, metrics.jsonl and checkpoints/{epoch-N,best,last}. Each checkpoint is a
// Hugging Face folder plus trainer_state.json (with a schema_version); `last` also holds optimizer.pt,
// so that it can be resumed exactly: batch order depends only on (seed, epoch) and dropout is
// re-seeded from (seed, step). A resume with settings that change what is computed is refused,
// naming the key (resume_check.h).
// The run folder is locked (train.lock) while the run writes to it; a fresh run into a folder that
// holds an earlier run is refused unless options.overwrite. Leftovers of killed runs are recovered
// at the start (run_folder.h). A NaN or infinite loss or gradient stops the run with an error.
Result<TrainSummary> train(const ExperimentConfig& config, TrainObserver& observer, const TrainOptions& options = {});

// Learning rate at an optimizer step (0-based), as Hugging Face's constant and linear schedules.
double scheduledLearningRate(const ExperimentConfig::Training& training, int64_t step, int64_t totalSteps);

} // namespace fika::core
