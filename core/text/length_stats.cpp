// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/length_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fika::core {

LengthStats LengthStats::fromLengths(std::vector<int32_t> lengths)
{
    LengthStats stats;
    std::sort(lengths.begin(), lengths.end());
    stats.sortedLengths = std::move(lengths);
    stats.count = static_cast<int64_t>(stats.sortedLengths.size());
    if (stats.count == 0)
        return stats;
    const double total = std::accumulate(stats.sortedLengths.begin(), stats.sortedLengths.end(), 0.0);
    stats.mean = total / static_cast<double>(stats.count);
    stats.median = stats.percentile(50.0);
    stats.p90 = stats.percentile(90.0);
    stats.max = stats.sortedLengths.back();
    return stats;
}

double LengthStats::percentile(double p) const
{
    if (sortedLengths.empty())
        return 0.0;
    const double rank = p / 100.0 * static_cast<double>(sortedLengths.size() - 1);
    const auto below = static_cast<size_t>(std::floor(rank));
    const size_t above = std::min(below + 1, sortedLengths.size() - 1);
    const double fraction = rank - static_cast<double>(below);
    return sortedLengths[below] + fraction * (sortedLengths[above] - sortedLengths[below]);
}

double LengthStats::truncatedShare(int sequenceLength) const
{
    if (count == 0)
        return 0.0;
    const auto firstLonger = std::upper_bound(sortedLengths.begin(), sortedLengths.end(), sequenceLength);
    return static_cast<double>(sortedLengths.end() - firstLonger) / static_cast<double>(count);
}

std::vector<int64_t> LengthStats::histogram(int32_t binWidth, int32_t upTo) const
{
    binWidth = std::max(1, binWidth);
    const size_t bins = static_cast<size_t>((std::max(upTo, binWidth) + binWidth - 1) / binWidth) + 1;
    std::vector<int64_t> counts(bins, 0);
    for (int32_t length : sortedLengths)
        ++counts[std::min(bins - 1, static_cast<size_t>(std::max(0, length) / binWidth))];
    return counts;
}

} // namespace fika::core
