// SPDX-License-Identifier: GPL-3.0-or-later
// Downloads against a local HTTP server the test starts, serving files it creates: resume after a
// broken transfer, checksums (given and the hub's ETag), 404, an unreachable host, archive
// extraction that refuses "..", and a model and a dataset fetched from a local "hub".
#include "test_support.h"

#include "common/sha256.h"
#include "download/downloader.h"
#include "download/library.h"

#include <archive.h>
#include <archive_entry.h>
#include <httplib.h>

#include <QTemporaryDir>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

using namespace fika::core;

namespace {

std::string randomBytes(size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::string out(n, '\0');
    for (auto& c : out)
        c = static_cast<char>(rng());
    return out;
}

std::string sha256Of(const std::string& bytes)
{
    Sha256 hash;
    hash.update(bytes);
    return hash.hexDigest();
}

// A .tar.gz built with libarchive: name → content; a name ending in " -> TARGET" is a symlink.
std::string makeTarGz(const std::vector<std::pair<std::string, std::string>>& files)
{
    std::string out;
    archive* a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_format_pax_restricted(a);
    archive_write_open(
        a, &out, nullptr,
        [](archive*, void* user, const void* buffer, size_t length) -> la_ssize_t {
            static_cast<std::string*>(user)->append(static_cast<const char*>(buffer), length);
            return static_cast<la_ssize_t>(length);
        },
        nullptr);
    for (const auto& [name, content] : files) {
        archive_entry* entry = archive_entry_new();
        const auto arrow = name.find(" -> ");
        archive_entry_set_pathname(entry, name.substr(0, arrow).c_str());
        archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
        archive_entry_set_filetype(entry, arrow == std::string::npos ? AE_IFREG : AE_IFLNK);
        if (arrow != std::string::npos)
            archive_entry_set_symlink(entry, name.substr(arrow + 4).c_str());
        archive_entry_set_perm(entry, 0644);
        archive_write_header(a, entry);
        archive_write_data(a, content.data(), content.size());
        archive_entry_free(entry);
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

// A 1 MiB tmpfs mounted on a folder for the life of the object: a disk that fills up. Mounting needs
// root (or CAP_SYS_ADMIN); without it, ok() is false and why() says so.
class SmallDisk {
public:
    explicit SmallDisk(const std::string& dir) : m_dir(dir)
    {
        std::filesystem::create_directories(dir);
        m_mounted = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=1M") == 0;
        if (!m_mounted)
            m_why = "cannot mount a 1 MiB tmpfs on " + dir + " (" + std::strerror(errno) + ")";
    }
    ~SmallDisk()
    {
        if (m_mounted)
            ::umount2(m_dir.c_str(), MNT_DETACH);
    }
    bool ok() const { return m_mounted; }
    const std::string& why() const { return m_why; }

private:
    std::string m_dir;
    bool m_mounted = false;
    std::string m_why;
};

// The raw test servers' socket work: a listening socket on a free loopback port, a request's head
// read up to its blank line, an answer written whole.
int listenOnLoopback(int backlog, int& port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), size);
    ::listen(fd, backlog);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    port = ntohs(address.sin_port);
    return fd;
}

std::string readRequestHead(int client)
{
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t got = ::read(client, buffer, sizeof buffer);
        if (got <= 0)
            break;
        request.append(buffer, static_cast<size_t>(got));
    }
    return request;
}

void writeAll(int client, const std::string& answer)
{
    for (size_t sent = 0; sent < answer.size();) {
        const ssize_t wrote = ::write(client, answer.data() + sent, answer.size() - sent);
        if (wrote <= 0)
            break;
        sent += static_cast<size_t>(wrote);
    }
}

// A server that ignores Range (httplib honours it): one connection, answered 200 with the whole body.
class RawServer {
public:
    explicit RawServer(std::string body) : m_body(std::move(body))
    {
        m_socket = listenOnLoopback(1, m_port);
        m_thread = std::thread([this] {
            const int client = ::accept(m_socket, nullptr, nullptr);
            readRequestHead(client);
            const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(m_body.size()) +
                                       "\r\nConnection: close\r\n\r\n" + m_body;
            writeAll(client, answer);
            ::close(client);
        });
    }
    ~RawServer()
    {
        m_thread.join();
        ::close(m_socket);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/norange.bin"; }

private:
    std::string m_body;
    int m_socket = -1;
    int m_port = 0;
    std::thread m_thread;
};

enum class Validator { Etag, LastModified, None };

// A server whose file changes between two requests, as a real one answers (RFC 9110): the first
// request gets version 1 with its validator (an ETag, only a Last-Modified, or none) and breaks off
// half-way; later ones get version 2, as a 206 of the rest when the request's If-Range matches
// version 2's validator (or it has no If-Range), else as a 200 of the whole file.
class ChangingServer {
public:
    ChangingServer(std::string first, std::string second, Validator kind)
        : m_bodies{std::move(first), std::move(second)}, m_kind(kind)
    {
        m_socket = listenOnLoopback(4, m_port);
        m_thread = std::thread([this] {
            for (int version = 0; version < 2; ++version)
                serve(version);
        });
    }
    ~ChangingServer()
    {
        ::shutdown(m_socket, SHUT_RDWR); // ends an accept() no download came for
        m_thread.join();
        ::close(m_socket);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/config.json"; }
    std::string lastRequest() const
    {
        std::lock_guard<std::mutex> guard(m_mutex);
        return m_lastRequest;
    }

private:
    std::string validator(int version) const
    {
        if (m_kind == Validator::Etag)
            return "\"v" + std::to_string(version + 1) + "\"";
        if (m_kind == Validator::LastModified)
            return version == 0 ? "Mon, 01 Jan 2024 10:00:00 GMT" : "Tue, 02 Jan 2024 10:00:00 GMT";
        return {};
    }
    static std::string header(const std::string& request, const std::string& name)
    {
        std::string lower = request;
        for (auto& c : lower)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto at = lower.find("\r\n" + name + ":");
        if (at == std::string::npos)
            return {};
        auto from = at + 3 + name.size();
        while (from < request.size() && request[from] == ' ')
            ++from;
        return request.substr(from, request.find("\r\n", from) - from);
    }
    void serve(int version)
    {
        const int client = ::accept(m_socket, nullptr, nullptr);
        if (client < 0)
            return;
        const std::string request = readRequestHead(client);
        {
            std::lock_guard<std::mutex> guard(m_mutex);
            m_lastRequest = request;
        }
        const std::string& body = m_bodies[version];
        const std::string range = header(request, "range"), ifRange = header(request, "if-range");
        size_t from = 0;
        if (range.rfind("bytes=", 0) == 0 && (ifRange.empty() || ifRange == validator(version)))
            from = std::stoul(range.substr(6));
        std::string answer = std::string(from > 0 ? "HTTP/1.1 206 Partial Content" : "HTTP/1.1 200 OK") +
                             "\r\nContent-Length: " + std::to_string(body.size() - from) + "\r\n";
        if (m_kind != Validator::None)
            answer += (m_kind == Validator::Etag ? "ETag: " : "Last-Modified: ") + validator(version) + "\r\n";
        if (from > 0)
            answer += "Content-Range: bytes " + std::to_string(from) + "-" + std::to_string(body.size() - 1) + "/" +
                      std::to_string(body.size()) + "\r\n";
        answer += "Connection: close\r\n\r\n" + body.substr(from, version == 0 ? body.size() / 2 : std::string::npos);
        writeAll(client, answer);
        ::close(client);
    }

    std::string m_bodies[2];
    Validator m_kind;
    int m_socket = -1;
    int m_port = 0;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::string m_lastRequest;
};

} // namespace

class TestDownload : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_payload = randomBytes(3 << 20, 1);
        m_otherWeights = randomBytes(1 << 16, 2);
        m_archive = makeTarGz({{"aclImdb/train/pos/0_9.txt", "A fine film."}, {"aclImdb/train/neg/1_2.txt", "Dull."},
                               {"aclImdb/README", "sample"}});
        m_server.Get("/file.bin", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content(m_payload, "application/octet-stream");
        });
        // Breaks off half-way the first time, then serves whole files and ranges.
        m_server.Get("/flaky.bin", [this](const httplib::Request&, httplib::Response& res) {
            const bool breakNow = m_flakyCalls++ == 0;
            res.set_content_provider(m_payload.size(), "application/octet-stream",
                                     [this, breakNow](size_t offset, size_t length, httplib::DataSink& sink) {
                                         if (breakNow && offset >= m_payload.size() / 2)
                                             return false;
                                         const size_t chunk = std::min<size_t>(length, 64 << 10);
                                         sink.write(m_payload.data() + offset, chunk);
                                         return true;
                                     });
        });
        m_server.Get("/imdb.tar.gz", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content(m_archive, "application/gzip");
        });
        // 3 MiB of reviews that pack into a few KiB: the archive fits a small disk, its contents do not.
        m_server.Get("/big.tar.gz", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(makeTarGz({{"aclImdb/train/pos/0_9.txt", "Fine."},
                                       {"aclImdb/train/neg/1_2.txt", std::string(3 << 20, 'x')}}),
                            "application/gzip");
        });
        // The hub as huggingface.co answers for large files: 302 to a CDN with the SHA-256 in
        // X-Linked-Etag; the CDN sends the body with an ETag of its own.
        // /hub/<linked>/<cdn-etag>/model.safetensors redirects to /cdn/<cdn-etag>/model.safetensors.
        m_server.Get(R"(/hub/(\w+)/(\w+)/model\.safetensors)", [](const httplib::Request& req, httplib::Response& res) {
            res.status = 302;
            res.set_header("X-Linked-Etag", "\"" + std::string(req.matches[1]) + "\"");
            res.set_header("ETag", "\"" + std::string(40, 'c') + "\"");
            res.set_header("Location", "/cdn/" + std::string(req.matches[2]) + "/model.safetensors");
        });
        m_server.Get(R"(/cdn/(\w+)/model\.safetensors)", [this](const httplib::Request& req, httplib::Response& res) {
            res.set_header("ETag", "\"" + std::string(req.matches[1]) + "\"");
            res.set_content(m_payload, "application/octet-stream");
        });
        // Answers that carry no file: no content, a redirect to nowhere.
        m_server.Get("/nocontent", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
        m_server.Get("/moved-nowhere", [](const httplib::Request&, httplib::Response& res) {
            res.status = 302;
            res.set_content("<html>Moved</html>", "text/html");
        });
        m_server.Get("/loop", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop"); });
        // A slow server: 64 KiB every 20 ms, so that a second download starts while the first runs.
        m_server.Get("/slow.bin", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content_provider(m_payload.size(), "application/octet-stream",
                                     [this](size_t offset, size_t length, httplib::DataSink& sink) {
                                         std::this_thread::sleep_for(std::chrono::milliseconds(20));
                                         sink.write(m_payload.data() + offset, std::min<size_t>(length, 64 << 10));
                                         return true;
                                     });
        });
        m_server.Get("/evil.tar.gz", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(makeTarGz({{"../escaped.txt", "outside"}}), "application/gzip");
        });
        // A local "hub": org/tiny has config, vocab and model.safetensors (no sharded index).
        m_server.Get(R"(/org/tiny/resolve/main/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
            const std::string file = req.matches[1];
            if (file == "config.json")
                res.set_content("{\"model_type\": \"bert\"}", "application/json");
            else if (file == "vocab.txt")
                res.set_content("[PAD]\n[UNK]\n", "text/plain");
            else if (file == "model.safetensors") {
                res.set_header("X-Linked-Etag", "\"" + sha256Of(m_payload) + "\"");
                res.set_content(m_payload, "application/octet-stream");
            } else
                res.status = 404;
        });
        // Another model, org/other: every file differs from org/tiny's.
        m_server.Get(R"(/org/other/resolve/main/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
            const std::string file = req.matches[1];
            if (file == "config.json")
                res.set_content(otherConfig(), "application/json");
            else if (file == "vocab.txt")
                res.set_content(otherVocab(), "text/plain");
            else if (file == "model.safetensors")
                res.set_content(m_otherWeights, "application/octet-stream");
            else
                res.status = 404;
        });
        m_server.Get(R"(/org/lying/resolve/main/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
            const std::string file = req.matches[1];
            if (file == "model.safetensors") {
                res.set_header("X-Linked-Etag", "\"" + std::string(64, 'a') + "\"");
                res.set_content(m_payload, "application/octet-stream");
            } else if (file == "config.json" || file == "vocab.txt")
                res.set_content("x", "text/plain");
            else
                res.status = 404;
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        QVERIFY(m_port > 0);
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }

    void cleanupTestCase()
    {
        m_server.stop();
        m_thread.join();
    }

    void downloadsAndVerifies()
    {
        const std::string file = m_dir.filePath(QStringLiteral("a/file.bin")).toStdString();
        DownloadOptions options;
        options.expectedSha256 = sha256Of(m_payload);
        int64_t lastDone = 0;
        JobContext context;
        context.progress = [&](int64_t done, int64_t) { lastDone = done; };
        options.context = &context;
        auto report = downloadFile(url("/file.bin"), file, options);
        QVERIFY2(report.ok(), report.error().message.c_str());
        QVERIFY(report->sha256 == options.expectedSha256);
        QVERIFY(fika::test::readBytes(file) == m_payload);
        QCOMPARE(lastDone, int64_t(m_payload.size()));
        QVERIFY(!std::filesystem::exists(file + ".part"));
    }

    void resumesABrokenDownload()
    {
        const std::string file = m_dir.filePath(QStringLiteral("flaky.bin")).toStdString();
        auto first = downloadFile(url("/flaky.bin"), file);
        QVERIFY(!first.ok());
        QVERIFY2(first.error().message.find("resumes") != std::string::npos, first.error().message.c_str());
        QVERIFY(!std::filesystem::exists(file));
        const auto partial = std::filesystem::file_size(file + ".part");
        QVERIFY(partial > 0 && partial < m_payload.size());
        DownloadOptions options;
        options.expectedSha256 = sha256Of(m_payload);
        auto second = downloadFile(url("/flaky.bin"), file, options);
        QVERIFY2(second.ok(), second.error().message.c_str());
        QCOMPARE(second->resumedFrom, int64_t(partial));
        QVERIFY(fika::test::readBytes(file) == m_payload);
    }

    // A file without a checksum whose server changed it between an interrupted attempt and the
    // resume: the resume sends the first attempt's validator in If-Range, the server answers with the
    // whole new file, and that is what lands, never the old half spliced onto the new rest. With no
    // validator at all, nothing could tell, so the download starts over.
    void resumeOfAChangedFileTakesTheNewFileWhole_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("ETag") << int(Validator::Etag);
        QTest::newRow("Last-Modified only") << int(Validator::LastModified);
        QTest::newRow("no validator") << int(Validator::None);
    }

    void resumeOfAChangedFileTakesTheNewFileWhole()
    {
        QFETCH(int, kind);
        const std::string oldFile = "{\"model_type\": \"bert\", \"hidden_size\": 768, \"layers\": \"" + std::string(4000, 'a') + "\"}";
        const std::string newFile = "{\"model_type\": \"bert\", \"hidden_size\": 128, \"layers\": \"" + std::string(4000, 'b') + "\"}";
        const std::string file = m_dir.filePath(QStringLiteral("changing/%1/config.json").arg(QTest::currentDataTag())).toStdString();
        ChangingServer server(oldFile, newFile, Validator(kind));
        auto first = downloadFile(server.url(), file);
        QVERIFY2(!first.ok(), "the first attempt was meant to break off");
        QVERIFY(std::filesystem::file_size(file + ".part") > 0);
        QCOMPARE(std::filesystem::exists(file + ".part.etag"), Validator(kind) != Validator::None);
        auto second = downloadFile(server.url(), file);
        QVERIFY2(second.ok(), second.error().message.c_str());
        QVERIFY2(fika::test::readBytes(file) == newFile, "the old file's start was spliced onto the new file's rest");
        const bool sentWith = server.lastRequest().find(Validator(kind) == Validator::None ? "Range: " : "If-Range: ") != std::string::npos;
        QVERIFY2(sentWith == (Validator(kind) != Validator::None), server.lastRequest().c_str());
        QCOMPARE(second->resumedFrom, int64_t(0));
        QVERIFY(!std::filesystem::exists(file + ".part"));
        QVERIFY(!std::filesystem::exists(file + ".part.etag"));
    }

    void wrongChecksumIsDiscarded()
    {
        const std::string file = m_dir.filePath(QStringLiteral("bad.bin")).toStdString();
        DownloadOptions options;
        options.expectedSha256 = std::string(64, '0');
        auto report = downloadFile(url("/file.bin"), file, options);
        QVERIFY(!report.ok());
        QVERIFY(report.error().message.find("checksum mismatch") != std::string::npos);
        QCOMPARE(report.error().code, ErrorCode::ChecksumMismatch);
        QVERIFY(!std::filesystem::exists(file));
        QVERIFY(!std::filesystem::exists(file + ".part"));
    }

    void notFoundAndUnreachable()
    {
        const std::string file = m_dir.filePath(QStringLiteral("none.bin")).toStdString();
        auto missing = downloadFile(url("/none.bin"), file);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().code == ErrorCode::FileNotFound);
        QVERIFY(!std::filesystem::exists(file + ".part"));
        DownloadOptions quick;
        quick.connectTimeoutSeconds = 5;
        auto offline = downloadFile("http://127.0.0.1:1/file.bin", file, quick);
        QVERIFY(!offline.ok());
        QVERIFY2(offline.error().message.find("cannot reach 127.0.0.1:1") != std::string::npos, offline.error().message.c_str());
        QVERIFY(offline.error().message.find("Use a local folder") != std::string::npos);
        QCOMPARE(offline.error().code, ErrorCode::NetworkError);
    }

    // A 2xx or 3xx answer without the file is no file (a 204, a 302 with no Location), and a
    // redirect loop says so rather than promising a resume.
    void answersWithoutTheFileAreRefused_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("204 No Content") << QStringLiteral("/nocontent") << QStringLiteral("HTTP 204 without the file");
        QTest::newRow("302 without a Location") << QStringLiteral("/moved-nowhere") << QStringLiteral("HTTP 302 without the file");
        QTest::newRow("redirect loop") << QStringLiteral("/loop") << QStringLiteral("redirects in circles");
    }

    void answersWithoutTheFileAreRefused()
    {
        QFETCH(QString, path);
        QFETCH(QString, message);
        const std::string file = m_dir.filePath(QStringLiteral("nofile/%1").arg(QTest::currentDataTag())).toStdString();
        auto report = downloadFile(url(path.toStdString()), file);
        QVERIFY2(!report.ok(), "an answer without the file was taken for the file");
        QVERIFY2(report.error().message.find(message.toStdString()) != std::string::npos, report.error().message.c_str());
        QVERIFY(!std::filesystem::exists(file));
        QVERIFY(!std::filesystem::exists(file + ".part"));
    }

    // A server that ignores the Range sends the whole file: it replaces the .part (whatever that
    // held) instead of being appended to it or refused.
    void serverIgnoringTheRangeStartsOver()
    {
        const std::string file = m_dir.filePath(QStringLiteral("norange.bin")).toStdString();
        fika::test::writeBytes(file + ".part", randomBytes(1 << 20, 7)); // not even the file's start
        DownloadOptions options;
        options.expectedSha256 = sha256Of(m_payload);
        RawServer server(m_payload);
        auto report = downloadFile(server.url(), file, options);
        QVERIFY2(report.ok(), report.error().message.c_str());
        QCOMPARE(report->resumedFrom, int64_t(0));
        QVERIFY(fika::test::readBytes(file) == m_payload);
        QVERIFY(!std::filesystem::exists(file + ".part"));
    }

    // Two downloads of the same file at once: the second is refused while the first runs (it wrote
    // into the first's .part: a checksum mismatch, or a corrupt file without a checksum), and the
    // first's file is whole.
    void aSecondDownloadOfTheSameFileIsRefused()
    {
        const std::string file = m_dir.filePath(QStringLiteral("twice/slow.bin")).toStdString();
        DownloadOptions options;
        options.expectedSha256 = sha256Of(m_payload);
        std::atomic<bool> started{false};
        JobContext context;
        context.progress = [&](int64_t done, int64_t) {
            if (done > 0)
                started = true;
        };
        options.context = &context;
        Result<DownloadReport> first = makeError(ErrorCode::IoError, "not run");
        std::thread firstThread([&] { first = downloadFile(url("/slow.bin"), file, options); });
        while (!started)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        DownloadOptions plain;
        plain.expectedSha256 = options.expectedSha256;
        auto second = downloadFile(url("/slow.bin"), file, plain);
        firstThread.join();
        QVERIFY2(first.ok(), first.error().message.c_str());
        QVERIFY2(!second.ok(), "two downloads wrote the same file at once");
        QCOMPARE(second.error().code, ErrorCode::AlreadyExists);
        QVERIFY2(second.error().message.find("is being downloaded by another Fika") != std::string::npos,
                 second.error().message.c_str());
        QVERIFY(fika::test::readBytes(file) == m_payload);
    }

    // The SHA-256 the hub sends before its redirect is what the CDN's body must hash to, whatever
    // the CDN's own ETag says (huggingface_hub checks the same way).
    void hubRedirectKeepsTheLinkedEtag_data()
    {
        QTest::addColumn<QString>("linked");
        QTest::addColumn<QString>("cdnEtag");
        QTest::addColumn<bool>("accepted");
        const QString body = QString::fromStdString(sha256Of(m_payload));
        const QString other = QString(64, QLatin1Char('b'));
        const QString md5Like = QString(32, QLatin1Char('d'));
        QTest::newRow("hub right, CDN ETag no SHA-256") << body << md5Like << true;
        QTest::newRow("hub right, CDN ETag another SHA-256") << body << other << true;
        QTest::newRow("hub wrong, CDN ETag no SHA-256") << other << md5Like << false;
        QTest::newRow("hub wrong, CDN ETag the body's SHA-256") << other << body << false;
    }

    void hubRedirectKeepsTheLinkedEtag()
    {
        QFETCH(QString, linked);
        QFETCH(QString, cdnEtag);
        QFETCH(bool, accepted);
        const std::string file = m_dir.filePath(QStringLiteral("hub/%1/model.safetensors").arg(QTest::currentDataTag())).toStdString();
        auto report = downloadFile(url("/hub/" + linked.toStdString() + "/" + cdnEtag.toStdString() + "/model.safetensors"), file);
        if (accepted) {
            QVERIFY2(report.ok(), report.error().message.c_str());
            QVERIFY(fika::test::readBytes(file) == m_payload);
            return;
        }
        QVERIFY2(!report.ok(), "a body that does not match the hub's X-Linked-Etag was accepted");
        QVERIFY2(report.error().message.find("checksum mismatch") != std::string::npos, report.error().message.c_str());
        QVERIFY2(report.error().message.find("expected " + linked.toStdString()) != std::string::npos,
                 report.error().message.c_str());
        QVERIFY(!std::filesystem::exists(file));
        QVERIFY(!std::filesystem::exists(file + ".part"));
    }

    // A disk that fills up during extraction: an error naming the file, and nothing marked complete.
    void fullDiskLeavesNothingComplete()
    {
        const std::string cache = m_dir.filePath(QStringLiteral("small")).toStdString();
        SmallDisk disk(cache);
        if (!disk.ok())
            QSKIP(disk.why().c_str());
        const std::string archive = cache + "/direct/big.tar.gz";
        QVERIFY(downloadFile(url("/big.tar.gz"), archive).ok());
        auto extracted = extractArchive(archive, cache + "/direct/out");
        QVERIFY2(!extracted.ok(), "extraction onto a full disk succeeded");
        QVERIFY2(extracted.error().message.find("1_2.txt") != std::string::npos, extracted.error().message.c_str());
        QCOMPARE(extracted.error().code, ErrorCode::DiskFull);
        std::filesystem::remove_all(cache + "/direct");

        Catalog catalog;
        catalog.datasets.push_back({"big", "big", url("/big.tar.gz"), "", "aclImdb"});
        for (int attempt = 0; attempt < 2; ++attempt) { // the second attempt does not trust the first
            auto folder = fetchDataset(catalog, "big", cache);
            QVERIFY2(!folder.ok(), "a dataset extracted onto a full disk was accepted");
            QVERIFY2(folder.error().message.find("1_2.txt") != std::string::npos, folder.error().message.c_str());
            QVERIFY(!std::filesystem::exists(cache + "/datasets/big/.complete"));
            QVERIFY(!std::filesystem::exists(cache + "/datasets/big/aclImdb")); // the partial folder is gone
        }
    }

    void extractionRefusesEscapes()
    {
        const std::string archive = m_dir.filePath(QStringLiteral("evil/evil.tar.gz")).toStdString();
        QVERIFY(downloadFile(url("/evil.tar.gz"), archive).ok());
        const std::string into = m_dir.filePath(QStringLiteral("evil/out")).toStdString();
        auto extracted = extractArchive(archive, into);
        QVERIFY(!extracted.ok());
        QCOMPARE(extracted.error().code, ErrorCode::ArchiveInvalid);
        QVERIFY(!std::filesystem::exists(m_dir.filePath(QStringLiteral("evil/escaped.txt")).toStdString()));
    }

    // A symlink whose target lies outside the folder (absolute, or climbing out with "..") is
    // refused: the folder import would follow it and read the user's files as reviews. One that
    // stays inside is kept.
    void extractionRefusesLinksOutside_data()
    {
        QTest::addColumn<QString>("link");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("absolute") << QStringLiteral("aclImdb/train/pos -> /etc") << false;
        QTest::newRow("climbing out") << QStringLiteral("aclImdb/train/pos -> ../../../outside") << false;
        QTest::newRow("inside") << QStringLiteral("aclImdb/test -> train") << true;
    }

    void extractionRefusesLinksOutside()
    {
        QFETCH(QString, link);
        QFETCH(bool, accepted);
        const std::string base = m_dir.filePath(QStringLiteral("links/%1").arg(QTest::currentDataTag())).toStdString();
        const std::string archive = base + "/links.tar.gz";
        fika::test::writeBytes(archive, makeTarGz({{"aclImdb/README", "sample"}, {link.toStdString(), ""}}));
        auto extracted = extractArchive(archive, base + "/out");
        if (accepted) {
            QVERIFY2(extracted.ok(), extracted.error().message.c_str());
            QVERIFY(std::filesystem::is_symlink(base + "/out/aclImdb/test"));
            return;
        }
        QVERIFY2(!extracted.ok(), "a link out of the folder was extracted");
        QCOMPARE(extracted.error().code, ErrorCode::ArchiveInvalid);
        QVERIFY2(extracted.error().message.find("aclImdb/train/pos") != std::string::npos, extracted.error().message.c_str());
        QVERIFY(!std::filesystem::exists(std::filesystem::symlink_status(base + "/out/aclImdb/train/pos")));
    }

    void fetchesADatasetAndModels()
    {
        Catalog catalog;
        catalog.hub = url("");
        catalog.datasets.push_back({"imdb", "IMDB", url("/imdb.tar.gz"), sha256Of(m_archive), "aclImdb"});
        catalog.models.push_back({"tiny", "tiny", "org/tiny", "main"});
        catalog.models.push_back({"lying", "lying", "org/lying", "main"});
        const std::string cache = m_dir.filePath(QStringLiteral("cache")).toStdString();
        auto folder = fetchDataset(catalog, "imdb", cache);
        QVERIFY2(folder.ok(), folder.error().message.c_str());
        QVERIFY(fika::test::readBytes(folder.value() + "/train/pos/0_9.txt") == "A fine film.");
        QVERIFY(fetchDataset(catalog, "imdb", cache).ok()); // done work is not repeated

        auto model = fetchModel(catalog, "tiny", cache);
        QVERIFY2(model.ok(), model.error().message.c_str());
        QVERIFY(fika::test::readBytes(model.value() + "/model.safetensors") == m_payload);
        QVERIFY(std::filesystem::exists(model.value() + "/config.json"));
        QVERIFY(cachedModels(catalog, cache) == std::vector<std::string>{"tiny"});
        auto lying = fetchModel(catalog, "lying", cache); // the hub's ETag does not match the bytes
        QVERIFY(!lying.ok());
        QVERIFY(lying.error().message.find("checksum mismatch") != std::string::npos);
        QVERIFY(!fetchModel(catalog, "unknown", cache).ok());
    }

    // A model folder whose files came from elsewhere (the catalog's id now names another repo, or
    // another model was unpacked there) starts anew: every file of the result is the repo's, never
    // the other model's config, vocab or weights beside the new ones.
    void aModelFolderFromAnotherSourceStartsAnew_data()
    {
        QTest::addColumn<bool>("fetchedBefore"); // else another model's files were put there by hand
        QTest::newRow("id moved to another repo") << true;
        QTest::newRow("another model unpacked there") << false;
    }

    void aModelFolderFromAnotherSourceStartsAnew()
    {
        QFETCH(bool, fetchedBefore);
        const std::string cache = m_dir.filePath(QStringLiteral("moved/%1").arg(QTest::currentDataTag())).toStdString();
        const std::string folder = cache + "/models/base";
        Catalog catalog;
        catalog.hub = url("");
        if (fetchedBefore) {
            catalog.models.push_back({"base", "base", "org/tiny", "main"});
            auto first = fetchModel(catalog, "base", cache);
            QVERIFY2(first.ok(), first.error().message.c_str());
            QVERIFY(fika::test::readBytes(folder + "/model.safetensors") == m_payload);
        } else {
            fika::test::writeBytes(folder + "/config.json", "{\"model_type\": \"bert\", \"hidden_size\": 768}");
            fika::test::writeBytes(folder + "/vocab.txt", "[PAD]\n[UNK]\nunpacked\n");
            fika::test::writeBytes(folder + "/pytorch_model.bin", "weights of another model");
        }
        catalog.models = {{"base", "base", "org/other", "main"}};
        auto second = fetchModel(catalog, "base", cache);
        QVERIFY2(second.ok(), second.error().message.c_str());
        QVERIFY2(fika::test::readBytes(folder + "/config.json") == otherConfig(), "another model's config.json was kept");
        QVERIFY2(fika::test::readBytes(folder + "/vocab.txt") == otherVocab(), "another model's vocab.txt was kept");
        QVERIFY2(fika::test::readBytes(folder + "/model.safetensors") == m_otherWeights, "another model's weights were kept");
        QVERIFY2(!std::filesystem::exists(folder + "/pytorch_model.bin"), "another model's weights stayed beside the new ones");
        QVERIFY(cachedModels(catalog, cache) == std::vector<std::string>{"base"});

        // An id that is no plain name would put the folder to start anew outside models/: refused.
        catalog.models = {{"..", "up", "org/other", "main"}};
        auto refused = fetchModel(catalog, "..", cache);
        QVERIFY2(!refused.ok(), "a model id '..' was fetched");
        QVERIFY2(refused.error().message.find("plain name") != std::string::npos, refused.error().message.c_str());
        QVERIFY(fika::test::readBytes(folder + "/config.json") == otherConfig());
        // So would a dataset's id or folder: refused before anything is emptied.
        const std::string outside = cache + "/datasets/keep.txt";
        fika::test::writeBytes(outside, "mine");
        for (const auto& [datasetId, subfolder] : {std::pair{std::string(".."), std::string("aclImdb")},
                                                   std::pair{std::string("imdb"), std::string("..")}}) {
            catalog.datasets = {{datasetId, "IMDB", url("/imdb.tar.gz"), "", subfolder}};
            auto dataset = fetchDataset(catalog, datasetId, cache);
            QVERIFY2(!dataset.ok(), "a dataset id or folder '..' was fetched");
            QVERIFY2(dataset.error().message.find("plain name") != std::string::npos, dataset.error().message.c_str());
        }
        QVERIFY(fika::test::readBytes(outside) == "mine");
    }

    // While another Fika fetches a dataset (it holds the folder's lock, extracting), a second fetch
    // is refused instead of emptying the folder under it; once it is done, the fetch goes ahead.
    void aSecondFetchOfTheSameDatasetIsRefused()
    {
        Catalog catalog;
        catalog.datasets.push_back({"imdb", "IMDB", url("/imdb.tar.gz"), sha256Of(m_archive), "aclImdb"});
        const std::string cache = m_dir.filePath(QStringLiteral("busy")).toStdString();
        const std::string base = cache + "/datasets/imdb";
        fika::test::writeBytes(base + "/aclImdb/train/pos/0_9.txt", "being extracted");
        const int other = ::open(base.c_str(), O_RDONLY | O_DIRECTORY);
        QVERIFY(other >= 0);
        QCOMPARE(::flock(other, LOCK_EX | LOCK_NB), 0);
        auto refused = fetchDataset(catalog, "imdb", cache);
        QVERIFY2(!refused.ok(), "a second fetch emptied the folder another one was extracting into");
        QCOMPARE(refused.error().code, ErrorCode::AlreadyExists);
        QVERIFY2(refused.error().message.find("is being downloaded by another Fika") != std::string::npos,
                 refused.error().message.c_str());
        QVERIFY(fika::test::readBytes(base + "/aclImdb/train/pos/0_9.txt") == "being extracted");
        ::close(other);
        auto folder = fetchDataset(catalog, "imdb", cache);
        QVERIFY2(folder.ok(), folder.error().message.c_str());
        QVERIFY(fika::test::readBytes(folder.value() + "/train/pos/0_9.txt") == "A fine film.");
    }

    void bundledCatalogReads()
    {
        auto catalog = loadCatalog(fika::test::sourcePath("resources/catalog.yaml"));
        QVERIFY2(catalog.ok(), catalog.error().message.c_str());
        QCOMPARE(catalog->datasets.size(), size_t(1));
        QVERIFY(catalog->datasets[0].url == "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz");
        QCOMPARE(catalog->models.size(), size_t(6));
        const std::string bad = m_dir.filePath(QStringLiteral("bad.yaml")).toStdString();
        fika::test::writeBytes(bad, "schema_version: 1\nmodels:\n  - id: x\n    repository: y\n");
        auto refused = loadCatalog(bad);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.find("models[0].repository: unknown key") != std::string::npos,
                 refused.error().message.c_str());
    }

private:
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(m_port) + path; }

    QTemporaryDir m_dir;
    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
    static std::string otherConfig() { return "{\"model_type\": \"bert\", \"hidden_size\": 128}"; }
    static std::string otherVocab() { return "[PAD]\n[UNK]\nother\n"; }

    std::string m_payload, m_archive, m_otherWeights;
    std::atomic<int> m_flakyCalls{0};
};

QTEST_GUILESS_MAIN(TestDownload)
#include "tst_download.moc"
