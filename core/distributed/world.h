// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <cstdint>
#include <functional>
#include <string>

namespace fika::core {

// Where this process stands in a data-parallel run, as torchrun describes it to its workers.
struct WorldInfo {
    int rank = 0;           // 0 .. worldSize-1; rank 0 writes checkpoints, metrics and progress
    int worldSize = 1;
    int localRank = 0;      // on this machine; the GPU a CUDA worker takes
    int localWorldSize = 1; // workers on this machine (they share its cores)
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500; // rank 0's rendezvous store (c10d::TCPStore)
    bool distributed() const { return worldSize > 1; }
};

using EnvironmentReader = std::function<const char*(const char* name)>;

// The run's world from the environment: torchrun's RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE,
// MASTER_ADDR and MASTER_PORT, or, without RANK, Slurm's SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID and
// SLURM_NTASKS_PER_NODE (srun then needs MASTER_ADDR set to the first node). Neither: one process.
// MASTER_ADDR defaults to 127.0.0.1, and is required when the local world size says other machines take part.
// A value that is not a number, or out of range, is an error naming the variable.
Result<WorldInfo> worldFromEnvironment(const EnvironmentReader& getenv);

// training.batch_size is the global batch: each of `workers` takes an equal share, so it must divide.
// The error names the key and the nearest multiples. Checked by the launcher before it starts the
// workers (one message, not one per worker) and by each worker.
Status checkGlobalBatch(int64_t batchSize, int64_t workers);

} // namespace fika::core
