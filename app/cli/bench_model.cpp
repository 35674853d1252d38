// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli bench model: BERT inference and training-step throughput against the machine's own
// matrix-product rate, fp32 and bf16 side by side.
#include <torch/torch.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/kernel_profile.h"

#include "model/bert_classifier.h"
#include "model/bf16_weights.h"
#include "model/predictor.h"
#include "model/torch_compat.h"
#include "runtime/runtime.h"
#include "train/optimizer_step.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <numeric>
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

// Waits for the device's queued work (a GPU runs asynchronously), so that a clock read after it counts it.
void finish(const torch::Device& device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.index());
}

// GFLOP/s of a [4096 × 768] · [768 × 3072] product (BERT-base's feed-forward shape); on a GPU, whose
// rate that shape is far too small to show, of 8192 × 8192 × 8192.
double matmulGflops(torch::ScalarType dtype, const torch::Device& device)
{
    const int64_t m = device.is_cpu() ? 4096 : 8192, k = device.is_cpu() ? 768 : 8192, n = device.is_cpu() ? 3072 : 8192;
    const torch::Tensor a = torch::randn({m, k}, torch::TensorOptions(device)).to(dtype);
    const torch::Tensor b = torch::randn({k, n}, torch::TensorOptions(device)).to(dtype);
    torch::matmul(a, b);
    finish(device);
    const int reps = 10;
    const auto start = Clock::now();
    for (int i = 0; i < reps; ++i)
        torch::matmul(a, b);
    finish(device);
    return 2.0 * static_cast<double>(m * k * n) * reps / seconds(start) / 1e9;
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
    std::string device = "cpu";
    int profileSteps = 0; // > 0: each measurement's GPU kernels profiled over this many more steps
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
    if (auto valid = core::checkComputeDevice(args.device); !valid)
        return fail(valid.error());
    const core::ComputeDevice found = core::findComputeDevice(args.device);
    const torch::Device device(found.id);
    const std::string& deviceName = found.name;
    if (args.profileSteps > 0 && !device.is_cuda())
        return fail(core::makeError(core::ErrorCode::InvalidArgument, "--profile-steps profiles GPU kernels: give --device cuda"));

    const double fp32Rate = matmulGflops(torch::kFloat, device);
    const double bf16Rate = matmulGflops(torch::kBFloat16, device);
    nlohmann::json results = nlohmann::json::array();
    if (const auto warning = core::blasPerformanceWarning(); !warning.empty())
        std::cerr << "warning: " << warning << "\n";
    if (!args.json && !device.is_cpu())
        std::cout << "device: " << args.device << " (" << deviceName << ")\n"
                  << "matrix product 8192³: fp32 " << fp32Rate << " GFLOP/s, bf16 " << bf16Rate << " GFLOP/s\n";
    else if (!args.json)
        std::cout << "BLAS kernels: " << core::blasCoreName() << ", OpenMP wait policy: "
                  << (std::getenv("OMP_WAIT_POLICY") ? std::getenv("OMP_WAIT_POLICY") : "libgomp's default") << "\n"
                  << "matrix product [4096x768]·[768x3072]: fp32 " << fp32Rate << " GFLOP/s, bf16 " << bf16Rate
                  << " GFLOP/s on " << core::computeThreads() << " threads\n";

    // Each precision as fika runs it: fp32 the model itself; bf16 a working copy made once
    // (model/bf16_weights.h), with float32 master weights and AdamW when training. Both start from
    // the same weights (the constructor initialises from seed 0), and their steps alternate, so
    // that a busy machine slows both alike. A training step is the trainer's: forward, loss read
    // back, backward, gradient norm (clipped at 1), AdamW (fused on a GPU with LibTorch 2.x).
    const auto precisions = splitList(args.precisions);
    for (const auto& mode : splitList(args.modes)) {
        const bool train = mode == "train";
        core::BertClassifier fp32Model(config);
        core::BertClassifier bf16Master(config);
        fp32Model->to(device);
        bf16Master->to(device);
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
                const auto on = torch::TensorOptions(torch::kLong).device(device);
                const torch::Tensor ids = torch::randint(1000, 20000, {batch, length}, on);
                const torch::Tensor mask = torch::ones_like(ids);
                const torch::Tensor types = torch::zeros_like(ids);
                const torch::Tensor labels = torch::randint(0, 2, {batch}, on);
                auto step = [&](bool bf16) {
                    core::BertClassifier& model = bf16 ? bf16Model : fp32Model;
                    if (!train) {
                        c10::InferenceMode inference;
                        model->forward(ids, mask, types);
                        return;
                    }
                    auto& optimizer = bf16 ? bf16Optimizer : fp32Optimizer;
                    optimizer.zero_grad();
                    const torch::Tensor loss = torch::cross_entropy_loss(model->forward(ids, mask, types).logits.to(torch::kFloat), labels);
                    loss.item<double>();
                    loss.backward();
                    if (bf16)
                        bf16Weights->accumulateGradients();
                    core::clipGradientNorm(bf16 ? bf16Master->parameters() : fp32Model->parameters(), 1.0);
                    core::adamWStep(optimizer);
                    if (bf16)
                        bf16Weights->refresh();
                };
                std::map<std::string, std::vector<double>> stepSeconds;
                std::map<std::string, int64_t> peakBytes;
                // Warm-up: one step on a CPU (slow enough to need no more), three on a GPU (its kernels'
                // first runs pick algorithms and fill the caching allocator), as the transformers peer does.
                for (int i = 0; i < (device.is_cpu() ? 1 : 3); ++i)
                    for (const auto& precision : precisions)
                        step(precision == "bf16");
                finish(device);
                for (int i = 0; i < steps; ++i)
                    for (const auto& precision : precisions) {
                        if (device.is_cuda())
                            core::resetGpuPeakMemory(device.index());
                        const auto start = Clock::now();
                        step(precision == "bf16");
                        finish(device);
                        stepSeconds[precision].push_back(seconds(start));
                        if (device.is_cuda())
                            peakBytes[precision] = std::max(peakBytes[precision], core::gpuPeakMemoryBytes(device.index()));
                    }
                if (!args.json)
                    std::cout << mode << " batch " << batch << " × " << length << ":";
                std::map<std::string, double> rates;
                for (const auto& precision : precisions) {
                    auto sorted = stepSeconds[precision];
                    std::sort(sorted.begin(), sorted.end());
                    const double total = std::accumulate(sorted.begin(), sorted.end(), 0.0);
                    const double samplesPerSecond = static_cast<double>(batch * steps) / total;
                    const double gflops = forwardFlops(config, length) * (train ? 3.0 : 1.0) * samplesPerSecond / 1e9;
                    const double ceiling = precision == "bf16" ? bf16Rate : fp32Rate;
                    rates[precision] = samplesPerSecond;
                    const double median = sorted.size() % 2 ? sorted[sorted.size() / 2]
                                                            : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
                    // The kernel the fused attention takes at this shape, with and without a padding mask.
                    std::string kernel = "fika", paddedKernel = "fika";
                    if (!device.is_cpu()) {
                        const auto type = precision == "bf16" ? torch::kBFloat16 : torch::kFloat;
                        const torch::Tensor q = torch::randn({batch, config.numHeads, length, config.hiddenSize / config.numHeads},
                                                             torch::TensorOptions(device).dtype(type));
                        const torch::Tensor attend = torch::ones({batch, 1, 1, length}, torch::TensorOptions(device).dtype(torch::kBool));
                        const double dropout = train ? config.attentionDropout : 0.0;
                        kernel = core::compat::fusedAttentionBackend(q, q, q, torch::Tensor(), dropout);
                        paddedKernel = core::compat::fusedAttentionBackend(q, q, q, attend, dropout);
                    }
                    nlohmann::json profile;
                    if (args.profileSteps > 0) {
                        // A diagnosis: its failure is recorded beside the measurement, which stands.
                        auto profiled = profileKernels([&] { step(precision == "bf16"); }, args.profileSteps);
                        profile = profiled ? profiled.value() : nlohmann::json{{"error", profiled.error().message}};
                    }
                    results.push_back({{"precision", precision}, {"mode", mode}, {"batch", batch}, {"length", length},
                                       {"samples_per_s", samplesPerSecond}, {"gflops", gflops},
                                       {"share_of_fp32_matmul", gflops / fp32Rate},
                                       {"share_of_own_matmul", gflops / ceiling}, {"peak_rss_mb", peakRssMb()},
                                       {"peak_gpu_memory_mb", static_cast<double>(peakBytes[precision]) / 1e6},
                                       {"samples_per_s_median", static_cast<double>(batch) / median},
                                       {"attention_kernel", kernel}, {"attention_kernel_padded", paddedKernel}});
                    if (!profile.is_null())
                        results.back()["kernel_profile"] = profile;
                    if (!args.json)
                        std::cout << "  " << precision << " " << samplesPerSecond << " samples/s, " << gflops << " GFLOP/s = "
                                  << 100.0 * gflops / ceiling << " % of its matmul"
                                  << (device.is_cuda() ? ", GPU peak " + std::to_string(peakBytes[precision] / 1000000) + " MB" : "") << ";";
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
        std::cout << nlohmann::json{{"shape", shape}, {"device", args.device}, {"device_name", deviceName}, {"threads", core::computeThreads()}, {"blas_core", core::blasCoreName()}, {"matmul_fp32_gflops", fp32Rate},
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
    addDevice(command, args->device);
    addValue(command, "--profile-steps", args->profileSteps, "N", "GPU kernel times over N more steps (LibTorch 2.x)")
        ->check(wholeNumber(0, 1000));
    addFlag(command, "--json", args->json, "print one JSON object");
    return [args] { return runBenchModel(*args); };
}

} // namespace fika::cli
