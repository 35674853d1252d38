// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/checkpoint.h"

#include "common/synced_file.h"
#include "model/safetensors.h"
#include "model/torch_errors.h"

#include <torch/serialize.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace fika::core {
namespace {

std::string shapeText(c10::IntArrayRef shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

// Maps a checkpoint name onto the model's: adds "bert." where missing, LayerNorm gamma/beta → weight/bias.
// Returns an empty string for names to ignore.
std::string canonicalName(std::string name)
{
    if (name.starts_with("cls.") || name.ends_with("position_ids"))
        return {};
    if (name.starts_with("embeddings.") || name.starts_with("encoder.") || name.starts_with("pooler."))
        name = "bert." + name;
    if (name.ends_with(".gamma"))
        name = name.substr(0, name.size() - 6) + ".weight";
    else if (name.ends_with(".beta"))
        name = name.substr(0, name.size() - 5) + ".bias";
    return name;
}

torch::Tensor toTensor(const TensorView& view)
{
    c10::ScalarType type;
    switch (view.dtype) {
    case TensorDtype::F32: type = torch::kFloat; break;
    case TensorDtype::F16: type = torch::kHalf; break;
    case TensorDtype::BF16: type = torch::kBFloat16; break;
    case TensorDtype::F64: type = torch::kDouble; break;
    case TensorDtype::I64: type = torch::kLong; break;
    case TensorDtype::I32: type = torch::kInt; break;
    case TensorDtype::I16: type = torch::kShort; break;
    case TensorDtype::I8: type = torch::kChar; break;
    case TensorDtype::U8: type = torch::kByte; break;
    case TensorDtype::Bool: type = torch::kBool; break;
    default: return {};
    }
    // A view of the mapped bytes; the caller copies it into the model while the file is open.
    return torch::from_blob(const_cast<uint8_t*>(view.data), view.shape, torch::TensorOptions().dtype(type));
}

// Whether anything is at `path`, a broken or looping link included, so that opening it says what is
// wrong (fs::exists throws on a link to itself).
bool present(const fs::path& path)
{
    std::error_code ec;
    return fs::symlink_status(path, ec).type() != fs::file_type::not_found;
}

// Why `path` cannot be read as a file, or an empty string.
std::string unreadableReason(const fs::path& path)
{
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec)
        return ec.message();
    if (!fs::is_regular_file(status))
        return fs::is_directory(status) ? "it is a folder" : "it is not a regular file";
    return {};
}

nlohmann::json readJson(const fs::path& path, std::string& error)
{
    if (const std::string reason = unreadableReason(path); !reason.empty()) {
        error = path.string() + ": cannot be read (" + reason + ")";
        return {};
    }
    std::ifstream in(path);
    if (!in) {
        error = path.string() + ": cannot be read (" + std::strerror(errno) + ")";
        return {};
    }
    auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded())
        error = path.string() + ": not valid JSON";
    return json;
}

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// Fika's own key first (it can say head+tail), then Hugging Face's truncation_side; absent: head.
Result<Truncation> truncationFromTokenizerConfig(const nlohmann::json& config, const std::string& file)
{
    if (config.contains("fika_truncation")) {
        const auto& value = config["fika_truncation"];
        if (value.is_string())
            if (auto parsed = parseTruncation(value.get<std::string>()))
                return parsed.value();
        return makeError(ErrorCode::CheckpointInvalid, file + ": fika_truncation must be \"head\", \"tail\" or \"head_tail\"",
                         file, 0, -1, "fika_truncation");
    }
    if (config.contains("truncation_side") && config["truncation_side"] == "left")
        return Truncation::Tail;
    return Truncation::Head;
}

// Reads the weights of a folder in the first format present; files stay open in `keepAlive`.
// `releasers[i]` frees the mapped pages behind tensor i (empty for unpickled tensors).
Result<NamedTensors> readWeights(const fs::path& dir, std::vector<std::unique_ptr<SafetensorsFile>>& keepAlive,
                                 std::vector<std::function<void()>>& releasers, std::string& weightsFile)
{
    NamedTensors tensors;
    auto addFile = [&](const fs::path& file) -> Status {
        auto opened = SafetensorsFile::open(file.string());
        if (!opened)
            return opened.error();
        const SafetensorsFile* mapped = opened.value().get();
        for (const auto& [name, view] : mapped->index().tensors) {
            tensors.emplace_back(name, toTensor(view));
            releasers.emplace_back([mapped, &view] { mapped->release(view); });
        }
        keepAlive.push_back(std::move(opened.value()));
        return Ok{};
    };
    if (present(dir / "model.safetensors")) {
        weightsFile = (dir / "model.safetensors").string();
        if (auto added = addFile(dir / "model.safetensors"); !added)
            return added.error();
        return tensors;
    }
    if (present(dir / "model.safetensors.index.json")) {
        weightsFile = (dir / "model.safetensors.index.json").string();
        std::string error;
        const auto index = readJson(dir / "model.safetensors.index.json", error);
        if (!error.empty())
            return makeError(ErrorCode::CheckpointInvalid, error, weightsFile);
        if (!index.contains("weight_map") || !index["weight_map"].is_object())
            return makeError(ErrorCode::CheckpointInvalid, weightsFile + ": needs a \"weight_map\" object", weightsFile);
        std::set<std::string> shards;
        for (const auto& [name, shard] : index["weight_map"].items()) {
            if (!shard.is_string() || shard.get<std::string>().find('/') != std::string::npos)
                return makeError(ErrorCode::CheckpointInvalid, weightsFile + ": weight_map." + name + " is not a file name",
                                 weightsFile, 0, -1, name);
            shards.insert(shard.get<std::string>());
        }
        for (const auto& shard : shards)
            if (auto added = addFile(dir / shard); !added)
                return added.error();
        return tensors;
    }
    if (present(dir / "pytorch_model.bin")) {
        weightsFile = (dir / "pytorch_model.bin").string();
        const std::string hint = "; convert it to safetensors with transformers: "
                                 "AutoModel.from_pretrained(DIR).save_pretrained(DIR, safe_serialization=True)";
        if (const std::string reason = unreadableReason(weightsFile); !reason.empty())
            return makeError(ErrorCode::IoError, weightsFile + ": cannot be read (" + reason + ")", weightsFile);
        try {
            std::ifstream in(weightsFile, std::ios::binary);
            if (!in)
                return makeError(errorCodeForErrno(errno), weightsFile + ": cannot be read (" + std::strerror(errno) + ")",
                                 weightsFile);
            std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            const torch::IValue value = torch::pickle_load(bytes);
            if (!value.isGenericDict())
                return makeError(ErrorCode::CheckpointInvalid, weightsFile + ": not a state dict" + hint, weightsFile);
            for (const auto& entry : value.toGenericDict())
                if (entry.key().isString() && entry.value().isTensor())
                    tensors.emplace_back(entry.key().toStringRef(), entry.value().toTensor());
        } catch (const std::exception& e) {
            std::string what = e.what();
            what = what.substr(0, what.find('\n'));
            return makeError(ErrorCode::CheckpointInvalid,
                             weightsFile + ": LibTorch cannot read this file (" + what + ")" + hint, weightsFile);
        }
        return tensors;
    }
    return makeError(ErrorCode::CheckpointInvalid,
                     dir.string() + ": no weights (model.safetensors, model.safetensors.index.json or pytorch_model.bin)",
                     dir.string());
}

// Checks config.json's sizes against the weights' shapes before the model is built, so that a config
// that disagrees with its weights (or a hostile one: hidden_size 1e9, 100000 layers) is an error
// naming the key and the tensor instead of an allocation of what it describes. Every size that
// shapes the model is checked, so the model built afterwards is no larger than its weight files.
Status checkConfigAgainstWeights(const BertConfig& config, const NamedTensors& tensors, const std::string& configFile,
                                 const std::string& weightsFile)
{
    std::map<std::string, std::pair<std::string, c10::IntArrayRef>> byName; // model name → (file name, shape)
    int64_t layers = 0;
    const std::string layerPrefix = "bert.encoder.layer.";
    for (const auto& [source, tensor] : tensors) {
        const std::string name = canonicalName(source);
        if (name.empty() || !tensor.defined())
            continue;
        byName.emplace(name, std::make_pair(source, tensor.sizes()));
        if (name.starts_with(layerPrefix)) {
            int64_t index = 0;
            const char* first = name.data() + layerPrefix.size();
            if (std::from_chars(first, name.data() + name.size(), index).ec == std::errc() && index < kMaxLayers)
                layers = std::max(layers, index + 1);
        }
    }
    if (layers != config.numLayers)
        return makeError(ErrorCode::CheckpointInvalid,
                         configFile + ": num_hidden_layers " + std::to_string(config.numLayers) + " disagrees with " +
                             weightsFile + ", which has " + std::to_string(layers) + " encoder layers (" + layerPrefix +
                             "0 … " + layerPrefix + std::to_string(layers - 1) + ")",
                         configFile, 0, -1, "num_hidden_layers");
    struct Size {
        const char* key;
        int64_t value;
        std::string tensor;
        size_t dimension;
    };
    const Size sizes[] = {
        {"vocab_size", config.vocabSize, "bert.embeddings.word_embeddings.weight", 0},
        {"hidden_size", config.hiddenSize, "bert.embeddings.word_embeddings.weight", 1},
        {"max_position_embeddings", config.maxPositions, "bert.embeddings.position_embeddings.weight", 0},
        {"type_vocab_size", config.typeVocabSize, "bert.embeddings.token_type_embeddings.weight", 0},
        {"intermediate_size", config.intermediateSize, layerPrefix + "0.intermediate.dense.weight", 0},
    };
    for (const Size& size : sizes) {
        if (size.tensor.starts_with(layerPrefix) && config.numLayers == 0)
            continue;
        const auto found = byName.find(size.tensor);
        if (found == byName.end())
            return makeError(ErrorCode::CheckpointInvalid,
                             weightsFile + ": the checkpoint has no tensor " + size.tensor + ", which the encoder needs",
                             weightsFile, 0, -1, size.tensor);
        const auto& [source, shape] = found->second;
        if (shape.size() != 2 || shape[size.dimension] != size.value)
            return makeError(ErrorCode::CheckpointInvalid,
                             configFile + ": " + size.key + " " + std::to_string(size.value) + " disagrees with " +
                                 weightsFile + ": tensor " + source + " has shape " + shapeText(shape),
                             configFile, 0, -1, size.key);
    }
    return Ok{};
}

std::string joined(const std::vector<std::string>& labels)
{
    std::string text;
    for (const auto& label : labels)
        text += (text.empty() ? "" : ", ") + label;
    return text;
}

// The head's rows belong to label names. The same names in another order move the rows along; any
// other names get a new head, as LoadOptions promises: a 2-class head trained for another task (or
// for LABEL_0/LABEL_1 of a generic config, whose rows mean nothing known) would keep its old meaning.
void relabelHead(BertClassifier& model, const std::vector<std::string>& trained, const std::vector<std::string>& wanted,
                 LoadReport& report)
{
    torch::NoGradGuard noGrad;
    std::vector<int64_t> rows;
    for (const auto& label : wanted)
        if (const auto it = std::find(trained.begin(), trained.end(), label); it != trained.end())
            rows.push_back(it - trained.begin());
    const bool reordered = trained.size() == wanted.size() && rows.size() == wanted.size() &&
                           std::set<int64_t>(rows.begin(), rows.end()).size() == rows.size();
    if (reordered) {
        const torch::Tensor index = torch::tensor(rows, torch::kLong);
        auto parameters = model->named_parameters();
        for (const char* name : {"classifier.weight", "classifier.bias"})
            parameters[name].copy_(parameters[name].index_select(0, index));
    } else {
        model->initializeClassifier();
        report.newlyInitialized = {"classifier.bias", "classifier.weight"};
    }
    report.labelChange = "the checkpoint's labels " + joined(trained) + " → " + joined(wanted) +
                         (reordered ? " (same names: head rows reordered)" : " (other names: new head)");
}

// Files Fika writes into a checkpoint folder: a folder holding nothing else may be replaced.
const std::set<std::string> kCheckpointFiles = {"config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json",
                                                "special_tokens_map.json", "optimizer.pt", "trainer_state.json",
                                                "metrics.json", "experiment.yaml"};

// Swaps two folders in one step (Linux renameat2 RENAME_EXCHANGE), so that `dir` never goes missing.
bool exchangeFolders(const fs::path& a, const fs::path& b)
{
    return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0;
}

} // namespace

std::string LoadReport::summary() const
{
    std::ostringstream out;
    auto list = [&](const char* what, const std::vector<std::string>& names) {
        if (names.empty())
            return;
        out << what << " (" << names.size() << "):";
        for (size_t i = 0; i < std::min<size_t>(names.size(), 8); ++i)
            out << " " << names[i];
        if (names.size() > 8)
            out << " …";
        out << "\n";
    };
    out << "weights: " << weightsFile << "\n";
    list("newly initialised", newlyInitialized);
    if (!labelChange.empty())
        out << "labels: " << labelChange << "\n";
    list("missing", missing);
    list("unexpected", unexpected);
    list("shape mismatches", shapeMismatches);
    list("ignored", ignored);
    return out.str();
}

Result<LoadReport> loadStateDict(BertClassifier& model, const NamedTensors& tensors,
                                 const std::function<void(size_t)>& onCopied)
{
    torch::NoGradGuard noGrad;
    LoadReport report;
    auto parameters = model->named_parameters(/*recurse=*/true);
    std::set<std::string> loaded;
    bool classifierFresh = false;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const auto& [sourceName, tensor] = tensors[i];
        const std::string name = canonicalName(sourceName);
        if (name.empty()) {
            report.ignored.push_back(sourceName);
            continue;
        }
        torch::Tensor* target = parameters.find(name);
        if (!target) {
            report.unexpected.push_back(sourceName);
            continue;
        }
        if (target->sizes() != tensor.sizes()) {
            const std::string mismatch =
                name + ": checkpoint " + shapeText(tensor.sizes()) + " vs model " + shapeText(target->sizes());
            if (!name.starts_with("classifier."))
                return makeError(ErrorCode::CheckpointInvalid, "tensor " + mismatch, "", 0, -1, name);
            report.shapeMismatches.push_back(mismatch);
            classifierFresh = true;
            continue;
        }
        target->copy_(tensor.to(target->scalar_type()));
        // NaN or infinite weights make every answer NaN (the API would say "negative": null).
        if (target->is_floating_point() && !torch::isfinite(*target).all().item<bool>())
            return makeError(ErrorCode::CheckpointInvalid,
                             "tensor " + sourceName + " holds NaN or infinite values; the checkpoint is damaged", "", 0,
                             -1, sourceName);
        loaded.insert(name);
        if (onCopied)
            onCopied(i);
    }
    for (const auto& item : parameters) {
        if (loaded.count(item.key()))
            continue;
        if (!item.key().starts_with("classifier."))
            return makeError(ErrorCode::CheckpointInvalid,
                             "the checkpoint has no tensor " + item.key() + " (shape " + shapeText(item.value().sizes()) +
                                 "), which the encoder needs",
                             "", 0, -1, item.key());
        report.missing.push_back(item.key());
        classifierFresh = true;
    }
    if (classifierFresh) {
        model->initializeClassifier();
        report.newlyInitialized = {"classifier.bias", "classifier.weight"};
    }
    return report;
}

Result<LoadedCheckpoint> loadCheckpoint(const std::string& dirPath, const LoadOptions& options)
{
    const fs::path dir(dirPath);
    std::error_code ec;
    if (fs::is_regular_file(dir, ec))
        return makeError(ErrorCode::NotAFolder, dirPath + ": is a file, not a checkpoint folder", dirPath);
    if (!fs::is_directory(dir, ec))
        return makeError(ErrorCode::FileNotFound,
                         dirPath + (ec && ec != std::errc::no_such_file_or_directory ? ": cannot be read (" + ec.message() + ")"
                                                                                    : ": no such checkpoint folder"),
                         dirPath);
    // A training run's folder (or its checkpoints/) given for one of its checkpoints: say which to give.
    for (const fs::path& checkpoints : {dir / "checkpoints", dir})
        if (!fs::exists(dir / "config.json", ec) && fs::is_directory(checkpoints / "best", ec))
            return makeError(ErrorCode::NotAFolder,
                             dirPath + ": is a training run's folder, not a checkpoint; give one of its checkpoints, such as " +
                                 (checkpoints / "best").string() + " or " + (checkpoints / "last").string(),
                             dirPath);
    auto config = loadBertConfig((dir / "config.json").string());
    if (!config)
        return config.error();
    LoadedCheckpoint checkpoint;
    checkpoint.config = config.value();
    if (!options.labels.empty())
        checkpoint.config.labels = options.labels;

    bool lowercase = true;
    int64_t maxLength = std::min<int64_t>(512, checkpoint.config.maxPositions);
    if (present(dir / "tokenizer_config.json")) {
        std::string error;
        const auto tokenizerConfig = readJson(dir / "tokenizer_config.json", error);
        if (!error.empty())
            return makeError(ErrorCode::CheckpointInvalid, error, (dir / "tokenizer_config.json").string());
        if (tokenizerConfig.contains("do_lower_case") && tokenizerConfig["do_lower_case"].is_boolean())
            lowercase = tokenizerConfig["do_lower_case"].get<bool>();
        if (tokenizerConfig.contains("model_max_length") && tokenizerConfig["model_max_length"].is_number()) {
            const double value = tokenizerConfig["model_max_length"].get<double>();
            if (value >= 3 && value < static_cast<double>(maxLength))
                maxLength = static_cast<int64_t>(value);
        }
        auto truncation = truncationFromTokenizerConfig(tokenizerConfig, (dir / "tokenizer_config.json").string());
        if (!truncation)
            return truncation.error();
        checkpoint.encoding.truncation = truncation.value();
    }
    const std::string vocabPath = present(dir / "vocab.txt") || options.fallbackVocab.empty()
                                      ? (dir / "vocab.txt").string()
                                      : options.fallbackVocab;
    auto tokenizer = Tokenizer::fromVocabFile(vocabPath, lowercase);
    if (!tokenizer)
        return tokenizer.error();
    if (static_cast<int64_t>(tokenizer->vocab().size()) > checkpoint.config.vocabSize)
        return makeError(ErrorCode::Vocab,
                         vocabPath + ": " + std::to_string(tokenizer->vocab().size()) +
                             " tokens, more than the model's vocab_size " + std::to_string(checkpoint.config.vocabSize),
                         vocabPath);
    checkpoint.tokenizer = std::make_shared<const Tokenizer>(std::move(tokenizer.value()));
    checkpoint.encoding.sequenceLength = static_cast<int>(maxLength);

    std::vector<std::unique_ptr<SafetensorsFile>> files;
    std::vector<std::function<void()>> releasers;
    std::string weightsFile;
    auto tensors = readWeights(dir, files, releasers, weightsFile);
    if (!tensors)
        return tensors.error();
    if (auto agrees = checkConfigAgainstWeights(checkpoint.config, tensors.value(), (dir / "config.json").string(),
                                                weightsFile);
        !agrees)
        return agrees.error();
    // LibTorch reports a failed allocation or a bad shape by throwing; it stops here.
    Result<LoadReport> report = LoadReport{};
    try {
        checkpoint.model = BertClassifier(checkpoint.config, /*initialize=*/false);
        report = loadStateDict(checkpoint.model, tensors.value(), [&](size_t i) {
            if (i < releasers.size())
                releasers[i]();
        });
    } catch (const std::exception& e) {
        std::string what = e.what();
        return makeError(errorCodeForException(e, ErrorCode::CheckpointInvalid),
                         dirPath + ": the model cannot be built (" + what.substr(0, what.find('\n')) + ")", dirPath);
    }
    if (!report) {
        Error error = report.error();
        error.message = weightsFile + ": " + error.message;
        error.file = weightsFile;
        return error;
    }
    checkpoint.report = std::move(report.value());
    checkpoint.report.weightsFile = weightsFile;
    if (checkpoint.report.newlyInitialized.empty() && checkpoint.config.labels != config->labels)
        relabelHead(checkpoint.model, config->labels, checkpoint.config.labels, checkpoint.report);
    checkpoint.model->eval();
    return checkpoint;
}

std::optional<CheckpointLeftover> parseCheckpointLeftover(const std::string& name)
{
    if (!name.starts_with("."))
        return std::nullopt;
    for (const char* marker : {".tmp-", ".old-"}) {
        const size_t at = name.rfind(marker);
        if (at == std::string::npos || at < 2)
            continue;
        const std::string digits = name.substr(at + 5);
        if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
            continue;
        return CheckpointLeftover{name.substr(1, at - 1), marker[1] == 'o', std::stol(digits)};
    }
    return std::nullopt;
}

bool leftoverOwnerRunning(long pid)
{
    if (pid == getpid()) // ours from an earlier save in this process: no save of ours is in progress now
        return false;
    return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

namespace {

// Deals with what saves of `dir` killed midway left beside it (an export's are removed by nothing
// else): a copy moved aside while `dir` is missing was complete, so it is renamed back; every other
// leftover of an ended process is removed. Best effort: what cannot be done stays for the next save.
void recoverInterruptedSaves(const fs::path& dir)
{
    std::vector<fs::path> temporaries, movedAside;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir.parent_path(), ec)) {
        const auto leftover = parseCheckpointLeftover(entry.path().filename().string());
        if (leftover && leftover->target == dir.filename().string() && !leftoverOwnerRunning(leftover->pid))
            (leftover->movedAside ? movedAside : temporaries).push_back(entry.path());
    }
    if (!movedAside.empty() && !fs::exists(fs::symlink_status(dir, ec))) {
        // More than one only after several interrupted saves: the newest is the last committed.
        auto newest = std::max_element(movedAside.begin(), movedAside.end(), [&](const fs::path& a, const fs::path& b) {
            return fs::last_write_time(a, ec) < fs::last_write_time(b, ec);
        });
        fs::rename(*newest, dir, ec);
        if (!ec)
            movedAside.erase(newest);
    }
    if (fs::exists(fs::symlink_status(dir, ec))) // a moved-aside copy is stale once `dir` is back
        temporaries.insert(temporaries.end(), movedAside.begin(), movedAside.end());
    for (const auto& path : temporaries)
        fs::remove_all(path, ec);
}

fs::path checkpointFolder(const std::string& dirPath)
{
    fs::path dir = fs::absolute(dirPath).lexically_normal();
    if (dir.filename().empty()) // "out/" names the folder "out"
        dir = dir.parent_path();
    return dir;
}

} // namespace

Status saveCheckpoint(BertClassifier& model, const Tokenizer& tokenizer, const CheckpointEncoding& encoding, const std::string& dirPath,
                      const std::function<Status(const std::string& folder)>& writeExtras)
{
    const fs::path dir = checkpointFolder(dirPath);
    recoverInterruptedSaves(dir);
    if (auto replaceable = checkCheckpointTarget(dir.string()); !replaceable)
        return replaceable.error();
    std::error_code ec;
    fs::create_directories(dir.parent_path(), ec);
    const fs::path temporary = dir.parent_path() / ("." + dir.filename().string() + ".tmp-" + std::to_string(getpid()));
    fs::remove_all(temporary, ec);
    if (!fs::create_directory(temporary, ec))
        return makeError(errorCodeForErrno(ec.value()), temporary.string() + ": cannot be created (" + ec.message() + ")",
                         temporary.string());
    auto fail = [&](Error error) {
        fs::remove_all(temporary, ec);
        return error;
    };

    // Weights: contiguous float32 copies, named as in the model.
    std::vector<torch::Tensor> keep;
    std::vector<TensorToWrite> tensors;
    for (const auto& item : model->named_parameters(true)) {
        torch::Tensor t = item.value().detach().to(torch::kCPU).to(torch::kFloat).contiguous();
        keep.push_back(t);
        tensors.push_back({item.key(), TensorDtype::F32, t.sizes().vec(), t.data_ptr(),
                           static_cast<size_t>(t.numel()) * sizeof(float)});
    }
    if (auto written = writeSafetensors((temporary / "model.safetensors").string(), tensors, {{"format", "pt"}}); !written)
        return fail(written.error());

    const Vocab& vocab = tokenizer.vocab();
    std::string vocabText;
    for (size_t i = 0; i < vocab.size(); ++i)
        vocabText += vocab.token(static_cast<int32_t>(i)) + "\n";
    const nlohmann::json specialTokens = {{"unk_token", "[UNK]"}, {"sep_token", "[SEP]"}, {"pad_token", "[PAD]"},
                                          {"cls_token", "[CLS]"}, {"mask_token", "[MASK]"}};
    nlohmann::json tokenizerConfig = specialTokens;
    tokenizerConfig.update({{"tokenizer_class", "BertTokenizer"},
                            {"do_lower_case", tokenizer.lowercase()},
                            {"strip_accents", nullptr},
                            {"tokenize_chinese_chars", true},
                            {"model_max_length", encoding.sequenceLength},
                            {"truncation_side", encoding.truncation == Truncation::Tail ? "left" : "right"},
                            {"fika_truncation", truncationName(encoding.truncation)},
                            {"clean_up_tokenization_spaces", true}});
    const std::pair<const char*, std::string> files[] = {
        {"config.json", bertConfigToJson(model->config()).dump(2) + "\n"},
        {"vocab.txt", vocabText},
        {"tokenizer_config.json", tokenizerConfig.dump(2) + "\n"},
        {"special_tokens_map.json", specialTokens.dump(2) + "\n"},
    };
    for (const auto& [name, content] : files)
        if (auto written = writeFileSynced(temporary / name, content); !written)
            return fail(written.error());
    if (writeExtras)
        if (auto written = writeExtras(temporary.string()); !written)
            return fail(written.error());
    for (const auto& entry : fs::directory_iterator(temporary, ec))
        if (auto synced = fsyncPath(entry.path()); !synced)
            return fail(synced.error());
    if (auto synced = fsyncPath(temporary); !synced)
        return fail(synced.error());

    // Swap into place. An existing folder is exchanged with the new one in one step, so that `dir`
    // is always complete; where the file system cannot, it is moved aside and removed after the
    // rename (a run killed in between leaves `.NAME.old-PID`, which the next save of NAME restores).
    const bool replacing = fs::exists(dir, ec);
    if (replacing && exchangeFolders(temporary, dir)) {
        if (auto synced = fsyncPath(dir.parent_path()); !synced)
            return synced.error();
        fs::remove_all(temporary, ec); // now the replaced folder
        return Ok{};
    }
    const fs::path old = dir.parent_path() / ("." + dir.filename().string() + ".old-" + std::to_string(getpid()));
    if (replacing) {
        fs::rename(dir, old, ec);
        if (ec)
            return fail(makeError(errorCodeForErrno(ec.value()), dir.string() + ": cannot be replaced (" + ec.message() + ")",
                                  dir.string()));
    }
    fs::rename(temporary, dir, ec);
    if (ec) {
        const std::string reason = ec.message();
        const ErrorCode code = errorCodeForErrno(ec.value());
        if (replacing)
            fs::rename(old, dir, ec);
        return fail(makeError(code, dir.string() + ": cannot be written (" + reason + ")", dir.string()));
    }
    if (auto synced = fsyncPath(dir.parent_path()); !synced)
        return synced.error();
    if (replacing)
        fs::remove_all(old, ec);
    return Ok{};
}

Status checkExportTarget(const std::string& dir)
{
    recoverInterruptedSaves(checkpointFolder(dir)); // first, so that the check sees a restored earlier folder
    for (const char* name : {"trainer_state.json", "optimizer.pt", "metrics.json", "experiment.yaml"}) {
        std::error_code ec;
        if (fs::exists(fs::symlink_status(fs::path(dir) / name, ec)))
            return makeError(ErrorCode::AlreadyExists,
                             dir + ": is a training checkpoint (it holds " + name +
                                 "), which an export would replace without its training state; export into a new or "
                                 "empty folder",
                             dir, 0, -1, name);
    }
    return Ok{};
}

Status exportCheckpoint(const std::string& source, const std::string& out)
{
    if (auto allowed = checkExportTarget(out); !allowed)
        return allowed.error();
    auto loaded = loadCheckpoint(source);
    if (!loaded)
        return loaded.error();
    return saveCheckpoint(loaded->model, *loaded->tokenizer, loaded->encoding, out);
}

Status checkCheckpointTarget(const std::string& dirPath)
{
    const fs::path dir(dirPath);
    std::error_code ec;
    const auto status = fs::symlink_status(dir, ec);
    if (!fs::exists(status))
        return Ok{};
    const std::string refusal = dirPath + ": Fika replaces only an empty folder or a checkpoint folder it wrote (config.json, "
                                          "model.safetensors, vocab.txt, …), and ";
    if (!fs::is_directory(status))
        return makeError(ErrorCode::NotAFolder, refusal + "this is not a folder; choose another name", dirPath);
    bool config = false, weights = false, empty = true;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        empty = false;
        if (!kCheckpointFiles.count(name) || !entry.is_regular_file(ec) || entry.is_symlink(ec))
            return makeError(ErrorCode::AlreadyExists,
                             refusal + "this one holds " + name + "; choose an empty or new folder", dirPath, 0, -1, name);
        config = config || name == "config.json";
        weights = weights || name == "model.safetensors";
    }
    if (ec)
        return makeError(errorCodeForErrno(ec.value()), dirPath + ": cannot be read (" + ec.message() + ")", dirPath);
    if (!empty && !(config && weights))
        return makeError(ErrorCode::AlreadyExists,
                         refusal + "this one has no " + (config ? "model.safetensors" : "config.json") +
                             "; choose an empty or new folder",
                         dirPath);
    return Ok{};
}

} // namespace fika::core
