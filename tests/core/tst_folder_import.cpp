// SPDX-License-Identifier: GPL-3.0-or-later
#include "test_support.h"

#include "data/folder_import.h"

#include <QTemporaryDir>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace fika::core;

class TestFolderImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void importsOneFolderPerClass()
    {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        fika::test::writeBytes(root + "/happy/1.txt", "What a joy.");
        fika::test::writeBytes(root + "/happy/2.txt", "Lovely.");
        fika::test::writeBytes(root + "/sad/1.txt", "Gloomy.");
        fika::test::writeBytes(root + "/sad/notes.md", "not a text example");
        auto result = importFolder(root);
        QVERIFY2(result.ok(), result.error().message.c_str());
        QCOMPARE(result->dataset.labelMap.names, (std::vector<std::string>{"happy", "sad"}));
        QCOMPARE(result->dataset.texts, (std::vector<std::string>{"What a joy.", "Lovely.", "Gloomy."}));
        QCOMPARE(result->dataset.labels, (std::vector<int32_t>{0, 0, 1}));
    }

    void readsTheAclImdbLayout()
    {
        FIKA_REQUIRE_SHARED("data/imdb/aclImdb-sample/train/pos");
        const std::string root = fika::test::sharedPath("data/imdb/aclImdb-sample");
        for (const std::string split : {"train", "test"}) {
            FolderImportOptions options;
            options.split = split;
            auto result = importFolder(root, options);
            QVERIFY2(result.ok(), result.error().message.c_str());
            QCOMPARE(result->dataset.labelMap.names, (std::vector<std::string>{"neg", "pos"}));
            const auto counts = result->dataset.classCounts();
            const auto files = [&](const char* cls) {
                int64_t n = 0;
                for (const auto& e : std::filesystem::directory_iterator(root + "/" + split + "/" + cls))
                    n += e.path().extension() == ".txt";
                return n;
            };
            QCOMPARE(counts[0], files("neg"));
            QCOMPARE(counts[1], files("pos"));
            QCOMPARE(result->report.invalidRows, int64_t(0));
        }
    }

    // What the Datasets view offers under Split: aclImdb's train/ and test/ with their file counts,
    // nothing for a folder that holds its class folders itself.
    void listsTheSplitFolders()
    {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        fika::test::writeBytes(root + "/train/pos/1.txt", "Fine.");
        fika::test::writeBytes(root + "/train/neg/1.txt", "Dull.");
        fika::test::writeBytes(root + "/train/neg/2.txt", "Duller.");
        fika::test::writeBytes(root + "/train/unsup/1.txt", "Unlabelled.");
        fika::test::writeBytes(root + "/test/pos/1.txt", "Good.");
        fika::test::writeBytes(root + "/test/neg/1.txt", "Bad.");
        std::filesystem::create_directories(root + "/empty/pos");
        const auto splits = listSplitFolders(root);
        QCOMPARE(splits.size(), size_t(2));
        QCOMPARE(splits[0].name, std::string("test"));
        QCOMPARE(splits[0].fileCount, int64_t(2));
        QCOMPARE(splits[1].name, std::string("train"));
        QCOMPARE(splits[1].fileCount, int64_t(3)); // unsup/ is not imported, so not counted
        QVERIFY(listSplitFolders(root + "/train").empty());
        QVERIFY(listSplitFolders(root + "/nonexistent").empty());
    }

    void badFolders_data()
    {
        QTest::addColumn<QStringList>("files"); // relative path = content
        QTest::addColumn<int>("errorCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty folder") << QStringList{} << static_cast<int>(ErrorCode::NoData)
                                      << QStringLiteral("no class sub-folders with .txt files");
        QTest::newRow("one class") << QStringList{QStringLiteral("pos/1.txt=good")}
                                   << static_cast<int>(ErrorCode::TooFewClasses)
                                   << QStringLiteral("only one class folder ('pos')");
        QTest::newRow("only unsup") << QStringList{QStringLiteral("train/unsup/1.txt=x")}
                                    << static_cast<int>(ErrorCode::NoData) << QStringLiteral("no class sub-folders");
        QTest::newRow("second class all empty")
            << QStringList{QStringLiteral("pos/1.txt=good"), QStringLiteral("neg/1.txt=")}
            << static_cast<int>(ErrorCode::TooFewClasses) << QStringLiteral("fewer than two classes");
    }
    void badFolders()
    {
        QFETCH(QStringList, files);
        QFETCH(int, errorCode);
        QFETCH(QString, message);
        QTemporaryDir dir;
        for (const QString& spec : files) {
            const auto parts = spec.split(QLatin1Char('='));
            fika::test::writeBytes(dir.filePath(parts[0]).toStdString(), parts[1].toStdString());
        }
        auto result = importFolder(dir.path().toStdString());
        QCOMPARE(static_cast<int>(result.error().code), errorCode);
        QVERIFY2(result.error().message.find(message.toStdString()) != std::string::npos, result.error().message.c_str());
    }

    void badFilesAreSkippedAndListed()
    {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        fika::test::writeBytes(root + "/pos/1.txt", "good");
        fika::test::writeBytes(root + "/pos/2.txt", "   \n");
        fika::test::writeBytes(root + "/neg/1.txt", std::string("bin\0ary", 7));
        fika::test::writeBytes(root + "/neg/2.txt", "bad");
        fika::test::writeBytes(root + "/neg/3.txt", "mauvais caf\xE9 tr\xE8s r\xE9" "chauff\xE9 et na\xEF" "f");
        auto result = importFolder(root);
        QVERIFY2(result.ok(), result.error().message.c_str());
        QCOMPARE(result->report.rowsImported, int64_t(3));
        QCOMPARE(result->report.invalidRows, int64_t(2));
        QVERIFY(result->report.problems[0].message.find("neg/1.txt: contains a NUL byte") != std::string::npos);
        QVERIFY(result->report.problems[1].message.find("pos/2.txt: is empty") != std::string::npos);
        QCOMPARE(result->dataset.texts[1], std::string("mauvais caf\xC3\xA9 tr\xC3\xA8s r\xC3\xA9" "chauff\xC3\xA9 et na\xC3\xAF" "f"));

        FolderImportOptions stop;
        stop.onProblem = OnRowProblem::Stop;
        auto stopped = importFolder(root, stop);
        QCOMPARE(stopped.error().code, ErrorCode::Csv);
        QVERIFY(stopped.error().message.find("import stopped") != std::string::npos);
    }

    // A class folder that cannot be listed (no read permission) is an error naming it: it was left
    // out without a word, so a third class vanished from the run, or 'only one class folder' blamed
    // the wrong thing. Root reads every folder, so the import runs in a child process as nobody.
    void unreadableClassFolderIsAnError()
    {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        for (const char* cls : {"pos", "neg", "mixed"})
            fika::test::writeBytes(root + "/" + cls + "/1.txt", std::string("a review, ") + cls);
        ::chmod(root.c_str(), 0755);
        for (const char* cls : {"pos", "neg", "mixed"})
            ::chmod((root + "/" + cls).c_str(), 0755);
        ::chmod((root + "/mixed").c_str(), 0311); // can be entered, not listed
        int pipeEnds[2];
        QCOMPARE(::pipe(pipeEnds), 0);
        const pid_t child = ::fork();
        if (child == 0) {
            ::close(pipeEnds[0]);
            if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0))
                ::_exit(3);
            auto result = importFolder(root);
            const std::string message = result ? "imported " + std::to_string(result->dataset.labelMap.size()) + " classes"
                                               : result.error().message;
            ::_exit(::write(pipeEnds[1], message.data(), message.size()) < 0 ? 4 : 0);
        }
        ::close(pipeEnds[1]);
        std::string message;
        char buffer[4096];
        for (ssize_t n; (n = ::read(pipeEnds[0], buffer, sizeof buffer)) > 0;)
            message.append(buffer, static_cast<size_t>(n));
        ::close(pipeEnds[0]);
        int status = 0;
        ::waitpid(child, &status, 0);
        ::chmod((root + "/mixed").c_str(), 0755);
        QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child could not run as nobody");
        QVERIFY2(message.find(root + "/mixed: the folder cannot be read (Permission denied)") != std::string::npos, message.c_str());
    }

    // A huge .txt (a renamed disk image, a sparse file) is skipped unread, not read into memory.
    void hugeFileIsSkippedUnread()
    {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        fika::test::writeBytes(root + "/pos/1.txt", "good");
        fika::test::writeBytes(root + "/neg/1.txt", "bad");
        fika::test::writeBytes(root + "/neg/2.txt", "");
        std::filesystem::resize_file(root + "/neg/2.txt", (uintmax_t(64) << 20) + 1); // sparse: no disk used
        auto result = importFolder(root);
        QVERIFY2(result.ok(), result.error().message.c_str());
        QCOMPARE(result->report.invalidRows, int64_t(1));
        QVERIFY2(result->report.problems[0].message.find("neg/2.txt: is 64 MiB, larger than a review can be") != std::string::npos,
                 result->report.problems[0].message.c_str());
    }

    void missingFolderIsAnError()
    {
        QCOMPARE(importFolder("/nonexistent/folder").error().code, ErrorCode::FileNotFound);
    }
};

QTEST_GUILESS_MAIN(TestFolderImport)
#include "tst_folder_import.moc"
