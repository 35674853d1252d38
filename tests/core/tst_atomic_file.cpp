// SPDX-License-Identifier: GPL-3.0-or-later
// Every kind of file Fika replaces survives kill -9 in the middle of a write: the old file or the new
// one is there afterwards, whole, never a mix or a cut.
#include <torch/torch.h> // before Qt: its headers use the word slots

#include "test_support.h"

#include "common/atomic_file.h"
#include "data/dataset_version.h"
#include "model/safetensors.h"
#include "train/encoded_cache.h"

#include <QTemporaryDir>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <random>

using namespace fika::core;

namespace {

// Writes version 0 of a file, then forks a child that writes versions 1, 0, 1, … over it without
// end and kills it with SIGKILL after a random moment, `rounds` times. Returns the contents seen
// after each kill.
std::vector<std::string> killWhileWriting(const std::string& path, const std::function<void(int version)>& write, int rounds)
{
    write(0);
    std::vector<std::string> seen;
    std::mt19937 random(7);
    for (int round = 0; round < rounds; ++round) {
        const pid_t child = ::fork();
        if (child == 0) {
            for (int version = 1;; version ^= 1)
                write(version);
        }
        ::usleep(2000 + random() % 30000);
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        seen.push_back(fika::test::readBytes(path));
    }
    return seen;
}

// What a file's two versions are, written once each in this process.
std::pair<std::string, std::string> bothVersions(const std::string& path, const std::function<void(int version)>& write)
{
    write(0);
    std::string first = fika::test::readBytes(path);
    write(1);
    std::string second = fika::test::readBytes(path);
    return {first, second};
}

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT
private:
    void check(const std::string& path, const std::function<void(int version)>& write)
    {
        const auto [first, second] = bothVersions(path, write);
        QVERIFY(first != second);
        int cut = 0;
        for (const std::string& content : killWhileWriting(path, write, 25))
            if (content != first && content != second)
                ++cut;
        QCOMPARE(cut, 0);
    }

private Q_SLOTS:
    void replacesAndKeepsTheMode()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("sub/file.txt")).toStdString();
        QVERIFY(writeFileAtomically(path, "one").ok());
        QCOMPARE(fika::test::readBytes(path), std::string("one"));
        ::chmod(path.c_str(), 0640);
        QVERIFY(writeFileAtomically(path, "two").ok());
        QCOMPARE(fika::test::readBytes(path), std::string("two"));
        struct stat info {};
        QCOMPARE(::stat(path.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0640u);
        // Nothing left beside it: the temporary file was renamed.
        QCOMPARE(std::distance(std::filesystem::directory_iterator(dir.filePath(QStringLiteral("sub")).toStdString()),
                               std::filesystem::directory_iterator()),
                 1);
    }

    // Replace::Never: a file that appears while the new one is being written is kept, not replaced
    // (a command told not to overwrite checks before its work and again at the rename).
    void neverReplaceKeepsAFileMadeMeanwhile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("report.html")).toStdString();
        AtomicFile file(path);
        QVERIFY(file.open().ok());
        QVERIFY(file.write(std::string("new")).ok());
        fika::test::writeBytes(path, "made meanwhile");
        const Status refused = file.commit(AtomicFile::Replace::Never);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::AlreadyExists);
        QVERIFY2(refused.error().message.find("nothing was replaced") != std::string::npos, refused.error().message.c_str());
        QCOMPARE(fika::test::readBytes(path), std::string("made meanwhile"));
        QCOMPARE(std::distance(std::filesystem::directory_iterator(dir.path().toStdString()), std::filesystem::directory_iterator()), 1);
        // Where nothing is, it writes as usual; a dangling symbolic link counts as something.
        const std::string fresh = dir.filePath(QStringLiteral("fresh.html")).toStdString();
        QVERIFY(writeFileAtomically(fresh, "first", AtomicFile::Replace::Never).ok());
        QCOMPARE(fika::test::readBytes(fresh), std::string("first"));
        const std::string link = dir.filePath(QStringLiteral("dangling.html")).toStdString();
        std::filesystem::create_symlink(dir.filePath(QStringLiteral("nowhere")).toStdString(), link);
        QVERIFY(!writeFileAtomically(link, "x", AtomicFile::Replace::Never).ok());
        QVERIFY(std::filesystem::is_symlink(link));
        // A name of 250 bytes (the limit is 255): its temporary file takes a short name of its own.
        const std::string longName = dir.filePath(QString(246, QLatin1Char('a')) + QStringLiteral(".txt")).toStdString();
        const Status written = writeFileAtomically(longName, "long");
        QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
        QCOMPARE(fika::test::readBytes(longName), std::string("long"));
    }

    void errorsNameTheFileAndLeaveTheOldOne()
    {
        QTemporaryDir dir;
        // A folder where the file should be: the rename fails (as root too), nothing is lost or left.
        const std::string path = dir.filePath(QStringLiteral("kept")).toStdString();
        std::filesystem::create_directories(path);
        fika::test::writeBytes(path + "/inside.txt", "old");
        const Status refused = writeFileAtomically(path, "new");
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.find(path + ": cannot be replaced") == 0, refused.error().message.c_str());
        QCOMPARE(fika::test::readBytes(path + "/inside.txt"), std::string("old"));
        QCOMPARE(std::distance(std::filesystem::directory_iterator(dir.path().toStdString()), std::filesystem::directory_iterator()), 1);
    }

    void plainFileSurvivesKill()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("plain.bin")).toStdString();
        check(path, [&](int version) { (void)writeFileAtomically(path, std::string(8u << 20, version ? 'b' : 'a')); });
    }

    void datasetVersionSurvivesKill()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("imdb-128.yaml")).toStdString();
        DatasetVersion version;
        version.name = "imdb-128";
        for (int i = 0; i < 20000; ++i) { // a long file, so that kills land inside writes
            version.classes.push_back("class " + std::to_string(i));
            version.classCounts.push_back(i);
        }
        check(path, [&](int which) {
            DatasetVersion v = version;
            v.name = which ? "imdb-256" : "imdb-128";
            (void)saveDatasetVersion(v, path);
        });
    }

    void encodedCacheSurvivesKill()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("cache/encoded.bin")).toStdString();
        CachedEncoding cache;
        cache.tokenizerDigest = "digest";
        cache.labelNames = {"negative", "positive"};
        for (int i = 0; i < 20000; ++i) {
            cache.encoded.ids.push_back(std::vector<int32_t>(100, i));
            cache.encoded.labels.push_back(i % 2);
        }
        check(path, [&](int which) {
            CachedEncoding c = cache;
            c.tokenizerDigest = which ? "other" : "digest";
            (void)saveEncodedCache(path, c);
        });
    }

    // A writer killed mid-write (kill -9, power loss) leaves its temporary file; the next use of the
    // folder removes it once it is an hour old and no writer holds its lock. A fresh one, one a live
    // writer holds, and every file not named like Fika's temporaries stay.
    void staleTemporariesAreRemoved()
    {
        QTemporaryDir dir;
        const std::filesystem::path folder = dir.path().toStdString();
        const auto make = [&](const std::string& name, bool old) {
            fika::test::writeBytes((folder / name).string(), std::string(1000, 'x'));
            if (old)
                std::filesystem::last_write_time(folder / name, std::filesystem::file_time_type::clock::now() - std::chrono::hours(2));
        };
        make(".a.bin.tmp-Ab3dE9", true);  // stale: removed
        make(".fika-q1W2e3", true);       // stale, the long names' pattern: removed
        make(".a.bin.tmp-Zz9yX8", false); // fresh: a writer may be at it
        for (const char* unrelated : {"a.bin", ".a.bin.tmp-", ".a.bin.tmp-abc", ".a.bin.tmp-abcdefg", "a.bin.tmp-Ab3dE9",
                                      ".fika-ab!cd1", ".a.bin.part", ".best.tmp-1234", ".tmp-Ab3dE9"})
            make(unrelated, true);
        std::filesystem::create_directory(folder / ".d.tmp-Ab3dE9"); // a folder, even of the pattern
        // A live writer's file, made to look old: its lock keeps it.
        AtomicFile live((folder / "live.bin").string());
        QVERIFY(live.open().ok());
        QVERIFY(live.write(std::string(1000, 'y')).ok());
        std::string liveTemporary;
        for (const auto& entry : std::filesystem::directory_iterator(folder))
            if (entry.path().filename().string().rfind(".live.bin.tmp-", 0) == 0)
                liveTemporary = entry.path().string();
        QVERIFY(!liveTemporary.empty());
        std::filesystem::last_write_time(liveTemporary, std::filesystem::file_time_type::clock::now() - std::chrono::hours(2));

        QCOMPARE(removeStaleTemporaries(folder.string()), uint64_t(2000));
        QVERIFY(!std::filesystem::exists(folder / ".a.bin.tmp-Ab3dE9"));
        QVERIFY(!std::filesystem::exists(folder / ".fika-q1W2e3"));
        QVERIFY(std::filesystem::exists(folder / ".a.bin.tmp-Zz9yX8"));
        QVERIFY(std::filesystem::exists(liveTemporary));
        for (const char* unrelated : {"a.bin", ".a.bin.tmp-", ".a.bin.tmp-abc", ".a.bin.tmp-abcdefg", "a.bin.tmp-Ab3dE9",
                                      ".fika-ab!cd1", ".a.bin.part", ".best.tmp-1234", ".tmp-Ab3dE9", ".d.tmp-Ab3dE9"})
            QVERIFY2(std::filesystem::exists(folder / unrelated), unrelated);
        QVERIFY(live.commit().ok());
        QCOMPARE(fika::test::readBytes((folder / "live.bin").string()), std::string(1000, 'y'));
    }

    // Rewriting a file removes the stale temporaries of that file name (other names wait for their own).
    void rewritingRemovesItsOwnStaleTemporaries()
    {
        QTemporaryDir dir;
        const std::filesystem::path folder = dir.path().toStdString();
        const auto old = std::filesystem::file_time_type::clock::now() - std::chrono::hours(2);
        for (const char* name : {".state.json.tmp-Ab3dE9", ".other.json.tmp-Ab3dE9"}) {
            fika::test::writeBytes((folder / name).string(), "left");
            std::filesystem::last_write_time(folder / name, old);
        }
        QVERIFY(writeFileAtomically((folder / "state.json").string(), "{}").ok());
        QVERIFY(!std::filesystem::exists(folder / ".state.json.tmp-Ab3dE9"));
        QVERIFY(std::filesystem::exists(folder / ".other.json.tmp-Ab3dE9"));
    }

    // The tokenized-data cache: a run killed while writing it leaves a temporary as big as the entry;
    // opening the cache later removes it once stale.
    void encodedCacheRemovesWhatAKilledWriterLeft()
    {
        QTemporaryDir dir;
        const std::filesystem::path folder = std::filesystem::path(dir.path().toStdString()) / "encoded";
        CachedEncoding cache;
        cache.tokenizerDigest = "digest";
        cache.labelNames = {"negative", "positive"};
        for (int i = 0; i < 20000; ++i) {
            cache.encoded.ids.push_back(std::vector<int32_t>(100, i));
            cache.encoded.labels.push_back(i % 2);
        }
        QVERIFY(saveEncodedCache(encodedCacheFile(folder.string(), "kept"), cache).ok());
        int rounds = 0;
        uintmax_t leftBytes = 0;
        std::vector<std::filesystem::path> left;
        for (; rounds < 40 && leftBytes == 0; ++rounds) {
            const pid_t child = ::fork();
            if (child == 0) {
                for (int key = 0;; ++key)
                    (void)saveEncodedCache(encodedCacheFile(folder.string(), "key" + std::to_string(key)), cache);
            }
            ::usleep(20000 + 7000 * rounds);
            ::kill(child, SIGKILL);
            int status = 0;
            ::waitpid(child, &status, 0);
            left.clear();
            leftBytes = 0;
            for (const auto& entry : std::filesystem::directory_iterator(folder))
                if (entry.path().filename().string().find(".bin.tmp-") != std::string::npos) {
                    left.push_back(entry.path());
                    leftBytes += entry.file_size();
                }
        }
        QVERIFY2(!left.empty(), "no kill landed inside a write");
        qInfo("%s", ("a kill left " + std::to_string(left.size()) + " temporary file(s), " + std::to_string(leftBytes) +
                     " bytes").c_str());
        QVERIFY(!loadEncodedCache(encodedCacheFile(folder.string(), "absent")));
        for (const auto& path : left) // fresh: kept, a writer may be at it
            QVERIFY(std::filesystem::exists(path));
        for (const auto& path : left)
            std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() - std::chrono::hours(2));
        QVERIFY(!loadEncodedCache(encodedCacheFile(folder.string(), "absent")));
        for (const auto& path : left)
            QVERIFY2(!std::filesystem::exists(path), path.c_str());
        QVERIFY(loadEncodedCache(encodedCacheFile(folder.string(), "kept"))); // the entries stay
    }

    void safetensorsSurviveKill()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("model.safetensors")).toStdString();
        const std::vector<float> zeros(2u << 20, 0.0f), ones(2u << 20, 1.0f);
        check(path, [&](int which) {
            const auto& data = which ? ones : zeros;
            (void)writeSafetensors(path, {{"weight", TensorDtype::F32, {static_cast<int64_t>(data.size())}, data.data(), data.size() * sizeof(float)}});
        });
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomic_file.moc"
