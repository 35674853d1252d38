// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/explain_output.h"

#include "text/bert_normalizer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace fika::cli {
namespace {

std::string number(const char* format, double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

std::string escapeHtml(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

// Blue against the class, orange for it (ColorBrewer's PuOr ends: distinct for every common kind
// of colour blindness), stronger with the attribution's share of the text's largest.
std::string wordStyle(double share)
{
    const double strength = std::min(1.0, std::abs(share));
    const char* rgb = share >= 0 ? "230,97,1" : "33,102,172";
    std::string style = "background:rgba(" + std::string(rgb) + "," + number("%.3f", 0.85 * strength) + ")";
    if (strength > 0.6)
        style += ";color:#fff";
    return style;
}

void appendText(std::string& html, const std::string& text, const core::Explanation& e)
{
    std::vector<size_t> offsets; // byte offset of each code point, counted as the tokenizer counts them
    for (size_t pos = 0; pos < text.size();) {
        offsets.push_back(pos);
        core::decodeUtf8Lenient(text, pos);
    }
    offsets.push_back(text.size());
    const auto slice = [&](int32_t from, int32_t to) {
        return std::string_view(text).substr(offsets[static_cast<size_t>(from)],
                                             offsets[static_cast<size_t>(to)] - offsets[static_cast<size_t>(from)]);
    };
    // Between words: spaces, or, in a truncated text, what the model never saw.
    const auto appendGap = [&](int32_t from, int32_t to) {
        if (from >= to)
            return;
        const std::string_view gap = slice(from, to);
        const bool unseen = e.truncated && gap.find_first_not_of(" \t\r\n") != std::string_view::npos;
        if (unseen)
            html += "<span class=\"unseen\" title=\"not seen by the model (past its sequence length)\">" + escapeHtml(gap) + "</span>";
        else
            html += escapeHtml(gap);
    };
    double largest = 0.0;
    for (const auto& word : e.words)
        largest = std::max(largest, static_cast<double>(std::abs(word.attribution)));
    int32_t cursor = 0;
    for (const auto& word : e.words) {
        appendGap(cursor, word.start);
        const double share = largest > 0 ? word.attribution / largest : 0.0;
        html += "<span class=\"w\" style=\"" + wordStyle(share) + "\" title=\"" + number("%+.4g", word.attribution) +
                " (" + number("%+.0f", 100.0 * share) + " % of the strongest)\">" + escapeHtml(slice(word.start, word.end)) +
                "</span>";
        cursor = word.end;
    }
    appendGap(cursor, static_cast<int32_t>(offsets.size() - 1));
}

} // namespace

core::Result<std::vector<core::Explanation>> explainTexts(const core::Predictor& predictor, const std::vector<std::string>& texts,
                                                          int steps, const std::string& label)
{
    core::ExplainOptions options;
    if (steps != 0)
        options.steps = steps;
    const auto& labels = predictor.labels();
    if (!label.empty()) {
        const auto found = std::find(labels.begin(), labels.end(), label);
        if (found == labels.end()) {
            std::string known;
            for (const auto& name : labels)
                known += (known.empty() ? "" : ", ") + name;
            return core::Error{core::ErrorCode::InvalidArgument,
                               "--explain-class " + label + ": the model has no such class (it has " + known + ")",
                               {}, 0, -1, "--explain-class"};
        }
        options.classId = static_cast<int>(found - labels.begin());
    }
    std::vector<core::Explanation> explanations;
    explanations.reserve(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
        auto explanation = predictor.explain(texts[i], options);
        if (!explanation) {
            core::Error error = explanation.error();
            error.message = "text " + std::to_string(i + 1) + ": " + error.message;
            return error;
        }
        const double difference = static_cast<double>(explanation->logit) - explanation->baselineLogit;
        if (std::abs(explanation->completenessGap()) > 0.01 * std::max(std::abs(difference), 1e-3))
            std::cerr << "fika-cli: text " << i + 1 << ": the attributions sum to " << number("%.4f", explanation->attributionSum())
                      << " but logit - baseline logit is " << number("%.4f", difference)
                      << ": the logit changes sharply along the path; more --steps (e.g. " << 8 * explanation->steps
                      << ") make them agree\n";
        explanations.push_back(std::move(explanation.value()));
    }
    return explanations;
}

void printExplanation(std::ostream& out, const core::Explanation& e)
{
    out << "  explained: " << e.label << ", logit " << number("%.4f", e.logit) << ", baseline ([PAD]) "
        << number("%.4f", e.baselineLogit) << ", " << e.steps << " steps, attributions sum to "
        << number("%.4f", e.attributionSum()) << "\n";
    for (const auto& word : e.words)
        out << "  " << number("%+.4f", word.attribution) << '\t' << word.word << "\n";
}

std::string explanationHtml(const std::vector<std::string>& texts, const std::vector<core::Prediction>& predictions,
                            const std::vector<core::Explanation>& explanations)
{
    std::string html = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fika: which words made the prediction</title>
<style>
body{font:16px/1.6 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}
section{border-top:1px solid #ccc;padding:.5em 0}
.text{white-space:pre-wrap}
.w{border-radius:3px;padding:0 1px}
.unseen{color:#999;background:repeating-linear-gradient(45deg,#f4f4f4,#f4f4f4 4px,#fff 4px,#fff 8px)}
.meta{color:#555;font-size:90%}
.legend{display:flex;align-items:center;gap:.6em;font-size:90%}
.bar{width:16em;height:1em;border:1px solid #999;background:linear-gradient(to right,rgba(33,102,172,.85),#fff,rgba(230,97,1,.85))}
</style></head><body>
<h1>Which words made the prediction</h1>
<p>Integrated Gradients: each word's share of the explained class's logit, from a baseline in which every word
is replaced by <code>[PAD]</code> ([CLS], [SEP] and positions kept). The shares add up to
logit − baseline logit. Hover over a word for its number.</p>
<div class="legend"><span>against the class</span><span class="bar"></span><span>for the class</span>
<span class="unseen">greyed: not seen by the model</span></div>
)";
    for (size_t i = 0; i < explanations.size() && i < texts.size() && i < predictions.size(); ++i) {
        const core::Explanation& e = explanations[i];
        const core::Prediction& p = predictions[i];
        html += "<section><h2>Text " + std::to_string(i + 1) + ": " + escapeHtml(p.label) + " (" +
                number("%.1f", 100.0 * p.probabilities[static_cast<size_t>(p.labelId)]) + " %)</h2>\n";
        html += "<p class=\"meta\">Explained: " + escapeHtml(e.label) + ", logit " + number("%.4f", e.logit) +
                ", baseline logit " + number("%.4f", e.baselineLogit) + ", " + std::to_string(e.steps) +
                " steps; the attributions sum to " + number("%.4f", e.attributionSum()) +
                (e.truncated ? "; the text was longer than the model reads" : "") + ".</p>\n<p class=\"text\">";
        appendText(html, texts[i], e);
        html += "</p></section>\n";
    }
    html += "</body></html>\n";
    return html;
}

} // namespace fika::cli
