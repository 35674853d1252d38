// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve/micro_batcher.h"

#include "runtime/runtime.h"

#include <algorithm>
#include <chrono>
#include <future>

namespace fika::core {

MicroBatcher::MicroBatcher(std::shared_ptr<const Predictor> predictor, Options options)
    : MicroBatcher([predictor](const std::vector<std::string>& texts) { return predictor->predict(texts); }, options)
{
}

MicroBatcher::MicroBatcher(PredictFn predict, Options options)
    : m_predict(std::move(predict)), m_options(options)
{
    m_options.maxBatch = std::max(1, m_options.maxBatch);
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

void MicroBatcher::submit(std::vector<std::string> texts, Done done)
{
    if (texts.empty())
        return done({}, {});
    auto job = std::make_shared<Job>();
    job->texts = std::move(texts);
    job->predictions.resize(job->texts.size());
    job->done = std::move(done);
    {
        std::lock_guard lock(m_mutex);
        m_waitingTexts += job->texts.size();
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
}

std::vector<Prediction> MicroBatcher::predict(std::vector<std::string> texts)
{
    std::promise<std::vector<Prediction>> promise;
    auto answer = promise.get_future();
    submit(std::move(texts), [&promise](std::vector<Prediction> predictions, std::string error) {
        if (error.empty())
            promise.set_value(std::move(predictions));
        else
            promise.set_exception(std::make_exception_ptr(std::runtime_error(error)));
    });
    return answer.get();
}

BatchStats MicroBatcher::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

std::vector<MicroBatcher::Slot> MicroBatcher::takeBatch()
{
    const auto maxBatch = static_cast<size_t>(m_options.maxBatch);
    const auto fitsInOneBatch = [maxBatch](const Job& job) { return job.texts.size() - job.taken <= maxBatch; };
    const bool anyShort = std::any_of(m_queue.begin(), m_queue.end(), [&](const auto& job) { return fitsInOneBatch(*job); });
    const bool anyLong = std::any_of(m_queue.begin(), m_queue.end(), [&](const auto& job) { return !fitsInOneBatch(*job); });
    // Short requests go ahead of long ones every other batch: then they wait for at most the batch in
    // progress, and a long request still gets at least every second batch.
    const bool shortOnly = anyShort && anyLong && !m_lastBatchShortOnly;
    m_lastBatchShortOnly = shortOnly;

    // One text from each chosen job in turn, oldest job first, until the batch is full.
    std::vector<Slot> batch;
    bool tookAny = true;
    while (batch.size() < maxBatch && tookAny) {
        tookAny = false;
        for (auto it = m_queue.begin(); it != m_queue.end() && batch.size() < maxBatch;) {
            Job& job = **it;
            if (shortOnly && !fitsInOneBatch(job)) {
                ++it;
                continue;
            }
            batch.push_back({*it, job.taken++});
            --m_waitingTexts;
            tookAny = true;
            it = job.taken == job.texts.size() ? m_queue.erase(it) : std::next(it);
        }
    }
    return batch;
}

void MicroBatcher::work()
{
    for (;;) {
        std::vector<Slot> batch;
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
            // Wait up to maxWait for a full batch, unless one is there already.
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(m_options.maxWaitMicroseconds);
            m_wake.wait_until(lock, deadline, [this] {
                return m_stopping || m_waitingTexts >= static_cast<size_t>(m_options.maxBatch);
            });
            if (m_queue.empty())
                continue; // another worker took them
            batch = takeBatch();
        }
        std::vector<std::string> texts;
        texts.reserve(batch.size());
        for (const auto& slot : batch)
            texts.push_back(slot.job->texts[slot.index]);
        std::vector<Prediction> predictions;
        std::string error;
        const auto started = std::chrono::steady_clock::now();
        try {
            predictions = m_predict(texts);
            if (predictions.size() != texts.size())
                error = "the model answered " + std::to_string(predictions.size()) + " of " + std::to_string(texts.size()) + " texts";
        } catch (const std::exception& e) {
            error = e.what();
        } catch (...) {
            error = "the model failed";
        }
        std::vector<std::shared_ptr<Job>> finished;
        {
            std::lock_guard lock(m_mutex);
            ++m_stats.batches;
            m_stats.texts += static_cast<int64_t>(texts.size());
            m_stats.modelSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            for (size_t i = 0; i < batch.size(); ++i) {
                Job& job = *batch[i].job;
                if (error.empty())
                    job.predictions[batch[i].index] = std::move(predictions[i]);
                else if (job.error.empty())
                    job.error = error;
                if (++job.finished == job.texts.size())
                    finished.push_back(batch[i].job);
            }
        }
        for (const auto& job : finished) {
            if (job->error.empty())
                job->done(std::move(job->predictions), {});
            else
                job->done({}, job->error);
        }
    }
}

} // namespace fika::core
