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
#include "serve/micro_batcher.h"
#include "serve/prediction_server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

namespace fika::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kBoundary = "fika-bench-boundary";
constexpr const char* kMultipartType = "multipart/form-data; boundary=fika-bench-boundary";

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

double rssMb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
    return 0;
}

// A loopback TCP connection for the attack scenarios; -1 when refused.
int rawConnection(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0)
        return fd;
    if (fd >= 0)
        ::close(fd);
    return -1;
}

// Sends until the server stops reading; the bytes it took.
size_t flood(int fd, const std::string& head, const std::string& piece, size_t total)
{
    size_t sent = 0;
    if (::send(fd, head.data(), head.size(), MSG_NOSIGNAL) < 0)
        return 0;
    while (sent < total) {
        const ssize_t n = ::send(fd, piece.data(), piece.size(), MSG_NOSIGNAL);
        if (n <= 0)
            break;
        sent += static_cast<size_t>(n);
    }
    return sent;
}

// Keep-alive clients sending single reviews as fast as they are answered: answers per client
// (fairness), errors, latency and the process's memory before and after.
nlohmann::json keepAliveLoad(const std::string& url, const std::string& token, int clients, double seconds,
                             const std::vector<std::string>& texts)
{
    std::vector<std::vector<double>> latencies(static_cast<size_t>(clients));
    std::atomic<int> errors{0};
    const double rssBefore = rssMb();
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            httplib::Client client(url);
            client.set_bearer_token_auth(token);
            client.set_read_timeout(10, 0);
            client.set_tcp_nodelay(true);
            client.set_keep_alive(true);
            for (size_t i = static_cast<size_t>(c); Clock::now() < end; i += static_cast<size_t>(clients)) {
                const auto sent = Clock::now();
                auto r = client.Post("/predict", nlohmann::json{{"review", texts[i % texts.size()]}}.dump(), "application/json");
                if (!r || r->status != 200) {
                    ++errors;
                    continue;
                }
                latencies[static_cast<size_t>(c)].push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
            }
        });
    for (auto& t : threads)
        t.join();
    std::vector<double> all, perClient;
    double firstMax = 0; // connecting included
    for (const auto& l : latencies)
        firstMax = std::max(firstMax, l.empty() ? 0.0 : l.front());
    for (const auto& l : latencies) {
        all.insert(all.end(), l.begin(), l.end());
        perClient.push_back(static_cast<double>(l.size()));
    }
    const double fairShare = static_cast<double>(all.size()) / clients;
    return {{"clients", clients},
            {"seconds", seconds},
            {"answers", all.size()},
            {"errors", errors.load()},
            {"clients_without_answer", std::count(perClient.begin(), perClient.end(), 0.0)},
            {"min_client_share", fairShare > 0 ? *std::min_element(perClient.begin(), perClient.end()) / fairShare : 0.0},
            {"median_client_answers", percentile(perClient, 0.5)},
            {"p50_ms", percentile(all, 0.5)},
            {"p99_ms", percentile(all, 0.99)},
            {"max_ms", all.empty() ? 0.0 : *std::max_element(all.begin(), all.end())},
            {"first_answer_max_ms", firstMax},
            {"rss_before_mb", rssBefore},
            {"rss_after_mb", rssMb()}};
}

// One JSON request of `rows` texts while a second client sends single reviews one after another:
// how much the large request delays a single review, next to the time one full batch takes.
nlohmann::json largeRequestDelay(core::PredictionServer& server, const std::string& token, int rows,
                                 const std::vector<std::string>& texts)
{
    httplib::Client single(server.url());
    single.set_bearer_token_auth(token);
    single.set_keep_alive(true);
    single.set_tcp_nodelay(true); // else Nagle and delayed ACKs add 40 ms to every answer
    single.set_read_timeout(60, 0);
    const auto singleReview = [&] {
        const auto sent = Clock::now();
        auto r = single.Post("/predict", nlohmann::json{{"review", texts[0]}}.dump(), "application/json");
        return r && r->status == 200 ? std::chrono::duration<double, std::milli>(Clock::now() - sent).count() : -1.0;
    };
    std::vector<double> alone;
    for (int i = 0; i < 20; ++i)
        alone.push_back(singleReview());

    nlohmann::json body = {{"rows", nlohmann::json::array()}};
    for (int i = 0; i < rows; ++i)
        body["rows"].push_back({{"review", texts[static_cast<size_t>(i) % texts.size()]}});
    const auto before = server.batchStats();
    std::atomic<bool> largeDone{false};
    int largeStatus = 0;
    double largeSeconds = 0;
    std::thread large([&] {
        httplib::Client client(server.url());
        client.set_bearer_token_auth(token);
        client.set_read_timeout(3600, 0);
        const auto begin = Clock::now();
        auto r = client.Post("/predict", body.dump(), "application/json");
        largeSeconds = std::chrono::duration<double>(Clock::now() - begin).count();
        largeStatus = r ? r->status : -1;
        largeDone = true;
    });
    std::vector<double> during;
    while (server.batchStats().batches == before.batches && !largeDone)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    while (!largeDone) {
        const double ms = singleReview();
        if (!largeDone)
            during.push_back(ms);
    }
    large.join();
    const auto after = server.batchStats();
    const double fullBatchMs = after.batches > before.batches
                                   ? 1000.0 * (after.modelSeconds - before.modelSeconds) / static_cast<double>(after.texts - before.texts) *
                                         static_cast<double>(server.options().maxBatch)
                                   : 0.0;
    const bool failed = std::count(alone.begin(), alone.end(), -1.0) + std::count(during.begin(), during.end(), -1.0) > 0;
    return {{"rows", rows},
            {"status", largeStatus},
            {"large_seconds", largeSeconds},
            {"single_alone_p50_ms", percentile(alone, 0.5)},
            {"single_during_count", during.size()},
            {"single_during_p50_ms", percentile(during, 0.5)},
            {"single_during_max_ms", during.empty() ? 0.0 : *std::max_element(during.begin(), during.end())},
            {"full_batch_ms", fullBatchMs},
            {"errors", failed || largeStatus != 200 ? 1 : 0}};
}

// 500 idle and 100 slowloris connections held while /health is asked; a 300 MB chunked body
// and 200 MB of headers without a token; memory before and after each; stop() with 600 held.
nlohmann::json attacks(core::PredictionServer& server)
{
    nlohmann::json out;
    const double rssStart = rssMb();
    std::vector<int> held;
    for (int i = 0; i < 600; ++i)
        if (const int fd = rawConnection(server.port()); fd >= 0) {
            if (i >= 500) { // slowloris: a request line, then nothing more for now
                const std::string start = "GET /health HTTP/1.1\r\nHost: x\r\n";
                ::send(fd, start.data(), start.size(), MSG_NOSIGNAL);
            }
            held.push_back(fd);
        }
    std::vector<double> probes;
    for (int i = 0; i < 20; ++i) {
        httplib::Client client(server.url());
        const auto begin = Clock::now();
        auto r = client.Get("/health");
        probes.push_back(r && r->status == 200 ? std::chrono::duration<double, std::milli>(Clock::now() - begin).count() : 1e9);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    out["held_connections"] = held.size();
    out["health_while_held_max_ms"] = *std::max_element(probes.begin(), probes.end());
    out["health_while_held_p50_ms"] = percentile(probes, 0.5);
    out["rss_held_mb"] = rssMb();
    for (const int fd : held)
        ::close(fd);
    held.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));

    const double rssBeforeChunked = rssMb();
    if (const int fd = rawConnection(server.port()); fd >= 0) {
        const std::string chunk = "10000\r\n" + std::string(0x10000, '\0') + "\r\n";
        out["chunked_sent_mb"] = static_cast<double>(flood(fd, "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                                                               "Transfer-Encoding: chunked\r\n\r\n",
                                                           chunk, size_t(300) << 20)) / (1 << 20);
        ::close(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    out["chunked_rss_mb"] = {rssBeforeChunked, rssMb()};
    const double rssBeforeHeaders = rssMb();
    if (const int fd = rawConnection(server.port()); fd >= 0) {
        const std::string header = "X-Flood: " + std::string(8000, 'a') + "\r\n";
        out["headers_sent_mb"] = static_cast<double>(flood(fd, "GET /health HTTP/1.1\r\nHost: x\r\n", header, size_t(200) << 20)) / (1 << 20);
        ::close(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    out["headers_rss_mb"] = {rssBeforeHeaders, rssMb()};
    out["rss_start_mb"] = rssStart;

    for (int i = 0; i < 600; ++i)
        if (const int fd = rawConnection(server.port()); fd >= 0)
            held.push_back(fd);
    const auto stopBegin = Clock::now();
    server.stop();
    out["stop_with_600_held_ms"] = std::chrono::duration<double, std::milli>(Clock::now() - stopBegin).count();
    for (const int fd : held)
        ::close(fd);
    return out;
}

struct BenchServeArgs {
    std::string shape = "tiny";
    int clients = 16;
    int requests = 10000;
    int rounds = 10;
    int maxBatch = 16;
    int maxWaitUs = 2000;
    int workers = 1;
    int sequenceLength = 128;
    std::string csv; // empty: built-in texts
    int loadClients = 256; // 0: no keep-alive load run
    int loadSeconds = 20;
    int largeRows = 2000; // 0: no large-request run
    bool attacks = false;
    std::string precision = "fp32";
    std::string device = "cpu";
    bool json = false;
};

int runBenchServe(const BenchServeArgs& args)
{
    const std::string& shapeName = args.shape;
    const int clients = args.clients;
    const int requests = args.requests;
    const int maxBatch = args.maxBatch;
    const int sequenceLength = args.sequenceLength;
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
        if (auto saved = core::saveCheckpoint(model, tokenizer.value(), {sequenceLength}, dir.string()); !saved) {
            return fail(saved.error());
        }
    }
    core::PredictorOptions predictorOptions;
    predictorOptions.sequenceLength = sequenceLength;
    predictorOptions.batchSize = maxBatch;
    predictorOptions.bf16 = args.precision == "bf16";
    predictorOptions.device = args.device;
    auto predictor = core::Predictor::fromCheckpoint(dir.string(), predictorOptions);
    std::filesystem::remove_all(dir);
    if (!predictor) {
        return fail(predictor.error());
    }
    const auto texts = benchTexts(args.csv.empty() ? std::nullopt : std::optional<std::string>(args.csv), 512);

    core::ServerOptions options;
    options.token = core::generateToken();
    options.maxBatch = maxBatch;
    options.maxWaitMicroseconds = args.maxWaitUs;
    options.workers = args.workers;
    core::PredictionServer server(predictor.value(), options);
    if (auto started = server.start(); !started) {
        return fail(started.error());
    }

    // The predictor alone over all texts in batches of max-batch: the ceiling for the server. Like
    // the server's worker, it runs on a thread of its own and is the only one computing: the
    // server's worker has given its compute threads back after being idle (releaseComputeThreads).
    core::releaseComputeThreads(); // this thread built and loaded the model
    auto predictorPass = [&] {
        std::this_thread::sleep_for(core::MicroBatcher::kIdleBeforeRelease + std::chrono::milliseconds(100));
        double seconds = 0;
        std::thread([&] {
            const auto begin = Clock::now();
            for (size_t i = 0; i < texts.size(); i += static_cast<size_t>(maxBatch))
                predictor.value()->predict(std::vector<std::string>(
                    texts.begin() + static_cast<long>(i), texts.begin() + static_cast<long>(std::min(texts.size(), i + maxBatch))));
            seconds = std::chrono::duration<double>(Clock::now() - begin).count();
        }).join();
        return seconds;
    };
    // Multipart bodies built once, as wrk sends them: the load generator shares the cores with the
    // server, and cpp-httplib's client draws a random boundary per request through std::random_device.
    std::vector<std::string> bodies;
    for (const auto& text : texts)
        bodies.push_back("--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"review\"\r\n\r\n" + text +
                         "\r\n--" + kBoundary + "--\r\n");
    std::atomic<int> errors{0};
    std::vector<double> latencies;
    auto serverPass = [&](int count) {
        std::atomic<int> next{0};
        std::vector<std::vector<double>> perClient(static_cast<size_t>(clients));
        const auto begin = Clock::now();
        std::vector<std::thread> threads;
        for (int c = 0; c < clients; ++c)
            threads.emplace_back([&, c] {
                httplib::Client client(server.url());
                client.set_bearer_token_auth(options.token);
                client.set_read_timeout(60, 0);
                client.set_tcp_nodelay(true);
                client.set_keep_alive(true); // as wrk does: a new connection per request measures TCP set-up, not the API
                for (int i = next++; i < count; i = next++) {
                    const auto sent = Clock::now();
                    auto r = client.Post("/predict", bodies[static_cast<size_t>(i) % bodies.size()], kMultipartType);
                    if (!r || r->status != 200)
                        ++errors;
                    perClient[static_cast<size_t>(c)].push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
                }
            });
        for (auto& t : threads)
            t.join();
        for (const auto& l : perClient)
            latencies.insert(latencies.end(), l.begin(), l.end());
        return std::chrono::duration<double>(Clock::now() - begin).count();
    };

    // This machine's speed drifts by 20 % from one second to the next, so the two are measured in
    // alternating rounds and compared over the same stretch of time.
    predictorPass(); // warm-up
    serverPass(2 * clients);
    latencies.clear();
    const auto warmStats = server.batchStats();
    const int rounds = args.rounds;
    const int perRound = std::max(1, requests / std::max(1, rounds));
    double predictorSeconds = 0, serverSeconds = 0;
    for (int round = 0; round < rounds; ++round) {
        predictorSeconds += predictorPass();
        serverSeconds += serverPass(perRound);
    }
    const auto stats = server.batchStats();
    const nlohmann::json load = args.loadClients > 0 ? keepAliveLoad(server.url(), options.token, args.loadClients,
                                                                    static_cast<double>(args.loadSeconds), texts)
                                                        : nlohmann::json();
    const nlohmann::json largeDelay = args.largeRows > 0 ? largeRequestDelay(server, options.token, args.largeRows, texts)
                                                            : nlohmann::json();
    const nlohmann::json attacked = args.attacks ? attacks(server) : nlohmann::json();
    server.stop();
    const double predictorPerSecond = static_cast<double>(texts.size()) * rounds / predictorSeconds;
    const double perSecond = static_cast<double>(perRound) * rounds / serverSeconds;
    const auto batches = stats.batches - warmStats.batches;
    const auto batchedTexts = stats.texts - warmStats.texts;
    const double modelSeconds = stats.modelSeconds - warmStats.modelSeconds;
    nlohmann::json out = {{"shape", shapeName},
                                {"device", args.device},
                                {"precision", args.precision},
                                {"clients", clients},
                                {"requests", perRound * rounds},
                                {"errors", errors.load()},
                                {"requests_per_s", perSecond},
                                {"p50_ms", percentile(latencies, 0.5)},
                                {"p99_ms", percentile(latencies, 0.99)},
                                {"predictor_texts_per_s", predictorPerSecond},
                                {"overhead", 1.0 - perSecond / predictorPerSecond},
                                {"mean_batch", batches ? static_cast<double>(batchedTexts) / static_cast<double>(batches) : 0.0},
                                {"model_busy", modelSeconds / serverSeconds},
                                {"model_texts_per_s", modelSeconds > 0 ? static_cast<double>(batchedTexts) / modelSeconds : 0.0},
                                {"threads", core::computeThreads()},
                                {"blas", core::blasCoreName()}};
    if (!load.is_null())
        out["keep_alive_load"] = load;
    if (!largeDelay.is_null())
        out["large_request"] = largeDelay;
    if (!attacked.is_null())
        out["attacks"] = attacked;
    if (args.json) {
        std::cout << out.dump() << "\n";
    } else {
        std::cout << "shape " << shapeName << ", " << clients << " clients, " << out["requests"].get<int>() << " requests in "
                  << rounds << " rounds, " << errors.load() << " errors\n"
                  << "server    " << perSecond << " requests/s, p50 " << out["p50_ms"].get<double>() << " ms, p99 "
                  << out["p99_ms"].get<double>() << " ms\n"
                  << "predictor " << predictorPerSecond << " texts/s in batches of " << maxBatch << "\n"
                  << "overhead  " << 100.0 * out["overhead"].get<double>() << " %\n"
                  << "batches   " << out["mean_batch"].get<double>() << " texts on average; the model ran "
                  << 100.0 * out["model_busy"].get<double>() << " % of the time (summed over workers) at " << out["model_texts_per_s"].get<double>()
                  << " texts/s\n";
        if (!load.is_null())
            std::cout << "keep-alive " << load["clients"] << " clients for " << load["seconds"] << " s: " << load["answers"]
                      << " answers, " << load["errors"] << " errors, " << load["clients_without_answer"]
                      << " clients without an answer, the least served client got " << load["min_client_share"]
                      << " of a fair share; p50 " << load["p50_ms"] << " ms, p99 " << load["p99_ms"] << " ms; RSS "
                      << load["rss_before_mb"] << " -> " << load["rss_after_mb"] << " MB\n";
        if (!largeDelay.is_null())
            std::cout << "large     a " << largeDelay["rows"] << "-row request took " << largeDelay["large_seconds"]
                      << " s; meanwhile " << largeDelay["single_during_count"] << " single reviews answered in p50 "
                      << largeDelay["single_during_p50_ms"] << " ms, max " << largeDelay["single_during_max_ms"]
                      << " ms (alone: " << largeDelay["single_alone_p50_ms"] << " ms; one full batch: "
                      << largeDelay["full_batch_ms"] << " ms)\n";
        if (!attacked.is_null())
            std::cout << "attacks   " << attacked.dump(2) << "\n";
    }
    const bool loadOk = load.is_null() || (load["errors"] == 0 && load["clients_without_answer"] == 0);
    const bool largeOk = largeDelay.is_null() || largeDelay["errors"] == 0;
    return errors.load() == 0 && loadOk && largeOk ? 0 : 1;
}

} // namespace

Runner defineBenchServe(CLI::App& command)
{
    auto args = std::make_shared<BenchServeArgs>();
    command.description("The prediction API under concurrent clients: requests/s, p50/p99 latency, overhead against\n"
                        "the predictor's own batched throughput (measured in alternating rounds); then keep-alive\n"
                        "clients (fairness, memory), single reviews during one large request, and with --attacks\n"
                        "idle, slow and oversized connections.");
    addChoice(command, "--shape", args->shape, {"tiny", "mini", "base"}, "the model's size");
    addValue(command, "--clients", args->clients, "N", "concurrent clients")->check(wholeNumber(1, 1024));
    addValue(command, "--requests", args->requests, "N", "requests per round")->check(wholeNumber(1, 100000000));
    addValue(command, "--rounds", args->rounds, "N", "alternating rounds")->check(wholeNumber(1, 1000));
    addValue(command, "--max-batch", args->maxBatch, "N", "texts per forward pass")->check(wholeNumber(1, 4096));
    addValue(command, "--max-wait-us", args->maxWaitUs, "N", "how long a batch waits to fill, in microseconds")
        ->check(wholeNumber(0, 10000000));
    addValue(command, "--workers", args->workers, "N", "batches computed at the same time") // more than the cores only contend
        ->check(wholeNumber(1, maxThreads(), "cores"));
    addValue(command, "--sequence-length", args->sequenceLength, "N", "tokens per text")
        ->check(wholeNumber(core::kMinSequenceLength, core::kMaxSequenceLength));
    addValue(command, "--csv", args->csv, "FILE", "texts to send (default: built-in reviews)");
    addValue(command, "--load-clients", args->loadClients, "N", "keep-alive clients, 0: no load run")->check(wholeNumber(0, 4096));
    addValue(command, "--load-seconds", args->loadSeconds, "N", "length of the load run")->check(wholeNumber(1, 3600));
    addValue(command, "--large-rows", args->largeRows, "N", "rows of the large request, 0: none")->check(wholeNumber(0, 1000000));
    addFlag(command, "--attacks", args->attacks, "also idle, slow and oversized connections");
    addChoice(command, "--precision", args->precision, {"fp32", "bf16"}, "the model's precision");
    addDevice(command, args->device);
    addFlag(command, "--json", args->json, "print one JSON object");
    return [args] { return runBenchServe(*args); };
}

} // namespace fika::cli
