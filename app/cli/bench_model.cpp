// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli bench model: BERT inference and training-step throughput against the machine's own
// matrix-product rate, fp32 and bf16 side by side.
#include <torch/torch.h>

#include "cli/args.h"
#include "cli/commands.h"

#include "model/bert_classifier.h"
#include "model/bf16_weights.h"
#include "runtime/runtime.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

namespace fika::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> items;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ','))
        if (!item.empty())
            items.push_back(item);
    return items;
}


double seconds(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// GFLOP/s of a [4096 × 768] · [768 × 3072] product (BERT-base's feed-forward shape).
double matmulGflops(torch::ScalarType dtype)
{
    const torch::Tensor a = torch::randn({4096, 768}).to(dtype);
    const torch::Tensor b = torch::randn({768, 3072}).to(dtype);
    torch::matmul(a, b);
    const int reps = 10;
    const auto start = Clock::now();
    for (int i = 0; i < reps; ++i)
        torch::matmul(a, b);
    return 2.0 * 4096 * 768 * 3072 * reps / seconds(start) / 1e9;
}

// Forward FLOPs for one sequence of `length` tokens (matrix products only).
double forwardFlops(const core::BertConfig& c, int64_t length)
{
    const double h = static_cast<double>(c.hiddenSize);
    const double t = static_cast<double>(length);
    const double perLayer = 2.0 * t * (4.0 * h * h + 2.0 * h * static_cast<double>(c.intermediateSize)) + 4.0 * t * t * h;
    return static_cast<double>(c.numLayers) * perLayer + 2.0 * h * h + 2.0 * h * static_cast<double>(c.numLabels());
}

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// Every item of a comma-separated list passes the check; the whole list is checked before the first
// measurement, not when an item is reached.
CLI::Validator listOf(std::function<bool(const std::string&)> isValid, const std::string& expected)
{
    return CLI::Validator(
        [=](std::string& text) {
            for (const auto& item : splitList(text))
                if (!isValid(item))
                    return "expected " + expected + ", not '" + item + "'";
            return std::string();
        },
        "");
}

std::function<bool(const std::string&)> positiveUpTo(long long maximum)
{
    return [maximum](const std::string& item) {
        const auto number = parseInteger(item);
        return number && *number >= 1 && *number <= maximum;
    };
}

struct BenchModelArgs {
    std::string shape = "base";
    std::string batches = "6,16";
    std::string lengths = "128,256,512";
    std::string precisions = "fp32,bf16";
    std::string modes = "inference,train";
    int steps = 3;
    int threads = 0; // 0: all cores
    bool json = false;
};

int runBenchModel(const BenchModelArgs& args)
{
    const std::string& shape = args.shape;
    core::BertConfig config = shape == "mini" ? core::BertConfig::mini()
                              : shape == "tiny" ? core::BertConfig::tiny()
                                                : core::BertConfig::base();
    const int steps = args.steps;
    core::initRuntime(args.threads);

    const double fp32Rate = matmulGflops(torch::kFloat);
    const double bf16Rate = matmulGflops(torch::kBFloat16);
    nlohmann::json results = nlohmann::json::array();
    if (const auto warning = core::blasPerformanceWarning(); !warning.empty())
        std::cerr << "warning: " << warning << "\n";
    if (!args.json)
        std::cout << "BLAS kernels: " << core::blasCoreName() << ", OpenMP wait policy: "
                  << (std::getenv("OMP_WAIT_POLICY") ? std::getenv("OMP_WAIT_POLICY") : "libgomp's default") << "\n"
                  << "matrix product [4096x768]·[768x3072]: fp32 " << fp32Rate << " GFLOP/s, bf16 " << bf16Rate
                  << " GFLOP/s on " << core::computeThreads() << " threads\n";

    // Each precision as fika runs it: fp32 the model itself; bf16 a working copy made once
    // (model/bf16_weights.h), with float32 master weights and AdamW when training. Both start from
    // the same weights (the constructor initialises from seed 0), and their steps alternate, so
    // that a busy machine slows both alike.
    const auto precisions = splitList(args.precisions);
    for (const auto& mode : splitList(args.modes)) {
        const bool train = mode == "train";
        core::BertClassifier fp32Model(config);
        core::BertClassifier bf16Master(config);
        std::optional<core::Bf16Weights> bf16Weights;
        if (train)
            bf16Weights.emplace(bf16Master);
        else
            core::convertToBf16(bf16Master);
        core::BertClassifier bf16Model = train ? bf16Weights->model() : bf16Master;
        const auto options = torch::optim::AdamWOptions(2e-5).weight_decay(0.01);
        torch::optim::AdamW fp32Optimizer(fp32Model->parameters(), options);
        torch::optim::AdamW bf16Optimizer(bf16Master->parameters(), options);
        for (auto* model : {&fp32Model, &bf16Model})
            train ? (*model)->train() : (*model)->eval();
        for (const auto& batchText : splitList(args.batches)) {
            for (const auto& lengthText : splitList(args.lengths)) {
                const int64_t batch = std::stoll(batchText);
                const int64_t length = std::stoll(lengthText);
                const torch::Tensor ids = torch::randint(1000, 20000, {batch, length}, torch::kLong);
                const torch::Tensor mask = torch::ones_like(ids);
                const torch::Tensor types = torch::zeros_like(ids);
                const torch::Tensor labels = torch::randint(0, 2, {batch}, torch::kLong);
                auto step = [&](bool bf16) {
                    core::BertClassifier& model = bf16 ? bf16Model : fp32Model;
                    if (!train) {
                        c10::InferenceMode inference;
                        model->forward(ids, mask, types);
                        return;
                    }
                    auto& optimizer = bf16 ? bf16Optimizer : fp32Optimizer;
                    optimizer.zero_grad();
                    torch::cross_entropy_loss(model->forward(ids, mask, types).logits.to(torch::kFloat), labels).backward();
                    if (bf16)
                        bf16Weights->accumulateGradients();
                    optimizer.step();
                    if (bf16)
                        bf16Weights->refresh();
                };
                std::map<std::string, double> elapsed;
                for (const auto& precision : precisions)
                    step(precision == "bf16"); // warm-up
                for (int i = 0; i < steps; ++i)
                    for (const auto& precision : precisions) {
                        const auto start = Clock::now();
                        step(precision == "bf16");
                        elapsed[precision] += seconds(start);
                    }
                if (!args.json)
                    std::cout << mode << " batch " << batch << " × " << length << ":";
                std::map<std::string, double> rates;
                for (const auto& precision : precisions) {
                    const double samplesPerSecond = static_cast<double>(batch * steps) / elapsed[precision];
                    const double gflops = forwardFlops(config, length) * (train ? 3.0 : 1.0) * samplesPerSecond / 1e9;
                    const double ceiling = precision == "bf16" ? bf16Rate : fp32Rate;
                    rates[precision] = samplesPerSecond;
                    results.push_back({{"precision", precision}, {"mode", mode}, {"batch", batch}, {"length", length},
                                       {"samples_per_s", samplesPerSecond}, {"gflops", gflops},
                                       {"share_of_fp32_matmul", gflops / fp32Rate},
                                       {"share_of_own_matmul", gflops / ceiling}, {"peak_rss_mb", peakRssMb()}});
                    if (!args.json)
                        std::cout << "  " << precision << " " << samplesPerSecond << " samples/s, " << gflops << " GFLOP/s = "
                                  << 100.0 * gflops / ceiling << " % of its matmul;";
                }
                if (!args.json) {
                    if (rates.count("fp32") && rates.count("bf16"))
                        std::cout << "  bf16/fp32 " << rates["bf16"] / rates["fp32"] << "×;";
                    std::cout << "  peak RSS " << peakRssMb() << " MB\n" << std::flush;
                }
            }
        }
    }
    if (args.json)
        std::cout << nlohmann::json{{"shape", shape}, {"threads", core::computeThreads()}, {"blas_core", core::blasCoreName()}, {"matmul_fp32_gflops", fp32Rate},
                                    {"matmul_bf16_gflops", bf16Rate}, {"results", results}}
                         .dump()
                  << '\n';
    return 0;
}

} // namespace

Runner defineBenchModel(CLI::App& command)
{
    auto args = std::make_shared<BenchModelArgs>();
    command.description("Inference and training-step throughput next to the measured matrix-product rate.");
    addChoice(command, "--shape", args->shape, {"base", "mini", "tiny"}, "the model's size");
    addValue(command, "--batches", args->batches, "LIST", "batch sizes")
        ->check(listOf(positiveUpTo(4096), "whole numbers from 1 to 4096"));
    addValue(command, "--lengths", args->lengths, "LIST", "sequence lengths")
        ->check(listOf(positiveUpTo(512), "whole numbers from 1 to 512"));
    addValue(command, "--precisions", args->precisions, "LIST", "fp32 and/or bf16")
        ->check(listOf([](const std::string& p) { return p == "fp32" || p == "bf16"; }, "fp32 or bf16"));
    addValue(command, "--modes", args->modes, "LIST", "inference and/or train")
        ->check(listOf([](const std::string& m) { return m == "inference" || m == "train"; }, "inference or train"));
    addValue(command, "--steps", args->steps, "N", "timed steps per measurement")->check(wholeNumber(1, 1000000));
    addValue(command, "--threads", args->threads, "N", "threads, 0: all cores")->check(wholeNumber(0, maxThreads(), "cores"));
    addFlag(command, "--json", args->json, "print one JSON object");
    return [args] { return runBenchModel(*args); };
}

} // namespace fika::cli
