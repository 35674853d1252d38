// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli bench parity: the tiny-bert golden model (Hugging Face's outputs, see ../shared/golden)
// on a device against the CPU: logits, gradients, bf16 logits, AdamW steps and dropout. On a GPU it
// proves that the fused attention, the device's dropout and the fused AdamW compute what the CPU does.
#include <torch/torch.h>

#include "cli/args.h"
#include "cli/commands.h"

#include "model/bf16_weights.h"
#include "model/checkpoint.h"
#include "model/dropout.h"
#include "model/predictor.h"
#include "model/torch_compat.h"
#include "runtime/runtime.h"
#include "train/optimizer_step.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fika::cli {
namespace {

struct BenchParityArgs {
    std::string golden; // the tiny-bert folder: config.json, model.safetensors, golden.json
    std::string device = "cpu";
    bool json = false;
};

// Nested JSON numbers as a float32 tensor (its shape from the nesting).
torch::Tensor tensorOf(const nlohmann::json& value)
{
    std::vector<float> flat;
    std::vector<int64_t> shape;
    std::function<void(const nlohmann::json&, size_t)> walk = [&](const nlohmann::json& v, size_t depth) {
        if (!v.is_array()) {
            flat.push_back(v.get<float>());
            return;
        }
        if (shape.size() <= depth)
            shape.push_back(static_cast<int64_t>(v.size()));
        for (const auto& item : v)
            walk(item, depth + 1);
    };
    walk(value, 0);
    return torch::tensor(flat).view(shape);
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kCPU, torch::kFloat) - b.to(torch::kCPU, torch::kFloat)).abs().max().item<double>();
}

struct Inputs {
    torch::Tensor ids, mask, types, labels;
    Inputs to(const torch::Device& device) const { return {ids.to(device), mask.to(device), types.to(device), labels.to(device)}; }
};

// The loss's gradients, by parameter name, on the CPU.
std::map<std::string, torch::Tensor> gradients(core::BertClassifier& model, const Inputs& in)
{
    model->zero_grad();
    torch::cross_entropy_loss(model->forward(in.ids, in.mask, in.types).logits.to(torch::kFloat), in.labels).backward();
    std::map<std::string, torch::Tensor> out;
    for (const auto& item : model->named_parameters())
        out[item.key()] = item.value().grad().to(torch::kCPU);
    return out;
}

int runBenchParity(const BenchParityArgs& args)
{
    namespace fs = std::filesystem;
    core::initRuntime(0);
    if (auto valid = core::checkComputeDevice(args.device); !valid)
        return fail(valid.error());
    const core::ComputeDevice found = core::findComputeDevice(args.device);
    const torch::Device device(found.id);
    std::ifstream goldenFile(fs::path(args.golden) / "golden.json");
    if (!goldenFile)
        return fail(core::makeError(core::ErrorCode::FileNotFound, (fs::path(args.golden) / "golden.json").string() + ": cannot be read"));
    nlohmann::json golden;
    try {
        golden = nlohmann::json::parse(goldenFile);
    } catch (const nlohmann::json::exception& e) {
        return fail(core::makeError(core::ErrorCode::Json, (fs::path(args.golden) / "golden.json").string() + ": " + e.what()));
    }
    for (const char* key : {"input_ids", "attention_mask", "token_type_ids", "labels", "logits", "adamw"})
        if (!golden.contains(key))
            return fail(core::makeError(core::ErrorCode::Json, (fs::path(args.golden) / "golden.json").string() + ": no \"" + key +
                                                                   "\" (a golden file as ../shared/golden/README.md describes)"));
    core::LoadOptions loadOptions;
    loadOptions.fallbackVocab = core::bundledVocabPath();
    auto cpu = core::loadCheckpoint(args.golden, loadOptions);
    if (!cpu)
        return fail(cpu.error());
    const Inputs onCpu{tensorOf(golden["input_ids"]).to(torch::kLong), tensorOf(golden["attention_mask"]).to(torch::kLong),
                       tensorOf(golden["token_type_ids"]).to(torch::kLong), tensorOf(golden["labels"]).to(torch::kLong)};
    const Inputs onDevice = onCpu.to(device);
    core::BertClassifier cpuModel = cpu->model;
    cpuModel->eval();
    torch::Tensor cpuLogits;
    {
        torch::NoGradGuard noGrad;
        cpuLogits = cpuModel->forward(onCpu.ids, onCpu.mask, onCpu.types).logits;
    }
    const auto cpuGradients = gradients(cpuModel, onCpu);

    // A fresh copy of the golden weights on the device, for each check.
    auto deviceCopy = [&]() {
        core::BertClassifier model(cpu->config, /*initialize=*/false);
        {
            torch::NoGradGuard noGrad;
            auto source = cpuModel->named_parameters();
            for (auto& item : model->named_parameters())
                item.value().copy_(source[item.key()]);
        }
        model->to(device);
        model->eval();
        return model;
    };
    nlohmann::json out = {{"device", args.device},
                          {"device_name", found.name},
                          {"torch", core::torchVersion()},
                          {"fused_attention", core::compat::kHasFusedAttention && !device.is_cpu()},
                          {"fused_adamw", core::compat::kHasFusedAdamW && !device.is_cpu()}};

    // fp32 forward and gradients.
    core::BertClassifier fp32 = deviceCopy();
    {
        torch::NoGradGuard noGrad;
        const torch::Tensor logits = fp32->forward(onDevice.ids, onDevice.mask, onDevice.types).logits;
        out["max_abs_logit_diff_fp32_vs_cpu"] = maxAbsDiff(logits, cpuLogits);
        out["max_abs_logit_diff_fp32_vs_golden"] = maxAbsDiff(logits, tensorOf(golden["logits"]));
        out["max_abs_logit_diff_cpu_vs_golden"] = maxAbsDiff(cpuLogits, tensorOf(golden["logits"]));
    }
    // Relative error of each gradient tensor against the CPU's; the attention key biases' gradients
    // are zero up to rounding (softmax ignores a constant), so tensors below 1e-6 are left out.
    double worstGradient = 0;
    std::string worstName;
    for (const auto& [name, grad] : gradients(fp32, onDevice)) {
        const torch::Tensor& reference = cpuGradients.at(name);
        const double norm = reference.norm().item<double>();
        if (norm < 1e-6)
            continue;
        const double error = (grad - reference).norm().item<double>() / norm;
        if (error > worstGradient) {
            worstGradient = error;
            worstName = name;
        }
    }
    out["max_rel_gradient_diff_fp32_vs_cpu"] = worstGradient;
    out["worst_gradient"] = worstName;

    // bf16 weights (model/bf16_weights.h) against the CPU's fp32 logits.
    core::BertClassifier bf16 = deviceCopy();
    core::convertToBf16(bf16);
    {
        torch::NoGradGuard noGrad;
        out["max_abs_logit_diff_bf16_vs_cpu_fp32"] =
            maxAbsDiff(bf16->forward(onDevice.ids, onDevice.mask, onDevice.types).logits, cpuLogits);
    }

    // Five full-batch AdamW steps as the reference took them (the fused step on a GPU).
    const auto& adamw = golden["adamw"];
    core::BertClassifier trained = deviceCopy();
    torch::optim::AdamW optimizer(trained->parameters(), torch::optim::AdamWOptions(adamw["lr"].get<double>())
                                                             .betas({adamw["betas"][0].get<double>(), adamw["betas"][1].get<double>()})
                                                             .eps(adamw["eps"].get<double>())
                                                             .weight_decay(adamw["weight_decay"].get<double>()));
    const auto expectedLosses = adamw["losses_before_each_step"].get<std::vector<double>>();
    double worstLoss = 0;
    for (size_t step = 0; step < expectedLosses.size(); ++step) {
        optimizer.zero_grad();
        const torch::Tensor loss =
            torch::cross_entropy_loss(trained->forward(onDevice.ids, onDevice.mask, onDevice.types).logits, onDevice.labels);
        worstLoss = std::max(worstLoss, std::abs(loss.item<double>() - expectedLosses[step]));
        loss.backward();
        core::adamWStep(optimizer);
    }
    out["max_abs_adamw_loss_diff_vs_golden"] = worstLoss;

    // Dropout on the device: the same seed, the same masks; another seed, others; about p dropped.
    core::BertClassifier dropping = deviceCopy();
    dropping->setDropout(0.1);
    dropping->train();
    auto trainLogits = [&](uint64_t seed) {
        torch::NoGradGuard noGrad;
        const core::DropoutSeedScope scope(seed);
        return dropping->forward(onDevice.ids, onDevice.mask, onDevice.types).logits;
    };
    const torch::Tensor first = trainLogits(7);
    out["dropout_same_seed_max_abs_diff"] = maxAbsDiff(first, trainLogits(7));
    out["dropout_other_seed_max_abs_diff"] = maxAbsDiff(first, trainLogits(8));
    {
        const core::DropoutSeedScope scope(9);
        const torch::Tensor ones = torch::ones({1 << 20}, torch::TensorOptions(device));
        out["dropout_share_dropped_at_0.1"] = (core::dropout(ones, 0.1, true) == 0).to(torch::kFloat).mean().item<double>();
    }

    struct Check {
        const char* key;
        double limit;
        bool below;
    };
    const Check checks[] = {{"max_abs_logit_diff_fp32_vs_cpu", 1e-4, true},      {"max_abs_logit_diff_fp32_vs_golden", 1e-4, true},
                            {"max_rel_gradient_diff_fp32_vs_cpu", 1e-3, true},   {"max_abs_logit_diff_bf16_vs_cpu_fp32", 2e-2, true},
                            {"max_abs_adamw_loss_diff_vs_golden", 1e-4, true},   {"dropout_same_seed_max_abs_diff", 0.0, true},
                            {"dropout_other_seed_max_abs_diff", 0.0, false}};
    std::vector<std::string> failed;
    for (const auto& check : checks) {
        const double value = out[check.key].get<double>();
        if (check.below ? value > check.limit : value <= check.limit)
            failed.push_back(std::string(check.key) + " " + std::to_string(value) + (check.below ? " > " : " <= ") +
                             std::to_string(check.limit));
    }
    const double dropped = out["dropout_share_dropped_at_0.1"].get<double>();
    if (std::abs(dropped - 0.1) > 0.005)
        failed.push_back("dropout dropped " + std::to_string(dropped) + " instead of about 0.1");
    out["failed"] = failed;
    if (args.json) {
        std::cout << out.dump() << "\n";
    } else {
        for (const auto& [key, value] : out.items())
            if (key != "failed")
                std::cout << key << ": " << value.dump() << "\n";
        std::cout << (failed.empty() ? "all within limits\n" : "");
    }
    for (const auto& f : failed)
        std::cerr << "fika-cli: parity: " << f << "\n";
    return failed.empty() ? 0 : 1;
}

} // namespace

Runner defineBenchParity(CLI::App& command)
{
    auto args = std::make_shared<BenchParityArgs>();
    command.description("A device against the CPU and Hugging Face's outputs, on the tiny-bert golden model: logits (fp32 within\n"
                        "1e-4, bf16 within 2e-2), gradients (1e-3 relative), five AdamW steps' losses, dropout's masks.");
    addValue(command, "--golden", args->golden, "DIR", "the tiny-bert folder (config.json, model.safetensors, golden.json)")->required();
    addDevice(command, args->device);
    addFlag(command, "--json", args->json, "print one JSON object");
    return [args] {
        // A golden file with the keys but other shapes or types, or inputs the model cannot take.
        try {
            return runBenchParity(*args);
        } catch (const nlohmann::json::exception& e) {
            return fail(core::makeError(core::ErrorCode::Json, args->golden + "/golden.json: " + e.what()));
        } catch (const std::exception&) {
            return fail(core::makeError(core::ErrorCode::InvalidArgument, args->golden + ": " + core::currentExceptionMessage()));
        }
    };
}

} // namespace fika::cli
