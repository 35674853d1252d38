// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "model/checkpoint_folder.h"
#include "model/bert_classifier.h"
#include "text/tokenizer.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fika::core {

// What loading weights did, as Hugging Face reports it.
struct LoadReport {
    std::vector<std::string> missing;           // model tensors the checkpoint lacked (left as initialised)
    std::vector<std::string> unexpected;        // checkpoint tensors the model does not have
    std::vector<std::string> newlyInitialized;  // the classifier head when absent, mis-shaped or relabelled
    std::string labelChange;                    // set when LoadOptions::labels differ from the checkpoint's
    std::vector<std::string> shapeMismatches;   // "name: checkpoint [a, b] vs model [c, d]"
    std::vector<std::string> ignored;           // pre-training heads (cls.*) and buffers (position_ids)
    std::string weightsFile;                    // what was read
    std::string summary() const;
};

struct LoadOptions {
    // Class names for the classification head. When they differ from the checkpoint's (config.json
    // id2label, LABEL_0 … when it has none) the head is newly initialised; the same names in another
    // order reorder its rows. Empty: keep the checkpoint's labels.
    std::vector<std::string> labels;
    // vocab.txt to use when the folder has none (e.g. a weights-only folder).
    std::string fallbackVocab;
};

// How a checkpoint's texts were encoded in training. Saved in tokenizer_config.json (model_max_length,
// truncation_side, and fika_truncation for head+tail, which Hugging Face has no name for) so that the
// tester, the API, predict, evaluate and an export all encode as training did.
struct CheckpointEncoding {
    int sequenceLength = 512;
    Truncation truncation = Truncation::Head;
};

// A checkpoint folder loaded: model (eval mode), tokenizer and the encoding it was trained with.
struct LoadedCheckpoint {
    BertConfig config;
    BertClassifier model{nullptr};
    std::shared_ptr<const Tokenizer> tokenizer;
    CheckpointEncoding encoding;
    LoadReport report;
};

// Reads config.json, vocab.txt, tokenizer_config.json (optional) and the weights:
// model.safetensors, a sharded model.safetensors.index.json, or pytorch_model.bin (through
// LibTorch's unpickler). Accepts names with or without "bert.", LayerNorm gamma/beta, and ignores
// pre-training heads. A missing or mis-shaped encoder tensor is an error naming it.
Result<LoadedCheckpoint> loadCheckpoint(const std::string& dir, const LoadOptions& options = {});

// Copies named tensors into the model (used by loadCheckpoint; exposed for tests).
// onCopied(i) is called once tensor i is in the model (loadCheckpoint releases its mapped pages).
Result<LoadReport> loadStateDict(BertClassifier& model, const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                                 const std::function<void(size_t)>& onCopied = {});

// Writes a folder that Hugging Face transformers loads with AutoModelForSequenceClassification and
// AutoTokenizer: config.json, model.safetensors, vocab.txt, tokenizer_config.json,
// special_tokens_map.json. Written to a temporary sibling, fsynced, then swapped into place; an
// existing `dir` is replaced only when checkCheckpointTarget allows it (checkpoint_folder.h).
// writeExtras (optional) adds files to the temporary folder before it is renamed (trainer state).
Status saveCheckpoint(BertClassifier& model, const Tokenizer& tokenizer, const CheckpointEncoding& encoding, const std::string& dir,
                      const std::function<Status(const std::string& folder)>& writeExtras = {});

} // namespace fika::core
