// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <string>

namespace fika::core {

enum class Truncation {
    None = 0,
    Head,     // keep the first tokens (the tutorial's choice)
    Tail,     // keep the last tokens
    HeadTail, // keep the first 128 and the last ones (Sun et al. 2019)
};

constexpr int kMinSequenceLength = 3;
constexpr int kMaxSequenceLength = 512;

// How a text column becomes model input.
struct EncodingSettings {
    int sequenceLength = 512;
    Truncation truncation = Truncation::Head;
    std::string languageModel = "bert-base-uncased";
    std::string vocab;      // path of vocab.txt; empty = the bundled bert-base-uncased vocab
    bool lowercase = true;  // false: cased mode (no lowercasing, no accent stripping)
};

const char* truncationName(Truncation truncation);
Result<Truncation> parseTruncation(const std::string& name); // head, tail, head_tail
Status validateSequenceLength(int sequenceLength);

} // namespace fika::core
