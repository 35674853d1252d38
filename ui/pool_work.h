// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "runtime/runtime.h"

#include <memory>
#include <string>

namespace fika::ui {

using core::currentExceptionMessage;

// Runs `work` (returning a core::Result<T>) on the calling pool thread and turns any exception that
// escapes it into an error Result whose message starts with `task`. Every QtConcurrent::run body
// ends in an error value: QFutureWatcher::result() would rethrow the exception inside a slot, and an
// exception in Qt's event loop ends the app.
template <typename T, typename Work>
std::shared_ptr<core::Result<T>> resultOrError(const std::string& task, Work&& work)
{
    try {
        return std::make_shared<core::Result<T>>(work());
    } catch (...) {
        return std::make_shared<core::Result<T>>(
            core::makeError(core::ErrorCode::IoError, task + ": " + currentExceptionMessage()));
    }
}

} // namespace fika::ui
