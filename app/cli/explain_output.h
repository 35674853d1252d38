// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli predict --explain: the words and their attributions as text, JSON and an HTML report.
#pragma once

#include "model/explanation.h"
#include "model/explanation_json.h" // explanationJson, for --json
#include "model/predictor.h"

#include <ostream>
#include <string>
#include <vector>

namespace fika::cli {

// Explains each text with the predictor: `steps` path points (0: core's default), the class named
// `label` (empty: each text's predicted class). Errors name the option or the text (1-based). A text
// whose attributions miss more than 1 % of logit − baseline logit gets a warning on stderr.
core::Result<std::vector<core::Explanation>> explainTexts(const core::Predictor& predictor, const std::vector<std::string>& texts,
                                                          int steps, const std::string& label);

// One line per word in the text's order: the word and its attribution, after a line that names
// the class explained and its logits.
void printExplanation(std::ostream& out, const core::Explanation& explanation);

// A page that needs nothing else: each text with its words highlighted by attribution (a diverging
// blue–orange scale, which colour-blind readers tell apart), a legend, the numbers in tooltips,
// and any part of a long text the model did not see greyed out.
std::string explanationHtml(const std::vector<std::string>& texts, const std::vector<core::Prediction>& predictions,
                            const std::vector<core::Explanation>& explanations);

} // namespace fika::cli
