// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve/prediction_server.h"

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
    const json row = {{"type", "object"}, {"required", {input}}, {"properties", {{input, {{"type", "string"}, {"minLength", 1}}}}}};
    const json prediction = {{"type", "object"},
                             {"properties", {{target, probabilities}, {"label", {{"type", "string"}, {"enum", labels}}}}}};
    const json rows = {{"type", "object"}, {"required", {"rows"}}, {"properties", {{"rows", {{"type", "array"}, {"items", row}}}}}};
    const json predictionRows = {{"type", "object"},
                                 {"properties", {{"rows", {{"type", "array"}, {"items", prediction}}}}}};

    json predict;
    predict["summary"] = "Class probabilities for one text (multipart field) or many (JSON rows)";
    predict["requestBody"]["required"] = true;
    predict["requestBody"]["content"]["multipart/form-data"]["schema"] = row;
    predict["requestBody"]["content"]["application/json"]["schema"]["oneOf"] = {row, rows};
    predict["responses"]["200"]["description"] = "Predictions, in request order for rows";
    predict["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"] = {prediction, predictionRows};
    predict["responses"]["400"] = errorResponse("Missing field, malformed multipart or JSON, empty text");
    predict["responses"]["401"] = errorResponse("Missing or wrong token");
    predict["responses"]["413"] = errorResponse("Body over the size limit");
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
