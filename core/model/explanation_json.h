// SPDX-License-Identifier: GPL-3.0-or-later
// An explanation as JSON, the same for fika-cli predict --explain --json and POST /predict?explain=true.
#pragma once

#include "model/explanation.h"

#include <nlohmann/json.hpp>

namespace fika::core {

// {"class", "logit", "baseline_logit", "steps", "words": [{"word", "start", "end", "attribution"}]},
// plus "truncated": true when the text was cut to the sequence length (its words past the cut are
// absent). start and end are code points [start, end) of the text as given.
nlohmann::json explanationJson(const Explanation& explanation);

} // namespace fika::core
