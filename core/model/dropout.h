// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/torch.h>

namespace fika::core {

// While one lives, the dropout masks drawn on the calling thread come from `seed` (each mask from
// the next number of a SplitMix64 stream), whatever other threads draw from LibTorch's generator
// meanwhile: the trainer sets one per batch, so a model built or run on another thread (the tester
// loading a checkpoint) cannot shift a run's masks. Without one, masks are seeded from LibTorch's
// default generator.
class DropoutSeedScope {
public:
    explicit DropoutSeedScope(uint64_t seed);
    ~DropoutSeedScope();
    DropoutSeedScope(const DropoutSeedScope&) = delete;
    DropoutSeedScope& operator=(const DropoutSeedScope&) = delete;

private:
    bool m_hadOuter;
    uint64_t m_outerState;
};

// A dropout keep-mask (true = keep) of the given shape, with each entry kept with probability
// 1 − p (quantised to 1/65536; the exact value is returned in keepProbability). Drawn in parallel
// from a counter-based generator (seeded as DropoutSeedScope says), so it is reproducible whatever
// the thread count. LibTorch's own CPU Bernoulli sampler is serial and took a third of BERT's
// training step here.
torch::Tensor dropoutKeepMask(c10::IntArrayRef shape, double p, double& keepProbability);

// Inverted dropout with the mask above; the identity when not training or p = 0. On a GPU the mask is
// drawn there (LibTorch's dropout kernel), from the device generator reseeded as below.
torch::Tensor dropout(const torch::Tensor& x, double p, bool training);

// Seeds `device`'s default generator (a GPU's) with the next number of the stream above, so that
// what a GPU kernel draws next (its dropout) depends on the same seeds as the CPU's masks.
void reseedDeviceGenerator(const torch::Device& device);

} // namespace fika::core
