// SPDX-License-Identifier: GPL-3.0-or-later
#include "test_support.h"

#include "data/csv_reader.h"

#include <sstream>

using namespace fika::core;

namespace {

struct Parsed {
    std::vector<std::vector<std::string>> rows;
    std::vector<int64_t> lines;
    std::string error;
};

Parsed parse(const std::string& bytes)
{
    Parsed parsed;
    auto reader = CsvReader::openStream(std::make_unique<std::istringstream>(bytes), "test.csv");
    if (!reader) {
        parsed.error = reader.error().message;
        return parsed;
    }
    CsvRecord record;
    for (;;) {
        auto got = reader.value()->next(record);
        if (!got) {
            parsed.error = got.error().message;
            break;
        }
        if (!got.value())
            break;
        parsed.rows.push_back(record.fields);
        parsed.lines.push_back(record.line);
    }
    return parsed;
}

using Rows = std::vector<std::vector<std::string>>;

} // namespace

Q_DECLARE_METATYPE(Rows)
Q_DECLARE_METATYPE(std::vector<int64_t>)

class TestCsvReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesRfc4180_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<Rows>("expected");
        QTest::addColumn<std::vector<int64_t>>("lines");
        QTest::newRow("plain LF") << QByteArray("a,b\n1,2\n") << Rows{{"a", "b"}, {"1", "2"}} << std::vector<int64_t>{1, 2};
        QTest::newRow("CRLF") << QByteArray("a,b\r\n1,2\r\n") << Rows{{"a", "b"}, {"1", "2"}} << std::vector<int64_t>{1, 2};
        QTest::newRow("CR only") << QByteArray("a,b\r1,2\r3,4") << Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}}
                                 << std::vector<int64_t>{1, 2, 3};
        QTest::newRow("no final newline") << QByteArray("a,b\n1,2") << Rows{{"a", "b"}, {"1", "2"}} << std::vector<int64_t>{1, 2};
        QTest::newRow("quoted comma") << QByteArray("a,b\n\"x, y\",2\n") << Rows{{"a", "b"}, {"x, y", "2"}}
                                      << std::vector<int64_t>{1, 2};
        QTest::newRow("doubled quotes") << QByteArray("a\n\"say \"\"hi\"\"\"\n") << Rows{{"a"}, {"say \"hi\""}}
                                        << std::vector<int64_t>{1, 2};
        QTest::newRow("newline in quotes") << QByteArray("a,b\n\"line1\nline2\",x\nz,w\n")
                                           << Rows{{"a", "b"}, {"line1\nline2", "x"}, {"z", "w"}}
                                           << std::vector<int64_t>{1, 2, 4};
        QTest::newRow("CRLF in quotes") << QByteArray("a\r\n\"p\r\nq\"\r\nr\r\n") << Rows{{"a"}, {"p\r\nq"}, {"r"}}
                                        << std::vector<int64_t>{1, 2, 4};
        QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBFreview,sentiment\nok,positive\n")
                             << Rows{{"review", "sentiment"}, {"ok", "positive"}} << std::vector<int64_t>{1, 2};
        QTest::newRow("blank lines skipped") << QByteArray("a\n\n1\n\r\n2\n") << Rows{{"a"}, {"1"}, {"2"}}
                                             << std::vector<int64_t>{1, 3, 5};
        QTest::newRow("empty fields") << QByteArray("a,b,c\n,,\n") << Rows{{"a", "b", "c"}, {"", "", ""}}
                                      << std::vector<int64_t>{1, 2};
        QTest::newRow("quoted empty") << QByteArray("a\n\"\"\n") << Rows{{"a"}, {""}} << std::vector<int64_t>{1, 2};
        QTest::newRow("quote inside unquoted field is literal") << QByteArray("a\nit\"s\n") << Rows{{"a"}, {"it\"s"}}
                                                                << std::vector<int64_t>{1, 2};
        QTest::newRow("UTF-8 kept") << QByteArray("a\ncaf\xC3\xA9 \xE6\x97\xA5\n") << Rows{{"a"}, {"caf\xC3\xA9 \xE6\x97\xA5"}}
                                    << std::vector<int64_t>{1, 2};
    }
    void parsesRfc4180()
    {
        QFETCH(QByteArray, input);
        QFETCH(Rows, expected);
        QFETCH(std::vector<int64_t>, lines);
        const Parsed parsed = parse(input.toStdString());
        QCOMPARE(parsed.error, std::string());
        QCOMPARE(parsed.rows, expected);
        QCOMPARE(parsed.lines, lines);
    }

    void unterminatedQuoteNamesItsLine()
    {
        const Parsed parsed = parse("a,b\n1,2\n\"never closed,3\nmore\n");
        QVERIFY(parsed.error.find("line 3") != std::string::npos);
        QVERIFY(parsed.error.find("never closed") != std::string::npos);
    }

    // A file without line breaks (or a quote never closed) is one record: it stops at the limit with its
    // line instead of reading gigabytes into memory.
    void overlongRecordIsAnError()
    {
        const Parsed unquoted = parse("a,b\n1,2\n" + std::string(CsvReader::kMaxRecordBytes + 10, 'x'));
        QVERIFY2(unquoted.error.find("line 3: the record starting here is longer than 64 MiB") != std::string::npos,
                 unquoted.error.c_str());
        QCOMPARE(unquoted.rows.size(), size_t(2));
        const Parsed quoted = parse("a,b\n1,2\n3,\"" + std::string(CsvReader::kMaxRecordBytes + 10, 'x') + "\"\n");
        QVERIFY2(quoted.error.find("a quoted field opened on line 3 is probably never closed") != std::string::npos,
                 quoted.error.c_str());
    }

    void emptyInputIsAnError()
    {
        const Parsed parsed = parse("");
        QVERIFY(parsed.error.find("empty") != std::string::npos);
    }

    void latin1IsConvertedWithWarning()
    {
        const std::string latin1 = "review,sentiment\n\"Caf\xE9 cr\xE8me, na\xEFve r\xE9sum\xE9 and the d\xE9j\xE0 vu of a "
                                   "tr\xE8s bon film fran\xE7\x61is\",positive\n";
        auto reader = CsvReader::openStream(std::make_unique<std::istringstream>(latin1), "latin1.csv");
        QVERIFY(reader.ok());
        QCOMPARE(reader.value()->encoding(), TextEncoding::Windows1252);
        QVERIFY(reader.value()->warning().find("Windows-1252") != std::string::npos);
        QVERIFY(reader.value()->warning().find("line 2") != std::string::npos);
        CsvRecord record;
        QVERIFY(reader.value()->next(record).value());
        QVERIFY(reader.value()->next(record).value());
        QVERIFY(record.fields[0].starts_with("Caf\xC3\xA9 cr\xC3\xA8me"));
    }

    void utf16IsRefused()
    {
        const Parsed parsed = parse(std::string("\xFF\xFE" "a\0,\0b\0", 8));
        QVERIFY(parsed.error.find("UTF-16") != std::string::npos);
    }

    // Records that straddle the 1 MiB read chunks: quotes, CRLF and multi-byte characters across the seam.
    void streamsAcrossChunkBoundaries()
    {
        std::string csv = "text,label\n";
        const std::string body = "\"a, \"\"quoted\"\"\r\nmulti-line caf\xC3\xA9\",x\r\n";
        int rows = 0;
        while (csv.size() < 3 * (1 << 20) + 5000) {
            csv += body;
            ++rows;
        }
        const Parsed parsed = parse(csv);
        QCOMPARE(parsed.error, std::string());
        QCOMPARE(static_cast<int>(parsed.rows.size()), rows + 1);
        for (size_t i = 1; i < parsed.rows.size(); ++i) {
            QCOMPARE(parsed.rows[i].size(), size_t(2));
            QCOMPARE(parsed.rows[i][0], std::string("a, \"quoted\"\r\nmulti-line caf\xC3\xA9"));
        }
        QCOMPARE(parsed.lines.back(), int64_t(2 + 2 * (rows - 1)));
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csv_reader.moc"
