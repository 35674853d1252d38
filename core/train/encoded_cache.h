// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "common/warning.h"
#include "train/batching.h"

#include <optional>
#include <string>
#include <vector>

namespace fika::core {

// A tokenized dataset kept on disk, so that a second run on the same data starts at once.
// The file name is a hash of the source's SHA-256, the columns and the encoding settings; the
// tokenizer's digest is stored inside and checked after the model's tokenizer is known.
struct CachedEncoding {
    std::string tokenizerDigest;
    std::string textFeature, targetFeature;
    std::vector<std::string> labelNames;
    std::vector<Warning> importWarnings; // the import's, said again when the cache is used
    EncodedDataset encoded;
};

std::string encodedCacheKey(const std::string& sourceSha256, const std::string& textColumn,
                            const std::string& labelColumn, const std::string& folderSplit,
                            const EncodingSettings& encoding);
std::string tokenizerDigest(const Tokenizer& tokenizer);

std::string encodedCacheFile(const std::string& cacheDir, const std::string& key);

// Nothing when the file is absent, of another format version, or damaged in any way.
// Also removes the stale temporary files that writers killed on the way left in the cache's folder.
std::optional<CachedEncoding> loadEncodedCache(const std::string& file);
// Written to a temporary name and renamed, so a reader never sees half a file.
Status saveEncodedCache(const std::string& file, const CachedEncoding& cache);

} // namespace fika::core
