// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "data/dataset.h"
#include "model/predictor.h"
#include "train/experiment_config.h"
#include "train/metrics.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace fika::core {

// A checkpoint's predictions on labelled texts, with the metrics they give.
struct TextEvaluation {
    std::vector<std::string> labels;       // the model's label order
    std::vector<std::string> texts;
    std::vector<int32_t> truth;            // in the model's label order
    std::vector<Prediction> predictions;
    EvaluationMetrics metrics;
};

// The experiment's data file or folder, and its import (a folder's "train" split).
std::string experimentDataSource(const ExperimentConfig& config);
Result<ImportResult> importExperimentData(const ExperimentConfig& config);

// Predicts every text; a label the model does not know is an error naming source and line.
Result<TextEvaluation> evaluateTexts(const Predictor& predictor, std::vector<std::string> texts,
                                     const std::vector<std::string>& labelNames, const std::vector<int64_t>& lines,
                                     const std::string& source, const JobContext& job = {});

// Re-imports an experiment's data, takes the same validation subset as its training run and
// evaluates a checkpoint of it there (the Evaluation view's checkpoint selector). `job` hears the
// prediction's progress (Predictor::predict).
Result<TextEvaluation> evaluateValidationSubset(const ExperimentConfig& config, const std::string& checkpointDir,
                                                const JobContext& job = {});

// accuracy, loss, macro_f1, per_class {label: {precision, recall, f1, support}},
// confusion_matrix (rows true, columns predicted) or, beyond kDenseConfusionClasses classes,
// confusion_cells ([true, predicted, count] for the non-zero cells), labels, and roc_auc for two classes.
nlohmann::json metricsToJson(const EvaluationMetrics& metrics, const std::vector<std::string>& labels);

} // namespace fika::core
