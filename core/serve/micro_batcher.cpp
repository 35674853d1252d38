// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve/micro_batcher.h"

#include "runtime/runtime.h"

#include <chrono>

namespace fika::core {

MicroBatcher::MicroBatcher(std::shared_ptr<const Predictor> predictor, Options options)
    : m_predictor(std::move(predictor)), m_options(options)
{
    const int workers = std::max(1, m_options.workers);
    for (int i = 0; i < workers; ++i)
        m_workers.emplace_back([this, workers] {
            if (workers > 1) // the cores are shared between the workers
                setThreadComputeThreads(std::max(1, computeThreads() / workers));
            work();
        });
}

MicroBatcher::~MicroBatcher()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto& worker : m_workers)
        worker.join();
}

std::vector<Prediction> MicroBatcher::predict(std::vector<std::string> texts)
{
    auto job = std::make_shared<Job>();
    job->texts = std::move(texts);
    auto answer = job->done.get_future();
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(job);
    }
    m_wake.notify_one();
    return answer.get();
}

BatchStats MicroBatcher::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void MicroBatcher::work()
{
    for (;;) {
        std::vector<std::shared_ptr<Job>> jobs;
        size_t texts = 0;
        {
            std::unique_lock lock(m_mutex);
            const auto ready = [this] { return m_stopping || !m_queue.empty(); };
            if (!m_wake.wait_for(lock, kIdleBeforeRelease, ready)) {
                // Idle: other threads (the tester, training) run faster without our helper threads.
                lock.unlock();
                releaseComputeThreads();
                lock.lock();
                m_wake.wait(lock, ready);
            }
            if (m_queue.empty())
                return; // stopping, nothing left
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(m_options.maxWaitMicroseconds);
            for (;;) {
                while (!m_queue.empty() && (jobs.empty() || texts + m_queue.front()->texts.size() <= static_cast<size_t>(m_options.maxBatch))) {
                    texts += m_queue.front()->texts.size();
                    jobs.push_back(std::move(m_queue.front()));
                    m_queue.pop_front();
                }
                if (texts >= static_cast<size_t>(m_options.maxBatch) || m_stopping || !m_queue.empty())
                    break;
                if (m_wake.wait_until(lock, deadline) == std::cv_status::timeout && m_queue.empty())
                    break;
            }
        }
        std::vector<std::string> batch;
        batch.reserve(texts);
        for (const auto& job : jobs)
            batch.insert(batch.end(), job->texts.begin(), job->texts.end());
        try {
            const auto started = std::chrono::steady_clock::now();
            auto predictions = m_predictor->predict(batch);
            {
                std::lock_guard lock(m_mutex);
                ++m_stats.batches;
                m_stats.texts += static_cast<int64_t>(batch.size());
                m_stats.modelSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            }
            size_t next = 0;
            for (const auto& job : jobs) {
                std::vector<Prediction> mine(predictions.begin() + static_cast<std::ptrdiff_t>(next),
                                             predictions.begin() + static_cast<std::ptrdiff_t>(next + job->texts.size()));
                next += job->texts.size();
                job->done.set_value(std::move(mine));
            }
        } catch (...) {
            for (const auto& job : jobs)
                job->done.set_exception(std::current_exception());
        }
    }
}

} // namespace fika::core
