// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "text/bert_normalizer.h"
#include "text/encoding_settings.h"
#include "text/vocab.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fika::core {

// Model input for one text.
struct Encoding {
    std::vector<int32_t> ids;
    std::vector<uint8_t> attentionMask; // 1 for tokens, 0 for padding
    std::vector<uint8_t> typeIds;       // all 0 (single sentence)
    bool truncated = false;
};

// Where a token comes from: code points [start, end) of the text as given (before normalisation, so
// accents, case and dropped characters are kept), and the index of its word. A word is what the
// pre-tokeniser splits off (a run of letters and digits, or one punctuation mark), so "don't" is
// three words; a word's WordPiece tokens share its index. [CLS]/[SEP] added around a text have
// word -1 and an empty span.
struct TokenSpan {
    int32_t start = 0;
    int32_t end = 0;
    int32_t word = -1;
};

// An Encoding with the span of each of its tokens (padding excluded).
struct SpannedEncoding {
    Encoding encoding;
    std::vector<TokenSpan> spans;
};

constexpr size_t kMaxWordChars = 100; // longer words become [UNK], as in Hugging Face's WordPiece
constexpr int kHeadTailHeadTokens = 128;

// BERT WordPiece tokenizer, identical in output to Hugging Face's BertWordPieceTokenizer:
// normaliser → pre-tokeniser → greedy longest-match-first WordPiece → [CLS] … [SEP].
// The literal special tokens ([CLS], [SEP], [PAD], [UNK], [MASK]) in a text are kept as such,
// as Hugging Face does. Immutable after construction, so one instance serves many threads.
class Tokenizer {
public:
    Tokenizer(Vocab vocab, bool lowercase);
    static Result<Tokenizer> fromVocabFile(const std::string& path, bool lowercase = true);

    const Vocab& vocab() const { return *m_vocab; }
    bool lowercase() const { return m_normalizer->lowercase(); }
    const BertNormalizer& normalizer() const { return *m_normalizer; }

    // WordPiece ids of a text, without [CLS]/[SEP], appended to ids.
    void tokenize(std::string_view text, std::vector<int32_t>& ids) const;
    // The same, with each token's span appended to spans (the same ids as tokenize gives).
    void tokenize(std::string_view text, std::vector<int32_t>& ids, std::vector<TokenSpan>& spans) const;
    // [CLS] + pieces + [SEP], no truncation.
    std::vector<int32_t> encodeIds(std::string_view text) const;
    // Truncated to sequenceLength (which must be 3–512) with [CLS]/[SEP] kept; padded to
    // sequenceLength when pad is true.
    Encoding encode(std::string_view text, int sequenceLength, Truncation truncation, bool pad) const;
    // encode (unpadded) with each token's span, truncated the same way.
    SpannedEncoding encodeWithSpans(std::string_view text, int sequenceLength, Truncation truncation) const;

    // encodeIds for many texts on `threads` threads (0 = all cores); order preserved.
    std::vector<std::vector<int32_t>> encodeIdsBatch(const std::vector<std::string_view>& texts, int threads) const;
    // Only the lengths (with [CLS]/[SEP]) — what encoding statistics need.
    std::vector<int32_t> tokenCounts(const std::vector<std::string_view>& texts, int threads) const;

    std::vector<std::string> tokensOf(const std::vector<int32_t>& ids) const;

private:
    // pieceStarts (optional) receives the byte offset in word where each appended token starts.
    void wordPiece(std::string_view word, size_t chars, std::vector<int32_t>& ids,
                   std::vector<size_t>* pieceStarts = nullptr) const;
    template <bool kSpans>
    void tokenizeImpl(std::string_view text, std::vector<int32_t>& ids, std::vector<TokenSpan>* spans) const;
    int32_t specialTokenAt(std::string_view text, size_t pos, size_t& length) const;

    std::shared_ptr<const Vocab> m_vocab;
    std::shared_ptr<const BertNormalizer> m_normalizer;
    std::vector<std::pair<std::string, int32_t>> m_specials;
};

// Truncates pieces (without [CLS]/[SEP]) to at most maxPieces; returns true when it cut anything.
bool truncatePieces(std::vector<int32_t>& pieces, size_t maxPieces, Truncation truncation);

// Pads encodings to the longest one (dynamic padding for a batch).
void padToLongest(std::vector<Encoding>& batch, int32_t padId);

} // namespace fika::core
