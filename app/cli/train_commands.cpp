// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli init-config, train, evaluate
#include <torch/torch.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/output_file.h"
#include "cli/train_launcher.h"

#include "common/atomic_file.h"
#include "data/csv_import.h"
#include "distributed/process_group.h"
#include "distributed/world.h"
#include "model/predictor.h"
#include "runtime/runtime.h"
#include "train/metrics.h"
#include "train/encoded_cache.h"
#include "train/evaluation.h"
#include "train/trainer.h"

#include <nlohmann/json.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>

namespace fika::cli {
namespace {

std::string duration(double seconds)
{
    const auto s = static_cast<long>(seconds);
    char text[32];
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return text;
}

// A progress bar on a terminal, plain lines otherwise.
class ConsoleObserver : public core::TrainObserver {
public:
    // `rank` > 0: a worker of a distributed run other than rank 0, which prints only its messages,
    // each starting with its rank (rank 0 prints the run's progress).
    explicit ConsoleObserver(int rank = 0) : m_terminal(isatty(STDERR_FILENO)), m_rank(rank) {}
    void onMessage(const std::string& message) override
    {
        finishBar();
        std::cerr << (m_rank > 0 ? "[rank " + std::to_string(m_rank) + "] " : "") << message << (message.ends_with("\n") ? "" : "\n");
    }
    void onStep(const core::StepEvent& e) override
    {
        if (m_rank > 0)
            return;
        const double share = static_cast<double>(e.step) / static_cast<double>(std::max<int64_t>(1, e.totalSteps));
        std::ostringstream line;
        line << "epoch " << e.epoch << " step " << e.step << "/" << e.totalSteps << " loss " << std::fixed
             << std::setprecision(4) << e.loss << " lr " << std::scientific << std::setprecision(2) << e.learningRate
             << std::fixed << std::setprecision(1) << " " << e.samplesPerSecond << " samples/s ETA " << duration(e.etaSeconds);
        if (m_terminal) {
            const int width = 30;
            const int filled = static_cast<int>(share * width);
            std::cerr << "\r[" << std::string(static_cast<size_t>(filled), '#') << std::string(static_cast<size_t>(width - filled), '.')
                      << "] " << line.str() << "   " << std::flush;
            m_barShown = true;
        } else {
            std::cerr << line.str() << "\n";
        }
    }
    void onEpoch(const core::EpochEvent& e) override
    {
        if (m_rank > 0)
            return;
        finishBar();
        std::cerr << "epoch " << e.epoch << "/" << e.epochs << ": training loss " << std::fixed << std::setprecision(4)
                  << e.trainingLoss << ", validation loss " << e.validation.loss << ", accuracy " << e.validation.accuracy
                  << ", macro-F1 " << e.validation.macroF1 << (e.best ? " (best)" : "") << ", " << duration(e.elapsedSeconds)
                  << "\n";
    }

private:
    void finishBar()
    {
        if (m_barShown)
            std::cerr << "\n";
        m_barShown = false;
    }
    bool m_terminal;
    int m_rank;
    bool m_barShown = false;
};

struct InitConfigArgs {
    std::string preset = "tutorial";
    std::string out;
    std::string csv = "reviews.csv";
    std::string weights = "bert-base-uncased";
    bool overwrite = false;
};

int runInitConfig(const InitConfigArgs& args)
{
    if (auto writable = checkOutputFile(args.out, args.overwrite, {args.csv}); !writable)
        return fail(writable.error());
    auto preset = core::parsePreset(args.preset);
    if (!preset)
        return usageError(preset.error().message);
    core::ExperimentConfig config = core::presetConfig(preset.value());
    // A folder (a class-per-folder tree, aclImdb's layout) is data.folder; anything else data.csv.
    std::error_code ec;
    (std::filesystem::is_directory(args.csv, ec) ? config.data.folder : config.data.csv) = args.csv;
    config.model.weights = args.weights;
    config.output.dir = "runs/" + args.preset;
    const std::string text = "# Fika experiment (" + args.preset + " preset). Any key can be overridden with\n"
                             "# fika-cli train --config FILE --set key.path=value\n" +
                             core::experimentConfigToYaml(config);
    if (auto written = core::writeFileAtomically(args.out, text, outputReplace(args.overwrite)); !written)
        return fail(written.error());
    std::cout << "wrote " << args.out << "\n";
    return 0;
}

struct TrainArgs {
    std::string config;
    std::vector<std::string> overrides;
    bool resume = false;
    bool overwrite = false;
    bool noCache = false;
    LaunchOptions launch;
    int rendezvousTimeout = 300; // seconds
};

// A TCP port on the loopback interface that nothing listens on now (the kernel's choice).
int freeLoopbackPort()
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    int port = 29500;
    if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0)
        port = ntohs(address.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

// The command line each worker runs: this one without the launcher's options.
std::vector<std::string> workerArgs(const TrainArgs& args)
{
    std::vector<std::string> out{"train", "--config", args.config, "--rendezvous-timeout", std::to_string(args.rendezvousTimeout)};
    for (const auto& o : args.overrides)
        out.insert(out.end(), {"--set", o});
    if (args.resume)
        out.push_back("--resume");
    if (args.overwrite)
        out.push_back("--overwrite");
    if (args.noCache)
        out.push_back("--no-cache");
    return out;
}

int runTrain(const TrainArgs& args)
{
    // --set key.path=value, once per key: a second value for a key would silently win.
    std::set<std::string> keys;
    for (const auto& assignment : args.overrides) {
        const auto eq = assignment.find('=');
        if (eq == std::string::npos || eq == 0)
            return usageError("--set " + assignment + ": an override looks like key.path=value", "train");
        if (!keys.insert(assignment.substr(0, eq)).second)
            return usageError("--set " + assignment.substr(0, eq) + " is given twice: give each key once", "train");
    }
    auto config = core::loadExperimentConfig(args.config, args.overrides);
    if (!config) {
        return fail(config.error());
    }
    if (args.launch.launches()) {
        if (args.launch.nodeRank >= args.launch.nodes)
            return usageError("--node-rank " + std::to_string(args.launch.nodeRank) + " is not below --nnodes " +
                              std::to_string(args.launch.nodes),
                              "train");
        if (auto divides = core::checkGlobalBatch(config->training.batchSize, int64_t{args.launch.nodes} * args.launch.processesPerNode);
            !divides)
            return fail(divides.error());
        return launchWorkers(args.launch, workerArgs(args));
    }
    auto world = core::worldFromEnvironment([](const char* name) { return std::getenv(name); });
    if (!world)
        return fail(world.error());
    std::unique_ptr<core::DistributedGroup> group;
    if (world->distributed()) {
        const auto backend = config->training.device == core::TrainingDevice::Cuda ? core::DistributedGroup::Backend::Nccl
                                                                                   : core::DistributedGroup::Backend::Gloo;
        auto joined = core::DistributedGroup::join(world.value(), std::chrono::seconds(args.rendezvousTimeout), backend);
        if (!joined)
            return fail(joined.error());
        group = std::move(joined.value());
    }
    if (const auto warning = core::blasPerformanceWarning(); !warning.empty() && world->rank == 0)
        std::cerr << "warning: " << warning << "\n";
    ConsoleObserver observer(world->rank);
    core::TrainOptions options;
    options.group = group.get();
    options.resume = args.resume;
    options.overwrite = args.overwrite;
    options.stop = &stopOnInterrupt();
    options.defaultVocab = core::bundledVocabPath();
    if (!args.noCache)
        options.cacheDir = core::defaultEncodedCacheDir();
    auto summary = core::train(config.value(), observer, options);
    if (!summary) {
        return fail(summary.error());
    }
    if (world->rank > 0)
        return summary->stopped ? 130 : 0;
    std::cerr << (summary->stopped ? "stopped" : "finished") << " after " << summary->steps << " steps in "
              << duration(summary->elapsedSeconds) << "; best epoch " << summary->bestEpoch << "; checkpoints in "
              << config->output.dir << "/checkpoints\n";
    return summary->stopped ? 130 : 0;
}

struct EvaluateArgs {
    std::string checkpoint;
    std::string csv;
    std::string textColumn = "review";
    std::string labelColumn = "sentiment";
    int sequenceLength = 0; // 0: the checkpoint's
    std::string precision = "fp32";
    std::string device = "cpu";
    int batchSize = 16;
    bool json = false;
};

int runEvaluate(const EvaluateArgs& args)
{
    core::CsvImportOptions csvOptions;
    csvOptions.textColumn = args.textColumn;
    csvOptions.labelColumn = args.labelColumn;
    auto imported = core::importCsv(args.csv, csvOptions);
    if (!imported) {
        return fail(imported.error());
    }
    // The numbers are for the rows read: say which were not (they were left out without a word).
    const core::ImportReport& report = imported->report;
    for (const auto& warning : report.warnings)
        std::cerr << "warning: " << warning.message << "\n";
    if (report.invalidRows > 0)
        std::cerr << "warning: " << args.csv << ": " << report.invalidRows << (report.invalidRows == 1 ? " row" : " rows")
                  << " with problems skipped, so the figures count " << report.rowsImported << " of " << report.rowsRead
                  << " rows (fika-cli dataset inspect lists them)\n";
    core::PredictorOptions predictorOptions;
    predictorOptions.sequenceLength = args.sequenceLength;
    predictorOptions.bf16 = args.precision == "bf16";
    predictorOptions.device = args.device;
    predictorOptions.batchSize = args.batchSize;
    auto predictor = core::Predictor::fromCheckpoint(args.checkpoint, predictorOptions);
    if (!predictor) {
        return fail(predictor.error());
    }
    const core::Dataset& dataset = imported->dataset;
    std::vector<std::string> labelNames;
    for (int32_t label : dataset.labels)
        labelNames.push_back(dataset.labelMap.names[static_cast<size_t>(label)]);
    auto evaluated = core::evaluateTexts(*predictor.value(), dataset.texts, labelNames, dataset.sourceLines, args.csv);
    if (!evaluated) {
        return fail(evaluated.error());
    }
    const auto& modelLabels = evaluated->labels;
    const auto& m = evaluated->metrics;
    const auto& truth = evaluated->truth;
    if (args.json) {
        nlohmann::json out = core::metricsToJson(m, modelLabels);
        out["skipped_rows"] = report.invalidRows;
        std::cout << out.dump() << "\n";
        return 0;
    }
    std::cout << std::fixed << std::setprecision(4) << "examples " << truth.size() << "\naccuracy " << m.accuracy
              << "\nloss " << m.loss << "\nmacro-F1 " << m.macroF1 << "\n";
    if (m.rocAuc >= 0)
        std::cout << "ROC AUC " << m.rocAuc << "\n";
    std::cout << "\n" << std::setw(16) << "class" << std::setw(11) << "precision" << std::setw(9) << "recall" << std::setw(9)
              << "F1" << std::setw(9) << "support\n";
    for (size_t c = 0; c < modelLabels.size(); ++c)
        std::cout << std::setw(16) << modelLabels[c] << std::setw(11) << m.perClass[c].precision << std::setw(9)
                  << m.perClass[c].recall << std::setw(9) << m.perClass[c].f1 << std::setw(9) << m.perClass[c].support << "\n";
    std::cout << "\nconfusion matrix (rows: true, columns: predicted)\n";
    for (size_t t = 0; t < modelLabels.size(); ++t) {
        std::cout << std::setw(16) << modelLabels[t];
        for (size_t p = 0; p < modelLabels.size(); ++p)
            std::cout << std::setw(9) << m.confusion.count(t, p);
        std::cout << "\n";
    }
    return 0;
}

} // namespace

Runner defineInitConfig(CLI::App& command)
{
    auto args = std::make_shared<InitConfigArgs>();
    command.description("Writes a complete experiment config (YAML).");
    addChoice(command, "--preset", args->preset, {"tutorial", "recommended", "from_scratch"}, "the settings to start from");
    addValue(command, "--out", args->out, "FILE", "the config to write")->required()->check(nonEmpty());
    addValue(command, "--csv", args->csv, "FILE", "the dataset: a CSV file (data.csv) or a class-per-folder tree (data.folder)");
    addValue(command, "--weights", args->weights, "DIR", "pretrained weights (model.weights)");
    addFlag(command, "--overwrite", args->overwrite, "replace an existing --out file");
    return [args] { return runInitConfig(*args); };
}

Runner defineTrain(CLI::App& command)
{
    auto args = std::make_shared<TrainArgs>();
    command.description("Trains as the config says; Ctrl-C stops within one batch and keeps a resumable `last` checkpoint.\n"
                        "An output.dir holding an earlier run is refused unless --resume (continue it) or --overwrite (replace it).");
    addValue(command, "--config", args->config, "FILE", "the experiment config (init-config writes one)")->required();
    addValue(command, "--set", args->overrides, "key.path=value", "overrides a config key; once per key");
    CLI::Option* resume = addFlag(command, "--resume", args->resume, "continue the run in output.dir");
    addFlag(command, "--overwrite", args->overwrite, "replace the run in output.dir")->excludes(resume);
    addFlag(command, "--no-cache", args->noCache, "encode the dataset again instead of reading the encoded cache");
    addValue(command, "--nproc-per-node", args->launch.processesPerNode, "N",
             "data-parallel workers on this machine (they share its cores; training.batch_size is the global batch)")
        ->check(wholeNumber(1, 1024));
    addValue(command, "--nnodes", args->launch.nodes, "M", "machines in the run, each started with its own --node-rank")
        ->check(wholeNumber(1, 65536));
    addValue(command, "--node-rank", args->launch.nodeRank, "R", "this machine's place in the run, 0 to M-1 (0 runs rank 0)")
        ->check(wholeNumber(0, 65535));
    addValue(command, "--master-addr", args->launch.masterAddr, "HOST", "the address of the machine with --node-rank 0");
    CLI::Option* port = addValue(command, "--master-port", args->launch.masterPort, "PORT",
                                 "a free TCP port there for the rendezvous (on one machine: any free port)")
                            ->check(wholeNumber(1, 65535));
    addValue(command, "--rendezvous-timeout", args->rendezvousTimeout, "SECONDS", "how long to wait for every worker to arrive")
        ->check(wholeNumber(1, 86400));
    command.footer("Workers started by torchrun, Slurm's srun or another launcher read RANK, WORLD_SIZE, LOCAL_RANK,\n"
                   "LOCAL_WORLD_SIZE, MASTER_ADDR and MASTER_PORT (or SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID).");
    return [args, port] {
        // On one machine nothing else needs to know the port: take a free one, as torchrun's standalone mode does,
        // rather than meet another run's workers on the default port.
        if (args->launch.launches() && args->launch.nodes == 1 && port->count() == 0)
            args->launch.masterPort = freeLoopbackPort();
        return runTrain(*args);
    };
}

Runner defineEvaluate(CLI::App& command)
{
    auto args = std::make_shared<EvaluateArgs>();
    command.description("Accuracy, loss, macro-F1, per-class precision/recall/F1, confusion matrix, ROC AUC (two classes).");
    addValue(command, "--checkpoint", args->checkpoint, "DIR", "the checkpoint folder")->required();
    addValue(command, "--csv", args->csv, "FILE", "the labelled texts")->required();
    addValue(command, "--text-column", args->textColumn, "NAME", "the CSV's text column");
    addValue(command, "--label-column", args->labelColumn, "NAME", "the CSV's label column");
    addValue(command, "--sequence-length", args->sequenceLength, "N", "tokens per text, 0: the checkpoint's")
        ->check(sequenceLengthOrCheckpoints());
    addChoice(command, "--precision", args->precision, {"fp32", "bf16"}, "bf16: about 2x faster on a CPU with bf16 units; a few labels in a thousand may differ from fp32's");
    addDevice(command, args->device);
    addValue(command, "--batch-size", args->batchSize, "N", "texts per forward pass")->check(wholeNumber(1, 4096));
    addFlag(command, "--json", args->json, "print one JSON object");
    return [args] { return runEvaluate(*args); };
}

} // namespace fika::cli
