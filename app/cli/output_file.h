// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <string>

namespace fika::cli {

// Whether a command may write the file its user named (init-config --out, dataset version --out,
// predict --explain-html): never over a folder, over an existing file only with --overwrite (a
// mistyped --out must not replace the dataset), and only into a folder that exists (a typo must not
// create folders elsewhere). Checked before the command's work, so that a refusal costs nothing.
core::Status checkOutputFile(const std::string& path, bool overwrite);

} // namespace fika::cli
