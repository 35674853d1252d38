// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/batching.h"

#include "common/shuffle.h"
#include "text/parallel.h"

#include <algorithm>
#include <random>

namespace fika::core {
namespace {

constexpr int64_t kBucketPoolBatches = 50;

} // namespace

EncodedDataset encodeDataset(const Dataset& dataset, const Tokenizer& tokenizer, const EncodingSettings& settings,
                             int threads, const std::atomic<bool>* stop)
{
    EncodedDataset encoded;
    encoded.ids.resize(dataset.size());
    encoded.labels = dataset.labels;
    parallelFor(dataset.size(), threads, [&](size_t i) {
        if (stop && stop->load(std::memory_order_relaxed))
            return;
        encoded.ids[i] = tokenizer.encode(dataset.texts[i], settings.sequenceLength, settings.truncation, false).ids;
    });
    return encoded;
}

std::vector<std::vector<int64_t>> epochBatches(const std::vector<int64_t>& subset, const EncodedDataset& data,
                                               int64_t batchSize, bool shuffleOrder, bool lengthBuckets, uint64_t seed,
                                               int64_t epoch)
{
    std::vector<int64_t> order = subset;
    auto byLength = [&](int64_t a, int64_t b) {
        return data.ids[static_cast<size_t>(a)].size() < data.ids[static_cast<size_t>(b)].size();
    };
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(epoch) + 1);
    if (shuffleOrder)
        shuffleSeeded(order, rng);
    if (lengthBuckets) {
        const int64_t pool = batchSize * (shuffleOrder ? kBucketPoolBatches : static_cast<int64_t>(order.size()));
        for (size_t start = 0; start < order.size(); start += static_cast<size_t>(pool)) {
            const auto end = std::min(order.size(), start + static_cast<size_t>(pool));
            std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(start),
                             order.begin() + static_cast<std::ptrdiff_t>(end), byLength);
        }
    }
    std::vector<std::vector<int64_t>> batches;
    for (size_t start = 0; start < order.size(); start += static_cast<size_t>(batchSize))
        batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(start),
                             order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), start + static_cast<size_t>(batchSize))));
    if (shuffleOrder && lengthBuckets) {
        std::vector<int64_t> batchOrder(batches.size());
        for (size_t i = 0; i < batchOrder.size(); ++i)
            batchOrder[i] = static_cast<int64_t>(i);
        shuffleSeeded(batchOrder, rng);
        std::vector<std::vector<int64_t>> shuffled;
        for (int64_t i : batchOrder)
            shuffled.push_back(std::move(batches[static_cast<size_t>(i)]));
        batches = std::move(shuffled);
    }
    return batches;
}

Batch collate(const EncodedDataset& data, const std::vector<int64_t>& examples, int32_t padId, size_t padTo)
{
    size_t longest = padTo;
    for (int64_t e : examples)
        longest = std::max(longest, data.ids[static_cast<size_t>(e)].size());
    const auto rows = static_cast<int64_t>(examples.size());
    Batch batch;
    batch.ids = torch::full({rows, static_cast<int64_t>(longest)}, padId, torch::kLong);
    batch.attentionMask = torch::zeros({rows, static_cast<int64_t>(longest)}, torch::kLong);
    batch.typeIds = torch::zeros({rows, static_cast<int64_t>(longest)}, torch::kLong);
    batch.labels = torch::empty({rows}, torch::kLong);
    auto ids = batch.ids.accessor<int64_t, 2>();
    auto mask = batch.attentionMask.accessor<int64_t, 2>();
    auto labels = batch.labels.accessor<int64_t, 1>();
    for (int64_t r = 0; r < rows; ++r) {
        const auto& tokens = data.ids[static_cast<size_t>(examples[static_cast<size_t>(r)])];
        for (size_t t = 0; t < tokens.size(); ++t) {
            ids[r][static_cast<int64_t>(t)] = tokens[t];
            mask[r][static_cast<int64_t>(t)] = 1;
        }
        labels[r] = data.labels[static_cast<size_t>(examples[static_cast<size_t>(r)])];
    }
    batch.examples = examples;
    return batch;
}

} // namespace fika::core
