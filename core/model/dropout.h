// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

namespace fika::core {

// A dropout keep-mask (true = keep) of the given shape, with each entry kept with probability
// 1 − p (quantised to 1/65536; the exact value is returned in keepProbability). Drawn in parallel
// from a counter-based generator seeded by LibTorch's default generator, so torch::manual_seed
// makes it reproducible whatever the thread count. LibTorch's own CPU Bernoulli sampler is serial
// and took a third of BERT's training step here.
torch::Tensor dropoutKeepMask(c10::IntArrayRef shape, double p, double& keepProbability);

// Inverted dropout with the mask above; the identity when not training or p = 0.
torch::Tensor dropout(const torch::Tensor& x, double p, bool training);

} // namespace fika::core
