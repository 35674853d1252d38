// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/output_file.h"

#include <filesystem>

namespace fika::cli {

core::Status checkOutputFile(const std::string& path, bool overwrite)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path target(path);
    const auto status = fs::status(target, ec);
    if (fs::is_directory(status))
        return core::makeError(core::ErrorCode::NotAFile, path + ": is a folder: give a file name", path);
    if (fs::exists(status) && !overwrite)
        return core::makeError(core::ErrorCode::AlreadyExists,
                               path + ": exists: give --overwrite to replace it, or choose another name", path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(folder, ec))
        return core::makeError(fs::exists(folder, ec) ? core::ErrorCode::NotAFolder : core::ErrorCode::FileNotFound,
                               folder.string() + ": no such folder (create it first)", folder.string());
    return core::Ok{};
}

} // namespace fika::cli
