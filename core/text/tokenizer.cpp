// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/tokenizer.h"

#include "common/utf8.h"
#include "text/parallel.h"

#include <algorithm>

namespace fika::core {

Tokenizer::Tokenizer(Vocab vocab, bool lowercase)
    : m_vocab(std::make_shared<const Vocab>(std::move(vocab))),
      m_normalizer(std::make_shared<const BertNormalizer>(lowercase))
{
    for (const char* special : {"[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"}) {
        const int32_t id = m_vocab->idOf(special);
        if (id >= 0)
            m_specials.emplace_back(special, id);
    }
}

Result<Tokenizer> Tokenizer::fromVocabFile(const std::string& path, bool lowercase)
{
    auto vocab = Vocab::fromFile(path);
    if (!vocab)
        return vocab.error();
    return Tokenizer(std::move(vocab.value()), lowercase);
}

int32_t Tokenizer::specialTokenAt(std::string_view text, size_t pos, size_t& length) const
{
    for (const auto& [token, id] : m_specials) {
        if (text.compare(pos, token.size(), token) == 0) {
            length = token.size();
            return id;
        }
    }
    return -1;
}

void Tokenizer::wordPiece(std::string_view word, size_t chars, std::vector<int32_t>& ids) const
{
    if (chars > kMaxWordChars) {
        ids.push_back(m_vocab->unkId());
        return;
    }
    const int32_t whole = m_vocab->wordStarts().find(word);
    if (whole >= 0) {
        ids.push_back(whole);
        return;
    }
    const size_t firstPiece = ids.size();
    size_t start = 0;
    while (start < word.size()) {
        const TokenTable& table = start == 0 ? m_vocab->wordStarts() : m_vocab->continuations();
        size_t end = std::min(word.size(), start + table.maxKeyBytes());
        int32_t id = -1;
        while (end > start) {
            while (end < word.size() && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80)
                --end; // never split inside a code point
            if (end == start)
                break;
            id = table.find(word.substr(start, end - start));
            if (id >= 0)
                break;
            --end;
        }
        if (id < 0) {
            ids.resize(firstPiece);
            ids.push_back(m_vocab->unkId());
            return;
        }
        ids.push_back(id);
        start = end;
    }
}

// The fused normaliser + pre-tokeniser: one pass over the bytes, ASCII through a table, every other
// code point through the normaliser's precomputed classes. Equivalent to normalize() + preTokenize().
void Tokenizer::tokenize(std::string_view text, std::vector<int32_t>& ids) const
{
    const BertNormalizer& normalizer = *m_normalizer;
    const bool lower = normalizer.lowercase();
    std::string word;
    size_t wordChars = 0;
    std::u32string mapped;
    auto flush = [&] {
        if (!word.empty())
            wordPiece(word, wordChars, ids);
        word.clear();
        wordChars = 0;
    };
    auto emitAlone = [&](char32_t cp) {
        flush();
        utf8::append(word, cp);
        wordChars = 1;
        flush();
    };

    const size_t n = text.size();
    for (size_t pos = 0; pos < n;) {
        const auto b = static_cast<unsigned char>(text[pos]);
        if (b < 0x80) {
            if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) {
                word += static_cast<char>(b);
                ++wordChars;
            } else if (b >= 'A' && b <= 'Z') {
                word += static_cast<char>(lower ? b + 32 : b);
                ++wordChars;
            } else if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                flush();
            } else if (b == '[' && !m_specials.empty()) {
                size_t length = 0;
                const int32_t special = specialTokenAt(text, pos, length);
                if (special >= 0) {
                    flush();
                    ids.push_back(special);
                    pos += length;
                    continue;
                }
                emitAlone(b);
            } else if (normalizer.isPunctuation(b)) {
                emitAlone(b);
            } else if (b >= 0x20 && b != 0x7F) {
                word += static_cast<char>(b);
                ++wordChars;
            } // other ASCII controls are dropped
            ++pos;
            continue;
        }
        const char32_t cp = decodeUtf8Lenient(text, pos);
        switch (normalizer.classify(cp, mapped)) {
        case BertNormalizer::CharClass::Keep:
            utf8::append(word, cp);
            ++wordChars;
            break;
        case BertNormalizer::CharClass::Drop: break;
        case BertNormalizer::CharClass::Space: flush(); break;
        case BertNormalizer::CharClass::Punct: emitAlone(cp); break;
        case BertNormalizer::CharClass::Chinese:
            flush();
            for (char32_t c : mapped) {
                utf8::append(word, c);
                ++wordChars;
            }
            flush();
            break;
        case BertNormalizer::CharClass::Mapped:
            for (char32_t c : mapped) {
                if (normalizer.isPunctuation(c)) {
                    emitAlone(c);
                } else {
                    utf8::append(word, c);
                    ++wordChars;
                }
            }
            break;
        }
    }
    flush();
}

std::vector<int32_t> Tokenizer::encodeIds(std::string_view text) const
{
    std::vector<int32_t> ids;
    ids.reserve(text.size() / 4 + 2);
    ids.push_back(m_vocab->clsId());
    tokenize(text, ids);
    ids.push_back(m_vocab->sepId());
    return ids;
}

bool truncatePieces(std::vector<int32_t>& pieces, size_t maxPieces, Truncation truncation)
{
    if (pieces.size() <= maxPieces)
        return false;
    switch (truncation) {
    case Truncation::Tail:
        pieces.erase(pieces.begin(), pieces.end() - static_cast<std::ptrdiff_t>(maxPieces));
        break;
    case Truncation::HeadTail: {
        // 128 head tokens at BERT's 510-token budget, the same 1:3 share for shorter budgets.
        const size_t head = std::min<size_t>(kHeadTailHeadTokens, (maxPieces * kHeadTailHeadTokens + 255) / 510);
        const size_t tail = maxPieces - head;
        std::copy(pieces.end() - static_cast<std::ptrdiff_t>(tail), pieces.end(),
                  pieces.begin() + static_cast<std::ptrdiff_t>(head));
        pieces.resize(maxPieces);
        break;
    }
    case Truncation::Head:
    case Truncation::None:
        pieces.resize(maxPieces);
        break;
    }
    return true;
}

Encoding Tokenizer::encode(std::string_view text, int sequenceLength, Truncation truncation, bool pad) const
{
    sequenceLength = std::clamp(sequenceLength, kMinSequenceLength, kMaxSequenceLength);
    std::vector<int32_t> pieces;
    tokenize(text, pieces);
    Encoding encoding;
    encoding.truncated = truncatePieces(pieces, static_cast<size_t>(sequenceLength - 2), truncation);
    encoding.ids.reserve(static_cast<size_t>(sequenceLength));
    encoding.ids.push_back(m_vocab->clsId());
    encoding.ids.insert(encoding.ids.end(), pieces.begin(), pieces.end());
    encoding.ids.push_back(m_vocab->sepId());
    encoding.attentionMask.assign(encoding.ids.size(), 1);
    if (pad) {
        encoding.ids.resize(static_cast<size_t>(sequenceLength), m_vocab->padId());
        encoding.attentionMask.resize(static_cast<size_t>(sequenceLength), 0);
    }
    encoding.typeIds.assign(encoding.ids.size(), 0);
    return encoding;
}

void padToLongest(std::vector<Encoding>& batch, int32_t padId)
{
    size_t longest = 0;
    for (const auto& e : batch)
        longest = std::max(longest, e.ids.size());
    for (auto& e : batch) {
        e.ids.resize(longest, padId);
        e.attentionMask.resize(longest, 0);
        e.typeIds.resize(longest, 0);
    }
}

std::vector<std::vector<int32_t>> Tokenizer::encodeIdsBatch(const std::vector<std::string_view>& texts, int threads) const
{
    std::vector<std::vector<int32_t>> out(texts.size());
    parallelFor(texts.size(), threads, [&](size_t i) { out[i] = encodeIds(texts[i]); });
    return out;
}

std::vector<int32_t> Tokenizer::tokenCounts(const std::vector<std::string_view>& texts, int threads) const
{
    std::vector<int32_t> counts(texts.size());
    parallelFor(texts.size(), threads, [&](size_t i) {
        thread_local std::vector<int32_t> ids;
        ids.clear();
        tokenize(texts[i], ids);
        counts[i] = static_cast<int32_t>(ids.size() + 2);
    });
    return counts;
}

std::vector<std::string> Tokenizer::tokensOf(const std::vector<int32_t>& ids) const
{
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (int32_t id : ids)
        tokens.push_back(id >= 0 && static_cast<size_t>(id) < m_vocab->size() ? m_vocab->token(id) : "[?]");
    return tokens;
}

} // namespace fika::core
