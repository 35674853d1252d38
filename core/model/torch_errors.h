// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <c10/util/Exception.h>

#include <exception>
#include <new>
#include <string>

namespace fika::core {

// The code for an exception LibTorch threw, for the module edges that turn exceptions into errors:
// running out of memory is told apart (smaller batches help), everything else is `otherwise`.
// LibTorch's CPU allocator reports a failed allocation as a plain c10::Error, so its text decides.
inline ErrorCode errorCodeForException(const std::exception& e, ErrorCode otherwise)
{
    if (dynamic_cast<const std::bad_alloc*>(&e) || dynamic_cast<const c10::OutOfMemoryError*>(&e))
        return ErrorCode::OutOfMemory;
    const std::string what = e.what();
    if (what.find("not enough memory") != std::string::npos || what.find("out of memory") != std::string::npos)
        return ErrorCode::OutOfMemory;
    return otherwise;
}

} // namespace fika::core
