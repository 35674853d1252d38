// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli predict
#include <torch/torch.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/output_file.h"
#include "cli/explain_output.h"

#include "common/atomic_file.h"
#include "data/csv_import.h"
#include "model/checkpoint.h"
#include "model/checkpoint_folder.h"
#include "model/predictor.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace fika::cli {
namespace {

struct PredictArgs {
    std::string checkpoint;
    bool json = false;
    int sequenceLength = 0; // 0: the checkpoint's
    std::string truncation; // empty: the checkpoint's
    int batchSize = 16;
    std::string precision = "fp32";
    std::string device = "cpu";
    std::string csv;
    std::string textColumn = "review";
    std::vector<std::string> texts;
    bool explain = false;
    int steps = 0;            // 0: core's default
    std::string explainClass; // empty: each text's predicted class
    std::string explainHtml;
    bool overwrite = false;
};

int runPredict(const PredictArgs& args)
{
    const bool explain = args.explain || !args.explainHtml.empty();
    if (!explain && (args.steps != 0 || !args.explainClass.empty()))
        return usageError("--steps and --explain-class need --explain or --explain-html", "predict");
    if (args.overwrite && args.explainHtml.empty())
        return usageError("--overwrite replaces an --explain-html file: give --explain-html FILE", "predict");
    if (!args.explainHtml.empty())
        if (auto writable = checkOutputFile(args.explainHtml, args.overwrite, {args.csv}); !writable)
            return fail(writable.error());
    core::PredictorOptions options;
    options.sequenceLength = args.sequenceLength;
    options.batchSize = args.batchSize;
    options.bf16 = args.precision == "bf16";
    options.device = args.device;
    if (!args.truncation.empty()) { // otherwise the checkpoint's
        auto truncation = core::parseTruncation(args.truncation);
        if (!truncation)
            return usageError(truncation.error().message);
        options.truncation = truncation.value();
    }

    std::vector<std::string> texts = args.texts;
    if (!args.csv.empty()) {
        auto column = core::readCsvColumn(args.csv, args.textColumn);
        if (!column) {
            return fail(column.error());
        }
        texts.insert(texts.end(), column->begin(), column->end());
    } else if (texts.empty()) {
        std::string line;
        while (std::getline(std::cin, line))
            texts.push_back(line);
    }

    auto predictor = core::Predictor::fromCheckpoint(args.checkpoint, options);
    if (!predictor) {
        return fail(predictor.error());
    }
    std::vector<core::Prediction> predictions;
    try {
        predictions = predictor.value()->predict(texts);
    } catch (const std::exception& e) { // a model whose output overflows, or LibTorch failing
        std::string what = e.what();
        std::cerr << "fika-cli: " << args.checkpoint << ": " << what.substr(0, what.find('\n')) << "\n";
        return 1;
    }
    const auto& labels = predictor.value()->labels();
    std::vector<core::Explanation> explanations;
    if (explain) {
        auto explained = explainTexts(*predictor.value(), texts, args.steps, args.explainClass);
        if (!explained)
            return fail(explained.error());
        explanations = std::move(explained.value());
        if (!args.explainHtml.empty()) {
            if (auto written = core::writeFileAtomically(args.explainHtml, explanationHtml(texts, predictions, explanations),
                                                                 outputReplace(args.overwrite));
                !written)
                return fail(written.error());
            std::cerr << "fika-cli: wrote " << args.explainHtml << "\n";
        }
    }
    if (args.json) {
        nlohmann::json out = nlohmann::json::array();
        for (size_t t = 0; t < predictions.size(); ++t) {
            const auto& p = predictions[t];
            nlohmann::json probabilities = nlohmann::json::object();
            for (size_t i = 0; i < labels.size(); ++i)
                probabilities[labels[i]] = p.probabilities[i];
            out.push_back({{"label", p.label}, {"probabilities", probabilities}, {"logits", p.logits}});
            if (args.explain)
                out.back()["explanation"] = explanationJson(explanations[t]);
        }
        // Words are the text's own bytes: invalid UTF-8 in a text becomes U+FFFD, not an exception.
        std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        return 0;
    }
    for (size_t t = 0; t < predictions.size(); ++t) {
        const auto& p = predictions[t];
        std::cout << p.label << '\t' << std::fixed << std::setprecision(4)
                  << p.probabilities[static_cast<size_t>(p.labelId)] << '\n';
        if (args.explain)
            printExplanation(std::cout, explanations[t]);
    }
    return 0;
}

struct ExportArgs {
    std::string checkpoint;
    std::string out;
    std::string vocab;
    std::string labels;
    int sequenceLength = 0; // 0: the checkpoint's
    std::string truncation; // empty: the checkpoint's
};

int runExport(const ExportArgs& args)
{
    if (auto allowed = core::checkExportTarget(args.out); !allowed)
        return fail(allowed.error());
    core::LoadOptions options;
    options.fallbackVocab = args.vocab;
    if (!args.labels.empty()) {
        std::stringstream stream(args.labels);
        for (std::string label; std::getline(stream, label, ',');)
            options.labels.push_back(label);
    }
    auto loaded = core::loadCheckpoint(args.checkpoint, options);
    if (!loaded) {
        return fail(loaded.error());
    }
    std::cerr << loaded->report.summary();
    core::CheckpointEncoding encoding = loaded->encoding; // the export encodes as the checkpoint was trained
    if (args.sequenceLength > 0)
        encoding.sequenceLength = args.sequenceLength;
    if (!args.truncation.empty()) {
        auto truncation = core::parseTruncation(args.truncation);
        if (!truncation)
            return usageError(truncation.error().message);
        encoding.truncation = truncation.value();
    }
    if (auto saved = core::saveCheckpoint(loaded->model, *loaded->tokenizer, encoding, args.out); !saved) {
        return fail(saved.error());
    }
    std::cout << "exported " << args.out << " (Hugging Face BertForSequenceClassification, labels";
    for (const auto& label : loaded->config.labels)
        std::cout << " " << label;
    std::cout << ")\n";
    return 0;
}

} // namespace

Runner definePredict(CLI::App& command)
{
    auto args = std::make_shared<PredictArgs>();
    command.description("Classifies texts (arguments, else --csv, else one per line on stdin) with a checkpoint folder;\n"
                        "sequence length and truncation default to the checkpoint's (as it was trained).\n"
                        "--explain adds which words made each prediction (Integrated Gradients, from a [PAD] baseline).");
    addValue(command, "--checkpoint", args->checkpoint, "DIR", "the checkpoint folder")->required();
    addFlag(command, "--json", args->json, "print a JSON array: label, probabilities and logits per text");
    addValue(command, "--sequence-length", args->sequenceLength, "N", "tokens per text, 0: the checkpoint's")
        ->check(sequenceLengthOrCheckpoints());
    addChoice(command, "--truncation", args->truncation, {"head", "tail", "head_tail"}, "which end of a long text is kept");
    addValue(command, "--batch-size", args->batchSize, "N", "texts per forward pass")->check(wholeNumber(1, 4096));
    addChoice(command, "--precision", args->precision, {"fp32", "bf16"}, "bf16: about 2x faster on a CPU with bf16 units; a few labels in a thousand may differ from fp32's");
    addDevice(command, args->device);
    addValue(command, "--csv", args->csv, "FILE", "classify this CSV's texts");
    addValue(command, "--text-column", args->textColumn, "NAME", "the CSV's text column");
    addFlag(command, "--explain", args->explain,
            "which words made each prediction (Integrated Gradients from a [PAD] baseline): the words with their\n"
            "attributions, or with --json an \"explanation\" per text");
    addValue(command, "--steps", args->steps, "N", "path points for --explain")
        ->check(wholeNumber(1, core::kMaxExplainSteps))
        ->default_str(std::to_string(core::kDefaultExplainSteps)); // 0 in args: not given
    addValue(command, "--explain-class", args->explainClass, "LABEL", "explain this class (default: the predicted one)");
    addValue(command, "--explain-html", args->explainHtml, "FILE", "write an HTML report with the words highlighted")->check(nonEmpty());
    addFlag(command, "--overwrite", args->overwrite, "replace an existing --explain-html file");
    command.add_option("texts", args->texts, "texts to classify")->type_name("TEXT");
    return [args] { return runPredict(*args); };
}

Runner defineExport(CLI::App& command)
{
    auto args = std::make_shared<ExportArgs>();
    command.description("Loads any supported checkpoint layout and writes a folder Hugging Face transformers loads as it is,\n"
                        "with the checkpoint's encoding (model_max_length, truncation) unless given. --out must be new, empty\n"
                        "or an earlier export: a folder holding anything else is refused, never emptied.");
    addValue(command, "--checkpoint", args->checkpoint, "DIR", "the checkpoint folder (Fika's or Hugging Face's)")->required();
    addValue(command, "--out", args->out, "DIR", "the folder to write")->required();
    addValue(command, "--vocab", args->vocab, "FILE", "vocabulary when the checkpoint has none");
    addValue(command, "--labels", args->labels, "a,b", "label names when the checkpoint has none");
    addValue(command, "--sequence-length", args->sequenceLength, "N", "tokens per text")
        ->check(wholeNumber(core::kMinSequenceLength, core::kMaxSequenceLength))
        ->default_str("the checkpoint's"); // 0 in args: not given
    addChoice(command, "--truncation", args->truncation, {"head", "tail", "head_tail"}, "which end of a long text is kept");
    return [args] { return runExport(*args); };
}

} // namespace fika::cli
