// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/subsets.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace fika::core {
namespace {

// Unbiased integer in [0, bound) by rejection, independent of the standard library's distributions.
uint64_t uniformBelow(std::mt19937_64& rng, uint64_t bound)
{
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t value;
    do {
        value = rng();
    } while (value >= limit);
    return value % bound;
}

void shuffle(std::vector<int64_t>& items, std::mt19937_64& rng)
{
    for (size_t i = items.size(); i > 1; --i)
        std::swap(items[i - 1], items[uniformBelow(rng, i)]);
}

// Splits one group (a class, or everything) and appends to the subsets.
void splitGroup(std::vector<int64_t> group, const SubsetSpec& spec, std::mt19937_64& rng, Subsets& out)
{
    shuffle(group, rng);
    const double n = static_cast<double>(group.size());
    const auto testCount = static_cast<size_t>(std::llround(n * spec.testPercent / 100.0));
    auto validationCount = static_cast<size_t>(std::llround(n * spec.validationPercent / 100.0));
    validationCount = std::min(validationCount, group.size() - std::min(testCount, group.size()));
    size_t i = 0;
    for (; i < std::min(testCount, group.size()); ++i)
        out.test.push_back(group[i]);
    for (size_t end = i + validationCount; i < end; ++i)
        out.validation.push_back(group[i]);
    for (; i < group.size(); ++i)
        out.training.push_back(group[i]);
}

} // namespace

Status validateSubsetSpec(const SubsetSpec& spec)
{
    for (double percent : {spec.trainingPercent, spec.validationPercent, spec.testPercent})
        if (!(percent >= 0.0 && percent <= 100.0))
            return makeError(ErrorCode::InvalidArgument, "subset percentages must lie between 0 and 100");
    if (std::abs(spec.trainingPercent + spec.validationPercent + spec.testPercent - 100.0) > 1e-6)
        return makeError(ErrorCode::InvalidArgument, "training, validation and test percentages must add up to 100");
    if (spec.trainingPercent <= 0.0)
        return makeError(ErrorCode::InvalidArgument, "the training subset cannot be empty");
    return Ok{};
}

Result<Subsets> splitSubsets(const std::vector<int32_t>& labels, size_t numClasses, const SubsetSpec& spec)
{
    if (auto valid = validateSubsetSpec(spec); !valid)
        return valid.error();
    std::mt19937_64 rng(spec.seed);
    Subsets subsets;
    if (spec.stratified) {
        std::vector<std::vector<int64_t>> byClass(numClasses);
        for (size_t i = 0; i < labels.size(); ++i) {
            if (labels[i] < 0 || static_cast<size_t>(labels[i]) >= numClasses)
                return makeError(ErrorCode::InvalidArgument, "label id out of range at example " + std::to_string(i));
            byClass[static_cast<size_t>(labels[i])].push_back(static_cast<int64_t>(i));
        }
        for (auto& group : byClass)
            splitGroup(std::move(group), spec, rng, subsets);
    } else {
        std::vector<int64_t> all(labels.size());
        for (size_t i = 0; i < all.size(); ++i)
            all[i] = static_cast<int64_t>(i);
        splitGroup(std::move(all), spec, rng, subsets);
    }
    for (auto* subset : {&subsets.training, &subsets.validation, &subsets.test})
        std::sort(subset->begin(), subset->end());
    return subsets;
}

} // namespace fika::core
