// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/explanation.h"
#include "model/predictor.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fika::core {

class MicroBatcher;

// The explanations of POST /predict?explain=true, on a thread of their own: one takes seconds
// (steps forward and backward passes per text), so neither the event loop (/health) nor the
// micro-batcher's predictions wait behind it. Requests are explained one at a time, oldest first.
// Each request's work, steps × the tokens of its texts, is checked against a budget before any is done.
class ExplainQueue {
public:
    struct Answer {
        int status = 200;  // 200; 413 over the budget; 500 the model failed; 503 stopping
        std::string error; // for a status other than 200
        std::vector<Prediction> predictions;    // as the micro-batcher answers them
        std::vector<Explanation> explanations;  // of each prediction's class
    };
    using Done = std::function<void(Answer answer)>;

    // maxWork: path-point tokens (steps × tokens, summed over the texts) one request may ask for.
    ExplainQueue(std::shared_ptr<const Predictor> predictor, MicroBatcher& batcher, int64_t maxWork);
    ~ExplainQueue(); // stop(), then waits for the text in progress

    // done runs on the queue's thread (or at once with 503 after stop()).
    void submit(std::vector<std::string> texts, int steps, Done done);
    // Answers the waiting requests 503, and the one in progress after its current text.
    void stop();

private:
    struct Job {
        std::vector<std::string> texts;
        int steps = 0;
        Done done;
    };
    void work();
    Answer run(const Job& job);

    std::shared_ptr<const Predictor> m_predictor;
    MicroBatcher& m_batcher;
    int64_t m_maxWork;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace fika::core
