// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/explanation.h"

#include "model/checkpoint.h"
#include "model/torch_errors.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fika::core {
namespace {

constexpr double kBatchBudgetBytes = 1024.0 * 1024.0 * 1024.0;

// Path points per pass that keep what the backward pass holds within the budget: per layer, the
// attention scores and probabilities (heads × T² floats, a few copies) and a dozen [T, hidden] and
// [T, intermediate] activations.
int pointsPerBatch(const BertConfig& c, int64_t length, const ExplainOptions& options)
{
    if (options.batchSize > 0)
        return std::min(options.batchSize, options.steps);
    const double t = static_cast<double>(length);
    const double perPoint = 4.0 * static_cast<double>(c.numLayers) *
                            (4.0 * static_cast<double>(c.numHeads) * t * t +
                             t * (8.0 * static_cast<double>(c.hiddenSize) + 2.0 * static_cast<double>(c.intermediateSize)));
    return std::clamp(static_cast<int>(kBatchBudgetBytes / perPoint), 1, options.steps);
}

// Byte offset of every code point of text (and of its end), counting an invalid byte as one code
// point, as the tokenizer does.
std::vector<size_t> codePointOffsets(std::string_view text)
{
    std::vector<size_t> offsets;
    offsets.reserve(text.size() + 1);
    for (size_t pos = 0; pos < text.size();) {
        offsets.push_back(pos);
        decodeUtf8Lenient(text, pos);
    }
    offsets.push_back(text.size());
    return offsets;
}

Result<Explanation> explain(const LoadedCheckpoint& checkpoint, std::string_view text, int sequenceLength,
                            Truncation truncation, const ExplainOptions& options)
{
    c10::InferenceMode inferenceOff(false); // gradients are needed even when a caller is in inference mode
    torch::AutoGradMode gradOn(true);
    BertClassifier model = checkpoint.model; // a handle: forward() is not const in LibTorch
    const Tokenizer& tokenizer = *checkpoint.tokenizer;
    const SpannedEncoding spanned = tokenizer.encodeWithSpans(text, sequenceLength, truncation);
    const std::vector<int32_t>& idList = spanned.encoding.ids;
    const auto length = static_cast<int64_t>(idList.size());

    torch::Tensor table;
    for (const auto& parameter : model->named_parameters())
        if (parameter.key() == "bert.embeddings.word_embeddings.weight")
            table = parameter.value().detach();
    const torch::Device device = table.device(); // the model's: the CPU's or a GPU's

    torch::Tensor ids = torch::tensor(std::vector<int64_t>(idList.begin(), idList.end()), torch::kLong).unsqueeze(0).to(device);
    torch::Tensor baselineIds = ids.clone();
    baselineIds.index_put_({0, torch::indexing::Slice(1, length - 1)}, tokenizer.vocab().padId());
    const torch::Tensor mask = torch::ones({1, length}, torch::TensorOptions(torch::kLong).device(device));
    const torch::Tensor types = torch::zeros({1, length}, torch::TensorOptions(torch::kLong).device(device));

    torch::Tensor endLogits; // [2, labels]: the text, the baseline
    {
        torch::NoGradGuard noGrad;
        endLogits = model->forward(torch::cat({ids, baselineIds}), mask.expand({2, length}), types.expand({2, length}))
                        .logits.to(torch::kCPU, torch::kFloat)
                        .contiguous();
    }
    if (!torch::isfinite(endLogits).all().item<bool>())
        return makeError(ErrorCode::CheckpointInvalid,
                         "the model's output is not a number (its logits overflow): the checkpoint's weights are damaged");
    const auto& labels = checkpoint.config.labels;
    const int64_t classId = options.classId >= 0 ? options.classId : endLogits[0].argmax().item<int64_t>();

    const torch::Tensor textEmbeds = table.index_select(0, ids[0]).to(torch::kFloat);
    const torch::Tensor baselineEmbeds = table.index_select(0, baselineIds[0]).to(torch::kFloat);
    const torch::Tensor delta = textEmbeds - baselineEmbeds;

    std::vector<double> nodes, weights;
    gaussLegendre01(options.steps, nodes, weights);
    const int batch = pointsPerBatch(checkpoint.config, length, options);
    torch::Tensor weightedGradient = torch::zeros_like(delta, torch::kDouble); // Σ w·∂f/∂e over the path
    for (int first = 0; first < options.steps; first += batch) {
        const int count = std::min(batch, options.steps - first);
        const torch::Tensor alphas =
            torch::tensor(std::vector<double>(nodes.begin() + first, nodes.begin() + first + count), torch::kDouble)
                .to(device, torch::kFloat)
                .view({count, 1, 1});
        const torch::Tensor pathWeights =
            torch::tensor(std::vector<double>(weights.begin() + first, weights.begin() + first + count), torch::kDouble)
                .to(device)
                .view({count, 1, 1});
        torch::Tensor points = (baselineEmbeds.unsqueeze(0) + alphas * delta.unsqueeze(0)).set_requires_grad(true);
        const torch::Tensor logits =
            model->forwardEmbeds(points, mask.expand({count, length}), types.expand({count, length})).logits;
        const torch::Tensor explained = logits.select(1, classId).to(torch::kFloat).sum();
        const torch::Tensor gradient = torch::autograd::grad({explained}, {points})[0];
        weightedGradient += (gradient.to(torch::kDouble) * pathWeights).sum(0);
    }
    const torch::Tensor attributions = (delta.to(torch::kDouble) * weightedGradient).sum(1).to(torch::kCPU).contiguous();
    if (!torch::isfinite(attributions).all().item<bool>())
        return makeError(ErrorCode::CheckpointInvalid, "the model's gradient is not a number: the checkpoint's weights are damaged");

    Explanation out;
    out.classId = static_cast<int32_t>(classId);
    out.label = labels[static_cast<size_t>(classId)];
    out.logit = endLogits[0][classId].item<float>();
    out.baselineLogit = endLogits[1][classId].item<float>();
    out.steps = options.steps;
    out.logits.assign(endLogits.data_ptr<float>(), endLogits.data_ptr<float>() + endLogits.size(1));
    out.truncated = spanned.encoding.truncated;

    const std::vector<size_t> offsets = codePointOffsets(text);
    const double* attribution = attributions.data_ptr<double>();
    std::vector<double> wordSums;
    int32_t lastWord = -1; // the tokenizer's word index of out.words.back()
    for (int64_t t = 1; t + 1 < length; ++t) {
        const TokenSpan& span = spanned.spans[static_cast<size_t>(t)];
        if (out.words.empty() || span.word != lastWord) {
            out.words.push_back({{}, span.start, span.end, 0.0f});
            wordSums.push_back(0.0);
            lastWord = span.word;
        }
        WordAttribution& word = out.words.back();
        word.start = std::min(word.start, span.start);
        word.end = std::max(word.end, span.end);
        wordSums.back() += attribution[t];
        out.tokens.push_back({tokenizer.vocab().token(idList[static_cast<size_t>(t)]), span.start, span.end,
                              static_cast<int32_t>(out.words.size() - 1), static_cast<float>(attribution[t])});
    }
    for (size_t w = 0; w < out.words.size(); ++w) {
        WordAttribution& word = out.words[w];
        word.attribution = static_cast<float>(wordSums[w]);
        const size_t begin = offsets[static_cast<size_t>(word.start)];
        word.word = std::string(text.substr(begin, offsets[static_cast<size_t>(word.end)] - begin));
    }
    return out;
}

} // namespace

double Explanation::attributionSum() const
{
    double sum = 0.0;
    for (const auto& token : tokens)
        sum += token.attribution;
    return sum;
}

double Explanation::completenessGap() const
{
    return attributionSum() - (static_cast<double>(logit) - static_cast<double>(baselineLogit));
}

void gaussLegendre01(int count, std::vector<double>& nodes, std::vector<double>& weights)
{
    const int n = std::max(1, count);
    nodes.assign(static_cast<size_t>(n), 0.0);
    weights.assign(static_cast<size_t>(n), 0.0);
    // Newton's method on the Legendre polynomial P_n, from the usual first guesses for its roots.
    for (int i = 0; i < (n + 1) / 2; ++i) {
        double x = std::cos(M_PI * (i + 0.75) / (n + 0.5));
        double derivative = 1.0;
        for (int iteration = 0; iteration < 100; ++iteration) {
            double previous = 1.0, value = x; // P_0, P_1
            for (int k = 2; k <= n; ++k) {
                const double next = ((2.0 * k - 1.0) * x * value - (k - 1.0) * previous) / k;
                previous = value;
                value = next;
            }
            derivative = n * (x * value - previous) / (x * x - 1.0);
            const double step = value / derivative;
            x -= step;
            if (std::abs(step) < 1e-15)
                break;
        }
        const double weight = 1.0 / ((1.0 - x * x) * derivative * derivative); // 2/(…) on [-1, 1], halved
        nodes[static_cast<size_t>(i)] = (1.0 - x) / 2.0;
        nodes[static_cast<size_t>(n - 1 - i)] = (1.0 + x) / 2.0;
        weights[static_cast<size_t>(i)] = weight;
        weights[static_cast<size_t>(n - 1 - i)] = weight;
    }
}

Result<Explanation> explainPrediction(const LoadedCheckpoint& checkpoint, std::string_view text, int sequenceLength,
                                      Truncation truncation, const ExplainOptions& options)
{
    if (options.steps < 1 || options.steps > kMaxExplainSteps)
        return Error{ErrorCode::InvalidArgument,
                     "steps must be between 1 and " + std::to_string(kMaxExplainSteps) + " (got " +
                         std::to_string(options.steps) + ")",
                     {}, 0, -1, "steps"};
    const auto labelCount = static_cast<int>(checkpoint.config.labels.size());
    if (options.classId < -1 || options.classId >= labelCount)
        return Error{ErrorCode::InvalidArgument,
                     "class " + std::to_string(options.classId) + " does not exist: the model has " +
                         std::to_string(labelCount) + " classes (0 to " + std::to_string(labelCount - 1) + ")",
                     {}, 0, -1, "class"};
    if (options.batchSize < 0)
        return Error{ErrorCode::InvalidArgument,
                     "the batch size must be 0 (automatic) or more (got " + std::to_string(options.batchSize) + ")",
                     {}, 0, -1, "batch_size"};
    try {
        return explain(checkpoint, text, sequenceLength, truncation, options);
    } catch (const std::exception& e) { // LibTorch's failures stay inside core
        const std::string what = e.what();
        return makeError(errorCodeForException(e, ErrorCode::CheckpointInvalid),
                         "explaining the prediction failed: " + what.substr(0, what.find('\n')));
    }
}

} // namespace fika::core
