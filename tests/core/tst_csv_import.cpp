// SPDX-License-Identifier: GPL-3.0-or-later
// Malformed and unusual CSV files: each gives the expected result or message with its location,
// nothing crashes, and the source file is never modified.
#include "test_support.h"

#include "common/sha256.h"
#include "data/column_inference.h"
#include "data/csv_import.h"

#include <QTemporaryDir>

#include <sys/stat.h>

using namespace fika::core;

namespace {

std::string goodRows(int count, const std::string& label)
{
    std::string rows;
    for (int i = 0; i < count; ++i)
        rows += "\"review number " + std::to_string(i) + ", fine\"," + label + "\n";
    return rows;
}

} // namespace

class TestCsvImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fixtures_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("stopOnProblem");
        QTest::addColumn<int>("errorCode");   // 0: the import succeeds
        QTest::addColumn<QString>("message"); // in the error, or in the first problem / warning
        QTest::addColumn<int>("imported");
        QTest::addColumn<int>("invalid");

        const std::string header = "review,sentiment\n";
        const std::string ok = goodRows(2, "positive") + goodRows(2, "negative");
        auto add = [](const char* name, const std::string& bytes, bool stop, ErrorCode code, const char* message,
                      int imported, int invalid) {
            QTest::newRow(name) << QByteArray::fromStdString(bytes) << stop << static_cast<int>(code)
                                << QString::fromUtf8(message) << imported << invalid;
        };
        add("unterminated quote", header + ok + "\"no end,positive\nx,negative\n", false, ErrorCode::Csv,
            "line 6: a quoted field opened on this line is never closed", 0, 0);
        add("too many fields", header + "a,positive,extra\n" + ok, false, ErrorCode::None,
            "line 2: expected 2 fields as in the header, found 3", 4, 1);
        add("too few fields", header + ok + "lonely\n", false, ErrorCode::None,
            "line 6: expected 2 fields as in the header, found 1", 4, 1);
        add("header only", header, false, ErrorCode::NoData, "no usable data rows", 0, 0);
        add("empty file", "", false, ErrorCode::EmptyFile, "the file is empty", 0, 0);
        add("duplicate header names", "review,review,sentiment\na,b,positive\n", false, ErrorCode::DuplicateColumn,
            "line 1: columns 1 and 2 are both named 'review'", 0, 0);
        add("missing text column", "text,sentiment\n" + ok, false, ErrorCode::MissingColumn,
            "line 1: no column named 'review'; the header has 'text', 'sentiment'", 0, 0);
        add("missing label column", "review,label\n" + ok, false, ErrorCode::MissingColumn,
            "no column named 'sentiment'", 0, 0);
        add("empty review", header + ok + ",positive\n", false, ErrorCode::None,
            "line 6: empty text in column 'review'", 4, 1);
        add("whitespace-only review", header + "\"  \n \",negative\n" + ok, false, ErrorCode::None,
            "line 2: empty text in column 'review'", 4, 1);
        add("missing label", header + ok + "\"good film\",\n", false, ErrorCode::None,
            "line 6: missing label in column 'sentiment'", 4, 1);
        add("single class", header + goodRows(5, "positive"), false, ErrorCode::TooFewClasses,
            "has only one class ('positive')", 0, 0);
        add("Latin-1 bytes", header + "\"Caf\xE9 cr\xE8me, tr\xE8s na\xEFve r\xE9sum\xE9 of a d\xE9j\xE0 vu\",positive\n" + ok,
            false, ErrorCode::None, "read as Windows-1252", 5, 0);
        add("NUL byte in a review", header + ok + std::string("\"bad\0byte\",positive\n", 19), false, ErrorCode::None,
            "line 6: column 'review' contains a NUL byte", 4, 1);
        add("1 MB review", header + "\"" + std::string(1 << 20, 'w') + "\",positive\n" + ok, false, ErrorCode::None, "",
            5, 0);
        add("UTF-8 BOM", "\xEF\xBB\xBF" + header + ok, false, ErrorCode::None, "", 4, 0);
        add("CR-only line ends", "review,sentiment\rgood,positive\rbad,negative\r", false, ErrorCode::None, "", 2, 0);
        add("stop at first problem", header + "a,positive\n,negative\nc,negative\n", true, ErrorCode::Csv,
            "line 3: empty text in column 'review' (import stopped)", 0, 0);
        // A file whose sample holds UTF-8 beyond ASCII is UTF-8: a broken sequence past the sample is a bad row.
        // (After an ASCII-only sample the first such bytes decide the encoding, as in the sample.)
        add("invalid UTF-8 after the sample", header + "\"caf\xC3\xA9\",positive\n" + goodRows(1500, "positive") +
                                                  goodRows(1500, "negative") + "\"broken \xC3\x28 bytes\",positive\n",
            false, ErrorCode::None, "line 3003: column 'review' has invalid UTF-8", 3001, 1);
        add("binary data", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\x01\0", 20) + std::string(64, '\xFF'), false,
            ErrorCode::Encoding, "cannot tell the text encoding", 0, 0);
        // ASCII for the first 64 KiB (the sample), then Latin-1 accents: every such row was skipped as invalid UTF-8.
        add("Latin-1 after an ASCII sample", header + goodRows(1500, "positive") + goodRows(1500, "negative") +
                                                  "\"caf\xE9 cr\xE8me\",positive\n\"na\xEFve\",negative\n",
            false, ErrorCode::None, "line 3002, the first byte that is not ASCII); read as Windows-1252", 3002, 0);
        std::string fewAccents = header;
        for (int i = 0; i < 30; ++i)
            fewAccents += "\"caf\xE9 great film\",positive\n\"awful film\",negative\n"; // Latin-1 é; ICU guesses ISO-8859-2
        add("Latin-1 with few accents", fewAccents, false, ErrorCode::None, "read as Windows-1252", 60, 0);
        add("every row bad", header + ",positive\n,negative\n", false, ErrorCode::NoData,
            "no usable data rows after the header (2 rows with problems)", 0, 2);
        add("labels trimmed", header + "a, positive \nb,positive\nc,negative\n", false, ErrorCode::None, "", 3, 0);
        add("three classes", header + ok + "meh,neutral\n", false, ErrorCode::None, "", 5, 0);
        add("header names trimmed", "review , sentiment\r\n" + ok, false, ErrorCode::None, "", 4, 0);
        // A quote left open swallows the rows up to the next quoted field; the record made of them has
        // two fields again, so it was imported as one review with the wrong label and three rows vanished.
        add("quote left open swallows rows", header + ok + "\"broken review,positive\nx,negative\ny,positive\n\"quoted\",negative\n" + ok,
            false, ErrorCode::None,
            "line 6: a quoted field opened on line 6 runs to line 9, where text follows its closing quote", 8, 1);
        add("quote left open, stop", header + ok + "\"broken review,positive\nx,negative\n\"quoted\",negative\n", true,
            ErrorCode::Csv, "line 6: a quoted field opened on line 6 runs to line 8", 0, 0);
        add("closing quote then text on one line kept", header + ok + "\"say \"hi\" ok\",positive\n", false, ErrorCode::None,
            "", 5, 0);
        const std::string utf16le("r\0e\0v\0i\0e\0w\0,\0s\0e\0n\0t\0i\0m\0e\0n\0t\0\n\0g\0o\0o\0d\0,\0p\0o\0s\0\n\0", 48);
        add("UTF-16 without byte-order mark", utf16le, false, ErrorCode::Encoding,
            "byte offset 1 (line 1) is a NUL byte, so the file looks like binary or UTF-16 data", 0, 0);
        add("NUL bytes only (sparse file)", std::string(100000, '\0'), false, ErrorCode::Encoding,
            "byte offset 0 (line 1) is a NUL byte", 0, 0);
        // 'Positive' and 'positive' are two classes (a 4-class run on a 2-class task, without a word): warned.
        add("labels differ only in case", header + ok + "nice,Positive\nawful,Negative\nnasty,Negative\n", false, ErrorCode::None,
            "column 'sentiment' has labels that differ only in letter case: 'Negative' (2 rows) and 'negative' (2 rows); "
            "'Positive' (1 row) and 'positive' (2 rows); each is a class of its own",
            7, 0);
        // Blank lines before the header: the delimiter is the header's, and messages give its line.
        add("blank lines, then a semicolon header", "\n\r\nreview;sentiment\ngood;positive\nbad;negative\n", false,
            ErrorCode::None, "", 2, 0);
        add("blank lines, then a header without the column", "\n\ntext,sentiment\n" + ok, false, ErrorCode::MissingColumn,
            "line 3: no column named 'review'", 0, 0);
        add("extra columns ignored", "id,review,sentiment,rating\n1,good,positive,9\n2,bad,negative,2\n", false,
            ErrorCode::None, "", 2, 0);
    }

    void fixtures()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, stopOnProblem);
        QFETCH(int, errorCode);
        QFETCH(QString, message);
        QFETCH(int, imported);
        QFETCH(int, invalid);

        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("fixture.csv")).toStdString();
        fika::test::writeBytes(path, bytes.toStdString());
        const std::string hashBefore = sha256OfFile(path);

        CsvImportOptions options;
        options.onProblem = stopOnProblem ? OnRowProblem::Stop : OnRowProblem::Skip;
        auto result = importCsv(path, options);

        QCOMPARE(sha256OfFile(path), hashBefore);
        QCOMPARE(static_cast<int>(result.error().code), errorCode);
        const std::string expected = message.toStdString();
        if (errorCode != 0) {
            QVERIFY2(result.error().message.find(expected) != std::string::npos, result.error().message.c_str());
            QVERIFY(result.error().message.starts_with(path));
            return;
        }
        const ImportReport& report = result->report;
        QCOMPARE(report.rowsImported, int64_t(imported));
        QCOMPARE(report.invalidRows, int64_t(invalid));
        QCOMPARE(static_cast<int64_t>(result->dataset.size()), int64_t(imported));
        if (!expected.empty()) {
            std::string seen;
            for (const auto& problem : report.problems)
                seen += problem.message + "\n";
            for (const auto& warning : report.warnings)
                seen += warning.message + "\n";
            QVERIFY2(seen.find(expected) != std::string::npos, seen.c_str());
        }
    }

    void labelsAndTextsAreKept()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("ok.csv")).toStdString();
        fika::test::writeBytes(path, "review,sentiment\n\"Great, \"\"fun\"\"\",positive\nDull,negative\nFine,positive\n");
        auto result = importCsv(path);
        QVERIFY(result.ok());
        const Dataset& dataset = result->dataset;
        QCOMPARE(dataset.labelMap.names, (std::vector<std::string>{"negative", "positive"}));
        QCOMPARE(dataset.texts[0], std::string("Great, \"fun\""));
        QCOMPARE(dataset.labels, (std::vector<int32_t>{1, 0, 1}));
        QCOMPARE(dataset.sourceLines, (std::vector<int64_t>{2, 3, 4}));
        QCOMPARE(dataset.classCounts(), (std::vector<int64_t>{1, 2}));
        QCOMPARE(classBalance(dataset.classCounts()), 0.5);
    }

    void missingFileIsAnError()
    {
        auto result = importCsv("/nonexistent/reviews.csv");
        QCOMPARE(result.error().code, ErrorCode::FileNotFound);
        // A folder given where a CSV belongs is named as such, not as missing.
        QTemporaryDir folder;
        auto fromFolder = importCsv(folder.path().toStdString());
        QCOMPARE(fromFolder.error().code, ErrorCode::NotAFile);
        QVERIFY2(fromFolder.error().message.find("is a folder, not a CSV file") != std::string::npos, fromFolder.error().message.c_str());
    }

    // A file with no line break is one header 'name': the message shows its start, not the whole file.
    void longHeaderNamesAreShortenedInMessages()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("wide.csv")).toStdString();
        std::string header = std::string(100000, 'x');
        for (int i = 0; i < 30; ++i)
            header += ",c" + std::to_string(i);
        fika::test::writeBytes(path, header + "\n");
        auto result = importCsv(path);
        QCOMPARE(result.error().code, ErrorCode::MissingColumn);
        const std::string& message = result.error().message;
        QVERIFY2(message.size() < 1000, message.substr(0, 300).c_str());
        QVERIFY2(message.find("'" + std::string(60, 'x') + "…', 'c0'") != std::string::npos, message.c_str());
        QVERIFY2(message.find("'c18' and 11 more") != std::string::npos, message.c_str());
    }

    // A pipe can be read once and import reads a file twice (checksum, rows): refused by name, not 'no such file'.
    void pipeIsNotAFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("pipe.csv")).toStdString();
        QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
        auto result = importCsv(path);
        QCOMPARE(result.error().code, ErrorCode::NotAFile);
        QVERIFY2(result.error().message.find("is a pipe, device or socket, not a regular file") != std::string::npos,
                 result.error().message.c_str());
    }

    // predict --csv gives one result per value in file order: rows swallowed by a quote left open came
    // back as one value, so every prediction after it belonged to another row.
    void readColumnRefusesSwallowedRows()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("texts.csv")).toStdString();
        fika::test::writeBytes(path, "review\ngood\n\"broken\nthird\nfourth\n\"quoted\"\nlast\n");
        auto values = readCsvColumn(path, "review");
        QCOMPARE(values.error().code, ErrorCode::Csv);
        QVERIFY2(values.error().message.find("line 3: a quoted field opened on line 3 runs to line 6") != std::string::npos,
                 values.error().message.c_str());
    }

    void cancelStopsTheImport()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("ok.csv")).toStdString();
        fika::test::writeBytes(path, "review,sentiment\n" + goodRows(10, "a") + goodRows(10, "b"));
        std::atomic<bool> stop{true};
        JobContext context;
        context.stopRequested = &stop;
        QCOMPARE(importCsv(path, {}, context).error().code, ErrorCode::Cancelled);
    }

    void infersTextAndCategoricalColumns()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("cols.csv")).toStdString();
        std::string csv = "review,sentiment\n";
        for (int i = 0; i < 50; ++i)
            csv += "\"This is review " + std::to_string(i) + " and it rambles on about the plot at length\"," +
                   (i % 2 ? "positive" : "negative") + "\n";
        fika::test::writeBytes(path, csv);
        auto summary = inferColumns(path);
        QVERIFY(summary.ok());
        QCOMPARE(summary->sampledRows, int64_t(50));
        QCOMPARE(summary->columns.size(), size_t(2));
        QCOMPARE(summary->columns[0].kind, ColumnKind::Text);
        QCOMPARE(summary->columns[1].kind, ColumnKind::Categorical);
        QCOMPARE(summary->columns[1].distinctValues, int64_t(2));
    }

    void importsTheImdbTrainingSet()
    {
        FIKA_REQUIRE_SHARED("data/imdb/train.csv");
        const std::string path = fika::test::sharedPath("data/imdb/train.csv");
        auto summary = inferColumns(path, 2000);
        QVERIFY(summary.ok());
        QCOMPARE(summary->columns[0].kind, ColumnKind::Text);
        QCOMPARE(summary->columns[1].kind, ColumnKind::Categorical);
        auto result = importCsv(path);
        QVERIFY2(result.ok(), result.error().message.c_str());
        QCOMPARE(result->report.rowsImported, int64_t(25000));
        QCOMPARE(result->report.invalidRows, int64_t(0));
        QCOMPARE(result->report.classCounts.at("positive"), int64_t(12500));
        QCOMPARE(result->report.classCounts.at("negative"), int64_t(12500));
    }
};

QTEST_GUILESS_MAIN(TestCsvImport)
#include "tst_csv_import.moc"
