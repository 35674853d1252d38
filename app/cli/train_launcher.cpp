// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/train_launcher.h"

#include "cli/commands.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <thread>

namespace fika::cli {
namespace {

using Clock = std::chrono::steady_clock;

// How long the other workers get to notice a dead one and stop on their own.
constexpr auto kStopGrace = std::chrono::seconds(60);

// Ctrl-C and SIGTERM received so far: the first stops the workers at their next batch, a second
// kills them (a worker waiting for a peer that hangs never reaches its next batch).
std::atomic<int> g_signals{0};

void countSignal(int)
{
    ++g_signals;
}

struct Worker {
    int rank = 0;
    pid_t pid = -1;
    bool running = false;
};

pid_t startWorker(const LaunchOptions& options, int localRank, const std::vector<std::string>& workerArgs)
{
    return startFikaCli(workerArgs, {"RANK=" + std::to_string(options.nodeRank * options.processesPerNode + localRank),
                                     "WORLD_SIZE=" + std::to_string(options.nodes * options.processesPerNode),
                                     "LOCAL_RANK=" + std::to_string(localRank),
                                     "LOCAL_WORLD_SIZE=" + std::to_string(options.processesPerNode),
                                     "MASTER_ADDR=" + options.masterAddr, "MASTER_PORT=" + std::to_string(options.masterPort)});
}

std::string describeExit(int status)
{
    if (WIFSIGNALED(status))
        return std::string("was killed by signal ") + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    return "exited with status " + std::to_string(WEXITSTATUS(status));
}

} // namespace

pid_t startFikaCli(const std::vector<std::string>& args, const std::vector<std::string>& environment, const std::string& logFile)
{
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid != 0)
        return pid;
    // A parent that dies (kill -9) takes its children along, stopping them as Ctrl-C would.
    prctl(PR_SET_PDEATHSIG, SIGINT);
    if (getppid() != parent)
        _exit(130);
    for (const auto& assignment : environment) {
        const size_t equals = assignment.find('=');
        setenv(assignment.substr(0, equals).c_str(), assignment.substr(equals + 1).c_str(), 1);
    }
    if (!logFile.empty() && (!std::freopen(logFile.c_str(), "w", stdout) || !std::freopen(logFile.c_str(), "a", stderr)))
        _exit(126);
    std::vector<char*> argv{const_cast<char*>("fika-cli")};
    for (const auto& arg : args)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
    std::cerr << "fika-cli: cannot start fika-cli again: " << std::strerror(errno) << "\n";
    _exit(127);
}

int launchWorkers(const LaunchOptions& options, const std::vector<std::string>& workerArgs)
{
    std::signal(SIGINT, countSignal);
    std::signal(SIGTERM, countSignal);
    std::vector<Worker> workers;
    const int firstRank = options.nodeRank * options.processesPerNode;
    for (int local = 0; local < options.processesPerNode; ++local) {
        const pid_t pid = startWorker(options, local, workerArgs);
        if (pid < 0) {
            std::cerr << "fika-cli: cannot start worker " << local << ": " << std::strerror(errno) << "\n";
            for (auto& w : workers)
                kill(w.pid, SIGINT);
            break;
        }
        workers.push_back({firstRank + local, pid, true});
    }
    std::cerr << "started " << workers.size() << " workers (ranks " << firstRank << "-" << firstRank + options.processesPerNode - 1
              << " of " << options.nodes * options.processesPerNode << "), rendezvous at " << options.masterAddr << ":"
              << options.masterPort << "\n";

    bool forwarded = false, killed = false, failed = false, stopped = false;
    auto killAt = Clock::time_point::max(); // set when a worker fails
    for (size_t running = workers.size(); running > 0;) {
        if (g_signals > 0 && !forwarded) {
            for (const auto& w : workers)
                if (w.running)
                    kill(w.pid, SIGINT);
            forwarded = stopped = true;
            std::cerr << "stopping: every worker finishes its batch, then rank 0 saves checkpoints/last; Ctrl-C again kills "
                         "them at once\n";
        }
        if (g_signals > 1 && !killed) {
            for (const auto& w : workers)
                if (w.running)
                    kill(w.pid, SIGKILL);
            killed = true;
            std::cerr << "killing the workers; checkpoints/last is the last one saved\n";
        }
        if (Clock::now() > killAt) {
            for (const auto& w : workers)
                if (w.running) {
                    std::cerr << "rank " << w.rank << " (pid " << w.pid << ") did not stop within "
                              << std::chrono::duration_cast<std::chrono::seconds>(kStopGrace).count() << " s; killing it\n";
                    kill(w.pid, SIGKILL);
                }
            killAt = Clock::time_point::max();
        }
        int status = 0;
        const pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        for (auto& w : workers) {
            if (w.pid != pid)
                continue;
            w.running = false;
            --running;
            // A worker that Ctrl-C reached before it could take it as a stop (during the rendezvous), or
            // that a second Ctrl-C killed, was stopped as asked.
            const bool stoppedBySignal = forwarded && WIFSIGNALED(status) &&
                                         (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM || (killed && WTERMSIG(status) == SIGKILL));
            const bool clean = stoppedBySignal || (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 130));
            if (stoppedBySignal || (WIFEXITED(status) && WEXITSTATUS(status) == 130))
                stopped = true;
            if (!clean) {
                std::cerr << "rank " << w.rank << " (pid " << w.pid << ") " << describeExit(status) << "\n";
                if (!failed)
                    killAt = Clock::now() + kStopGrace;
                failed = true;
            }
        }
    }
    return failed ? 1 : stopped ? 130 : 0;
}

} // namespace fika::cli
