// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace fika::cli {

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
