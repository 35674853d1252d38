// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/bert_normalizer.h"

#include "common/utf8.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

namespace fika::core {
namespace {

bool isChineseChar(char32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
           (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

bool isWhitespace(char32_t cp)
{
    return cp == '\t' || cp == '\n' || cp == '\r' || u_isUWhiteSpace(static_cast<UChar32>(cp));
}

// Hugging Face takes its control, non-spacing mark and punctuation classes from the
// unicode_categories crate, whose tables are Unicode 8.0: to it a character assigned later is
// unassigned (Cn), so it is kept as a letter of its word, never dropped, stripped or split off.
constexpr uint8_t kHuggingFaceCategoriesUnicodeMajor = 8;

// The few characters of Unicode 8.0 whose general category a later version changed, with their 8.0
// category (the one the crate has). The exhaustive parity test (tests/tokenizer_parity) finds any other.
struct Unicode8Category {
    char32_t cp;
    UCharCategory category;
};
constexpr Unicode8Category kChangedSinceUnicode8[] = {
    {0x166D, U_OTHER_PUNCTUATION},      // CANADIAN SYLLABICS CHI SIGN, now So
    {0x1734, U_NON_SPACING_MARK},       // HANUNOO SIGN PAMUDPOD, now Mc
    {0x1885, U_OTHER_LETTER},           // MONGOLIAN LETTER ALI GALI BALUDA, now Mn
    {0x1886, U_OTHER_LETTER},           // MONGOLIAN LETTER ALI GALI THREE BALUDA, now Mn
    {0xA9BD, U_COMBINING_SPACING_MARK}, // JAVANESE CONSONANT SIGN KERET, now Mn
    {0x111C9, U_OTHER_PUNCTUATION},     // SHARADA SANDHI MARK, now Mn
};

int8_t huggingFaceCharType(char32_t cp)
{
    UVersionInfo age;
    u_charAge(static_cast<UChar32>(cp), age);
    if (age[0] > kHuggingFaceCategoriesUnicodeMajor)
        return U_UNASSIGNED;
    for (const auto& changed : kChangedSinceUnicode8)
        if (changed.cp == cp)
            return changed.category;
    return u_charType(static_cast<UChar32>(cp));
}

// Hugging Face's is_control: the crate's is_other, i.e. Cc, Cf and Co but not Cn (unassigned code
// points are kept), except tab, LF and CR. Surrogates only come from invalid UTF-8, dropped as U+FFFD.
bool isControl(char32_t cp)
{
    if (cp == '\t' || cp == '\n' || cp == '\r')
        return false;
    switch (huggingFaceCharType(cp)) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_PRIVATE_USE_CHAR:
    case U_SURROGATE:
        return true;
    default:
        return false;
    }
}

// NFD, drop non-spacing marks, then full lowercase of each code point (Rust's char::to_lowercase).
std::u32string foldCodePoint(char32_t cp, bool lowercase)
{
    std::u32string out;
    if (!lowercase) {
        out += cp;
        return out;
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    icu::UnicodeString decomposition;
    if (!U_SUCCESS(status) || !nfd->getDecomposition(static_cast<UChar32>(cp), decomposition))
        decomposition = icu::UnicodeString(static_cast<UChar32>(cp));
    for (int32_t i = 0; i < decomposition.length(); i = decomposition.moveIndex32(i, 1)) {
        const UChar32 c = decomposition.char32At(i);
        if (huggingFaceCharType(static_cast<char32_t>(c)) == U_NON_SPACING_MARK)
            continue;
        UChar source[2];
        int32_t sourceLength = 0;
        U16_APPEND_UNSAFE(source, sourceLength, c);
        UChar lower[8];
        UErrorCode lowerStatus = U_ZERO_ERROR;
        const int32_t lowerLength = u_strToLower(lower, 8, source, sourceLength, "", &lowerStatus);
        if (U_FAILURE(lowerStatus)) {
            out += static_cast<char32_t>(c);
            continue;
        }
        for (int32_t k = 0; k < lowerLength;) {
            UChar32 l;
            U16_NEXT(lower, k, lowerLength, l);
            out += static_cast<char32_t>(l);
        }
    }
    return out;
}

} // namespace

char32_t decodeUtf8Lenient(std::string_view text, size_t& pos)
{
    const auto b0 = static_cast<unsigned char>(text[pos]);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    const size_t length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
    if (pos + length > text.size() || utf8::findInvalid(text.substr(pos, length)) != std::string_view::npos) {
        ++pos;
        return 0xFFFD;
    }
    return utf8::decode(text, pos);
}

BertNormalizer::BertNormalizer(bool lowercase)
    : m_lowercase(lowercase), m_classes(0x10000), m_mapOffset(0x10000, 0), m_mapLength(0x10000, 0)
{
    std::u32string mapped;
    for (char32_t cp = 0; cp < 0x10000; ++cp) {
        const CharClass cls = classifySlow(cp, mapped);
        m_classes[cp] = cls;
        if (cls == CharClass::Mapped || cls == CharClass::Chinese) {
            m_mapOffset[cp] = static_cast<uint32_t>(m_pool.size());
            m_mapLength[cp] = static_cast<uint8_t>(mapped.size());
            m_pool += mapped;
        }
    }
}

bool BertNormalizer::isPunctuation(char32_t cp) const
{
    if (cp < 0x80)
        return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
    switch (huggingFaceCharType(cp)) {
    case U_CONNECTOR_PUNCTUATION:
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
        return true;
    default:
        return false;
    }
}

BertNormalizer::CharClass BertNormalizer::classifySlow(char32_t cp, std::u32string& mapped) const
{
    if (cp == 0 || cp == 0xFFFD || isControl(cp))
        return CharClass::Drop;
    if (isWhitespace(cp))
        return CharClass::Space;
    mapped = foldCodePoint(cp, m_lowercase);
    if (isChineseChar(cp))
        return CharClass::Chinese;
    if (mapped.empty())
        return CharClass::Drop;
    if (mapped.size() == 1 && mapped[0] == cp)
        return isPunctuation(cp) ? CharClass::Punct : CharClass::Keep;
    return CharClass::Mapped;
}

std::string BertNormalizer::normalize(std::string_view text) const
{
    std::string out;
    out.reserve(text.size());
    std::u32string mapped;
    for (size_t pos = 0; pos < text.size();) {
        const char32_t cp = decodeUtf8Lenient(text, pos);
        switch (classify(cp, mapped)) {
        case CharClass::Drop: break;
        case CharClass::Space: out += ' '; break;
        case CharClass::Keep:
        case CharClass::Punct: utf8::append(out, cp); break;
        case CharClass::Chinese:
            out += ' ';
            for (char32_t c : mapped)
                utf8::append(out, c);
            out += ' ';
            break;
        case CharClass::Mapped:
            for (char32_t c : mapped)
                utf8::append(out, c);
            break;
        }
    }
    return out;
}

std::vector<std::string> BertNormalizer::preTokenize(std::string_view normalized) const
{
    std::vector<std::string> words;
    std::string word;
    auto flush = [&] {
        if (!word.empty())
            words.push_back(std::move(word));
        word.clear();
    };
    for (size_t pos = 0; pos < normalized.size();) {
        const char32_t cp = decodeUtf8Lenient(normalized, pos);
        if (isWhitespace(cp)) {
            flush();
        } else if (isPunctuation(cp)) {
            flush();
            utf8::append(word, cp);
            flush();
        } else {
            utf8::append(word, cp);
        }
    }
    flush();
    return words;
}

} // namespace fika::core
