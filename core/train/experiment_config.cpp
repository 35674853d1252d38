// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/experiment_config.h"

#include "common/yaml_fields.h"

#include <fstream>
#include <sstream>
#include <thread>

namespace fika::core {
namespace {

using yaml::YamlFieldError;

YAML::Node toNode(const ExperimentConfig& c)
{
    YAML::Node root;
    root["schema_version"] = c.schemaVersion;
    YAML::Node data = root["data"];
    data["csv"] = c.data.csv;
    data["folder"] = c.data.folder;
    data["text_column"] = c.data.textColumn;
    data["label_column"] = c.data.labelColumn;
    YAML::Node subsets = data["subsets"];
    subsets["training"] = c.data.subsets.trainingPercent;
    subsets["validation"] = c.data.subsets.validationPercent;
    subsets["test"] = c.data.subsets.testPercent;
    subsets["seed"] = c.data.subsets.seed;
    subsets["stratified"] = c.data.subsets.stratified;
    YAML::Node encoding = root["encoding"];
    encoding["sequence_length"] = c.encoding.sequenceLength;
    encoding["truncation"] = truncationName(c.encoding.truncation);
    encoding["vocab"] = c.encoding.vocab;
    encoding["lowercase"] = c.encoding.lowercase;
    YAML::Node model = root["model"];
    model["init"] = c.model.init;
    model["weights"] = c.model.weights;
    model["layers"] = c.model.layers;
    model["hidden_size"] = c.model.hiddenSize;
    model["heads"] = c.model.heads;
    model["intermediate_size"] = c.model.intermediateSize;
    model["trainable"] = c.model.trainable;
    YAML::Node t = root["training"];
    t["batch_size"] = c.training.batchSize;
    t["epochs"] = c.training.epochs;
    t["learning_rate"] = c.training.learningRate;
    t["schedule"] = c.training.schedule;
    t["warmup_ratio"] = c.training.warmupRatio;
    t["weight_decay"] = c.training.weightDecay;
    t["decay_bias_and_norm"] = c.training.decayBiasAndNorm;
    t["max_grad_norm"] = c.training.maxGradNorm;
    t["gradient_accumulation"] = c.training.gradientAccumulation;
    t["seed"] = c.training.seed;
    t["threads"] = c.training.threads;
    t["precision"] = c.training.precision;
    t["device"] = c.training.device;
    t["dynamic_padding"] = c.training.dynamicPadding;
    t["length_buckets"] = c.training.lengthBuckets;
    t["class_weights"] = c.training.classWeights;
    t["early_stopping_patience"] = c.training.earlyStoppingPatience;
    t["early_stopping_min_delta"] = c.training.earlyStoppingMinDelta;
    t["best_metric"] = c.training.bestMetric;
    t["log_every_steps"] = c.training.logEverySteps;
    t["keep_epoch_checkpoints"] = c.training.keepEpochCheckpoints;
    root["output"]["dir"] = c.output.dir;
    return root;
}

ExperimentConfig fromNode(const YAML::Node& root)
{
    using namespace yaml;
    ExperimentConfig c;
    rejectUnknownKeys(root, "", {"schema_version", "data", "encoding", "model", "training", "output"});
    read(root, "", "schema_version", c.schemaVersion, true);
    if (c.schemaVersion != ExperimentConfig::kSchemaVersion)
        throw YamlFieldError{"schema_version", "version " + std::to_string(c.schemaVersion) +
                                                   " is not supported (this Fika reads version 1)"};
    if (const YAML::Node data = root["data"]) {
        rejectUnknownKeys(data, "data", {"csv", "folder", "text_column", "label_column", "subsets"});
        read(data, "data", "csv", c.data.csv);
        read(data, "data", "folder", c.data.folder);
        read(data, "data", "text_column", c.data.textColumn);
        read(data, "data", "label_column", c.data.labelColumn);
        if (const YAML::Node s = data["subsets"]) {
            rejectUnknownKeys(s, "data.subsets", {"training", "validation", "test", "seed", "stratified"});
            read(s, "data.subsets", "training", c.data.subsets.trainingPercent);
            read(s, "data.subsets", "validation", c.data.subsets.validationPercent);
            read(s, "data.subsets", "test", c.data.subsets.testPercent);
            read(s, "data.subsets", "seed", c.data.subsets.seed);
            read(s, "data.subsets", "stratified", c.data.subsets.stratified);
        }
    }
    if (const YAML::Node e = root["encoding"]) {
        rejectUnknownKeys(e, "encoding", {"sequence_length", "truncation", "vocab", "lowercase"});
        read(e, "encoding", "sequence_length", c.encoding.sequenceLength);
        std::string truncation = truncationName(c.encoding.truncation);
        read(e, "encoding", "truncation", truncation);
        auto parsed = parseTruncation(truncation);
        if (!parsed)
            throw YamlFieldError{"encoding.truncation", parsed.error().message};
        c.encoding.truncation = parsed.value();
        read(e, "encoding", "vocab", c.encoding.vocab);
        read(e, "encoding", "lowercase", c.encoding.lowercase);
    }
    if (const YAML::Node m = root["model"]) {
        rejectUnknownKeys(m, "model", {"init", "weights", "layers", "hidden_size", "heads", "intermediate_size", "trainable"});
        read(m, "model", "init", c.model.init);
        read(m, "model", "weights", c.model.weights);
        read(m, "model", "layers", c.model.layers);
        read(m, "model", "hidden_size", c.model.hiddenSize);
        read(m, "model", "heads", c.model.heads);
        read(m, "model", "intermediate_size", c.model.intermediateSize);
        read(m, "model", "trainable", c.model.trainable);
    }
    if (const YAML::Node t = root["training"]) {
        const char* p = "training";
        rejectUnknownKeys(t, p, {"batch_size", "epochs", "learning_rate", "schedule", "warmup_ratio", "weight_decay",
                                 "decay_bias_and_norm", "max_grad_norm", "gradient_accumulation", "seed", "threads",
                                 "precision", "device", "dynamic_padding", "length_buckets", "class_weights", "early_stopping_patience",
                                 "early_stopping_min_delta", "best_metric", "log_every_steps", "keep_epoch_checkpoints"});
        auto& x = c.training;
        read(t, p, "batch_size", x.batchSize);
        read(t, p, "epochs", x.epochs);
        read(t, p, "learning_rate", x.learningRate);
        read(t, p, "schedule", x.schedule);
        read(t, p, "warmup_ratio", x.warmupRatio);
        read(t, p, "weight_decay", x.weightDecay);
        read(t, p, "decay_bias_and_norm", x.decayBiasAndNorm);
        read(t, p, "max_grad_norm", x.maxGradNorm);
        read(t, p, "gradient_accumulation", x.gradientAccumulation);
        read(t, p, "seed", x.seed);
        read(t, p, "threads", x.threads);
        read(t, p, "precision", x.precision);
        read(t, p, "device", x.device);
        read(t, p, "dynamic_padding", x.dynamicPadding);
        read(t, p, "length_buckets", x.lengthBuckets);
        read(t, p, "class_weights", x.classWeights);
        read(t, p, "early_stopping_patience", x.earlyStoppingPatience);
        read(t, p, "early_stopping_min_delta", x.earlyStoppingMinDelta);
        read(t, p, "best_metric", x.bestMetric);
        read(t, p, "log_every_steps", x.logEverySteps);
        read(t, p, "keep_epoch_checkpoints", x.keepEpochCheckpoints);
    }
    if (const YAML::Node o = root["output"]) {
        rejectUnknownKeys(o, "output", {"dir"});
        read(o, "output", "dir", c.output.dir);
    }
    return c;
}

// Sets root[a][b]… = value (parsed as YAML) for an override "a.b=value".
void applyOverride(YAML::Node& root, const std::string& assignment)
{
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw YamlFieldError{assignment, "an override looks like key.path=value"};
    const std::string path = assignment.substr(0, eq);
    std::vector<std::string> keys;
    std::stringstream stream(path);
    for (std::string key; std::getline(stream, key, '.');)
        keys.push_back(key);
    YAML::Node value;
    try {
        value = yaml::load(assignment.substr(eq + 1));
    } catch (YamlFieldError& e) { // about the override, not a line of the file
        e.path = e.path.empty() ? path : path + "." + e.path;
        e.line = 0;
        throw;
    }
    if (!value.IsDefined() || value.IsNull())
        value = YAML::Node(std::string());
    std::vector<YAML::Node> chain = {root};
    for (size_t i = 0; i + 1 < keys.size(); ++i) {
        YAML::Node next = chain.back()[keys[i]];
        if (!next.IsDefined() || !next.IsMap())
            throw YamlFieldError{path, "unknown key"};
        chain.push_back(next);
    }
    chain.back()[keys.back()] = value;
}

Status check(bool ok, const std::string& path, const std::string& what)
{
    if (ok)
        return Ok{};
    return makeError(ErrorCode::InvalidArgument, path + ": " + what, "", 0, -1, path);
}

// A check's error message prefixed with the key it is about.
Status underKey(const Status& status, const std::string& path)
{
    return status ? status : check(false, path, status.error().message);
}

} // namespace

ExperimentConfig presetConfig(ConfigPreset preset)
{
    ExperimentConfig config;
    if (preset == ConfigPreset::Recommended) {
        config.training.learningRate = 2e-5;
        config.training.schedule = "linear";
        config.training.warmupRatio = 0.1;
        config.training.weightDecay = 0.01;
        config.encoding.truncation = Truncation::HeadTail;
    } else if (preset == ConfigPreset::FromScratch) {
        // Measured on 2,000 IMDB reviews with the mini shape: 1e-6 and 2e-5 stay at chance
        // (loss ln 2, one class for every review); 5e-4 with batch 32 learns.
        config.model.init = "random";
        config.model.layers = 4;
        config.model.hiddenSize = 256;
        config.model.heads = 4;
        config.model.intermediateSize = 1024;
        config.training.batchSize = 32;
        config.training.epochs = 4;
        config.training.learningRate = 5e-4;
        config.training.schedule = "linear";
        config.training.warmupRatio = 0.1;
        config.training.weightDecay = 0.01;
    }
    return config;
}

Result<ConfigPreset> parsePreset(const std::string& name)
{
    if (name == "tutorial")
        return ConfigPreset::Tutorial;
    if (name == "recommended")
        return ConfigPreset::Recommended;
    if (name == "from_scratch")
        return ConfigPreset::FromScratch;
    return makeError(ErrorCode::InvalidArgument, "unknown preset '" + name + "' (tutorial, recommended or from_scratch)");
}

int maxTrainingThreads()
{
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

Status validateExperimentConfig(const ExperimentConfig& c)
{
    const auto& t = c.training;
    const Status checks[] = {
        check(!(c.data.csv.empty() && c.data.folder.empty()), "data.csv", "set data.csv or data.folder"),
        check(c.data.csv.empty() || c.data.folder.empty(), "data.folder", "set only one of data.csv and data.folder"),
        underKey(validateSubsetSpec(c.data.subsets), "data.subsets"),
        underKey(validateSequenceLength(c.encoding.sequenceLength), "encoding.sequence_length"),
        check(c.model.init == "pretrained" || c.model.init == "random", "model.init", "must be pretrained or random"),
        check(c.model.init != "pretrained" || !c.model.weights.empty(), "model.weights",
              "pretrained initialisation needs a checkpoint folder"),
        check(c.model.layers >= 1 && c.model.hiddenSize >= 1 && c.model.heads >= 1 && c.model.intermediateSize >= 1,
              "model.layers", "layers, hidden_size, heads and intermediate_size must be positive"),
        check(c.model.hiddenSize % std::max<int64_t>(1, c.model.heads) == 0, "model.heads",
              "hidden_size must be a multiple of heads"),
        check(t.batchSize >= 1, "training.batch_size", "must be at least 1"),
        check(t.epochs >= 1, "training.epochs", "must be at least 1"),
        check(t.learningRate > 0 && t.learningRate < 1, "training.learning_rate", "must lie in (0, 1)"),
        check(t.schedule == "constant" || t.schedule == "linear", "training.schedule", "must be constant or linear"),
        check(t.warmupRatio >= 0 && t.warmupRatio < 1, "training.warmup_ratio", "must lie in [0, 1)"),
        check(t.weightDecay >= 0, "training.weight_decay", "cannot be negative"),
        check(t.maxGradNorm >= 0, "training.max_grad_norm", "cannot be negative (0 turns clipping off)"),
        check(t.gradientAccumulation >= 1, "training.gradient_accumulation", "must be at least 1"),
        // A config moves between machines, so only an absurd count is refused here; training uses at
        // most this machine's cores (train() says so when it asks for more).
        check(t.threads >= 0 && t.threads <= kMaxConfigThreads, "training.threads",
              "must be from 0 (all cores) to " + std::to_string(kMaxConfigThreads) + "; this machine has " +
                  std::to_string(maxTrainingThreads()) + " cores"),
        check(t.precision == "fp32" || t.precision == "bf16", "training.precision", "must be fp32 or bf16"),
        check(t.device == "cpu" || t.device == "cuda", "training.device", "must be cpu or cuda"),
        check(t.device == "cpu" || t.precision == "fp32", "training.precision", "bf16 runs on the CPU only; use fp32 with cuda"),
        check(t.earlyStoppingPatience >= 0, "training.early_stopping_patience", "cannot be negative"),
        check(t.bestMetric == "validation_loss" || t.bestMetric == "accuracy" || t.bestMetric == "macro_f1",
              "training.best_metric", "must be validation_loss, accuracy or macro_f1"),
        check(t.logEverySteps >= 1, "training.log_every_steps", "must be at least 1"),
        check(t.keepEpochCheckpoints >= 0, "training.keep_epoch_checkpoints", "cannot be negative"),
        check(!c.output.dir.empty(), "output.dir", "must name a folder"),
    };
    for (const auto& status : checks)
        if (!status)
            return status;
    return Ok{};
}

std::string experimentConfigToYaml(const ExperimentConfig& config)
{
    YAML::Emitter out;
    out << toNode(config);
    return std::string(out.c_str()) + "\n";
}

Result<ExperimentConfig> experimentConfigFromYaml(const std::string& text, const std::string& fileName,
                                                  const std::vector<std::string>& overrides)
{
    ExperimentConfig config;
    try {
        YAML::Node root = yaml::load(text);
        if (!root.IsMap())
            return makeError(ErrorCode::Yaml, fileName + ": expected a YAML mapping", fileName);
        for (const auto& assignment : overrides)
            applyOverride(root, assignment);
        config = fromNode(root);
    } catch (const YamlFieldError& e) {
        return yaml::toError(e, fileName);
    } catch (const YAML::Exception& e) {
        return makeError(ErrorCode::Yaml, fileName + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg, fileName,
                         e.mark.line + 1);
    }
    if (auto valid = validateExperimentConfig(config); !valid) {
        Error error = valid.error();
        error.code = ErrorCode::Yaml;
        error.message = fileName + ": " + error.message;
        error.file = fileName;
        return error;
    }
    return config;
}

Result<ExperimentConfig> loadExperimentConfig(const std::string& path, const std::vector<std::string>& overrides)
{
    std::ifstream in(path);
    if (!in)
        return makeError(ErrorCode::FileNotFound, path + ": no such file", path);
    std::ostringstream text;
    text << in.rdbuf();
    return experimentConfigFromYaml(text.str(), path, overrides);
}

} // namespace fika::core
