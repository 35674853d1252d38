// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/warning.h"
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fika::core {

// Class names in id order. Ids are assigned in sorted name order, so they do not depend on row order.
struct LabelMap {
    std::vector<std::string> names;

    int32_t idOf(const std::string& name) const;  // -1 when unknown
    size_t size() const { return names.size(); }
    static LabelMap fromNames(std::vector<std::string> names); // sorts and removes duplicates
};

// A single-label text classification dataset held in memory.
struct Dataset {
    std::string textFeature;  // e.g. "review"
    std::string targetFeature; // e.g. "sentiment"
    std::vector<std::string> texts;
    std::vector<int32_t> labels;
    std::vector<int64_t> sourceLines; // CSV line or 0 for folder imports, for messages
    std::vector<std::string> sourceFiles; // folder imports: each text's file, relative to the class folders' parent
    LabelMap labelMap;

    size_t size() const { return texts.size(); }
    std::vector<int64_t> classCounts() const;
};

// One skipped row or file, with its place in the source.
struct RowProblem {
    int64_t line = 0;   // 1-based CSV line, 0 for folder imports
    std::string where;  // file path (folder imports) or column name
    std::string message; // full message, location included
};

enum class OnRowProblem { None = 0, Skip, Stop };

struct ImportReport {
    int64_t rowsRead = 0;
    int64_t rowsImported = 0;
    int64_t invalidRows = 0;
    std::vector<RowProblem> problems;     // the first maxListedProblems of them
    std::vector<Warning> warnings;        // e.g. an encoding conversion
    std::map<std::string, int64_t> classCounts;
    char delimiter = ',';                 // the field separator read (detected or given)
};

struct ImportResult {
    Dataset dataset;
    ImportReport report;
};

// Balance as the ratio of the smallest to the largest class (1 = perfectly balanced).
double classBalance(const std::vector<int64_t>& counts);

} // namespace fika::core
