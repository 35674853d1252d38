// SPDX-License-Identifier: GPL-3.0-or-later
#include "download/downloader.h"

#include "common/sha256.h"

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace fs = std::filesystem;

namespace fika::core {
namespace {

struct Transfer {
    CURL* curl = nullptr;
    std::FILE* out = nullptr;
    const JobContext* context = nullptr;
    int64_t offset = 0;
    long status = 0;
    int64_t rangeStart = -1; // where the last response's Content-Range starts
    bool restarted = false;  // the server sent the whole file instead of the rest: written from the start
    bool wrongRange = false; // the server sent another part of the file than the rest
    std::string linkedEtag; // the hub's X-Linked-Etag (a SHA-256), kept across its redirect to a CDN
    std::string etag;       // the last response's ETag
    std::string validator;  // the last response's strong ETag as sent: If-Range on a resume
    std::string lastModified; // its Last-Modified: the If-Range without a strong ETag
    std::string validatorFile; // where a 200's validator is kept beside the .part
    bool writeFailed = false;
    int writeErrno = 0; // why the write failed (ENOSPC: a full disk)
};

// The 64 hex digits of a strong ETag value, lower-cased, or "" when it is no SHA-256.
std::string sha256FromEtag(const std::string& value)
{
    if (value.find("W/") != std::string::npos)
        return {};
    std::string clean;
    for (char c : value)
        if (std::isxdigit(static_cast<unsigned char>(c)))
            clean += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return clean.size() == 64 ? clean : std::string();
}

// A header line's value after its name: without the surrounding blanks and the CR LF.
std::string headerValue(const std::string& line, size_t nameSize)
{
    const auto from = line.find_first_not_of(" \t", nameSize);
    const auto to = line.find_last_not_of(" \t\r\n");
    return from == std::string::npos || to < from ? std::string() : line.substr(from, to - from + 1);
}

// The validator kept beside a .part, or "" when there is none (or only a cut one).
std::string readValidator(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::string line;
    std::getline(in, line);
    for (char c : line)
        if (static_cast<unsigned char>(c) < 0x20)
            return {}; // no header value: never sent
    return line;
}

// Keeps the validator of the response whose body the .part starts with, so that a resume asks
// for the rest of that same file (If-Range). Without one, any old file is removed: the .part is
// resumed only when a checksum will catch a changed file.
void keepValidator(const Transfer& t)
{
    std::error_code ec;
    const std::string& value = !t.validator.empty() ? t.validator : t.lastModified;
    if (value.empty()) {
        fs::remove(t.validatorFile, ec);
        return;
    }
    std::ofstream out(t.validatorFile, std::ios::binary | std::ios::trunc);
    out << value << "\n"; // a failed or cut write never matches: the resume gets the whole file
}

size_t onHeader(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) { // each response (a redirect's first) has its own ETag and range
        t->etag.clear();
        t->validator.clear();
        t->lastModified.clear();
        t->rangeStart = -1;
    }
    std::string lower = line;
    for (auto& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // The hub answers a large file with a 302 to its CDN carrying X-Linked-Etag, the SHA-256 of the
    // body the CDN sends (huggingface_hub checks the download against it the same way); the first
    // one seen wins, the CDN's own ETag never replaces it.
    const std::string linkedName = "x-linked-etag:", etagName = "etag:";
    if (lower.rfind(linkedName, 0) == 0 && t->linkedEtag.empty())
        t->linkedEtag = sha256FromEtag(line.substr(linkedName.size()));
    else if (lower.rfind(etagName, 0) == 0) {
        t->etag = sha256FromEtag(line.substr(etagName.size()));
        if (const std::string value = headerValue(line, etagName.size()); value.rfind("W/", 0) != 0)
            t->validator = value; // a weak ETag never matches an If-Range
    } else if (const std::string modifiedName = "last-modified:"; lower.rfind(modifiedName, 0) == 0)
        t->lastModified = headerValue(line, modifiedName.size());
    else if (const std::string rangeName = "content-range: bytes "; lower.rfind(rangeName, 0) == 0)
        t->rangeStart = std::atoll(lower.c_str() + rangeName.size());
    return size * count;
}

size_t onData(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    if (t->status == 0) {
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &t->status);
        if (t->status == 200) // the .part starts anew with this response's file
            keepValidator(*t);
        // A server that ignores the Range sends the whole file: it replaces the .part rather than
        // being appended to it. One that sends another range than the rest is refused.
        if (t->offset > 0 && t->status == 200) {
            if (::ftruncate(fileno(t->out), 0) != 0) {
                t->writeFailed = true;
                t->writeErrno = errno;
                return 0;
            }
            t->offset = 0;
            t->restarted = true;
        } else if (t->offset > 0 && t->status == 206 && t->rangeStart != t->offset) {
            t->wrongRange = true;
            return 0;
        }
    }
    if (t->status != 200 && t->status != 206)
        return size * count; // an error page, a redirect's body: never into the file
    if (std::fwrite(data, 1, size * count, t->out) != size * count) {
        t->writeFailed = true;
        t->writeErrno = errno;
        return 0;
    }
    return size * count;
}

int onProgress(void* user, curl_off_t total, curl_off_t done, curl_off_t, curl_off_t)
{
    auto* t = static_cast<Transfer*>(user);
    if (!t->context)
        return 0;
    if (t->context->shouldStop())
        return 1; // aborts the transfer; the .part stays for a resume
    t->context->report(t->offset + done, total > 0 ? t->offset + total : 0);
    return 0;
}

std::string hostOf(const std::string& url)
{
    const auto start = url.find("://");
    const auto from = start == std::string::npos ? 0 : start + 3;
    return url.substr(from, url.find('/', from) - from);
}

// libarchive's message for the last failure of `a`, or `fallback`.
std::string archiveError(archive* a, const char* fallback)
{
    const char* text = archive_error_string(a);
    return text && *text ? text : fallback;
}

void initCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

Result<DownloadReport> downloadFile(const std::string& url, const std::string& file, const DownloadOptions& options)
{
    initCurlOnce();
    std::error_code ec;
    fs::create_directories(fs::path(file).parent_path(), ec);
    const std::string part = file + ".part";
    // The .part is opened without truncating it and locked before anything is written: a second
    // download of the same file (another window, fika-cli) would otherwise write into the first's.
    const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return makeError(errorCodeForErrno(errno), part + ": cannot be written (" + std::strerror(errno) + ")", part);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return makeError(ErrorCode::AlreadyExists,
                         file + ": is being downloaded by another Fika (a window or fika-cli); try again when it is done", file);
    }
    DownloadReport report;
    struct stat info {};
    report.resumedFrom = ::fstat(fd, &info) == 0 ? static_cast<int64_t>(info.st_size) : 0;
    // The first attempt's ETag (else Last-Modified) goes with the Range as If-Range: a server whose
    // file changed since sends it whole, never its rest to be spliced onto the old start. A .part
    // without one is resumed only when a checksum will catch a splice; else it starts over.
    const std::string validatorFile = part + ".etag";
    const std::string validator = report.resumedFrom > 0 ? readValidator(validatorFile) : std::string();
    if (report.resumedFrom > 0 && validator.empty() && options.expectedSha256.empty()) {
        if (::ftruncate(fd, 0) != 0) {
            const int error = errno;
            ::close(fd);
            return makeError(errorCodeForErrno(error), part + ": cannot be written (" + std::strerror(error) + ")", part);
        }
        report.resumedFrom = 0;
    }

    Transfer t;
    t.context = options.context;
    t.offset = report.resumedFrom;
    t.validatorFile = validatorFile;
    t.out = ::fdopen(fd, "ab");
    if (!t.out) {
        const int error = errno;
        ::close(fd);
        return makeError(errorCodeForErrno(error), part + ": cannot be written (" + std::strerror(error) + ")", part);
    }
    // The lock is held until the .part is renamed or removed, after the stream is closed.
    struct LockHolder {
        int fd;
        ~LockHolder()
        {
            if (fd >= 0)
                ::close(fd);
        }
    } lock{::dup(fd)};
    CURL* curl = curl_easy_init();
    t.curl = curl;
    char errorText[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FAILONERROR, 0L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, options.connectTimeoutSeconds);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L); // give up after 60 s without a byte
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "Fika/" FIKA_VERSION);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorText);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onData);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    // A Range header rather than CURLOPT_RESUME_FROM, which fails when the server sends the whole
    // file: onData then starts the .part over.
    const std::string range = std::to_string(report.resumedFrom) + "-";
    curl_slist* headers = nullptr;
    if (report.resumedFrom > 0) {
        curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
        if (!validator.empty())
            headers = curl_slist_append(headers, ("If-Range: " + validator).c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    }
    const CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    // Buffered bytes reach the disk only here: a full disk shows in the flush, the fsync or the close.
    if (std::fflush(t.out) != 0 || ::fsync(fileno(t.out)) != 0) {
        t.writeFailed = true;
        t.writeErrno = t.writeErrno ? t.writeErrno : errno;
    }
    if (std::fclose(t.out) != 0) {
        t.writeFailed = true;
        t.writeErrno = t.writeErrno ? t.writeErrno : errno;
    }

    auto failWith = [&](Error error, bool keepPart) -> Result<DownloadReport> {
        if (!keepPart) {
            fs::remove(part, ec);
            fs::remove(validatorFile, ec);
        }
        return error;
    };
    if (code == CURLE_ABORTED_BY_CALLBACK)
        return makeError(ErrorCode::Cancelled, url + ": download stopped; starting it again resumes it");
    if (code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT || code == CURLE_OPERATION_TIMEDOUT)
        return failWith(makeError(ErrorCode::NetworkError, "cannot reach " + hostOf(url) + " (" + errorText +
                                                          "): are you offline? Download it on another machine and "
                                                          "choose \"Use a local folder…\""),
                        true);
    if (code == CURLE_RANGE_ERROR || status == 416 || t.wrongRange) // the .part does not fit the file on the server: start over
        return failWith(makeError(ErrorCode::NetworkError, url + ": the interrupted download cannot be resumed; try again"), false);
    if (code == CURLE_TOO_MANY_REDIRECTS || code == CURLE_UNSUPPORTED_PROTOCOL)
        return failWith(makeError(ErrorCode::NetworkError, url + ": the server redirects in circles or away from HTTP (" +
                                                          errorText + ")"),
                        report.resumedFrom > 0);
    if (status == 404)
        return failWith(makeError(ErrorCode::FileNotFound, url + ": not found (HTTP 404)"), false);
    if (status >= 400)
        return failWith(makeError(ErrorCode::NetworkError, url + ": the server answered HTTP " + std::to_string(status)), true);
    if (t.writeFailed)
        return failWith(makeError(errorCodeForErrno(t.writeErrno, ErrorCode::DiskFull),
                                  part + ": cannot be written (" + (t.writeErrno ? std::strerror(t.writeErrno) : "disk full?") + ")",
                                  part),
                        true);
    if (code != CURLE_OK)
        return failWith(makeError(ErrorCode::NetworkError, url + ": download interrupted (" + std::string(errorText) +
                                                          "); starting it again resumes it"),
                        true);
    if (status != 200 && status != 206) // 204, a redirect without a Location, …: no file came
        return failWith(makeError(ErrorCode::NetworkError, url + ": the server answered HTTP " + std::to_string(status) +
                                                          " without the file"),
                        report.resumedFrom > 0);
    if (t.restarted)
        report.resumedFrom = 0;

    report.sha256 = sha256OfFile(part);
    report.bytes = static_cast<int64_t>(fs::file_size(part, ec));
    const std::string expected = !options.expectedSha256.empty() ? options.expectedSha256
                                 : !t.linkedEtag.empty()         ? t.linkedEtag
                                                                 : t.etag;
    if (!expected.empty() && report.sha256 != expected)
        return failWith(makeError(ErrorCode::ChecksumMismatch, url + ": checksum mismatch (SHA-256 " + report.sha256 +
                                                          ", expected " + expected + "); the download was discarded"),
                        false);
    fs::rename(part, file, ec);
    if (ec)
        return makeError(errorCodeForErrno(ec.value()), file + ": cannot be written (" + ec.message() + ")", file);
    fs::remove(validatorFile, ec);
    return report;
}

Status extractArchive(const std::string& archivePath, const std::string& dir, const JobContext* context)
{
    archive* in = archive_read_new();
    archive_read_support_filter_all(in);
    archive_read_support_format_all(in);
    archive* out = archive_write_disk_new();
    // Entries are re-rooted under dir (absolute names refused below); libarchive refuses ".." and
    // writing through symlinks.
    archive_write_disk_set_options(out, ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                            ARCHIVE_EXTRACT_SECURE_SYMLINKS);
    auto cleanup = [&] {
        archive_read_free(in);
        archive_write_free(out);
    };
    if (archive_read_open_filename(in, archivePath.c_str(), 1 << 16) != ARCHIVE_OK) {
        const std::string why = archive_error_string(in) ? archive_error_string(in) : "unreadable";
        cleanup();
        return makeError(ErrorCode::ArchiveInvalid, archivePath + ": cannot be opened as an archive (" + why + ")", archivePath);
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    const auto total = static_cast<int64_t>(fs::file_size(archivePath, ec));
    archive_entry* entry = nullptr;
    int64_t entries = 0;
    for (;;) {
        const int r = archive_read_next_header(in, &entry);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK || (context && context->shouldStop())) {
            const std::string why = context && context->shouldStop() ? "stopped"
                                    : archive_error_string(in)         ? archive_error_string(in)
                                                                       : "damaged";
            const bool stopped = context && context->shouldStop();
            cleanup();
            return makeError(stopped ? ErrorCode::Cancelled : ErrorCode::ArchiveInvalid,
                             archivePath + ": extraction failed after " + std::to_string(entries) +
                                                     " entries (" + why + ")",
                             archivePath);
        }
        const std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
        if (name.empty() || name.front() == '/') {
            cleanup();
            return makeError(ErrorCode::ArchiveInvalid, archivePath + ": entry '" + name + "' refused (absolute path)", archivePath);
        }
        // A symlink may point only within dir: the folder import follows links, and one to /home or
        // "../../x" would have it read the user's files as reviews.
        if (const char* link = archive_entry_symlink(entry)) {
            const fs::path resolved = (fs::path(name).parent_path() / link).lexically_normal();
            if (link[0] == '/' || resolved.empty() || *resolved.begin() == "..") {
                cleanup();
                return makeError(ErrorCode::ArchiveInvalid,
                                 archivePath + ": link '" + name + "' refused (it points outside the folder, to '" + link + "')",
                                 archivePath);
            }
        }
        const std::string target = (fs::path(dir) / name).string();
        archive_entry_set_pathname(entry, target.c_str());
        if (const char* link = archive_entry_hardlink(entry)) {
            if (link[0] == '/') {
                cleanup();
                return makeError(ErrorCode::ArchiveInvalid, archivePath + ": link '" + name + "' refused (absolute target)", archivePath);
            }
            archive_entry_set_hardlink(entry, (fs::path(dir) / link).string().c_str());
        }
        if (archive_write_header(out, entry) != ARCHIVE_OK) {
            const std::string why = archive_error_string(out) ? archive_error_string(out) : "refused";
            const ErrorCode code = errorCodeForErrno(archive_errno(out), ErrorCode::ArchiveInvalid);
            cleanup();
            return makeError(code, archivePath + ": entry refused (" + why + ")", archivePath);
        }
        // Every block and the entry's end are checked: a full disk or a truncated archive is an
        // error naming the entry, never a short file taken for a whole one.
        const void* block = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        int read = ARCHIVE_OK;
        std::string why;
        ErrorCode code = ErrorCode::IoError;
        while ((read = archive_read_data_block(in, &block, &size, &offset)) == ARCHIVE_OK)
            if (archive_write_data_block(out, block, size, offset) != ARCHIVE_OK) {
                why = archiveError(out, "cannot be written");
                code = errorCodeForErrno(archive_errno(out));
                break;
            }
        if (why.empty() && read != ARCHIVE_EOF) {
            why = archiveError(in, "the archive is damaged");
            code = ErrorCode::ArchiveInvalid;
        }
        if (why.empty() && archive_write_finish_entry(out) != ARCHIVE_OK) {
            why = archiveError(out, "cannot be written");
            code = errorCodeForErrno(archive_errno(out));
        }
        if (!why.empty()) {
            cleanup();
            return makeError(code, target + ": " + why + " (extracting " + archivePath + ")", target);
        }
        if (context && ++entries % 256 == 0)
            context->report(archive_filter_bytes(in, -1), total);
    }
    cleanup();
    // The extracted files are on disk, not only in the page cache, before anyone marks them complete.
    if (const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
        const bool synced = ::syncfs(fd) == 0;
        const int error = errno;
        ::close(fd);
        if (!synced)
            return makeError(errorCodeForErrno(error), dir + ": cannot be synced to disk (" + std::strerror(error) + ")", dir);
    }
    return Ok{};
}

} // namespace fika::core
