// SPDX-License-Identifier: GPL-3.0-or-later
#include "distributed/gradient_sync.h"

#include "distributed/c10d_compat.h"

#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/reducer.hpp>

#include <algorithm>

namespace fika::core {
namespace {

// DistributedDataParallel's defaults: a small first bucket so that communication starts early.
constexpr size_t kFirstBucketBytes = 1 << 20;
constexpr size_t kBucketBytes = 25 << 20;

} // namespace

GradientSync::GradientSync(DistributedGroup& group, std::vector<torch::Tensor> parameters, Mode mode)
    : m_group(group), m_parameters(std::move(parameters))
{
    const std::vector<bool> sparse(m_parameters.size(), false);
    auto [buckets, limits] = c10d::compute_bucket_assignment_by_size(
        m_parameters, {kFirstBucketBytes, kBucketBytes}, sparse, {}, c10::nullopt);
    if (mode == Mode::AfterBackward) {
        m_buckets = std::move(buckets);
        return;
    }
    // Backward produces the last layers' gradients first: their buckets go first, as DDP orders them.
    std::reverse(buckets.begin(), buckets.end());
    std::reverse(limits.begin(), limits.end());
    m_reducer = compat::makeReducer<c10d::Reducer>(m_parameters, buckets, limits, group.processGroup(),
                                                   static_cast<int64_t>(kBucketBytes), static_cast<int64_t>(kFirstBucketBytes));
}

GradientSync::~GradientSync() = default;

void GradientSync::beforeForward()
{
    if (m_reducer)
        m_reducer->prepare_for_forward();
}

void GradientSync::beforeBackward()
{
    if (m_reducer)
        m_reducer->prepare_for_backward({});
}

void GradientSync::afterBackward()
{
    if (m_reducer)
        return;
    torch::NoGradGuard noGrad;
    std::vector<std::vector<torch::Tensor>> flat;
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    for (const auto& bucket : m_buckets) {
        std::vector<torch::Tensor> grads;
        for (size_t i : bucket) {
            torch::Tensor& p = m_parameters[i];
            if (!p.grad().defined())
                p.mutable_grad() = torch::zeros_like(p);
            grads.push_back(p.grad().reshape(-1));
        }
        flat.push_back({torch::cat(grads)});
        works.push_back(m_group.processGroup()->allreduce(flat.back()));
    }
    const double scale = 1.0 / m_group.size();
    for (size_t b = 0; b < m_buckets.size(); ++b) {
        works[b]->wait();
        int64_t offset = 0;
        for (size_t i : m_buckets[b]) {
            torch::Tensor grad = m_parameters[i].grad();
            grad.copy_(flat[b][0].slice(0, offset, offset + grad.numel()).view_as(grad)).mul_(scale);
            offset += grad.numel();
        }
    }
}

} // namespace fika::core
