// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/bert_config.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fika::core {
namespace {

std::string realText(double value)
{
    std::ostringstream out;
    out << value;
    return out.str();
}

} // namespace

const char* activationName(Activation activation)
{
    switch (activation) {
    case Activation::Gelu: return "gelu";
    case Activation::GeluNew: return "gelu_new";
    case Activation::Relu: return "relu";
    case Activation::None: break;
    }
    return "none";
}

BertBlockSizes BertConfig::blockParameterCounts() const
{
    const int64_t h = hiddenSize;
    const int64_t layer = 4 * (h * h + h) + 2 * h + (h * intermediateSize + intermediateSize) +
                          (intermediateSize * h + h) + 2 * h;
    BertBlockSizes sizes;
    sizes.embeddings = (vocabSize + maxPositions + typeVocabSize) * h + 2 * h;
    sizes.encoderLayers = numLayers * layer;
    sizes.pooler = h * h + h;
    sizes.classifier = h * numLabels() + numLabels();
    return sizes;
}

int64_t BertConfig::parameterCount() const
{
    const auto s = blockParameterCounts();
    return s.embeddings + s.encoderLayers + s.pooler + s.classifier;
}

BertConfig BertConfig::base()
{
    return BertConfig{};
}

BertConfig BertConfig::mini()
{
    BertConfig config;
    config.hiddenSize = 256;
    config.numLayers = 4;
    config.numHeads = 4;
    config.intermediateSize = 1024;
    return config;
}

BertConfig BertConfig::tiny()
{
    BertConfig config;
    config.hiddenSize = 32;
    config.numLayers = 2;
    config.numHeads = 4;
    config.intermediateSize = 64;
    return config;
}

Result<BertConfig> bertConfigFromJson(const nlohmann::json& json, const std::string& fileName)
{
    BertConfig config;
    auto fail = [&](const std::string& key, const std::string& what) {
        return makeError(ErrorCode::CheckpointInvalid, fileName + ": " + key + ": " + what, fileName, 0, -1, key);
    };
    if (!json.is_object())
        return fail("(top level)", "expected a JSON object");
    if (json.contains("model_type") && json["model_type"] != "bert")
        return fail("model_type", "'" + json["model_type"].dump() + "' is not a BERT model (need \"bert\")");

    // The maxima are far above any published BERT (bert-large: hidden 1024, 24 layers, 4096;
    // XLM-R: 250002 tokens) and keep a hostile config.json from describing terabytes of model.
    struct IntField {
        const char* key;
        int64_t* target;
        int64_t minimum;
        int64_t maximum;
    };
    for (const IntField& field : {IntField{"vocab_size", &config.vocabSize, 5, kMaxVocabSize},
                                  IntField{"hidden_size", &config.hiddenSize, 1, kMaxHiddenSize},
                                  IntField{"num_hidden_layers", &config.numLayers, 0, kMaxLayers},
                                  IntField{"num_attention_heads", &config.numHeads, 1, kMaxHiddenSize},
                                  IntField{"intermediate_size", &config.intermediateSize, 1, kMaxIntermediateSize},
                                  IntField{"max_position_embeddings", &config.maxPositions, 3, kMaxPositions},
                                  IntField{"type_vocab_size", &config.typeVocabSize, 1, kMaxTypeVocabSize}}) {
        if (!json.contains(field.key))
            continue;
        const auto& value = json[field.key];
        // A number past int64 is unsigned in nlohmann::json; get<int64_t>() would wrap it.
        if (!value.is_number_integer() || (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(field.maximum)) ||
            value.get<int64_t>() < field.minimum || value.get<int64_t>() > field.maximum)
            return fail(field.key, value.dump() + " is not a whole number from " + std::to_string(field.minimum) +
                                       " to " + std::to_string(field.maximum));
        *field.target = value.get<int64_t>();
    }
    if (config.hiddenSize % config.numHeads != 0)
        return fail("num_attention_heads", "hidden_size " + std::to_string(config.hiddenSize) +
                                               " is not a multiple of the head count " + std::to_string(config.numHeads));
    // Dropout divides by the keep probability, so 1 (keep nothing) would make every activation NaN;
    // Fika's dropout masks have a resolution of 1/65536, hence the maximum below 1.
    struct RealField {
        const char* key;
        double* target;
        double minimum;
        double maximum;
        bool minimumIncluded;
    };
    for (const RealField& field :
         {RealField{"layer_norm_eps", &config.layerNormEps, 0.0, 1.0, false},
          RealField{"hidden_dropout_prob", &config.hiddenDropout, 0.0, kMaxDropout, true},
          RealField{"attention_probs_dropout_prob", &config.attentionDropout, 0.0, kMaxDropout, true},
          RealField{"classifier_dropout", &config.classifierDropout, 0.0, kMaxDropout, true},
          RealField{"initializer_range", &config.initializerRange, 0.0, 1.0, true}}) {
        if (!json.contains(field.key) || json[field.key].is_null()) // null: the default (classifier_dropout: null)
            continue;
        const auto& value = json[field.key];
        const double number = value.is_number() ? value.get<double>() : std::nan("");
        const bool aboveMinimum = field.minimumIncluded ? number >= field.minimum : number > field.minimum;
        if (!std::isfinite(number) || !aboveMinimum || number > field.maximum)
            return fail(field.key, value.dump() + " is not a number " +
                                       (field.minimumIncluded ? "from " + realText(field.minimum) + " to "
                                                              : "above " + realText(field.minimum) + ", up to ") +
                                       realText(field.maximum));
        *field.target = number;
    }
    if (json.contains("pad_token_id") && json["pad_token_id"].is_number_integer())
        config.padTokenId = json["pad_token_id"].get<int64_t>();
    if (json.contains("hidden_act")) {
        const auto act = json["hidden_act"].is_string() ? json["hidden_act"].get<std::string>() : std::string();
        if (act == "gelu")
            config.hiddenAct = Activation::Gelu;
        else if (act == "gelu_new" || act == "gelu_pytorch_tanh")
            config.hiddenAct = Activation::GeluNew;
        else if (act == "relu")
            config.hiddenAct = Activation::Relu;
        else
            return fail("hidden_act", "'" + act + "' is not supported (gelu, gelu_new, relu)");
    }

    int64_t numLabels = 2;
    if (json.contains("num_labels") && json["num_labels"].is_number_integer()) {
        const auto& value = json["num_labels"];
        if ((value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(kMaxLabels)) || value.get<int64_t>() > kMaxLabels)
            return fail("num_labels", value.dump() + " is more than " + std::to_string(kMaxLabels) + " classes");
        numLabels = value.get<int64_t>();
    }
    if (json.contains("id2label") && json["id2label"].is_object() && !json["id2label"].empty()) {
        const auto& map = json["id2label"];
        if (map.size() > size_t(kMaxLabels))
            return fail("id2label", std::to_string(map.size()) + " classes, more than " + std::to_string(kMaxLabels));
        numLabels = static_cast<int64_t>(map.size());
        config.labels.assign(static_cast<size_t>(numLabels), {});
        std::vector<bool> seen(config.labels.size());
        for (const auto& [key, value] : map.items()) {
            size_t id = 0;
            try {
                id = std::stoul(key);
            } catch (const std::exception&) {
                return fail("id2label", "key '" + key + "' is not a class id");
            }
            if (id >= config.labels.size() || seen[id] || !value.is_string())
                return fail("id2label", "ids must run from 0 to " + std::to_string(numLabels - 1) + " with string names");
            seen[id] = true;
            config.labels[id] = value.get<std::string>();
        }
    } else {
        config.labels.clear();
        for (int64_t i = 0; i < numLabels; ++i)
            config.labels.push_back("LABEL_" + std::to_string(i));
    }
    if (config.numLabels() < 1)
        return fail("num_labels", "need at least one label");
    return config;
}

Result<BertConfig> loadBertConfig(const std::string& path)
{
    // error_code overloads: a link to itself or an unreadable folder is an error here, not a throw.
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found)
        return makeError(ErrorCode::FileNotFound, path + ": no such file", path);
    if (ec)
        return makeError(errorCodeForErrno(ec.value()), path + ": cannot be read (" + ec.message() + ")", path);
    if (!std::filesystem::is_regular_file(status))
        return makeError(ErrorCode::NotAFile, path + ": cannot be read (it is not a regular file)", path);
    std::ifstream in(path);
    if (!in)
        return makeError(errorCodeForErrno(errno), path + ": cannot be read (" + std::strerror(errno) + ")", path);
    const auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded())
        return makeError(ErrorCode::CheckpointInvalid, path + ": not valid JSON", path);
    return bertConfigFromJson(json, path);
}

nlohmann::json bertConfigToJson(const BertConfig& c)
{
    nlohmann::json id2label = nlohmann::json::object();
    nlohmann::json label2id = nlohmann::json::object();
    for (size_t i = 0; i < c.labels.size(); ++i) {
        id2label[std::to_string(i)] = c.labels[i];
        label2id[c.labels[i]] = i;
    }
    return {
        {"architectures", {"BertForSequenceClassification"}},
        {"model_type", "bert"},
        {"vocab_size", c.vocabSize},
        {"hidden_size", c.hiddenSize},
        {"num_hidden_layers", c.numLayers},
        {"num_attention_heads", c.numHeads},
        {"intermediate_size", c.intermediateSize},
        {"hidden_act", activationName(c.hiddenAct)},
        {"hidden_dropout_prob", c.hiddenDropout},
        {"attention_probs_dropout_prob", c.attentionDropout},
        {"classifier_dropout", c.classifierDropout >= 0 ? nlohmann::json(c.classifierDropout) : nlohmann::json(nullptr)},
        {"max_position_embeddings", c.maxPositions},
        {"type_vocab_size", c.typeVocabSize},
        {"initializer_range", c.initializerRange},
        {"layer_norm_eps", c.layerNormEps},
        {"pad_token_id", c.padTokenId},
        {"position_embedding_type", "absolute"},
        {"problem_type", "single_label_classification"},
        {"id2label", id2label},
        {"label2id", label2id},
        {"torch_dtype", "float32"},
    };
}

} // namespace fika::core
