// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace fika::core {

// Token-length distribution of a text column (lengths include [CLS] and [SEP]).
struct LengthStats {
    int64_t count = 0;
    double mean = 0.0;
    double median = 0.0;
    double p90 = 0.0; // linear interpolation between order statistics, as numpy.percentile
    int32_t max = 0;
    std::vector<int32_t> sortedLengths;

    // Share of texts longer than sequenceLength, i.e. cut by it.
    double truncatedShare(int sequenceLength) const;
    double percentile(double p) const;
    // Counts per bin of binWidth tokens, starting at 0; the last bin holds everything ≥ upTo.
    std::vector<int64_t> histogram(int32_t binWidth, int32_t upTo) const;

    static LengthStats fromLengths(std::vector<int32_t> lengths);
};

} // namespace fika::core
