// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/encoded_cache.h"

#include "common/atomic_file.h"
#include "common/sha256.h"
#include "runtime/runtime.h"
#include "train/trainer.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace fs = std::filesystem;

namespace fika::core {
namespace {

constexpr char kMagic[8] = {'F', 'I', 'K', 'A', 'E', 'N', 'C', '1'};
constexpr uint32_t kMaxHeaderBytes = 64u << 20;

template <typename T>
bool readPod(std::istream& in, T& value)
{
    return static_cast<bool>(in.read(reinterpret_cast<char*>(&value), sizeof(T)));
}

template <typename T>
void appendPod(std::string& out, const T& value)
{
    out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

} // namespace

std::string encodedCacheKey(const std::string& sourceSha256, const std::string& textColumn,
                            const std::string& labelColumn, const std::string& folderSplit,
                            const EncodingSettings& encoding)
{
    // format 3: the CSV import skips rows a quote left open swallowed, warns of labels that differ in
    // case and reads Latin-1 that starts past an ASCII first 64 KiB; an entry made before keeps the old
    // rows and warnings, so it is not read.
    const nlohmann::json key = {{"format", 3},
                                {"source", sourceSha256},
                                {"text_column", textColumn},
                                {"label_column", labelColumn},
                                {"folder_split", folderSplit},
                                {"sequence_length", encoding.sequenceLength},
                                {"truncation", truncationName(encoding.truncation)}};
    Sha256 hash;
    hash.update(key.dump());
    return hash.hexDigest();
}

std::string tokenizerDigest(const Tokenizer& tokenizer)
{
    Sha256 hash;
    hash.update(tokenizer.lowercase() ? "lowercase\n" : "cased\n");
    const Vocab& vocab = tokenizer.vocab();
    for (size_t id = 0; id < vocab.size(); ++id) {
        hash.update(vocab.token(static_cast<int32_t>(id)));
        hash.update("\n");
    }
    return hash.hexDigest();
}

std::string defaultEncodedCacheDir()
{
    return (fs::path(fikaCacheDir()) / "encoded").string();
}

std::string encodedCacheFile(const std::string& cacheDir, const std::string& key)
{
    return (fs::path(cacheDir) / (key + ".bin")).string();
}

std::optional<CachedEncoding> loadEncodedCache(const std::string& file)
{
    // Each entry has its own name, so AtomicFile's sweep of its own name misses what a run killed while
    // writing another entry left (as big as that entry): the whole folder is swept here.
    removeStaleTemporaries(fs::path(file).parent_path().string());
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return std::nullopt;
    char magic[sizeof(kMagic)];
    uint32_t headerBytes = 0;
    if (!in.read(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof magic) != 0 || !readPod(in, headerBytes) ||
        headerBytes > kMaxHeaderBytes)
        return std::nullopt;
    std::string headerText(headerBytes, '\0');
    if (!in.read(headerText.data(), headerBytes))
        return std::nullopt;
    CachedEncoding cache;
    uint64_t count = 0;
    try {
        const auto header = nlohmann::json::parse(headerText);
        cache.tokenizerDigest = header.at("tokenizer").get<std::string>();
        cache.textFeature = header.at("text_feature").get<std::string>();
        cache.targetFeature = header.at("target_feature").get<std::string>();
        cache.labelNames = header.at("labels").get<std::vector<std::string>>();
        for (const auto& warning : header.at("warnings")) {
            const auto code = warningCodeFromName(warning.at("code").get<std::string>());
            if (!code)
                return std::nullopt;
            cache.importWarnings.push_back({*code, warning.at("message").get<std::string>(),
                                            warning.value("file", ""), warning.value("field", "")});
        }
        count = header.at("examples").get<uint64_t>();
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    const auto fileBytes = fs::file_size(file);
    if (count > fileBytes / 8) // every example takes at least a label and a length
        return std::nullopt;
    cache.encoded.ids.resize(count);
    cache.encoded.labels.resize(count);
    for (uint64_t i = 0; i < count; ++i) {
        int32_t label = 0;
        uint32_t length = 0;
        if (!readPod(in, label) || !readPod(in, length) || length > 4096 || label < 0 ||
            static_cast<size_t>(label) >= cache.labelNames.size())
            return std::nullopt;
        cache.encoded.labels[i] = label;
        auto& ids = cache.encoded.ids[i];
        ids.resize(length);
        if (!in.read(reinterpret_cast<char*>(ids.data()), static_cast<std::streamsize>(length * sizeof(int32_t))))
            return std::nullopt;
    }
    if (in.peek() != std::char_traits<char>::eof())
        return std::nullopt;
    return cache;
}

Status saveEncodedCache(const std::string& file, const CachedEncoding& cache)
{
    AtomicFile out(file);
    if (auto opened = out.open(); !opened)
        return opened;
    nlohmann::json warnings = nlohmann::json::array();
    for (const auto& warning : cache.importWarnings)
        warnings.push_back({{"code", warningCodeName(warning.code)}, {"message", warning.message},
                            {"file", warning.file}, {"field", warning.field}});
    const nlohmann::json header = {{"tokenizer", cache.tokenizerDigest},  {"text_feature", cache.textFeature},
                                   {"target_feature", cache.targetFeature}, {"labels", cache.labelNames},
                                   {"warnings", warnings},                  {"examples", cache.encoded.size()}};
    const std::string headerText = header.dump();
    // Written through a buffer of about 1 MB: one write per example would be a system call each.
    std::string buffer(kMagic, sizeof kMagic);
    appendPod(buffer, static_cast<uint32_t>(headerText.size()));
    buffer += headerText;
    for (size_t i = 0; i < cache.encoded.size(); ++i) {
        const auto& ids = cache.encoded.ids[i];
        appendPod(buffer, cache.encoded.labels[i]);
        appendPod(buffer, static_cast<uint32_t>(ids.size()));
        buffer.append(reinterpret_cast<const char*>(ids.data()), ids.size() * sizeof(int32_t));
        if (buffer.size() >= (1u << 20)) {
            if (auto written = out.write(buffer); !written)
                return written;
            buffer.clear();
        }
    }
    if (auto written = out.write(buffer); !written)
        return written;
    return out.commit();
}

} // namespace fika::core
