// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/dataset.h"

#include <algorithm>

namespace fika::core {

int32_t LabelMap::idOf(const std::string& name) const
{
    const auto it = std::lower_bound(names.begin(), names.end(), name);
    return it != names.end() && *it == name ? static_cast<int32_t>(it - names.begin()) : -1;
}

LabelMap LabelMap::fromNames(std::vector<std::string> names)
{
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return LabelMap{std::move(names)};
}

std::vector<int64_t> Dataset::classCounts() const
{
    std::vector<int64_t> counts(labelMap.size(), 0);
    for (int32_t label : labels)
        ++counts[static_cast<size_t>(label)];
    return counts;
}

double classBalance(const std::vector<int64_t>& counts)
{
    if (counts.empty())
        return 0.0;
    const auto [smallest, largest] = std::minmax_element(counts.begin(), counts.end());
    return *largest == 0 ? 0.0 : static_cast<double>(*smallest) / static_cast<double>(*largest);
}

} // namespace fika::core
