// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtime/runtime.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

#include <thread>

namespace fika::core {

void initRuntime(int threads)
{
    const int count = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(count);
}

int computeThreads()
{
    return at::get_num_threads();
}

std::string fikaVersion()
{
    return FIKA_VERSION;
}

std::string torchVersion()
{
    return TORCH_VERSION;
}

} // namespace fika::core
