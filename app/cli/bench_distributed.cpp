// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli bench distributed: data-parallel training throughput on this machine (1 process with
// every core, N processes sharing them, N "nodes" launched separately on loopback), the time one
// gradient all-reduce takes, and how much of it backward hides.
#include <torch/torch.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/train_launcher.h"

#include "distributed/gradient_sync.h"
#include "distributed/process_group.h"
#include "model/bert_classifier.h"
#include "runtime/runtime.h"
#include "train/experiment_config.h"
#include "train/run_history.h"

#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

namespace fs = std::filesystem;

namespace fika::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct BenchDistributedArgs {
    int processes = 2;
    int batch = 32;
    int length = 256;
    int steps = 6;
    int port = 29650;
    int rounds = 2;
    bool allreduceWorker = false; // internal: one rank of the all-reduce measurement
};

bool waitAll(const std::vector<pid_t>& pids)
{
    bool ok = true;
    for (pid_t pid : pids) {
        int status = 0;
        waitpid(pid, &status, 0);
        ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    return ok;
}

// Reviews of about `words` common words, enough to fill the sequence length.
void writeReviews(const std::string& path, int rows, int words)
{
    const char* vocabulary[] = {"the", "movie", "was", "a", "story", "about", "people", "who", "love", "their", "time",
                                "and", "great", "acting", "bad", "plot", "film", "music", "scene", "end", "good", "not"};
    std::mt19937 rng(1);
    std::ofstream out(path);
    out << "review,sentiment\n";
    for (int r = 0; r < rows; ++r) {
        out << '"';
        for (int w = 0; w < words; ++w)
            out << vocabulary[rng() % std::size(vocabulary)] << ' ';
        out << "\"," << (r % 2 ? "positive" : "negative") << "\n";
    }
}

// The median samples/s of a run's steps, leaving out the first two (warm-up).
double medianSamplesPerSecond(const std::string& runDir)
{
    const auto history = core::readRunHistory(runDir);
    std::vector<double> rates;
    if (history)
        for (const auto& step : history->steps)
            if (step.step > 2)
                rates.push_back(step.samplesPerSecond);
    if (rates.empty())
        return 0;
    std::nth_element(rates.begin(), rates.begin() + static_cast<long>(rates.size() / 2), rates.end());
    return rates[rates.size() / 2];
}

// One rank: averages BERT-mini-shaped float32 gradients as a training step does (after backward,
// in 25 MB buckets), and prints seconds per all-reduce and bytes as JSON (rank 0).
int runAllreduceWorker()
{
    auto world = core::worldFromEnvironment([](const char* name) { return std::getenv(name); });
    if (!world)
        return fail(world.error());
    auto group = core::DistributedGroup::join(world.value(), std::chrono::seconds(60));
    if (!group)
        return fail(group.error());
    core::BertClassifier model(core::BertConfig::mini());
    std::vector<torch::Tensor> parameters = model->parameters();
    int64_t bytes = 0;
    for (auto& p : parameters) {
        p.mutable_grad() = torch::randn_like(p);
        bytes += p.numel() * static_cast<int64_t>(sizeof(float));
    }
    core::GradientSync sync(*group.value(), parameters, core::GradientSync::Mode::AfterBackward);
    sync.afterBackward(); // warm-up: connections and buffers
    const int repeats = 5;
    const auto start = Clock::now();
    for (int i = 0; i < repeats; ++i)
        sync.afterBackward();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count() / repeats;
    group.value()->finish();
    if (world->rank == 0)
        std::cout << nlohmann::json{{"seconds", seconds}, {"bytes", bytes}}.dump() << "\n";
    return 0;
}

int runBenchDistributed(const BenchDistributedArgs& args)
{
    if (args.allreduceWorker)
        return runAllreduceWorker();
    const int n = args.processes;
    if (args.batch % n != 0)
        return usageError("--batch " + std::to_string(args.batch) + " does not divide among " + std::to_string(n) + " processes");
    const fs::path dir = fs::temp_directory_path() / ("fika-bench-distributed-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const int rows = (args.batch * (args.steps + 2) * 10 + 8) / 9; // 90 % training
    writeReviews((dir / "reviews.csv").string(), rows, args.length);

    core::ExperimentConfig c = core::presetConfig(core::ConfigPreset::FromScratch);
    c.data.csv = (dir / "reviews.csv").string();
    c.data.subsets.trainingPercent = 90;
    c.data.subsets.validationPercent = 10;
    c.encoding.sequenceLength = args.length;
    c.encoding.vocab = core::bundledVocabPath();
    c.training.batchSize = args.batch;
    c.training.epochs = 1;
    c.training.logEverySteps = 1;
    c.training.lengthBuckets = false;
    const std::string config = (dir / "config.yaml").string();
    std::ofstream(config) << core::experimentConfigToYaml(c);

    auto train = [&](const std::string& name, std::vector<std::string> extra, int launches = 1,
                     const std::vector<std::string>& environment = {}) {
        const std::string out = (dir / name).string();
        std::vector<pid_t> pids;
        for (int node = 0; node < launches; ++node) {
            std::vector<std::string> a{"train", "--config", config, "--no-cache", "--overwrite", "--set", "output.dir=" + out};
            a.insert(a.end(), extra.begin(), extra.end());
            if (launches > 1)
                a.insert(a.end(), {"--nnodes", std::to_string(launches), "--node-rank", std::to_string(node)});
            pids.push_back(startFikaCli(a, environment, out + "-" + std::to_string(node) + ".log"));
        }
        if (!waitAll(pids))
            std::cerr << "warning: the run " << name << " failed; see " << out << "-0.log\n";
        return medianSamplesPerSecond(out);
    };
    const std::string port = std::to_string(args.port);
    const int cores = core::computeThreads();
    std::cerr << "measuring in " << dir.string() << " (" << args.steps << " steps per run)\n";
    // Every configuration once per round, the rounds alternating, and the best of each kept: this
    // machine's speed drifts by tens of percent within a minute when anything else runs.
    double alone = 0, shard = 0, local = 0, localAfter = 0, nodes = 0;
    const std::string shareThreads = "training.threads=" + std::to_string(std::max(1, cores / n));
    for (int round = 0; round < args.rounds; ++round) {
        alone = std::max(alone, train("alone", {"--set", "training.threads=" + std::to_string(cores)}));
        shard = std::max(shard, train("shard", {"--set", shareThreads, "--set", "training.batch_size=" + std::to_string(args.batch / n)}));
        local = std::max(local, train("local", {"--nproc-per-node", std::to_string(n), "--master-port", port}));
        localAfter = std::max(localAfter, train("after", {"--nproc-per-node", std::to_string(n), "--master-port", port}, 1,
                                                {"FIKA_BENCH_REDUCE_AFTER_BACKWARD=1"}));
        nodes = std::max(nodes, train("nodes", {"--nproc-per-node", "1", "--master-port", std::to_string(args.port + 1), "--set", shareThreads}, n));
    }

    std::vector<pid_t> ranks;
    for (int r = 0; r < n; ++r)
        ranks.push_back(startFikaCli({"bench", "distributed", "--allreduce-worker"},
                              {"RANK=" + std::to_string(r), "WORLD_SIZE=" + std::to_string(n), "LOCAL_WORLD_SIZE=" + std::to_string(n),
                               "MASTER_ADDR=127.0.0.1", "MASTER_PORT=" + std::to_string(args.port + 2)},
                              (dir / ("allreduce-" + std::to_string(r) + ".log")).string()));
    waitAll(ranks);
    nlohmann::json allreduce = nlohmann::json::object();
    {
        std::ifstream in(dir / "allreduce-0.log");
        for (std::string line; std::getline(in, line);)
            if (line.starts_with("{"))
                allreduce = nlohmann::json::parse(line);
    }
    const double reduceSeconds = allreduce.value("seconds", 0.0);
    const double bytes = allreduce.value("bytes", 0.0);
    // The same run with the all-reduce after backward takes longer by the part the overlap hides.
    // (Against "one shard alone" the difference would mostly be the two processes sharing caches
    // and memory bandwidth, not communication.)
    const double stepLocal = local > 0 ? args.batch / local : 0;
    const double stepAfter = localAfter > 0 ? args.batch / localAfter : 0;
    const double stepShard = shard > 0 ? (args.batch / n) / shard : 0;
    const double saved = stepAfter - stepLocal;
    const double hidden = reduceSeconds > 0 ? std::clamp(saved / reduceSeconds, 0.0, 1.0) : 0;

    std::cout << "BERT-mini, batch " << args.batch << " x " << args.length << " tokens, float32, " << cores << " cores\n"
              << "  1 process x " << cores << " threads:              " << alone << " samples/s\n"
              << "  " << n << " processes x " << std::max(1, cores / n) << " thread (one launch):  " << local << " samples/s\n"
              << "  " << n << " nodes x 1 process (loopback):  " << nodes << " samples/s\n"
              << "  one shard alone (batch " << args.batch / n << ", " << std::max(1, cores / n) << " thread): " << shard
              << " samples/s, " << stepShard << " s per step\n"
              << "gradient all-reduce: " << bytes / 1e6 << " MB in " << reduceSeconds * 1e3 << " ms (loopback, after backward)\n"
              << "step of the " << n << "-process run: " << stepLocal << " s with the all-reduce overlapping backward, " << stepAfter
              << " s with it after backward: " << saved * 1e3 << " ms saved, " << hidden * 100
              << " % of the all-reduce hidden (noise: a step varies by a few %)\n";
    for (int nodesModelled : {4, 16}) {
        // A ring all-reduce sends and receives 2 (N-1)/N of the gradient per node.
        const double seconds = 2.0 * (nodesModelled - 1) / nodesModelled * bytes / (10e9 / 8);
        std::cout << "model, " << nodesModelled << " nodes on 10 Gbit/s: all-reduce " << seconds * 1e3 << " ms per step\n";
    }
    fs::remove_all(dir);
    return 0;
}

} // namespace

Runner defineBenchDistributed(CLI::App& command)
{
    auto args = std::make_shared<BenchDistributedArgs>();
    command.description("Data-parallel training throughput: 1 process, N processes, N loopback nodes; the gradient all-reduce.");
    addValue(command, "--processes", args->processes, "N", "processes (and nodes) to compare with one")->check(wholeNumber(2, 64));
    addValue(command, "--batch", args->batch, "N", "the global batch")->check(wholeNumber(1, 4096));
    addValue(command, "--length", args->length, "N", "tokens per review")->check(wholeNumber(8, 512));
    addValue(command, "--steps", args->steps, "N", "training steps per run")->check(wholeNumber(3, 1000));
    addValue(command, "--rounds", args->rounds, "N", "times each configuration runs; the best counts")->check(wholeNumber(1, 100));
    addValue(command, "--port", args->port, "PORT", "first of three loopback ports")->check(wholeNumber(1, 65533));
    command.add_flag("--allreduce-worker", args->allreduceWorker)->group(""); // internal
    return [args] { return runBenchDistributed(*args); };
}

} // namespace fika::cli
