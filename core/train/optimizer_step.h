// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

#include <vector>

namespace fika::core {

// The L2 norm of all gradients together, and, when it exceeds maxNorm (finite), every gradient
// scaled down to that norm, as torch::nn::utils::clip_grad_norm_ does; but with the multi-tensor
// (_foreach) operations, a few kernels on a GPU instead of two per parameter.
double clipGradientNorm(const std::vector<torch::Tensor>& parameters, double maxNorm);

// optimizer.step(), or on a GPU with LibTorch 2.x the same update in fused kernels
// (compat::fusedAdamWStep). Either way it reads and writes the optimizer's own state, so
// optimizer.pt, a resumed run and the arithmetic are the same.
void adamWStep(torch::optim::AdamW& optimizer);

} // namespace fika::core
