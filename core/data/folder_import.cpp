// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/folder_import.h"

#include "common/utf8.h"
#include "data/charset.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace fika::core {
namespace {

// A review file larger than this is no review (a disk image renamed, a log): skipped unread.
constexpr uintmax_t kMaxTextFileBytes = uintmax_t(64) << 20;

// The sub-folders or .txt files of dir, sorted; `error` is set when dir cannot be listed.
std::vector<fs::path> sortedEntries(const fs::path& dir, bool wantDirectories, std::error_code& error)
{
    std::vector<fs::path> out;
    std::error_code ec;
    fs::directory_iterator it(dir, error);
    for (; !error && it != fs::directory_iterator(); it.increment(error)) {
        const auto& entry = *it;
        if (wantDirectories ? entry.is_directory(ec) : (entry.is_regular_file(ec) && entry.path().extension() == ".txt"))
            out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<fs::path> sortedEntries(const fs::path& dir, bool wantDirectories)
{
    std::error_code ignored;
    return sortedEntries(dir, wantDirectories, ignored);
}

Error unreadableFolder(const fs::path& dir, const std::error_code& error)
{
    return makeError(errorCodeForErrno(error.value()), dir.string() + ": the folder cannot be read (" + error.message() + ")",
                     dir.string());
}

// The class folders under root: sub-folders holding .txt files, except aclImdb's unlabelled `unsup`.
// A folder that cannot be listed is an error: leaving it out would drop a class without a word.
Result<std::vector<fs::path>> classFolders(const fs::path& root)
{
    std::error_code error;
    const auto dirs = sortedEntries(root, true, error);
    if (error)
        return unreadableFolder(root, error);
    std::vector<fs::path> out;
    for (const auto& dir : dirs) {
        if (dir.filename() == "unsup")
            continue;
        const bool hasText = !sortedEntries(dir, false, error).empty();
        if (error)
            return unreadableFolder(dir, error);
        if (hasText)
            out.push_back(dir);
    }
    return out;
}

// File contents as UTF-8, or a problem message.
std::string readText(const fs::path& file, std::string& text)
{
    std::error_code ec;
    if (const auto size = fs::file_size(file, ec); !ec && size > kMaxTextFileBytes)
        return "is " + std::to_string(size >> 20) + " MiB, larger than a review can be (" +
               std::to_string(kMaxTextFileBytes >> 20) + " MiB at most)";
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return "cannot be read";
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
    if (text.find('\0') != std::string::npos)
        return "contains a NUL byte (binary data?)";
    auto charset = detectCharset(text, file.string());
    if (!charset)
        return charset.error().message;
    text.erase(0, charset.value().bomBytes);
    if (charset.value().encoding == TextEncoding::Windows1252) {
        std::string decoded;
        Windows1252Decoder().appendDecoded(text, decoded);
        text = std::move(decoded);
    }
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        return "is empty";
    return {};
}

} // namespace

Result<FolderFiles> listFolderFiles(const std::string& rootPath, const FolderImportOptions& options)
{
    std::error_code ec;
    fs::path root(rootPath);
    if (!fs::is_directory(root, ec))
        return makeError(ErrorCode::FileNotFound, rootPath + ": no such folder", rootPath);

    auto topClasses = classFolders(root);
    if (!topClasses)
        return topClasses.error();
    const bool aclImdb = fs::is_directory(root / options.split, ec) && topClasses->empty();
    if (aclImdb)
        root /= options.split;
    auto found = aclImdb ? classFolders(root) : std::move(topClasses);
    if (!found)
        return found.error();
    const auto& classes = found.value();
    if (classes.empty())
        return makeError(ErrorCode::NoData,
                         root.string() + ": no class sub-folders with .txt files (expected one sub-folder per class, "
                                         "e.g. pos/ and neg/, or the aclImdb layout train/pos, train/neg)",
                         root.string());
    if (classes.size() < 2)
        return makeError(ErrorCode::TooFewClasses,
                         root.string() + ": only one class folder ('" + classes.front().filename().string() +
                             "'); a classifier needs at least two",
                         root.string());
    FolderFiles listed;
    listed.root = root.string();
    for (const auto& dir : classes) {
        const auto label = static_cast<int32_t>(listed.classes.size());
        listed.classes.push_back(dir.filename().string());
        for (const auto& file : sortedEntries(dir, false))
            listed.files.emplace_back(file.string(), label);
    }
    return listed;
}

std::vector<SplitFolder> listSplitFolders(const std::string& rootPath)
{
    std::error_code ec;
    const fs::path root(rootPath);
    std::vector<SplitFolder> splits;
    const auto topClasses = classFolders(root);
    if (!fs::is_directory(root, ec) || !topClasses || !topClasses->empty())
        return splits;
    for (const auto& dir : sortedEntries(root, true)) {
        SplitFolder split{dir.filename().string(), 0};
        const auto classes = classFolders(dir);
        for (const auto& classDir : classes ? classes.value() : std::vector<fs::path>{}) // an unreadable split lists none
            split.fileCount += static_cast<int64_t>(sortedEntries(classDir, false).size());
        if (split.fileCount > 0)
            splits.push_back(std::move(split));
    }
    return splits;
}

Result<ImportResult> importFolder(const std::string& rootPath, const FolderImportOptions& options,
                                  const JobContext& context)
{
    auto listed = listFolderFiles(rootPath, options);
    if (!listed)
        return listed.error();
    const fs::path root(listed->root);
    const auto& files = listed->files;

    ImportResult result;
    Dataset& dataset = result.dataset;
    dataset.textFeature = options.textFeature;
    dataset.targetFeature = options.targetFeature;
    dataset.labelMap = LabelMap::fromNames(listed->classes);
    std::vector<int32_t> labelOf; // class folder index → label id
    for (const auto& name : listed->classes)
        labelOf.push_back(dataset.labelMap.idOf(name));

    ImportReport& report = result.report;
    for (size_t i = 0; i < files.size(); ++i) {
        if (context.shouldStop())
            return makeError(ErrorCode::Cancelled, rootPath + ": import cancelled", rootPath);
        const fs::path file(files[i].first);
        const int32_t label = labelOf[static_cast<size_t>(files[i].second)];
        ++report.rowsRead;
        std::string text;
        const std::string problem = readText(file, text);
        if (!problem.empty()) {
            ++report.invalidRows;
            const std::string message = file.string() + ": " + problem;
            if (options.onProblem == OnRowProblem::Stop)
                return makeError(ErrorCode::Csv, message + " (import stopped)", file.string());
            if (report.problems.size() < options.maxListedProblems)
                report.problems.push_back({0, file.string(), message});
            continue;
        }
        dataset.texts.push_back(std::move(text));
        dataset.labels.push_back(label);
        dataset.sourceLines.push_back(0);
        dataset.sourceFiles.push_back(file.lexically_relative(root).string());
        ++report.rowsImported;
        ++report.classCounts[dataset.labelMap.names[static_cast<size_t>(label)]];
        if ((i & 255) == 0)
            context.report(static_cast<int64_t>(i), static_cast<int64_t>(files.size()));
    }
    if (report.classCounts.size() < 2)
        return makeError(ErrorCode::TooFewClasses,
                         root.string() + ": fewer than two classes have readable files; a classifier needs at least two",
                         root.string());
    context.report(static_cast<int64_t>(files.size()), static_cast<int64_t>(files.size()));
    return result;
}

} // namespace fika::core
