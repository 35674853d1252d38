// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "text/encoding_settings.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fika::core {

struct LoadedCheckpoint; // model/checkpoint.h: LibTorch stays out of this header

constexpr int kDefaultExplainSteps = 32;
constexpr int kMaxExplainSteps = 1024;

struct ExplainOptions {
    int steps = kDefaultExplainSteps; // points on the path from the baseline to the text
    int classId = -1;                 // the class whose logit is explained; -1: the predicted one
    int batchSize = 0;                // path points per forward and backward pass; 0: what fits ~1 GiB
};

// One WordPiece token of the text and its share of the explained logit.
struct TokenAttribution {
    std::string token;   // as in the vocabulary ("##ing")
    int32_t start = 0;   // code points [start, end) of the text as given
    int32_t end = 0;
    int32_t word = 0;    // index into Explanation::words
    float attribution = 0.0f;
};

// A word (what the pre-tokeniser splits off: a run of letters and digits, or one punctuation mark)
// and the sum of its tokens' attributions.
struct WordAttribution {
    std::string word;    // the text's characters [start, end), as given (accents, case)
    int32_t start = 0;   // code points of the text as given
    int32_t end = 0;
    float attribution = 0.0f;
};

// Integrated Gradients (Sundararajan et al. 2017) for one text: how much each token's word
// embedding moves the explained logit from the baseline's value to the text's. By completeness the
// attributions add up to logit − baselineLogit (up to the error of the path integral).
struct Explanation {
    int32_t classId = -1;
    std::string label;
    float logit = 0.0f;         // f(text) for the class
    float baselineLogit = 0.0f; // f(baseline) for the class
    int steps = 0;
    std::vector<float> logits;  // f(text), every class
    // The tokens the model saw, in order. [CLS] and [SEP] are left out: the baseline keeps them, so
    // their attribution is 0 by construction.
    std::vector<TokenAttribution> tokens;
    std::vector<WordAttribution> words; // in the text's order
    bool truncated = false;             // the text was cut to the sequence length: words past the cut are absent

    double attributionSum() const;
    // attributionSum() − (logit − baselineLogit): what the path integral missed. A model whose logit
    // jumps along the path (a class boundary crossed within a few hundredths of it, as a saturated
    // model's can) needs hundreds of steps; a gap above ~1 % of the difference says to use more.
    double completenessGap() const;
};

// Explains the checkpoint's logit for `text`, encoded as the predictor encodes it (sequence length,
// truncation). The baseline is the same sequence with every token of the text replaced by [PAD],
// [CLS], [SEP], positions and token types kept. The path integral is Gauss–Legendre quadrature with
// options.steps nodes: exact for a logit that is a polynomial of degree < 2·steps along the path, so
// 32 steps reach completeness far within 1 %. Gradients are taken with respect to the interpolated
// embeddings only: the model's parameters and their .grad are left alone, so a model shared with
// predictions (the tester, the API) may be explained from several threads.
Result<Explanation> explainPrediction(const LoadedCheckpoint& checkpoint, std::string_view text, int sequenceLength,
                                      Truncation truncation, const ExplainOptions& options = {});

// Gauss–Legendre nodes (ascending) and weights on [0, 1] (exposed for tests).
void gaussLegendre01(int count, std::vector<double>& nodes, std::vector<double>& weights);

} // namespace fika::core
