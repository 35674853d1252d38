// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/subsets.h"

#include "common/shuffle.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace fika::core {
namespace {

// Shares `total` among groups in proportion to their sizes: floors first, then the largest
// remainders (earlier groups win ties), so the shares add up to exactly `total`.
std::vector<size_t> apportion(size_t total, const std::vector<size_t>& sizes)
{
    size_t all = 0;
    for (size_t size : sizes)
        all += size;
    std::vector<size_t> shares(sizes.size(), 0);
    if (all == 0)
        return shares;
    std::vector<std::pair<double, size_t>> remainders;
    size_t given = 0;
    for (size_t g = 0; g < sizes.size(); ++g) {
        const double exact = static_cast<double>(total) * static_cast<double>(sizes[g]) / static_cast<double>(all);
        shares[g] = static_cast<size_t>(exact);
        given += shares[g];
        remainders.emplace_back(-(exact - static_cast<double>(shares[g])), g);
    }
    std::stable_sort(remainders.begin(), remainders.end());
    for (size_t i = 0; given < total && i < remainders.size(); ++i, ++given)
        ++shares[remainders[i].second];
    return shares;
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
    std::vector<std::vector<int64_t>> groups(spec.stratified ? numClasses : 1);
    for (size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] < 0 || static_cast<size_t>(labels[i]) >= numClasses)
            return makeError(ErrorCode::InvalidArgument, "label id out of range at example " + std::to_string(i));
        groups[spec.stratified ? static_cast<size_t>(labels[i]) : 0].push_back(static_cast<int64_t>(i));
    }
    std::vector<size_t> sizes;
    for (const auto& group : groups)
        sizes.push_back(group.size());
    const auto n = static_cast<double>(labels.size());
    const auto testShares = apportion(static_cast<size_t>(std::llround(n * spec.testPercent / 100.0)), sizes);
    const auto validationShares =
        apportion(static_cast<size_t>(std::llround(n * spec.validationPercent / 100.0)), sizes);

    std::mt19937_64 rng(spec.seed);
    Subsets subsets;
    for (size_t g = 0; g < groups.size(); ++g) {
        std::vector<int64_t>& group = groups[g];
        shuffleSeeded(group, rng);
        const size_t testEnd = std::min(testShares[g], group.size());
        const size_t validationEnd = std::min(testEnd + validationShares[g], group.size());
        subsets.test.insert(subsets.test.end(), group.begin(), group.begin() + static_cast<std::ptrdiff_t>(testEnd));
        subsets.validation.insert(subsets.validation.end(), group.begin() + static_cast<std::ptrdiff_t>(testEnd),
                                  group.begin() + static_cast<std::ptrdiff_t>(validationEnd));
        subsets.training.insert(subsets.training.end(), group.begin() + static_cast<std::ptrdiff_t>(validationEnd),
                                group.end());
    }
    for (auto* subset : {&subsets.training, &subsets.validation, &subsets.test})
        std::sort(subset->begin(), subset->end());
    return subsets;
}

} // namespace fika::core
