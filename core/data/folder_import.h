// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/job_context.h"
#include "common/result.h"
#include "data/dataset.h"

#include <string>
#include <utility>
#include <vector>

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

// The .txt files importFolder reads, in the order it reads them (class folders, then names), with
// the class folders found as it finds them: what a dataset version hashes.
struct FolderFiles {
    std::string root;                 // the folder holding the class folders (root/split for aclImdb)
    std::vector<std::string> classes; // class folder names, sorted
    std::vector<std::pair<std::string, int32_t>> files; // path, index into classes
};
Result<FolderFiles> listFolderFiles(const std::string& root, const FolderImportOptions& options = {});

// A split folder of the aclImdb layout (<root>/<split>/<class>/*.txt) and how many .txt files its
// class folders hold.
struct SplitFolder {
    std::string name;
    int64_t fileCount = 0;
};
// The split folders under root, by name (aclImdb: test, train); none when root holds class folders
// itself, since importFolder then reads those whatever `split` says.
std::vector<SplitFolder> listSplitFolders(const std::string& root);

} // namespace fika::core
