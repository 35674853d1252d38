// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/bert_config.h"

#include <fstream>

namespace fika::core {

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
        return makeError(ErrorCode::InvalidArgument, fileName + ": " + key + ": " + what, fileName, 0, -1, key);
    };
    if (!json.is_object())
        return fail("(top level)", "expected a JSON object");
    if (json.contains("model_type") && json["model_type"] != "bert")
        return fail("model_type", "'" + json["model_type"].dump() + "' is not a BERT model (need \"bert\")");

    struct IntField {
        const char* key;
        int64_t* target;
        int64_t minimum;
    };
    for (const IntField& field : {IntField{"vocab_size", &config.vocabSize, 5},
                                  IntField{"hidden_size", &config.hiddenSize, 1},
                                  IntField{"num_hidden_layers", &config.numLayers, 0},
                                  IntField{"num_attention_heads", &config.numHeads, 1},
                                  IntField{"intermediate_size", &config.intermediateSize, 1},
                                  IntField{"max_position_embeddings", &config.maxPositions, 3},
                                  IntField{"type_vocab_size", &config.typeVocabSize, 1}}) {
        if (!json.contains(field.key))
            continue;
        const auto& value = json[field.key];
        if (!value.is_number_integer() || value.get<int64_t>() < field.minimum)
            return fail(field.key, "expected a whole number ≥ " + std::to_string(field.minimum));
        *field.target = value.get<int64_t>();
    }
    if (config.hiddenSize % config.numHeads != 0)
        return fail("num_attention_heads", "hidden_size " + std::to_string(config.hiddenSize) +
                                               " is not a multiple of the head count " + std::to_string(config.numHeads));
    struct RealField {
        const char* key;
        double* target;
    };
    for (const RealField& field : {RealField{"layer_norm_eps", &config.layerNormEps},
                                   RealField{"hidden_dropout_prob", &config.hiddenDropout},
                                   RealField{"attention_probs_dropout_prob", &config.attentionDropout},
                                   RealField{"initializer_range", &config.initializerRange}}) {
        if (json.contains(field.key)) {
            if (!json[field.key].is_number())
                return fail(field.key, "expected a number");
            *field.target = json[field.key].get<double>();
        }
    }
    if (json.contains("classifier_dropout") && json["classifier_dropout"].is_number())
        config.classifierDropout = json["classifier_dropout"].get<double>();
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
    if (json.contains("num_labels") && json["num_labels"].is_number_integer())
        numLabels = json["num_labels"].get<int64_t>();
    if (json.contains("id2label") && json["id2label"].is_object() && !json["id2label"].empty()) {
        const auto& map = json["id2label"];
        numLabels = static_cast<int64_t>(map.size());
        config.labels.assign(static_cast<size_t>(numLabels), {});
        for (const auto& [key, value] : map.items()) {
            size_t id = 0;
            try {
                id = std::stoul(key);
            } catch (const std::exception&) {
                return fail("id2label", "key '" + key + "' is not a class id");
            }
            if (id >= config.labels.size() || !value.is_string())
                return fail("id2label", "ids must run from 0 to " + std::to_string(numLabels - 1) + " with string names");
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
    std::ifstream in(path);
    if (!in)
        return makeError(ErrorCode::FileNotFound, path + ": no such file", path);
    const auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded())
        return makeError(ErrorCode::InvalidArgument, path + ": not valid JSON", path);
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
