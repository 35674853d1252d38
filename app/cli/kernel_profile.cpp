// SPDX-License-Identifier: GPL-3.0-or-later
#include <torch/torch.h>
#include <torch/version.h>

#include "cli/kernel_profile.h"

#if TORCH_VERSION_MAJOR >= 2
#include <torch/csrc/autograd/profiler_kineto.h>
#endif

#include <algorithm>
#include <map>
#include <vector>

namespace fika::cli {

core::Result<nlohmann::json> profileKernels(const std::function<void()>& step, int steps, int top)
{
#if TORCH_VERSION_MAJOR >= 2
    namespace profiler = torch::profiler::impl;
    using torch::autograd::profiler::disableProfiler;
    using torch::autograd::profiler::enableProfiler;
    using torch::autograd::profiler::prepareProfiler;
    if (!torch::cuda::is_available())
        return core::makeError(core::ErrorCode::InvalidArgument, "kernel profiles are taken on a GPU");
    const profiler::ProfilerConfig config(profiler::ProfilerState::KINETO);
    const std::set<profiler::ActivityType> activities{profiler::ActivityType::CPU, profiler::ActivityType::CUDA};
    std::unique_ptr<torch::autograd::profiler::ProfilerResult> result;
    try {
        prepareProfiler(config, activities);
        enableProfiler(config, activities);
        for (int i = 0; i < steps; ++i)
            step();
        torch::cuda::synchronize();
        result = disableProfiler();
    } catch (const std::exception& e) {
        if (profiler::profilerEnabled())
            disableProfiler();
        return core::makeError(core::ErrorCode::IoError, std::string("the kernel profile failed: ") + e.what());
    }

    struct Total {
        double nanoseconds = 0;
        int64_t calls = 0;
    };
    std::map<std::string, Total> byName;
    double allNanoseconds = 0;
    for (const auto& event : result->events()) {
        if (event.deviceType() != c10::DeviceType::CUDA)
            continue; // CPU-side operator events; the GPU's are kernels, copies and sets
        Total& total = byName[event.name()];
        total.nanoseconds += static_cast<double>(event.durationNs());
        ++total.calls;
        allNanoseconds += static_cast<double>(event.durationNs());
    }
    std::vector<std::pair<std::string, Total>> sorted(byName.begin(), byName.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second.nanoseconds > b.second.nanoseconds; });
    nlohmann::json kernels = nlohmann::json::array();
    for (size_t i = 0; i < sorted.size() && static_cast<int>(i) < top; ++i) {
        const auto& [name, total] = sorted[i];
        kernels.push_back({{"name", name.substr(0, 160)},
                           {"ms_per_step", total.nanoseconds / 1e6 / steps},
                           {"calls_per_step", static_cast<double>(total.calls) / steps},
                           {"share", allNanoseconds > 0 ? total.nanoseconds / allNanoseconds : 0.0}});
    }
    return nlohmann::json{{"kernel_ms_per_step", allNanoseconds / 1e6 / steps},
                          {"kernel_names", static_cast<int64_t>(byName.size())},
                          {"kernels", kernels}};
#else
    (void)step, (void)steps, (void)top;
    return core::makeError(core::ErrorCode::InvalidArgument,
                           "kernel profiles need LibTorch 2.x with its Kineto profiler (this Fika has LibTorch " TORCH_VERSION ")");
#endif
}

} // namespace fika::cli
