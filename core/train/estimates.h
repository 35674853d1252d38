// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/bert_config.h"
#include "train/experiment_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fika::core {

// Rough figures the Modeling view shows before a run, for the device training.device names. On the
// CPU calibrated on this project's own measurements (BERT-base, batch 6 × 512: 4.25 GB peak,
// ~120 GFLOP/s effective on 2 cores); on a GPU from its FLOPs at a measured effective GPU rate.
struct TrainingEstimate {
    int64_t peakBytes = 0;   // RAM on the CPU; the GPU's own memory with training.device cuda
    double epochSeconds = 0; // at full sequence length: an upper bound with dynamic padding
};

// The model shape an experiment will train: the checkpoint's config.json for pretrained weights
// (when readable), else the config's shape.
BertConfig experimentModelShape(const ExperimentConfig& config, size_t classes);

// `threads` counts only on the CPU (training.device cpu).
TrainingEstimate estimateTraining(const BertConfig& shape, const ExperimentConfig& config, int64_t trainingExamples,
                                  int threads);

// Advice shown beside the settings: learning rate outside 1e-5 … 5e-5 for pretrained BERT or
// 1e-4 … 2e-3 for random weights, peak memory against `memoryBytes`: the machine's RAM for
// training.device cpu, the GPU's memory (ComputeDevice::memoryBytes) for cuda.
std::vector<std::string> trainingWarnings(const ExperimentConfig& config, const TrainingEstimate& estimate,
                                          int64_t memoryBytes);

int64_t physicalMemoryBytes();

} // namespace fika::core
