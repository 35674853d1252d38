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
    char delimiter = 0; // 0: detected from the header line (comma, semicolon or tab)
};

// A CSV's header as the import dialog offers it: the columns, the delimiter, and guesses for the
// text column (the longest texts) and the label column (the fewest distinct values, at least two).
struct CsvColumns {
    std::vector<std::string> names;
    char delimiter = ',';
    std::string textGuess;
    std::string labelGuess;
};
Result<CsvColumns> inspectCsvColumns(const std::string& path, char delimiter = 0, int64_t sampleRows = 500);

// "comma", "semicolon", "tab" or the character itself (",", ";", "\t") → the delimiter.
Result<char> parseDelimiter(const std::string& name);
std::string delimiterName(char delimiter); // comma, semicolon, tab, or the character

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
// fields, and rows a quote left open swallowed, are an error naming their line: each value is one row's.
Result<std::vector<std::string>> readCsvColumn(const std::string& path, const std::string& column);

} // namespace fika::core
