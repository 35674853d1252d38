// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/estimates.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace fika::core {
namespace {

constexpr double kBytesPerTokenLayerPerHidden = 88.0; // activations kept for backward (measured, fp32)
constexpr double kBaselineBytes = 300e6;              // LibTorch, tokenizer, dataset
constexpr double kFlopsPerSecondPerThread = 60e9;
// Small models are bound by memory traffic and per-operation overhead, not FLOPs: seconds per
// token, layer and hidden unit on one thread (calibrated on BERT-mini and a 2-layer, 64-wide BERT).
constexpr double kSecondsPerTokenLayerHidden = 5e-7;
// training.precision bf16 (a bf16 working copy on this CPU's bf16 units) against fp32, samples/s
// measured with fika-cli bench model on idle cores: BERT-mini 32x256 1.6x, BERT-base 6x512 1.9x
// (2.3-2.7x on cores busy with other work, where fp32 loses more).
constexpr double kBf16TrainingSpeedup = 1.8;

// A GPU's effective rates, as Fika trains and runs BERT-base on an H200 (fika-cli bench model, the
// samples/s below at sequence length 512; README: Measured on an H200); the formula's FLOPs per
// token at those rates give FLOP/s.
constexpr double kGpuTrainingSamplesPerSecondBf16 = 739; // batch 32, bf16
constexpr double kGpuTrainingSamplesPerSecondFp32 = 107; // batch 6, fp32
constexpr double kGpuInferenceSamplesPerSecondBf16 = 2462; // batch 64, bf16 (forward only)
constexpr double kGpuMeasuredSequenceLength = 512;
// A GPU runs a small model no faster than it launches kernels: about 60 launches of ~8 µs per layer
// for forward, backward and AdamW (an assumption for eager mode, not yet measured here).
constexpr double kGpuSecondsPerLayerStep = 0.5e-3;
constexpr double kGpuBaselineBytes = 500e6; // the CUDA context and cuBLAS workspaces on the GPU

// FLOPs per token for forward and backward (6 per parameter), or forward only (2), of the encoder
// layers, pooler and classifier: embeddings are look-ups.
double flopsPerToken(const BertConfig& shape, bool backward)
{
    const auto sizes = shape.blockParameterCounts();
    return (backward ? 6.0 : 2.0) * static_cast<double>(sizes.encoderLayers + sizes.pooler + sizes.classifier);
}

// FLOP/s that BERT-base reached at `samplesPerSecond` on the GPU.
double gpuRate(double samplesPerSecond, bool backward)
{
    return samplesPerSecond * kGpuMeasuredSequenceLength * flopsPerToken(BertConfig::base(), backward);
}

double gpuEpochSeconds(const BertConfig& shape, const ExperimentConfig& config, double epochTokens, int64_t examples)
{
    const bool bf16 = config.training.precision == Precision::Bf16;
    const double fp32Share = kGpuTrainingSamplesPerSecondFp32 / kGpuTrainingSamplesPerSecondBf16;
    double seconds = 0;
    if (config.model.trainable) {
        seconds = epochTokens * flopsPerToken(shape, true) /
                  gpuRate(bf16 ? kGpuTrainingSamplesPerSecondBf16 : kGpuTrainingSamplesPerSecondFp32, true);
    } else { // a frozen encoder runs forward only, at the inference rate (fp32 at training's fp32 share)
        const double rate = gpuRate(kGpuInferenceSamplesPerSecondBf16, false) * (bf16 ? 1.0 : fp32Share);
        seconds = epochTokens * flopsPerToken(shape, false) / rate;
    }
    const double steps = std::ceil(static_cast<double>(examples) / static_cast<double>(std::max<int64_t>(1, config.training.batchSize)));
    const double launchBound = steps * static_cast<double>(shape.numLayers) * kGpuSecondsPerLayerStep /
                               (config.model.trainable ? 1.0 : 3.0);
    return std::max(seconds, launchBound);
}

std::string gigabytes(double bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GB", bytes / 1e9);
    return text;
}

} // namespace

BertConfig experimentModelShape(const ExperimentConfig& config, size_t classes)
{
    BertConfig shape;
    const std::string json = config.model.weights + "/config.json";
    std::error_code ec; // a link to itself must not throw here: loading the weights reports it
    if (config.model.init == ModelInit::Pretrained && std::filesystem::is_regular_file(json, ec)) {
        if (auto loaded = loadBertConfig(json))
            shape = loaded.value();
    } else {
        shape.numLayers = config.model.layers;
        shape.hiddenSize = config.model.hiddenSize;
        shape.numHeads = config.model.heads;
        shape.intermediateSize = config.model.intermediateSize;
    }
    shape.labels.assign(std::max<size_t>(2, classes), "class");
    return shape;
}

TrainingEstimate estimateTraining(const BertConfig& shape, const ExperimentConfig& config, int64_t trainingExamples,
                                  int threads)
{
    const auto sizes = shape.blockParameterCounts();
    const double trainable = static_cast<double>(config.model.trainable ? shape.parameterCount() : sizes.pooler + sizes.classifier);
    const double all = static_cast<double>(shape.parameterCount());
    const double tokens = static_cast<double>(config.training.batchSize * config.encoding.sequenceLength);
    const double activations =
        tokens * static_cast<double>(shape.numLayers * shape.hiddenSize) * kBytesPerTokenLayerPerHidden;
    const bool gpu = config.training.device == TrainingDevice::Cuda;
    // On a GPU the same tensors live in its own memory: weights, gradients, AdamW's two moments and
    // the activations, beside the CUDA context instead of the process's libraries and dataset.
    const double baseline = gpu ? kGpuBaselineBytes : kBaselineBytes;
    TrainingEstimate e;
    if (config.training.precision == Precision::Bf16)
        // The bf16 working copy and its gradients (2 + 2 bytes) beside the float32 master weights and
        // AdamW, and activations kept in bf16: BERT-base 6x512 peaked at 4.07 GB against 4.82 GB in
        // fp32 (fika-cli bench model --modes train, peak RSS).
        e.peakBytes = static_cast<int64_t>(all * 6 + trainable * 14 + activations * 0.5 + baseline);
    else
        e.peakBytes = static_cast<int64_t>(all * 4 + trainable * 12 + activations + baseline);
    const double epochTokens = static_cast<double>(trainingExamples * config.encoding.sequenceLength);
    if (gpu) {
        e.epochSeconds = gpuEpochSeconds(shape, config, epochTokens, trainingExamples);
        return e;
    }
    // 6 FLOPs per parameter and token for forward and backward (2 without gradients to the encoder).
    const double computeBound = flopsPerToken(shape, config.model.trainable) * epochTokens /
                                (kFlopsPerSecondPerThread * std::max(1, threads));
    const double memoryBound = epochTokens * static_cast<double>(shape.numLayers * shape.hiddenSize) *
                               kSecondsPerTokenLayerHidden / std::max(1, threads) / (config.model.trainable ? 1.0 : 3.0);
    e.epochSeconds = std::max(computeBound, memoryBound);
    if (config.training.precision == Precision::Bf16)
        e.epochSeconds /= kBf16TrainingSpeedup;
    return e;
}

std::vector<std::string> trainingWarnings(const ExperimentConfig& config, const TrainingEstimate& estimate,
                                          int64_t memoryBytes)
{
    std::vector<std::string> warnings;
    const double lr = config.training.learningRate;
    if (config.model.init == ModelInit::Pretrained && (lr < 1e-5 || lr > 5e-5))
        warnings.push_back("Learning rate " + std::to_string(lr) +
                           " is outside 1e-5 … 5e-5, the range that works for fine-tuning pretrained BERT; "
                           "at 1e-6 (the tutorial's) it learns very slowly.");
    if (config.model.init == ModelInit::Random && (lr < 1e-4 || lr > 2e-3))
        warnings.push_back("Learning rate " + std::to_string(lr) +
                           " is far from 5e-4, what a BERT from random weights needs; below 1e-4 it usually "
                           "learns nothing (loss stays at ln(classes), one class for everything). "
                           "Choose the From scratch settings.");
    if (memoryBytes > 0 && estimate.peakBytes > memoryBytes * 8 / 10)
        warnings.push_back("Training needs about " + gigabytes(static_cast<double>(estimate.peakBytes)) + " of memory, " +
                           (config.training.device == TrainingDevice::Cuda ? "the GPU has " : "this machine has ") +
                           gigabytes(static_cast<double>(memoryBytes)) + ": lower the batch size or the sequence length.");
    return warnings;
}

CheckpointDiskEstimate estimateCheckpointDisk(const BertConfig& shape, const ExperimentConfig& config)
{
    // Besides model.safetensors each checkpoint holds vocab.txt (232 kB for bert-base-uncased) and a
    // few small JSON and YAML files.
    constexpr int64_t kCheckpointExtrasBytes = 240'000;
    const auto sizes = shape.blockParameterCounts();
    const int64_t trainable = config.model.trainable ? shape.parameterCount() : sizes.pooler + sizes.classifier;
    const int64_t weights = shape.parameterCount() * 4 + kCheckpointExtrasBytes;
    const int64_t optimizer = trainable * 8;
    const int64_t epochs = std::max<int64_t>(1, config.training.epochs);
    const int64_t keep = config.training.keepEpochCheckpoints;
    CheckpointDiskEstimate e;
    e.epochsKept = keep > 0 ? std::min(keep, epochs) : epochs;
    const int64_t last = weights + optimizer;
    e.keptBytes = e.epochsKept * weights + weights /* best */ + last;
    const int64_t epochsWhileWritten = keep > 0 && epochs > keep ? keep + 1 : e.epochsKept;
    e.peakBytes = epochsWhileWritten * weights + optimizer + weights + 2 * last;
    return e;
}

int64_t freeDiskBytes(const std::string& path)
{
    std::error_code ec;
    std::filesystem::path existing = std::filesystem::absolute(path, ec);
    while (!existing.empty() && !std::filesystem::exists(existing, ec) && existing.has_relative_path())
        existing = existing.parent_path();
    const auto space = std::filesystem::space(existing, ec);
    return ec ? -1 : static_cast<int64_t>(space.available);
}

int64_t physicalMemoryBytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && pageSize > 0 ? static_cast<int64_t>(pages) * pageSize : 0;
}

} // namespace fika::core
