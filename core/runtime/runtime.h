// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace fika::core {

// Process-wide start-up: LibTorch's intra-op thread count (it starts at 1 here). 0 = all cores.
void initRuntime(int threads = 0);
int computeThreads();

std::string fikaVersion();
std::string torchVersion();

} // namespace fika::core
