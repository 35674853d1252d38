// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/job_context.h"
#include "common/result.h"
#include "data/dataset.h"

#include <string>

namespace fika::core {

struct FolderImportOptions {
    // For the aclImdb layout (<root>/{train,test}/<class>/*.txt): which split folder to read.
    std::string split = "train";
    std::string textFeature = "review";
    std::string targetFeature = "sentiment";
    OnRowProblem onProblem = OnRowProblem::Skip;
    size_t maxListedProblems = 1000;
};

// Imports one text file per example from one sub-folder per class (any names, e.g. pos/neg).
// Recognises the original aclImdb layout and reads its `split` folder; `unsup` (no labels) is skipped.
// Files are read in name order, so the result is the same on every machine.
Result<ImportResult> importFolder(const std::string& root, const FolderImportOptions& options = {},
                                  const JobContext& context = {});

} // namespace fika::core
