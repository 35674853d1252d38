// SPDX-License-Identifier: GPL-3.0-or-later
// The GPUs of a CUDA LibTorch (built only then: core/CMakeLists.txt picks this file or
// no_cuda_devices.cpp), kept apart so that no other file needs CUDA's headers.
#include "runtime/runtime.h"

#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <torch/cuda.h>

namespace fika::core {

bool torchHasCuda()
{
    return true;
}

std::vector<ComputeDevice> computeDevices()
{
    std::vector<ComputeDevice> devices{{"cpu", "CPU", 0}};
    if (!torch::cuda::is_available())
        return devices;
    for (int64_t i = 0; i < static_cast<int64_t>(torch::cuda::device_count()); ++i) {
        const cudaDeviceProp* properties = at::cuda::getDeviceProperties(static_cast<c10::DeviceIndex>(i));
        devices.push_back({"cuda:" + std::to_string(i), properties->name, static_cast<int64_t>(properties->totalGlobalMem)});
    }
    return devices;
}

int64_t gpuPeakMemoryBytes(int index)
{
    // allocated_bytes[0]: the aggregate over pool types (StatType::AGGREGATE, whose namespace moved
    // between LibTorch versions).
    return c10::cuda::CUDACachingAllocator::getDeviceStats(static_cast<c10::DeviceIndex>(index)).allocated_bytes[0].peak;
}

void resetGpuPeakMemory(int index)
{
    c10::cuda::CUDACachingAllocator::resetPeakStats(static_cast<c10::DeviceIndex>(index));
}

} // namespace fika::core
