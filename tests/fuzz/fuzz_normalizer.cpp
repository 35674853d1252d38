// SPDX-License-Identifier: GPL-3.0-or-later
// Any bytes into the BERT normaliser and tokenizer: valid UTF-8 out, no crash, and the fused
// single-pass tokenizer agrees with the step-by-step pipeline.
#include "common/utf8.h"
#include "text/tokenizer.h"

#include <cstdlib>

namespace {
const fika::core::Tokenizer& tokenizer()
{
    static const fika::core::Tokenizer instance = [] {
        auto loaded = fika::core::Tokenizer::fromVocabFile(FIKA_SOURCE_DIR "/resources/vocab/bert-base-uncased-vocab.txt");
        if (!loaded)
            std::abort();
        return std::move(loaded.value());
    }();
    return instance;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace fika::core;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const Tokenizer& t = tokenizer();
    const std::string normalized = t.normalizer().normalize(text);
    if (!utf8::isValid(normalized))
        __builtin_trap();
    const auto words = t.normalizer().preTokenize(normalized);

    std::vector<int32_t> fused;
    t.tokenize(text, fused);
    if (text.find('[') == std::string_view::npos) { // literal special tokens are matched before normalisation
        std::vector<int32_t> staged;
        for (const auto& word : words)
            t.tokenize(word, staged);
        if (staged != fused)
            __builtin_trap();
    }
    const Encoding encoding = t.encode(text, 16, Truncation::HeadTail, true);
    if (encoding.ids.size() != 16 || encoding.ids.front() != t.vocab().clsId())
        __builtin_trap();
    return 0;
}
