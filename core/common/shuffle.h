// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace fika::core {

// Fisher–Yates with an unbiased bounded draw by rejection: std::mt19937_64's output is fixed by the
// standard, the standard library's distributions are not, so this gives the same order everywhere.
inline void shuffleSeeded(std::vector<int64_t>& items, std::mt19937_64& rng)
{
    for (size_t i = items.size(); i > 1; --i) {
        const uint64_t bound = i;
        const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
        uint64_t value;
        do {
            value = rng();
        } while (value >= limit);
        std::swap(items[i - 1], items[value % bound]);
    }
}

} // namespace fika::core
