// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

namespace fika::core {

// softmax(q·kᵀ/√d + mask) with dropout, times v, for q, k, v of shape [B, H, T, D] and an additive
// mask broadcastable to [B, H, T, T]. `keep` is the dropout keep-mask (bool, [B, H, T, T]) or
// undefined for no dropout; keepProbability rescales the kept entries.
//
// With gradients on, it saves only q, k, v, the mask and the 1-byte keep-mask, and recomputes the
// T × T scores in the backward pass: BERT-base at 6 × 512 then trains in about 2.5 GB less memory
// for a few per cent more time. Softmax and its backward run in float32 whatever the
// input dtype; the products (forward and backward) in the input dtype.
torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& additiveMask, const torch::Tensor& keep, double keepProbability);

// The same computation with plain autograd operations, which store the T × T tensors (tests).
torch::Tensor attentionReference(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                 const torch::Tensor& additiveMask, const torch::Tensor& keep, double keepProbability);

} // namespace fika::core
