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

// The disk a run's checkpoints take, for training.epochs and training.keep_epoch_checkpoints. Every
// epoch-N, best and last hold the weights as float32; last also the optimizer state (AdamW's two
// moments per trainable parameter). keptBytes stays once the run has finished; peakBytes is the most
// while the last epoch is written (its epoch-N with the optimizer state until last holds it, the
// oldest epoch-N not yet removed, last's new copy beside the old one).
struct CheckpointDiskEstimate {
    int64_t keptBytes = 0;
    int64_t peakBytes = 0;
    int64_t epochsKept = 0; // epoch-N folders left at the end
};
CheckpointDiskEstimate estimateCheckpointDisk(const BertConfig& shape, const ExperimentConfig& config);

// Free bytes on the disk that holds `path` (or the nearest folder above it that exists yet); -1 when
// unknown.
int64_t freeDiskBytes(const std::string& path);

int64_t physicalMemoryBytes();

} // namespace fika::core
