// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/csv_import.h"

#include "common/utf8.h"
#include "data/column_inference.h"
#include "data/csv_reader.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>

namespace fika::core {
namespace {

constexpr size_t kMaxGuessedClasses = 50; // more distinct values than this is not a label column

bool isBlank(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

// The names quoted for a message; long names and long lists are shortened (a file without line
// breaks is one header name of the file's size).
std::string joined(const std::vector<std::string>& names)
{
    constexpr size_t kMaxNames = 20;
    constexpr size_t kMaxNameBytes = 60;
    std::string out;
    for (size_t i = 0; i < names.size() && i < kMaxNames; ++i) {
        std::string name = names[i];
        if (name.size() > kMaxNameBytes) {
            size_t cut = kMaxNameBytes;
            while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) // not inside a character
                --cut;
            name = name.substr(0, cut) + "…";
        }
        out += (out.empty() ? "" : ", ") + ("'" + name + "'");
    }
    if (names.size() > kMaxNames)
        out += " and " + std::to_string(names.size() - kMaxNames) + " more";
    return out;
}

// Column index by name, or an Error for a missing column.
// `line`: the header's (blank lines may come before it).
Result<size_t> columnIndex(const std::vector<std::string>& header, const std::string& name, const std::string& file,
                           int64_t line)
{
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end())
        return makeError(ErrorCode::MissingColumn,
                         file + ": line " + std::to_string(line) + ": no column named '" + name + "'; the header has " +
                             joined(header),
                         file, line, -1, name);
    return static_cast<size_t>(it - header.begin());
}

// The problem with one field, or an empty string.
std::string fieldProblem(const std::string& value, int64_t recordOffset, const std::string& column)
{
    if (value.find('\0') != std::string::npos)
        return "column '" + column + "' contains a NUL byte (binary data?)";
    const size_t bad = utf8::findInvalid(value);
    if (bad != std::string::npos)
        return "column '" + column + "' has invalid UTF-8 near byte offset " + std::to_string(recordOffset);
    return {};
}

// Labels that differ only in letter case ('Positive', 'positive') become separate classes, which is
// almost never meant: one warning naming each such group with its row counts.
std::optional<Warning> caseVariantsWarning(const std::map<std::string, int64_t>& classCounts, const std::string& path,
                                           const std::string& column)
{
    std::map<std::string, std::vector<std::string>> byLowercase;
    for (const auto& [name, count] : classCounts) {
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        byLowercase[lower].push_back(name);
    }
    std::string groups;
    for (const auto& [lower, names] : byLowercase) {
        if (names.size() < 2)
            continue;
        std::string group;
        for (const auto& name : names)
        {
            const int64_t rows = classCounts.at(name);
            group += (group.empty() ? "" : " and ") +
                     ("'" + name + "' (" + std::to_string(rows) + (rows == 1 ? " row)" : " rows)"));
        }
        groups += (groups.empty() ? "" : "; ") + group;
    }
    if (groups.empty())
        return std::nullopt;
    return Warning{WarningCode::LabelsDifferInCase,
                   path + ": column '" + column + "' has labels that differ only in letter case: " + groups +
                       "; each is a class of its own, so write them alike if they mean the same",
                   path, column};
}

} // namespace

Result<ImportReport> scanCsv(const std::string& path, const CsvImportOptions& options, const CsvRowHandler& onRow,
                             const JobContext& context)
{
    auto opened = CsvReader::openFile(path);
    if (!opened)
        return opened.error();
    CsvReader& reader = *opened.value();
    if (options.delimiter != 0)
        reader.setDelimiter(options.delimiter);

    ImportReport report;
    report.delimiter = reader.delimiter();

    CsvRecord record;
    auto got = reader.next(record);
    if (!got)
        return got.error();
    if (!got.value())
        return makeError(ErrorCode::EmptyFile, path + ": the file has no header row", path);
    std::vector<std::string> header = record.fields;
    for (auto& name : header)
        name = trimmed(name);
    std::unordered_map<std::string, size_t> seen;
    for (size_t i = 0; i < header.size(); ++i) {
        const auto [it, fresh] = seen.emplace(header[i], i);
        if (!fresh)
            return makeError(ErrorCode::DuplicateColumn,
                             path + ": line " + std::to_string(record.line) + ": columns " + std::to_string(it->second + 1) +
                                 " and " + std::to_string(i + 1) + " are both named '" + header[i] + "'; rename one of them",
                             path, record.line, -1, header[i]);
    }
    auto textIndex = columnIndex(header, options.textColumn, path, record.line);
    if (!textIndex)
        return textIndex.error();
    auto labelIndex = columnIndex(header, options.labelColumn, path, record.line);
    if (!labelIndex)
        return labelIndex.error();
    if (textIndex.value() == labelIndex.value())
        return makeError(ErrorCode::InvalidArgument, "the text and the label must be different columns", path, record.line, -1,
                         options.textColumn);

    auto addProblem = [&](int64_t line, const std::string& what) -> Status {
        ++report.invalidRows;
        const std::string message = path + ": line " + std::to_string(line) + ": " + what;
        if (options.onProblem == OnRowProblem::Stop)
            return makeError(ErrorCode::Csv, message + " (import stopped)", path, line);
        if (report.problems.size() < options.maxListedProblems)
            report.problems.push_back({line, path, message});
        return Ok{};
    };

    for (;;) {
        if (context.shouldStop())
            return makeError(ErrorCode::Cancelled, path + ": import cancelled", path);
        got = reader.next(record);
        if (!got)
            return got.error();
        if (!got.value())
            break;
        ++report.rowsRead;
        if ((report.rowsRead & 1023) == 0)
            context.report(reader.bytesConsumed(), reader.totalBytes());

        std::string problem = record.problem;
        if (!problem.empty()) {
            // The rows it swallowed are lost either way; importing it would add one wrong row.
        } else if (record.fields.size() != header.size()) {
            problem = "expected " + std::to_string(header.size()) + " fields as in the header, found " +
                      std::to_string(record.fields.size());
        } else {
            std::string& text = record.fields[textIndex.value()];
            const std::string label = trimmed(record.fields[labelIndex.value()]);
            problem = fieldProblem(text, record.byteOffset, options.textColumn);
            if (problem.empty())
                problem = fieldProblem(label, record.byteOffset, options.labelColumn);
            if (problem.empty() && isBlank(text))
                problem = "empty text in column '" + options.textColumn + "'";
            if (problem.empty() && label.empty())
                problem = "missing label in column '" + options.labelColumn + "'";
            if (problem.empty()) {
                ++report.rowsImported;
                ++report.classCounts[label];
                onRow(std::move(text), label, record.line);
                continue;
            }
        }
        if (auto status = addProblem(record.line, problem); !status)
            return status.error();
    }
    context.report(reader.totalBytes(), reader.totalBytes());
    if (!reader.warning().empty()) // after the rows: a file may turn out to be Latin-1 past its first 64 KiB
        report.warnings.insert(report.warnings.begin(), {WarningCode::TextConverted, reader.warning(), path, {}});
    return report;
}

Result<ImportResult> importCsv(const std::string& path, const CsvImportOptions& options, const JobContext& context)
{
    ImportResult result;
    std::vector<std::string> labelNames;
    auto scanned = scanCsv(
        path, options,
        [&](std::string&& text, const std::string& label, int64_t line) {
            result.dataset.texts.push_back(std::move(text));
            labelNames.push_back(label);
            result.dataset.sourceLines.push_back(line);
        },
        context);
    if (!scanned)
        return scanned.error();
    result.report = std::move(scanned.value());
    if (result.report.rowsImported == 0)
        return makeError(ErrorCode::NoData,
                         path + ": no usable data rows after the header (" + std::to_string(result.report.invalidRows) +
                             " rows with problems)",
                         path);
    if (result.report.classCounts.size() < 2)
        return makeError(ErrorCode::TooFewClasses,
                         path + ": column '" + options.labelColumn + "' has only one class ('" +
                             result.report.classCounts.begin()->first + "'); a classifier needs at least two",
                         path, 0, -1, options.labelColumn);

    if (auto warning = caseVariantsWarning(result.report.classCounts, path, options.labelColumn))
        result.report.warnings.push_back(std::move(*warning));

    Dataset& dataset = result.dataset;
    dataset.textFeature = options.textColumn;
    dataset.targetFeature = options.labelColumn;
    std::vector<std::string> names;
    for (const auto& entry : result.report.classCounts)
        names.push_back(entry.first);
    dataset.labelMap = LabelMap::fromNames(std::move(names));
    dataset.labels.reserve(labelNames.size());
    for (const auto& name : labelNames)
        dataset.labels.push_back(dataset.labelMap.idOf(name));
    return result;
}

Result<CsvColumns> inspectCsvColumns(const std::string& path, char delimiter, int64_t sampleRows)
{
    auto summary = inferColumns(path, sampleRows, delimiter);
    if (!summary)
        return summary.error();
    const auto& info = summary->columns;
    CsvColumns columns;
    columns.delimiter = summary->delimiter;
    for (const auto& column : info)
        columns.names.push_back(trimmed(column.name));
    // The text: the column with the most characters in the sampled rows.
    auto totalChars = [&](const ColumnInfo& c) {
        return c.meanChars * static_cast<double>(summary->sampledRows - c.emptyValues);
    };
    size_t text = 0;
    for (size_t i = 1; i < info.size(); ++i)
        if (totalChars(info[i]) > totalChars(info[text]))
            text = i;
    if (!info.empty())
        columns.textGuess = columns.names[text];
    // The label: another column with the fewest distinct values, from 2 to kMaxGuessedClasses.
    int64_t fewest = INT64_MAX;
    for (size_t i = 0; i < info.size(); ++i) {
        const int64_t values = info[i].distinctValues;
        if (i != text && values >= 2 && values <= static_cast<int64_t>(kMaxGuessedClasses) && values < fewest) {
            fewest = values;
            columns.labelGuess = columns.names[i];
        }
    }
    if (columns.labelGuess.empty()) // nothing categorical: any other column, for the user to correct
        for (size_t i = 0; i < info.size() && columns.labelGuess.empty(); ++i)
            if (i != text)
                columns.labelGuess = columns.names[i];
    return columns;
}

Result<char> parseDelimiter(const std::string& name)
{
    if (name == "comma" || name == ",")
        return ',';
    if (name == "semicolon" || name == ";")
        return ';';
    if (name == "tab" || name == "\t" || name == "\\t")
        return '\t';
    return makeError(ErrorCode::InvalidArgument, "unknown delimiter '" + name + "' (comma, semicolon or tab)");
}

std::string delimiterName(char delimiter)
{
    switch (delimiter) {
    case ',': return "comma";
    case ';': return "semicolon";
    case '\t': return "tab";
    default: return std::string(1, delimiter);
    }
}

Result<std::vector<std::string>> readCsvColumn(const std::string& path, const std::string& column)
{
    auto opened = CsvReader::openFile(path);
    if (!opened)
        return opened.error();
    CsvRecord record;
    std::vector<std::string> values;
    size_t index = 0;
    for (bool header = true;; header = false) {
        auto got = opened.value()->next(record);
        if (!got)
            return got.error();
        if (!got.value())
            break;
        if (header) {
            auto found = columnIndex(record.fields, column, path, record.line);
            if (!found)
                return found.error();
            index = found.value();
        } else if (!record.problem.empty()) { // one value for several rows would shift every result after it
            return makeError(ErrorCode::Csv, path + ": line " + std::to_string(record.line) + ": " + record.problem, path,
                             record.line, -1, column);
        } else if (index < record.fields.size()) {
            values.push_back(std::move(record.fields[index]));
        } else {
            return makeError(ErrorCode::Csv, path + ": line " + std::to_string(record.line) + ": too few fields for column '" +
                                                 column + "'",
                             path, record.line, -1, column);
        }
    }
    return values;
}

} // namespace fika::core
