// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fika::core {

// Open-addressing hash table from byte strings to ids; keys live in one arena. Built once, read by
// many threads.
class TokenTable {
public:
    void build(const std::vector<std::pair<std::string, int32_t>>& entries);
    int32_t find(std::string_view key) const; // -1 when absent
    size_t maxKeyBytes() const { return m_maxKeyBytes; }

private:
    struct Slot {
        uint32_t hash = 0;
        uint32_t offset = 0;
        uint16_t length = 0;
        int32_t id = -1;
    };
    std::vector<Slot> m_slots;
    std::string m_arena;
    size_t m_mask = 0;
    size_t m_maxKeyBytes = 0;
};

// A WordPiece vocabulary (vocab.txt: one token per line, the id is the line number).
class Vocab {
public:
    static Result<Vocab> fromFile(const std::string& path);
    static Result<Vocab> fromTokens(std::vector<std::string> tokens, const std::string& name = "vocab");

    size_t size() const { return m_tokens.size(); }
    const std::string& token(int32_t id) const { return m_tokens[static_cast<size_t>(id)]; }
    int32_t idOf(std::string_view token) const; // -1 when absent

    // Pieces that start a word, and "##" continuation pieces keyed without the "##".
    const TokenTable& wordStarts() const { return m_starts; }
    const TokenTable& continuations() const { return m_continuations; }

    int32_t padId() const { return m_padId; }
    int32_t unkId() const { return m_unkId; }
    int32_t clsId() const { return m_clsId; }
    int32_t sepId() const { return m_sepId; }
    int32_t maskId() const { return m_maskId; }

private:
    std::vector<std::string> m_tokens;
    TokenTable m_all;
    TokenTable m_starts;
    TokenTable m_continuations;
    int32_t m_padId = -1, m_unkId = -1, m_clsId = -1, m_sepId = -1, m_maskId = -1;
};

} // namespace fika::core
