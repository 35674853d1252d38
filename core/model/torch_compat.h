// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What differs between the LibTorch versions Fika builds against: Debian 12's 1.13 (CPU) and the
// 2.x of a CUDA build (README: Fika on a GPU). Every version test lives here;
// the rest of the code asks these functions. tests/gpu/torch2-syntax.sh compiles against 2.x.

#include <torch/torch.h>
#include <torch/version.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace fika::core::compat {

#if TORCH_VERSION_MAJOR >= 2
inline constexpr bool kHasFusedAttention = true;
inline constexpr bool kHasFusedAdamW = true;
#else
inline constexpr bool kHasFusedAttention = false;
inline constexpr bool kHasFusedAdamW = false;
#endif

// cuDNN's attention builds an execution plan for each new shape: fine for fixed shapes, slow where
// batches vary in length (dynamic padding, length buckets, serving). Fika leaves it to FlashAttention
// and memory-efficient attention unless FIKA_CUDNN_ATTENTION=1. Once per process.
inline void chooseAttentionKernels()
{
#if TORCH_VERSION_MAJOR >= 2
    static const bool once = [] {
        const char* wanted = std::getenv("FIKA_CUDNN_ATTENTION");
        at::globalContext().setSDPUseCuDNN(wanted && std::string(wanted) == "1");
        return true;
    }();
    (void)once;
#endif
}

// softmax(q·kᵀ/√d) · v with dropout, for q, k, v of [B, H, T, D] and `attend` a bool mask
// broadcastable to [B, H, T, T] (true = attend) or undefined (attend everywhere), through LibTorch
// 2.x's fused kernels (FlashAttention without a mask, memory-efficient attention with one, on a GPU):
// the T × T scores never reach memory. Dropout draws from the device's default generator. Only when
// kHasFusedAttention.
inline torch::Tensor fusedAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                    const torch::Tensor& attend, double dropout)
{
#if TORCH_VERSION_MAJOR >= 2
    chooseAttentionKernels();
    if (!attend.defined())
        return at::scaled_dot_product_attention(q, k, v, std::nullopt, dropout);
    return at::scaled_dot_product_attention(q, k, v, attend, dropout);
#else
    (void)k, (void)v, (void)attend, (void)dropout;
    TORCH_CHECK(false, "LibTorch ", TORCH_VERSION, " has no fused attention");
    return q;
#endif
}

// Which kernel fusedAttention takes for these inputs ("flash", "efficient", "cudnn", "math"; "none"
// without fused attention): the benchmarks record it.
inline std::string fusedAttentionBackend(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                         const torch::Tensor& attend, double dropout)
{
#if TORCH_VERSION_MAJOR >= 2
    chooseAttentionKernels();
    const int64_t choice = attend.defined() ? at::_fused_sdp_choice(q, k, v, attend, dropout)
                                            : at::_fused_sdp_choice(q, k, v, std::nullopt, dropout);
    switch (choice) { // at::SDPBackend
    case 0: return "math";
    case 1: return "flash";
    case 2: return "efficient";
    case 3: return "cudnn";
    default: return "other (" + std::to_string(choice) + ")";
    }
#else
    (void)q, (void)k, (void)v, (void)attend, (void)dropout;
    return "none";
#endif
}

// One AdamW step (decoupled weight decay) over many tensors in a few fused GPU kernels instead of
// ~10 launches per parameter. `steps` holds the step number after this step (1 on the first), as a
// float32 scalar on the parameters' device; every list is in the same order. Only when
// kHasFusedAdamW and the tensors are on a GPU.
inline void fusedAdamWStep(const std::vector<torch::Tensor>& parameters, const std::vector<torch::Tensor>& gradients,
                           const std::vector<torch::Tensor>& expAvg, const std::vector<torch::Tensor>& expAvgSq,
                           const torch::Tensor& steps, double lr, double beta1, double beta2, double weightDecay,
                           double eps)
{
#if TORCH_VERSION_MAJOR >= 2
    // The kernel reads one step tensor per parameter; they all share one here.
    const std::vector<torch::Tensor> stepList(parameters.size(), steps);
    at::_fused_adamw_(parameters, gradients, expAvg, expAvgSq, {}, stepList, lr, beta1, beta2, weightDecay, eps,
                      /*amsgrad=*/false, /*maximize=*/false);
#else
    (void)parameters, (void)gradients, (void)expAvg, (void)expAvgSq, (void)steps, (void)lr, (void)beta1, (void)beta2,
        (void)weightDecay, (void)eps;
    TORCH_CHECK(false, "LibTorch ", TORCH_VERSION, " has no fused AdamW");
#endif
}

// The key of a parameter's entry in a LibTorch optimizer's state(): a string in 1.13, the
// TensorImpl pointer in 2.x.
inline auto optimizerStateKey(const torch::Tensor& parameter)
{
#if TORCH_VERSION_MAJOR >= 2
    return static_cast<void*>(parameter.unsafeGetTensorImpl());
#else
    return c10::guts::to_string(parameter.unsafeGetTensorImpl());
#endif
}

} // namespace fika::core::compat
