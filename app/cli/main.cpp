// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli: Fika without a display. Dispatches to the command implementations.
#include "cli/commands.h"

#include "runtime/runtime.h"
#include "runtime/startup_environment.h"

#include <iostream>

namespace fika::cli {

namespace {

// The commands in the order the overview lists them.
std::map<const CLI::App*, Runner> defineCommands(CLI::App& app)
{
    std::map<const CLI::App*, Runner> runners;
    auto add = [&](CLI::App& parent, const std::string& name, Runner (*define)(CLI::App&)) {
        CLI::App* command = parent.add_subcommand(name);
        runners[command] = define(*command);
    };
    add(app, "tokenize", defineTokenize);
    CLI::App* dataset = app.add_subcommand("dataset", "Imports a dataset and reports on it or saves a version of it.");
    dataset->require_subcommand(1);
    add(*dataset, "inspect", defineDatasetInspect);
    add(*dataset, "version", defineDatasetVersion);
    add(app, "predict", definePredict);
    add(app, "init-config", defineInitConfig);
    add(app, "train", defineTrain);
    add(app, "evaluate", defineEvaluate);
    add(app, "export", defineExport);
    add(app, "serve", defineServe);
#ifdef FIKA_WITH_DOWNLOADS
    add(app, "download", defineDownload);
#endif
    CLI::App* bench = app.add_subcommand("bench", "Measures throughput, loading and the prediction API.");
    bench->require_subcommand(1);
    add(*bench, "model", defineBenchModel);
    add(*bench, "parity", defineBenchParity);
    add(*bench, "distributed", defineBenchDistributed);
    add(*bench, "load", defineBenchLoad);
    add(*bench, "serve", defineBenchServe);
    add(*bench, "tokenizer", defineBenchTokenizer);
    return runners;
}

std::string versionText()
{
    const std::string blas = fika::core::blasCoreName();
    return "fika-cli " + fika::core::fikaVersion() + " (LibTorch " + fika::core::torchVersion() +
           (blas.empty() ? std::string() : ", OpenBLAS " + blas + " kernels") + ")";
}

} // namespace

int usageError(const std::string& message, const std::string& command)
{
    std::cerr << "fika-cli: " << message << "\nTry 'fika-cli " << (command.empty() ? "" : command + " ") << "--help'.\n";
    return 2;
}

} // namespace fika::cli

int main(int argc, char** argv)
{
    using namespace fika::cli;
    std::vector<std::string> args(argv + 1, argv + argc);
    const bool computes = !args.empty() && (args[0] == "train" || args[0] == "evaluate" || args[0] == "predict" ||
                                            args[0] == "serve" || args[0] == "bench");
    fika::core::restartWithTunedEnvironment(argv, computes);
    if (!args.empty() && args[0] == "help")
        args[0] = "--help";
    CLI::App app("Fika fine-tunes BERT text classifiers. Commands (fika-cli COMMAND --help lists each one's options):");
    setUpApp(app, versionText);
    const auto runners = defineCommands(app);
    app.footer("  --  ends the options: the words after it are texts or files, even when they start with --\n" // the commands' help goes without
               "An option takes one value (--name value or --name=value) and may be given once; only train's --set\n"
               "is given once per key. Unknown options and words a command does not take are usage errors (exit 2).\n"
               "Without --vocab the bundled bert-base-uncased vocabulary is used.");
    int exitCode = 0;
    const Runner run = parseCommandLine(app, args, runners, exitCode);
    if (!run)
        return exitCode;
    fika::core::initRuntime();
    return run();
}
