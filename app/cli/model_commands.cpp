// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli predict
#include <torch/torch.h>

#include "cli/args.h"
#include "cli/commands.h"

#include "data/csv_import.h"
#include "model/predictor.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <sstream>

namespace fika::cli {

int runPredict(const std::vector<std::string>& argv)
{
    Args args;
    if (auto error = args.parse(argv, {"--checkpoint", "--sequence-length", "--truncation", "--csv", "--text-column",
                                       "--batch-size"},
                                {"--json"}, ArgRules::words(ArgRules::kAnyCount));
        !error.empty())
        return usageError(error);
    const auto checkpoint = args.value("--checkpoint");
    if (!checkpoint)
        return usageError("predict needs --checkpoint DIR");
    const auto sequenceLength = args.integer("--sequence-length", 0, 0, core::kMaxSequenceLength); // 0: the checkpoint's
    const auto batchSize = args.integer("--batch-size", 16, 1, 4096);
    if (const auto error = firstError(sequenceLength, batchSize); !error.empty())
        return usageError(error);
    core::PredictorOptions options;
    options.sequenceLength = static_cast<int>(sequenceLength.value());
    options.batchSize = static_cast<int>(batchSize.value());
    if (const auto name = args.value("--truncation")) { // otherwise the checkpoint's
        auto truncation = core::parseTruncation(*name);
        if (!truncation)
            return usageError(truncation.error().message);
        options.truncation = truncation.value();
    }

    std::vector<std::string> texts = args.positional();
    if (const auto csv = args.value("--csv")) {
        auto column = core::readCsvColumn(*csv, args.value("--text-column", "review"));
        if (!column) {
            return fail(column.error());
        }
        texts.insert(texts.end(), column->begin(), column->end());
    } else if (texts.empty()) {
        std::string line;
        while (std::getline(std::cin, line))
            texts.push_back(line);
    }

    auto predictor = core::Predictor::fromCheckpoint(*checkpoint, options);
    if (!predictor) {
        return fail(predictor.error());
    }
    std::vector<core::Prediction> predictions;
    try {
        predictions = predictor.value()->predict(texts);
    } catch (const std::exception& e) { // a model whose output overflows, or LibTorch failing
        std::string what = e.what();
        std::cerr << "fika-cli: " << *checkpoint << ": " << what.substr(0, what.find('\n')) << "\n";
        return 1;
    }
    const auto& labels = predictor.value()->labels();
    if (args.flag("--json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : predictions) {
            nlohmann::json probabilities = nlohmann::json::object();
            for (size_t i = 0; i < labels.size(); ++i)
                probabilities[labels[i]] = p.probabilities[i];
            out.push_back({{"label", p.label}, {"probabilities", probabilities}, {"logits", p.logits}});
        }
        std::cout << out.dump() << '\n';
        return 0;
    }
    for (const auto& p : predictions)
        std::cout << p.label << '\t' << std::fixed << std::setprecision(4)
                  << p.probabilities[static_cast<size_t>(p.labelId)] << '\n';
    return 0;
}

} // namespace fika::cli

namespace fika::cli {

int runExport(const std::vector<std::string>& argv)
{
    Args args;
    if (auto error = args.parse(argv, {"--checkpoint", "--out", "--vocab", "--labels", "--sequence-length", "--truncation"}, {});
        !error.empty())
        return usageError(error);
    const auto source = args.value("--checkpoint");
    const auto out = args.value("--out");
    if (!source || !out)
        return usageError("export needs --checkpoint DIR and --out DIR");
    const auto sequenceLength = args.integer("--sequence-length", 0, core::kMinSequenceLength, core::kMaxSequenceLength);
    if (!sequenceLength)
        return usageError(sequenceLength.error().message);
    core::LoadOptions options;
    options.fallbackVocab = args.value("--vocab", "");
    if (const auto labels = args.value("--labels")) {
        std::stringstream stream(*labels);
        for (std::string label; std::getline(stream, label, ',');)
            options.labels.push_back(label);
    }
    auto loaded = core::loadCheckpoint(*source, options);
    if (!loaded) {
        return fail(loaded.error());
    }
    std::cerr << loaded->report.summary();
    core::CheckpointEncoding encoding = loaded->encoding; // the export encodes as the checkpoint was trained
    if (sequenceLength.value() > 0)
        encoding.sequenceLength = static_cast<int>(sequenceLength.value());
    if (const auto name = args.value("--truncation")) {
        auto truncation = core::parseTruncation(*name);
        if (!truncation)
            return usageError(truncation.error().message);
        encoding.truncation = truncation.value();
    }
    if (auto saved = core::saveCheckpoint(loaded->model, *loaded->tokenizer, encoding, *out); !saved) {
        return fail(saved.error());
    }
    std::cout << "exported " << *out << " (Hugging Face BertForSequenceClassification, labels";
    for (const auto& label : loaded->config.labels)
        std::cout << " " << label;
    std::cout << ")\n";
    return 0;
}

} // namespace fika::cli
