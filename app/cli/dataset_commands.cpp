// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli dataset inspect, fika-cli dataset version
#include "cli/args.h"
#include "cli/commands.h"

#include "runtime/runtime.h"

#include "data/csv_import.h"
#include "data/dataset_version.h"
#include "data/folder_import.h"
#include "text/length_stats.h"
#include "text/tokenizer.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>

namespace fika::cli {
namespace {

const std::set<std::string> kImportOptions = {"--text-column", "--label-column", "--delimiter", "--vocab", "--threads",
                                              "--split"};

// Imports a CSV file or a class-per-folder tree, as the path says.
core::Result<core::ImportResult> importSource(const std::string& path, const Args& args)
{
    const auto policy = args.flag("--stop-on-error") ? core::OnRowProblem::Stop : core::OnRowProblem::Skip;
    if (std::filesystem::is_directory(path)) {
        core::FolderImportOptions options;
        options.split = args.value("--split", "train");
        options.onProblem = policy;
        return core::importFolder(path, options);
    }
    core::CsvImportOptions options;
    options.textColumn = args.value("--text-column", "review");
    options.labelColumn = args.value("--label-column", "sentiment");
    if (const auto name = args.value("--delimiter")) { // else detected from the header line
        auto delimiter = core::parseDelimiter(*name);
        if (!delimiter)
            return delimiter.error();
        options.delimiter = delimiter.value();
    }
    options.onProblem = policy;
    return core::importCsv(path, options);
}

double rounded(double value, int digits)
{
    const double scale = std::pow(10.0, digits);
    return std::round(value * scale) / scale;
}

void printProblems(const core::ImportReport& report)
{
    for (const auto& warning : report.warnings)
        std::cerr << "warning: " << warning << "\n";
    for (const auto& problem : report.problems)
        std::cerr << "skipped: " << problem.message << "\n";
    if (report.invalidRows > static_cast<int64_t>(report.problems.size()))
        std::cerr << "… and " << report.invalidRows - static_cast<int64_t>(report.problems.size()) << " more\n";
}

} // namespace

int runDatasetInspect(const std::vector<std::string>& argv)
{
    Args args;
    if (auto error = args.parse(argv, kImportOptions, {"--json", "--cased", "--stop-on-error"}, ArgRules::words(1));
        !error.empty())
        return usageError(error);
    if (args.positional().size() != 1)
        return usageError("dataset inspect needs one CSV file or folder");
    const auto threads = args.integer("--threads", 0, 0, maxThreads()); // 0: all cores
    if (!threads)
        return usageError(threads.error().message);

    auto imported = importSource(args.positional()[0], args);
    if (!imported) {
        return fail(imported.error());
    }
    auto tokenizer = core::Tokenizer::fromVocabFile(args.value("--vocab", core::bundledVocabPath()), !args.flag("--cased"));
    if (!tokenizer) {
        return fail(tokenizer.error());
    }
    const core::Dataset& dataset = imported->dataset;
    const core::ImportReport& report = imported->report;
    std::vector<std::string_view> texts(dataset.texts.begin(), dataset.texts.end());
    const auto stats = core::LengthStats::fromLengths(tokenizer->tokenCounts(texts, static_cast<int>(threads.value())));
    const std::vector<int> lengths = {128, 256, 512};

    if (args.flag("--json")) {
        nlohmann::json classes = nlohmann::json::object();
        for (const auto& [name, count] : report.classCounts)
            classes[name] = count;
        nlohmann::json truncated = nlohmann::json::object();
        for (int length : lengths)
            truncated[std::to_string(length)] = rounded(stats.truncatedShare(length), 5);
        const nlohmann::json out = {
            {"rows", report.rowsImported},
            {"classes", classes},
            {"invalid_rows", report.invalidRows},
            {"tokens",
             {{"mean", rounded(stats.mean, 3)},
              {"median", stats.median},
              {"p90", stats.p90},
              {"max", stats.max},
              {"truncated_share", truncated}}},
        };
        std::cout << out.dump() << '\n';
        return 0;
    }
    printProblems(report);
    std::cout << "rows: " << report.rowsImported << " imported, " << report.invalidRows << " skipped\n";
    std::cout << "classes (balance " << std::fixed << std::setprecision(2)
              << core::classBalance(dataset.classCounts()) << "):\n";
    for (const auto& [name, count] : report.classCounts)
        std::cout << "  " << name << ": " << count << "\n";
    std::cout << std::setprecision(1) << "tokens per text: mean " << stats.mean << ", median " << stats.median << ", p90 "
              << stats.p90 << ", max " << stats.max << "\n";
    for (int length : lengths)
        std::cout << "  sequence length " << length << " truncates " << std::setprecision(1)
                  << 100.0 * stats.truncatedShare(length) << " % of the texts\n";
    return 0;
}

int runDatasetVersion(const std::vector<std::string>& argv)
{
    Args args;
    std::set<std::string> valued = kImportOptions;
    valued.insert({"--out", "--name", "--training", "--validation", "--test", "--seed", "--sequence-length", "--truncation"});
    if (auto error = args.parse(argv, valued, {"--no-stratify", "--cased", "--stop-on-error"}, ArgRules::words(1));
        !error.empty())
        return usageError(error);
    if (args.positional().size() != 1 || !args.value("--out"))
        return usageError("dataset version needs one CSV file or folder and --out FILE.yaml");

    const auto training = args.number("--training", 80, 0, 100);
    const auto validation = args.number("--validation", 20, 0, 100);
    const auto test = args.number("--test", 0, 0, 100);
    const auto seed = args.integer("--seed", 42, 0, std::numeric_limits<long long>::max());
    const auto sequenceLength = args.integer("--sequence-length", 512, core::kMinSequenceLength, core::kMaxSequenceLength);
    if (const auto error = firstError(training, validation, test, seed, sequenceLength); !error.empty())
        return usageError(error);
    core::SubsetSpec subsetSpec;
    subsetSpec.trainingPercent = training.value();
    subsetSpec.validationPercent = validation.value();
    subsetSpec.testPercent = test.value();
    subsetSpec.seed = static_cast<uint64_t>(seed.value());
    subsetSpec.stratified = !args.flag("--no-stratify");
    core::EncodingSettings encoding;
    encoding.sequenceLength = static_cast<int>(sequenceLength.value());
    auto truncation = core::parseTruncation(args.value("--truncation", "head"));
    if (!truncation)
        return usageError(truncation.error().message);
    encoding.truncation = truncation.value();
    encoding.lowercase = !args.flag("--cased");
    encoding.vocab = args.value("--vocab", "");

    const std::string sourcePath = args.positional()[0];
    auto imported = importSource(sourcePath, args);
    if (!imported) {
        return fail(imported.error());
    }
    printProblems(imported->report);
    core::FolderImportOptions folderOptions; // the hash covers the split the import read
    folderOptions.split = args.value("--split", "train");
    auto source = core::describeSource(sourcePath, folderOptions);
    if (!source) {
        return fail(source.error());
    }
    auto made = core::makeDatasetVersion(imported->dataset, source.value(), encoding, subsetSpec,
                                         args.value("--name", std::filesystem::path(sourcePath).stem().string()));
    if (!made) {
        return fail(made.error());
    }
    const core::DatasetVersion& version = made.value();
    if (auto saved = core::saveDatasetVersion(version, *args.value("--out")); !saved) {
        return fail(saved.error());
    }
    std::cout << "saved " << *args.value("--out") << ": " << version.trainingCount << " training, "
              << version.validationCount << " validation, " << version.testCount << " test examples\n";
    return 0;
}

} // namespace fika::cli
