// SPDX-License-Identifier: GPL-3.0-or-later
// Encoding statistics over all 25,000 IMDB training reviews reproduce Hugging Face's numbers.
#include "test_support.h"

#include "data/csv_import.h"
#include "text/length_stats.h"
#include "text/tokenizer.h"

#include <nlohmann/json.hpp>

using namespace fika::core;

class TestImdbStats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reproducesGoldenLengthStats()
    {
        FIKA_REQUIRE_SHARED("data/imdb/train.csv");
        FIKA_REQUIRE_SHARED("golden/tokenizer/imdb-train-length-stats.json");
        const auto golden = nlohmann::json::parse(
            fika::test::readBytes(fika::test::sharedPath("golden/tokenizer/imdb-train-length-stats.json")));

        auto imported = importCsv(fika::test::sharedPath("data/imdb/train.csv"));
        QVERIFY2(imported.ok(), imported.error().message.c_str());
        auto tokenizer = Tokenizer::fromVocabFile(fika::test::bundledVocabPath());
        QVERIFY(tokenizer.ok());
        const auto& texts = imported->dataset.texts;
        const auto stats = LengthStats::fromLengths(
            tokenizer->tokenCounts(std::vector<std::string_view>(texts.begin(), texts.end()), 0));

        QCOMPARE(stats.count, golden["n"].get<int64_t>());
        QVERIFY(std::abs(stats.mean - golden["mean"].get<double>()) < 1e-5);
        QCOMPARE(stats.median, golden["median"].get<double>());
        QCOMPARE(stats.p90, golden["p90"].get<double>());
        QCOMPARE(stats.max, golden["max"].get<int32_t>());
        for (const auto& [length, share] : golden["truncated_share"].items())
            QVERIFY2(std::abs(stats.truncatedShare(std::stoi(length)) - share.get<double>()) < 1e-9, length.c_str());
    }
};

QTEST_GUILESS_MAIN(TestImdbStats)
#include "tst_imdb_stats.moc"
