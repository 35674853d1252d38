// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <iostream>
#include <string>
#include <vector>

namespace fika::cli {

// Prints "fika-cli: <message>" on stderr and returns 1, the exit code of a failure.
template <typename E>
int fail(const E& error)
{
    std::cerr << "fika-cli: " << error.message << "\n";
    return 1;
}

// Installs Ctrl-C and SIGTERM handlers that set the returned flag, for commands that stop cleanly.
const std::atomic<bool>& stopOnInterrupt();

// Each command takes its arguments after the command words and returns the process exit code:
// 0 success, 1 a failure the user caused (message on stderr), 2 a usage error.
int runTokenize(const std::vector<std::string>& args);
int runBenchTokenizer(const std::vector<std::string>& args);
int runDatasetInspect(const std::vector<std::string>& args);
int runDatasetVersion(const std::vector<std::string>& args);
int runPredict(const std::vector<std::string>& args);
int runExport(const std::vector<std::string>& args);
int runInitConfig(const std::vector<std::string>& args);
int runTrain(const std::vector<std::string>& args);
int runEvaluate(const std::vector<std::string>& args);
int runBenchModel(const std::vector<std::string>& args);
int runBenchLoad(const std::vector<std::string>& args);
int runServe(const std::vector<std::string>& args);
int runDownload(const std::vector<std::string>& args);
int runBenchServe(const std::vector<std::string>& args);

int usageError(const std::string& message);

} // namespace fika::cli
