// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/run_progress.h"

#include <algorithm>

namespace fika::ui {

int64_t EtaEstimator::stepsPerEpoch() const
{
    return m_epochs > 0 ? std::max<int64_t>(1, m_totalSteps / m_epochs) : std::max<int64_t>(1, m_totalSteps);
}

void EtaEstimator::stepReached(int64_t step, int64_t totalSteps, int64_t epochs, double seconds)
{
    m_totalSteps = totalSteps;
    m_epochs = epochs;
    m_validatingEpoch = 0;
    if (m_lastStep >= 0 && step > m_lastStep) {
        m_trainingSeconds += seconds - m_lastSeconds;
        m_trainingSteps += step - m_lastStep;
    }
    m_lastStep = step;
    m_lastSeconds = seconds;
}

void EtaEstimator::validating(int64_t epoch, int64_t done, int64_t total, double seconds)
{
    if (m_validatingEpoch != epoch) {
        // The epoch's last steps ran since the last step event; validation time is not step time.
        const int64_t epochEnd = epoch * stepsPerEpoch();
        if (m_lastStep >= 0 && epochEnd > m_lastStep && m_totalSteps > 0) {
            m_trainingSeconds += seconds - m_lastSeconds;
            m_trainingSteps += epochEnd - m_lastStep;
        }
        m_lastStep = m_totalSteps > 0 ? epochEnd : -1;
        m_validatingEpoch = epoch;
        m_validationStart = seconds;
    }
    m_validationFraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0;
    m_lastSeconds = seconds;
}

void EtaEstimator::epochEnded(int64_t epoch, double seconds)
{
    if (m_validatingEpoch == epoch)
        m_validationSeconds = seconds - m_validationStart;
    m_validatingEpoch = 0;
    m_endedEpoch = epoch;
    m_lastSeconds = seconds; // the next steps are measured from here
}

double EtaEstimator::secondsPerStep() const
{
    return m_trainingSteps > 0 ? m_trainingSeconds / static_cast<double>(m_trainingSteps) : 0;
}

double EtaEstimator::secondsLeft(double fallback) const
{
    const int64_t spe = stepsPerEpoch();
    const int64_t done = std::max<int64_t>(0, m_lastStep);
    const double pace = secondsPerStep();
    double left = m_totalSteps <= done ? 0 : pace > 0 ? static_cast<double>(m_totalSteps - done) * pace : fallback;
    if (m_validatingEpoch > 0) {
        // This validation's remainder: from its own pace until one whole validation was timed.
        const double elapsed = m_lastSeconds - m_validationStart;
        const double whole = m_validationSeconds > 0      ? m_validationSeconds
                             : m_validationFraction > 0 ? elapsed / m_validationFraction
                                                        : 0;
        left += std::max(0.0, whole - elapsed);
        left += static_cast<double>(std::max<int64_t>(0, m_epochs - m_validatingEpoch)) * whole;
    } else if (m_epochs > 0) {
        const int64_t epoch = done == 0 ? 1 : (done + spe - 1) / spe; // the epoch these steps belong to
        const int64_t validated = std::max(epoch - 1, m_endedEpoch);
        left += static_cast<double>(std::max<int64_t>(0, m_epochs - validated)) * m_validationSeconds;
    }
    return left;
}

bool ProgressThrottle::pass(double seconds, bool always)
{
    if (!always && seconds - m_last < m_interval)
        return false;
    m_last = seconds;
    return true;
}

} // namespace fika::ui
