// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve/explain_queue.h"

#include "runtime/runtime.h"
#include "serve/micro_batcher.h"

#include <exception>

namespace fika::core {
namespace {

const char* const kStopping = "the server is stopping: the explanation was not computed";

} // namespace

ExplainQueue::ExplainQueue(std::shared_ptr<const Predictor> predictor, MicroBatcher& batcher, int64_t maxWork)
    : m_predictor(std::move(predictor)), m_batcher(batcher), m_maxWork(maxWork)
{
    m_thread = std::thread([this] { work(); });
}

ExplainQueue::~ExplainQueue()
{
    stop();
    m_thread.join();
}

void ExplainQueue::stop()
{
    std::deque<Job> left;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        left.swap(m_queue);
    }
    m_wake.notify_all();
    for (auto& job : left)
        job.done({503, kStopping, {}, {}});
}

void ExplainQueue::submit(std::vector<std::string> texts, int steps, Done done)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            m_queue.push_back({std::move(texts), steps, std::move(done)});
            m_wake.notify_one();
            return;
        }
    }
    done({503, kStopping, {}, {}});
}

void ExplainQueue::work()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty())
            return; // stopping
        Job job = std::move(m_queue.front());
        m_queue.pop_front();
        lock.unlock();
        Answer answer = run(job);
        job.done(std::move(answer));
        lock.lock();
        if (m_queue.empty()) { // idle: give the cores' helper threads back to the predictions
            lock.unlock();
            releaseComputeThreads();
            lock.lock();
        }
    }
}

ExplainQueue::Answer ExplainQueue::run(const Job& job)
{
    Answer answer;
    int64_t tokens = 0;
    for (const auto& text : job.texts)
        tokens += m_predictor->tokenCount(text);
    const int64_t work = tokens * job.steps;
    if (work > m_maxWork) {
        answer.status = 413;
        answer.error = "explaining " + std::to_string(job.texts.size()) + (job.texts.size() == 1 ? " text" : " texts") + " of " +
                       std::to_string(tokens) + " tokens with " + std::to_string(job.steps) + " steps is " + std::to_string(work) +
                       " path-point tokens (steps × tokens), over this server's limit of " + std::to_string(m_maxWork) +
                       ": ask with fewer steps, or for fewer or shorter texts per request";
        return answer;
    }
    try {
        answer.predictions = m_batcher.predict(job.texts); // the answers a request without explain gets
    } catch (const std::exception& e) {
        return {500, std::string("internal error: ") + e.what(), {}, {}};
    }
    for (size_t i = 0; i < job.texts.size(); ++i) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                return {503, kStopping, {}, {}};
        }
        ExplainOptions options;
        options.steps = job.steps;
        options.classId = answer.predictions[i].labelId; // the label answered, even where batching moves a tie
        auto explanation = m_predictor->explain(job.texts[i], options);
        if (!explanation)
            return {500, "internal error: " + (job.texts.size() > 1 ? "row " + std::to_string(i) + ": " : std::string()) +
                             explanation.error().message,
                    {}, {}};
        answer.explanations.push_back(std::move(explanation.value()));
    }
    return answer;
}

} // namespace fika::core
