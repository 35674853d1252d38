// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli bench serve: the prediction API under concurrent load against the predictor's own
// batched throughput (the serving overhead).
#include <torch/torch.h>

#include "cli/args.h"
#include "cli/commands.h"

#include "data/csv_import.h"
#include "model/checkpoint.h"
#include "model/predictor.h"
#include "runtime/runtime.h"
#include "serve/prediction_server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

namespace fika::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> benchTexts(const std::optional<std::string>& csv, size_t count)
{
    std::vector<std::string> texts;
    if (csv) {
        if (auto imported = core::importCsv(*csv, {}); imported)
            for (size_t i = 0; i < imported->dataset.texts.size() && texts.size() < count; ++i)
                texts.push_back(imported->dataset.texts[i]);
    }
    const char* words[] = {"the", "film", "was", "great", "awful", "plot", "acting", "and", "a", "story", "music", "fun"};
    for (size_t i = texts.size(); i < count; ++i) {
        std::string text;
        for (size_t w = 0; w < 40 + i % 60; ++w)
            text += std::string(words[(i * 7 + w * 3) % 12]) + " ";
        texts.push_back(text);
    }
    return texts;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())))];
}

} // namespace

int runBenchServe(const std::vector<std::string>& argv)
{
    Args args;
    if (auto error = args.parse(argv, {"--shape", "--clients", "--requests", "--max-batch", "--max-wait-us", "--sequence-length", "--csv"},
                                {"--json"});
        !error.empty())
        return usageError(error);
    const std::string shapeName = args.value("--shape", "tiny");
    const int clients = static_cast<int>(parseInteger(args.value("--clients", "16")).value_or(16));
    const int requests = static_cast<int>(parseInteger(args.value("--requests", "10000")).value_or(10000));
    const int maxBatch = static_cast<int>(parseInteger(args.value("--max-batch", "16")).value_or(16));
    const int sequenceLength = static_cast<int>(parseInteger(args.value("--sequence-length", "128")).value_or(128));
    core::BertConfig shape = shapeName == "mini" ? core::BertConfig::mini()
                             : shapeName == "base" ? core::BertConfig::base()
                                                   : core::BertConfig::tiny();
    auto tokenizer = core::Tokenizer::fromVocabFile(core::bundledVocabPath());
    if (!tokenizer) {
        return fail(tokenizer.error());
    }
    shape.vocabSize = static_cast<int64_t>(tokenizer->vocab().size());
    shape.labels = {"negative", "positive"};
    const auto dir = std::filesystem::temp_directory_path() / ("fika-bench-serve-" + std::to_string(::getpid()));
    {
        core::BertClassifier model(shape, true);
        if (auto saved = core::saveCheckpoint(model, tokenizer.value(), sequenceLength, dir.string()); !saved) {
            return fail(saved.error());
        }
    }
    core::PredictorOptions predictorOptions;
    predictorOptions.sequenceLength = sequenceLength;
    predictorOptions.batchSize = maxBatch;
    auto predictor = core::Predictor::fromCheckpoint(dir.string(), predictorOptions);
    std::filesystem::remove_all(dir);
    if (!predictor) {
        return fail(predictor.error());
    }
    const auto texts = benchTexts(args.value("--csv"), 512);

    // The predictor alone, in batches of max-batch: the ceiling for the server. Best of 3 passes
    // over all 512 texts, so that the reference is not one noisy half-second.
    predictor.value()->predict(std::vector<std::string>(texts.begin(), texts.begin() + maxBatch)); // warm-up
    double predictorPerSecond = 0;
    for (int pass = 0; pass < 3; ++pass) {
        const auto directStart = Clock::now();
        for (size_t i = 0; i < texts.size(); i += static_cast<size_t>(maxBatch))
            predictor.value()->predict(std::vector<std::string>(
                texts.begin() + static_cast<long>(i), texts.begin() + static_cast<long>(std::min(texts.size(), i + maxBatch))));
        predictorPerSecond = std::max(predictorPerSecond, static_cast<double>(texts.size()) /
                                                              std::chrono::duration<double>(Clock::now() - directStart).count());
    }

    core::ServerOptions options;
    options.token = core::generateToken();
    options.maxBatch = maxBatch;
    options.maxWaitMicroseconds = static_cast<int>(parseInteger(args.value("--max-wait-us", "2000")).value_or(2000));
    options.connectionThreads = clients + 2;
    core::PredictionServer server(predictor.value(), options);
    if (auto started = server.start(); !started) {
        return fail(started.error());
    }
    std::atomic<int> next{0}, errors{0};
    std::vector<std::vector<double>> latencies(static_cast<size_t>(clients));
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            httplib::Client client(server.url());
            client.set_bearer_token_auth(options.token);
            client.set_read_timeout(60, 0);
            client.set_tcp_nodelay(true);
            client.set_keep_alive(true); // as wrk does: a new connection per request measures TCP set-up, not the API
            for (int i = next++; i < requests; i = next++) {
                const auto sent = Clock::now();
                auto r = client.Post("/predict", httplib::MultipartFormDataItems{{"review", texts[static_cast<size_t>(i) % texts.size()], "", ""}});
                if (!r || r->status != 200)
                    ++errors;
                latencies[static_cast<size_t>(c)].push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
            }
        });
    for (auto& t : threads)
        t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    server.stop();
    std::vector<double> all;
    for (const auto& l : latencies)
        all.insert(all.end(), l.begin(), l.end());
    const double perSecond = requests / seconds;
    const nlohmann::json out = {{"shape", shapeName},
                                {"clients", clients},
                                {"requests", requests},
                                {"errors", errors.load()},
                                {"requests_per_s", perSecond},
                                {"p50_ms", percentile(all, 0.5)},
                                {"p99_ms", percentile(all, 0.99)},
                                {"predictor_texts_per_s", predictorPerSecond},
                                {"overhead", 1.0 - perSecond / predictorPerSecond},
                                {"threads", core::computeThreads()},
                                {"blas", core::blasCoreName()}};
    if (args.flag("--json")) {
        std::cout << out.dump() << "\n";
    } else {
        std::cout << "shape " << shapeName << ", " << clients << " clients, " << requests << " requests, "
                  << errors.load() << " errors\n"
                  << "server    " << perSecond << " requests/s, p50 " << out["p50_ms"].get<double>() << " ms, p99 "
                  << out["p99_ms"].get<double>() << " ms\n"
                  << "predictor " << predictorPerSecond << " texts/s in batches of " << maxBatch << "\n"
                  << "overhead  " << 100.0 * out["overhead"].get<double>() << " %\n";
    }
    return errors.load() == 0 ? 0 : 1;
}

} // namespace fika::cli
