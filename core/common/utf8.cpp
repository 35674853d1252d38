// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/utf8.h"

namespace fika::core::utf8 {

size_t findInvalid(std::string_view bytes, bool allowTruncatedEnd)
{
    const size_t n = bytes.size();
    size_t i = 0;
    while (i < n) {
        // Fast path over runs of ASCII, eight bytes at a time.
        while (i + 8 <= n) {
            uint64_t word;
            __builtin_memcpy(&word, bytes.data() + i, 8);
            if (word & 0x8080808080808080ull)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        const auto b0 = static_cast<unsigned char>(bytes[i]);
        if (b0 < 0x80) {
            ++i;
            continue;
        }
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 1;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            need = 2;
            if (b0 == 0xE0)
                lo = 0xA0; // overlong
            if (b0 == 0xED)
                hi = 0x9F; // surrogates
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            need = 3;
            if (b0 == 0xF0)
                lo = 0x90;
            if (b0 == 0xF4)
                hi = 0x8F;
        } else {
            return i;
        }
        for (size_t k = 1; k <= need; ++k) {
            if (i + k >= n)
                return allowTruncatedEnd ? std::string_view::npos : i;
            const auto b = static_cast<unsigned char>(bytes[i + k]);
            if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80)
                return i;
        }
        i += need + 1;
    }
    return std::string_view::npos;
}

} // namespace fika::core::utf8
