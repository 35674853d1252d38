// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/atomic_file.h"
#include "common/result.h"

#include <string>
#include <vector>

namespace fika::cli {

// Whether a command may write the file its user named (init-config --out, dataset version --out,
// predict --explain-html): never over a folder or a device, pipe or socket; over an existing file
// (a symbolic link too, even a dangling one) only with --overwrite, so that a mistyped --out does
// not replace the dataset; never over one of the command's own inputs, even with --overwrite; and
// only into a folder that exists (a typo must not create folders elsewhere). Checked before the
// command's work, so that a refusal costs nothing; outputReplace() then keeps a file made meanwhile.
core::Status checkOutputFile(const std::string& path, bool overwrite, const std::vector<std::string>& inputs = {});

// How the command writes it: over an existing file only with --overwrite, checked again at the rename.
inline core::AtomicFile::Replace outputReplace(bool overwrite)
{
    return overwrite ? core::AtomicFile::Replace::Allowed : core::AtomicFile::Replace::Never;
}

} // namespace fika::cli
