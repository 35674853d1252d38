// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/vocab.h"

#include <bit>
#include <cstring>
#include <fstream>

namespace fika::core {
namespace {

// A fast 64-bit hash over 8-byte words (keys are short tokens); quality is ample for a table
// at most half full.
inline uint64_t hashBytes(std::string_view key)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (key.size() * 0xFF51AFD7ED558CCDull);
    size_t i = 0;
    for (; i + 8 <= key.size(); i += 8) {
        uint64_t word;
        std::memcpy(&word, key.data() + i, 8);
        h = (h ^ word) * 0xC4CEB9FE1A85EC53ull;
        h ^= h >> 29;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, key.data() + i, key.size() - i);
    h = (h ^ tail) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 32;
    return h;
}

} // namespace

void TokenTable::build(const std::vector<std::pair<std::string, int32_t>>& entries)
{
    const size_t capacity = std::bit_ceil(std::max<size_t>(16, entries.size() * 2));
    m_slots.assign(capacity, Slot{});
    m_mask = capacity - 1;
    m_arena.clear();
    m_maxKeyBytes = 0;
    for (const auto& [key, id] : entries) {
        if (find(key) >= 0)
            continue; // first occurrence wins, as in a vocab file with a repeated line
        const uint64_t h = hashBytes(key);
        size_t i = h & m_mask;
        while (m_slots[i].id >= 0)
            i = (i + 1) & m_mask;
        m_slots[i] = Slot{static_cast<uint32_t>(h >> 32), static_cast<uint32_t>(m_arena.size()),
                          static_cast<uint16_t>(key.size()), id};
        m_arena += key;
        m_maxKeyBytes = std::max(m_maxKeyBytes, key.size());
    }
}

int32_t TokenTable::find(std::string_view key) const
{
    if (m_slots.empty() || key.size() > m_maxKeyBytes)
        return -1;
    const uint64_t h = hashBytes(key);
    const auto tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & m_mask;; i = (i + 1) & m_mask) {
        const Slot& slot = m_slots[i];
        if (slot.id < 0)
            return -1;
        if (slot.hash == tag && slot.length == key.size() &&
            std::memcmp(m_arena.data() + slot.offset, key.data(), key.size()) == 0)
            return slot.id;
    }
}

Result<Vocab> Vocab::fromFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::Vocab, path + ": vocab file not found or unreadable", path);
    std::vector<std::string> tokens;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        tokens.push_back(line);
    }
    return fromTokens(std::move(tokens), path);
}

Result<Vocab> Vocab::fromTokens(std::vector<std::string> tokens, const std::string& name)
{
    if (tokens.empty())
        return makeError(ErrorCode::Vocab, name + ": the vocab is empty", name);
    for (size_t i = 0; i < tokens.size(); ++i)
        if (tokens[i].size() > 0xFFFF)
            return makeError(ErrorCode::Vocab, name + ": line " + std::to_string(i + 1) + ": token longer than 65535 bytes",
                             name, static_cast<int64_t>(i + 1));
    Vocab vocab;
    vocab.m_tokens = std::move(tokens);
    std::vector<std::pair<std::string, int32_t>> all, starts, continuations;
    for (size_t i = 0; i < vocab.m_tokens.size(); ++i) {
        const std::string& token = vocab.m_tokens[i];
        const auto id = static_cast<int32_t>(i);
        all.emplace_back(token, id);
        if (token.starts_with("##"))
            continuations.emplace_back(token.substr(2), id);
        else
            starts.emplace_back(token, id);
    }
    vocab.m_all.build(all);
    vocab.m_starts.build(starts);
    vocab.m_continuations.build(continuations);
    vocab.m_padId = vocab.idOf("[PAD]");
    vocab.m_unkId = vocab.idOf("[UNK]");
    vocab.m_clsId = vocab.idOf("[CLS]");
    vocab.m_sepId = vocab.idOf("[SEP]");
    vocab.m_maskId = vocab.idOf("[MASK]");
    for (const char* special : {"[PAD]", "[UNK]", "[CLS]", "[SEP]"})
        if (vocab.idOf(special) < 0)
            return makeError(ErrorCode::Vocab, name + ": the vocab has no " + special + " token (not a BERT vocab.txt?)",
                             name);
    return vocab;
}

int32_t Vocab::idOf(std::string_view token) const
{
    return m_all.find(token);
}

} // namespace fika::core
