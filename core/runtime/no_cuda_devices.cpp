// SPDX-License-Identifier: GPL-3.0-or-later
// A LibTorch without CUDA (Debian's): the CPU alone. runtime/cuda_devices.cpp is the CUDA build's.
#include "runtime/runtime.h"

namespace fika::core {

bool torchHasCuda()
{
    return false;
}

std::vector<ComputeDevice> computeDevices()
{
    return {{"cpu", "CPU", 0}};
}

int64_t gpuPeakMemoryBytes(int)
{
    return 0;
}

void resetGpuPeakMemory(int) {}

} // namespace fika::core
