// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <array>
#include <string>
#include <string_view>

namespace fika::core {

enum class TextEncoding { None = 0, Utf8, Windows1252 };

struct CharsetGuess {
    TextEncoding encoding = TextEncoding::None;
    size_t bomBytes = 0;  // bytes of a UTF-8 byte-order mark to skip
    std::string warning;  // set when the text is converted
};

// Decides how to read a text file from its first bytes (the sample), using ICU's charset detector
// when the sample is not UTF-8. Windows-1252 and Latin-1 are accepted (converted, with a warning);
// UTF-16 and anything undecidable are refused with the byte offset and line of the first bad byte.
Result<CharsetGuess> detectCharset(std::string_view sample, const std::string& fileName);

// Windows-1252 → UTF-8, one table entry per byte (built once from ICU's converter).
class Windows1252Decoder {
public:
    Windows1252Decoder();
    void appendDecoded(std::string_view bytes, std::string& out) const;

private:
    std::array<std::string, 256> m_table;
};

} // namespace fika::core
