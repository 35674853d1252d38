// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/run_history.h"

#include "common/atomic_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fika::core {

int64_t RunHistory::bestEpoch() const
{
    int64_t best = 0;
    for (const auto& e : epochs)
        if (e.best)
            best = e.epoch;
    return best;
}

EvaluationMetrics metricsFromJson(const nlohmann::json& json)
{
    EvaluationMetrics m;
    m.loss = json.at("loss").get<double>();
    m.accuracy = json.at("accuracy").get<double>();
    m.macroF1 = json.at("macro_f1").get<double>();
    if (json.contains("roc_auc"))
        m.rocAuc = json.at("roc_auc").get<double>();
    const auto labels = json.at("labels").get<std::vector<std::string>>();
    m.confusion = ConfusionMatrix(labels.size());
    auto add = [&](size_t t, size_t p, int64_t count) {
        if (t < labels.size() && p < labels.size())
            for (int64_t n = 0; n < count; ++n)
                m.confusion.add(static_cast<int32_t>(t), static_cast<int32_t>(p));
    };
    if (json.contains("confusion_cells")) { // many classes: only the non-zero cells
        for (const auto& cell : json.at("confusion_cells"))
            add(cell.at(0).get<size_t>(), cell.at(1).get<size_t>(), cell.at(2).get<int64_t>());
    } else {
        const auto rows = json.at("confusion_matrix").get<std::vector<std::vector<int64_t>>>();
        for (size_t t = 0; t < rows.size(); ++t)
            for (size_t p = 0; p < rows[t].size(); ++p)
                add(t, p, rows[t][p]);
    }
    for (const auto& label : labels) {
        const auto& c = json.at("per_class").at(label);
        m.perClass.push_back({c.at("precision").get<double>(), c.at("recall").get<double>(), c.at("f1").get<double>(),
                              c.at("support").get<int64_t>()});
    }
    return m;
}

Result<RunHistory> readRunHistory(const std::string& runDir)
{
    const std::string file = (std::filesystem::path(runDir) / "metrics.jsonl").string();
    std::ifstream in(file);
    RunHistory history;
    if (!in)
        return history; // a run that has not logged anything yet
    std::string line;
    int64_t lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.empty() || in.eof()) // no line break yet: a line the run is still writing
            continue;
        try {
            const auto json = nlohmann::json::parse(line);
            if (json.at("type") == "step") {
                StepEvent e;
                e.step = json.at("step").get<int64_t>();
                e.epoch = json.at("epoch").get<int64_t>();
                e.loss = json.at("loss").get<double>();
                e.learningRate = json.at("learning_rate").get<double>();
                e.samplesPerSecond = json.value("samples_per_s", 0.0);
                auto& steps = history.steps;
                steps.erase(std::remove_if(steps.begin(), steps.end(), [&](const StepEvent& s) { return s.step >= e.step; }),
                            steps.end());
                steps.push_back(e);
            } else if (json.at("type") == "epoch") {
                const auto& m = json.at("metrics");
                EpochEvent e;
                e.epoch = m.at("epoch").get<int64_t>();
                e.epochs = m.value("epochs", int64_t(0));
                e.trainingLoss = m.at("training_loss").get<double>();
                e.elapsedSeconds = m.value("elapsed_seconds", 0.0);
                e.best = m.value("best", false);
                e.validation = metricsFromJson(m);
                history.labels = m.at("labels").get<std::vector<std::string>>();
                auto& epochs = history.epochs;
                epochs.erase(std::remove_if(epochs.begin(), epochs.end(), [&](const EpochEvent& x) { return x.epoch >= e.epoch; }),
                             epochs.end());
                epochs.push_back(e);
            }
        } catch (const nlohmann::json::exception& e) {
            return makeError(ErrorCode::Json, file + ": line " + std::to_string(lineNumber) + ": " + e.what(), file, lineNumber);
        }
    }
    return history;
}

Status trimRunHistory(const std::string& runDir, int64_t step, int64_t epoch)
{
    const std::string file = (std::filesystem::path(runDir) / "metrics.jsonl").string();
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return Ok{}; // nothing logged yet
    auto keep = [&](const std::string& line) {
        try {
            const auto json = nlohmann::json::parse(line);
            if (json.at("type") == "step")
                return json.at("step").get<int64_t>() <= step;
            if (json.at("type") == "epoch")
                return json.at("metrics").at("epoch").get<int64_t>() <= epoch;
            return true;
        } catch (const nlohmann::json::exception&) {
            return false; // cut short by a kill or a full disk
        }
    };
    std::string kept;
    bool dropped = false;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        if (!in.eof() && keep(line)) // a last line without its line break was cut short
            kept += line + "\n";
        else
            dropped = true;
    }
    if (in.bad())
        return makeError(ErrorCode::IoError, file + ": cannot be read", file);
    if (!dropped)
        return Ok{};
    return writeFileAtomically(file, kept);
}

} // namespace fika::core
