// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/optimizer_step.h"

#include "model/torch_compat.h"

#include <cmath>
#include <limits>
#include <map>

namespace fika::core {

double clipGradientNorm(const std::vector<torch::Tensor>& parameters, double maxNorm)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> gradients;
    for (const auto& p : parameters)
        if (p.grad().defined())
            gradients.push_back(p.grad());
    if (gradients.empty())
        return 0.0;
    const std::vector<torch::Tensor> norms = at::_foreach_norm(gradients, 2);
    const double total = (norms.size() == 1 ? norms[0] : torch::stack(norms).norm(2)).item<double>();
    // The same coefficient as clip_grad_norm_ (max_norm / (norm + 1e-6), at most 1), applied only
    // when it changes something.
    if (std::isfinite(maxNorm) && std::isfinite(total) && maxNorm / (total + 1e-6) < 1.0)
        at::_foreach_mul_(gradients, maxNorm / (total + 1e-6));
    return total;
}

void adamWStep(torch::optim::AdamW& optimizer)
{
    bool fused = compat::kHasFusedAdamW;
    for (auto& group : optimizer.param_groups())
        for (const auto& p : group.params())
            fused = fused && !p.is_cpu() && (!p.grad().defined() || p.grad().scalar_type() == p.scalar_type());
    if (!fused) {
        optimizer.step();
        return;
    }
    torch::NoGradGuard noGrad;
    auto& states = optimizer.state();
    for (auto& group : optimizer.param_groups()) {
        const auto& options = static_cast<const torch::optim::AdamWOptions&>(group.options());
        TORCH_CHECK(!options.amsgrad(), "fused AdamW without amsgrad only");
        // Parameters that have taken part in different numbers of steps (a block unfrozen later) need
        // their own bias correction: one fused call per step count.
        struct Lists {
            std::vector<torch::Tensor> parameters, gradients, expAvg, expAvgSq;
        };
        std::map<int64_t, Lists> byStep;
        for (const auto& p : group.params()) {
            if (!p.grad().defined())
                continue;
            auto key = compat::optimizerStateKey(p);
            auto found = states.find(key);
            if (found == states.end()) { // as LibTorch's AdamW starts a parameter's state
                auto state = std::make_unique<torch::optim::AdamWParamState>();
                state->step(0);
                state->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                state->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                states[key] = std::move(state);
                found = states.find(key);
            }
            auto& state = static_cast<torch::optim::AdamWParamState&>(*found->second);
            state.step(state.step() + 1);
            Lists& lists = byStep[state.step()];
            lists.parameters.push_back(p);
            lists.gradients.push_back(p.grad());
            lists.expAvg.push_back(state.exp_avg());
            lists.expAvgSq.push_back(state.exp_avg_sq());
        }
        for (const auto& [step, lists] : byStep) {
            const torch::Tensor steps =
                torch::full({}, static_cast<double>(step), lists.parameters.front().options().dtype(torch::kFloat));
            compat::fusedAdamWStep(lists.parameters, lists.gradients, lists.expAvg, lists.expAvgSq, steps, options.lr(),
                                   std::get<0>(options.betas()), std::get<1>(options.betas()), options.weight_decay(),
                                   options.eps());
        }
    }
}

} // namespace fika::core
