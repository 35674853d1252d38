// SPDX-License-Identifier: GPL-3.0-or-later
// The WordPiece tokenizer against Hugging Face's own output (goldens in ../shared), and its
// truncation, padding and error behaviour.
#include "test_support.h"

#include "text/tokenizer.h"

#include <nlohmann/json.hpp>

#include <fstream>

using namespace fika::core;

namespace {

std::vector<nlohmann::json> readJsonLines(const std::string& path)
{
    std::vector<nlohmann::json> lines;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty())
            lines.push_back(nlohmann::json::parse(line));
    return lines;
}

// A tiny vocab whose words are single letters, so that lengths are easy to reason about.
Tokenizer letterTokenizer()
{
    std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    for (char c = 'a'; c <= 'z'; ++c)
        tokens.emplace_back(1, c);
    return Tokenizer(Vocab::fromTokens(tokens).value(), true);
}

std::string letters(int count)
{
    std::string text;
    for (int i = 0; i < count; ++i)
        text += std::string(1, static_cast<char>('a' + i % 26)) + " ";
    return text;
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

    std::unique_ptr<Tokenizer> m_bert;

private Q_SLOTS:
    void initTestCase()
    {
        auto tokenizer = Tokenizer::fromVocabFile(fika::test::bundledVocabPath());
        QVERIFY2(tokenizer.ok(), tokenizer.error().message.c_str());
        m_bert = std::make_unique<Tokenizer>(std::move(tokenizer.value()));
    }

    void matchesHuggingFace_data()
    {
        QTest::addColumn<QString>("golden");
        QTest::newRow("tricky strings") << QStringLiteral("golden/tokenizer/tricky.jsonl");
        QTest::newRow("first 2000 IMDB reviews") << QStringLiteral("golden/tokenizer/imdb-train-first2000.jsonl");
    }
    void matchesHuggingFace()
    {
        QFETCH(QString, golden);
        FIKA_REQUIRE_SHARED(golden.toStdString());
        const auto lines = readJsonLines(fika::test::sharedPath(golden.toStdString()));
        QVERIFY(!lines.empty());
        int mismatches = 0;
        for (const auto& line : lines) {
            const auto text = line["text"].get<std::string>();
            const auto expected = line["ids"].get<std::vector<int32_t>>();
            const auto ids = m_bert->encodeIds(text);
            if (ids != expected && ++mismatches <= 3)
                qWarning("mismatch for %s", text.substr(0, 80).c_str());
            if (line.contains("tokens"))
                QCOMPARE(m_bert->tokensOf(ids), line["tokens"].get<std::vector<std::string>>());
        }
        QCOMPARE(mismatches, 0);
    }

    // The fused single-pass tokenizer equals the step-by-step pipeline (normalise, pre-tokenise, WordPiece).
    void fusedPathEqualsPipeline()
    {
        FIKA_REQUIRE_SHARED("golden/tokenizer/tricky.jsonl");
        for (const auto& line : readJsonLines(fika::test::sharedPath("golden/tokenizer/tricky.jsonl"))) {
            const auto text = line["text"].get<std::string>();
            std::vector<int32_t> fused, staged;
            m_bert->tokenize(text, fused);
            const BertNormalizer& normalizer = m_bert->normalizer();
            for (const auto& word : normalizer.preTokenize(normalizer.normalize(text)))
                m_bert->tokenize(word, staged);
            QCOMPARE(fused, staged);
        }
    }

    void normalizerSteps()
    {
        const BertNormalizer& n = m_bert->normalizer();
        QCOMPARE(n.normalize("Caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC"), std::string("cafe  \xE6\x97\xA5  \xE6\x9C\xAC "));
        QCOMPARE(n.normalize(std::string("a\0b\tc\xC2\x85" "d", 8)), std::string("ab cd"));
        QCOMPARE(n.preTokenize("hello, world!"), (std::vector<std::string>{"hello", ",", "world", "!"}));
        QCOMPARE(n.normalize("\xFF\xFE" "ok"), std::string("ok")); // invalid UTF-8 bytes are dropped
    }

    // Hugging Face keeps unassigned code points (its categories are Unicode 8.0's, so later characters
    // count as unassigned too). Expected tokens are Hugging Face tokenizers 0.23.2's output; the
    // exhaustive comparison is tests/tokenizer_parity.
    void unassignedCodePointsAsHuggingFace_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("unassigned inside a word (U+0378)") << QByteArray("Caf\xCD\xB8" "e au lait") << QStringList{"[UNK]", "au", "lai", "##t"};
        QTest::newRow("unassigned alone (U+0E65)") << QByteArray("good \xE0\xB9\xA5 film") << QStringList{"good", "[UNK]", "film"};
        QTest::newRow("unassigned around a word (U+3040, U+FF00)") << QByteArray("\xE3\x81\x80yes\xEF\xBC\x80") << QStringList{"[UNK]"};
        QTest::newRow("noncharacters (U+FDD0, U+10FFFF)") << QByteArray("\xEF\xB7\x90 ok \xF4\x8F\xBF\xBFok") << QStringList{"[UNK]", "ok", "[UNK]"};
        QTest::newRow("private use and format characters are dropped") << QByteArray("\xEE\x80\x80 ok \xF3\xA0\x80\x81ok") << QStringList{"ok", "ok"};
        QTest::newRow("format characters of Unicode 6.3 and 9.0") << QByteArray("a\xD8\x9C" "b a\xE0\xA3\xA2" "b") << QStringList{"ab", "[UNK]"};
        QTest::newRow("non-spacing marks of Unicode 8.0 and 9.0") << QByteArray("a\xE0\xA3\xA3" "b a\xE0\xA3\x94" "b") << QStringList{"ab", "[UNK]"};
        QTest::newRow("punctuation of Unicode 8.0 and 9.0") << QByteArray("end\xE2\xB9\x82 end\xE2\xB9\x83") << QStringList{"end", "[UNK]", "[UNK]"};
        QTest::newRow("punctuation in Unicode 8.0, a mark now (U+111C9)") << QByteArray("a\xF0\x91\x87\x89" "b") << QStringList{"a", "[UNK]", "b"};
        QTest::newRow("CJK block (U+9FFF)") << QByteArray("\xE9\xBF\xBF\xE4\xB8\x80x") << QStringList{"[UNK]", QStringLiteral("\u4E00"), "x"};
    }
    void unassignedCodePointsAsHuggingFace()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, expected);
        std::vector<int32_t> fused, staged;
        m_bert->tokenize(text.toStdString(), fused);
        QStringList tokens;
        for (const auto& token : m_bert->tokensOf(fused))
            tokens << QString::fromStdString(token);
        QCOMPARE(tokens, expected);
        const BertNormalizer& normalizer = m_bert->normalizer();
        for (const auto& word : normalizer.preTokenize(normalizer.normalize(text.toStdString())))
            m_bert->tokenize(word, staged);
        QCOMPARE(staged, fused);
    }

    void specialTokensComeFromTheVocab()
    {
        const Vocab& vocab = m_bert->vocab();
        QCOMPARE(vocab.padId(), 0);
        QCOMPARE(vocab.unkId(), 100);
        QCOMPARE(vocab.clsId(), 101);
        QCOMPARE(vocab.sepId(), 102);
        QCOMPARE(vocab.maskId(), 103);
        const Tokenizer shuffled(Vocab::fromTokens({"x", "[SEP]", "[CLS]", "[UNK]", "[PAD]", "hi"}).value(), true);
        QCOMPARE(shuffled.encodeIds("Hi"), (std::vector<int32_t>{2, 5, 1}));
        QCOMPARE(shuffled.encodeIds("Hi [SEP] yo"), (std::vector<int32_t>{2, 5, 1, 3, 1}));
    }

    void vocabErrors()
    {
        QCOMPARE(Vocab::fromTokens({"[CLS]", "[SEP]", "[PAD]", "a"}).error().code, ErrorCode::Vocab);
        auto missing = Tokenizer::fromVocabFile("/nonexistent/vocab.txt");
        QCOMPARE(missing.error().code, ErrorCode::Vocab);
        QVERIFY(missing.error().message.find("/nonexistent/vocab.txt") != std::string::npos);
    }

    void longWordsBecomeUnknown()
    {
        const Tokenizer t = letterTokenizer();
        // a word of single-letter pieces needs "##" pieces the letter vocab lacks, so use the BERT vocab
        const std::string hundred(100, 'b');
        QVERIFY(m_bert->encodeIds(hundred) != (std::vector<int32_t>{101, 100, 102}));
        QCOMPARE(m_bert->encodeIds(hundred + "b"), (std::vector<int32_t>{101, 100, 102}));
        QCOMPARE(t.encodeIds("ab"), (std::vector<int32_t>{2, 1, 3})); // no "##b": the whole word is [UNK]
    }

    void casedModeKeepsCaseAndAccents()
    {
        const Tokenizer cased(Vocab::fromTokens({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "Caf\xC3\xA9", "cafe"}).value(), false);
        QCOMPARE(cased.encodeIds("Caf\xC3\xA9"), (std::vector<int32_t>{2, 4, 3}));
        const Tokenizer uncased(Vocab::fromTokens({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "Caf\xC3\xA9", "cafe"}).value(), true);
        QCOMPARE(uncased.encodeIds("Caf\xC3\xA9"), (std::vector<int32_t>{2, 5, 3}));
    }

    void truncation_data()
    {
        QTest::addColumn<int>("pieces");
        QTest::addColumn<int>("sequenceLength");
        QTest::addColumn<int>("truncation");
        QTest::addColumn<int>("firstKept");  // index of the first piece kept after [CLS]
        QTest::addColumn<int>("headPieces"); // pieces kept from the start
        QTest::newRow("head") << 600 << 512 << static_cast<int>(Truncation::Head) << 0 << 510;
        QTest::newRow("tail") << 600 << 512 << static_cast<int>(Truncation::Tail) << 90 << 0;
        QTest::newRow("head+tail at 512: 128 + 382") << 600 << 512 << static_cast<int>(Truncation::HeadTail) << 0 << 128;
        QTest::newRow("head+tail at 128 keeps the 1:3 share") << 600 << 128 << static_cast<int>(Truncation::HeadTail) << 0
                                                               << 32;
        QTest::newRow("short text untouched") << 10 << 512 << static_cast<int>(Truncation::HeadTail) << 0 << 10;
        QTest::newRow("minimum length 3") << 10 << 3 << static_cast<int>(Truncation::Head) << 0 << 1;
    }
    void truncation()
    {
        QFETCH(int, pieces);
        QFETCH(int, sequenceLength);
        QFETCH(int, truncation);
        QFETCH(int, firstKept);
        QFETCH(int, headPieces);
        std::vector<int32_t> ids(static_cast<size_t>(pieces));
        for (int i = 0; i < pieces; ++i)
            ids[static_cast<size_t>(i)] = i;
        const auto original = ids;
        const size_t budget = static_cast<size_t>(sequenceLength - 2);
        const bool cut = truncatePieces(ids, budget, static_cast<Truncation>(truncation));
        QCOMPARE(cut, static_cast<size_t>(pieces) > budget);
        QCOMPARE(ids.size(), std::min(budget, static_cast<size_t>(pieces)));
        QCOMPARE(ids.front(), firstKept);
        for (int i = 0; i < headPieces; ++i)
            QCOMPARE(ids[static_cast<size_t>(i)], i);
        if (cut && truncation != static_cast<int>(Truncation::Head))
            QCOMPARE(ids.back(), original.back()); // the end of the text is kept
    }

    void encodeAddsSpecialsMaskAndPadding()
    {
        const Tokenizer t = letterTokenizer();
        const Encoding padded = t.encode(letters(3), 8, Truncation::Head, true);
        QCOMPARE(padded.ids, (std::vector<int32_t>{2, 5, 6, 7, 3, 0, 0, 0}));
        QCOMPARE(padded.attentionMask, (std::vector<uint8_t>{1, 1, 1, 1, 1, 0, 0, 0}));
        QCOMPARE(padded.typeIds, std::vector<uint8_t>(8, 0));
        QVERIFY(!padded.truncated);

        const Encoding cut = t.encode(letters(10), 5, Truncation::Tail, false);
        QCOMPARE(cut.ids, (std::vector<int32_t>{2, 12, 13, 14, 3}));
        QVERIFY(cut.truncated);

        std::vector<Encoding> batch = {t.encode("a b", 16, Truncation::Head, false), t.encode("a b c d", 16, Truncation::Head, false)};
        padToLongest(batch, 0);
        QCOMPARE(batch[0].ids, (std::vector<int32_t>{2, 5, 6, 3, 0, 0}));
        QCOMPARE(batch[0].attentionMask, (std::vector<uint8_t>{1, 1, 1, 1, 0, 0}));
        QCOMPARE(batch[1].ids.size(), size_t(6));
    }

    void sequenceLengthLimits()
    {
        QVERIFY(!validateSequenceLength(2).ok());
        QVERIFY(validateSequenceLength(3).ok());
        QVERIFY(validateSequenceLength(512).ok());
        const auto tooLong = validateSequenceLength(513);
        QVERIFY(!tooLong.ok());
        QVERIFY(tooLong.error().message.find("513") != std::string::npos);
    }

    void batchEqualsOneByOne()
    {
        std::vector<std::string> texts;
        for (int i = 0; i < 300; ++i)
            texts.push_back("Review " + std::to_string(i) + ": caf\xC3\xA9 " + letters(i % 40) + " \xE6\x97\xA5!");
        std::vector<std::string_view> views(texts.begin(), texts.end());
        const auto batch = m_bert->encodeIdsBatch(views, 2);
        const auto counts = m_bert->tokenCounts(views, 2);
        for (size_t i = 0; i < texts.size(); ++i) {
            QCOMPARE(batch[i], m_bert->encodeIds(texts[i]));
            QCOMPARE(counts[i], static_cast<int32_t>(batch[i].size()));
        }
    }

    void invalidUtf8NeverCrashes()
    {
        const std::string junk = "\xC3\x28 \xE2\x82 \xF0\x9F\x98 ok \xFF\xC0\xAF [SE [SEP";
        const auto ids = m_bert->encodeIds(junk);
        QCOMPARE(ids.front(), 101);
        QCOMPARE(ids.back(), 102);
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
