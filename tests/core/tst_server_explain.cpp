// SPDX-License-Identifier: GPL-3.0-or-later
// POST /predict?explain=true over real loopback HTTP with the tiny-bert golden: the words and their
// attributions (complete within 1 %, offsets into the text as sent), the JSON fields, every bad
// parameter (400), work over the budget (413), and /health and plain predictions answered, unchanged,
// while an explanation runs.
#include <torch/torch.h>

#include "test_support.h"

#include "model/checkpoint.h"
#include "model/predictor.h"
#include "serve/prediction_server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <QString>

#include <atomic>
#include <chrono>
#include <thread>

using namespace fika::core;

namespace {

const std::string kToken = "0123456789abcdef0123456789abcdef";
const std::string kForm = "multipart/form-data; boundary=fika-boundary";
const std::string kReview = "Déjà vu: a fun brain candy movie...good dialog. A genuinely good day";

nlohmann::json parse(const httplib::Result& r)
{
    return r ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
}

std::string form(const std::string& text)
{
    return "--fika-boundary\r\nContent-Disposition: form-data; name=\"review\"\r\n\r\n" + text + "\r\n--fika-boundary--\r\n";
}

// A review of about `words` words, each one WordPiece token of the bundled vocabulary.
std::string longReview(int words)
{
    std::string text;
    for (int w = 0; w < words; ++w)
        text += w % 4 ? "good " : "dull ";
    return text;
}

// The text's code points [start, end), as UTF-8.
std::string codePoints(const std::string& text, int start, int end)
{
    const QList<uint> all = QString::fromStdString(text).toUcs4();
    if (start < 0 || end < start || end > all.size())
        return "<out of range>";
    return QString::fromUcs4(reinterpret_cast<const char32_t*>(all.constData() + start), end - start).toStdString();
}

} // namespace

class TestServerExplain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/config.json");
        LoadOptions load;
        load.fallbackVocab = fika::test::bundledVocabPath();
        auto loaded = loadCheckpoint(fika::test::sharedPath("golden/tiny-bert"), load);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
        m_predictor = Predictor::fromLoaded(std::move(loaded.value()));
        ServerOptions options;
        options.token = kToken;
        m_server = std::make_unique<PredictionServer>(m_predictor, options);
        auto started = m_server->start();
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
    }

    // The tutorial's multipart request with ?explain=true: the usual answer plus the explanation
    // of its label, whose word attributions add up to logit − baseline logit within 1 %.
    void explainMultipart()
    {
        httplib::Client client(m_server->url());
        client.set_bearer_token_auth(kToken);
        client.set_read_timeout(60, 0);
        auto plain = client.Post("/predict", form(kReview), kForm);
        auto r = client.Post("/predict?explain=true", form(kReview), kForm);
        QVERIFY(plain && plain->status == 200);
        QVERIFY2(r && r->status == 200, r ? r->body.c_str() : "no response");
        const auto body = parse(r), expected = parse(plain);
        QCOMPARE(body["sentiment"].dump(), expected["sentiment"].dump()); // the same answer as without explain
        QVERIFY(body["label"] == expected["label"]);
        const auto& e = body["explanation"];
        QVERIFY(e["class"] == body["label"]);
        QCOMPARE(e["steps"].get<int>(), 32);
        QVERIFY(!e.contains("truncated"));
        const double difference = e["logit"].get<double>() - e["baseline_logit"].get<double>();
        QVERIFY(std::abs(difference) > 0);
        double sum = 0.0;
        int previousEnd = 0;
        for (const auto& word : e["words"]) {
            sum += word["attribution"].get<double>();
            const int start = word["start"], end = word["end"];
            QVERIFY(start >= previousEnd && end > start); // in order, not overlapping
            previousEnd = end;
            QCOMPARE(codePoints(kReview, start, end), word["word"].get<std::string>()); // code points, accents and all
        }
        QCOMPARE(e["words"][0]["word"].get<std::string>(), std::string("Déjà"));
        QCOMPARE(e["words"][1]["start"].get<int>(), 5); // "vu": after 5 code points (7 bytes)
        QVERIFY2(std::abs(sum - difference) <= 0.01 * std::abs(difference),
                 qPrintable(QStringLiteral("words sum to %1, logit - baseline logit is %2").arg(sum).arg(difference)));
        // The same numbers as Predictor::explain for the same class.
        ExplainOptions options;
        options.classId = body["label"] == "positive" ? 1 : 0;
        auto direct = m_predictor->explain(kReview, options);
        QVERIFY(direct.ok());
        QCOMPARE(e["words"].size(), direct->words.size());
        for (size_t w = 0; w < direct->words.size(); ++w)
            QCOMPARE(e["words"][w]["attribution"].get<float>(), direct->words[w].attribution);
    }

    // JSON bodies: "explain" and "steps" beside "rows" or the input field, or in the query.
    void explainJson()
    {
        httplib::Client client(m_server->url());
        client.set_bearer_token_auth(kToken);
        client.set_read_timeout(60, 0);
        const std::vector<std::string> texts = {"great fun", "dull and long", kReview};
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& text : texts)
            rows.push_back({{"review", text}});
        auto batch = client.Post("/predict", nlohmann::json{{"rows", rows}, {"explain", true}, {"steps", 16}}.dump(), "application/json");
        QVERIFY2(batch && batch->status == 200, batch ? batch->body.c_str() : "no response");
        const auto answered = parse(batch)["rows"];
        QCOMPARE(answered.size(), texts.size());
        for (size_t i = 0; i < texts.size(); ++i) {
            const auto& e = answered[i]["explanation"];
            QCOMPARE(e["steps"].get<int>(), 16);
            QVERIFY(e["class"] == answered[i]["label"]);
            QCOMPARE(e["words"].back()["end"].get<int>(), static_cast<int>(QString::fromStdString(texts[i]).toUcs4().size()));
        }
        auto single = client.Post("/predict?explain=true&steps=8", nlohmann::json{{"review", "great fun"}}.dump(), "application/json");
        QVERIFY2(single && single->status == 200, single ? single->body.c_str() : "no response");
        QCOMPARE(parse(single)["explanation"]["steps"].get<int>(), 8);
        auto field = client.Post("/predict", nlohmann::json{{"review", "great fun"}, {"explain", true}}.dump(), "application/json");
        QVERIFY(field && field->status == 200);
        QCOMPARE(parse(field)["explanation"]["words"].size(), size_t(2));
        auto agreeing = client.Post("/predict?explain=true&steps=8", nlohmann::json{{"review", "fun"}, {"explain", true}, {"steps", 8}}.dump(),
                                    "application/json");
        QVERIFY(agreeing && agreeing->status == 200);
    }

    // Without explain (or with explain=false) the answer is what it always was.
    void explainFalseUnchanged()
    {
        httplib::Client client(m_server->url());
        client.set_bearer_token_auth(kToken);
        const std::string body = nlohmann::json{{"review", kReview}}.dump();
        auto plain = client.Post("/predict", body, "application/json");
        auto no = client.Post("/predict?explain=false", body, "application/json");
        auto zero = client.Post("/predict?explain=0", nlohmann::json{{"review", kReview}, {"explain", false}}.dump(), "application/json");
        QVERIFY(plain && no && zero);
        QCOMPARE(plain->status, 200);
        QVERIFY(!parse(plain).contains("explanation"));
        QCOMPARE(no->body, plain->body);
        QCOMPARE(zero->body, plain->body);
        QCOMPARE(parse(plain)["sentiment"].size(), size_t(2));
    }

    void badParameters_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("body"); // JSON; empty: a multipart form
        QTest::addColumn<QString>("message");
        const QString review = QStringLiteral("\"review\": \"great fun\"");
        QTest::newRow("steps not a number") << QStringLiteral("/predict?explain=true&steps=abc") << QString() << QStringLiteral("steps must be a whole number from 1 to 1024 (got 'abc')");
        QTest::newRow("steps 0") << QStringLiteral("/predict?explain=true&steps=0") << QString() << QStringLiteral("(got '0')");
        QTest::newRow("steps negative") << QStringLiteral("/predict?explain=true&steps=-3") << QString() << QStringLiteral("(got '-3')");
        QTest::newRow("steps over the maximum") << QStringLiteral("/predict?explain=true&steps=1025") << QString() << QStringLiteral("from 1 to 1024");
        QTest::newRow("steps huge") << QStringLiteral("/predict?explain=true&steps=99999999999999999999") << QString() << QStringLiteral("from 1 to 1024");
        QTest::newRow("steps empty") << QStringLiteral("/predict?explain=true&steps=") << QString() << QStringLiteral("(got '')");
        QTest::newRow("explain not a boolean") << QStringLiteral("/predict?explain=maybe") << QString() << QStringLiteral("explain must be true or false (got 'maybe')");
        QTest::newRow("steps without explain") << QStringLiteral("/predict?steps=8") << QString() << QStringLiteral("explain=true");
        QTest::newRow("JSON steps a string") << QStringLiteral("/predict") << (QStringLiteral("{") + review + QStringLiteral(", \"explain\": true, \"steps\": \"32\"}")) << QStringLiteral("(got \"32\")");
        QTest::newRow("JSON steps a fraction") << QStringLiteral("/predict") << (QStringLiteral("{") + review + QStringLiteral(", \"explain\": true, \"steps\": 2.5}")) << QStringLiteral("(got 2.5)");
        QTest::newRow("JSON explain a string") << QStringLiteral("/predict") << (QStringLiteral("{") + review + QStringLiteral(", \"explain\": \"yes\"}")) << QStringLiteral("'explain' must be true or false");
        QTest::newRow("JSON rows, steps 0") << QStringLiteral("/predict") << QStringLiteral("{\"rows\": [{\"review\": \"x\"}], \"explain\": true, \"steps\": 0}") << QStringLiteral("(got 0)");
        QTest::newRow("query and body disagree") << QStringLiteral("/predict?explain=true&steps=8") << (QStringLiteral("{") + review + QStringLiteral(", \"steps\": 16}")) << QStringLiteral("disagrees");
        // Given twice in the query: the first was used, the second silently ignored.
        QTest::newRow("explain twice") << QStringLiteral("/predict?explain=true&explain=false") << QString() << QStringLiteral("explain is given twice in the query");
        QTest::newRow("steps twice") << QStringLiteral("/predict?explain=true&steps=8&steps=16") << QString() << QStringLiteral("steps is given twice in the query");
    }

    void badParameters()
    {
        QFETCH(QString, path);
        QFETCH(QString, body);
        QFETCH(QString, message);
        httplib::Client client(m_server->url());
        client.set_bearer_token_auth(kToken);
        const int64_t before = m_server->batchStats().texts;
        auto r = body.isEmpty() ? client.Post(path.toStdString(), form("great fun"), kForm)
                                : client.Post(path.toStdString(), body.toStdString(), "application/json");
        QVERIFY(r);
        QCOMPARE(r->status, 400);
        const std::string error = parse(r).value("error", std::string());
        QVERIFY2(error.find(message.toStdString()) != std::string::npos, error.c_str());
        QCOMPARE(m_server->batchStats().texts, before); // refused before any work
    }

    // Over the budget of path-point tokens: 413 naming the numbers, at once, with nothing computed.
    void workOverTheLimit()
    {
        httplib::Client client(m_server->url());
        client.set_bearer_token_auth(kToken);
        const int64_t before = m_server->batchStats().texts;
        const std::string text = longReview(100); // 102 tokens with [CLS] and [SEP]
        QCOMPARE(m_predictor->tokenCount(text), 102);
        const auto started = std::chrono::steady_clock::now();
        auto r = client.Post("/predict?explain=true&steps=1024", form(text), kForm);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        const std::string error = parse(r).value("error", std::string());
        QVERIFY2(error.find("1 text of 102 tokens with 1024 steps is 104448 path-point tokens") != std::string::npos, error.c_str());
        QVERIFY2(error.find("limit of 65536") != std::string::npos, error.c_str());
        QVERIFY2(seconds < 5, qPrintable(QStringLiteral("%1 s").arg(seconds)));
        QCOMPARE(m_server->batchStats().texts, before);
        // The same summed over rows: 3 × 102 tokens × 256 steps.
        nlohmann::json rows = nlohmann::json::array({{{"review", text}}, {{"review", text}}, {{"review", text}}});
        auto many = client.Post("/predict?explain=true&steps=256", nlohmann::json{{"rows", rows}}.dump(), "application/json");
        QVERIFY(many && many->status == 413);
        QVERIFY2(parse(many)["error"].get<std::string>().find("3 texts of 306 tokens") != std::string::npos, many->body.c_str());
        // Just within it: 102 × 642 = 65,484.
        client.set_read_timeout(120, 0);
        auto within = client.Post("/predict?explain=true&steps=642", form(text), kForm);
        QVERIFY2(within && within->status == 200, within ? within->body.c_str() : "no response");
    }

    // A long explanation runs on its own thread: /health and plain predictions are answered meanwhile,
    // with the numbers they get on an idle server.
    void explanationBlocksNeitherHealthNorPredictions()
    {
        ServerOptions options;
        options.token = kToken;
        options.maxExplainWork = int64_t(1) << 30;
        PredictionServer server(m_predictor, options);
        QVERIFY(server.start().ok());
        const std::vector<std::string> texts = {kReview, "great fun", "dull and long"};
        const auto expected = m_predictor->predict(texts);
        std::atomic<bool> explainDone{false};
        std::atomic<int> explainStatus{0};
        std::thread explaining([&] {
            httplib::Client client(server.url());
            client.set_bearer_token_auth(kToken);
            client.set_read_timeout(300, 0);
            auto r = client.Post("/predict?explain=true&steps=192", form(longReview(500)), kForm);
            explainStatus = r ? r->status : -1;
            explainDone = true;
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(300)); // it is being explained
        httplib::Client client(server.url());
        client.set_bearer_token_auth(kToken);
        client.set_read_timeout(60, 0);
        int answered = 0;
        double slowestHealthMs = 0.0;
        while (!explainDone && answered < 20) {
            const auto started = std::chrono::steady_clock::now();
            auto health = client.Get("/health");
            slowestHealthMs = std::max(slowestHealthMs,
                                       std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
            QVERIFY(health && health->status == 200);
            nlohmann::json rows = nlohmann::json::array();
            for (const auto& text : texts)
                rows.push_back({{"review", text}});
            auto r = client.Post("/predict", nlohmann::json{{"rows", rows}}.dump(), "application/json");
            QVERIFY(r && r->status == 200);
            const auto answer = parse(r)["rows"];
            for (size_t i = 0; i < texts.size(); ++i)
                QVERIFY2(std::abs(answer[i]["sentiment"]["positive"].get<double>() - expected[i].probabilities[1]) < 1e-6, r->body.c_str());
            ++answered;
        }
        const bool stillExplaining = !explainDone;
        explaining.join();
        QCOMPARE(explainStatus.load(), 200);
        QVERIFY2(stillExplaining, "the explanation finished before the other requests were answered: make it longer");
        QCOMPARE(answered, 20);
        QVERIFY2(slowestHealthMs < 1000, qPrintable(QStringLiteral("/health took %1 ms").arg(slowestHealthMs)));
    }

    // Stopping with an explanation in flight answers it (or says the server is stopping): never a hang.
    void stopWithExplanationsInFlight()
    {
        ServerOptions options;
        options.token = kToken;
        options.maxExplainWork = int64_t(1) << 30;
        PredictionServer server(m_predictor, options);
        QVERIFY(server.start().ok());
        std::vector<std::thread> clients;
        std::atomic<int> answered{0};
        for (int c = 0; c < 3; ++c)
            clients.emplace_back([&] {
                httplib::Client client(server.url());
                client.set_bearer_token_auth(kToken);
                client.set_read_timeout(120, 0);
                auto r = client.Post("/predict?explain=true&steps=192", form(longReview(300)), kForm);
                if (r && (r->status == 200 || r->status == 503) && parse(r).is_object())
                    ++answered;
            });
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        const auto started = std::chrono::steady_clock::now();
        server.stop();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        for (auto& t : clients)
            t.join();
        QCOMPARE(answered.load(), 3);
        QVERIFY2(seconds < 35, qPrintable(QStringLiteral("stop took %1 s").arg(seconds)));
    }

    void openApiDescribesExplain()
    {
        httplib::Client client(m_server->url());
        const auto spec = parse(client.Get("/openapi.json"));
        const auto& predict = spec["paths"]["/predict"]["post"];
        QCOMPARE(predict["parameters"][0]["name"].get<std::string>(), std::string("explain"));
        QCOMPARE(predict["parameters"][1]["schema"]["maximum"].get<int>(), kMaxExplainSteps);
        QVERIFY(predict["description"].get<std::string>().find("65536 path-point tokens") != std::string::npos);
        const auto& explanation = predict["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"][0]["properties"]["explanation"];
        for (const char* key : {"class", "logit", "baseline_logit", "steps", "words", "truncated"})
            QVERIFY2(explanation["properties"].contains(key), key);
        QVERIFY(explanation["description"].get<std::string>().find("[PAD]") != std::string::npos);
        QVERIFY(predict["responses"]["413"]["description"].get<std::string>().find("explanation") != std::string::npos);
        QVERIFY(predict["requestBody"]["content"]["application/json"]["schema"]["oneOf"][1]["properties"].contains("explain"));
    }

    void cleanupTestCase() { m_server.reset(); }

private:
    std::shared_ptr<Predictor> m_predictor;
    std::unique_ptr<PredictionServer> m_server;
};

QTEST_GUILESS_MAIN(TestServerExplain)
#include "tst_server_explain.moc"
