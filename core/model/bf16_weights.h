// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/bert_classifier.h"

#include <torch/torch.h>

#include <vector>

namespace fika::core {

// bf16 at the matrix products' speed: this CPU's bf16 units multiply at about twice the float32
// rate, while autocast casts every weight at every use and leaves the element-wise work in mixed
// types. Here the encoder's, pooler's and classifier's matrices are bf16 tensors made once, and the
// activations stay bf16 from the embeddings to the logits. Float32 stay: the embeddings (gathers,
// cheap; the word embeddings' gradient sums thousands of rows), cast once to bf16 after their
// LayerNorm, and every LayerNorm's weights, which normalise in float32 between two casts (1.13's
// bf16 LayerNorm runs ~10x slower; float32 statistics are also the accurate ones).

// Converts `model` in place (inference: a bf16 model made once, not per call).
void convertToBf16(BertClassifier& model);

// Training with float32 master weights (the optimizer's, the checkpoints') and a bf16 working copy
// that runs forward and backward:
//   forward/backward on model() → accumulateGradients() → optimizer step on the master → refresh().
// The copy's float32 parameters share the master's storage, so only the bf16 ones are cast, once
// per step.
class Bf16Weights {
public:
    explicit Bf16Weights(BertClassifier master);

    // The bf16 working copy; train()/eval() it as the master would be.
    BertClassifier& model() { return m_copy; }

    // Adds the copy's gradients into the master's, in float32 (so that accumulation over batches
    // does not round to bf16), and clears the copy's.
    void accumulateGradients();

    // The master weights cast into the copy, after each optimizer step.
    void refresh();

private:
    BertClassifier m_master;
    BertClassifier m_copy;
    std::vector<torch::Tensor> m_masterParameters;
    std::vector<torch::Tensor> m_copyParameters;
};

} // namespace fika::core
