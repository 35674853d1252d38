// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve/http_text.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace fika::core::http {
namespace {

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string base64Decode(std::string_view text)
{
    if (text.empty() || text.size() % 4 != 0 || text.size() > 4096)
        return {};
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0)
        return {};
    size_t padding = 0;
    for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i)
        ++padding;
    out.resize(static_cast<size_t>(n) - std::min<size_t>(padding, static_cast<size_t>(n)));
    return out;
}

} // namespace

std::string presentedToken(std::string_view authorization)
{
    const auto space = authorization.find(' ');
    if (space == std::string_view::npos)
        return {};
    const std::string scheme = lower(authorization.substr(0, space));
    const std::string_view credentials = trim(authorization.substr(space + 1));
    if (scheme == "bearer")
        return std::string(credentials);
    if (scheme == "basic") {
        const std::string pair = base64Decode(credentials);
        return pair.substr(0, pair.find(':'));
    }
    return {};
}

std::string mediaType(std::string_view contentType)
{
    return lower(trim(contentType.substr(0, contentType.find(';'))));
}

std::string escapeForLog(std::string_view text, size_t maxBytes)
{
    std::string out;
    for (size_t i = 0; i < text.size() && i < maxBytes; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c >= 0x7f || c == '\\') {
            char escaped[5];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (text.size() > maxBytes)
        out += "…";
    return out;
}

} // namespace fika::core::http
