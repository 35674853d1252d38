// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve/prediction_server.h"

#include "model/explanation.h"

#include <nlohmann/json.hpp>

namespace fika::core {
namespace {

nlohmann::json errorResponse(const std::string& description)
{
    return {{"description", description},
            {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

} // namespace

std::string openApiJson(const ServerOptions& options, const std::vector<std::string>& labels)
{
    using nlohmann::json;
    const std::string& input = options.inputName;
    const std::string& target = options.targetName;
    json probabilities = {{"type", "object"}, {"properties", json::object()}};
    for (const auto& label : labels)
        probabilities["properties"][label] = {{"type", "number"}, {"minimum", 0}, {"maximum", 1}};
    const json steps = {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxExplainSteps}, {"default", kDefaultExplainSteps},
                        {"description", "Points on the path from the baseline to the text (Gauss-Legendre nodes); needs explain"}};
    const json explainFlag = {{"type", "boolean"}, {"default", false}, {"description", "Add an explanation to each prediction"}};
    json row = {{"type", "object"}, {"required", {input}}, {"properties", {{input, {{"type", "string"}, {"minLength", 1}}}}}};
    const json formRow = row;
    row["properties"]["explain"] = explainFlag;
    row["properties"]["steps"] = steps;
    const json word = {{"type", "object"},
                       {"properties",
                        {{"word", {{"type", "string"}, {"description", "The text's characters [start, end)"}}},
                         {"start", {{"type", "integer"}, {"description", "Code point offset into the text as sent"}}},
                         {"end", {{"type", "integer"}}},
                         {"attribution", {{"type", "number"}, {"description", "The word's share of logit - baseline_logit"}}}}}};
    const json explanation = {
        {"type", "object"},
        {"description", "Integrated Gradients over the word embeddings for the predicted class. The baseline is the "
                        "same sequence with every token of the text replaced by [PAD] ([CLS], [SEP] and positions "
                        "kept); the words' attributions add up to logit - baseline_logit (within about 1 %)."},
        {"properties",
         {{"class", {{"type", "string"}, {"enum", labels}}},
          {"logit", {{"type", "number"}}},
          {"baseline_logit", {{"type", "number"}}},
          {"steps", {{"type", "integer"}}},
          {"words", {{"type", "array"}, {"items", word}}},
          {"truncated", {{"type", "boolean"}, {"description", "Present (true) when the text was cut to the sequence "
                                                              "length: its words past the cut are not listed"}}}}}};
    const json prediction = {{"type", "object"},
                             {"properties", {{target, probabilities}, {"label", {{"type", "string"}, {"enum", labels}}},
                                             {"explanation", explanation}}}};
    const json rows = {{"type", "object"},
                       {"required", {"rows"}},
                       {"properties", {{"rows", {{"type", "array"}, {"items", formRow}}}, {"explain", explainFlag}, {"steps", steps}}}};
    const json predictionRows = {{"type", "object"},
                                 {"properties", {{"rows", {{"type", "array"}, {"items", prediction}}}}}};

    json predict;
    predict["summary"] = "Class probabilities for one text (multipart field) or many (JSON rows)";
    predict["requestBody"]["required"] = true;
    const std::string budget = std::to_string(options.maxExplainWork);
    predict["description"] = "With explain=true (query, or \"explain\": true in a JSON body) each prediction carries an "
                             "explanation: which words made it. One request may ask for at most " + budget +
                             " path-point tokens (steps x the tokens of its texts, [CLS] and [SEP] included); more gets 413.";
    predict["parameters"] = json::array(
        {{{"name", "explain"}, {"in", "query"}, {"schema", explainFlag}},
         {{"name", "steps"}, {"in", "query"}, {"schema", steps}}});
    predict["requestBody"]["content"]["multipart/form-data"]["schema"] = formRow;
    predict["requestBody"]["content"]["application/json"]["schema"]["oneOf"] = {row, rows};
    predict["responses"]["200"]["description"] = "Predictions, in request order for rows";
    predict["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"] = {prediction, predictionRows};
    predict["responses"]["400"] = errorResponse("Missing field, malformed multipart or JSON, empty text; explain not true or "
                                                "false, steps not a whole number from 1 to " + std::to_string(kMaxExplainSteps));
    predict["responses"]["401"] = errorResponse("Missing or wrong token");
    predict["responses"]["413"] = errorResponse("Body over the size limit; or an explanation over " + budget + " path-point tokens");
    predict["responses"]["503"] = errorResponse("The server is stopping");
    predict["responses"]["415"] = errorResponse("Neither multipart/form-data nor application/json");

    auto openGet = [](const std::string& summary, const std::string& response) {
        json get;
        get["summary"] = summary;
        get["security"] = json::array();
        get["responses"]["200"]["description"] = response;
        return get;
    };

    json spec;
    spec["openapi"] = "3.0.3";
    spec["info"] = {{"title", "Fika prediction API"},
                    {"version", "1"},
                    {"description", "Classifies '" + input + "' texts into '" + target + "' classes."}};
    spec["security"] = json::array({{{"basic", json::array()}}, {{"bearer", json::array()}}});
    spec["paths"]["/predict"]["post"] = predict;
    spec["paths"]["/health"]["get"] = openGet("Liveness, labels and field names (no token)", "Serving");
    spec["paths"]["/"]["get"] = openGet("The browser API tester page", "HTML");
    spec["components"]["securitySchemes"]["basic"] = {
        {"type", "http"}, {"scheme", "basic"}, {"description", "The token as user name, empty password"}};
    spec["components"]["securitySchemes"]["bearer"] = {{"type", "http"}, {"scheme", "bearer"}};
    spec["components"]["schemas"]["Error"] = {{"type", "object"}, {"properties", {{"error", {{"type", "string"}}}}}};
    return spec.dump(2);
}

} // namespace fika::core
