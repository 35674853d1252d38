// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace fika::core {

// Runs body(i) for i in [0, count) on `threads` threads (0 = all cores), handing out small chunks
// so that long and short items balance. Returns when all are done.
template <typename Body>
void parallelFor(size_t count, int threads, Body&& body)
{
    constexpr size_t kChunk = 16;
    size_t workers = threads > 0 ? static_cast<size_t>(threads) : std::max(1u, std::thread::hardware_concurrency());
    workers = std::min(workers, (count + kChunk - 1) / kChunk);
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (;;) {
            const size_t begin = next.fetch_add(kChunk, std::memory_order_relaxed);
            if (begin >= count)
                return;
            for (size_t i = begin; i < std::min(count, begin + kChunk); ++i)
                body(i);
        }
    };
    if (workers <= 1) {
        work();
        return;
    }
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    for (size_t t = 1; t < workers; ++t)
        pool.emplace_back(work);
    work();
    for (auto& thread : pool)
        thread.join();
}

} // namespace fika::core
