// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/predictor.h"
#include "serve/batch_stats.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fika::core {

// Gathers texts from concurrent requests into batches for the predictor: a worker takes up to
// maxBatch waiting texts, or whatever arrived within maxWait of the first, and answers them all.
class MicroBatcher {
public:
    struct Options {
        int maxBatch = 16;
        int maxWaitMicroseconds = 2000;
        int workers = 1; // each worker runs one batch at a time with all intra-op threads
    };

    MicroBatcher(std::shared_ptr<const Predictor> predictor, Options options);
    ~MicroBatcher(); // answers what is queued, then joins

    // The predictions for texts, in order; blocks until they are computed.
    std::vector<Prediction> predict(std::vector<std::string> texts);

    BatchStats stats() const;

    // A worker idle this long gives its compute threads back (see releaseComputeThreads).
    static constexpr std::chrono::milliseconds kIdleBeforeRelease{200};

private:
    struct Job {
        std::vector<std::string> texts;
        std::promise<std::vector<Prediction>> done;
    };
    void work();

    std::shared_ptr<const Predictor> m_predictor;
    Options m_options;
    mutable std::mutex m_mutex;
    BatchStats m_stats;
    std::condition_variable m_wake;
    std::deque<std::shared_ptr<Job>> m_queue;
    bool m_stopping = false;
    std::vector<std::thread> m_workers;
};

} // namespace fika::core
