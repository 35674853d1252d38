// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/run_folder.h"

#include "model/checkpoint_folder.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace fika::core {
namespace {

// A checkpoint folder the trainer names: epoch-N, best or last.
bool isCheckpointName(const std::string& name)
{
    if (name == "best" || name == "last")
        return true;
    return name.size() > 6 && name.size() <= 15 && name.starts_with("epoch-") &&
           name.find_first_not_of("0123456789", 6) == std::string::npos;
}

// Splits a trainer checkpoint's ".X.tmp-PID" / ".X.old-PID" into X, kind ("tmp" or "old") and PID;
// false for other names.
bool parseLeftover(const std::string& name, std::string& target, std::string& kind, pid_t& pid)
{
    const auto leftover = parseCheckpointLeftover(name);
    if (!leftover || !isCheckpointName(leftover->target))
        return false;
    target = leftover->target;
    kind = leftover->movedAside ? "old" : "tmp";
    pid = static_cast<pid_t>(leftover->pid);
    return true;
}

} // namespace

Result<RunFolderLock> RunFolderLock::acquire(const std::string& runDir)
{
    const std::string path = (fs::path(runDir) / "train.lock").string();
    RunFolderLock lock;
    lock.m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock.m_fd < 0)
        return makeError(errorCodeForErrno(errno), path + ": cannot be created (" + std::strerror(errno) + ")", path);
    if (::flock(lock.m_fd, LOCK_EX | LOCK_NB) != 0) {
        char owner[32] = {};
        const ssize_t n = ::pread(lock.m_fd, owner, sizeof owner - 1, 0);
        std::string pid = n > 0 ? std::string(owner, static_cast<size_t>(n)) : std::string("unknown");
        pid = pid.substr(0, pid.find_first_of("\n "));
        return makeError(ErrorCode::IoError,
                         runDir + ": another training run (process " + pid +
                             ") is writing to this folder; wait for it or stop it, or set another output.dir",
                         runDir, 0, -1, "output.dir");
    }
    const std::string pid = std::to_string(getpid()) + "\n";
    if (::ftruncate(lock.m_fd, 0) != 0 || ::pwrite(lock.m_fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
        return makeError(errorCodeForErrno(errno), path + ": cannot be written (" + std::strerror(errno) + ")", path);
    return lock;
}

RunFolderLock::RunFolderLock(RunFolderLock&& other) noexcept : m_fd(other.m_fd)
{
    other.m_fd = -1;
}

RunFolderLock& RunFolderLock::operator=(RunFolderLock&& other) noexcept
{
    std::swap(m_fd, other.m_fd);
    return *this;
}

RunFolderLock::~RunFolderLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // releases the flock; the file stays, so that no second inode can be locked meanwhile
}

std::string earlierRunIn(const std::string& runDir)
{
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::path(runDir) / "checkpoints", ec))
        if (isCheckpointName(entry.path().filename().string()))
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    std::string found;
    for (const auto& name : names)
        found += (found.empty() ? "checkpoints/" : ", checkpoints/") + name;
    const fs::path metrics = fs::path(runDir) / "metrics.jsonl";
    if (fs::is_regular_file(metrics, ec) && fs::file_size(metrics, ec) > 0 && !ec)
        found += found.empty() ? "metrics.jsonl" : ", metrics.jsonl";
    return found;
}

Status clearCheckpoints(const std::string& checkpointsDir)
{
    std::error_code ec;
    std::vector<fs::path> doomed;
    for (const auto& entry : fs::directory_iterator(checkpointsDir, ec)) {
        const std::string name = entry.path().filename().string();
        std::string target, kind;
        pid_t pid = 0;
        if (isCheckpointName(name) || parseLeftover(name, target, kind, pid))
            doomed.push_back(entry.path());
    }
    for (const auto& path : doomed) {
        fs::remove_all(path, ec);
        if (ec)
            return makeError(errorCodeForErrno(ec.value()), path.string() + ": cannot be removed (" + ec.message() + ")", path.string());
    }
    return Ok{};
}

std::vector<std::string> recoverCheckpointLeftovers(const std::string& checkpointsDir)
{
    std::vector<std::string> messages;
    std::vector<std::pair<fs::path, std::string>> leftovers; // path, target
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(checkpointsDir, ec)) {
        std::string target, kind;
        pid_t pid = 0;
        if (parseLeftover(entry.path().filename().string(), target, kind, pid) && !leftoverOwnerRunning(pid))
            leftovers.emplace_back(entry.path(), kind == "old" ? target : std::string());
    }
    const fs::path dir(checkpointsDir);
    // First restore: a moved-aside copy was complete when it was committed.
    for (auto& [path, target] : leftovers) {
        if (target.empty() || fs::exists(dir / target, ec))
            continue;
        fs::rename(path, dir / target, ec);
        if (!ec) {
            messages.push_back("restored checkpoints/" + target + " from " + path.filename().string() +
                               ", left by a run that was interrupted while replacing it");
            path.clear();
        }
    }
    for (const auto& [path, target] : leftovers) {
        if (path.empty())
            continue;
        fs::remove_all(path, ec);
        messages.push_back(ec ? "warning: " + path.string() + " cannot be removed (" + ec.message() + ")"
                              : "removed " + path.filename().string() + ", left by an interrupted run");
    }
    return messages;
}

std::optional<std::string> latestResumableEpoch(const std::string& checkpointsDir)
{
    std::optional<std::string> best;
    long bestEpoch = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(checkpointsDir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with("epoch-") || !isCheckpointName(name))
            continue;
        const long epoch = std::stol(name.substr(6));
        if (epoch <= bestEpoch)
            continue;
        const fs::path& folder = entry.path();
        bool complete = true;
        for (const char* file : {"config.json", "model.safetensors", "trainer_state.json"}) // optimizer.pt: see loadResumeState
            complete = complete && fs::is_regular_file(folder / file, ec);
        if (!complete)
            continue;
        std::ifstream in(folder / "trainer_state.json");
        if (nlohmann::json::parse(in, nullptr, false).is_discarded())
            continue;
        bestEpoch = epoch;
        best = folder.string();
    }
    return best;
}

} // namespace fika::core
