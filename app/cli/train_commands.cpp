// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli init-config, train, evaluate
#include <torch/torch.h>

#include "cli/args.h"
#include "cli/commands.h"

#include "common/atomic_file.h"
#include "data/csv_import.h"
#include "model/predictor.h"
#include "runtime/runtime.h"
#include "train/metrics.h"
#include "train/encoded_cache.h"
#include "train/evaluation.h"
#include "train/trainer.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>

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
    ConsoleObserver() : m_terminal(isatty(STDERR_FILENO)) {}
    void onMessage(const std::string& message) override { finishBar(), std::cerr << message << (message.ends_with("\n") ? "" : "\n"); }
    void onStep(const core::StepEvent& e) override
    {
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
    bool m_barShown = false;
};

} // namespace

int runInitConfig(const std::vector<std::string>& argv)
{
    Args args;
    if (auto error = args.parse(argv, {"--preset", "--out", "--csv", "--weights"}, {}); !error.empty())
        return usageError(error);
    const auto out = args.value("--out");
    if (!out)
        return usageError("init-config needs --out FILE");
    auto preset = core::parsePreset(args.value("--preset", "tutorial"));
    if (!preset)
        return usageError(preset.error().message);
    core::ExperimentConfig config = core::presetConfig(preset.value());
    config.data.csv = args.value("--csv", "reviews.csv");
    config.model.weights = args.value("--weights", "bert-base-uncased");
    config.output.dir = "runs/" + args.value("--preset", "tutorial");
    const std::string text = "# Fika experiment (" + args.value("--preset", "tutorial") + " preset). Any key can be overridden with\n"
                             "# fika-cli train --config FILE --set key.path=value\n" +
                             core::experimentConfigToYaml(config);
    if (auto written = core::writeFileAtomically(*out, text); !written)
        return fail(written.error());
    std::cout << "wrote " << *out << "\n";
    return 0;
}

int runTrain(const std::vector<std::string>& argv)
{
    Args args;
    ArgRules rules;
    rules.repeatable = {"--set"};
    if (auto error = args.parse(argv, {"--config", "--set"}, {"--resume", "--overwrite", "--no-cache"}, rules); !error.empty())
        return usageError(error);
    const auto path = args.value("--config");
    if (!path)
        return usageError("train needs --config FILE");
    auto config = core::loadExperimentConfig(*path, args.values("--set"));
    if (!config) {
        return fail(config.error());
    }
    if (const auto warning = core::blasPerformanceWarning(); !warning.empty())
        std::cerr << "warning: " << warning << "\n";
    ConsoleObserver observer;
    core::TrainOptions options;
    if (args.flag("--resume") && args.flag("--overwrite"))
        return usageError("train takes --resume or --overwrite, not both");
    options.resume = args.flag("--resume");
    options.overwrite = args.flag("--overwrite");
    options.stop = &stopOnInterrupt();
    options.defaultVocab = core::bundledVocabPath();
    if (!args.flag("--no-cache"))
        options.cacheDir = core::defaultEncodedCacheDir();
    auto summary = core::train(config.value(), observer, options);
    if (!summary) {
        return fail(summary.error());
    }
    std::cerr << (summary->stopped ? "stopped" : "finished") << " after " << summary->steps << " steps in "
              << duration(summary->elapsedSeconds) << "; best epoch " << summary->bestEpoch << "; checkpoints in "
              << config->output.dir << "/checkpoints\n";
    return summary->stopped ? 130 : 0;
}

int runEvaluate(const std::vector<std::string>& argv)
{
    Args args;
    if (auto error = args.parse(argv, {"--checkpoint", "--csv", "--text-column", "--label-column", "--sequence-length"},
                                {"--json"});
        !error.empty())
        return usageError(error);
    const auto checkpoint = args.value("--checkpoint");
    const auto csv = args.value("--csv");
    if (!checkpoint || !csv)
        return usageError("evaluate needs --checkpoint DIR and --csv FILE");
    const auto sequenceLength = args.integer("--sequence-length", 0, 0, core::kMaxSequenceLength); // 0: the checkpoint's
    if (!sequenceLength)
        return usageError(sequenceLength.error().message);
    core::CsvImportOptions csvOptions;
    csvOptions.textColumn = args.value("--text-column", "review");
    csvOptions.labelColumn = args.value("--label-column", "sentiment");
    auto imported = core::importCsv(*csv, csvOptions);
    if (!imported) {
        return fail(imported.error());
    }
    core::PredictorOptions predictorOptions;
    predictorOptions.sequenceLength = static_cast<int>(sequenceLength.value());
    auto predictor = core::Predictor::fromCheckpoint(*checkpoint, predictorOptions);
    if (!predictor) {
        return fail(predictor.error());
    }
    const core::Dataset& dataset = imported->dataset;
    std::vector<std::string> labelNames;
    for (int32_t label : dataset.labels)
        labelNames.push_back(dataset.labelMap.names[static_cast<size_t>(label)]);
    auto evaluated = core::evaluateTexts(*predictor.value(), dataset.texts, labelNames, dataset.sourceLines, *csv);
    if (!evaluated) {
        return fail(evaluated.error());
    }
    const auto& modelLabels = evaluated->labels;
    const auto& m = evaluated->metrics;
    const auto& truth = evaluated->truth;
    if (args.flag("--json")) {
        nlohmann::json out = core::metricsToJson(m, modelLabels);
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

} // namespace fika::cli
