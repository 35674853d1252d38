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

core::Result<core::Tokenizer> loadTokenizer(const Args& args)
{
    return core::Tokenizer::fromVocabFile(args.value("--vocab", core::bundledVocabPath()), !args.flag("--cased"));
}

} // namespace

int runTokenize(const std::vector<std::string>& argv)
{
    Args args;
    if (auto error = args.parse(argv, {"--vocab"}, {"--cased", "--jsonl"}); !error.empty())
        return usageError(error);
    if (!args.flag("--jsonl"))
        return usageError("tokenize reads JSON lines: pass --jsonl");
    auto tokenizer = loadTokenizer(args);
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

int runBenchTokenizer(const std::vector<std::string>& argv)
{
    Args args;
    if (auto error = args.parse(argv, {"--vocab", "--csv", "--threads", "--column"}, {"--json", "--cased"}); !error.empty())
        return usageError(error);
    const auto csvPath = args.value("--csv");
    if (!csvPath)
        return usageError("bench tokenizer needs --csv FILE");
    const auto threadCount = args.integer("--threads", 1, 0, maxThreads()); // 0: all cores
    if (!threadCount)
        return usageError(threadCount.error().message);
    const int threads = static_cast<int>(threadCount.value());
    auto tokenizer = loadTokenizer(args);
    if (!tokenizer) {
        return fail(tokenizer.error());
    }

    auto column = core::readCsvColumn(*csvPath, args.value("--column", "review"));
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
    if (args.flag("--json")) {
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

} // namespace fika::cli
