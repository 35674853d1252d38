// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <optional>
#include <string>
#include <vector>

namespace fika::core {

// An exclusive lock on a run folder (flock on <runDir>/train.lock, which holds the owner's PID), so
// that two runs never write into one folder. The kernel drops it when its process ends, so a lock
// left by a killed run is free again: stale locks need no cleanup.
class RunFolderLock {
public:
    static Result<RunFolderLock> acquire(const std::string& runDir);

    RunFolderLock(RunFolderLock&& other) noexcept;
    RunFolderLock& operator=(RunFolderLock&& other) noexcept;
    RunFolderLock(const RunFolderLock&) = delete;
    RunFolderLock& operator=(const RunFolderLock&) = delete;
    ~RunFolderLock();

private:
    RunFolderLock() = default;
    int m_fd = -1;
};

// Describes what an earlier run left in runDir ("checkpoints/last, metrics.jsonl"); empty when
// nothing (a fresh run may then start there without replacing anything).
std::string earlierRunIn(const std::string& runDir);

// Removes an earlier run's checkpoint folders (epoch-N, best, last and their temporary copies) so
// that a new run starts clean; other files in checkpoints/ are left alone.
Status clearCheckpoints(const std::string& checkpointsDir);

// saveCheckpoint swaps `.X.tmp-PID` into X and moves a replaced X aside as `.X.old-PID`. A run
// killed meanwhile leaves those behind: a `.X.old-PID` whose X is missing is the last committed
// copy and is renamed back to X; every other leftover of a process that is no longer running is
// removed. Returns one message per action.
std::vector<std::string> recoverCheckpointLeftovers(const std::string& checkpointsDir);

// The newest checkpoints/epoch-N that is complete enough to resume from (weights and a readable
// trainer_state.json; optimizer.pt when `last` was never written after it), or nullopt.
std::optional<std::string> latestResumableEpoch(const std::string& checkpointsDir);

} // namespace fika::core
