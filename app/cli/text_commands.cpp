// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli tokenize, fika-cli bench tokenizer
#include "cli/args.h"
#include "cli/commands.h"

#include "runtime/runtime.h"

#include "data/csv_import.h"
#include "text/tokenizer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>

namespace fika::cli {
namespace {

const char* const kVocabHelp = "WordPiece vocabulary (default: the bundled bert-base-uncased one)";

core::Result<core::Tokenizer> loadTokenizer(const std::string& vocab, bool cased)
{
    return core::Tokenizer::fromVocabFile(vocab.empty() ? core::bundledVocabPath() : vocab, !cased);
}

struct TokenizeOptions {
    bool jsonl = false;
    std::string vocab;
    bool cased = false;
};

int runTokenize(const TokenizeOptions& options)
{
    if (!options.jsonl)
        return usageError("tokenize reads JSON lines: pass --jsonl", "tokenize");
    auto tokenizer = loadTokenizer(options.vocab, options.cased);
    if (!tokenizer) {
        return fail(tokenizer.error());
    }
    std::string line;
    int64_t lineNumber = 0;
    while (std::getline(std::cin, line)) {
        ++lineNumber;
        if (line.empty())
            continue;
        const auto input = nlohmann::json::parse(line, nullptr, false);
        if (input.is_discarded() || !input.is_object() || !input.contains("text") || !input["text"].is_string()) {
            std::cerr << "fika-cli: stdin line " << lineNumber << ": expected a JSON object with a string field \"text\"\n";
            return 1;
        }
        const nlohmann::json output = {{"ids", tokenizer->encodeIds(input["text"].get<std::string>())}};
        std::cout << output.dump() << '\n';
    }
    return 0;
}

struct BenchTokenizerOptions {
    std::string csv;
    std::string column = "review";
    std::string vocab;
    int threads = 1;
    bool cased = false;
    bool json = false;
};

int runBenchTokenizer(const BenchTokenizerOptions& options)
{
    const int threads = options.threads;
    auto tokenizer = loadTokenizer(options.vocab, options.cased);
    if (!tokenizer) {
        return fail(tokenizer.error());
    }

    auto column = core::readCsvColumn(options.csv, options.column);
    if (!column) {
        return fail(column.error());
    }
    const std::vector<std::string>& texts = column.value();
    std::vector<std::string_view> views(texts.begin(), texts.end());
    size_t bytes = 0;
    for (const auto& text : texts)
        bytes += text.size();

    double bestSeconds = 1e30;
    size_t tokens = 0;
    for (int rep = 0; rep < 3; ++rep) {
        const auto start = std::chrono::steady_clock::now();
        const auto encoded = tokenizer->encodeIdsBatch(views, threads);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (seconds < bestSeconds) {
            bestSeconds = seconds;
            tokens = 0;
            for (const auto& ids : encoded)
                tokens += ids.size();
        }
    }
    const double mbPerSecond = static_cast<double>(bytes) / 1e6 / bestSeconds;
    if (options.json) {
        const nlohmann::json out = {{"mb_per_s", std::round(mbPerSecond * 100) / 100},
                                    {"reviews", texts.size()},
                                    {"tokens", tokens},
                                    {"megabytes", static_cast<double>(bytes) / 1e6},
                                    {"threads", threads},
                                    {"seconds", bestSeconds}};
        std::cout << out.dump() << '\n';
    } else {
        std::cout << "tokenized " << texts.size() << " texts (" << static_cast<double>(bytes) / 1e6 << " MB, " << tokens
                  << " tokens) in " << bestSeconds << " s (best of 3) on " << threads << " thread(s): " << mbPerSecond
                  << " MB/s\n";
    }
    return 0;
}

} // namespace

Runner defineTokenize(CLI::App& command)
{
    auto options = std::make_shared<TokenizeOptions>();
    command.description("Reads JSON lines {\"text\": ...} on stdin, writes {\"ids\": [...]} per line ([CLS]/[SEP] included).");
    addFlag(command, "--jsonl", options->jsonl, "read JSON lines (the one input format, to be given)");
    addValue(command, "--vocab", options->vocab, "FILE", kVocabHelp);
    addFlag(command, "--cased", options->cased, "keep the case (for a cased vocabulary)");
    return [options] { return runTokenize(*options); };
}

Runner defineBenchTokenizer(CLI::App& command)
{
    auto options = std::make_shared<BenchTokenizerOptions>();
    command.description("Tokenizer throughput in MB/s of UTF-8 text (best of 3).");
    addValue(command, "--csv", options->csv, "FILE", "the texts")->required();
    addValue(command, "--column", options->column, "NAME", "the CSV's text column");
    addValue(command, "--vocab", options->vocab, "FILE", kVocabHelp);
    addValue(command, "--threads", options->threads, "N", "threads, 0: all cores")->check(wholeNumber(0, maxThreads(), "cores"));
    addFlag(command, "--cased", options->cased, "keep the case (for a cased vocabulary)");
    addFlag(command, "--json", options->json, "print one JSON object");
    return [options] { return runBenchTokenizer(*options); };
}

} // namespace fika::cli
