// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace fika::core::http {

// The token from "Basic base64(token:)" or "Bearer token" (schemes are case-insensitive, RFC 7235);
// empty when absent or malformed.
std::string presentedToken(std::string_view authorization);
// The media type of a Content-Type value, lowercased, without parameters: "application/json".
std::string mediaType(std::string_view contentType);
// Text safe for a log line: control characters, backslashes and bytes past ASCII as \xNN.
std::string escapeForLog(std::string_view text, size_t maxBytes = 200);

} // namespace fika::core::http
