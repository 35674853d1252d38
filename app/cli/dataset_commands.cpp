// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli dataset inspect, fika-cli dataset version
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/output_file.h"

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

// What dataset inspect and dataset version import, and how.
struct ImportArgs {
    std::string source;
    std::string textColumn = "review";
    std::string labelColumn = "sentiment";
    std::string delimiter; // empty: detected from the header line
    std::string vocab;
    int threads = 0; // 0: all cores
    std::string split = "train";
    bool cased = false;
    bool stopOnError = false;
};

void addImportOptions(CLI::App& command, ImportArgs& args)
{
    command.add_option("source", args.source, "a CSV file or a folder with a subfolder per class")->type_name("FILE|FOLDER");
    addValue(command, "--text-column", args.textColumn, "NAME", "the CSV's text column");
    addValue(command, "--label-column", args.labelColumn, "NAME", "the CSV's label column");
    addChoice(command, "--delimiter", args.delimiter, {"comma", "semicolon", "tab"}, "default: detected from the header line");
    addValue(command, "--vocab", args.vocab, "FILE", "WordPiece vocabulary (default: the bundled bert-base-uncased one)");
    addFlag(command, "--cased", args.cased, "keep the case (for a cased vocabulary)");
    addValue(command, "--threads", args.threads, "N", "threads, 0: all cores")->check(wholeNumber(0, maxThreads(), "cores"));
    addValue(command, "--split", args.split, "NAME", "a folder tree's split subfolder (aclImdb's train or test)");
    addFlag(command, "--stop-on-error", args.stopOnError, "stop at the first row with a problem instead of skipping it");
}

// Imports a CSV file or a class-per-folder tree, as the path says.
core::Result<core::ImportResult> importSource(const std::string& path, const ImportArgs& args)
{
    const auto policy = args.stopOnError ? core::OnRowProblem::Stop : core::OnRowProblem::Skip;
    if (std::filesystem::is_directory(path)) {
        core::FolderImportOptions options;
        options.split = args.split;
        options.onProblem = policy;
        return core::importFolder(path, options);
    }
    core::CsvImportOptions options;
    options.textColumn = args.textColumn;
    options.labelColumn = args.labelColumn;
    if (!args.delimiter.empty()) { // else detected from the header line
        auto delimiter = core::parseDelimiter(args.delimiter);
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
        std::cerr << "warning: " << warning.message << "\n";
    for (const auto& problem : report.problems)
        std::cerr << "skipped: " << problem.message << "\n";
    if (report.invalidRows > static_cast<int64_t>(report.problems.size()))
        std::cerr << "… and " << report.invalidRows - static_cast<int64_t>(report.problems.size()) << " more\n";
}

struct InspectArgs : ImportArgs {
    bool json = false;
};

int runDatasetInspect(const InspectArgs& args)
{
    if (args.source.empty())
        return usageError("dataset inspect needs one CSV file or folder", "dataset inspect");

    auto imported = importSource(args.source, args);
    if (!imported) {
        return fail(imported.error());
    }
    auto tokenizer = core::Tokenizer::fromVocabFile(args.vocab.empty() ? core::bundledVocabPath() : args.vocab, !args.cased);
    if (!tokenizer) {
        return fail(tokenizer.error());
    }
    const core::Dataset& dataset = imported->dataset;
    const core::ImportReport& report = imported->report;
    std::vector<std::string_view> texts(dataset.texts.begin(), dataset.texts.end());
    const auto stats = core::LengthStats::fromLengths(tokenizer->tokenCounts(texts, args.threads));
    const std::vector<int> lengths = {128, 256, 512};

    if (args.json) {
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

struct VersionArgs : ImportArgs {
    std::string out;
    std::string name;
    double training = 80;
    double validation = 20;
    double test = 0;
    long long seed = 42;
    bool noStratify = false;
    int sequenceLength = 512;
    std::string truncation = "head";
    bool overwrite = false;
};

// The name a path gives a dataset version: its last part without extension, also for "folder/" and ".".
std::string baseName(const std::string& path)
{
    std::error_code ec;
    std::filesystem::path p = std::filesystem::absolute(path, ec).lexically_normal();
    if (p.filename().empty())
        p = p.parent_path();
    return p.stem().string();
}

int runDatasetVersion(const VersionArgs& args)
{
    if (args.source.empty())
        return usageError("dataset version needs one CSV file or folder", "dataset version");
    std::error_code missing;
    if (!std::filesystem::exists(args.source, missing)) // named before the output: the cause comes first
        return fail(core::makeError(core::ErrorCode::FileNotFound, args.source + ": no such file or folder", args.source));
    if (auto writable = checkOutputFile(args.out, args.overwrite, {args.source}); !writable)
        return fail(writable.error());

    core::SubsetSpec subsetSpec;
    subsetSpec.trainingPercent = args.training;
    subsetSpec.validationPercent = args.validation;
    subsetSpec.testPercent = args.test;
    subsetSpec.seed = static_cast<uint64_t>(args.seed);
    subsetSpec.stratified = !args.noStratify;
    core::EncodingSettings encoding;
    encoding.sequenceLength = args.sequenceLength;
    auto truncation = core::parseTruncation(args.truncation);
    if (!truncation)
        return usageError(truncation.error().message);
    encoding.truncation = truncation.value();
    encoding.lowercase = !args.cased;
    encoding.vocab = args.vocab;

    // Training reads a version's folder as a folder import does by default (aclImdb: its train/):
    // a version of another split records that split's own folder, so that training reads what was hashed.
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool otherSplit = args.split != "train" && fs::is_directory(fs::path(args.source) / args.split, ec);
    if (args.split != "train" && !otherSplit)
        return usageError(args.source + " has no " + args.split + "/ folder: --split names a split folder under it (aclImdb's test/)",
                          "dataset version");
    const std::string sourcePath = otherSplit ? (fs::path(args.source) / args.split).string() : args.source;
    auto imported = importSource(sourcePath, args);
    if (!imported) {
        return fail(imported.error());
    }
    printProblems(imported->report);
    core::FolderImportOptions folderOptions; // the hash covers the split the import read
    folderOptions.split = args.split;
    auto source = core::describeSource(sourcePath, folderOptions);
    if (!source) {
        return fail(source.error());
    }
    auto made = core::makeDatasetVersion(imported->dataset, source.value(), encoding, subsetSpec,
                                         !args.name.empty() ? args.name
                                         : otherSplit       ? baseName(args.source) + "-" + args.split
                                                            : baseName(sourcePath));
    if (!made) {
        return fail(made.error());
    }
    const core::DatasetVersion& version = made.value();
    if (auto saved = core::writeFileAtomically(args.out, core::datasetVersionToYaml(version), outputReplace(args.overwrite)); !saved) {
        return fail(saved.error());
    }
    std::cout << "saved " << args.out << ": " << version.trainingCount << " training, "
              << version.validationCount << " validation, " << version.testCount << " test examples\n";
    return 0;
}

} // namespace

Runner defineDatasetInspect(CLI::App& command)
{
    auto args = std::make_shared<InspectArgs>();
    command.description("Imports a CSV or a class-per-folder tree and reports rows, classes, skipped rows and token lengths.\n"
                        "A CSV's delimiter is detected from its header line unless --delimiter is given (also for dataset version).");
    addImportOptions(command, *args);
    addFlag(command, "--json", args->json, "print one JSON object");
    return [args] { return runDatasetInspect(*args); };
}

Runner defineDatasetVersion(CLI::App& command)
{
    auto args = std::make_shared<VersionArgs>();
    command.description("Splits the dataset into subsets and saves a dataset version (source, checksum, encoding, subsets).");
    addImportOptions(command, *args);
    addValue(command, "--out", args->out, "FILE.yaml", "the dataset version to write")->required()->check(nonEmpty());
    addFlag(command, "--overwrite", args->overwrite, "replace an existing --out file");
    addValue(command, "--name", args->name, "NAME", "the version's name (default: the source's name)");
    addValue(command, "--training", args->training, "PERCENT", "share of the training subset")->check(decimalNumber(0, 100));
    addValue(command, "--validation", args->validation, "PERCENT", "share of the validation subset")->check(decimalNumber(0, 100));
    addValue(command, "--test", args->test, "PERCENT", "share of the test subset")->check(decimalNumber(0, 100));
    addValue(command, "--seed", args->seed, "N", "seed of the split")
        ->check(wholeNumber(0, std::numeric_limits<long long>::max()));
    addFlag(command, "--no-stratify", args->noStratify, "split at random instead of keeping each class's share");
    addValue(command, "--sequence-length", args->sequenceLength, "N", "tokens per text")
        ->check(wholeNumber(core::kMinSequenceLength, core::kMaxSequenceLength));
    addChoice(command, "--truncation", args->truncation, {"head", "tail", "head_tail"}, "which end of a long text is kept");
    return [args] { return runDatasetVersion(*args); };
}

} // namespace fika::cli
