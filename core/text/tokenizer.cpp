// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/tokenizer.h"

#include "common/utf8.h"
#include "text/parallel.h"

#include <algorithm>
#include <numeric>

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

void Tokenizer::wordPiece(std::string_view word, size_t chars, std::vector<int32_t>& ids,
                          std::vector<size_t>* pieceStarts) const
{
    if (chars > kMaxWordChars) {
        ids.push_back(m_vocab->unkId());
        if (pieceStarts)
            pieceStarts->push_back(0);
        return;
    }
    const int32_t whole = m_vocab->wordStarts().find(word);
    if (whole >= 0) {
        ids.push_back(whole);
        if (pieceStarts)
            pieceStarts->push_back(0);
        return;
    }
    const size_t firstStart = pieceStarts ? pieceStarts->size() : 0;
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
            if (pieceStarts) {
                pieceStarts->resize(firstStart);
                pieceStarts->push_back(0);
            }
            return;
        }
        ids.push_back(id);
        if (pieceStarts)
            pieceStarts->push_back(start);
        start = end;
    }
}

// The fused normaliser + pre-tokeniser: one pass over the bytes, ASCII through a table, every other
// code point through the normaliser's precomputed classes. Equivalent to normalize() + preTokenize().
// With kSpans it also follows which code point of the text each code point of a word came from;
// without, that bookkeeping compiles away (tokenize is on the encoding hot path).
template <bool kSpans>
void Tokenizer::tokenizeImpl(std::string_view text, std::vector<int32_t>& ids, std::vector<TokenSpan>* spans) const
{
    const BertNormalizer& normalizer = *m_normalizer;
    const bool lower = normalizer.lowercase();
    std::string word;
    size_t wordChars = 0;
    std::u32string mapped;
    int32_t at = 0;                // the code point of the text being read
    std::vector<int32_t> origins;  // kSpans: per code point of word, the code point of the text it came from
    std::vector<size_t> pieceStarts;
    int32_t wordEnd = 0;           // kSpans: where word ends in the text, characters dropped inside it included
    int32_t wordIndex = 0;
    auto flush = [&] {
        if (!word.empty()) {
            if constexpr (kSpans) {
                pieceStarts.clear();
                wordPiece(word, wordChars, ids, &pieceStarts);
                size_t piece = 0, codePoint = 0;
                for (size_t byte = 0; byte < word.size() && piece < pieceStarts.size(); ++byte) {
                    if (byte == pieceStarts[piece]) {
                        TokenSpan span{origins[codePoint], wordEnd, wordIndex};
                        if (!spans->empty() && spans->back().word == wordIndex)
                            spans->back().end = std::max(spans->back().start + 1, origins[codePoint]);
                        spans->push_back(span);
                        ++piece;
                    }
                    if ((static_cast<unsigned char>(word[byte]) & 0xC0) != 0x80)
                        ++codePoint;
                }
                ++wordIndex;
                origins.clear();
            } else {
                wordPiece(word, wordChars, ids);
            }
        }
        word.clear();
        wordChars = 0;
    };
    auto keep = [&](char32_t cp) {
        utf8::append(word, cp);
        ++wordChars;
        if constexpr (kSpans) {
            origins.push_back(at);
            wordEnd = at + 1;
        }
    };
    auto keepAscii = [&](char c) {
        word += c;
        ++wordChars;
        if constexpr (kSpans) {
            origins.push_back(at);
            wordEnd = at + 1;
        }
    };
    auto drop = [&] { // a character removed inside a word still belongs to it (a combining accent)
        if constexpr (kSpans)
            if (!word.empty())
                wordEnd = at + 1;
    };
    auto emitAlone = [&](char32_t cp) {
        flush();
        keep(cp);
        flush();
    };

    const size_t n = text.size();
    for (size_t pos = 0; pos < n; ++at) {
        const auto b = static_cast<unsigned char>(text[pos]);
        if (b < 0x80) {
            if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) {
                keepAscii(static_cast<char>(b));
            } else if (b >= 'A' && b <= 'Z') {
                keepAscii(static_cast<char>(lower ? b + 32 : b));
            } else if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                flush();
            } else if (b == '[' && !m_specials.empty()) {
                size_t length = 0;
                const int32_t special = specialTokenAt(text, pos, length);
                if (special >= 0) {
                    flush();
                    ids.push_back(special);
                    if constexpr (kSpans)
                        spans->push_back({at, at + static_cast<int32_t>(length), wordIndex++});
                    pos += length;
                    at += static_cast<int32_t>(length) - 1; // ASCII: one code point per byte
                    continue;
                }
                emitAlone(b);
            } else if (normalizer.isPunctuation(b)) {
                emitAlone(b);
            } else if (b >= 0x20 && b != 0x7F) {
                keepAscii(static_cast<char>(b));
            } else {
                drop(); // other ASCII controls are dropped
            }
            ++pos;
            continue;
        }
        const char32_t cp = decodeUtf8Lenient(text, pos);
        switch (normalizer.classify(cp, mapped)) {
        case BertNormalizer::CharClass::Keep: keep(cp); break;
        case BertNormalizer::CharClass::Drop: drop(); break;
        case BertNormalizer::CharClass::Space: flush(); break;
        case BertNormalizer::CharClass::Punct: emitAlone(cp); break;
        case BertNormalizer::CharClass::Chinese:
            flush();
            for (char32_t c : mapped)
                keep(c);
            flush();
            break;
        case BertNormalizer::CharClass::Mapped:
            if (mapped.empty())
                drop();
            for (char32_t c : mapped) {
                if (normalizer.isPunctuation(c))
                    emitAlone(c);
                else
                    keep(c);
            }
            break;
        }
    }
    flush();
}

void Tokenizer::tokenize(std::string_view text, std::vector<int32_t>& ids) const
{
    tokenizeImpl<false>(text, ids, nullptr);
}

void Tokenizer::tokenize(std::string_view text, std::vector<int32_t>& ids, std::vector<TokenSpan>& spans) const
{
    tokenizeImpl<true>(text, ids, &spans);
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

SpannedEncoding Tokenizer::encodeWithSpans(std::string_view text, int sequenceLength, Truncation truncation) const
{
    sequenceLength = std::clamp(sequenceLength, kMinSequenceLength, kMaxSequenceLength);
    std::vector<int32_t> pieces;
    std::vector<TokenSpan> pieceSpans;
    tokenize(text, pieces, pieceSpans);
    // Truncating the positions says which tokens (and spans) encode() keeps.
    std::vector<int32_t> kept(pieces.size());
    std::iota(kept.begin(), kept.end(), 0);
    SpannedEncoding out;
    Encoding& encoding = out.encoding;
    encoding.truncated = truncatePieces(kept, static_cast<size_t>(sequenceLength - 2), truncation);
    encoding.ids.reserve(kept.size() + 2);
    out.spans.reserve(kept.size() + 2);
    encoding.ids.push_back(m_vocab->clsId());
    out.spans.emplace_back();
    for (int32_t k : kept) {
        encoding.ids.push_back(pieces[static_cast<size_t>(k)]);
        out.spans.push_back(pieceSpans[static_cast<size_t>(k)]);
    }
    encoding.ids.push_back(m_vocab->sepId());
    out.spans.emplace_back();
    encoding.attentionMask.assign(encoding.ids.size(), 1);
    encoding.typeIds.assign(encoding.ids.size(), 0);
    return out;
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
