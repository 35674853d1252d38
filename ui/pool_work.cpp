// SPDX-License-Identifier: GPL-3.0-or-later
#include "pool_work.h"

#include <c10/util/Exception.h>

#include <exception>

namespace fika::ui {

std::string currentExceptionMessage()
{
    try {
        throw;
    } catch (const c10::Error& e) {
        return e.what_without_backtrace();
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unexpected error";
    }
}

} // namespace fika::ui
