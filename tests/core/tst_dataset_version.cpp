// SPDX-License-Identifier: GPL-3.0-or-later
#include "test_support.h"

#include "common/sha256.h"
#include "data/dataset_version.h"

#include <QDir>
#include <QTemporaryDir>

#include <filesystem>

using namespace fika::core;

namespace {

DatasetVersion sampleVersion()
{
    DatasetVersion v;
    v.name = "imdb";
    v.createdUtc = "2026-11-26T12:00:00Z";
    v.source = {"csv", "/data/train.csv", 33497173, "abc123"};
    v.classes = {"negative", "positive"};
    v.classCounts = {12500, 12500};
    v.encoding.sequenceLength = 256;
    v.encoding.truncation = Truncation::HeadTail;
    v.encoding.lowercase = true;
    v.encoding.vocab = "/models/vocab.txt";
    v.subsets = {70, 20, 10, 7, false};
    v.trainingCount = 17500;
    v.validationCount = 5000;
    v.testCount = 2500;
    return v;
}

} // namespace

class TestDatasetVersion : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrips()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("version.yaml")).toStdString();
        const DatasetVersion original = sampleVersion();
        QVERIFY(saveDatasetVersion(original, path).ok());
        auto loaded = loadDatasetVersion(path);
        QVERIFY2(loaded.ok(), loaded.error().message.c_str());
        QCOMPARE(datasetVersionToYaml(loaded.value()), datasetVersionToYaml(original));
        QCOMPARE(loaded->encoding.truncation, Truncation::HeadTail);
        QCOMPARE(loaded->subsets.seed, uint64_t(7));
        QCOMPARE(loaded->classCounts, (std::vector<int64_t>{12500, 12500}));
    }

    void rejectsBadFiles_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("path");
        QTest::newRow("unknown key") << QStringLiteral("  seed: 7") << QStringLiteral("  seed: 7\n  sede: 8")
                                     << QStringLiteral("subsets.sede: unknown key");
        QTest::newRow("wrong type") << QStringLiteral("sequence_length: 256") << QStringLiteral("sequence_length: long")
                                    << QStringLiteral("encoding.sequence_length: 'long' is not a whole number");
        QTest::newRow("length out of range") << QStringLiteral("sequence_length: 256")
                                             << QStringLiteral("sequence_length: 600")
                                             << QStringLiteral("encoding.sequence_length: sequence length 600");
        QTest::newRow("bad truncation") << QStringLiteral("truncation: head_tail") << QStringLiteral("truncation: middle")
                                        << QStringLiteral("encoding.truncation: unknown truncation 'middle'");
        QTest::newRow("future schema") << QStringLiteral("schema_version: 1") << QStringLiteral("schema_version: 9")
                                       << QStringLiteral("schema_version: version 9 is not supported");
    }
    void rejectsBadFiles()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, path);
        std::string yaml = datasetVersionToYaml(sampleVersion());
        const auto at = yaml.find(from.toStdString());
        QVERIFY(at != std::string::npos);
        yaml.replace(at, static_cast<size_t>(from.size()), to.toStdString());
        auto loaded = datasetVersionFromYaml(yaml, "v.yaml");
        QCOMPARE(loaded.error().code, ErrorCode::Yaml);
        QVERIFY2(loaded.error().message.find(path.toStdString()) != std::string::npos, loaded.error().message.c_str());
    }

    void describesSources()
    {
        QTemporaryDir dir;
        const std::string file = dir.filePath(QStringLiteral("abc.csv")).toStdString();
        fika::test::writeBytes(file, "abc");
        auto source = describeSource(file);
        QVERIFY(source.ok());
        QCOMPARE(source->kind, std::string("csv"));
        QCOMPARE(source->sizeBytes, int64_t(3));
        // FIPS 180-2 test vector
        QCOMPARE(source->sha256, std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));

        fika::test::writeBytes(dir.filePath(QStringLiteral("f/pos/1.txt")).toStdString(), "good");
        fika::test::writeBytes(dir.filePath(QStringLiteral("f/neg/1.txt")).toStdString(), "bad");
        auto folder = describeSource(dir.filePath(QStringLiteral("f")).toStdString());
        QVERIFY(folder.ok());
        QCOMPARE(folder->kind, std::string("folder"));
        QCOMPARE(folder->sizeBytes, int64_t(7));
        fika::test::writeBytes(dir.filePath(QStringLiteral("f/neg/1.txt")).toStdString(), "BAD");
        QVERIFY(describeSource(dir.filePath(QStringLiteral("f")).toStdString())->sha256 != folder->sha256);
    }

    // A relative data path is the current folder's (train run elsewhere than the config's folder):
    // the message says where it looked.
    void missingRelativeSourceSaysWhereItLooked()
    {
        QTemporaryDir dir;
        const QString before = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        auto missing = describeSource("reviews.csv");
        const std::string expected =
            "reviews.csv: no such file or folder (looked for " + std::filesystem::current_path().string() + "/reviews.csv)";
        QDir::setCurrent(before);
        QCOMPARE(missing.error().code, ErrorCode::FileNotFound);
        QCOMPARE(missing.error().message, expected);
        QCOMPARE(describeSource("/nonexistent/reviews.csv").error().message,
                 std::string("/nonexistent/reviews.csv: no such file or folder"));
    }

    // An aclImdb folder's hash covers what the import reads (train/<class>/*.txt), not test/ or
    // unsup/: 75,000 files the import never opens.
    void hashesOnlyWhatTheImportReads()
    {
        QTemporaryDir dir;
        const std::string root = dir.filePath(QStringLiteral("aclImdb")).toStdString();
        fika::test::writeBytes(root + "/train/pos/0_9.txt", "good");
        fika::test::writeBytes(root + "/train/neg/0_2.txt", "bad");
        fika::test::writeBytes(root + "/train/unsup/0_0.txt", "unlabelled");
        fika::test::writeBytes(root + "/test/pos/0_8.txt", "fine");
        fika::test::writeBytes(root + "/test/neg/0_1.txt", "awful");
        fika::test::writeBytes(root + "/README.txt", "about");
        auto before = describeSource(root);
        QVERIFY(before.ok());
        QCOMPARE(before->sizeBytes, int64_t(7));
        for (const char* unread : {"/train/unsup/0_0.txt", "/test/pos/0_8.txt", "/README.txt", "/train/pos/deeper/1.txt"}) {
            fika::test::writeBytes(root + unread, "changed");
            QCOMPARE(describeSource(root)->sha256, before->sha256);
        }
        fika::test::writeBytes(root + "/train/pos/0_9.txt", "GOOD");
        QVERIFY(describeSource(root)->sha256 != before->sha256);
        fika::test::writeBytes(root + "/train/neg/1_1.txt", "more");
        QCOMPARE(describeSource(root)->sizeBytes, int64_t(11));
    }
};

QTEST_GUILESS_MAIN(TestDatasetVersion)
#include "tst_dataset_version.moc"
