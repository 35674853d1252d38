// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <string>

namespace fika::core {

// Whether saveCheckpoint may replace `dir`: it does not exist, is empty, or is a checkpoint folder
// (config.json and model.safetensors) holding only files Fika writes into checkpoints and no
// subfolders. Anything else is refused, naming the first foreign entry: Fika never deletes what it
// did not write. (Torch-free, so that the UI can ask before exporting.)
Status checkCheckpointTarget(const std::string& dir);

} // namespace fika::core
