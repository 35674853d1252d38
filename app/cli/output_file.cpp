// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/output_file.h"

#include <filesystem>

namespace fika::cli {

core::Status checkOutputFile(const std::string& path, bool overwrite, const std::vector<std::string>& inputs)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (path.empty())
        return core::makeError(core::ErrorCode::InvalidArgument, "an output file needs a name");
    const fs::path target(path);
    const auto status = fs::status(target, ec);        // what a link points to
    const auto entry = fs::symlink_status(target, ec); // the name itself: a dangling link is there too
    if (fs::is_directory(status))
        return core::makeError(core::ErrorCode::NotAFile, path + ": is a folder: give a file name", path);
    if (fs::exists(entry) && !fs::is_symlink(entry) && !fs::is_regular_file(entry))
        return core::makeError(core::ErrorCode::NotAFile, path + ": is not a regular file (a device, pipe or socket): give a file name",
                               path);
    for (const auto& input : inputs)
        if (!input.empty() && fs::exists(status) && fs::equivalent(target, input, ec))
            return core::makeError(core::ErrorCode::AlreadyExists,
                                   path + ": is this command's input (" + input + "): choose another file to write", path);
    if (fs::exists(entry) && !overwrite)
        return core::makeError(core::ErrorCode::AlreadyExists,
                               path + ": exists: give --overwrite to replace it, or choose another name", path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(folder, ec))
        return core::makeError(fs::exists(folder, ec) ? core::ErrorCode::NotAFolder : core::ErrorCode::FileNotFound,
                               folder.string() + ": no such folder (create it first)", folder.string());
    return core::Ok{};
}

} // namespace fika::cli
