// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <string>
#include <vector>

namespace fika::core {

enum class ColumnKind { None = 0, Text, Categorical };

struct ColumnInfo {
    std::string name;
    ColumnKind kind = ColumnKind::None;
    int64_t distinctValues = 0; // among the sampled rows, capped at kMaxTrackedValues + 1
    double meanChars = 0.0;     // mean length in bytes of the non-empty values
    int64_t emptyValues = 0;
};

struct ColumnSummary {
    std::vector<ColumnInfo> columns;
    int64_t sampledRows = 0;
    char delimiter = ','; // as given, or as detected from the header line
};

// Reads the header and up to maxRows rows and guesses each column's kind: few distinct short
// values make a categorical column (a target), anything else is text (an input). delimiter 0: detect.
Result<ColumnSummary> inferColumns(const std::string& path, int64_t maxRows = 5000, char delimiter = 0);

const char* columnKindName(ColumnKind kind);

} // namespace fika::core
