// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/attention.h"

#include <cmath>

namespace fika::core {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// Attention probabilities in float32, and the same after dropout.
torch::Tensor probabilities(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& mask)
{
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    const torch::Tensor scores = torch::matmul(q, k.transpose(-1, -2)).to(torch::kFloat).mul_(scale).add_(mask);
    return torch::softmax(scores, -1);
}

// keepProbability 1 means no dropout (keep is then a placeholder: autograd inputs must be defined).
torch::Tensor dropped(const torch::Tensor& probs, const torch::Tensor& keep, double keepProbability)
{
    return keepProbability < 1.0 ? probs * keep * (1.0 / keepProbability) : probs;
}

struct AttentionFunction : public torch::autograd::Function<AttentionFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& q, const torch::Tensor& k,
                                 const torch::Tensor& v, const torch::Tensor& mask, const torch::Tensor& keep,
                                 double keepProbability)
    {
        const torch::Tensor probs = dropped(probabilities(q, k, mask), keep, keepProbability);
        ctx->save_for_backward({q, k, v, mask, keep});
        ctx->saved_data["keep_probability"] = keepProbability;
        return torch::matmul(probs.to(v.scalar_type()), v);
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list gradOutputs)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor &q = saved[0], &k = saved[1], &v = saved[2], &mask = saved[3], &keep = saved[4];
        const double keepProbability = ctx->saved_data["keep_probability"].toDouble();
        const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
        // The four products run in the inputs' type (in bf16 at about twice fp32's rate), the softmax
        // backward in float32.
        const auto type = v.scalar_type();
        const torch::Tensor gradOut = gradOutputs[0].to(type);

        const torch::Tensor probs = probabilities(q, k, mask);
        const torch::Tensor gradV = torch::matmul(dropped(probs, keep, keepProbability).to(type).transpose(-1, -2), gradOut);
        torch::Tensor gradProbs = torch::matmul(gradOut, v.transpose(-1, -2)).to(torch::kFloat);
        if (keepProbability < 1.0)
            gradProbs.mul_(keep).mul_(1.0 / keepProbability);
        // Softmax backward: p ⊙ (g − Σ p·g), with the scores' scale.
        const torch::Tensor gradScores = (probs * (gradProbs - (gradProbs * probs).sum(-1, true))).mul_(scale).to(type);
        const torch::Tensor gradQ = torch::matmul(gradScores, k);
        const torch::Tensor gradK = torch::matmul(gradScores.transpose(-1, -2), q);
        return {gradQ, gradK, gradV, torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& additiveMask, const torch::Tensor& keep, double keepProbability)
{
    const torch::Tensor mask = additiveMask.to(torch::kFloat);
    if (!keep.defined())
        keepProbability = 1.0;
    if (!torch::GradMode::is_enabled() || c10::InferenceMode::is_enabled())
        return torch::matmul(dropped(probabilities(q, k, mask), keep, keepProbability).to(v.scalar_type()), v);
    return AttentionFunction::apply(q, k, v, mask, keep.defined() ? keep : torch::ones({}, torch::TensorOptions().dtype(torch::kBool).device(q.device())),
                                   keepProbability);
}

torch::Tensor attentionReference(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                 const torch::Tensor& additiveMask, const torch::Tensor& keep, double keepProbability)
{
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    const torch::Tensor scores = torch::matmul(q, k.transpose(-1, -2)).to(torch::kFloat) * scale + additiveMask;
    return torch::matmul(dropped(torch::softmax(scores, -1), keep, keep.defined() ? keepProbability : 1.0).to(v.scalar_type()), v);
}

} // namespace fika::core
