// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/encoding_settings.h"

namespace fika::core {

const char* truncationName(Truncation truncation)
{
    switch (truncation) {
    case Truncation::Head: return "head";
    case Truncation::Tail: return "tail";
    case Truncation::HeadTail: return "head_tail";
    case Truncation::None: break;
    }
    return "none";
}

Result<Truncation> parseTruncation(const std::string& name)
{
    if (name == "head")
        return Truncation::Head;
    if (name == "tail")
        return Truncation::Tail;
    if (name == "head_tail" || name == "head+tail")
        return Truncation::HeadTail;
    return makeError(ErrorCode::InvalidArgument, "unknown truncation '" + name + "' (use head, tail or head_tail)");
}

Status validateSequenceLength(int sequenceLength)
{
    if (sequenceLength < kMinSequenceLength || sequenceLength > kMaxSequenceLength)
        return makeError(ErrorCode::InvalidArgument,
                         "sequence length " + std::to_string(sequenceLength) + " is outside " +
                             std::to_string(kMinSequenceLength) + "–" + std::to_string(kMaxSequenceLength) +
                             " ([CLS] and [SEP] take two positions; BERT has 512)");
    return Ok{};
}

} // namespace fika::core
