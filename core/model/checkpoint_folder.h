// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <optional>
#include <string>

namespace fika::core {

// saveCheckpoint writes X as `.X.tmp-PID` beside it and may move a replaced X aside as `.X.old-PID`
// (a complete checkpoint); a save killed meanwhile leaves them behind.
struct CheckpointLeftover {
    std::string target; // X
    bool movedAside = false; // `.X.old-PID` rather than `.X.tmp-PID`
    long pid = 0;
};

// The leftover a folder name denotes; nullopt for every other name.
std::optional<CheckpointLeftover> parseCheckpointLeftover(const std::string& name);

// Whether the save that left a leftover may still be running: process `pid` exists (or cannot be
// signalled by us) and is not this one (no save of ours is in progress while another one starts).
bool leftoverOwnerRunning(long pid);

// Whether saveCheckpoint may replace `dir`: it does not exist, is empty, or is a checkpoint folder
// (config.json and model.safetensors) holding only files Fika writes into checkpoints and no
// subfolders. Anything else is refused, naming the first foreign entry: Fika never deletes what it
// did not write. (Torch-free, so that the UI can ask before exporting.)
Status checkCheckpointTarget(const std::string& dir);

// Whether an export may write into `dir`: not into a training checkpoint, one holding
// trainer_state.json, optimizer.pt, metrics.json or experiment.yaml (the error's field names it).
// checkCheckpointTarget accepts such a folder (the trainer replaces its own checkpoints), but an
// export written over it would lose that state. What interrupted saves of `dir` left beside it is
// dealt with first (as saveCheckpoint does), so that a training checkpoint moved aside is seen.
Status checkExportTarget(const std::string& dir);

// Writes the checkpoint at `source` into `out` as saveCheckpoint does (a folder that Hugging Face
// transformers loads as it is, with the checkpoint's labels and encoding), atomically. `out` must be
// new, empty or an earlier export: a training checkpoint (checkExportTarget), the source's own folder
// included, is refused.
Status exportCheckpoint(const std::string& source, const std::string& out);

} // namespace fika::core
