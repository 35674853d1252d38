// SPDX-License-Identifier: GPL-3.0-or-later
// model/torch_compat.h's LibTorch 2.x paths, run on the CPU against Fika's own code (tests/gpu/torch2-run.sh
// builds it against Debian trixie's LibTorch 2.6 and runs it under trixie's loader): the fused attention
// against Fika's attention (values and gradients), the fused AdamW kernel against LibTorch's AdamW over
// the optimizer's own state, and the multi-tensor gradient clipping. On a GPU the same calls take the CUDA
// kernels.
#include <torch/torch.h>
#include "model/attention.h"
#include "model/torch_compat.h"
#include "train/optimizer_step.h"
#include <iostream>
using namespace fika::core;
static int failures = 0;
static void expect(bool ok, const std::string& what, double value) {
    std::cout << (ok ? "ok   " : "FAIL ") << what << " " << value << "\n";
    failures += !ok;
}
int main() {
    std::cout << "LibTorch " << TORCH_VERSION << ", fused attention " << compat::kHasFusedAttention << "\n";
    torch::manual_seed(1);
    // 1. Fused attention against Fika's reference, with a padding mask and without one.
    const auto q = torch::randn({2, 4, 7, 8}), k = torch::randn({2, 4, 7, 8}), v = torch::randn({2, 4, 7, 8});
    auto mask = torch::ones({2, 7}, torch::kLong);
    mask[1].slice(0, 4).zero_();
    const auto additive = (1.0 - mask.to(torch::kFloat).unsqueeze(1).unsqueeze(2)) * std::numeric_limits<float>::lowest();
    const auto reference = attentionReference(q, k, v, additive, torch::Tensor(), 1.0);
    const auto fused = compat::fusedAttention(q, k, v, additive.eq(0), 0.0);
    expect((fused - reference).abs().max().item<double>() < 1e-5, "fused attention with mask, max |diff|", (fused - reference).abs().max().item<double>());
    const auto unmasked = compat::fusedAttention(q, k, v, torch::Tensor(), 0.0);
    const auto refUnmasked = attentionReference(q, k, v, torch::zeros({2, 1, 1, 7}), torch::Tensor(), 1.0);
    expect((unmasked - refUnmasked).abs().max().item<double>() < 1e-5, "fused attention without mask, max |diff|", (unmasked - refUnmasked).abs().max().item<double>());
    // Gradients through the fused kernel against Fika's attention.
    auto qg = q.clone().requires_grad_(), kg = k.clone().requires_grad_(), vg = v.clone().requires_grad_();
    compat::fusedAttention(qg, kg, vg, additive.eq(0), 0.0).sum().backward();
    auto qr = q.clone().requires_grad_(), kr = k.clone().requires_grad_(), vr = v.clone().requires_grad_();
    attention(qr, kr, vr, additive, torch::Tensor(), 1.0).sum().backward();
    double g = std::max({(qg.grad() - qr.grad()).abs().max().item<double>(), (kg.grad() - kr.grad()).abs().max().item<double>(),
                         (vg.grad() - vr.grad()).abs().max().item<double>()});
    expect(g < 1e-4, "fused attention gradients, max |diff|", g);
    const std::string kernel = compat::fusedAttentionBackend(q, k, v, additive.eq(0), 0.0);
    expect(kernel == "flash" || kernel == "efficient" || kernel == "math" || kernel == "cudnn", "the kernel is named: " + kernel, 1);
    // Dropout inside the fused kernel: about p of the weights dropped (output differs from no dropout).
    const auto dropped = compat::fusedAttention(q, k, v, additive.eq(0), 0.5);
    expect((dropped - fused).abs().max().item<double>() > 0, "fused attention dropout changes the output", (dropped - fused).abs().max().item<double>());

    // 2. Fused AdamW (the CPU kernel of 2.x) against LibTorch's AdamW, over the optimizer's own state.
    auto make = [] { torch::manual_seed(3); std::vector<torch::Tensor> ps; for (auto n : {5, 7, 1}) ps.push_back(torch::randn({n, 3}).requires_grad_()); return ps; };
    auto ours = make(), theirs = make();
    const auto options = torch::optim::AdamWOptions(1e-2).weight_decay(0.01);
    torch::optim::AdamW ourOpt(ours, options), theirOpt(theirs, options);
    for (int step = 1; step <= 4; ++step) {
        torch::manual_seed(100 + step);
        for (size_t i = 0; i < ours.size(); ++i) {
            auto grad = torch::randn_like(ours[i]);
            ours[i].mutable_grad() = grad.clone();
            theirs[i].mutable_grad() = grad.clone();
        }
        theirOpt.step();
        // adamWStep's fused branch, on the CPU (the real one takes it on a GPU only).
        torch::NoGradGuard noGrad;
        std::vector<torch::Tensor> p, gr, m, s;
        for (auto& param : ours) {
            auto key = compat::optimizerStateKey(param);
            if (!ourOpt.state().count(key)) {
                auto st = std::make_unique<torch::optim::AdamWParamState>();
                st->step(0); st->exp_avg(torch::zeros_like(param)); st->exp_avg_sq(torch::zeros_like(param));
                ourOpt.state()[key] = std::move(st);
            }
            auto& st = static_cast<torch::optim::AdamWParamState&>(*ourOpt.state()[key]);
            st.step(st.step() + 1);
            p.push_back(param); gr.push_back(param.grad()); m.push_back(st.exp_avg()); s.push_back(st.exp_avg_sq());
        }
        compat::fusedAdamWStep(p, gr, m, s, torch::full({}, double(step)), 1e-2, 0.9, 0.999, 0.01, 1e-8);
    }
    double worst = 0;
    for (size_t i = 0; i < ours.size(); ++i) worst = std::max(worst, (ours[i] - theirs[i]).abs().max().item<double>());
    expect(worst < 1e-6, "fused AdamW against LibTorch's AdamW after 4 steps, max |diff|", worst);
    expect(theirOpt.state().count(compat::optimizerStateKey(theirs[0])) == 1, "LibTorch's AdamW keeps its state under optimizerStateKey", 1);

    // 3. Multi-tensor gradient clipping against clip_grad_norm_.
    auto a = make(), b = make();
    for (size_t i = 0; i < a.size(); ++i) { auto grad = torch::randn_like(a[i]) * 3; a[i].mutable_grad() = grad.clone(); b[i].mutable_grad() = grad.clone(); }
    const double na = clipGradientNorm(a, 0.5), nb = torch::nn::utils::clip_grad_norm_(b, 0.5);
    double gd = 0; for (size_t i = 0; i < a.size(); ++i) gd = std::max(gd, (a[i].grad() - b[i].grad()).abs().max().item<double>());
    expect(std::abs(na - nb) < 1e-5 * nb && gd < 1e-6, "clipGradientNorm against clip_grad_norm_, grad max |diff|", gd);
    std::cout << (failures ? "FAILED\n" : "all passed\n");
    return failures ? 1 : 0;
}
