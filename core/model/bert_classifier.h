// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/bert_config.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace fika::core {

// One post-LN transformer layer; submodules carry Hugging Face's names
// (attention.self.query, attention.output.dense, attention.output.LayerNorm, intermediate.dense,
// output.dense, output.LayerNorm), so that state-dict keys match without a mapping table.
class BertLayerImpl : public torch::nn::Module {
public:
    explicit BertLayerImpl(const BertConfig& config);
    torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& additiveMask);
    void setDropout(double hidden, double attention);

private:
    torch::Tensor dropout(const torch::Tensor& x, double p);

    int64_t m_heads;
    int64_t m_headSize;
    Activation m_activation;
    double m_hiddenDropout;
    double m_attentionDropout;
    torch::nn::Linear m_query{nullptr}, m_key{nullptr}, m_value{nullptr};
    torch::nn::Linear m_attentionOutput{nullptr}, m_intermediate{nullptr}, m_output{nullptr};
    torch::nn::LayerNorm m_attentionNorm{nullptr}, m_outputNorm{nullptr};
};
TORCH_MODULE(BertLayer);

struct BertOutput {
    torch::Tensor embeddingOutput; // [B, T, H], after embedding LayerNorm (and dropout)
    torch::Tensor lastHiddenState; // [B, T, H]
    torch::Tensor pooled;          // [B, H], tanh(dense([CLS]))
    torch::Tensor logits;          // [B, numLabels]
};

// The blocks that can be frozen separately.
enum class BertBlock { None = 0, Embeddings, Encoder, Pooler, Classifier };

// BertForSequenceClassification: embeddings → encoder → pooler → dropout → classifier.
// Parameter names: bert.embeddings.*, bert.encoder.layer.N.*, bert.pooler.dense.*, classifier.*.
class BertClassifierImpl : public torch::nn::Module {
public:
    // initialize = false skips Hugging Face's initialisation (weights about to be loaded).
    explicit BertClassifierImpl(const BertConfig& config, bool initialize = true);

    // inputIds, attentionMask, tokenTypeIds: [B, T] integer tensors (mask 1 = token, 0 = padding).
    BertOutput forward(const torch::Tensor& inputIds, const torch::Tensor& attentionMask,
                       const torch::Tensor& tokenTypeIds);

    // Hugging Face's inputs_embeds: the same pass from word embeddings [B, T, H] instead of ids
    // (position and token type embeddings are still added), so that a gradient can be taken with
    // respect to them, e.g. at points between two inputs (model/explanation.h).
    BertOutput forwardEmbeds(const torch::Tensor& wordEmbeddings, const torch::Tensor& attentionMask,
                             const torch::Tensor& tokenTypeIds);

    const BertConfig& config() const { return m_config; }

    // Hugging Face's initialisation: normal(0, initializer_range) for Linear and Embedding weights
    // (padding row zeroed), zero biases, LayerNorm weight 1 and bias 0.
    void initializeWeights(uint64_t seed);
    void initializeClassifier(); // a fresh head: normal(0, 0.02) weights, zero bias
    void setTrainable(BertBlock block, bool trainable);
    // Every dropout probability (hidden, attention, classifier), as config.json will then say.
    void setDropout(double probability);
    bool isTrainable(BertBlock block);
    std::vector<torch::Tensor> blockParameters(BertBlock block);

private:
    BertConfig m_config;
    torch::nn::Embedding m_wordEmbeddings{nullptr}, m_positionEmbeddings{nullptr}, m_tokenTypeEmbeddings{nullptr};
    torch::nn::LayerNorm m_embeddingNorm{nullptr};
    torch::nn::ModuleList m_layers{nullptr};
    torch::nn::Linear m_pooler{nullptr};
    torch::nn::Linear m_classifier{nullptr};
    std::shared_ptr<torch::nn::Module> m_embeddings, m_encoder, m_poolerBlock;
};
TORCH_MODULE(BertClassifier);

} // namespace fika::core
