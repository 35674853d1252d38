// SPDX-License-Identifier: GPL-3.0-or-later
#include "project/project.h"

#include "common/atomic_file.h"
#include "common/yaml_fields.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace fika::core {
namespace {

constexpr const char* kProjectFile = "project.yaml";

} // namespace

std::string Project::datasetsDir() const
{
    return (fs::path(dir) / "datasets").string();
}

std::string Project::experimentsDir() const
{
    return (fs::path(dir) / "experiments").string();
}

Result<Project> createProject(const std::string& dir, const std::string& name)
{
    if (dir.empty())
        return makeError(ErrorCode::InvalidArgument, "no project folder given");
    const fs::path file = fs::path(dir) / kProjectFile;
    if (fs::exists(file))
        return makeError(ErrorCode::AlreadyExists, dir + ": already holds a Fika project; open it instead", file.string());
    Project project{dir, name.empty() ? fs::path(dir).filename().string() : name, utcNowIso8601()};
    std::error_code ec;
    fs::create_directories(project.datasetsDir(), ec);
    if (!ec)
        fs::create_directories(project.experimentsDir(), ec);
    if (ec)
        return makeError(errorCodeForErrno(ec.value()), dir + ": the project folder cannot be created (" + ec.message() + ")", dir);
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "schema_version" << YAML::Value << Project::kSchemaVersion << YAML::Key << "name"
        << YAML::Value << project.name << YAML::Key << "created" << YAML::Value << project.createdUtc << YAML::EndMap;
    if (auto written = writeFileAtomically(file.string(), std::string(out.c_str()) + "\n"); !written)
        return written.error();
    return project;
}

Result<Project> openProject(const std::string& dir)
{
    const std::string file = (fs::path(dir) / kProjectFile).string();
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::FileNotFound, dir + ": not a Fika project (no project.yaml)", file);
    std::ostringstream text;
    text << in.rdbuf();
    Project project;
    project.dir = dir;
    try {
        const YAML::Node root = yaml::load(text.str());
        yaml::rejectUnknownKeys(root, "", {"schema_version", "name", "created"});
        int schema = 0;
        yaml::read(root, "", "schema_version", schema, true);
        if (schema != Project::kSchemaVersion)
            throw yaml::YamlFieldError{"schema_version", "is " + std::to_string(schema) + "; this Fika reads version 1"};
        yaml::read(root, "", "name", project.name, true);
        yaml::read(root, "", "created", project.createdUtc);
    } catch (const yaml::YamlFieldError& e) {
        return yaml::toError(e, file);
    } catch (const YAML::Exception& e) {
        return makeError(ErrorCode::Yaml, file + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg, file,
                         e.mark.line + 1);
    }
    return project;
}

std::vector<std::string> listDatasetVersions(const Project& project)
{
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(project.datasetsDir(), ec))
        if (entry.is_regular_file() && entry.path().extension() == ".yaml")
            files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> listExperiments(const Project& project)
{
    std::vector<std::string> dirs;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(project.experimentsDir(), ec))
        if (entry.is_directory() && fs::exists(entry.path() / "config.yaml"))
            dirs.push_back(entry.path().string());
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

std::string safeFileName(const std::string& name)
{
    // Bytes from 0x80 up are UTF-8's letters and signs ("Größe"): kept whole, never a file system's
    // separator; of ASCII only letters, digits, '-' and '_' are kept.
    std::string out;
    for (unsigned char c : name)
        out += (std::isalnum(c) || c == '-' || c == '_' || c >= 0x80) ? static_cast<char>(c) : '-';
    return out.empty() ? std::string("unnamed") : out;
}

std::string newExperimentDir(const Project& project, const std::string& name)
{
    const fs::path base = fs::path(project.experimentsDir()) / safeFileName(name);
    fs::path candidate = base;
    for (int n = 2; fs::exists(candidate); ++n)
        candidate = base.string() + "-" + std::to_string(n);
    return candidate.string();
}

ExperimentConfig experimentForDataset(const DatasetVersion& version, ConfigPreset preset, const std::string& outputDir)
{
    ExperimentConfig config = presetConfig(preset);
    (version.source.kind == "folder" ? config.data.folder : config.data.csv) = version.source.path;
    config.data.textColumn = version.textColumn;
    config.data.labelColumn = version.labelColumn;
    config.data.subsets = version.subsets;
    config.encoding = version.encoding; // the dataset's encoding, as chosen in the Datasets view
    config.output.dir = outputDir;
    return config;
}

} // namespace fika::core
