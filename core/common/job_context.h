// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

namespace fika::core {

// The one shape for long-running work: a stop token and a progress sink. Core polls the stop token
// between units of work (rows, batches) and never starts threads for the caller's sake.
struct JobContext {
    const std::atomic<bool>* stopRequested = nullptr;
    std::function<void(int64_t done, int64_t total)> progress; // total may be 0 when unknown

    bool shouldStop() const { return stopRequested && stopRequested->load(std::memory_order_relaxed); }
    void report(int64_t done, int64_t total) const
    {
        if (progress)
            progress(done, total);
    }
};

} // namespace fika::core
