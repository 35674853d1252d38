// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// c10d's differences between LibTorch 1.13 and 2.x (model/torch_compat.h holds the rest, without
// c10d's headers). In 1.13 ProcessGroupGloo and ProcessGroupNCCL are ProcessGroups; in 2.x they are
// Backends that a ProcessGroup dispatches to.

#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/version.h>

#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace fika::core::compat {

// The group Fika's code and c10d's Reducer take, around one backend (Gloo for the CPU, NCCL for GPUs).
template <typename Backend>
c10::intrusive_ptr<c10d::ProcessGroup> processGroupOf(c10::intrusive_ptr<Backend> backend,
                                                      const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                                      bool nccl)
{
#if TORCH_VERSION_MAJOR >= 2
    auto group = c10::make_intrusive<c10d::ProcessGroup>(store, rank, size);
    const auto type = nccl ? c10d::ProcessGroup::BackendType::NCCL : c10d::ProcessGroup::BackendType::GLOO;
    group->setBackend(nccl ? c10::DeviceType::CUDA : c10::DeviceType::CPU, type, backend);
    group->setDefaultBackend(type);
    return group;
#else
    (void)store, (void)rank, (void)size, (void)nccl;
    return backend;
#endif
}

// c10d's Reducer (DistributedDataParallel's gradient bucketing) for `buckets` of parameter indices
// with their byte limits, without unused-parameter search. Its constructor changed between
// versions: 1.13-2.6 take the per-bucket limits third; later ones drop them, add two flags and then
// a per-bucket cap list. The variant this LibTorch has is picked at compile time (none: an error at
// run time). Reducer is
// c10d::Reducer, a template parameter so that this header needs no reducer.hpp.
template <typename Reducer>
std::shared_ptr<Reducer> makeReducer(const std::vector<at::Tensor>& parameters, const std::vector<std::vector<size_t>>& buckets,
                                     const std::vector<size_t>& limits, const c10::intrusive_ptr<c10d::ProcessGroup>& group,
                                     int64_t bucketBytes, int64_t firstBucketBytes)
{
    using Tensors = std::vector<at::Tensor>;
    using Buckets = std::vector<std::vector<size_t>>;
    using Group = c10::intrusive_ptr<c10d::ProcessGroup>;
    using Names = std::unordered_map<size_t, std::string>;
    using Caps = std::vector<int64_t>;
    const std::vector<bool> sparse(parameters.size(), false);
    if constexpr (std::is_constructible_v<Reducer, Tensors, Buckets, const std::vector<size_t>&, Group, std::vector<bool>, int64_t,
                                          bool, bool, Names, int64_t>)
        return std::make_shared<Reducer>(parameters, buckets, limits, group, sparse, bucketBytes, false, false, Names{},
                                         firstBucketBytes);
    else if constexpr (std::is_constructible_v<Reducer, Tensors, Buckets, Group, std::vector<bool>, int64_t, bool, bool, Names,
                                               int64_t, bool, bool, Caps>)
        return std::make_shared<Reducer>(parameters, buckets, group, sparse, bucketBytes, false, false, Names{}, firstBucketBytes,
                                         false, false, Caps(limits.begin(), limits.end()));
    else if constexpr (std::is_constructible_v<Reducer, Tensors, Buckets, Group, std::vector<bool>, int64_t, bool, bool, Names,
                                               int64_t, bool, bool>)
        return std::make_shared<Reducer>(parameters, buckets, group, sparse, bucketBytes, false, false, Names{}, firstBucketBytes,
                                         false, false);
    else { // an unknown constructor costs multi-process training in this build, not the build itself
        (void)parameters, (void)buckets, (void)limits, (void)group, (void)bucketBytes, (void)firstBucketBytes;
        TORCH_CHECK(false, "this LibTorch's c10d::Reducer constructor is unknown to distributed/c10d_compat.h: "
                           "multi-process training is not available in this build");
        return nullptr;
    }
}

} // namespace fika::core::compat
