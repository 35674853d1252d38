// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/job_context.h"
#include "common/result.h"
#include "data/dataset.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fika::core {

struct CsvImportOptions {
    std::string textColumn = "review";
    std::string labelColumn = "sentiment";
    OnRowProblem onProblem = OnRowProblem::Skip;
    size_t maxListedProblems = 1000;
};

// Streams a CSV and hands every valid row to onRow without keeping it. Checks the header (missing or
// duplicate columns) and each row (column count, empty text, missing label, invalid UTF-8, NUL bytes).
// With OnRowProblem::Stop the first bad row ends the scan with an Error naming its line.
using CsvRowHandler = std::function<void(std::string&& text, const std::string& label, int64_t line)>;
Result<ImportReport> scanCsv(const std::string& path, const CsvImportOptions& options, const CsvRowHandler& onRow,
                             const JobContext& context = {});

// Reads a whole CSV into a Dataset. Needs at least one data row and two classes.
Result<ImportResult> importCsv(const std::string& path, const CsvImportOptions& options = {},
                               const JobContext& context = {});

// The values of one column, for texts without labels (prediction, benchmarks). Rows with too few
// fields are an error naming their line.
Result<std::vector<std::string>> readCsvColumn(const std::string& path, const std::string& column);

} // namespace fika::core
