// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/synced_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fika::core {

Error fileError(const std::string& path, const char* what, int error)
{
    return makeError(errorCodeForErrno(error), path + ": " + what + " (" + std::strerror(error) + ")", path);
}

bool writeAll(int fd, const char* data, size_t size)
{
    while (size > 0) {
        const ssize_t written = ::write(fd, data, size);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0) {
            if (written == 0)
                errno = EIO;
            return false;
        }
        data += written;
        size -= static_cast<size_t>(written);
    }
    return true;
}

Status writeFileSynced(const std::string& path, const std::string& content)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return fileError(path, "cannot be created", errno);
    if (!writeAll(fd, content.data(), content.size()) || ::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        return fileError(path, "cannot be written", error);
    }
    if (::close(fd) != 0)
        return fileError(path, "cannot be written", errno);
    return Ok{};
}

Status fsyncPath(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fileError(path, "cannot be opened to sync it", errno);
    // Some file systems cannot sync a folder (EINVAL); their renames are as durable as they get.
    const bool ok = ::fsync(fd) == 0 || errno == EINVAL;
    const int error = errno;
    ::close(fd);
    if (!ok)
        return fileError(path, "cannot be synced to disk", error);
    return Ok{};
}

AppendFile::~AppendFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Status AppendFile::open(const std::string& path, bool truncate)
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_path = path;
    m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0), 0644);
    if (m_fd < 0)
        return fileError(path, "cannot be opened for writing", errno);
    return Ok{};
}

Status AppendFile::append(const std::string& text)
{
    if (m_fd < 0)
        return makeError(ErrorCode::IoError, m_path + ": not open", m_path);
    const off_t before = ::lseek(m_fd, 0, SEEK_END);
    if (!writeAll(m_fd, text.data(), text.size())) {
        const int error = errno;
        // Cut a partly written line off, so that the file stays readable line by line.
        if (before >= 0) {
            [[maybe_unused]] const int cut = ::ftruncate(m_fd, before);
        }
        return fileError(m_path, "cannot be written", error);
    }
    return Ok{};
}

} // namespace fika::core
