// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <string>

namespace fika::core {

// Writes all `size` bytes to `fd`, retrying short writes and EINTR; false with errno set otherwise.
bool writeAll(int fd, const char* data, size_t size);
// "<path>: <what> (<strerror(error)>)" naming the file, with the code errno calls for (DiskFull, …).
Error fileError(const std::string& path, const char* what, int error);

// Writes `content` to `path` (created or truncated), checks every write and fsyncs it, so that a
// full disk or an I/O error is an error naming the file, never a silently short file.
Status writeFileSynced(const std::string& path, const std::string& content);

// fsyncs a file or folder (a folder: so that renames and new entries in it survive a crash).
Status fsyncPath(const std::string& path);

// Appends lines to a log file with checked writes (no buffering hides a full disk); failures are
// returned by append(), the file stays open for the next try.
class AppendFile {
public:
    AppendFile() = default;
    ~AppendFile();
    AppendFile(const AppendFile&) = delete;
    AppendFile& operator=(const AppendFile&) = delete;

    // truncate: start the file anew instead of appending to it.
    Status open(const std::string& path, bool truncate);
    Status append(const std::string& text);

private:
    int m_fd = -1;
    std::string m_path;
};

} // namespace fika::core
