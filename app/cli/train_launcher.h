// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli train --nproc-per-node N [--nnodes M --node-rank R --master-addr HOST --master-port P]:
// starts this machine's workers as torchrun does, with RANK, WORLD_SIZE, LOCAL_RANK,
// LOCAL_WORLD_SIZE, MASTER_ADDR and MASTER_PORT set for each.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace fika::cli {

struct LaunchOptions {
    int processesPerNode = 1;
    int nodes = 1;
    int nodeRank = 0;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    bool launches() const { return processesPerNode > 1 || nodes > 1; }
};

// Runs `fika-cli <workerArgs...>` once per local rank and waits for all of them. Ctrl-C (or SIGTERM)
// is passed on as SIGINT, so the workers stop together at the next batch and leave a resumable
// `last`; a second one kills them (a worker waiting for a peer that hangs never gets there). A worker that dies is named; the others, which notice it themselves, get 60 s to stop
// before they are killed. Returns 0 when every worker finished, 130 when stopped, 1 otherwise.
int launchWorkers(const LaunchOptions& options, const std::vector<std::string>& workerArgs);

// Starts this fika-cli again as `fika-cli args...` with `environment` (NAME=value) added; its output
// goes to `logFile` when given. The child stops (SIGINT, as Ctrl-C) when this process dies.
// Returns its pid, or -1.
pid_t startFikaCli(const std::vector<std::string>& args, const std::vector<std::string>& environment,
                   const std::string& logFile = {});

} // namespace fika::cli
