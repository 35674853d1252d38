// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/charset.h"

#include "common/utf8.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace fika::core {
namespace {

int64_t lineAt(std::string_view bytes, size_t offset)
{
    return 1 + std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
}

std::string hexByte(unsigned char b)
{
    char text[8];
    std::snprintf(text, sizeof text, "0x%02X", b);
    return text;
}

struct DetectorDeleter {
    void operator()(UCharsetDetector* d) const { ucsdet_close(d); }
};

// ICU's best guess for a sample: name and confidence (0–100), or empty when it has none.
std::pair<std::string, int> icuGuess(std::string_view sample)
{
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UCharsetDetector, DetectorDeleter> detector(ucsdet_open(&status));
    if (U_FAILURE(status))
        return {};
    ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
    const UCharsetMatch* match = ucsdet_detect(detector.get(), &status);
    if (U_FAILURE(status) || !match)
        return {};
    const char* name = ucsdet_getName(match, &status);
    const int confidence = ucsdet_getConfidence(match, &status);
    return {name ? name : "", confidence};
}

} // namespace

// Below this confidence (0-100) ICU's choice among the single-byte Latin encodings is a guess.
constexpr int kWeakGuess = 50;

Result<CharsetGuess> detectCharset(std::string_view sample, const std::string& fileName)
{
    CharsetGuess guess;
    if (sample.starts_with("\xEF\xBB\xBF"))
        guess.bomBytes = 3;
    if (sample.starts_with("\xFF\xFE") || sample.starts_with("\xFE\xFF"))
        return makeError(ErrorCode::Encoding,
                         fileName + ": the file is UTF-16 text (byte-order mark at byte 0); save it as UTF-8 and import again",
                         fileName, 1, 0);

    const std::string_view body = sample.substr(guess.bomBytes);
    // A NUL in the header line is no text file's: UTF-16 without a byte-order mark, a sparse or binary file.
    const size_t headerEnd = std::min(body.find_first_of("\r\n"), body.size());
    if (const size_t nul = body.substr(0, headerEnd).find('\0'); nul != std::string_view::npos)
        return makeError(ErrorCode::Encoding,
                         fileName + ": byte offset " + std::to_string(nul + guess.bomBytes) +
                             " (line 1) is a NUL byte, so the file looks like binary or UTF-16 data, not text; save it as "
                             "UTF-8 and import again",
                         fileName, 1, static_cast<int64_t>(nul + guess.bomBytes));
    const size_t bad = utf8::findInvalid(body, /*allowTruncatedEnd=*/true);
    if (bad == std::string_view::npos) {
        guess.encoding = TextEncoding::Utf8;
        return guess;
    }

    const size_t offset = bad + guess.bomBytes;
    const int64_t line = lineAt(sample, offset);
    const auto [name, confidence] = icuGuess(sample);
    const bool hasNul = sample.find('\0') != std::string_view::npos;
    // A few accented letters in mostly English text give the detector too little to tell Western from
    // Central European Latin: a weak guess of either is most often a Western file (Latin-1 or
    // Windows-1252), and the warning says what to do if it was not.
    const bool western = name == "ISO-8859-1" || name == "windows-1252";
    const bool weakOtherLatin = (name == "ISO-8859-2" || name == "windows-1250" || name == "ISO-8859-9" ||
                                 name == "windows-1254") && confidence < kWeakGuess;
    if (!hasNul && (western || weakOtherLatin)) {
        guess.encoding = TextEncoding::Windows1252;
        guess.warning = fileName + ": not UTF-8 (byte " + hexByte(static_cast<unsigned char>(sample[offset])) +
                        " at byte offset " + std::to_string(offset) + ", line " + std::to_string(line) +
                        "); read as Windows-1252 (detected " + name + ", confidence " + std::to_string(confidence) +
                        "%) and converted to UTF-8" +
                        (western ? "" : "; if its accented letters look wrong, save the file as UTF-8 and import again");
        return guess;
    }
    std::string hint = name.empty() ? std::string("no encoding could be detected")
                                     : "the detector suggests " + name + " with confidence " + std::to_string(confidence) + "%";
    if (hasNul)
        hint = "it contains NUL bytes, so it looks like binary or UTF-16 data";
    return makeError(ErrorCode::Encoding,
                     fileName + ": cannot tell the text encoding: byte " +
                         hexByte(static_cast<unsigned char>(sample[offset])) + " at byte offset " + std::to_string(offset) +
                         " (line " + std::to_string(line) + ") is not UTF-8, and " + hint + "; save the file as UTF-8",
                     fileName, line, static_cast<int64_t>(offset));
}

Windows1252Decoder::Windows1252Decoder()
{
    UErrorCode status = U_ZERO_ERROR;
    UConverter* converter = ucnv_open("windows-1252", &status);
    for (int b = 0; b < 256; ++b) {
        char32_t cp = static_cast<char32_t>(b);
        if (b >= 0x80 && converter && U_SUCCESS(status)) {
            const char byte = static_cast<char>(b);
            const char* source = &byte;
            UErrorCode err = U_ZERO_ERROR;
            const UChar32 decoded = ucnv_getNextUChar(converter, &source, source + 1, &err);
            cp = U_SUCCESS(err) ? static_cast<char32_t>(decoded) : 0xFFFD;
            ucnv_reset(converter);
        }
        utf8::append(m_table[b], cp);
    }
    if (converter)
        ucnv_close(converter);
}

void Windows1252Decoder::appendDecoded(std::string_view bytes, std::string& out) const
{
    for (unsigned char b : bytes)
        out += m_table[b];
}

} // namespace fika::core
