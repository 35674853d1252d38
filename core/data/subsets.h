// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <cstdint>
#include <vector>

namespace fika::core {

struct SubsetSpec {
    double trainingPercent = 80.0;
    double validationPercent = 20.0;
    double testPercent = 0.0;
    uint64_t seed = 42;
    bool stratified = true; // each class split in the same proportions
};

// Example indices per subset, each sorted ascending.
struct Subsets {
    std::vector<int64_t> training;
    std::vector<int64_t> validation;
    std::vector<int64_t> test;
};

// Seeded random split; the same labels, spec and seed give the same subsets on every platform
// (std::mt19937_64 and a hand-written unbiased shuffle, nothing implementation-defined).
Result<Subsets> splitSubsets(const std::vector<int32_t>& labels, size_t numClasses, const SubsetSpec& spec);

// Checks the percentages: each in 0–100, summing to 100, training above 0.
Status validateSubsetSpec(const SubsetSpec& spec);

} // namespace fika::core
