// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/dropout.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <cmath>
#include <mutex>

namespace fika::core {
namespace {

constexpr int64_t kChunk = 1 << 16; // entries per independently seeded stream

inline uint64_t splitMix64(uint64_t& state)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

thread_local bool t_hasStream = false;
thread_local uint64_t t_streamState = 0;

uint64_t nextMaskSeed()
{
    if (t_hasStream)
        return splitMix64(t_streamState);
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return at::check_generator<at::CPUGeneratorImpl>(generator)->random64();
}

} // namespace

DropoutSeedScope::DropoutSeedScope(uint64_t seed) : m_hadOuter(t_hasStream), m_outerState(t_streamState)
{
    t_hasStream = true;
    t_streamState = seed;
}

DropoutSeedScope::~DropoutSeedScope()
{
    t_hasStream = m_hadOuter;
    t_streamState = m_outerState;
}

torch::Tensor dropoutKeepMask(c10::IntArrayRef shape, double p, double& keepProbability)
{
    const auto threshold = static_cast<uint32_t>(std::llround(std::clamp(p, 0.0, 1.0) * 65536.0));
    keepProbability = 1.0 - threshold / 65536.0;
    torch::Tensor keep = torch::empty(shape, torch::kBool);
    bool* out = keep.data_ptr<bool>();
    const int64_t n = keep.numel();
    const uint64_t seed = nextMaskSeed();
    at::parallel_for(0, (n + kChunk - 1) / kChunk, 1, [&](int64_t first, int64_t last) {
        for (int64_t chunk = first; chunk < last; ++chunk) {
            uint64_t state = seed ^ (static_cast<uint64_t>(chunk) * 0xD1B54A32D192ED03ull);
            const int64_t begin = chunk * kChunk;
            const int64_t end = std::min(n, begin + kChunk);
            for (int64_t i = begin; i < end; i += 4) {
                const uint64_t bits = splitMix64(state);
                for (int64_t j = 0; j < 4 && i + j < end; ++j)
                    out[i + j] = ((bits >> (16 * j)) & 0xFFFF) >= threshold;
            }
        }
    });
    return keep;
}

void reseedDeviceGenerator(const torch::Device& device)
{
    at::Generator generator = at::globalContext().defaultGenerator(device);
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_current_seed(nextMaskSeed());
}

torch::Tensor dropout(const torch::Tensor& x, double p, bool training)
{
    if (!training || p <= 0.0)
        return x;
    if (!x.is_cpu()) { // drawn on the GPU, in LibTorch's fused kernel, from this stream's next seed
        reseedDeviceGenerator(x.device());
        return torch::dropout(x, p, /*train=*/true);
    }
    double keepProbability = 1.0;
    const torch::Tensor keep = dropoutKeepMask(x.sizes(), p, keepProbability).to(x.device());
    return x * keep * (1.0 / keepProbability);
}

} // namespace fika::core
