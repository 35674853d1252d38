// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace fika::core {

// What the micro-batching workers did so far: how full the batches were and how long the model ran.
struct BatchStats {
    int64_t batches = 0;
    int64_t texts = 0;
    double modelSeconds = 0; // summed over workers
};

} // namespace fika::core
