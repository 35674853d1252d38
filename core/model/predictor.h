// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/job_context.h"
#include "common/result.h"
#include "model/explanation.h"
#include "text/encoding_settings.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fika::core {

struct LoadedCheckpoint; // model/checkpoint.h: LibTorch stays out of this header

struct Prediction {
    int32_t labelId = -1;
    std::string label;
    std::vector<float> probabilities; // softmax, in label id order
    std::vector<float> logits;
};

// Encoding overrides; by default a predictor encodes as its checkpoint was trained.
struct PredictorOptions {
    int sequenceLength = 0;                // 0: the checkpoint's
    std::optional<Truncation> truncation;  // empty: the checkpoint's
    int batchSize = 16;
    // bf16 weights made once (model/bf16_weights.h): 2-3x faster on a CPU with bf16 units; labels
    // agree with float32's on all but a few in a thousand texts near the decision boundary.
    bool bf16 = false;
    // "cpu", or "cuda" / "cuda:N" with a CUDA LibTorch: the model and every batch on that GPU.
    std::string device = "cpu";
};

// Whether `device` names a place this Fika can run a model: an error saying why not, else Ok.
Status checkComputeDevice(const std::string& device);

// Inference from a checkpoint folder under torch::InferenceMode. Texts are batched by length with
// dynamic padding. Immutable after loading, so the tester and the HTTP API can share one. The model
// is behind an opaque pointer, so the user interface sees no LibTorch header.
class Predictor {
public:
    static Result<std::shared_ptr<Predictor>> fromCheckpoint(const std::string& dir, const PredictorOptions& options = {});
    static std::shared_ptr<Predictor> fromLoaded(LoadedCheckpoint checkpoint, const PredictorOptions& options = {});

    // Throws (std::runtime_error, as LibTorch's failures do) when the model's output is not finite.
    // After each batch it reports progress in padded tokens (done, total): the work grows with them,
    // so the share done is also the share of the time spent. A stop asked for through `job` ends it
    // before the next batch, leaving the remaining predictions empty (labelId -1).
    std::vector<Prediction> predict(const std::vector<std::string>& texts, const JobContext& job = {}) const;

    // Which words made the prediction: Integrated Gradients for one text, encoded as predict()
    // encodes it (model/explanation.h). Errors for bad options or a model whose output overflows.
    Result<Explanation> explain(std::string_view text, const ExplainOptions& options = {}) const;

    // Tokens the model reads for `text` ([CLS] and [SEP] included, after truncation): what an
    // explanation's cost grows with.
    int tokenCount(std::string_view text) const;

    const std::vector<std::string>& labels() const;
    int sequenceLength() const { return m_sequenceLength; }
    Truncation truncation() const { return m_truncation; }

private:
    Predictor() = default;
    std::shared_ptr<LoadedCheckpoint> m_checkpoint;
    int m_sequenceLength = 512;
    Truncation m_truncation = Truncation::Head;
    int m_batchSize = 16;
    std::string m_device = "cpu";
};

} // namespace fika::core
