// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/bert_classifier.h"

#include "model/attention.h"
#include "model/dropout.h"
#include "model/torch_compat.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <limits>

namespace fika::core {
namespace {

// A name-only container, so that nested Hugging Face names (attention.self.query) exist.
std::shared_ptr<torch::nn::Module> group(torch::nn::Module& parent, const std::string& name)
{
    return parent.register_module(name, std::make_shared<torch::nn::Module>());
}

torch::nn::LayerNorm layerNorm(int64_t size, double eps)
{
    return torch::nn::LayerNorm(torch::nn::LayerNormOptions({size}).eps(eps));
}

// LayerNorm in its weights' type, which stays float32 under a bf16 encoder (model/bf16_weights.h:
// LibTorch 1.13's bf16 LayerNorm runs ~10x slower), and the result in x's type.
torch::Tensor normalize(torch::nn::LayerNorm& norm, const torch::Tensor& x)
{
    return norm(x.to(norm->weight.scalar_type())).to(x.scalar_type());
}

torch::Tensor activate(const torch::Tensor& x, Activation activation)
{
    switch (activation) {
    case Activation::GeluNew: return torch::gelu(x, "tanh");
    case Activation::Relu: return torch::relu(x);
    case Activation::Gelu:
    case Activation::None: break;
    }
    return torch::gelu(x); // exact (erf) GELU, Hugging Face's "gelu"
}

} // namespace

BertLayerImpl::BertLayerImpl(const BertConfig& c)
    : m_heads(c.numHeads), m_headSize(c.hiddenSize / c.numHeads), m_activation(c.hiddenAct),
      m_hiddenDropout(c.hiddenDropout), m_attentionDropout(c.attentionDropout)
{
    const int64_t h = c.hiddenSize;
    auto attention = group(*this, "attention");
    auto self = group(*attention, "self");
    m_query = self->register_module("query", torch::nn::Linear(h, h));
    m_key = self->register_module("key", torch::nn::Linear(h, h));
    m_value = self->register_module("value", torch::nn::Linear(h, h));
    auto attentionOutput = group(*attention, "output");
    m_attentionOutput = attentionOutput->register_module("dense", torch::nn::Linear(h, h));
    m_attentionNorm = attentionOutput->register_module("LayerNorm", layerNorm(h, c.layerNormEps));
    m_intermediate = group(*this, "intermediate")->register_module("dense", torch::nn::Linear(h, c.intermediateSize));
    auto output = group(*this, "output");
    m_output = output->register_module("dense", torch::nn::Linear(c.intermediateSize, h));
    m_outputNorm = output->register_module("LayerNorm", layerNorm(h, c.layerNormEps));
}

void BertLayerImpl::setDropout(double hidden, double attention)
{
    m_hiddenDropout = hidden;
    m_attentionDropout = attention;
}

torch::Tensor BertLayerImpl::dropout(const torch::Tensor& x, double p)
{
    return fika::core::dropout(x, p, is_training());
}

torch::Tensor BertLayerImpl::forward(const torch::Tensor& hidden, const torch::Tensor& additiveMask)
{
    const int64_t batch = hidden.size(0);
    const int64_t length = hidden.size(1);
    auto heads = [&](const torch::Tensor& x) { return x.view({batch, length, m_heads, m_headSize}).transpose(1, 2); };
    const torch::Tensor q = heads(m_query(hidden));
    const torch::Tensor k = heads(m_key(hidden));
    const torch::Tensor v = heads(m_value(hidden));
    const double attentionDropout = is_training() ? m_attentionDropout : 0.0;
    torch::Tensor perHead;
    if (compat::kHasFusedAttention && !hidden.is_cpu()) {
        // A GPU with LibTorch 2.x: its fused kernels, dropout drawn inside them. An undefined mask (no
        // padding in the batch) lets LibTorch pick FlashAttention.
        if (attentionDropout > 0.0)
            reseedDeviceGenerator(hidden.device());
        perHead = compat::fusedAttention(q, k, v, additiveMask.defined() ? additiveMask.eq(0) : torch::Tensor(), attentionDropout);
    } else {
        torch::Tensor keep;
        double keepProbability = 1.0;
        if (attentionDropout > 0.0)
            keep = dropoutKeepMask({batch, m_heads, length, length}, attentionDropout, keepProbability).to(hidden.device());
        perHead = attention(q, k, v, additiveMask, keep, keepProbability);
    }
    const torch::Tensor context = perHead.transpose(1, 2).reshape({batch, length, m_heads * m_headSize});
    const torch::Tensor attended = normalize(m_attentionNorm, dropout(m_attentionOutput(context), m_hiddenDropout) + hidden);
    const torch::Tensor intermediate = activate(m_intermediate(attended), m_activation);
    return normalize(m_outputNorm, dropout(m_output(intermediate), m_hiddenDropout) + attended);
}

BertClassifierImpl::BertClassifierImpl(const BertConfig& c, bool initialize) : m_config(c)
{
    auto bert = group(*this, "bert");
    m_embeddings = group(*bert, "embeddings");
    m_wordEmbeddings = m_embeddings->register_module("word_embeddings", torch::nn::Embedding(c.vocabSize, c.hiddenSize));
    m_positionEmbeddings =
        m_embeddings->register_module("position_embeddings", torch::nn::Embedding(c.maxPositions, c.hiddenSize));
    m_tokenTypeEmbeddings =
        m_embeddings->register_module("token_type_embeddings", torch::nn::Embedding(c.typeVocabSize, c.hiddenSize));
    m_embeddingNorm = m_embeddings->register_module("LayerNorm", layerNorm(c.hiddenSize, c.layerNormEps));
    m_encoder = group(*bert, "encoder");
    m_layers = m_encoder->register_module("layer", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.numLayers; ++i)
        m_layers->push_back(BertLayer(c));
    m_poolerBlock = group(*bert, "pooler");
    m_pooler = m_poolerBlock->register_module("dense", torch::nn::Linear(c.hiddenSize, c.hiddenSize));
    m_classifier = register_module("classifier", torch::nn::Linear(c.hiddenSize, c.numLabels()));
    if (initialize)
        initializeWeights(0);
}

BertOutput BertClassifierImpl::forward(const torch::Tensor& inputIds, const torch::Tensor& attentionMask,
                                       const torch::Tensor& tokenTypeIds)
{
    return forwardEmbeds(m_wordEmbeddings(inputIds.to(torch::kLong)), attentionMask, tokenTypeIds);
}

BertOutput BertClassifierImpl::forwardEmbeds(const torch::Tensor& wordEmbeddings, const torch::Tensor& attentionMask,
                                             const torch::Tensor& tokenTypeIds)
{
    const int64_t length = wordEmbeddings.size(1);
    TORCH_CHECK(length <= m_config.maxPositions, "sequence of ", length, " tokens is longer than the model's ",
                m_config.maxPositions, " positions");
    const torch::Tensor positions = torch::arange(length, tokenTypeIds.options().dtype(torch::kLong));
    BertOutput out;
    const torch::Tensor embeddings =
        wordEmbeddings + m_positionEmbeddings(positions) + m_tokenTypeEmbeddings(tokenTypeIds.to(torch::kLong));
    // Embeddings may stay float32 under a bf16 encoder (model/bf16_weights.h): one cast here.
    out.embeddingOutput = fika::core::dropout(m_embeddingNorm(embeddings).to(m_pooler->weight.scalar_type()),
                                              m_config.hiddenDropout, is_training());
    // 0 where attended, the most negative float where padded: [B, 1, 1, T].
    torch::Tensor additiveMask =
        (1.0 - attentionMask.to(torch::kFloat).unsqueeze(1).unsqueeze(2)) * std::numeric_limits<float>::lowest();
    // The fused GPU attention takes no mask for a batch without padding, and can then use
    // FlashAttention (the one read of the mask back to the CPU is what Hugging Face pays too).
    if (compat::kHasFusedAttention && !wordEmbeddings.is_cpu() && attentionMask.min().item<int64_t>() == 1)
        additiveMask = torch::Tensor();
    torch::Tensor hidden = out.embeddingOutput;
    for (const auto& layer : *m_layers)
        hidden = layer->as<BertLayer>()->forward(hidden, additiveMask);
    out.lastHiddenState = hidden;
    out.pooled = torch::tanh(m_pooler(hidden.select(1, 0)));
    // The classifier may stay float32 under a bf16 encoder, for logits at full resolution.
    out.logits = m_classifier(fika::core::dropout(out.pooled, m_config.effectiveClassifierDropout(), is_training())
                                  .to(m_classifier->weight.scalar_type()));
    return out;
}

void BertClassifierImpl::initializeWeights(uint64_t seed)
{
    torch::NoGradGuard noGrad;
    // A generator of its own: what other threads draw from LibTorch's meanwhile changes nothing here.
    auto generator = at::detail::createCPUGenerator(seed);
    const double std = m_config.initializerRange;
    for (auto& module : modules(/*include_self=*/false)) {
        if (auto* linear = module->as<torch::nn::Linear>()) {
            linear->weight.normal_(0.0, std, generator);
            linear->bias.zero_();
        } else if (auto* embedding = module->as<torch::nn::Embedding>()) {
            embedding->weight.normal_(0.0, std, generator);
        } else if (auto* norm = module->as<torch::nn::LayerNorm>()) {
            norm->weight.fill_(1.0);
            norm->bias.zero_();
        }
    }
    if (m_config.padTokenId >= 0 && m_config.padTokenId < m_config.vocabSize)
        m_wordEmbeddings->weight[m_config.padTokenId].zero_();
}

void BertClassifierImpl::initializeClassifier()
{
    torch::NoGradGuard noGrad;
    m_classifier->weight.normal_(0.0, m_config.initializerRange);
    m_classifier->bias.zero_();
}

std::vector<torch::Tensor> BertClassifierImpl::blockParameters(BertBlock block)
{
    switch (block) {
    case BertBlock::Embeddings: return m_embeddings->parameters();
    case BertBlock::Encoder: return m_encoder->parameters();
    case BertBlock::Pooler: return m_poolerBlock->parameters();
    case BertBlock::Classifier: return m_classifier->parameters();
    case BertBlock::None: break;
    }
    return {};
}

void BertClassifierImpl::setDropout(double probability)
{
    m_config.hiddenDropout = m_config.attentionDropout = m_config.classifierDropout = probability;
    for (const auto& layer : *m_layers)
        layer->as<BertLayerImpl>()->setDropout(probability, probability);
}

void BertClassifierImpl::setTrainable(BertBlock block, bool trainable)
{
    for (auto& parameter : blockParameters(block))
        parameter.set_requires_grad(trainable);
}

bool BertClassifierImpl::isTrainable(BertBlock block)
{
    const auto parameters = blockParameters(block);
    return std::all_of(parameters.begin(), parameters.end(), [](const auto& p) { return p.requires_grad(); });
}

} // namespace fika::core
