// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace fika::cli {

// The GPU kernels that `steps` calls of `step` launch, through LibTorch 2.x's Kineto profiler:
// per kernel name its total time and calls per step, the largest first, the top `top` of them
// ({"kernel_ms_per_step", "kernels": [{"name", "ms_per_step", "calls_per_step", "share"}]}).
// Where the LibTorch has no Kineto profiler (Debian's 1.13), an error that says so.
core::Result<nlohmann::json> profileKernels(const std::function<void()>& step, int steps, int top = 25);

} // namespace fika::cli
