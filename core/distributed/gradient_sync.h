// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "distributed/process_group.h"

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace c10d {
class Reducer;
}

namespace fika::core {

// Averages the gradients of a data-parallel step across the group, in buckets of about 25 MB.
// float32: c10d::Reducer (what DistributedDataParallel runs) hooks every parameter's gradient and
// starts a bucket's all-reduce as soon as backward has produced it, so communication overlaps the
// rest of backward. bf16: Gloo cannot reduce bf16 tensors, so the float32 master gradients are
// reduced after backward, every bucket started at once.
class GradientSync {
public:
    enum class Mode { OverlapWithBackward, AfterBackward };
    GradientSync(DistributedGroup& group, std::vector<torch::Tensor> parameters, Mode mode);
    ~GradientSync();

    void beforeForward();
    void beforeBackward();
    void afterBackward(); // AfterBackward: reduces the parameters' .grad; otherwise nothing left to do

private:
    DistributedGroup& m_group;
    std::vector<torch::Tensor> m_parameters;
    std::vector<std::vector<size_t>> m_buckets; // AfterBackward: parameter indices per bucket
    std::shared_ptr<c10d::Reducer> m_reducer;
};

} // namespace fika::core
