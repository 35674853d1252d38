// SPDX-License-Identifier: GPL-3.0-or-later
// Result and Status: value() on an error is a checked programming mistake, never undefined
// behaviour; failed system calls carry the code a user can act on (a full disk, no permission).
#include "test_support.h"

#include "common/result.h"
#include "common/synced_file.h"

#include <QTemporaryDir>

#include <cerrno>
#include <memory>

using namespace fika::core;

class TestResult : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void valueOfAnOkResult()
    {
        Result<std::string> result(std::string("fika"));
        QVERIFY(result.ok());
        QCOMPARE(result.value(), std::string("fika"));
        QCOMPARE(result->size(), size_t(4));
        QCOMPARE(result.error().code, ErrorCode::None);
        const std::string moved = std::move(result).value();
        QCOMPARE(moved, std::string("fika"));
    }

    void valueOfAnErrorThrowsWithItsMessage()
    {
        Result<std::unique_ptr<int>> result(makeError(ErrorCode::FileNotFound, "reviews.csv: no such file"));
        QVERIFY(!result.ok());
        try {
            (void)result.value();
            QFAIL("value() of an error returned");
        } catch (const BadResultAccess& e) {
            QVERIFY2(std::string(e.what()).find("reviews.csv: no such file") != std::string::npos, e.what());
            QCOMPARE(e.error().code, ErrorCode::FileNotFound);
        }
        // Every way to the value checks: const, rvalue, arrow, and a Status.
        const auto& constant = result;
        QVERIFY_THROWS_EXCEPTION(BadResultAccess, (void)constant.value());
        QVERIFY_THROWS_EXCEPTION(BadResultAccess, (void)std::move(result).value());
        QVERIFY_THROWS_EXCEPTION(BadResultAccess, (void)result->get());
        const Status status = makeError(ErrorCode::IoError, "disk gone");
        QVERIFY_THROWS_EXCEPTION(std::logic_error, (void)status.value());
    }

    void errnoMapsToWhatTheUserCanDo_data()
    {
        QTest::addColumn<int>("error");
        QTest::addColumn<int>("code");
        QTest::newRow("ENOSPC") << ENOSPC << int(ErrorCode::DiskFull);
        QTest::newRow("EDQUOT") << EDQUOT << int(ErrorCode::DiskFull);
        QTest::newRow("EACCES") << EACCES << int(ErrorCode::PermissionDenied);
        QTest::newRow("EROFS") << EROFS << int(ErrorCode::PermissionDenied);
        QTest::newRow("ENOENT") << ENOENT << int(ErrorCode::FileNotFound);
        QTest::newRow("EISDIR") << EISDIR << int(ErrorCode::NotAFile);
        QTest::newRow("ENOTDIR") << ENOTDIR << int(ErrorCode::NotAFolder);
        QTest::newRow("ENOMEM") << ENOMEM << int(ErrorCode::OutOfMemory);
        QTest::newRow("EIO") << EIO << int(ErrorCode::IoError);
    }

    void errnoMapsToWhatTheUserCanDo()
    {
        QFETCH(int, error);
        QFETCH(int, code);
        QCOMPARE(int(errorCodeForErrno(error)), code);
    }

    // /dev/full answers every write with ENOSPC: a full disk must say so, not "I/O error".
    void fullDiskIsDiskFull()
    {
        if (!QFile::exists(QStringLiteral("/dev/full")))
            QSKIP("no /dev/full here");
        AppendFile log;
        const Status opened = log.open("/dev/full", /*truncate=*/false);
        QVERIFY2(opened.ok(), opened.error().message.c_str());
        const Status written = log.append("a line\n");
        QVERIFY(!written.ok());
        QCOMPARE(written.error().code, ErrorCode::DiskFull);
        QCOMPARE(written.error().file, std::string("/dev/full"));
    }

    void folderWhereAFileBelongsIsNotAFile()
    {
        QTemporaryDir dir;
        const Status written = writeFileSynced(dir.path().toStdString(), "content");
        QVERIFY(!written.ok());
        QCOMPARE(written.error().code, ErrorCode::NotAFile);
    }
};

QTEST_GUILESS_MAIN(TestResult)
#include "tst_result.moc"
