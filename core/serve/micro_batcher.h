// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/predictor.h"
#include "serve/batch_stats.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fika::core {

// Gathers texts from concurrent requests into batches for the predictor: a worker takes up to
// maxBatch waiting texts, or whatever arrived within maxWait of the first, and answers them all.
// A request with more texts than maxBatch is split; batches take texts from the waiting requests
// in turn. While a large request is being worked through, requests that fit in one batch get a
// batch of their own every other batch, so a single review waits for at most the batch in progress.
class MicroBatcher {
public:
    struct Options {
        int maxBatch = 16;
        int maxWaitMicroseconds = 2000;
        int workers = 1; // each worker runs one batch at a time with all intra-op threads
    };
    // Computes one batch (the predictor's predict; tests pass their own).
    using PredictFn = std::function<std::vector<Prediction>(const std::vector<std::string>& texts)>;
    // The predictions in the order of the texts, or an error message (predictions then empty).
    using Done = std::function<void(std::vector<Prediction> predictions, std::string error)>;

    MicroBatcher(std::shared_ptr<const Predictor> predictor, Options options);
    MicroBatcher(PredictFn predict, Options options);
    ~MicroBatcher(); // answers what is queued, then joins

    // Queues texts; done runs on a worker thread once all of them are computed.
    void submit(std::vector<std::string> texts, Done done);
    // The predictions for texts, in order; blocks until they are computed.
    std::vector<Prediction> predict(std::vector<std::string> texts);

    BatchStats stats() const;

    // A worker idle this long gives its compute threads back (see releaseComputeThreads).
    static constexpr std::chrono::milliseconds kIdleBeforeRelease{200};

private:
    struct Job {
        std::vector<std::string> texts;
        std::vector<Prediction> predictions;
        std::string error;
        size_t taken = 0;    // texts handed to a batch
        size_t finished = 0; // texts whose batch has run
        Done done;
    };
    struct Slot {
        std::shared_ptr<Job> job;
        size_t index;
    };
    void work();
    std::vector<Slot> takeBatch(); // with m_mutex held

    PredictFn m_predict;
    Options m_options;
    mutable std::mutex m_mutex;
    BatchStats m_stats;
    std::condition_variable m_wake;
    std::deque<std::shared_ptr<Job>> m_queue; // jobs with texts not yet taken, oldest first
    size_t m_waitingTexts = 0;
    bool m_stopping = false;
    bool m_lastBatchShortOnly = false;
    std::vector<std::thread> m_workers;
};

} // namespace fika::core
