// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/dataset_version.h"

#include "common/atomic_file.h"
#include "common/sha256.h"
#include "common/yaml_fields.h"
#include "data/dataset.h"
#include "data/folder_import.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace fika::core {

std::string utcNowIso8601()
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

Result<DatasetSource> describeSource(const std::string& path, const FolderImportOptions& options)
{
    std::error_code ec;
    DatasetSource source;
    source.path = fs::absolute(path, ec).lexically_normal().string();
    if (fs::is_regular_file(path, ec)) {
        source.kind = "csv";
        source.sizeBytes = static_cast<int64_t>(fs::file_size(path, ec));
        source.sha256 = sha256OfFile(path);
        if (source.sha256.empty())
            return makeError(ErrorCode::IoError, path + ": cannot be read", path);
        return source;
    }
    if (!fs::is_directory(path, ec)) // a relative path is the current folder's, not the config file's: say which
        return makeError(ErrorCode::FileNotFound,
                         path + ": no such file or folder" +
                             (fs::path(path).is_relative() ? " (looked for " + source.path + ")" : std::string()),
                         path);
    source.kind = "folder";
    auto listed = listFolderFiles(path, options);
    if (!listed)
        return listed.error();
    Sha256 hash;
    std::vector<char> buffer(1 << 16);
    for (const auto& entry : listed->files) {
        const std::string& file = entry.first;
        const std::string relative = fs::relative(file, path, ec).generic_string();
        hash.update(relative);
        hash.update(std::string_view("\0", 1));
        std::ifstream in(file, std::ios::binary);
        while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
            const auto count = static_cast<size_t>(in.gcount());
            hash.update(std::string_view(buffer.data(), count));
            source.sizeBytes += static_cast<int64_t>(count);
        }
    }
    source.sha256 = hash.hexDigest();
    return source;
}

Result<DatasetVersion> makeDatasetVersion(const Dataset& dataset, const std::string& sourcePath,
                                          const EncodingSettings& encoding, const SubsetSpec& subsetSpec,
                                          const std::string& name)
{
    auto source = describeSource(sourcePath);
    if (!source)
        return source.error();
    return makeDatasetVersion(dataset, source.value(), encoding, subsetSpec, name);
}

Result<DatasetVersion> makeDatasetVersion(const Dataset& dataset, const DatasetSource& source,
                                          const EncodingSettings& encoding, const SubsetSpec& subsetSpec,
                                          const std::string& name)
{
    auto subsets = splitSubsets(dataset.labels, dataset.labelMap.size(), subsetSpec);
    if (!subsets)
        return subsets.error();
    DatasetVersion version;
    version.name = name;
    version.createdUtc = utcNowIso8601();
    version.source = source;
    version.textColumn = dataset.textFeature;
    version.labelColumn = dataset.targetFeature;
    version.classes = dataset.labelMap.names;
    version.classCounts = dataset.classCounts();
    version.encoding = encoding;
    version.subsets = subsetSpec;
    version.trainingCount = static_cast<int64_t>(subsets->training.size());
    version.validationCount = static_cast<int64_t>(subsets->validation.size());
    version.testCount = static_cast<int64_t>(subsets->test.size());
    return version;
}

std::string datasetVersionToYaml(const DatasetVersion& v)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "schema_version" << YAML::Value << v.schemaVersion;
    out << YAML::Key << "name" << YAML::Value << v.name;
    out << YAML::Key << "created" << YAML::Value << v.createdUtc;
    out << YAML::Key << "source" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "kind" << YAML::Value << v.source.kind;
    out << YAML::Key << "path" << YAML::Value << v.source.path;
    out << YAML::Key << "size_bytes" << YAML::Value << v.source.sizeBytes;
    out << YAML::Key << "sha256" << YAML::Value << v.source.sha256;
    out << YAML::EndMap;
    out << YAML::Key << "columns" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "text" << YAML::Value << v.textColumn;
    out << YAML::Key << "label" << YAML::Value << v.labelColumn;
    out << YAML::EndMap;
    out << YAML::Key << "classes" << YAML::Value << YAML::BeginSeq;
    for (size_t i = 0; i < v.classes.size(); ++i) {
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << v.classes[i];
        out << YAML::Key << "count" << YAML::Value << (i < v.classCounts.size() ? v.classCounts[i] : 0) << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::Key << "encoding" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "language_model" << YAML::Value << v.encoding.languageModel;
    out << YAML::Key << "vocab" << YAML::Value << v.encoding.vocab;
    out << YAML::Key << "lowercase" << YAML::Value << v.encoding.lowercase;
    out << YAML::Key << "sequence_length" << YAML::Value << v.encoding.sequenceLength;
    out << YAML::Key << "truncation" << YAML::Value << truncationName(v.encoding.truncation);
    out << YAML::EndMap;
    out << YAML::Key << "subsets" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "training_percent" << YAML::Value << v.subsets.trainingPercent;
    out << YAML::Key << "validation_percent" << YAML::Value << v.subsets.validationPercent;
    out << YAML::Key << "test_percent" << YAML::Value << v.subsets.testPercent;
    out << YAML::Key << "seed" << YAML::Value << v.subsets.seed;
    out << YAML::Key << "stratified" << YAML::Value << v.subsets.stratified;
    out << YAML::Key << "counts" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "training" << YAML::Value << v.trainingCount;
    out << YAML::Key << "validation" << YAML::Value << v.validationCount;
    out << YAML::Key << "test" << YAML::Value << v.testCount;
    out << YAML::EndMap << YAML::EndMap;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

Result<DatasetVersion> datasetVersionFromYaml(const std::string& text, const std::string& fileName)
{
    using namespace yaml;
    DatasetVersion v;
    try {
        const YAML::Node root = yaml::load(text);
        rejectUnknownKeys(root, "", {"schema_version", "name", "created", "source", "columns", "classes", "encoding", "subsets"});
        read(root, "", "schema_version", v.schemaVersion, true);
        if (v.schemaVersion != DatasetVersion::kSchemaVersion)
            throw YamlFieldError{"schema_version", "version " + std::to_string(v.schemaVersion) +
                                                       " is not supported (this Fika reads version " +
                                                       std::to_string(DatasetVersion::kSchemaVersion) + ")"};
        read(root, "", "name", v.name);
        read(root, "", "created", v.createdUtc);

        const YAML::Node source = root["source"];
        if (source) {
            rejectUnknownKeys(source, "source", {"kind", "path", "size_bytes", "sha256"});
            read(source, "source", "kind", v.source.kind);
            read(source, "source", "path", v.source.path, true);
            read(source, "source", "size_bytes", v.source.sizeBytes);
            read(source, "source", "sha256", v.source.sha256);
        }
        const YAML::Node columns = root["columns"];
        if (columns) {
            rejectUnknownKeys(columns, "columns", {"text", "label"});
            read(columns, "columns", "text", v.textColumn);
            read(columns, "columns", "label", v.labelColumn);
        }
        const YAML::Node classes = root["classes"];
        if (classes) {
            if (!classes.IsSequence())
                throw YamlFieldError{"classes", "expected a list"};
            for (size_t i = 0; i < classes.size(); ++i) {
                const std::string path = "classes[" + std::to_string(i) + "]";
                rejectUnknownKeys(classes[i], path, {"name", "count"});
                std::string name;
                int64_t count = 0;
                read(classes[i], path, "name", name, true);
                read(classes[i], path, "count", count);
                v.classes.push_back(name);
                v.classCounts.push_back(count);
            }
        }
        const YAML::Node encoding = root["encoding"];
        if (encoding) {
            rejectUnknownKeys(encoding, "encoding", {"language_model", "vocab", "lowercase", "sequence_length", "truncation"});
            read(encoding, "encoding", "language_model", v.encoding.languageModel);
            read(encoding, "encoding", "vocab", v.encoding.vocab);
            read(encoding, "encoding", "lowercase", v.encoding.lowercase);
            read(encoding, "encoding", "sequence_length", v.encoding.sequenceLength);
            if (auto valid = validateSequenceLength(v.encoding.sequenceLength); !valid)
                throw YamlFieldError{"encoding.sequence_length", valid.error().message};
            std::string truncation = truncationName(v.encoding.truncation);
            read(encoding, "encoding", "truncation", truncation);
            auto parsed = parseTruncation(truncation);
            if (!parsed)
                throw YamlFieldError{"encoding.truncation", parsed.error().message};
            v.encoding.truncation = parsed.value();
        }
        const YAML::Node subsets = root["subsets"];
        if (subsets) {
            rejectUnknownKeys(subsets, "subsets",
                              {"training_percent", "validation_percent", "test_percent", "seed", "stratified", "counts"});
            read(subsets, "subsets", "training_percent", v.subsets.trainingPercent);
            read(subsets, "subsets", "validation_percent", v.subsets.validationPercent);
            read(subsets, "subsets", "test_percent", v.subsets.testPercent);
            read(subsets, "subsets", "seed", v.subsets.seed);
            read(subsets, "subsets", "stratified", v.subsets.stratified);
            if (auto valid = validateSubsetSpec(v.subsets); !valid)
                throw YamlFieldError{"subsets", valid.error().message};
            const YAML::Node counts = subsets["counts"];
            if (counts) {
                rejectUnknownKeys(counts, "subsets.counts", {"training", "validation", "test"});
                read(counts, "subsets.counts", "training", v.trainingCount);
                read(counts, "subsets.counts", "validation", v.validationCount);
                read(counts, "subsets.counts", "test", v.testCount);
            }
        }
    } catch (const YamlFieldError& e) {
        return toError(e, fileName);
    } catch (const YAML::Exception& e) {
        return makeError(ErrorCode::Yaml, fileName + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg, fileName,
                         e.mark.line + 1);
    }
    return v;
}

Status saveDatasetVersion(const DatasetVersion& version, const std::string& path)
{
    return writeFileAtomically(path, datasetVersionToYaml(version));
}

Result<DatasetVersion> loadDatasetVersion(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::FileNotFound, path + ": no such file", path);
    std::ostringstream text;
    text << in.rdbuf();
    return datasetVersionFromYaml(text.str(), path);
}

} // namespace fika::core
