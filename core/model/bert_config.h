// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace fika::core {

enum class Activation { None = 0, Gelu, GeluNew, Relu };

// Upper bounds for config.json, far above any published BERT; a config past them is refused.
constexpr int64_t kMaxVocabSize = 1 << 20;
constexpr int64_t kMaxHiddenSize = 8192;
constexpr int64_t kMaxLayers = 256;
constexpr int64_t kMaxIntermediateSize = 65536;
constexpr int64_t kMaxPositions = 65536;
constexpr int64_t kMaxTypeVocabSize = 1024;
constexpr int64_t kMaxLabels = 100000;
constexpr double kMaxDropout = 0.999;

// The fields of a Hugging Face BERT config.json that shape the model.
// Parameters per block of BertForSequenceClassification.
struct BertBlockSizes {
    int64_t embeddings = 0, encoderLayers = 0, pooler = 0, classifier = 0;
};

struct BertConfig {
    int64_t vocabSize = 30522;
    int64_t hiddenSize = 768;
    int64_t numLayers = 12;
    int64_t numHeads = 12;
    int64_t intermediateSize = 3072;
    int64_t maxPositions = 512;
    int64_t typeVocabSize = 2;
    Activation hiddenAct = Activation::Gelu;
    double layerNormEps = 1e-12;
    double hiddenDropout = 0.1;
    double attentionDropout = 0.1;
    double classifierDropout = -1.0; // < 0: use hiddenDropout, as Hugging Face does for null
    double initializerRange = 0.02;
    int64_t padTokenId = 0;
    std::vector<std::string> labels = {"LABEL_0", "LABEL_1"}; // id2label in id order

    int64_t numLabels() const { return static_cast<int64_t>(labels.size()); }
    double effectiveClassifierDropout() const { return classifierDropout >= 0 ? classifierDropout : hiddenDropout; }
    int64_t parameterCount() const;
    BertBlockSizes blockParameterCounts() const;

    // BERT-base (the bert-base-uncased shape), BERT-mini and a tiny shape for tests.
    static BertConfig base();
    static BertConfig mini();
    static BertConfig tiny();
};

Result<BertConfig> bertConfigFromJson(const nlohmann::json& json, const std::string& fileName = "config.json");
Result<BertConfig> loadBertConfig(const std::string& path);
// A config.json that transformers loads for BertForSequenceClassification.
nlohmann::json bertConfigToJson(const BertConfig& config);

const char* activationName(Activation activation);

} // namespace fika::core
