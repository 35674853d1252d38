// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace fika::ui {

// Time left of a training run, from its progress events as they arrive. The pace is the training
// time measured so far divided by the steps it took (not the last window's, which jumps with the
// lengths of the batches in it), and every validation still to come adds the last one's duration.
class EtaEstimator {
public:
    // A step event at `seconds` on a monotonic clock.
    void stepReached(int64_t step, int64_t totalSteps, int64_t epochs, double seconds);
    // Validation after `epoch` (1-based): `done` of `total` examples.
    void validating(int64_t epoch, int64_t done, int64_t total, double seconds);
    void epochEnded(int64_t epoch, double seconds);

    double secondsPerStep() const; // 0 until two events measured it
    double validationSeconds() const { return m_validationSeconds; } // the last whole validation's, or 0
    int64_t stepsPerEpoch() const;
    // Seconds left after the latest event; `fallback` (the trainer's own guess from its last
    // window) stands for the training steps until a pace is measured.
    double secondsLeft(double fallback) const;

private:
    int64_t m_totalSteps = 0;
    int64_t m_epochs = 0;
    int64_t m_lastStep = -1; // -1: no reference point yet (a fresh or resumed run)
    double m_lastSeconds = 0;
    double m_trainingSeconds = 0;
    int64_t m_trainingSteps = 0;
    int64_t m_validatingEpoch = 0; // 0: training
    double m_validationStart = 0;
    double m_validationFraction = 0;
    double m_validationSeconds = 0;
    int64_t m_endedEpoch = 0; // the last epoch whose validation ended
};

// Lets progress events through at most once per interval, and always the first and last of a
// series, so that a fast loop cannot flood the UI thread.
class ProgressThrottle {
public:
    explicit ProgressThrottle(double intervalSeconds) : m_interval(intervalSeconds) {}
    bool pass(double seconds, bool always);

private:
    double m_interval;
    double m_last = -1e300;
};

} // namespace fika::ui
