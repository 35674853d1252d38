// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/job_context.h"
#include "common/result.h"

#include <string>
#include <vector>

namespace fika::core {

struct DownloadReport {
    std::string sha256;
    int64_t bytes = 0;
    int64_t resumedFrom = 0; // bytes already on disk from an interrupted download
};

struct DownloadOptions {
    std::string expectedSha256;   // checked when given; else the hub's ETag when it is a SHA-256
    long connectTimeoutSeconds = 20;
    const JobContext* context = nullptr; // progress (bytes) and stop
};

// Downloads url to file through file + ".part": an existing .part is resumed with a Range
// request carrying the first attempt's ETag (else Last-Modified, kept in file + ".part.etag") as
// If-Range, so a file changed on the server comes whole; a .part with neither is resumed only when
// expectedSha256 is given. The file appears only complete and verified. 404 is ErrorCode::FileNotFound.
Result<DownloadReport> downloadFile(const std::string& url, const std::string& file, const DownloadOptions& options = {});

// Extracts a .tar.gz (or any archive libarchive reads) into dir; entries that would land outside
// it (absolute paths, "..", hard links and symlinks pointing out of it) are refused.
Status extractArchive(const std::string& archive, const std::string& dir, const JobContext* context = nullptr);

} // namespace fika::core
