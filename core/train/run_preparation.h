// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "data/dataset.h"
#include "data/subsets.h"
#include "model/bert_classifier.h"
#include "text/tokenizer.h"
#include "train/batching.h"
#include "train/trainer.h"

#include <memory>

namespace fika::core {

// What a run trains on: the dataset split into subsets, encoded, and the model to train.
struct PreparedRun {
    Dataset dataset; // texts only when they were not read from the encoded-dataset cache
    Subsets subsets;
    BertClassifier model{nullptr};
    std::shared_ptr<const Tokenizer> tokenizer;
    EncodedDataset encoded;
    std::string dataSha256; // of the CSV file or the folder's files, as dataset versions record it
};

// Imports and tokenizes the dataset (or reads both from the encoded-dataset cache when the source,
// columns, encoding settings and tokenizer are the same as in an earlier run), splits it and builds
// the model from pretrained weights or at random. Import warnings go to the observer.
Result<PreparedRun> prepareRun(const ExperimentConfig& config, const TrainOptions& options, TrainObserver& observer);

} // namespace fika::core
