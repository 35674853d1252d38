// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/column_inference.h"

#include "data/csv_reader.h"

#include <algorithm>
#include <unordered_set>

namespace fika::core {
namespace {
constexpr size_t kMaxTrackedValues = 100;
constexpr double kMaxCategoricalMeanChars = 40.0;
} // namespace

const char* columnKindName(ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Text: return "text";
    case ColumnKind::Categorical: return "categorical";
    case ColumnKind::None: break;
    }
    return "none";
}

Result<ColumnSummary> inferColumns(const std::string& path, int64_t maxRows, char delimiter)
{
    auto opened = CsvReader::openFile(path);
    if (!opened)
        return opened.error();
    CsvReader& reader = *opened.value();
    if (delimiter != 0)
        reader.setDelimiter(delimiter);
    CsvRecord record;
    auto got = reader.next(record);
    if (!got)
        return got.error();
    if (!got.value())
        return makeError(ErrorCode::EmptyFile, path + ": the file has no header row", path);

    ColumnSummary summary;
    summary.delimiter = reader.delimiter();
    const size_t columns = record.fields.size();
    for (const auto& name : record.fields)
        summary.columns.push_back({name});
    std::vector<std::unordered_set<std::string>> distinct(columns);
    std::vector<double> totalChars(columns, 0.0);

    while (summary.sampledRows < maxRows) {
        got = reader.next(record);
        if (!got)
            return got.error();
        if (!got.value())
            break;
        ++summary.sampledRows;
        for (size_t i = 0; i < std::min(columns, record.fields.size()); ++i) {
            const std::string& value = record.fields[i];
            if (value.empty()) {
                ++summary.columns[i].emptyValues;
                continue;
            }
            totalChars[i] += static_cast<double>(value.size());
            if (distinct[i].size() <= kMaxTrackedValues)
                distinct[i].insert(value);
        }
    }
    for (size_t i = 0; i < columns; ++i) {
        ColumnInfo& info = summary.columns[i];
        const int64_t filled = summary.sampledRows - info.emptyValues;
        info.distinctValues = static_cast<int64_t>(distinct[i].size());
        info.meanChars = filled > 0 ? totalChars[i] / static_cast<double>(filled) : 0.0;
        // Categorical: a bounded set of short values that repeat (at most half the rows are distinct).
        const bool fewValues = distinct[i].size() <= kMaxTrackedValues &&
                               (filled < 4 || info.distinctValues * 2 <= filled);
        info.kind = fewValues && info.meanChars <= kMaxCategoricalMeanChars ? ColumnKind::Categorical : ColumnKind::Text;
    }
    return summary;
}

} // namespace fika::core
