// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/explanation_json.h"

namespace fika::core {

nlohmann::json explanationJson(const Explanation& e)
{
    nlohmann::json words = nlohmann::json::array();
    for (const auto& word : e.words)
        words.push_back({{"word", word.word}, {"start", word.start}, {"end", word.end}, {"attribution", word.attribution}});
    nlohmann::json out = {{"class", e.label}, {"logit", e.logit}, {"baseline_logit", e.baselineLogit}, {"steps", e.steps}, {"words", words}};
    if (e.truncated) // only then: the common answer keeps the shape scripts already read
        out["truncated"] = true;
    return out;
}

} // namespace fika::core
