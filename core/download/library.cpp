// SPDX-License-Identifier: GPL-3.0-or-later
#include "download/library.h"

#include "common/atomic_file.h"
#include "common/synced_file.h"
#include "common/yaml_fields.h"
#include "download/downloader.h"
#include "runtime/runtime.h"

#include <nlohmann/json.hpp>


#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace fika::core {
namespace {

// A catalog name that stays one folder below where it is joined: not empty, '.', '..', nor with '/'.
bool isPlainName(const std::string& name)
{
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

constexpr const char* kCompleteMarker = ".complete"; // written last: the folder is whole
constexpr const char* kSourceFile = ".source";       // a model folder's repo@revision, written first

std::string readText(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Whether `folder` was marked complete with `content`; an empty or cut marker (a disk that filled up
// while it was written) is no mark.
bool markedComplete(const fs::path& folder, const std::string& content)
{
    std::ifstream in(folder / kCompleteMarker, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return in && text.str() == content;
}

// Writes the marker after everything else succeeded: to a temporary name, every write checked and
// fsynced, then renamed, and the folder fsynced, so that it never stands for a folder cut short.
Status markComplete(const fs::path& folder, const std::string& content)
{
    return writeFileAtomically((folder / kCompleteMarker).string(), content);
}

// An advisory lock on a cache folder for one fetch: a second fetch of the same dataset or model
// (another window, fika-cli) would otherwise empty the folder the first is extracting into.
class FolderLock {
public:
    Status acquire(const fs::path& folder)
    {
        std::error_code ec;
        fs::create_directories(folder, ec);
        m_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (m_fd < 0)
            return makeError(errorCodeForErrno(errno), folder.string() + ": cannot be opened (" + std::strerror(errno) + ")",
                             folder.string());
        if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0)
            return makeError(ErrorCode::AlreadyExists,
                             folder.string() + ": is being downloaded by another Fika (a window or fika-cli); try again when it is done",
                             folder.string());
        return Ok{};
    }
    ~FolderLock()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

private:
    int m_fd = -1;
};

std::string modelUrl(const Catalog& catalog, const CatalogModel& model, const std::string& file)
{
    return catalog.hub + "/" + model.repo + "/resolve/" + model.revision + "/" + file;
}

std::string modelSource(const CatalogModel& model)
{
    return model.repo + "@" + model.revision + "\n";
}

// A model folder complete with the catalog's repo and revision. One completed before sources were
// recorded (no .source) counts when its mark names the repo.
bool modelComplete(const fs::path& folder, const CatalogModel& model)
{
    std::error_code ec;
    return markedComplete(folder, model.repo + "\n") &&
           (!fs::exists(folder / kSourceFile, ec) || readText(folder / kSourceFile) == modelSource(model));
}

// Empties a model cache folder whose files came from another source (or from nobody knows where),
// so that no file of another model is taken for this one's. The folder itself stays: its lock is
// held. A folder that is a link points outside Fika's cache: it is refused, never emptied.
Status startModelFolderAnew(const fs::path& folder)
{
    if (fs::is_symlink(folder))
        return makeError(ErrorCode::InvalidArgument,
                         folder.string() + ": holds another model's files and is a link; remove it and download again",
                         folder.string());
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
        if (fs::remove_all(it->path(), ec); ec)
            break;
    if (ec)
        return makeError(errorCodeForErrno(ec.value()), folder.string() + ": cannot be emptied (" + ec.message() + ")",
                         folder.string());
    return Ok{};
}

} // namespace

std::string bundledCatalogPath()
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    for (const fs::path& candidate :
         {exe.parent_path() / "../share/fika/catalog.yaml", fs::path(FIKA_SOURCE_DIR) / "resources/catalog.yaml"})
        if (fs::exists(candidate, ec))
            return candidate.lexically_normal().string();
    return "catalog.yaml";
}

Result<Catalog> loadCatalog(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        return makeError(ErrorCode::FileNotFound, path + ": no such catalog file", path);
    std::stringstream text;
    text << in.rdbuf();
    Catalog catalog;
    try {
        const YAML::Node root = yaml::load(text.str());
        yaml::rejectUnknownKeys(root, "", {"schema_version", "hub", "datasets", "models"});
        yaml::read(root, "", "hub", catalog.hub);
        for (size_t i = 0; root["datasets"] && i < root["datasets"].size(); ++i) {
            const auto node = root["datasets"][i];
            const std::string where = "datasets[" + std::to_string(i) + "]";
            yaml::rejectUnknownKeys(node, where, {"id", "name", "url", "sha256", "folder"});
            CatalogDataset d;
            yaml::read(node, where, "id", d.id, true);
            yaml::read(node, where, "name", d.name);
            yaml::read(node, where, "url", d.url, true);
            yaml::read(node, where, "sha256", d.sha256, true);
            yaml::read(node, where, "folder", d.folder, true);
            catalog.datasets.push_back(d);
        }
        for (size_t i = 0; root["models"] && i < root["models"].size(); ++i) {
            const auto node = root["models"][i];
            const std::string where = "models[" + std::to_string(i) + "]";
            yaml::rejectUnknownKeys(node, where, {"id", "name", "repo", "revision"});
            CatalogModel m;
            yaml::read(node, where, "id", m.id, true);
            yaml::read(node, where, "name", m.name);
            yaml::read(node, where, "repo", m.repo, true);
            yaml::read(node, where, "revision", m.revision);
            catalog.models.push_back(m);
        }
    } catch (const yaml::YamlFieldError& e) {
        return yaml::toError(e, path);
    } catch (const YAML::Exception& e) {
        return makeError(ErrorCode::Yaml, path + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg, path);
    }
    return catalog;
}

Result<std::string> fetchDataset(const Catalog& catalog, const std::string& id, const std::string& cacheDir,
                                 const JobContext* context)
{
    const CatalogDataset* dataset = nullptr;
    for (const auto& d : catalog.datasets)
        if (d.id == id)
            dataset = &d;
    if (!dataset)
        return makeError(ErrorCode::InvalidArgument, "no dataset '" + id + "' in the catalog");
    // Both name folders that a fetch empties: outside datasets/ they would empty someone else's.
    for (const auto& [what, name] : {std::pair{"dataset id", &id}, std::pair{"folder", &dataset->folder}})
        if (!isPlainName(*name))
            return makeError(ErrorCode::InvalidArgument,
                             std::string(what) + " '" + *name + "' of dataset '" + id + "' in the catalog: must be a plain name (no '/', not '..')");
    const fs::path base = fs::path(cacheDir) / "datasets" / id;
    const fs::path folder = base / dataset->folder;
    const std::string mark = dataset->sha256 + "\n";
    if (markedComplete(base, mark))
        return folder.string();
    FolderLock lock;
    if (auto locked = lock.acquire(base); !locked)
        return locked.error();
    if (markedComplete(base, mark)) // the fetch that held the lock finished it
        return folder.string();
    const std::string archive = (base / fs::path(dataset->url).filename()).string();
    if (!fs::exists(archive)) {
        DownloadOptions options;
        options.expectedSha256 = dataset->sha256;
        options.context = context;
        if (auto downloaded = downloadFile(dataset->url, archive, options); !downloaded)
            return downloaded.error();
    }
    std::error_code ec;
    fs::remove_all(folder, ec); // a half-extracted folder from an interrupted run
    fs::remove(base / kCompleteMarker, ec);
    if (auto extracted = extractArchive(archive, base.string(), context); !extracted) {
        fs::remove_all(folder, ec); // what a full disk cut short is no dataset; the archive stays for a retry
        return extracted.error();
    }
    if (!fs::is_directory(folder))
        return makeError(ErrorCode::ArchiveInvalid, archive + ": has no folder '" + dataset->folder + "'", archive);
    if (auto marked = markComplete(base, mark); !marked)
        return marked.error();
    fs::remove(archive, ec); // the extracted folder is what Fika reads
    return folder.string();
}

Result<std::string> fetchModel(const Catalog& catalog, const std::string& id, const std::string& cacheDir,
                               const JobContext* context)
{
    const CatalogModel* model = nullptr;
    for (const auto& m : catalog.models)
        if (m.id == id)
            model = &m;
    if (!model)
        return makeError(ErrorCode::InvalidArgument, "no model '" + id + "' in the catalog");
    if (!isPlainName(id))
        return makeError(ErrorCode::InvalidArgument, "model id '" + id + "' in the catalog: must be a plain name (no '/', not '..')");
    const fs::path folder = fs::path(cacheDir) / "models" / id;
    const std::string mark = model->repo + "\n";
    if (modelComplete(folder, *model))
        return folder.string();
    FolderLock lock;
    if (auto locked = lock.acquire(folder); !locked)
        return locked.error();
    if (modelComplete(folder, *model)) // the fetch that held the lock finished it
        return folder.string();
    // Files already there are reused only when they came from this repo and revision: the catalog's
    // id may name another repo now, or another model was unpacked there.
    if (const std::string source = modelSource(*model); readText(folder / kSourceFile) != source) {
        if (auto emptied = startModelFolderAnew(folder); !emptied)
            return emptied.error();
        if (auto written = writeFileAtomically((folder / kSourceFile).string(), source); !written)
            return written.error();
    }
    DownloadOptions options;
    options.context = context;
    auto get = [&](const std::string& file) {
        const fs::path target = folder / file;
        if (fs::exists(target))
            return Result<DownloadReport>(DownloadReport{});
        return downloadFile(modelUrl(catalog, *model, file), target.string(), options);
    };
    for (const char* file : {"config.json", "vocab.txt"})
        if (auto got = get(file); !got)
            return got.error();
    bool haveWeights = false;
    for (const char* file : {"model.safetensors.index.json", "model.safetensors", "pytorch_model.bin"}) {
        auto got = get(file);
        if (!got && got.error().code == ErrorCode::FileNotFound)
            continue; // the hub has another layout of the weights
        if (!got)
            return got.error();
        if (std::string(file) == "model.safetensors.index.json") {
            std::ifstream in(folder / file);
            std::set<std::string> shards;
            try {
                for (const auto& item : nlohmann::json::parse(in).at("weight_map").items())
                    shards.insert(item.value().get<std::string>());
            } catch (const nlohmann::json::exception& e) {
                return makeError(ErrorCode::Json, (folder / file).string() + ": " + e.what());
            }
            for (const auto& shard : shards)
                if (shard.find('/') != std::string::npos || shard.find("..") != std::string::npos)
                    return makeError(ErrorCode::Json, (folder / file).string() + ": unsafe shard name '" + shard + "'");
                else if (auto s = get(shard); !s)
                    return s.error();
        }
        haveWeights = true;
        break;
    }
    if (!haveWeights)
        return makeError(ErrorCode::FileNotFound, model->repo + ": the hub has no weights Fika reads (model.safetensors or "
                                                                "pytorch_model.bin)");
    if (auto marked = markComplete(folder, mark); !marked)
        return marked.error();
    return folder.string();
}

std::vector<std::string> cachedModels(const Catalog& catalog, const std::string& cacheDir)
{
    std::vector<std::string> ids;
    for (const auto& m : catalog.models)
        if (modelComplete(fs::path(cacheDir) / "models" / m.id, m))
            ids.push_back(m.id);
    return ids;
}

} // namespace fika::core
