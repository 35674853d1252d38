// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "data/folder_import.h"
#include "data/subsets.h"
#include "text/encoding_settings.h"

#include <string>
#include <vector>

namespace fika::core {

struct DatasetSource {
    std::string kind = "csv"; // csv or folder
    std::string path;
    int64_t sizeBytes = 0;
    std::string sha256; // of the file; for a folder, of each imported file's relative path and bytes, in import order
};

// A saved, reproducible dataset: where it came from, how it is read, encoded and split.
struct DatasetVersion {
    static constexpr int kSchemaVersion = 1;
    int schemaVersion = kSchemaVersion;
    std::string name;
    std::string createdUtc; // ISO 8601
    DatasetSource source;
    std::string textColumn = "review";
    std::string labelColumn = "sentiment";
    std::vector<std::string> classes;   // in label id order
    std::vector<int64_t> classCounts;   // same order
    EncodingSettings encoding;
    SubsetSpec subsets;
    int64_t trainingCount = 0;
    int64_t validationCount = 0;
    int64_t testCount = 0;
};

struct Dataset;

// A version of an imported dataset: splits it as `subsets` says and describes its source.
Result<DatasetVersion> makeDatasetVersion(const Dataset& dataset, const std::string& sourcePath,
                                          const EncodingSettings& encoding, const SubsetSpec& subsets,
                                          const std::string& name);

// A version whose source was described before (describeSource on a worker thread, say).
Result<DatasetVersion> makeDatasetVersion(const Dataset& dataset, const DatasetSource& source,
                                          const EncodingSettings& encoding, const SubsetSpec& subsets,
                                          const std::string& name);

// Size and SHA-256 of a CSV file, or of the files importFolder reads with `options` (for aclImdb,
// train/<class>/*.txt: not test/ or unsup/).
Result<DatasetSource> describeSource(const std::string& path, const FolderImportOptions& options = {});

std::string datasetVersionToYaml(const DatasetVersion& version);
Result<DatasetVersion> datasetVersionFromYaml(const std::string& yaml, const std::string& fileName = "dataset version");
Status saveDatasetVersion(const DatasetVersion& version, const std::string& path);
Result<DatasetVersion> loadDatasetVersion(const std::string& path);

std::string utcNowIso8601();

} // namespace fika::core
