// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli serve: the prediction API, headless.
#include "cli/args.h"
#include "cli/commands.h"

#include "model/predictor.h"
#include "runtime/runtime.h"
#include "serve/prediction_server.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <limits>
#include <mutex>
#include <thread>

namespace fika::cli {
namespace {

struct ServeArgs {
    std::string checkpoint;
    int port = 0;
    std::string tokenFile;
    std::string host = "127.0.0.1";
    std::string inputName;  // empty: the checkpoint's
    std::string targetName; // empty: the checkpoint's
    long long maxBodyBytes = 1048576;
    int maxBatch = 16;
    int workers = 1;
    int sequenceLength = 0; // 0: the checkpoint's
    std::string precision = "fp32";
    std::string device = "cpu";
};

int runServe(const ServeArgs& args)
{
    core::ServerOptions options;
    options.port = args.port;
    options.host = args.host;
    options.maxBodyBytes = static_cast<size_t>(args.maxBodyBytes);
    options.maxBatch = args.maxBatch;
    options.workers = args.workers;

    std::string input, target;
    const bool fromCheckpoint = core::checkpointFeatureNames(args.checkpoint, input, target);
    options.inputName = args.inputName.empty() ? input : args.inputName;
    options.targetName = args.targetName.empty() ? target : args.targetName;
    if (options.inputName.empty() || options.targetName.empty()) {
        std::cerr << "fika-cli: " << args.checkpoint
                  << " is a plain Hugging Face folder: give --input-name (e.g. review) and --target-name (e.g. sentiment)\n";
        return 2;
    }
    core::PredictorOptions predictorOptions;
    predictorOptions.sequenceLength = args.sequenceLength;
    predictorOptions.bf16 = args.precision == "bf16";
    predictorOptions.device = args.device;
    auto predictor = core::Predictor::fromCheckpoint(args.checkpoint, predictorOptions);
    if (!predictor) {
        return fail(predictor.error());
    }
    // The token file only once the model is loaded: a wrong device or checkpoint leaves no file behind.
    bool created = false;
    std::string tokenWarning;
    auto token = core::readOrCreateTokenFile(args.tokenFile, &created, &tokenWarning);
    if (!token) {
        return fail(token.error());
    }
    options.token = token.value();
    if (created)
        std::cerr << "a new API token was written to " << args.tokenFile << "\n";
    if (!tokenWarning.empty())
        std::cerr << "warning: " << tokenWarning << "\n";

    core::releaseComputeThreads(); // only the server's worker computes from now on
    std::mutex logMutex;
    options.log = [&logMutex](const std::string& line) {
        std::lock_guard lock(logMutex);
        std::cerr << line << "\n";
    };
    core::PredictionServer server(predictor.value(), options);
    if (auto started = server.start(); !started) {
        return fail(started.error());
    }
    // Decided by the address bound, not the name given: 127.0.0.2 is loopback, a host name may not be.
    if (!server.loopbackOnly())
        std::cerr << "warning: listening on " << options.host
                  << ": other machines can reach the API; anyone with the token can use it\n";
    const auto& stop = stopOnInterrupt();
    std::cerr << "serving " << args.checkpoint << " (" << (fromCheckpoint ? "names from the checkpoint" : "names given") << ": "
              << options.inputName << " → " << options.targetName << ") on " << server.url()
              << "\ntry: curl -X POST -F \"" << options.inputName << "=A fun brain candy movie\" -u \"$(cat " << args.tokenFile
              << "):\" " << server.url() << "/predict\nCtrl-C stops.\n";
    while (!stop)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::cerr << "stopping: answering the requests in flight\n";
    server.stop();
    std::cerr << "stopped\n";
    return 0;
}

} // namespace

Runner defineServe(CLI::App& command)
{
    auto args = std::make_shared<ServeArgs>();
    command.description("Serves the prediction API (POST /predict, GET /health, GET / tester page, GET /openapi.json);\n"
                        "names default to the checkpoint's; a missing token file is created with a new token.\n"
                        "Workers compute batches at the same time, sharing the cores.");
    addValue(command, "--checkpoint", args->checkpoint, "DIR", "the checkpoint folder")->required();
    addValue(command, "--port", args->port, "N", "the port, 0: any free one")->required()->check(wholeNumber(0, 65535));
    addValue(command, "--token-file", args->tokenFile, "FILE", "the API token (created when missing)")->required();
    addValue(command, "--host", args->host, "ADDRESS", "the address to listen on");
    addValue(command, "--input-name", args->inputName, "NAME", "the request's text field (default: the checkpoint's)");
    addValue(command, "--target-name", args->targetName, "NAME", "the answer's label field (default: the checkpoint's)");
    addValue(command, "--max-body-bytes", args->maxBodyBytes, "N", "the largest request accepted")
        ->check(wholeNumber(1, std::numeric_limits<long long>::max()));
    addValue(command, "--max-batch", args->maxBatch, "N", "texts per forward pass")->check(wholeNumber(1, 4096));
    addValue(command, "--workers", args->workers, "N", "batches computed at the same time") // more than the cores only contend
        ->check(wholeNumber(1, maxThreads(), "cores"));
    addValue(command, "--sequence-length", args->sequenceLength, "N", "tokens per text, 0: the checkpoint's")
        ->check(sequenceLengthOrCheckpoints());
    addChoice(command, "--precision", args->precision, {"fp32", "bf16"}, "bf16: about 2x faster on a CPU with bf16 units; a few labels in a thousand may differ from fp32's");
    addDevice(command, args->device);
    return [args] { return runServe(*args); };
}

} // namespace fika::cli
