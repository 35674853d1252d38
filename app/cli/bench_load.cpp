// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli bench load: how long loading a checkpoint folder takes and how much memory it needs.
#include <torch/torch.h>

#include "cli/args.h"
#include "cli/commands.h"

#include "model/checkpoint.h"
#include "runtime/runtime.h"

#include <nlohmann/json.hpp>

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

extern char** environ;

namespace fika::cli {
namespace {

double currentRssMb()
{
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// Writes a random model of the shape into dir, in a child process so that its memory does not
// count towards the measured peak.
bool createInChild(const std::string& dir, const std::string& shape)
{
    const std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
    std::vector<std::string> words = {exe, "bench", "load", "--create", dir, "--shape", shape};
    std::vector<char*> argv;
    for (auto& word : words)
        argv.push_back(word.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv.data(), environ) != 0)
        return false;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

struct BenchLoadArgs {
    std::string shape = "base";
    std::string create; // set by createInChild: write the model there and exit
    std::string dir;    // empty: a temporary folder
    bool json = false;
};

int runBenchLoad(const BenchLoadArgs& args)
{
    const std::string& shape = args.shape;
    const core::BertConfig config = shape == "mini" ? core::BertConfig::mini()
                                    : shape == "tiny" ? core::BertConfig::tiny()
                                                      : core::BertConfig::base();
    if (const auto* create = args.create.empty() ? nullptr : &args.create) {
        core::BertClassifier model(config);
        auto tokenizer = core::Tokenizer::fromVocabFile(core::bundledVocabPath());
        if (!tokenizer) {
            return fail(tokenizer.error());
        }
        auto saved = core::saveCheckpoint(model, tokenizer.value(), {512}, *create);
        if (!saved)
            std::cerr << "fika-cli: " << saved.error().message << "\n";
        return saved ? 0 : 1;
    }

    std::string dir = args.dir;
    const bool temporary = dir.empty();
    if (temporary) {
        dir = (std::filesystem::temp_directory_path() / ("fika-bench-load-" + std::to_string(getpid()))).string();
        if (!createInChild(dir, shape)) {
            std::cerr << "fika-cli: could not write the benchmark checkpoint to " << dir << "\n";
            return 1;
        }
    }
    core::initRuntime();
    const double fileMb = static_cast<double>(std::filesystem::file_size(dir + "/model.safetensors")) / (1024.0 * 1024.0);
    const double baselineMb = currentRssMb();
    const auto start = std::chrono::steady_clock::now();
    auto loaded = core::loadCheckpoint(dir);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double peakMb = peakRssMb();
    if (temporary)
        std::filesystem::remove_all(dir);
    if (!loaded) {
        return fail(loaded.error());
    }
    const nlohmann::json out = {{"shape", shape},           {"weights_mb", fileMb},
                                {"load_seconds", seconds},  {"baseline_rss_mb", baselineMb},
                                {"peak_rss_mb", peakMb},    {"peak_increase_mb", peakMb - baselineMb},
                                {"after_load_rss_mb", currentRssMb()}};
    if (args.json)
        std::cout << out.dump() << '\n';
    else
        std::cout << "loaded " << fileMb << " MB of weights in " << seconds << " s; memory grew by "
                  << peakMb - baselineMb << " MB at peak\n";
    return 0;
}

} // namespace

Runner defineBenchLoad(CLI::App& command)
{
    auto args = std::make_shared<BenchLoadArgs>();
    command.description("Saves a random model of that shape, then times loading it back (seconds, peak memory).");
    addChoice(command, "--shape", args->shape, {"base", "mini", "tiny"}, "the model's size");
    addValue(command, "--dir", args->dir, "DIR", "load this checkpoint instead of a random one");
    addValue(command, "--create", args->create, "DIR", "")->group(""); // the child process that writes the model
    addFlag(command, "--json", args->json, "print one JSON object");
    return [args] { return runBenchLoad(*args); };
}

} // namespace fika::cli
