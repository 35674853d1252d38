// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "data/subsets.h"
#include "text/encoding_settings.h"

#include <string>
#include <vector>

namespace fika::core {

// The settings that take one of a few names; the YAML file holds the names (configName).
enum class ModelInit { Pretrained, Random };  // from weights, or random weights of the config's shape
enum class LrSchedule { Constant, Linear };   // linear: warm-up, then linear decay to 0
enum class Precision { Fp32, Bf16 };          // bf16: a bf16 working copy, fp32 master weights (model/bf16_weights.h)
enum class TrainingDevice { Cpu, Cuda };      // cuda needs a CUDA build of LibTorch
enum class BestMetric { ValidationLoss, Accuracy, MacroF1 };

const char* configName(ModelInit value);
const char* configName(LrSchedule value);
const char* configName(Precision value);
const char* configName(TrainingDevice value);
const char* configName(BestMetric value);
// The value a name stands for; an unknown name is an error listing the names ("must be fp32 or bf16, not 'fp8'").
template <typename Enum>
Result<Enum> parseConfigName(const std::string& name);

// One experiment, as a plain struct tree with the tutorial's defaults. Read and written only by
// the functions below (YAML, schema_version 1); the resolved YAML is stored with every run.
struct ExperimentConfig {
    static constexpr int kSchemaVersion = 1;
    int schemaVersion = kSchemaVersion;

    struct Data {
        std::string csv;    // a CSV file, or
        std::string folder; // a class-per-folder tree (aclImdb layout included)
        std::string textColumn = "review";
        std::string labelColumn = "sentiment";
        SubsetSpec subsets;
    } data;

    EncodingSettings encoding;

    struct Model {
        ModelInit init = ModelInit::Pretrained;
        std::string weights;             // a Hugging Face checkpoint folder
        int64_t layers = 12;             // the shape for random initialisation
        int64_t hiddenSize = 768;
        int64_t heads = 12;
        int64_t intermediateSize = 3072;
        bool trainable = true; // false: only the pooler and the classifier learn
        double dropout = 0.1;  // hidden, attention and classifier dropout while training
    } model;

    struct Training {
        int64_t batchSize = 6;
        int64_t epochs = 2;
        double learningRate = 0.000001;
        LrSchedule schedule = LrSchedule::Constant;
        double warmupRatio = 0.0;
        double weightDecay = 0.0;
        bool decayBiasAndNorm = false; // Hugging Face's convention: no weight decay on biases and LayerNorm
        double maxGradNorm = 1.0;      // 0 turns clipping off
        int64_t gradientAccumulation = 1;
        uint64_t seed = 42;
        int64_t threads = 0;           // 0: all cores
        Precision precision = Precision::Fp32;
        TrainingDevice device = TrainingDevice::Cpu;
        bool dynamicPadding = true;     // pad each batch to its longest example (false: to the sequence length)
        bool lengthBuckets = true;      // batches of similar length (shuffled buckets)
        bool classWeights = false;      // weight the loss by inverse class frequency
        int64_t earlyStoppingPatience = 0; // epochs without improvement; 0 = off
        double earlyStoppingMinDelta = 0.0;
        BestMetric bestMetric = BestMetric::ValidationLoss;
        int64_t logEverySteps = 10;
        int64_t keepEpochCheckpoints = 0; // 0 = keep all epoch-N folders (best and last are always kept)
    } training;

    struct Output {
        std::string dir = "runs/experiment";
    } output;
};

// Tutorial and Recommended fine-tune pretrained BERT; FromScratch trains random weights, which need
// a learning rate about 25 times higher and bigger batches to learn at all.
enum class ConfigPreset { None = 0, Tutorial, Recommended, FromScratch };

ExperimentConfig presetConfig(ConfigPreset preset);
Result<ConfigPreset> parsePreset(const std::string& name);

std::string experimentConfigToYaml(const ExperimentConfig& config);
// overrides: "key.path=value" pairs applied before validation (fika-cli train --set).
Result<ExperimentConfig> experimentConfigFromYaml(const std::string& yaml, const std::string& fileName = "config",
                                                  const std::vector<std::string>& overrides = {});
Result<ExperimentConfig> loadExperimentConfig(const std::string& path, const std::vector<std::string>& overrides = {});
Status validateExperimentConfig(const ExperimentConfig& config);
// The most compute threads training uses: the machine's cores (more only contend).
int maxTrainingThreads();
// The most training.threads a config may ask for on any machine (15,000 threads once froze a machine).
constexpr int64_t kMaxConfigThreads = 1024;

} // namespace fika::core
