// SPDX-License-Identifier: GPL-3.0-or-later
// Integrated Gradients (core/model/explanation.h): token spans into the text as given, completeness,
// a Python reference (tests/golden_tools/explanation_reference.py → tests/data/explanation_golden.json),
// a model that must point at the one word that decides its synthetic task, fika-cli predict --explain,
// and a bench (FIKA_BENCH=1, ctest -L bench).
#include <torch/torch.h>

#include "test_support.h"
#include "tiny_training.h"

#include "model/checkpoint.h"
#include "model/explanation.h"
#include "model/predictor.h"
#include "runtime/runtime.h"
#include "text/tokenizer.h"
#include "train/trainer.h"

#include <QProcess>
#include <QDir>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <random>
#include <ctime>
#include <sstream>

using namespace fika::core;

namespace {

LoadedCheckpoint loadTiny()
{
    LoadOptions options;
    options.fallbackVocab = fika::test::bundledVocabPath();
    auto loaded = loadCheckpoint(fika::test::sharedPath("golden/tiny-bert"), options);
    if (!loaded)
        qFatal("%s", loaded.error().message.c_str());
    return std::move(loaded.value());
}

nlohmann::json readGolden()
{
    return nlohmann::json::parse(fika::test::readBytes(fika::test::sourcePath("tests/data/explanation_golden.json")));
}

std::vector<std::string> goldenTexts()
{
    const nlohmann::json golden = readGolden();
    std::vector<std::string> texts;
    for (const auto& entry : golden["texts"])
        texts.push_back(entry["text"].get<std::string>());
    return texts;
}

// Words and their spans as "word[start,end)" for one compact comparison.
QString spansOf(const Tokenizer& tokenizer, const std::string& text)
{
    std::vector<int32_t> ids;
    std::vector<TokenSpan> spans;
    tokenizer.tokenize(text, ids, spans);
    QStringList parts;
    const auto tokens = tokenizer.tokensOf(ids);
    for (size_t i = 0; i < ids.size(); ++i)
        parts << QStringLiteral("%1:%2[%3,%4)")
                     .arg(spans[i].word)
                     .arg(QString::fromStdString(tokens[i]))
                     .arg(spans[i].start)
                     .arg(spans[i].end);
    return parts.join(QLatin1Char(' '));
}

struct Run {
    int exitCode = -1;
    QByteArray out, err;
};

Run runCli(const QStringList& args)
{
    QProcess process;
    process.start(QStringLiteral(FIKA_CLI_PATH), args);
    process.closeWriteChannel();
    process.waitForFinished(120000);
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

// Texts of a task that one word decides: "great" makes a text positive, "awful" negative, and a
// text with neither is neutral. Two classes would not do: a model may learn "negative unless
// great", and then rightly gives "awful" no credit (the all-[PAD] baseline is negative already).
std::vector<std::pair<std::string, std::string>> oneWordTask(int count, unsigned seed)
{
    const char* filler[] = {"the", "movie", "plot", "actor", "scene", "was", "and", "a", "film", "story", "music", "end"};
    const char* deciding[] = {"great", "awful", ""};
    std::mt19937 rng(seed);
    std::vector<std::pair<std::string, std::string>> texts;
    for (int i = 0; i < count; ++i) {
        const std::string decisive = deciding[i % 3];
        const int words = 4 + static_cast<int>(rng() % 8);
        const int where = static_cast<int>(rng() % static_cast<unsigned>(words));
        std::string text;
        for (int w = 0; w < words; ++w)
            text += std::string(w == where && !decisive.empty() ? decisive : filler[rng() % 12]) + " ";
        texts.emplace_back(text, decisive);
    }
    return texts;
}

const char* classOf(const std::string& decisive)
{
    return decisive == "great" ? "positive" : decisive == "awful" ? "negative" : "neutral";
}

} // namespace

class TestExplanation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void gaussLegendreIntegratesPolynomialsExactly()
    {
        for (int n : {1, 2, 5, 32, 64}) {
            std::vector<double> nodes, weights;
            gaussLegendre01(n, nodes, weights);
            QCOMPARE(nodes.size(), size_t(n));
            QVERIFY(std::is_sorted(nodes.begin(), nodes.end()));
            for (int degree = 0; degree < 2 * n; degree += std::max(1, n / 4)) {
                double integral = 0.0; // ∫_0^1 x^degree dx = 1 / (degree + 1)
                for (int i = 0; i < n; ++i)
                    integral += weights[static_cast<size_t>(i)] * std::pow(nodes[static_cast<size_t>(i)], degree);
                QVERIFY2(std::abs(integral - 1.0 / (degree + 1)) < 1e-12,
                         qPrintable(QStringLiteral("n %1, degree %2: %3").arg(n).arg(degree).arg(integral, 0, 'g', 17)));
            }
        }
    }

    // Spans are code points of the text as given: accents, case, dropped characters, CJK, literal
    // special tokens and invalid UTF-8 all keep the offsets aligned with what a person sees.
    void spansPointIntoTheTextAsGiven_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("accents, punctuation") << QStringLiteral("Café déjà vu: don't")
                                              << QStringLiteral("0:cafe[0,4) 1:de[5,7) 1:##ja[7,9) 2:vu[10,12) 3::[12,13) "
                                                                "4:don[14,17) 5:'[17,18) 6:t[18,19)");
        QTest::newRow("combining accent stays in its word")
            << QStringLiteral("Cafe\u0301 bar") << QStringLiteral("0:cafe[0,5) 1:bar[6,9)");
        QTest::newRow("pieces") << QStringLiteral("  Heartwarming!")
                                << QStringLiteral("0:heart[2,7) 0:##war[7,10) 0:##ming[10,14) 1:![14,15)");
        QTest::newRow("CJK, astral emoji") << QStringLiteral("我爱 \U0001F600 ok")
                                           << QStringLiteral("0:我[0,1) 1:[UNK][1,2) 2:[UNK][3,4) 3:ok[5,7)");
        QTest::newRow("literal special token") << QStringLiteral("a [MASK] b")
                                               << QStringLiteral("0:a[0,1) 1:[MASK][2,8) 2:b[9,10)");
        QTest::newRow("control characters dropped") << QStringLiteral("ab\u0007c d")
                                                    << QStringLiteral("0:abc[0,4) 1:d[5,6)");
    }
    void spansPointIntoTheTextAsGiven()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        auto tokenizer = Tokenizer::fromVocabFile(fika::test::bundledVocabPath());
        QVERIFY(tokenizer.ok());
        QCOMPARE(spansOf(tokenizer.value(), text.toStdString()), expected);
    }

    void invalidUtf8CountsOneCodePointPerByte()
    {
        auto tokenizer = Tokenizer::fromVocabFile(fika::test::bundledVocabPath());
        QVERIFY(tokenizer.ok());
        QCOMPARE(spansOf(tokenizer.value(), "\xff\xfe" "abc d"), QStringLiteral("0:abc[2,5) 1:d[6,7)"));
    }

    // The spans' tokens are exactly what encode() gives, for every truncation.
    void spannedEncodingEqualsEncode()
    {
        FIKA_REQUIRE_SHARED("golden/tokenizer/tricky.jsonl");
        auto tokenizer = Tokenizer::fromVocabFile(fika::test::bundledVocabPath());
        QVERIFY(tokenizer.ok());
        const std::string lines = fika::test::readBytes(fika::test::sharedPath("golden/tokenizer/tricky.jsonl"));
        std::istringstream stream(lines);
        int checked = 0;
        for (std::string line; std::getline(stream, line);) {
            if (line.empty())
                continue;
            const std::string text = nlohmann::json::parse(line)["text"].get<std::string>();
            for (Truncation truncation : {Truncation::Head, Truncation::Tail, Truncation::HeadTail}) {
                for (int length : {8, 512}) {
                    const Encoding plain = tokenizer->encode(text, length, truncation, false);
                    const SpannedEncoding spanned = tokenizer->encodeWithSpans(text, length, truncation);
                    QCOMPARE(spanned.encoding.ids, plain.ids);
                    QCOMPARE(spanned.encoding.truncated, plain.truncated);
                    QCOMPARE(spanned.encoding.attentionMask, plain.attentionMask);
                    QCOMPARE(spanned.spans.size(), plain.ids.size());
                    const auto codePoints = static_cast<int32_t>(QString::fromUtf8(text.data(), static_cast<int>(text.size())).toUcs4().size());
                    for (size_t t = 1; t + 1 < spanned.spans.size(); ++t) {
                        const TokenSpan& span = spanned.spans[t];
                        QVERIFY2(span.start >= 0 && span.start < span.end && span.end <= codePoints, line.c_str());
                        if (t > 1)
                            QVERIFY2(span.start >= spanned.spans[t - 1].start, line.c_str());
                    }
                }
            }
            ++checked;
        }
        QVERIFY(checked > 30);
    }

    void rejectsBadOptions()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/config.json");
        const LoadedCheckpoint tiny = loadTiny();
        ExplainOptions options;
        options.steps = 0;
        auto result = explainPrediction(tiny, "fine", 512, Truncation::Head, options);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(result.error().message, std::string("steps must be between 1 and 1024 (got 0)"));
        options = {};
        options.classId = 2;
        result = explainPrediction(tiny, "fine", 512, Truncation::Head, options);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message, std::string("class 2 does not exist: the model has 2 classes (0 to 1)"));
        options = {};
        options.batchSize = -1;
        QVERIFY(!explainPrediction(tiny, "fine", 512, Truncation::Head, options).ok());
        // An empty text has no words to explain: no attributions, nothing to divide.
        auto empty = explainPrediction(tiny, "", 512, Truncation::Head);
        QVERIFY2(empty.ok(), empty.ok() ? "" : empty.error().message.c_str());
        QVERIFY(empty->words.empty());
        QCOMPARE(empty->logit, empty->baselineLogit);
    }

    // Σ attributions = f(x) − f(baseline): the error for 8/16/32/64 steps, within 1 % at 32.
    void completeness()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/config.json");
        const LoadedCheckpoint tiny = loadTiny();
        const auto texts = goldenTexts();
        qInfo("relative completeness error |sum - (f(x) - f(baseline))| / |f(x) - f(baseline)| on tiny-bert:");
        qInfo("steps   worst        mean");
        for (int steps : {8, 16, 32, 64}) {
            double worst = 0.0, total = 0.0;
            for (const auto& text : texts) {
                ExplainOptions options;
                options.steps = steps;
                auto explanation = explainPrediction(tiny, text, 512, Truncation::Head, options);
                QVERIFY2(explanation.ok(), explanation.ok() ? "" : explanation.error().message.c_str());
                const double difference = double(explanation->logit) - double(explanation->baselineLogit);
                const double error = std::abs(explanation->attributionSum() - difference) / std::abs(difference);
                worst = std::max(worst, error);
                total += error;
                if (steps == 32)
                    QVERIFY2(error <= 0.01, qPrintable(QStringLiteral("%1: %2").arg(QString::fromStdString(text)).arg(error)));
                double wordSum = 0.0;
                for (const auto& word : explanation->words)
                    wordSum += word.attribution;
                QVERIFY(std::abs(wordSum - explanation->attributionSum()) <= 1e-6 * std::abs(difference) + 1e-9);
            }
            qInfo("%5d   %.3e    %.3e", steps, worst, total / static_cast<double>(texts.size()));
        }
    }

    // The same numbers as the Python reference (PyTorch 1.13, its own tokenizer with offsets).
    void matchesPythonReference()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/config.json");
        const LoadedCheckpoint tiny = loadTiny();
        const nlohmann::json golden = readGolden();
        double worstRelative = 0.0, worstAbsolute = 0.0;
        for (const auto& entry : golden["texts"]) {
            const std::string text = entry["text"];
            ExplainOptions options;
            options.steps = golden["steps"];
            auto explanation = explainPrediction(tiny, text, 512, Truncation::Head, options);
            QVERIFY2(explanation.ok(), explanation.ok() ? "" : explanation.error().message.c_str());
            QCOMPARE(explanation->label, entry["class"].get<std::string>());
            QVERIFY(std::abs(explanation->logit - entry["logit"].get<double>()) < 1e-5);
            QVERIFY(std::abs(explanation->baselineLogit - entry["baseline_logit"].get<double>()) < 1e-5);
            // tiny-bert's weights are small, so are its attributions (~1e-4): compare them relative to
            // the text's largest one.
            double scale = 0.0;
            for (const auto& token : entry["tokens"])
                scale = std::max(scale, std::abs(token["attribution"].get<double>()));
            QCOMPARE(explanation->tokens.size(), entry["tokens"].size());
            for (size_t t = 0; t < explanation->tokens.size(); ++t) {
                const TokenAttribution& token = explanation->tokens[t];
                const auto& expected = entry["tokens"][t];
                QCOMPARE(token.token, expected["token"].get<std::string>());
                QCOMPARE(token.start, expected["start"].get<int32_t>());
                QCOMPARE(token.end, expected["end"].get<int32_t>());
                QCOMPARE(token.word, expected["word"].get<int32_t>());
                const double error = std::abs(token.attribution - expected["attribution"].get<double>());
                worstAbsolute = std::max(worstAbsolute, error);
                worstRelative = std::max(worstRelative, error / scale);
                QVERIFY2(error <= 1e-4 * scale, qPrintable(QStringLiteral("%1 token %2").arg(QString::fromStdString(text)).arg(t)));
            }
            QCOMPARE(explanation->words.size(), entry["words"].size());
            for (size_t w = 0; w < explanation->words.size(); ++w) {
                const WordAttribution& word = explanation->words[w];
                const auto& expected = entry["words"][w];
                QCOMPARE(word.word, expected["word"].get<std::string>());
                QCOMPARE(word.start, expected["start"].get<int32_t>());
                QCOMPARE(word.end, expected["end"].get<int32_t>());
                QVERIFY(std::abs(word.attribution - expected["attribution"].get<double>()) <= 1e-4 * scale);
            }
        }
        qInfo("against the Python reference: largest token error %.3e absolute, %.3e of the text's largest attribution",
              worstAbsolute, worstRelative);
    }

    // A model trained on a task that one word decides must point at that word.
    void decidingWordGetsTheLargestAttribution()
    {
        QTemporaryDir dir;
        const std::string csv = dir.filePath(QStringLiteral("reviews.csv")).toStdString();
        std::string rows = "review,sentiment\n";
        for (const auto& [text, decisive] : oneWordTask(600, 7))
            rows += "\"" + text + "\"," + classOf(decisive) + "\n";
        fika::test::writeBytes(csv, rows);
        ExperimentConfig config = fika::test::tinyTrainingConfig(csv, dir.filePath(QStringLiteral("run")).toStdString());
        config.training.epochs = 6;
        TrainObserver quiet;
        auto summary = train(config, quiet);
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().message.c_str());
        auto predictor = Predictor::fromCheckpoint(config.output.dir + "/checkpoints/best");
        QVERIFY2(predictor.ok(), predictor.ok() ? "" : predictor.error().message.c_str());

        int pointed = 0, correct = 0, explained = 0;
        for (const auto& [text, decisive] : oneWordTask(300, 1234)) {
            if (decisive.empty())
                continue; // neutral: no word decides it
            auto explanation = predictor.value()->explain(text);
            QVERIFY2(explanation.ok(), explanation.ok() ? "" : explanation.error().message.c_str());
            correct += explanation->label == classOf(decisive);
            const auto top = std::max_element(explanation->words.begin(), explanation->words.end(),
                                              [](const auto& a, const auto& b) { return a.attribution < b.attribution; });
            pointed += top->word == decisive;
            ++explained;
        }
        const double share = double(pointed) / double(explained);
        qInfo("the deciding word has the largest attribution in %d of %d held-out texts (%.1f %%); %d classified right",
              pointed, explained, 100.0 * share, correct);
        QVERIFY(share >= 0.95);

        // Completeness on a trained model: its logit can jump along the path (a class boundary
        // crossed within a few hundredths of it), which a few dozen points cannot integrate. The
        // table shows the error falling with more steps; the explanation reports it (completenessGap).
        qInfo("relative completeness error on this model, 20 texts: steps, worst, mean");
        const auto texts = oneWordTask(20, 99);
        for (int steps : {8, 16, 32, 64, 128, 256, 512, 1024}) {
            double worst = 0.0, total = 0.0;
            for (const auto& [text, decisive] : texts) {
                ExplainOptions options;
                options.steps = steps;
                auto explanation = predictor.value()->explain(text, options);
                QVERIFY(explanation.ok());
                const double difference = double(explanation->logit) - double(explanation->baselineLogit);
                const double error = std::abs(explanation->completenessGap()) / std::max(std::abs(difference), 1e-3);
                worst = std::max(worst, error);
                total += error;
            }
            if (steps == 1024) // enough points for its jumps: the integral converges
                QVERIFY2(worst <= 0.01, qPrintable(QString::number(worst)));
            qInfo("%5d   %.3e    %.3e", steps, worst, total / static_cast<double>(texts.size()));
        }
    }

    // fika-cli predict --explain: words with scores, the JSON the issue fixes, the HTML report, and
    // clear errors for options that cannot be used.
    void cliExplains()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/config.json");
        QTemporaryDir dir;
        const QString checkpoint = dir.filePath(QStringLiteral("tiny"));
        QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("--checkpoint"), QString::fromStdString(fika::test::sharedPath("golden/tiny-bert")),
                         QStringLiteral("--vocab"), QString::fromStdString(fika::test::bundledVocabPath()), QStringLiteral("--out"), checkpoint})
                     .exitCode,
                 0);
        const QString cafe = QStringLiteral("Café déjà vu: the acting was superb!");
        const QString worst = QStringLiteral("Worst film ever.");
        const QStringList base = {QStringLiteral("predict"), QStringLiteral("--checkpoint"), checkpoint};

        const Run json = runCli(base + QStringList{QStringLiteral("--explain"), QStringLiteral("--json"), cafe, worst});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const auto out = nlohmann::json::parse(json.out.toStdString());
        QCOMPARE(out.size(), size_t(2));
        for (size_t i = 0; i < out.size(); ++i) {
            const auto& row = out[i];
            for (const char* key : {"label", "probabilities", "logits", "explanation"})
                QVERIFY2(row.contains(key), key);
            const auto& e = row["explanation"];
            QCOMPARE(e.size(), size_t(5)); // class, logit, baseline_logit, steps, words: nothing else
            QCOMPARE(e["class"].get<std::string>(), row["label"].get<std::string>());
            QCOMPARE(e["steps"].get<int>(), 32);
            const std::u32string text = (i == 0 ? cafe : worst).toStdU32String();
            double sum = 0.0;
            int32_t previousEnd = 0;
            for (const auto& word : e["words"]) {
                QCOMPARE(word.size(), size_t(4));
                const auto start = word["start"].get<int32_t>(), end = word["end"].get<int32_t>();
                QVERIFY(start >= previousEnd && end > start && end <= static_cast<int32_t>(text.size()));
                // start/end are code points of the text as given: the word is that slice.
                QCOMPARE(QString::fromStdU32String(text.substr(static_cast<size_t>(start), static_cast<size_t>(end - start))),
                         QString::fromStdString(word["word"].get<std::string>()));
                previousEnd = end;
                sum += word["attribution"].get<double>();
            }
            const double difference = e["logit"].get<double>() - e["baseline_logit"].get<double>();
            QVERIFY2(std::abs(sum - difference) <= 0.01 * std::abs(difference), qPrintable(QStringLiteral("%1 vs %2").arg(sum).arg(difference)));
        }
        QCOMPARE(out[0]["explanation"]["words"][1]["word"].get<std::string>(), std::string("déjà"));
        QCOMPARE(out[0]["explanation"]["words"][1]["start"].get<int>(), 5);

        const Run text = runCli(base + QStringList{QStringLiteral("--explain"), QStringLiteral("--steps"), QStringLiteral("8"), worst});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("8 steps") && text.out.contains("\tWorst\n") && text.out.contains("\tfilm\n"), text.out.constData());

        const Run other = runCli(base + QStringList{QStringLiteral("--explain"), QStringLiteral("--json"), QStringLiteral("--explain-class"),
                                                    QStringLiteral("negative"), worst});
        QCOMPARE(other.exitCode, 0);
        QCOMPARE(nlohmann::json::parse(other.out.toStdString())[0]["explanation"]["class"].get<std::string>(), std::string("negative"));

        const QString html = dir.filePath(QStringLiteral("report/explained.html"));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("report"))); // --explain-html creates no folders
        const Run report = runCli(base + QStringList{QStringLiteral("--explain-html"), html, QStringLiteral("--sequence-length"),
                                                     QStringLiteral("6"), cafe, QStringLiteral("<b>bold</b> & co")});
        QVERIFY2(report.exitCode == 0, report.err.constData());
        const std::string page = fika::test::readBytes(html.toStdString());
        QVERIFY(page.rfind("<!DOCTYPE html>", 0) == 0);
        QVERIFY(page.find(">déjà</span>") != std::string::npos);
        QVERIFY(page.find("not seen by the model") != std::string::npos); // cut at 6 tokens
        QVERIFY(page.find(">&lt;</span>") != std::string::npos);           // the text is escaped
        QVERIFY(page.find("&amp; co") != std::string::npos);
        QVERIFY(page.find("<b>bold") == std::string::npos);
        QVERIFY(page.find("http") == std::string::npos);                   // self-contained

        const Run stepsAlone = runCli(base + QStringList{QStringLiteral("--steps"), QStringLiteral("8"), worst});
        QCOMPARE(stepsAlone.exitCode, 2);
        QVERIFY2(stepsAlone.err.contains("--steps and --explain-class need --explain or --explain-html"), stepsAlone.err.constData());
        const Run zeroSteps = runCli(base + QStringList{QStringLiteral("--explain"), QStringLiteral("--steps"), QStringLiteral("0"), worst});
        QCOMPARE(zeroSteps.exitCode, 2);
        QVERIFY2(zeroSteps.err.contains("--steps"), zeroSteps.err.constData());
        const Run unknownClass = runCli(base + QStringList{QStringLiteral("--explain"), QStringLiteral("--explain-class"), QStringLiteral("neutral"), worst});
        QCOMPARE(unknownClass.exitCode, 1);
        QVERIFY2(unknownClass.err.contains("--explain-class neutral: the model has no such class (it has negative, positive)"),
                 unknownClass.err.constData());
        const Run folder = runCli(base + QStringList{QStringLiteral("--explain-html"), dir.path(), worst});
        QCOMPARE(folder.exitCode, 1);
    }

    // BERT-mini shape (4 layers, hidden 256), random weights: one 256-token review, 32 steps.
    void benchBertMiniReview()
    {
        if (qEnvironmentVariableIsEmpty("FIKA_BENCH"))
            QSKIP("a benchmark: FIKA_BENCH=1 (ctest -L bench) runs it");
        initRuntime(0); // every core, as fika and fika-cli do
        auto tokenizer = Tokenizer::fromVocabFile(fika::test::bundledVocabPath());
        QVERIFY(tokenizer.ok());
        LoadedCheckpoint checkpoint;
        checkpoint.config = BertConfig::mini();
        checkpoint.config.labels = {"negative", "positive"};
        checkpoint.model = BertClassifier(checkpoint.config);
        checkpoint.model->eval();
        checkpoint.tokenizer = std::make_shared<const Tokenizer>(std::move(tokenizer.value()));
        std::string review;
        while (checkpoint.tokenizer->encodeIds(review).size() < 300)
            review += "The film's pacing is uneven, but the performances are wonderful and the score lingers. ";
        const Encoding encoding = checkpoint.tokenizer->encode(review, 256, Truncation::Head, false);
        QCOMPARE(encoding.ids.size(), size_t(256));
        QVERIFY(explainPrediction(checkpoint, review, 256, Truncation::Head).ok()); // warm-up
        // CPU time too: on a shared machine the wall time says more about the neighbours.
        const auto cpuSeconds = [] {
            timespec t{};
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
            return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
        };
        double best = 1e9, bestCpu = 1e9;
        for (int run = 0; run < 3; ++run) {
            const auto start = std::chrono::steady_clock::now();
            const double cpuStart = cpuSeconds();
            auto explanation = explainPrediction(checkpoint, review, 256, Truncation::Head);
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            QVERIFY(explanation.ok());
            best = std::min(best, seconds);
            bestCpu = std::min(bestCpu, cpuSeconds() - cpuStart);
        }
        qInfo("explain: BERT-mini shape (%lld layers, hidden %lld), 256 tokens, 32 steps, %d threads, OpenBLAS %s: "
              "%.3f s (%.3f s of CPU time)",
              static_cast<long long>(checkpoint.config.numLayers), static_cast<long long>(checkpoint.config.hiddenSize),
              torch::get_num_threads(), blasCoreName().c_str(), best, bestCpu);
    }
};

QTEST_GUILESS_MAIN(TestExplanation)
#include "tst_explanation.moc"
