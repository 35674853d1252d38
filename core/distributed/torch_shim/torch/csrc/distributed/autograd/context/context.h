// SPDX-License-Identifier: GPL-3.0-or-later
// Debian's libtorch-dev 1.13 ships c10d/reducer.hpp (DistributedDataParallel's gradient reducer) but
// not this header, which it includes for two type names of the RPC framework's distributed autograd.
// Fika does not use distributed autograd; the Reducer holds these types only as a shared_ptr and a
// std::function, whose layout does not depend on what they point to, and reducer.hpp checks the
// callback type with a static_assert. Only distributed/gradient_sync.cpp sees this folder.
#pragma once

#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>

namespace torch::distributed::autograd {

class DistAutogradContext {
public:
    using GradCallback = std::function<bool(at::Tensor&)>;
};
using ContextPtr = std::shared_ptr<DistAutogradContext>;

} // namespace torch::distributed::autograd
