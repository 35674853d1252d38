// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/experiment_config.h"

#include "common/yaml_fields.h"
#include "model/bert_config.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

namespace fika::core {
namespace {

using yaml::YamlFieldError;

// One key of an experiment config: its path in the YAML file and how it is read and written.
struct Field {
    const char* path;
    std::function<void(const YAML::Node& value, const std::string& path, ExperimentConfig& config)> read;
    std::function<YAML::Node(const ExperimentConfig& config)> write;
};

// A value as YAML writes it, except a double: the shortest text that reads back as the same number
// (0.1, 2e-05), where YAML writes 17 digits (0.10000000000000001).
template <typename T>
YAML::Node scalarNode(const T& value)
{
    if constexpr (std::is_same_v<T, double>) {
        for (int digits = 15; digits <= 17; ++digits) {
            char text[32];
            std::snprintf(text, sizeof text, "%.*g", digits, value);
            if (std::strtod(text, nullptr) == value || digits == 17)
                return YAML::Node(std::string(text));
        }
    }
    return YAML::Node(value);
}

// A key whose value YAML converts itself (numbers, booleans, text). member returns the config's
// member: [](auto& c) -> auto& { return c.training.epochs; }.
template <typename Member>
Field field(const char* path, Member member)
{
    return {path,
            [member](const YAML::Node& value, const std::string& path, ExperimentConfig& config) {
                auto& target = member(config);
                using T = std::remove_reference_t<decltype(target)>;
                try {
                    target = value.as<T>();
                } catch (const YAML::Exception&) {
                    throw YamlFieldError{path, yaml::wrongType<T>(value), yaml::lineOf(value)};
                }
            },
            [member](const ExperimentConfig& config) { return scalarNode(member(config)); }};
}

// A key written as a name and held as an enum: name() writes it, parse() reads it.
template <typename Member, typename T>
Field namedField(const char* path, Member member, const char* (*name)(T), Result<T> (*parse)(const std::string&))
{
    return {path,
            [member, parse](const YAML::Node& value, const std::string& path, ExperimentConfig& config) {
                if (!value.IsScalar())
                    throw YamlFieldError{path, yaml::wrongType<std::string>(value), yaml::lineOf(value)};
                auto parsed = parse(value.Scalar());
                if (!parsed)
                    throw YamlFieldError{path, parsed.error().message};
                member(config) = parsed.value();
            },
            [member, name](const ExperimentConfig& config) { return YAML::Node(std::string(name(member(config)))); }};
}

// Each enum's names, in the order error messages list them.
template <typename Enum>
struct Names;
template <>
struct Names<ModelInit> {
    static constexpr std::pair<ModelInit, const char*> list[] = {{ModelInit::Pretrained, "pretrained"},
                                                                 {ModelInit::Random, "random"}};
};
template <>
struct Names<LrSchedule> {
    static constexpr std::pair<LrSchedule, const char*> list[] = {{LrSchedule::Constant, "constant"},
                                                                  {LrSchedule::Linear, "linear"}};
};
template <>
struct Names<Precision> {
    static constexpr std::pair<Precision, const char*> list[] = {{Precision::Fp32, "fp32"}, {Precision::Bf16, "bf16"}};
};
template <>
struct Names<TrainingDevice> {
    static constexpr std::pair<TrainingDevice, const char*> list[] = {{TrainingDevice::Cpu, "cpu"},
                                                                      {TrainingDevice::Cuda, "cuda"}};
};
template <>
struct Names<BestMetric> {
    static constexpr std::pair<BestMetric, const char*> list[] = {{BestMetric::ValidationLoss, "validation_loss"},
                                                                  {BestMetric::Accuracy, "accuracy"},
                                                                  {BestMetric::MacroF1, "macro_f1"}};
};

template <typename Enum>
const char* nameOf(Enum value)
{
    for (const auto& [item, name] : Names<Enum>::list)
        if (item == value)
            return name;
    return "?"; // not reached: every value has a name
}

// A key held as one of the enums above.
template <typename Member>
Field enumField(const char* path, Member member)
{
    using Enum = std::remove_cvref_t<decltype(member(std::declval<ExperimentConfig&>()))>;
    return namedField(path, member, &nameOf<Enum>, &parseConfigName<Enum>);
}

// Every key of an experiment config, once, in the order files list them: reading, writing and
// --set overrides all go by this table.
const std::vector<Field>& fields()
{
    static const std::vector<Field> table = {
        field("schema_version", [](auto& c) -> auto& { return c.schemaVersion; }),
        field("data.csv", [](auto& c) -> auto& { return c.data.csv; }),
        field("data.folder", [](auto& c) -> auto& { return c.data.folder; }),
        field("data.text_column", [](auto& c) -> auto& { return c.data.textColumn; }),
        field("data.label_column", [](auto& c) -> auto& { return c.data.labelColumn; }),
        field("data.subsets.training", [](auto& c) -> auto& { return c.data.subsets.trainingPercent; }),
        field("data.subsets.validation", [](auto& c) -> auto& { return c.data.subsets.validationPercent; }),
        field("data.subsets.test", [](auto& c) -> auto& { return c.data.subsets.testPercent; }),
        field("data.subsets.seed", [](auto& c) -> auto& { return c.data.subsets.seed; }),
        field("data.subsets.stratified", [](auto& c) -> auto& { return c.data.subsets.stratified; }),
        field("encoding.sequence_length", [](auto& c) -> auto& { return c.encoding.sequenceLength; }),
        namedField("encoding.truncation", [](auto& c) -> auto& { return c.encoding.truncation; }, truncationName,
                   parseTruncation),
        field("encoding.vocab", [](auto& c) -> auto& { return c.encoding.vocab; }),
        field("encoding.lowercase", [](auto& c) -> auto& { return c.encoding.lowercase; }),
        enumField("model.init", [](auto& c) -> auto& { return c.model.init; }),
        field("model.weights", [](auto& c) -> auto& { return c.model.weights; }),
        field("model.layers", [](auto& c) -> auto& { return c.model.layers; }),
        field("model.hidden_size", [](auto& c) -> auto& { return c.model.hiddenSize; }),
        field("model.heads", [](auto& c) -> auto& { return c.model.heads; }),
        field("model.intermediate_size", [](auto& c) -> auto& { return c.model.intermediateSize; }),
        field("model.trainable", [](auto& c) -> auto& { return c.model.trainable; }),
        field("model.dropout", [](auto& c) -> auto& { return c.model.dropout; }),
        field("training.batch_size", [](auto& c) -> auto& { return c.training.batchSize; }),
        field("training.epochs", [](auto& c) -> auto& { return c.training.epochs; }),
        field("training.learning_rate", [](auto& c) -> auto& { return c.training.learningRate; }),
        enumField("training.schedule", [](auto& c) -> auto& { return c.training.schedule; }),
        field("training.warmup_ratio", [](auto& c) -> auto& { return c.training.warmupRatio; }),
        field("training.weight_decay", [](auto& c) -> auto& { return c.training.weightDecay; }),
        field("training.decay_bias_and_norm", [](auto& c) -> auto& { return c.training.decayBiasAndNorm; }),
        field("training.max_grad_norm", [](auto& c) -> auto& { return c.training.maxGradNorm; }),
        field("training.gradient_accumulation", [](auto& c) -> auto& { return c.training.gradientAccumulation; }),
        field("training.seed", [](auto& c) -> auto& { return c.training.seed; }),
        field("training.threads", [](auto& c) -> auto& { return c.training.threads; }),
        enumField("training.precision", [](auto& c) -> auto& { return c.training.precision; }),
        enumField("training.device", [](auto& c) -> auto& { return c.training.device; }),
        field("training.dynamic_padding", [](auto& c) -> auto& { return c.training.dynamicPadding; }),
        field("training.length_buckets", [](auto& c) -> auto& { return c.training.lengthBuckets; }),
        field("training.class_weights", [](auto& c) -> auto& { return c.training.classWeights; }),
        field("training.early_stopping_patience", [](auto& c) -> auto& { return c.training.earlyStoppingPatience; }),
        field("training.early_stopping_min_delta", [](auto& c) -> auto& { return c.training.earlyStoppingMinDelta; }),
        enumField("training.best_metric", [](auto& c) -> auto& { return c.training.bestMetric; }),
        field("training.log_every_steps", [](auto& c) -> auto& { return c.training.logEverySteps; }),
        field("training.keep_epoch_checkpoints", [](auto& c) -> auto& { return c.training.keepEpochCheckpoints; }),
        field("output.dir", [](auto& c) -> auto& { return c.output.dir; }),
    };
    return table;
}

std::vector<std::string> splitPath(const std::string& path)
{
    std::vector<std::string> keys;
    std::stringstream stream(path);
    for (std::string key; std::getline(stream, key, '.');)
        keys.push_back(key);
    return keys;
}

bool isField(const std::string& path)
{
    const auto& table = fields();
    return std::any_of(table.begin(), table.end(), [&](const Field& f) { return path == f.path; });
}

// A mapping that holds keys: "training", "data.subsets".
bool isSection(const std::string& path)
{
    const auto& table = fields();
    return std::any_of(table.begin(), table.end(), [&](const Field& f) { return std::string(f.path).starts_with(path + "."); });
}

// The node at keys under node (read only: operator[] on a non-const node adds the key).
YAML::Node find(const YAML::Node& node, const std::vector<std::string>& keys, size_t from = 0)
{
    if (from == keys.size() || !node)
        return node;
    return find(node[keys[from]], keys, from + 1);
}

// Refuses any key the table does not name, at any depth.
void rejectUnknownKeys(const YAML::Node& node, const std::string& path)
{
    yaml::requireMap(node, path);
    for (const auto& item : node) {
        const std::string key = yaml::joinPath(path, item.first.as<std::string>());
        if (isSection(key))
            rejectUnknownKeys(item.second, key);
        else if (!isField(key))
            throw YamlFieldError{key, "unknown key"};
    }
}

YAML::Node toNode(const ExperimentConfig& c)
{
    YAML::Node root(YAML::NodeType::Map); // made now, so that the copies below refer to it
    for (const Field& f : fields()) {
        const auto keys = splitPath(f.path);
        std::vector<YAML::Node> chain = {root}; // copies of YAML::Node refer to the same node
        for (size_t i = 0; i + 1 < keys.size(); ++i)
            chain.push_back(chain.back()[keys[i]]);
        chain.back()[keys.back()] = f.write(c);
    }
    return root;
}

ExperimentConfig fromNode(const YAML::Node& root)
{
    ExperimentConfig c;
    rejectUnknownKeys(root, "");
    if (!root["schema_version"])
        throw YamlFieldError{"schema_version", "missing"};
    for (const Field& f : fields()) {
        if (const YAML::Node node = find(root, splitPath(f.path)))
            f.read(node, f.path, c);
        if (std::string(f.path) == "schema_version" && c.schemaVersion != ExperimentConfig::kSchemaVersion)
            throw YamlFieldError{"schema_version", "version " + std::to_string(c.schemaVersion) +
                                                       " is not supported (this Fika reads version 1)"};
    }
    return c;
}

// Sets root[a][b]… = value (parsed as YAML) for an override "a.b=value"; a section the file leaves
// out is added.
void applyOverride(YAML::Node& root, const std::string& assignment)
{
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw YamlFieldError{assignment, "an override looks like key.path=value"};
    const std::string path = assignment.substr(0, eq);
    if (!isField(path) && !isSection(path))
        throw YamlFieldError{path, "unknown key"};
    YAML::Node value;
    try {
        value = yaml::load(assignment.substr(eq + 1));
    } catch (YamlFieldError& e) { // about the override, not a line of the file
        e.path = e.path.empty() ? path : path + "." + e.path;
        e.line = 0;
        throw;
    } catch (const YAML::Exception& e) { // a value that is not YAML ("*anchor"): the override's, too
        throw YamlFieldError{path, e.msg};
    }
    if (!value.IsDefined() || value.IsNull())
        value = YAML::Node(std::string());
    const auto keys = splitPath(path);
    std::vector<YAML::Node> chain = {root}; // copies of YAML::Node refer to the same node
    std::string section;
    for (size_t i = 0; i + 1 < keys.size(); ++i) {
        section = yaml::joinPath(section, keys[i]);
        YAML::Node next = chain.back()[keys[i]];
        if (next.IsDefined() && !next.IsNull() && !next.IsMap())
            throw YamlFieldError{section, "expected a mapping"};
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

const char* configName(ModelInit value)
{
    return nameOf(value);
}

const char* configName(LrSchedule value)
{
    return nameOf(value);
}

const char* configName(Precision value)
{
    return nameOf(value);
}

const char* configName(TrainingDevice value)
{
    return nameOf(value);
}

const char* configName(BestMetric value)
{
    return nameOf(value);
}

template <typename Enum>
Result<Enum> parseConfigName(const std::string& name)
{
    const auto& list = Names<Enum>::list;
    std::string names;
    for (size_t i = 0; i < std::size(list); ++i) {
        if (name == list[i].second)
            return list[i].first;
        names += (i == 0 ? "" : i + 1 == std::size(list) ? " or " : ", ") + std::string(list[i].second);
    }
    return makeError(ErrorCode::InvalidArgument, "must be " + names + ", not '" + name + "'");
}

template Result<ModelInit> parseConfigName(const std::string&);
template Result<LrSchedule> parseConfigName(const std::string&);
template Result<Precision> parseConfigName(const std::string&);
template Result<TrainingDevice> parseConfigName(const std::string&);
template Result<BestMetric> parseConfigName(const std::string&);

ExperimentConfig presetConfig(ConfigPreset preset)
{
    ExperimentConfig config;
    if (preset == ConfigPreset::Recommended) {
        config.training.learningRate = 2e-5;
        config.training.schedule = LrSchedule::Linear;
        config.training.warmupRatio = 0.1;
        config.training.weightDecay = 0.01;
        config.encoding.truncation = Truncation::HeadTail;
    } else if (preset == ConfigPreset::FromScratch) {
        // Measured on 2,000 IMDB reviews with the mini shape: 1e-6 and 2e-5 stay at chance
        // (loss ln 2, one class for every review); 5e-4 with batch 32 learns.
        config.model.init = ModelInit::Random;
        config.model.layers = 4;
        config.model.hiddenSize = 256;
        config.model.heads = 4;
        config.model.intermediateSize = 1024;
        config.training.batchSize = 32;
        config.training.epochs = 4;
        config.training.learningRate = 5e-4;
        config.training.schedule = LrSchedule::Linear;
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
        check(c.model.init != ModelInit::Pretrained || !c.model.weights.empty(), "model.weights",
              "pretrained initialisation needs a checkpoint folder"),
        check(c.model.layers >= 1 && c.model.hiddenSize >= 1 && c.model.heads >= 1 && c.model.intermediateSize >= 1,
              "model.layers", "layers, hidden_size, heads and intermediate_size must be positive"),
        check(c.model.hiddenSize % std::max<int64_t>(1, c.model.heads) == 0, "model.heads",
              "hidden_size must be a multiple of heads"),
        check(c.model.dropout >= 0 && c.model.dropout <= kMaxDropout, "model.dropout",
              "must lie in [0, 0.999]"),
        check(t.batchSize >= 1, "training.batch_size", "must be at least 1"),
        check(t.epochs >= 1, "training.epochs", "must be at least 1"),
        check(t.learningRate > 0 && t.learningRate < 1, "training.learning_rate", "must lie in (0, 1)"),
        check(t.warmupRatio >= 0 && t.warmupRatio < 1, "training.warmup_ratio", "must lie in [0, 1)"),
        check(t.weightDecay >= 0, "training.weight_decay", "cannot be negative"),
        check(t.maxGradNorm >= 0, "training.max_grad_norm", "cannot be negative (0 turns clipping off)"),
        check(t.gradientAccumulation >= 1, "training.gradient_accumulation", "must be at least 1"),
        // A config moves between machines, so only an absurd count is refused here; training uses at
        // most this machine's cores (train() says so when it asks for more).
        check(t.threads >= 0 && t.threads <= kMaxConfigThreads, "training.threads",
              "must be from 0 (all cores) to " + std::to_string(kMaxConfigThreads) + "; this machine has " +
                  std::to_string(maxTrainingThreads()) + " cores"),
        check(t.earlyStoppingPatience >= 0, "training.early_stopping_patience", "cannot be negative"),
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

namespace {
// The --set assignment an error about `path` comes from, or null: one of that key
// ("training.epochs=abc"), of a section holding it ("training={epochs: abc}"), or of a key inside it
// (data.subsets.training=50 for "data.subsets: ... must add up to 100"). The last one given wins.
const std::string* overrideOf(const std::vector<std::string>& overrides, const std::string& path)
{
    if (path.empty())
        return nullptr;
    for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
        const std::string key = it->substr(0, it->find('='));
        if (key == path || path.rfind(key + ".", 0) == 0 || key.rfind(path + ".", 0) == 0)
            return &*it;
    }
    return nullptr;
}
} // namespace

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
        // A value given with --set is the command line's, not the file's: say so.
        if (const std::string* given = overrideOf(overrides, e.path))
            return makeError(ErrorCode::Yaml, "--set " + *given + ": " + e.path + ": " + e.message, fileName, 0, -1, e.path);
        return yaml::toError(e, fileName);
    } catch (const YAML::Exception& e) {
        return makeError(ErrorCode::Yaml, fileName + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg, fileName,
                         e.mark.line + 1);
    }
    if (auto valid = validateExperimentConfig(config); !valid) {
        Error error = valid.error();
        error.code = ErrorCode::Yaml;
        error.file = fileName;
        if (const std::string* given = overrideOf(overrides, error.field))
            error.message = "--set " + *given + ": " + error.message;
        else
            error.message = fileName + ": " + error.message;
        return error;
    }
    return config;
}

Result<ExperimentConfig> loadExperimentConfig(const std::string& path, const std::vector<std::string>& overrides)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return makeError(ErrorCode::NotAFile, path + ": is a folder, not an experiment config (give its .yaml file)", path);
    std::ifstream in(path);
    if (!in)
        return makeError(ErrorCode::FileNotFound, path + ": no such file", path);
    std::ostringstream text;
    text << in.rdbuf();
    return experimentConfigFromYaml(text.str(), path, overrides);
}

} // namespace fika::core
