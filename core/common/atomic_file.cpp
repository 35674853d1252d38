// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/atomic_file.h"

#include "common/synced_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

namespace fika::core {

namespace {
// mkstemp's six letters and digits at the end of name, after prefix.
bool endsInRandomPart(const std::string& name, size_t prefixSize)
{
    return name.size() == prefixSize + 6 &&
           std::all_of(name.end() - 6, name.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
}

// The start of the temporary names AtomicFile gives a target of this file name.
std::string temporaryPrefix(const std::string& name)
{
    return name.size() > 200 ? ".fika-" : "." + name + ".tmp-";
}
} // namespace

bool isAtomicFileTemporary(const std::string& fileName)
{
    if (fileName.rfind(".fika-", 0) == 0)
        return endsInRandomPart(fileName, 6);
    const size_t tmp = fileName.rfind(".tmp-");
    return fileName.size() > 1 && fileName[0] == '.' && tmp != std::string::npos && tmp > 1 &&
           endsInRandomPart(fileName, tmp + 5);
}

uint64_t removeStaleTemporaries(const std::string& folder, const std::string& forTarget)
{
    // Stale means both: no lock (the writer is gone; flock locks end with their process, kill -9
    // included) and untouched for an hour. The lock alone would do on a local disk, but where locks
    // do not reach (a home folder shared over some network file systems, a Fika from before the lock)
    // only the age says; a live writer changes its file at every write, so an hour-old one is dead.
    constexpr auto kStaleTemporaryAge = std::chrono::hours(1);
    const std::string ownPrefix = forTarget.empty() ? std::string() : temporaryPrefix(forTarget);
    uint64_t freed = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder.empty() ? "." : folder, ec)) {
        const std::string name = entry.path().filename().string();
        const bool ours = ownPrefix.empty() ? isAtomicFileTemporary(name)
                                            : name.rfind(ownPrefix, 0) == 0 && endsInRandomPart(name, ownPrefix.size());
        if (!ours)
            continue;
        const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
            continue;
        struct stat info {};
        const bool unlocked = ::flock(fd, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK;
        if (unlocked && ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
            std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(info.st_mtime) > kStaleTemporaryAge &&
            ::unlink(entry.path().c_str()) == 0)
            freed += static_cast<uint64_t>(info.st_size);
        ::close(fd);
    }
    return freed;
}

AtomicFile::AtomicFile(std::string path) : m_path(std::move(path)) {}

AtomicFile::~AtomicFile()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        ::unlink(m_temporary.c_str());
    }
}

Status AtomicFile::open()
{
    const fs::path target(m_path);
    std::error_code ec;
    if (target.has_parent_path())
        fs::create_directories(target.parent_path(), ec);
    // ".name.tmp-XXXXXX" beside the target: the rename stays within one file system, and two
    // writers never share a temporary file.
    // A name near the file system's 255-byte limit gets a short one: ".fika-XXXXXX".
    const std::string name = target.filename().string();
    std::string pattern = (target.parent_path() / (temporaryPrefix(name) + "XXXXXX")).string();
    // What earlier writers of this file, killed on the way, left beside it goes first.
    removeStaleTemporaries(target.parent_path().string(), name);
    m_fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (m_fd < 0)
        return fileError(m_path, "cannot be written: no temporary file beside it", errno);
    // Held until the file is closed (or the process ends, however it ends): removeStaleTemporaries
    // leaves a locked file alone. A file system without locks still has the age test.
    ::flock(m_fd, LOCK_EX | LOCK_NB);
    // mkstemp makes 0600: keep the mode of the file being replaced, else make it as readable as any
    // file the user saves.
    struct stat existing {};
    ::fchmod(m_fd, ::stat(m_path.c_str(), &existing) == 0 ? (existing.st_mode & 07777) : 0644);
    m_temporary = pattern;
    return Ok{};
}

Status AtomicFile::write(const void* data, size_t size)
{
    if (m_fd < 0)
        return makeError(ErrorCode::IoError, m_path + ": not open for writing", m_path);
    if (!writeAll(m_fd, static_cast<const char*>(data), size))
        return fileError(m_path, "cannot be written", errno);
    return Ok{};
}

namespace {
// rename() that fails with EEXIST where the target exists, atomically: renameat2's RENAME_NOREPLACE,
// or on a file system without it a hard link (which fails on an existing name) and an unlink.
int renameNoReplace(const char* from, const char* to)
{
    if (::renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -1;
    if (::link(from, to) != 0)
        return -1;
    ::unlink(from);
    return 0;
}
} // namespace

Status AtomicFile::commit(Replace replace)
{
    if (m_fd < 0)
        return makeError(ErrorCode::IoError, m_path + ": not open for writing", m_path);
    const bool synced = ::fsync(m_fd) == 0;
    const int syncError = errno;
    const bool closed = ::close(m_fd) == 0;
    const int closeError = errno;
    m_fd = -1;
    if (!synced || !closed) {
        ::unlink(m_temporary.c_str());
        return fileError(m_path, "cannot be written", synced ? closeError : syncError);
    }
    const bool renamed = replace == Replace::Allowed ? ::rename(m_temporary.c_str(), m_path.c_str()) == 0
                                                     : renameNoReplace(m_temporary.c_str(), m_path.c_str()) == 0;
    if (!renamed) {
        const int error = errno;
        ::unlink(m_temporary.c_str());
        if (replace == Replace::Never && error == EEXIST)
            return makeError(ErrorCode::AlreadyExists, m_path + ": exists (it appeared while Fika was writing): nothing was replaced",
                             m_path);
        return fileError(m_path, "cannot be replaced", error);
    }
    const fs::path folder = fs::path(m_path).parent_path();
    return fsyncPath(folder.empty() ? "." : folder.string());
}

Status writeFileAtomically(const std::string& path, const std::string& content, AtomicFile::Replace replace)
{
    AtomicFile file(path);
    if (auto opened = file.open(); !opened)
        return opened;
    if (auto written = file.write(content); !written)
        return written;
    return file.commit(replace);
}

} // namespace fika::core
