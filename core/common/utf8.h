// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fika::core::utf8 {

// Offset of the first byte that is not part of valid UTF-8 (overlongs, surrogates and values past
// U+10FFFF included), or npos when the whole input is valid. With allowTruncatedEnd, a sequence cut
// off by the end of the input counts as valid (for checking a prefix of a file).
size_t findInvalid(std::string_view bytes, bool allowTruncatedEnd = false);

inline bool isValid(std::string_view bytes) { return findInvalid(bytes) == std::string_view::npos; }

// Decodes the code point at bytes[pos] (input must be valid UTF-8) and advances pos.
inline char32_t decode(std::string_view bytes, size_t& pos)
{
    const auto b0 = static_cast<unsigned char>(bytes[pos]);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    if (b0 < 0xE0) {
        char32_t cp = ((b0 & 0x1Fu) << 6) | (static_cast<unsigned char>(bytes[pos + 1]) & 0x3Fu);
        pos += 2;
        return cp;
    }
    if (b0 < 0xF0) {
        char32_t cp = ((b0 & 0x0Fu) << 12) | ((static_cast<unsigned char>(bytes[pos + 1]) & 0x3Fu) << 6) |
                      (static_cast<unsigned char>(bytes[pos + 2]) & 0x3Fu);
        pos += 3;
        return cp;
    }
    char32_t cp = ((b0 & 0x07u) << 18) | ((static_cast<unsigned char>(bytes[pos + 1]) & 0x3Fu) << 12) |
                  ((static_cast<unsigned char>(bytes[pos + 2]) & 0x3Fu) << 6) |
                  (static_cast<unsigned char>(bytes[pos + 3]) & 0x3Fu);
    pos += 4;
    return cp;
}

inline void append(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Number of code points in valid UTF-8.
inline size_t length(std::string_view bytes)
{
    size_t count = 0;
    for (unsigned char c : bytes)
        count += (c & 0xC0) != 0x80;
    return count;
}

} // namespace fika::core::utf8
