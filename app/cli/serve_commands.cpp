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

int runServe(const std::vector<std::string>& argv)
{
    Args args;
    if (auto error = args.parse(argv, {"--checkpoint", "--port", "--token-file", "--host", "--input-name", "--target-name",
                                       "--max-body-bytes", "--max-batch", "--workers", "--sequence-length"},
                                {});
        !error.empty())
        return usageError(error);
    const auto checkpoint = args.value("--checkpoint");
    const auto tokenFile = args.value("--token-file");
    if (!checkpoint || !tokenFile || !args.value("--port"))
        return usageError("serve needs --checkpoint DIR, --port N and --token-file FILE");
    core::ServerOptions options;
    const auto port = args.integer("--port", 0, 0, 65535);
    const auto maxBody = args.integer("--max-body-bytes", 1048576, 1, std::numeric_limits<long long>::max());
    const auto maxBatch = args.integer("--max-batch", 16, 1, 4096);
    const auto workers = args.integer("--workers", 1, 1, maxThreads()); // more than the cores only contend
    const auto sequenceLength = args.integer("--sequence-length", 0, 0, core::kMaxSequenceLength); // 0: the checkpoint's
    if (const auto error = firstError(port, maxBody, maxBatch, workers, sequenceLength); !error.empty())
        return usageError(error);
    options.port = static_cast<int>(port.value());
    options.host = args.value("--host", "127.0.0.1");
    options.maxBodyBytes = static_cast<size_t>(maxBody.value());
    options.maxBatch = static_cast<int>(maxBatch.value());
    options.workers = static_cast<int>(workers.value());

    std::string input, target;
    const bool fromCheckpoint = core::checkpointFeatureNames(*checkpoint, input, target);
    options.inputName = args.value("--input-name", input);
    options.targetName = args.value("--target-name", target);
    if (options.inputName.empty() || options.targetName.empty()) {
        std::cerr << "fika-cli: " << *checkpoint
                  << " is a plain Hugging Face folder: give --input-name (e.g. review) and --target-name (e.g. sentiment)\n";
        return 2;
    }
    bool created = false;
    std::string tokenWarning;
    auto token = core::readOrCreateTokenFile(*tokenFile, &created, &tokenWarning);
    if (!token) {
        return fail(token.error());
    }
    options.token = token.value();
    if (created)
        std::cerr << "a new API token was written to " << *tokenFile << "\n";
    if (!tokenWarning.empty())
        std::cerr << "warning: " << tokenWarning << "\n";
    if (options.host != "127.0.0.1" && options.host != "localhost" && options.host != "::1")
        std::cerr << "warning: listening on " << options.host
                  << ": other machines can reach the API; anyone with the token can use it\n";

    core::PredictorOptions predictorOptions;
    predictorOptions.sequenceLength = static_cast<int>(sequenceLength.value());
    auto predictor = core::Predictor::fromCheckpoint(*checkpoint, predictorOptions);
    if (!predictor) {
        return fail(predictor.error());
    }
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
    const auto& stop = stopOnInterrupt();
    std::cerr << "serving " << *checkpoint << " (" << (fromCheckpoint ? "names from the checkpoint" : "names given") << ": "
              << options.inputName << " → " << options.targetName << ") on " << server.url()
              << "\ntry: curl -X POST -F \"" << options.inputName << "=A fun brain candy movie\" -u \"$(cat " << *tokenFile
              << "):\" " << server.url() << "/predict\nCtrl-C stops.\n";
    while (!stop)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::cerr << "stopping: answering the requests in flight\n";
    server.stop();
    std::cerr << "stopped\n";
    return 0;
}

} // namespace fika::cli
