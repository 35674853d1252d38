// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/dataset.h"
#include "text/tokenizer.h"

#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <vector>

namespace fika::core {

// Token ids (with [CLS]/[SEP], truncated to the sequence length) and labels of a dataset.
struct EncodedDataset {
    std::vector<std::vector<int32_t>> ids;
    std::vector<int32_t> labels;
    size_t size() const { return ids.size(); }
};

// A stop asked for through `stop` leaves the rest of the rows unencoded (empty): check it afterwards.
EncodedDataset encodeDataset(const Dataset& dataset, const Tokenizer& tokenizer, const EncodingSettings& settings,
                             int threads, const std::atomic<bool>* stop = nullptr);

struct Batch {
    torch::Tensor ids, attentionMask, typeIds, labels; // [B, T], [B, T], [B, T], [B]
    std::vector<int64_t> examples;                      // dataset indices, in batch order
    // On a GPU the copies go through page-locked memory, so they run asynchronously beside its work.
    Batch to(const torch::Device& device) const
    {
        if (device.is_cpu())
            return *this;
        auto move = [&](const torch::Tensor& t) { return t.pin_memory().to(device, /*non_blocking=*/true); };
        return {move(ids), move(attentionMask), move(typeIds), move(labels), examples};
    }
};

// The batches of one epoch, as example indices. Training order depends only on (seed, epoch), so a
// resumed run sees the same batches. With length buckets, a shuffled pool of 50 batches is sorted
// by length and cut into batches, whose order is shuffled again: less padding, still random.
std::vector<std::vector<int64_t>> epochBatches(const std::vector<int64_t>& subset, const EncodedDataset& data,
                                               int64_t batchSize, bool shuffle, bool lengthBuckets, uint64_t seed,
                                               int64_t epoch);

// Pads a batch to its longest example (dynamic padding), or to padTo tokens when that is larger.
Batch collate(const EncodedDataset& data, const std::vector<int64_t>& examples, int32_t padId, size_t padTo = 0);

} // namespace fika::core
