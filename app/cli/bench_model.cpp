// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli bench model: BERT inference and training-step throughput against the machine's own
// matrix-product rate, fp32 and bf16 autocast.
#include <torch/torch.h>

#include "cli/args.h"
#include "cli/commands.h"

#include "model/autocast.h"
#include "model/bert_classifier.h"
#include "runtime/runtime.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <chrono>
#include <iostream>
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

} // namespace

int runBenchModel(const std::vector<std::string>& argv)
{
    Args args;
    if (auto error = args.parse(argv, {"--shape", "--batches", "--lengths", "--precisions", "--modes", "--steps", "--threads"},
                                {"--json"});
        !error.empty())
        return usageError(error);
    const std::string shape = args.value("--shape", "base");
    core::BertConfig config = shape == "mini" ? core::BertConfig::mini()
                              : shape == "tiny" ? core::BertConfig::tiny()
                                                : core::BertConfig::base();
    if (shape != "base" && shape != "mini" && shape != "tiny")
        return usageError("--shape is base, mini or tiny");
    const auto stepCount = args.integer("--steps", 3, 1, 1000000);
    const auto threads = args.integer("--threads", 0, 0, maxThreads()); // 0: all cores
    if (const auto error = firstError(stepCount, threads); !error.empty())
        return usageError(error);
    const int steps = static_cast<int>(stepCount.value());
    // Every list item is checked before the first measurement, not when it is reached.
    auto checkList = [&](const char* option, const char* fallback, auto isValid, const std::string& expected) {
        for (const auto& item : splitList(args.value(option, fallback)))
            if (!isValid(item))
                return std::string(option) + ": expected " + expected + ", not '" + item + "'";
        return std::string();
    };
    auto positiveUpTo = [](long long maximum) {
        return [maximum](const std::string& item) {
            const auto number = parseInteger(item);
            return number && *number >= 1 && *number <= maximum;
        };
    };
    for (const auto& error :
         {checkList("--batches", "6,16", positiveUpTo(4096), "whole numbers from 1 to 4096"),
          checkList("--lengths", "128,256,512", positiveUpTo(512), "whole numbers from 1 to 512"),
          checkList("--precisions", "fp32,bf16", [](const std::string& p) { return p == "fp32" || p == "bf16"; },
                    "fp32 or bf16"),
          checkList("--modes", "inference,train", [](const std::string& m) { return m == "inference" || m == "train"; },
                    "inference or train")})
        if (!error.empty())
            return usageError(error);
    core::initRuntime(static_cast<int>(threads.value()));

    const double fp32Rate = matmulGflops(torch::kFloat);
    const double bf16Rate = matmulGflops(torch::kBFloat16);
    nlohmann::json results = nlohmann::json::array();
    if (const auto warning = core::blasPerformanceWarning(); !warning.empty())
        std::cerr << "warning: " << warning << "\n";
    if (!args.flag("--json"))
        std::cout << "BLAS kernels: " << core::blasCoreName() << ", OpenMP wait policy: "
                  << (std::getenv("OMP_WAIT_POLICY") ? std::getenv("OMP_WAIT_POLICY") : "libgomp's default") << "\n"
                  << "matrix product [4096x768]·[768x3072]: fp32 " << fp32Rate << " GFLOP/s, bf16 " << bf16Rate
                  << " GFLOP/s on " << core::computeThreads() << " threads\n";

    torch::manual_seed(0);
    core::BertClassifier model(config);
    for (const auto& precision : splitList(args.value("--precisions", "fp32,bf16"))) {
        const bool bf16 = precision == "bf16";
        for (const auto& mode : splitList(args.value("--modes", "inference,train"))) {
            const bool train = mode == "train";
            for (const auto& batchText : splitList(args.value("--batches", "6,16"))) {
                for (const auto& lengthText : splitList(args.value("--lengths", "128,256,512"))) {
                    const int64_t batch = std::stoll(batchText);
                    const int64_t length = std::stoll(lengthText);
                    const torch::Tensor ids = torch::randint(1000, 20000, {batch, length}, torch::kLong);
                    const torch::Tensor mask = torch::ones_like(ids);
                    const torch::Tensor types = torch::zeros_like(ids);
                    const torch::Tensor labels = torch::randint(0, 2, {batch}, torch::kLong);
                    torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(2e-5).weight_decay(0.01));
                    auto step = [&] {
                        if (!train) {
                            c10::InferenceMode inference;
                            core::CpuAutocast autocast(bf16);
                            model->forward(ids, mask, types);
                            return;
                        }
                        optimizer.zero_grad();
                        torch::Tensor loss;
                        {
                            core::CpuAutocast autocast(bf16);
                            loss = torch::cross_entropy_loss(model->forward(ids, mask, types).logits.to(torch::kFloat), labels);
                        }
                        loss.backward();
                        optimizer.step();
                    };
                    train ? model->train() : model->eval();
                    step(); // warm-up
                    const auto start = Clock::now();
                    for (int i = 0; i < steps; ++i)
                        step();
                    const double elapsed = seconds(start);
                    const double samplesPerSecond = static_cast<double>(batch * steps) / elapsed;
                    const double gflops = forwardFlops(config, length) * (train ? 3.0 : 1.0) * samplesPerSecond / 1e9;
                    const double reference = bf16 ? bf16Rate : fp32Rate;
                    results.push_back({{"precision", precision}, {"mode", mode}, {"batch", batch}, {"length", length},
                                       {"samples_per_s", samplesPerSecond}, {"gflops", gflops},
                                       {"share_of_fp32_matmul", gflops / fp32Rate},
                                       {"share_of_own_matmul", gflops / reference}, {"peak_rss_mb", peakRssMb()}});
                    if (!args.flag("--json"))
                        std::cout << precision << " " << mode << " batch " << batch << " × " << length << ": "
                                  << samplesPerSecond << " samples/s, " << gflops << " GFLOP/s ("
                                  << 100.0 * gflops / fp32Rate << " % of fp32 matmul), peak RSS " << peakRssMb()
                                  << " MB\n"
                                  << std::flush;
                }
            }
        }
    }
    if (args.flag("--json"))
        std::cout << nlohmann::json{{"shape", shape}, {"threads", core::computeThreads()}, {"blas_core", core::blasCoreName()}, {"matmul_fp32_gflops", fp32Rate},
                                    {"matmul_bf16_gflops", bf16Rate}, {"results", results}}
                         .dump()
                  << '\n';
    return 0;
}

} // namespace fika::cli
