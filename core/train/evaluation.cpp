// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/evaluation.h"

#include "data/csv_import.h"
#include "data/folder_import.h"
#include "data/subsets.h"
#include "model/torch_errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace fika::core {

Result<TextEvaluation> evaluateTexts(const Predictor& predictor, std::vector<std::string> texts,
                                     const std::vector<std::string>& labelNames, const std::vector<int64_t>& lines,
                                     const std::string& source, const JobContext& job)
{
    TextEvaluation out;
    out.labels = predictor.labels();
    for (size_t i = 0; i < labelNames.size(); ++i) {
        const auto it = std::find(out.labels.begin(), out.labels.end(), labelNames[i]);
        if (it == out.labels.end()) {
            std::string known;
            for (const auto& label : out.labels)
                known += (known.empty() ? "" : ", ") + label;
            const int64_t line = i < lines.size() ? lines[i] : 0;
            return makeError(ErrorCode::InvalidArgument,
                             source + (line > 0 ? ": line " + std::to_string(line) : std::string()) + ": label '" +
                                 labelNames[i] + "' is not one the model knows (" + known + ")",
                             source, line);
        }
        out.truth.push_back(static_cast<int32_t>(it - out.labels.begin()));
    }
    try {
        out.predictions = predictor.predict(texts, job);
        if (job.shouldStop())
            return makeError(ErrorCode::Cancelled, "the evaluation was stopped", source);
    } catch (const std::exception& e) { // a model whose output overflows, or LibTorch failing
        std::string what = e.what();
        return makeError(errorCodeForException(e, ErrorCode::CheckpointInvalid), what.substr(0, what.find('\n')), source);
    }
    out.texts = std::move(texts);
    std::vector<std::vector<float>> probabilities;
    double loss = 0;
    for (size_t i = 0; i < out.predictions.size(); ++i) {
        probabilities.push_back(out.predictions[i].probabilities);
        loss -= std::log(std::max(1e-12f, out.predictions[i].probabilities[static_cast<size_t>(out.truth[i])]));
    }
    out.metrics = computeMetrics(out.truth, probabilities, loss / static_cast<double>(std::max<size_t>(1, out.truth.size())),
                                 out.labels.size());
    return out;
}

std::string experimentDataSource(const ExperimentConfig& config)
{
    return config.data.csv.empty() ? config.data.folder : config.data.csv;
}

Result<ImportResult> importExperimentData(const ExperimentConfig& config)
{
    return config.data.csv.empty()
               ? importFolder(config.data.folder, {"train", config.data.textColumn, config.data.labelColumn})
               : importCsv(config.data.csv, {config.data.textColumn, config.data.labelColumn});
}

Result<TextEvaluation> evaluateValidationSubset(const ExperimentConfig& config, const std::string& checkpointDir,
                                                const JobContext& job)
{
    auto imported = importExperimentData(config);
    if (!imported)
        return imported.error();
    const Dataset& dataset = imported->dataset;
    auto subsets = splitSubsets(dataset.labels, dataset.labelMap.size(), config.data.subsets);
    if (!subsets)
        return subsets.error();
    auto predictor = Predictor::fromCheckpoint(checkpointDir); // encodes as the checkpoint was trained
    if (!predictor)
        return predictor.error();
    std::vector<std::string> texts, labels;
    std::vector<int64_t> lines;
    for (int64_t index : subsets->validation) {
        const auto i = static_cast<size_t>(index);
        texts.push_back(dataset.texts[i]);
        labels.push_back(dataset.labelMap.names[static_cast<size_t>(dataset.labels[i])]);
        lines.push_back(dataset.sourceLines[i]);
    }
    return evaluateTexts(*predictor.value(), std::move(texts), labels, lines, experimentDataSource(config), job);
}

nlohmann::json metricsToJson(const EvaluationMetrics& m, const std::vector<std::string>& labels)
{
    nlohmann::json perClass = nlohmann::json::object();
    for (size_t c = 0; c < m.perClass.size() && c < labels.size(); ++c)
        perClass[labels[c]] = {{"precision", m.perClass[c].precision}, {"recall", m.perClass[c].recall},
                               {"f1", m.perClass[c].f1}, {"support", m.perClass[c].support}};
    nlohmann::json out = {{"loss", m.loss}, {"accuracy", m.accuracy}, {"macro_f1", m.macroF1}, {"per_class", perClass},
                          {"labels", labels}};
    if (m.confusion.classes() <= kDenseConfusionClasses) {
        out["confusion_matrix"] = m.confusion.rows();
    } else { // classes² cells would be gigabytes; the non-zero ones are at most one per example
        nlohmann::json cells = nlohmann::json::array();
        for (size_t t = 0; t < m.confusion.classes(); ++t)
            for (size_t p = 0; p < m.confusion.classes(); ++p)
                if (const int64_t n = m.confusion.count(t, p))
                    cells.push_back({t, p, n});
        out["confusion_cells"] = std::move(cells);
    }
    if (m.rocAuc >= 0)
        out["roc_auc"] = m.rocAuc;
    return out;
}

} // namespace fika::core
