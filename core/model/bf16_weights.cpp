// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/bf16_weights.h"

#include <unordered_set>

namespace fika::core {
namespace {

// The parameters that are computed in bf16: all but the embeddings, the LayerNorms and the
// classifier. The classifier is one small product, and in bf16 its logits keep 8 bits: two classes
// of an untrained model came out tied.
std::unordered_set<const void*> bf16Parameters(BertClassifier& model)
{
    std::unordered_set<const void*> float32;
    for (const BertBlock block : {BertBlock::Embeddings, BertBlock::Classifier})
        for (const auto& p : model->blockParameters(block))
            float32.insert(p.unsafeGetTensorImpl());
    for (const auto& module : model->modules(/*include_self=*/false))
        if (module->as<torch::nn::LayerNorm>())
            for (const auto& p : module->parameters())
                float32.insert(p.unsafeGetTensorImpl());
    std::unordered_set<const void*> result;
    for (const auto& p : model->parameters())
        if (!float32.count(p.unsafeGetTensorImpl()))
            result.insert(p.unsafeGetTensorImpl());
    return result;
}

} // namespace

void convertToBf16(BertClassifier& model)
{
    torch::NoGradGuard noGrad;
    const auto converted = bf16Parameters(model);
    for (auto& p : model->parameters())
        if (converted.count(p.unsafeGetTensorImpl()))
            p.set_data(p.to(torch::kBFloat16));
}

Bf16Weights::Bf16Weights(BertClassifier master)
    : m_master(std::move(master)), m_copy(m_master->config(), /*initialize=*/false)
{
    torch::NoGradGuard noGrad;
    m_masterParameters = m_master->parameters();
    m_copyParameters = m_copy->parameters();
    const auto converted = bf16Parameters(m_master);
    for (size_t i = 0; i < m_masterParameters.size(); ++i) {
        const torch::Tensor& master = m_masterParameters[i];
        torch::Tensor& copy = m_copyParameters[i];
        // Shared storage: the optimizer's updates of the master are the copy's.
        copy.set_data(converted.count(master.unsafeGetTensorImpl()) ? master.to(torch::kBFloat16) : master.detach());
        copy.set_requires_grad(master.requires_grad());
    }
    m_master->is_training() ? m_copy->train() : m_copy->eval();
}

void Bf16Weights::accumulateGradients()
{
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < m_masterParameters.size(); ++i) {
        torch::Tensor& copyGrad = m_copyParameters[i].mutable_grad();
        if (!copyGrad.defined())
            continue;
        torch::Tensor& masterGrad = m_masterParameters[i].mutable_grad();
        if (masterGrad.defined())
            masterGrad.add_(copyGrad);
        else
            masterGrad = copyGrad.to(torch::kFloat);
        copyGrad = torch::Tensor();
    }
}

void Bf16Weights::refresh()
{
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < m_masterParameters.size(); ++i)
        if (m_copyParameters[i].data_ptr() != m_masterParameters[i].data_ptr()) // not shared
            m_copyParameters[i].copy_(m_masterParameters[i]);
}

} // namespace fika::core
