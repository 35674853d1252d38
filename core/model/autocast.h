// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/autocast_mode.h>

namespace fika::core {

// bf16 autocast on the CPU for the guard's lifetime (weights stay fp32: master weights).
class CpuAutocast {
public:
    explicit CpuAutocast(bool enabled) : m_enabled(enabled)
    {
        if (m_enabled) {
            at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
            at::autocast::set_cpu_enabled(true);
        }
    }
    ~CpuAutocast()
    {
        if (m_enabled) {
            at::autocast::set_cpu_enabled(false);
            at::autocast::clear_cache();
        }
    }
    CpuAutocast(const CpuAutocast&) = delete;
    CpuAutocast& operator=(const CpuAutocast&) = delete;

private:
    bool m_enabled;
};

} // namespace fika::core
