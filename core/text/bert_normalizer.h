// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fika::core {

// Hugging Face's BertNormalizer, one code point at a time: clean text (drop NUL, U+FFFD and
// control/format/private-use characters, map whitespace to a space; unassigned code points stay),
// isolate CJK ideographs, then (uncased mode) NFD, drop non-spacing marks and lowercase. Categories
// are Unicode 8.0's, as in Hugging Face. Every step maps single code points, so the result for each
// one is precomputed for the Basic Multilingual Plane (ICU builds the table).
class BertNormalizer {
public:
    enum class CharClass : uint8_t {
        Keep,    // unchanged, part of a word
        Drop,    // removed
        Space,   // word boundary
        Punct,   // unchanged, a word of its own
        Chinese, // a word of its own, after mapping
        Mapped,  // replaced by other code points (accents stripped, lowercased)
    };

    explicit BertNormalizer(bool lowercase = true);

    bool lowercase() const { return m_lowercase; }

    // Class of a code point, and the code points it becomes (Mapped and Chinese only).
    CharClass classify(char32_t cp, std::u32string& mapped) const
    {
        if (cp < 0x10000) {
            const auto cls = m_classes[cp];
            if (cls == CharClass::Mapped || cls == CharClass::Chinese)
                mapped.assign(m_pool, m_mapOffset[cp], m_mapLength[cp]);
            return cls;
        }
        return classifySlow(cp, mapped);
    }

    // Bert pre-tokenizer punctuation: ASCII punctuation or any Unicode 8.0 P* category.
    bool isPunctuation(char32_t cp) const;

    // The normalised text, as Hugging Face's normalizer would produce it (a reference path for tests
    // and the fuzzer; the tokenizer fuses this with pre-tokenisation). Invalid UTF-8 bytes count as
    // U+FFFD, i.e. they are dropped.
    std::string normalize(std::string_view text) const;

    // Whitespace and punctuation split of normalised text (Hugging Face's BertPreTokenizer).
    std::vector<std::string> preTokenize(std::string_view normalized) const;

private:
    CharClass classifySlow(char32_t cp, std::u32string& mapped) const;

    bool m_lowercase;
    std::vector<CharClass> m_classes;    // per BMP code point
    std::vector<uint32_t> m_mapOffset;   // into m_pool
    std::vector<uint8_t> m_mapLength;
    std::u32string m_pool;
};

// Decodes one code point, treating any invalid byte as U+FFFD (one byte consumed).
char32_t decodeUtf8Lenient(std::string_view text, size_t& pos);

} // namespace fika::core
