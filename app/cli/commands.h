// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cli/args.h"

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

// Each command defines its options on its CLI11 command (description, options, help) and returns
// what runs it once the command line is parsed. A run returns the process exit code: 0 success,
// 1 a failure the user caused (message on stderr), 2 a usage error.
Runner defineTokenize(CLI::App& command);
Runner defineBenchTokenizer(CLI::App& command);
Runner defineDatasetInspect(CLI::App& command);
Runner defineDatasetVersion(CLI::App& command);
Runner definePredict(CLI::App& command);
Runner defineExport(CLI::App& command);
Runner defineInitConfig(CLI::App& command);
Runner defineTrain(CLI::App& command);
Runner defineEvaluate(CLI::App& command);
Runner defineBenchModel(CLI::App& command);
Runner defineBenchParity(CLI::App& command);
Runner defineBenchDistributed(CLI::App& command);
Runner defineBenchLoad(CLI::App& command);
Runner defineServe(CLI::App& command);
Runner defineDownload(CLI::App& command);
Runner defineBenchServe(CLI::App& command);

// Prints "fika-cli: <message>" and a pointer to the command's --help on stderr and returns 2.
int usageError(const std::string& message, const std::string& command = {});

} // namespace fika::cli
