// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/estimates.h"

#include <unistd.h>

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
    TrainingEstimate e;
    if (config.training.precision == Precision::Bf16)
        // The bf16 working copy and its gradients (2 + 2 bytes) beside the float32 master weights and
        // AdamW, and activations kept in bf16: BERT-base 6x512 peaked at 4.07 GB against 4.82 GB in
        // fp32 (fika-cli bench model --modes train, peak RSS).
        e.peakBytes = static_cast<int64_t>(all * 6 + trainable * 14 + activations * 0.5 + kBaselineBytes);
    else
        e.peakBytes = static_cast<int64_t>(all * 4 + trainable * 12 + activations + kBaselineBytes);
    // 6 FLOPs per parameter and token for forward and backward (2 without gradients to the encoder).
    const double computeParameters = static_cast<double>(sizes.encoderLayers + sizes.pooler + sizes.classifier);
    const double flopsPerToken = (config.model.trainable ? 6.0 : 2.0) * computeParameters;
    const double epochTokens = static_cast<double>(trainingExamples * config.encoding.sequenceLength);
    const double computeBound = flopsPerToken * epochTokens / (kFlopsPerSecondPerThread * std::max(1, threads));
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
                           "this machine has " + gigabytes(static_cast<double>(memoryBytes)) +
                           ": lower the batch size or the sequence length.");
    return warnings;
}

int64_t physicalMemoryBytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && pageSize > 0 ? static_cast<int64_t>(pages) * pageSize : 0;
}

} // namespace fika::core
