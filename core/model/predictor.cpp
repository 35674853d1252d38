// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/predictor.h"

#include "model/bf16_weights.h"
#include "model/checkpoint.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace fika::core {

Status checkComputeDevice(const std::string& device)
{
    if (device == "cpu")
        return Ok{};
    if (device != "cuda" && device.rfind("cuda:", 0) != 0)
        return makeError(ErrorCode::InvalidArgument, "the device must be cpu or cuda (cuda:N for GPU N), not '" + device + "'");
    if (!torch::cuda::is_available())
        return makeError(ErrorCode::InvalidArgument,
                         "the device " + device + " needs a CUDA build of LibTorch and a GPU; this Fika's LibTorch has none "
                         "(README: Fika on a GPU), so use cpu");
    try {
        const torch::Device parsed(device);
        if (parsed.has_index() && parsed.index() >= static_cast<int64_t>(torch::cuda::device_count()))
            return makeError(ErrorCode::InvalidArgument, "there is no GPU " + std::to_string(parsed.index()) + ": this machine has " +
                                                             std::to_string(torch::cuda::device_count()) + " (cuda:0 …)");
    } catch (const c10::Error&) {
        return makeError(ErrorCode::InvalidArgument, "the device must be cpu or cuda (cuda:N for GPU N), not '" + device + "'");
    }
    return Ok{};
}

Result<std::shared_ptr<Predictor>> Predictor::fromCheckpoint(const std::string& dir, const PredictorOptions& options)
{
    if (auto valid = checkComputeDevice(options.device); !valid)
        return valid.error();
    if (options.sequenceLength != 0)
        if (auto valid = validateSequenceLength(options.sequenceLength); !valid)
            return valid.error();
    auto loaded = loadCheckpoint(dir);
    if (!loaded)
        return loaded.error();
    return fromLoaded(std::move(loaded.value()), options);
}

std::shared_ptr<Predictor> Predictor::fromLoaded(LoadedCheckpoint checkpoint, const PredictorOptions& options)
{
    std::shared_ptr<Predictor> predictor(new Predictor);
    predictor->m_checkpoint = std::make_shared<LoadedCheckpoint>(std::move(checkpoint));
    LoadedCheckpoint& loaded = *predictor->m_checkpoint;
    loaded.model->eval();
    predictor->m_device = options.device;
    loaded.model->to(torch::Device(options.device));
    if (options.bf16)
        convertToBf16(loaded.model);
    const int limit = static_cast<int>(std::min<int64_t>(kMaxSequenceLength, loaded.config.maxPositions));
    predictor->m_sequenceLength =
        std::min(limit, options.sequenceLength > 0 ? options.sequenceLength : loaded.encoding.sequenceLength);
    predictor->m_truncation = options.truncation.value_or(loaded.encoding.truncation);
    predictor->m_batchSize = std::max(1, options.batchSize);
    return predictor;
}

const std::vector<std::string>& Predictor::labels() const
{
    return m_checkpoint->config.labels;
}

Result<Explanation> Predictor::explain(std::string_view text, const ExplainOptions& options) const
{
    return explainPrediction(*m_checkpoint, text, m_sequenceLength, m_truncation, options);
}

int Predictor::tokenCount(std::string_view text) const
{
    return static_cast<int>(m_checkpoint->tokenizer->encode(text, m_sequenceLength, m_truncation, false).ids.size());
}

std::vector<Prediction> Predictor::predict(const std::vector<std::string>& texts, const JobContext& job) const
{
    c10::InferenceMode inference;
    BertClassifier model = m_checkpoint->model; // a handle: forward() is not const in LibTorch
    const torch::Device device(m_device);
    const Tokenizer& tokenizer = *m_checkpoint->tokenizer;
    std::vector<Encoding> encodings;
    encodings.reserve(texts.size());
    for (const auto& text : texts)
        encodings.push_back(tokenizer.encode(text, m_sequenceLength, m_truncation, false));

    // Similar lengths together: less padding per batch.
    std::vector<size_t> order(texts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return encodings[a].ids.size() < encodings[b].ids.size(); });

    std::vector<Prediction> predictions(texts.size());
    const auto labelCount = static_cast<int64_t>(labels().size());
    const auto batchSize = static_cast<size_t>(m_batchSize);
    int64_t totalTokens = 0, doneTokens = 0;
    for (size_t start = 0; start < order.size(); start += batchSize) {
        const size_t end = std::min(order.size(), start + batchSize);
        totalTokens += static_cast<int64_t>(end - start) * static_cast<int64_t>(encodings[order[end - 1]].ids.size());
    }
    job.report(0, totalTokens);
    for (size_t start = 0; start < order.size(); start += batchSize) {
        if (job.shouldStop())
            break; // the caller asked to stop: the rest stay unpredicted
        const size_t end = std::min(order.size(), start + batchSize);
        const auto batch = static_cast<int64_t>(end - start);
        const auto length = static_cast<int64_t>(encodings[order[end - 1]].ids.size());
        torch::Tensor ids = torch::full({batch, length}, tokenizer.vocab().padId(), torch::kLong);
        torch::Tensor mask = torch::zeros({batch, length}, torch::kLong);
        auto idsAccess = ids.accessor<int64_t, 2>();
        auto maskAccess = mask.accessor<int64_t, 2>();
        for (int64_t row = 0; row < batch; ++row) {
            const Encoding& e = encodings[order[start + static_cast<size_t>(row)]];
            for (size_t t = 0; t < e.ids.size(); ++t) {
                idsAccess[row][static_cast<int64_t>(t)] = e.ids[t];
                maskAccess[row][static_cast<int64_t>(t)] = 1;
            }
        }
        const torch::Tensor types = torch::zeros_like(ids);
        const torch::Tensor logits =
            model->forward(ids.to(device), mask.to(device), types.to(device)).logits.to(torch::kCPU, torch::kFloat);
        const torch::Tensor probabilities = torch::softmax(logits, -1).contiguous();
        const torch::Tensor logitsCpu = logits.contiguous();
        // Finite weights can still overflow (a damaged checkpoint): NaN probabilities must not pass
        // for an answer ("negative": null), so they fail like LibTorch's own errors do here.
        const torch::Tensor finite = torch::isfinite(logitsCpu).all(1);
        for (int64_t row = 0; row < batch; ++row) {
            if (!finite[row].item<bool>())
                throw std::runtime_error("the model's output for text " +
                                         std::to_string(order[start + static_cast<size_t>(row)] + 1) +
                                         " is not a number (its logits overflow): the checkpoint's weights are damaged");
            Prediction& p = predictions[order[start + static_cast<size_t>(row)]];
            const float* prob = probabilities.data_ptr<float>() + row * labelCount;
            const float* logit = logitsCpu.data_ptr<float>() + row * labelCount;
            p.probabilities.assign(prob, prob + labelCount);
            p.logits.assign(logit, logit + labelCount);
            p.labelId = static_cast<int32_t>(std::max_element(prob, prob + labelCount) - prob);
            p.label = labels()[static_cast<size_t>(p.labelId)];
        }
        doneTokens += batch * length;
        job.report(doneTokens, totalTokens);
    }
    return predictions;
}

} // namespace fika::core
