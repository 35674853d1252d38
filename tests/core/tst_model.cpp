// SPDX-License-Identifier: GPL-3.0-or-later
// BERT in LibTorch against Hugging Face transformers (goldens in ../shared/golden/tiny-bert):
// forward pass, loss, gradients, AdamW steps; checkpoint folders in and out; the safetensors reader.
#include <torch/torch.h>

#include "test_support.h"

#include "model/attention.h"
#include "model/checkpoint.h"
#include "model/predictor.h"
#include "model/safetensors.h"

#include <QProcess>
#include <QTemporaryDir>

#include <unistd.h>

#include <cmath>
#include <functional>
#include <cstring>
#include <limits>

#include <nlohmann/json.hpp>

using namespace fika::core;
namespace fs = std::filesystem;

namespace {

void flatten(const nlohmann::json& j, std::vector<float>& values, std::vector<int64_t>& shape, size_t depth)
{
    if (!j.is_array()) {
        values.push_back(j.get<float>());
        return;
    }
    if (shape.size() <= depth)
        shape.push_back(static_cast<int64_t>(j.size()));
    for (const auto& item : j)
        flatten(item, values, shape, depth + 1);
}

torch::Tensor tensorOf(const nlohmann::json& j)
{
    std::vector<float> values;
    std::vector<int64_t> shape;
    flatten(j, values, shape, 0);
    return torch::tensor(values).reshape(shape);
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kFloat) - b.to(torch::kFloat)).abs().max().item<double>();
}

// Relative error of a whole tensor: ||a − b|| / ||b|| (elementwise ratios blow up on near-zero entries).
double relativeError(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a - b).norm().item<double>() / b.norm().item<double>();
}

struct Golden {
    nlohmann::json json;
    torch::Tensor ids, mask, types, labels;
};

Golden loadGolden()
{
    Golden g;
    g.json = nlohmann::json::parse(fika::test::readBytes(fika::test::sharedPath("golden/tiny-bert/golden.json")));
    g.ids = tensorOf(g.json["input_ids"]).to(torch::kLong);
    g.mask = tensorOf(g.json["attention_mask"]).to(torch::kLong);
    g.types = tensorOf(g.json["token_type_ids"]).to(torch::kLong);
    g.labels = tensorOf(g.json["labels"]).to(torch::kLong);
    return g;
}

LoadedCheckpoint loadTiny(const std::string& folder = "golden/tiny-bert")
{
    LoadOptions options;
    options.fallbackVocab = fika::test::bundledVocabPath();
    auto loaded = loadCheckpoint(fika::test::sharedPath(folder), options);
    if (!loaded)
        qFatal("%s", loaded.error().message.c_str());
    return std::move(loaded.value());
}

// Builds a safetensors file from a JSON header and a data size.
std::string safetensorsBytes(const std::string& header, size_t dataBytes)
{
    std::string bytes(8, '\0');
    const uint64_t length = header.size();
    for (int i = 0; i < 8; ++i)
        bytes[static_cast<size_t>(i)] = static_cast<char>((length >> (8 * i)) & 0xFF);
    return bytes + header + std::string(dataBytes, '\x01');
}

// A checkpoint folder made from the tiny golden model: config.json with `patch` merged in (null
// removes a key), model.safetensors a link to the golden weights.
std::string tinyFixture(const QTemporaryDir& dir, const nlohmann::json& patch = nlohmann::json::object())
{
    auto config = nlohmann::json::parse(fika::test::readBytes(fika::test::sharedPath("golden/tiny-bert/config.json")));
    config.merge_patch(patch);
    const std::string folder = dir.path().toStdString();
    fika::test::writeBytes(folder + "/config.json", config.dump(2));
    fs::create_symlink(fika::test::sharedPath("golden/tiny-bert/model.safetensors"), folder + "/model.safetensors");
    return folder;
}

// Writes folder/model.safetensors: the tiny-bert golden weights (all float32, else false), each
// tensor's values passed through edit(name, values) first.
bool writeEditedTinyWeights(const std::string& folder,
                            const std::function<void(const std::string&, std::vector<float>&)>& edit)
{
    auto golden = SafetensorsFile::open(fika::test::sharedPath("golden/tiny-bert/model.safetensors"));
    if (!golden.ok())
        return false;
    std::vector<std::vector<float>> copies;
    std::vector<TensorToWrite> tensors;
    for (const auto& [name, view] : golden.value()->index().tensors) {
        if (view.dtype != TensorDtype::F32)
            return false;
        auto& copy = copies.emplace_back(static_cast<size_t>(view.numel()));
        std::memcpy(copy.data(), view.data, view.bytes);
        edit(name, copy);
        tensors.push_back({name, TensorDtype::F32, view.shape, copy.data(), view.bytes});
    }
    fs::remove(folder + "/model.safetensors");
    return writeSafetensors(folder + "/model.safetensors", tensors).ok();
}

Result<LoadedCheckpoint> loadFixture(const std::string& folder, const std::vector<std::string>& labels = {})
{
    LoadOptions options;
    options.fallbackVocab = fika::test::bundledVocabPath();
    options.labels = labels;
    return loadCheckpoint(folder, options);
}

} // namespace

class TestModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        torch::set_num_threads(2);
    }

    void configFromJson()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/config.json");
        auto config = loadBertConfig(fika::test::sharedPath("golden/tiny-bert/config.json"));
        QVERIFY(config.ok());
        QCOMPARE(config->hiddenSize, int64_t(32));
        QCOMPARE(config->numLayers, int64_t(2));
        QCOMPARE(config->labels, (std::vector<std::string>{"negative", "positive"}));
        QCOMPARE(config->hiddenAct, Activation::Gelu);
        QCOMPARE(BertConfig::base().parameterCount(), int64_t(109483778)); // BertForSequenceClassification, 2 labels

        auto bad = bertConfigFromJson(nlohmann::json{{"hidden_size", 30}, {"num_attention_heads", 4}}, "c.json");
        QVERIFY(bad.error().message.find("num_attention_heads") != std::string::npos);
        auto act = bertConfigFromJson(nlohmann::json{{"hidden_act", "swish"}}, "c.json");
        QVERIFY(act.error().message.find("hidden_act") != std::string::npos);
    }

    void parameterNamesAreHuggingFaces()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/golden.json");
        const Golden g = loadGolden();
        BertClassifier model(BertConfig::tiny());
        std::vector<std::string> ours;
        for (const auto& item : model->named_parameters())
            ours.push_back(item.key() + shapeOf(item.value()));
        std::vector<std::string> theirs;
        for (const auto& [name, shape] : g.json["param_shapes"].items())
            theirs.push_back(name + shapeOf(torch::zeros(shape.get<std::vector<int64_t>>())));
        std::sort(ours.begin(), ours.end());
        std::sort(theirs.begin(), theirs.end());
        QCOMPARE(ours, theirs);
    }

    void forwardMatchesReference()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/golden.json");
        const Golden g = loadGolden();
        LoadedCheckpoint tiny = loadTiny();
        QVERIFY(tiny.report.missing.empty());
        QVERIFY(tiny.report.newlyInitialized.empty());

        // Our tokenizer produces the reference's inputs.
        std::vector<Encoding> batch;
        for (const auto& text : g.json["texts"])
            batch.push_back(tiny.tokenizer->encode(text.get<std::string>(), 512, Truncation::Head, false));
        padToLongest(batch, 0);
        for (size_t i = 0; i < batch.size(); ++i)
            QCOMPARE(batch[i].ids, g.json["input_ids"][i].get<std::vector<int32_t>>());

        torch::NoGradGuard noGrad;
        const BertOutput out = tiny.model->forward(g.ids, g.mask, g.types);
        const double embedding = maxAbsDiff(out.embeddingOutput, tensorOf(g.json["embedding_output"]));
        const double hidden = maxAbsDiff(out.lastHiddenState, tensorOf(g.json["last_hidden_state"]));
        const double logits = maxAbsDiff(out.logits, tensorOf(g.json["logits"]));
        const double loss = std::abs(torch::cross_entropy_loss(out.logits, g.labels).item<double>() - g.json["loss"].get<double>());
        qInfo("max |Δ|: embeddings %.2g, last hidden state %.2g, logits %.2g, loss %.2g", embedding, hidden, logits, loss);
        QVERIFY(embedding < 1e-5);
        QVERIFY(hidden < 1e-5);
        QVERIFY(logits < 1e-5);
        QVERIFY(loss < 1e-5);
    }

    void gradientsMatchReference()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/golden.json");
        const Golden g = loadGolden();
        LoadedCheckpoint tiny = loadTiny();
        tiny.model->eval();
        const BertOutput out = tiny.model->forward(g.ids, g.mask, g.types);
        torch::cross_entropy_loss(out.logits, g.labels).backward();
        auto parameters = tiny.model->named_parameters();

        double worstFull = 0;
        for (const auto& [name, expected] : g.json["grads"].items()) {
            const torch::Tensor grad = parameters[name].grad();
            const double error = relativeError(grad, tensorOf(expected));
            qInfo("  %s: relative error %.2g", name.c_str(), error);
            worstFull = std::max(worstFull, error);
        }
        int normsChecked = 0;
        for (const auto& [name, expected] : g.json["grad_norms"].items()) {
            const double ours = parameters[name].grad().norm().item<double>();
            const double theirs = expected.get<double>();
            QVERIFY2(std::abs(ours - theirs) <= 1e-4 * std::abs(theirs) + 1e-8, name.c_str());
            ++normsChecked;
        }
        const torch::Tensor wordGrad = parameters["bert.embeddings.word_embeddings.weight"].grad();
        double worstRows = 0;
        for (const auto& [row, expected] : g.json["word_embedding_grad_rows"].items())
            worstRows = std::max(worstRows, maxAbsDiff(wordGrad[std::stoi(row)], tensorOf(expected)));
        qInfo("gradients: worst relative %.2g over full tensors, %d norms, word rows max |Δ| %.2g", worstFull,
              normsChecked, worstRows);
        QVERIFY(worstFull < 1e-4);
        QCOMPARE(normsChecked, 41);
        QVERIFY(worstRows < 1e-6);
    }

    void adamwStepsMatchReference()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/golden.json");
        const Golden g = loadGolden();
        LoadedCheckpoint tiny = loadTiny();
        tiny.model->eval();
        const auto& adamw = g.json["adamw"];
        torch::optim::AdamW optimizer(tiny.model->parameters(),
                                      torch::optim::AdamWOptions(adamw["lr"].get<double>())
                                          .betas({adamw["betas"][0].get<double>(), adamw["betas"][1].get<double>()})
                                          .eps(adamw["eps"].get<double>())
                                          .weight_decay(adamw["weight_decay"].get<double>()));
        const auto expected = adamw["losses_before_each_step"].get<std::vector<double>>();
        for (size_t step = 0; step < expected.size(); ++step) {
            optimizer.zero_grad();
            const torch::Tensor loss = torch::cross_entropy_loss(tiny.model->forward(g.ids, g.mask, g.types).logits, g.labels);
            QVERIFY2(std::abs(loss.item<double>() - expected[step]) < 1e-5, std::to_string(step).c_str());
            loss.backward();
            optimizer.step();
            if (step == 0) {
                torch::NoGradGuard noGrad;
                const double diff = maxAbsDiff(tiny.model->forward(g.ids, g.mask, g.types).logits,
                                               tensorOf(g.json["logits_after_one_adamw_step"]));
                QVERIFY(diff < 1e-5);
            }
        }
    }

    // The memory-saving attention (scores recomputed in backward) against plain autograd, dropout on.
    void recomputingAttentionMatchesAutograd()
    {
        torch::manual_seed(3);
        auto make = [] { return torch::randn({2, 3, 7, 5}, torch::requires_grad()); };
        const torch::Tensor q = make(), k = make(), v = make();
        torch::Tensor mask = torch::zeros({2, 1, 1, 7});
        mask.index_put_({1, 0, 0, torch::indexing::Slice(5, 7)}, std::numeric_limits<float>::lowest());
        const torch::Tensor keep = torch::rand({2, 3, 7, 7}) >= 0.25;
        const torch::Tensor upstream = torch::randn({2, 3, 7, 5});

        const torch::Tensor ours = attention(q, k, v, mask, keep, 0.75);
        const auto oursGrads = torch::autograd::grad({ours}, {q, k, v}, {upstream});
        const torch::Tensor reference = attentionReference(q, k, v, mask, keep, 0.75);
        const auto referenceGrads = torch::autograd::grad({reference}, {q, k, v}, {upstream});
        QVERIFY(maxAbsDiff(ours, reference) < 1e-6);
        for (size_t i = 0; i < 3; ++i)
            QVERIFY2(maxAbsDiff(oursGrads[i], referenceGrads[i]) < 1e-5, std::to_string(i).c_str());
    }

    void legacyLayoutsGiveTheSameEncoder_data()
    {
        QTest::addColumn<QString>("weights");
        QTest::newRow("safetensors, gamma/beta, cls heads") << QStringLiteral("model.safetensors");
        QTest::newRow("pytorch_model.bin") << QStringLiteral("pytorch_model.bin");
    }
    void legacyLayoutsGiveTheSameEncoder()
    {
        QFETCH(QString, weights);
        FIKA_REQUIRE_SHARED("golden/tiny-bert-legacy/config.json");
        const Golden g = loadGolden();
        QTemporaryDir dir;
        for (const char* file : {"config.json"})
            fs::copy_file(fika::test::sharedPath(std::string("golden/tiny-bert-legacy/") + file), dir.filePath(QString::fromUtf8(file)).toStdString());
        fs::copy_file(fika::test::sharedPath("golden/tiny-bert-legacy/" + weights.toStdString()),
                      dir.filePath(weights).toStdString());
        LoadOptions options;
        options.fallbackVocab = fika::test::bundledVocabPath();
        auto legacy = loadCheckpoint(dir.path().toStdString(), options);
        QVERIFY2(legacy.ok(), legacy.error().message.c_str());
        QCOMPARE(legacy->report.newlyInitialized, (std::vector<std::string>{"classifier.bias", "classifier.weight"}));
        QVERIFY(!legacy->report.ignored.empty());
        QVERIFY(std::all_of(legacy->report.ignored.begin(), legacy->report.ignored.end(),
                            [](const std::string& n) { return n.starts_with("cls.") || n.ends_with("position_ids"); }));
        QVERIFY(legacy->report.unexpected.empty());
        QCOMPARE(legacy->config.labels.size(), size_t(2));

        torch::NoGradGuard noGrad;
        const BertOutput out = legacy->model->forward(g.ids, g.mask, g.types);
        QVERIFY(maxAbsDiff(out.lastHiddenState, tensorOf(g.json["last_hidden_state"])) < 1e-5);
        // The fresh head is Hugging Face's: normal(0, 0.02) weights, zero bias.
        auto head = legacy->model->named_parameters();
        QCOMPARE(head["classifier.bias"].abs().sum().item<double>(), 0.0);
        const double std = head["classifier.weight"].std().item<double>();
        QVERIFY(std > 0.005 && std < 0.05);
    }

    void savedFolderLoadsBackIdentically()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/golden.json");
        const Golden g = loadGolden();
        LoadedCheckpoint tiny = loadTiny();
        QTemporaryDir dir;
        const std::string out = dir.filePath(QStringLiteral("export")).toStdString();
        QVERIFY(saveCheckpoint(tiny.model, *tiny.tokenizer, {256}, out).ok());
        QVERIFY(saveCheckpoint(tiny.model, *tiny.tokenizer, {256}, out).ok()); // replacing an existing folder
        for (const char* file : {"config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"})
            QVERIFY2(fs::exists(out + "/" + file), file);
        QCOMPARE(std::distance(fs::directory_iterator(dir.path().toStdString()), fs::directory_iterator()), 1L);

        const auto config = nlohmann::json::parse(fika::test::readBytes(out + "/config.json"));
        QCOMPARE(config["architectures"][0].get<std::string>(), std::string("BertForSequenceClassification"));
        QCOMPARE(config["model_type"].get<std::string>(), std::string("bert"));
        QCOMPARE(config["id2label"]["1"].get<std::string>(), std::string("positive"));
        QCOMPARE(config["label2id"]["negative"].get<int>(), 0);
        QCOMPARE(fika::test::readBytes(out + "/vocab.txt"), fika::test::readBytes(fika::test::bundledVocabPath()));

        auto reloaded = loadCheckpoint(out);
        QVERIFY2(reloaded.ok(), reloaded.error().message.c_str());
        QCOMPARE(reloaded->encoding.sequenceLength, 256);
        QVERIFY(reloaded->report.missing.empty() && reloaded->report.unexpected.empty());
        torch::NoGradGuard noGrad;
        QCOMPARE(maxAbsDiff(reloaded->model->forward(g.ids, g.mask, g.types).logits,
                            tiny.model->forward(g.ids, g.mask, g.types).logits),
                 0.0);
    }

    // saveCheckpoint (fika-cli export, the trainer) replaces an earlier checkpoint folder, but refuses
    // a folder holding anything Fika did not write, and leaves it as it was.
    void savingNeverDeletesForeignFiles()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/golden.json");
        LoadedCheckpoint tiny = loadTiny();
        QTemporaryDir dir;
        const std::string precious = dir.filePath(QStringLiteral("precious")).toStdString();
        fika::test::writeBytes(precious + "/thesis.txt", "x");
        fs::create_directories(precious + "/sub");
        for (const std::string& target : {precious, precious + "/"}) {
            const auto refused = saveCheckpoint(tiny.model, *tiny.tokenizer, {256}, target);
            QVERIFY2(!refused.ok(), target.c_str());
            const std::string& message = refused.error().message;
            QVERIFY2(message.find("precious: Fika replaces only an empty folder or a checkpoint folder") != std::string::npos &&
                         (message.find("holds thesis.txt") != std::string::npos || message.find("holds sub") != std::string::npos),
                     message.c_str());
        }
        QCOMPARE(fika::test::readBytes(precious + "/thesis.txt"), std::string("x"));
        QVERIFY(fs::is_directory(precious + "/sub"));
        QCOMPARE(std::distance(fs::directory_iterator(dir.path().toStdString()), fs::directory_iterator()), 1L); // no temporary left

        // Only Fika's file names, but no checkpoint (a lone vocab.txt of the user's): refused too.
        const std::string vocabOnly = dir.filePath(QStringLiteral("vocab-only")).toStdString();
        fika::test::writeBytes(vocabOnly + "/vocab.txt", "mine");
        const auto noCheckpoint = saveCheckpoint(tiny.model, *tiny.tokenizer, {256}, vocabOnly);
        QVERIFY(!noCheckpoint.ok());
        QVERIFY2(noCheckpoint.error().message.find("has no config.json") != std::string::npos, noCheckpoint.error().message.c_str());
        QCOMPARE(fika::test::readBytes(vocabOnly + "/vocab.txt"), std::string("mine"));

        // A file where the folder should be.
        const std::string file = dir.filePath(QStringLiteral("a-file")).toStdString();
        fika::test::writeBytes(file, "data");
        QVERIFY(!saveCheckpoint(tiny.model, *tiny.tokenizer, {256}, file).ok());
        QCOMPARE(fika::test::readBytes(file), std::string("data"));

        // An earlier export is replaced; once the user adds a file of theirs, it is refused.
        const std::string out = dir.filePath(QStringLiteral("export")).toStdString();
        fs::create_directories(out); // an empty folder may be used
        QVERIFY(saveCheckpoint(tiny.model, *tiny.tokenizer, {256}, out).ok());
        QVERIFY(saveCheckpoint(tiny.model, *tiny.tokenizer, {128}, out).ok());
        QVERIFY(fika::test::readBytes(out + "/tokenizer_config.json").find("128") != std::string::npos);
        fika::test::writeBytes(out + "/notes.md", "mine");
        const auto withNotes = saveCheckpoint(tiny.model, *tiny.tokenizer, {256}, out);
        QVERIFY(!withNotes.ok());
        QVERIFY2(withNotes.error().message.find("holds notes.md") != std::string::npos, withNotes.error().message.c_str());
        QCOMPARE(fika::test::readBytes(out + "/notes.md"), std::string("mine"));
        QVERIFY(fs::exists(out + "/model.safetensors"));
    }

    // A checkpoint carries its encoding; a predictor built from it encodes the same way by default.
    void checkpointCarriesItsEncoding_data()
    {
        QTest::addColumn<int>("truncation");
        QTest::addColumn<QString>("side");
        QTest::newRow("head") << int(Truncation::Head) << QStringLiteral("right");
        QTest::newRow("tail") << int(Truncation::Tail) << QStringLiteral("left");
        QTest::newRow("head_tail") << int(Truncation::HeadTail) << QStringLiteral("right");
    }

    void checkpointCarriesItsEncoding()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/config.json");
        QFETCH(int, truncation);
        QFETCH(QString, side);
        const auto wanted = static_cast<Truncation>(truncation);
        LoadedCheckpoint tiny = loadTiny();
        QTemporaryDir dir;
        const std::string out = dir.filePath(QStringLiteral("encoded")).toStdString();
        QVERIFY(saveCheckpoint(tiny.model, *tiny.tokenizer, {40, wanted}, out).ok());
        const auto config = nlohmann::json::parse(fika::test::readBytes(out + "/tokenizer_config.json"));
        QCOMPARE(config["model_max_length"].get<int>(), 40);
        QCOMPARE(config["truncation_side"].get<std::string>(), side.toStdString()); // what transformers reads
        QCOMPARE(config["fika_truncation"].get<std::string>(), std::string(truncationName(wanted)));

        auto predictor = Predictor::fromCheckpoint(out);
        QVERIFY2(predictor.ok(), predictor.error().message.c_str());
        QVERIFY(predictor.value()->truncation() == wanted);
        QCOMPARE(predictor.value()->sequenceLength(), 40);
        // 300 words: the three truncations keep different tokens, so the answers tell them apart.
        std::string review = "awful awful ";
        for (int i = 0; i < 300; ++i)
            review += std::string(i % 3 ? "plot " : "scene ");
        review += "great great";
        const auto defaulted = predictor.value()->predict({review})[0].probabilities;
        for (const Truncation other : {Truncation::Head, Truncation::Tail, Truncation::HeadTail}) {
            auto explicitly = Predictor::fromCheckpoint(out, PredictorOptions{0, other, 16});
            QVERIFY(explicitly.ok());
            const auto probabilities = explicitly.value()->predict({review})[0].probabilities;
            QCOMPARE(probabilities == defaulted, other == wanted);
        }
    }

    void checkpointEncodingFromHuggingFaceKeys()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/config.json");
        LoadedCheckpoint tiny = loadTiny();
        QTemporaryDir dir;
        const std::string out = dir.filePath(QStringLiteral("hf")).toStdString();
        QVERIFY(saveCheckpoint(tiny.model, *tiny.tokenizer, {64, Truncation::HeadTail}, out).ok());
        auto config = nlohmann::json::parse(fika::test::readBytes(out + "/tokenizer_config.json"));
        config.erase("fika_truncation"); // a folder saved by transformers: truncation_side only
        config["truncation_side"] = "left";
        fika::test::writeBytes(out + "/tokenizer_config.json", config.dump());
        auto loaded = loadCheckpoint(out);
        QVERIFY(loaded.ok());
        QVERIFY(loaded->encoding.truncation == Truncation::Tail);
        config.erase("truncation_side");
        fika::test::writeBytes(out + "/tokenizer_config.json", config.dump());
        QVERIFY(loadCheckpoint(out)->encoding.truncation == Truncation::Head);
        config["fika_truncation"] = "middle";
        fika::test::writeBytes(out + "/tokenizer_config.json", config.dump());
        auto refused = loadCheckpoint(out);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.find("tokenizer_config.json: fika_truncation must be") != std::string::npos,
                 refused.error().message.c_str());
    }

    void missingOrMisshapedEncoderTensorsAreErrors()
    {
        BertClassifier model(BertConfig::tiny());
        std::vector<std::pair<std::string, torch::Tensor>> tensors;
        for (const auto& item : model->named_parameters())
            if (item.key() != "bert.encoder.layer.1.output.dense.weight")
                tensors.emplace_back(item.key(), item.value().detach().clone());
        auto missing = loadStateDict(model, tensors);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.find("bert.encoder.layer.1.output.dense.weight") != std::string::npos);

        tensors.emplace_back("bert.encoder.layer.1.output.dense.weight", torch::zeros({32, 63}));
        auto misshaped = loadStateDict(model, tensors);
        QVERIFY(!misshaped.ok());
        QVERIFY(misshaped.error().message.find("checkpoint [32, 63] vs model [32, 64]") != std::string::npos);
    }

    void freezingBlocks()
    {
        BertClassifier model(BertConfig::tiny());
        model->setTrainable(BertBlock::Encoder, false);
        model->setTrainable(BertBlock::Embeddings, false);
        QVERIFY(!model->isTrainable(BertBlock::Encoder));
        QVERIFY(model->isTrainable(BertBlock::Classifier));
        const torch::Tensor ids = torch::tensor({{101, 7592, 102}}, torch::kLong);
        const torch::Tensor loss = model->forward(ids, torch::ones_like(ids), torch::zeros_like(ids)).logits.sum();
        loss.backward();
        auto parameters = model->named_parameters();
        QVERIFY(!parameters["bert.encoder.layer.0.attention.self.query.weight"].grad().defined());
        QVERIFY(parameters["classifier.weight"].grad().defined());
        QVERIFY(parameters["bert.pooler.dense.weight"].grad().defined());
    }

    void predictorBatchesLikeSingleTexts()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/golden.json");
        const Golden g = loadGolden();
        auto predictor = Predictor::fromLoaded(loadTiny(), PredictorOptions{0, Truncation::Head, 3});
        const auto texts = g.json["texts"].get<std::vector<std::string>>();
        const auto batch = predictor->predict(texts);
        const torch::Tensor expected = tensorOf(g.json["logits"]);
        for (size_t i = 0; i < texts.size(); ++i) {
            const auto single = predictor->predict({texts[i]});
            for (size_t c = 0; c < 2; ++c) {
                QVERIFY(std::abs(batch[i].logits[c] - single[0].logits[c]) < 1e-5);
                QVERIFY(std::abs(batch[i].logits[c] - expected[static_cast<int64_t>(i)][static_cast<int64_t>(c)].item<float>()) < 1e-5);
            }
            QVERIFY(std::abs(batch[i].probabilities[0] + batch[i].probabilities[1] - 1.0f) < 1e-6);
            QCOMPARE(batch[i].label, predictor->labels()[static_cast<size_t>(batch[i].labelId)]);
        }
    }

    void safetensorsRejectsHostileFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        const std::string ok = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        QTest::newRow("too short") << QByteArray("\x01\x02", 2) << QStringLiteral("too short");
        QTest::newRow("header length past the end") << QByteArray::fromStdString(safetensorsBytes(ok, 8).replace(0, 1, "\xFF"))
                                                    << QStringLiteral("does not fit the file");
        QTest::newRow("header not JSON") << QByteArray::fromStdString(safetensorsBytes("{nope", 0)) << QStringLiteral("not a JSON object");
        QTest::newRow("header a list") << QByteArray::fromStdString(safetensorsBytes("[1,2]", 0)) << QStringLiteral("not a JSON object");
        QTest::newRow("unknown dtype") << QByteArray::fromStdString(safetensorsBytes(R"({"a":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}})", 2))
                                       << QStringLiteral("tensor 'a': unsupported dtype");
        QTest::newRow("offsets outside") << QByteArray::fromStdString(safetensorsBytes(ok, 4)) << QStringLiteral("outside the data section");
        QTest::newRow("shape vs bytes") << QByteArray::fromStdString(safetensorsBytes(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8))
                                        << QStringLiteral("need 12 bytes but data_offsets give 8");
        QTest::newRow("negative dimension") << QByteArray::fromStdString(safetensorsBytes(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8))
                                            << QStringLiteral("negative dimension");
        QTest::newRow("overflowing shape") << QByteArray::fromStdString(safetensorsBytes(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", 8))
                                           << QStringLiteral("too large");
        QTest::newRow("overlap") << QByteArray::fromStdString(safetensorsBytes(
                                        R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12))
                                 << QStringLiteral("overlap");
        QTest::newRow("reversed offsets") << QByteArray::fromStdString(safetensorsBytes(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", 8))
                                          << QStringLiteral("outside the data section");
        QTest::newRow("missing fields") << QByteArray::fromStdString(safetensorsBytes(R"({"a":{"dtype":"F32"}})", 0))
                                        << QStringLiteral("needs dtype, shape and data_offsets");
    }
    void safetensorsRejectsHostileFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        auto parsed = parseSafetensors(std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())), "x.safetensors");
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.find(message.toStdString()) != std::string::npos, parsed.error().message.c_str());
    }

    void safetensorsRoundTripsDtypes()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("t.safetensors")).toStdString();
        const std::vector<float> values = {1.0f, -2.5f, 3.25f};
        const std::vector<uint16_t> bf16 = {0x3F80, 0xC020}; // 1.0, -2.5
        QVERIFY(writeSafetensors(path, {{"b", TensorDtype::BF16, {2}, bf16.data(), 4}, {"a", TensorDtype::F32, {3}, values.data(), 12}},
                                 {{"format", "pt"}}).ok());
        auto file = SafetensorsFile::open(path);
        QVERIFY(file.ok());
        const auto& index = file.value()->index();
        QCOMPARE(index.metadata.at("format"), std::string("pt"));
        QCOMPARE(index.tensors.at("a").numel(), int64_t(3));
        QCOMPARE(std::memcmp(index.tensors.at("a").data, values.data(), 12), 0);
        QCOMPARE(index.tensors.at("b").dtype, TensorDtype::BF16);
        const auto bytes = fika::test::readBytes(path);
        QCOMPARE((bytes.size() - 8 - 16) % 8, size_t(0)); // header padded to 8 bytes
    }

    // Sizes a config.json may not have: past the maxima, zero or negative, or different from the
    // weights' shapes. Each is an error naming the key (and the tensor), never an allocation of
    // what the config describes (c10::Error or bad_alloc, SIGABRT, before).
    void hostileConfigIsRefused_data()
    {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("tensor");
        const QString none;
        QTest::newRow("hidden_size 1e9") << QStringLiteral(R"({"hidden_size": 1000000000})") << QStringLiteral("hidden_size") << none;
        QTest::newRow("vocab_size 1e12") << QStringLiteral(R"({"vocab_size": 1000000000000})") << QStringLiteral("vocab_size") << none;
        QTest::newRow("vocab_size 2^64-1") << QStringLiteral(R"({"vocab_size": 18446744073709551615})") << QStringLiteral("vocab_size") << none;
        QTest::newRow("max_position_embeddings 1e9") << QStringLiteral(R"({"max_position_embeddings": 1000000000})")
                                                     << QStringLiteral("max_position_embeddings") << none;
        QTest::newRow("intermediate_size 1e12") << QStringLiteral(R"({"intermediate_size": 1000000000000})")
                                                << QStringLiteral("intermediate_size") << none;
        QTest::newRow("num_hidden_layers 100000") << QStringLiteral(R"({"num_hidden_layers": 100000})")
                                                  << QStringLiteral("num_hidden_layers") << none;
        QTest::newRow("type_vocab_size 1e9") << QStringLiteral(R"({"type_vocab_size": 1000000000})") << QStringLiteral("type_vocab_size") << none;
        QTest::newRow("num_labels 1e12") << QStringLiteral(R"({"id2label": null, "label2id": null, "num_labels": 1000000000000})")
                                         << QStringLiteral("num_labels") << none;
        QTest::newRow("hidden_size 0") << QStringLiteral(R"({"hidden_size": 0})") << QStringLiteral("hidden_size") << none;
        QTest::newRow("hidden_size -32") << QStringLiteral(R"({"hidden_size": -32})") << QStringLiteral("hidden_size") << none;
        QTest::newRow("vocab_size -1") << QStringLiteral(R"({"vocab_size": -1})") << QStringLiteral("vocab_size") << none;
        QTest::newRow("num_hidden_layers -1") << QStringLiteral(R"({"num_hidden_layers": -1})") << QStringLiteral("num_hidden_layers") << none;
        QTest::newRow("num_attention_heads 0") << QStringLiteral(R"({"num_attention_heads": 0})") << QStringLiteral("num_attention_heads") << none;
        QTest::newRow("num_attention_heads -4") << QStringLiteral(R"({"num_attention_heads": -4})") << QStringLiteral("num_attention_heads") << none;
        QTest::newRow("num_attention_heads 5 (32 is no multiple)") << QStringLiteral(R"({"num_attention_heads": 5})")
                                                                   << QStringLiteral("num_attention_heads") << none;
        // Sane sizes that the weights do not have.
        QTest::newRow("vocab_size 40000 vs weights") << QStringLiteral(R"({"vocab_size": 40000})") << QStringLiteral("vocab_size")
                                                     << QStringLiteral("bert.embeddings.word_embeddings.weight");
        QTest::newRow("hidden_size 64 vs weights") << QStringLiteral(R"({"hidden_size": 64})") << QStringLiteral("hidden_size")
                                                   << QStringLiteral("bert.embeddings.word_embeddings.weight");
        QTest::newRow("hidden_size 4096 vs weights") << QStringLiteral(R"({"hidden_size": 4096, "num_attention_heads": 64})")
                                                     << QStringLiteral("hidden_size") << QStringLiteral("bert.embeddings.word_embeddings.weight");
        QTest::newRow("intermediate_size 128 vs weights") << QStringLiteral(R"({"intermediate_size": 128})") << QStringLiteral("intermediate_size")
                                                          << QStringLiteral("bert.encoder.layer.0.intermediate.dense.weight");
        QTest::newRow("max_position_embeddings 256 vs weights") << QStringLiteral(R"({"max_position_embeddings": 256})")
                                                                << QStringLiteral("max_position_embeddings")
                                                                << QStringLiteral("bert.embeddings.position_embeddings.weight");
        QTest::newRow("type_vocab_size 3 vs weights") << QStringLiteral(R"({"type_vocab_size": 3})") << QStringLiteral("type_vocab_size")
                                                      << QStringLiteral("bert.embeddings.token_type_embeddings.weight");
        QTest::newRow("num_hidden_layers 200 vs weights") << QStringLiteral(R"({"num_hidden_layers": 200})")
                                                          << QStringLiteral("num_hidden_layers") << QStringLiteral("bert.encoder.layer.1");
        QTest::newRow("num_hidden_layers 1 vs weights") << QStringLiteral(R"({"num_hidden_layers": 1})")
                                                        << QStringLiteral("num_hidden_layers") << QStringLiteral("bert.encoder.layer.1");
        // Probabilities and constants that make every activation NaN.
        QTest::newRow("hidden_dropout_prob 1") << QStringLiteral(R"({"hidden_dropout_prob": 1})") << QStringLiteral("hidden_dropout_prob") << none;
        QTest::newRow("hidden_dropout_prob -0.1") << QStringLiteral(R"({"hidden_dropout_prob": -0.1})") << QStringLiteral("hidden_dropout_prob") << none;
        QTest::newRow("attention_probs_dropout_prob 1.5") << QStringLiteral(R"({"attention_probs_dropout_prob": 1.5})")
                                                          << QStringLiteral("attention_probs_dropout_prob") << none;
        QTest::newRow("attention_probs_dropout_prob \"0.1\"") << QStringLiteral(R"({"attention_probs_dropout_prob": "0.1"})")
                                                              << QStringLiteral("attention_probs_dropout_prob") << none;
        QTest::newRow("classifier_dropout 1") << QStringLiteral(R"({"classifier_dropout": 1})") << QStringLiteral("classifier_dropout") << none;
        QTest::newRow("layer_norm_eps 0") << QStringLiteral(R"({"layer_norm_eps": 0})") << QStringLiteral("layer_norm_eps") << none;
        QTest::newRow("layer_norm_eps -1") << QStringLiteral(R"({"layer_norm_eps": -1})") << QStringLiteral("layer_norm_eps") << none;
    }
    void hostileConfigIsRefused()
    {
        QFETCH(QString, patch);
        QFETCH(QString, key);
        QFETCH(QString, tensor);
        FIKA_REQUIRE_SHARED("golden/tiny-bert/model.safetensors");
        QTemporaryDir dir;
        const std::string folder = tinyFixture(dir, nlohmann::json::parse(patch.toStdString()));
        auto loaded = loadFixture(folder);
        QVERIFY2(!loaded.ok(), "loaded");
        const std::string& message = loaded.error().message;
        qInfo("%s", message.c_str());
        QVERIFY2(message.find(key.toStdString()) != std::string::npos, message.c_str());
        QVERIFY2(message.find("config.json") != std::string::npos, message.c_str());
        QVERIFY2(message.find(tensor.toStdString()) != std::string::npos, message.c_str());
    }

    // JSON cannot spell NaN, but a config object built in code (or by another reader) can.
    void configRefusesNonFiniteNumbers_data()
    {
        QTest::addColumn<QString>("key");
        for (const char* key : {"hidden_dropout_prob", "attention_probs_dropout_prob", "classifier_dropout", "layer_norm_eps",
                                "initializer_range"}) {
            QTest::addRow("%s", key) << QString::fromUtf8(key);
        }
    }
    void configRefusesNonFiniteNumbers()
    {
        QFETCH(QString, key);
        for (const double value : {std::nan(""), std::numeric_limits<double>::infinity()}) {
            auto config = bertConfigFromJson(nlohmann::json{{key.toStdString(), value}}, "c.json");
            QVERIFY2(!config.ok(), std::to_string(value).c_str());
            QVERIFY2(config.error().message.find(key.toStdString()) != std::string::npos, config.error().message.c_str());
        }
        QVERIFY(bertConfigFromJson(nlohmann::json{{"classifier_dropout", nullptr}}, "c.json").ok()); // Hugging Face's default
    }

    // Files that are not what their name says: errors naming the file, never a filesystem_error.
    void oddCheckpointFilesAreErrors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("oddity");
        QTest::addColumn<QString>("message");
        const QString weights = QStringLiteral("model.safetensors");
        QTest::newRow("model.safetensors links to itself") << weights << QStringLiteral("loop") << QStringLiteral("symbolic links");
        QTest::newRow("model.safetensors is a folder") << weights << QStringLiteral("folder") << QStringLiteral("folder");
        QTest::newRow("model.safetensors links to nothing") << weights << QStringLiteral("dangling") << QStringLiteral("No such file");
        QTest::newRow("model.safetensors unreadable") << weights << QStringLiteral("unreadable") << QStringLiteral("Permission denied");
        QTest::newRow("config.json links to itself") << QStringLiteral("config.json") << QStringLiteral("loop") << QStringLiteral("symbolic links");
        QTest::newRow("config.json is a folder") << QStringLiteral("config.json") << QStringLiteral("folder") << QStringLiteral("not a regular file");
        QTest::newRow("tokenizer_config.json links to itself") << QStringLiteral("tokenizer_config.json") << QStringLiteral("loop")
                                                               << QStringLiteral("symbolic links");
        QTest::newRow("tokenizer_config.json is a folder") << QStringLiteral("tokenizer_config.json") << QStringLiteral("folder")
                                                           << QStringLiteral("folder");
        QTest::newRow("model.safetensors.index.json links to itself") << QStringLiteral("model.safetensors.index.json")
                                                                      << QStringLiteral("loop") << QStringLiteral("symbolic links");
        QTest::newRow("pytorch_model.bin links to itself") << QStringLiteral("pytorch_model.bin") << QStringLiteral("loop")
                                                           << QStringLiteral("symbolic links");
        QTest::newRow("pytorch_model.bin is a folder") << QStringLiteral("pytorch_model.bin") << QStringLiteral("folder")
                                                       << QStringLiteral("folder");
        QTest::newRow("vocab.txt links to itself") << QStringLiteral("vocab.txt") << QStringLiteral("loop") << QStringLiteral("vocab.txt");
        QTest::newRow("the folder links to itself") << QString() << QStringLiteral("loop") << QStringLiteral("symbolic links");
    }
    void oddCheckpointFilesAreErrors()
    {
        QFETCH(QString, file);
        QFETCH(QString, oddity);
        QFETCH(QString, message);
        FIKA_REQUIRE_SHARED("golden/tiny-bert/model.safetensors");
        if (oddity == QStringLiteral("unreadable") && ::geteuid() == 0)
            QSKIP("root reads files whatever their mode");
        QTemporaryDir dir;
        std::string folder = tinyFixture(dir);
        if (file.isEmpty()) {
            folder += "/loop";
            fs::create_symlink("loop", folder);
        } else {
            const fs::path path = folder + "/" + file.toStdString();
            if (file.startsWith(QStringLiteral("model.safetensors")) || file.endsWith(QStringLiteral(".bin")))
                fs::remove(folder + "/model.safetensors"); // the odd file is the only weights file
            fs::remove(path);
            if (oddity == QStringLiteral("loop"))
                fs::create_symlink(path.filename(), path);
            else if (oddity == QStringLiteral("folder"))
                fs::create_directory(path);
            else if (oddity == QStringLiteral("dangling"))
                fs::create_symlink("missing.safetensors", path);
            else if (oddity == QStringLiteral("unreadable")) {
                fs::copy_file(fika::test::sharedPath("golden/tiny-bert/model.safetensors"), path);
                fs::permissions(path, fs::perms::none);
            }
        }
        auto loaded = loadFixture(folder);
        QVERIFY2(!loaded.ok(), "loaded");
        qInfo("%s", loaded.error().message.c_str());
        QVERIFY2(loaded.error().message.find(message.toStdString()) != std::string::npos, loaded.error().message.c_str());
        if (!file.isEmpty())
            QVERIFY2(loaded.error().message.find(file.toStdString()) != std::string::npos, loaded.error().message.c_str());
    }

    // The head's rows mean the checkpoint's label names: other names get a new head (LoadOptions),
    // the same names (resuming) keep it, the same names in another order move its rows.
    void headFollowsLabelNames_data()
    {
        QTest::addColumn<QStringList>("trained"); // config.json id2label; empty: none (LABEL_0, LABEL_1)
        QTest::addColumn<QStringList>("wanted");  // LoadOptions::labels
        QTest::addColumn<QString>("head");        // kept, reordered or new
        const QStringList sentiment = {QStringLiteral("negative"), QStringLiteral("positive")};
        QTest::newRow("same names (resuming)") << sentiment << sentiment << QStringLiteral("kept");
        QTest::newRow("no names asked") << sentiment << QStringList() << QStringLiteral("kept");
        QTest::newRow("another 2-class task") << sentiment << QStringList{QStringLiteral("spam"), QStringLiteral("ham")}
                                              << QStringLiteral("new");
        QTest::newRow("one name differs") << sentiment << QStringList{QStringLiteral("negative"), QStringLiteral("neutral")}
                                          << QStringLiteral("new");
        QTest::newRow("generic LABEL_0, LABEL_1") << QStringList() << sentiment << QStringLiteral("new");
        QTest::newRow("same names, other order") << sentiment << QStringList{QStringLiteral("positive"), QStringLiteral("negative")}
                                                 << QStringLiteral("reordered");
        QTest::newRow("three classes") << sentiment << QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}
                                       << QStringLiteral("new");
    }
    void headFollowsLabelNames()
    {
        QFETCH(QStringList, trained);
        QFETCH(QStringList, wanted);
        QFETCH(QString, head);
        FIKA_REQUIRE_SHARED("golden/tiny-bert/model.safetensors");
        nlohmann::json patch = {{"id2label", nullptr}, {"label2id", nullptr}};
        if (!trained.isEmpty()) {
            patch = {{"id2label", nlohmann::json::object()}, {"label2id", nlohmann::json::object()}};
            for (int i = 0; i < trained.size(); ++i) {
                patch["id2label"][std::to_string(i)] = trained[i].toStdString();
                patch["label2id"][trained[i].toStdString()] = i;
            }
        }
        std::vector<std::string> labels;
        for (const auto& label : wanted)
            labels.push_back(label.toStdString());
        QTemporaryDir dir;
        auto loaded = loadFixture(tinyFixture(dir, patch), labels);
        QVERIFY2(loaded.ok(), loaded.error().message.c_str());
        qInfo("%s", loaded->report.summary().c_str());
        const std::vector<std::string> expected = labels.empty() ? std::vector<std::string>{"negative", "positive"} : labels;
        QCOMPARE(loaded->config.labels, expected);

        auto original = loadTiny().model->named_parameters();
        auto ours = loaded->model->named_parameters();
        const torch::Tensor weight = ours["classifier.weight"], bias = ours["classifier.bias"];
        if (head == QStringLiteral("new")) {
            QCOMPARE(loaded->report.newlyInitialized, (std::vector<std::string>{"classifier.bias", "classifier.weight"}));
            QCOMPARE(bias.abs().sum().item<double>(), 0.0);
            QVERIFY(!weight.sizes().equals(original["classifier.weight"].sizes()) ||
                    maxAbsDiff(weight, original["classifier.weight"]) > 0);
        } else {
            QVERIFY(loaded->report.newlyInitialized.empty());
            const torch::Tensor rows = head == QStringLiteral("kept") ? torch::tensor({0, 1}) : torch::tensor({1, 0});
            QCOMPARE(maxAbsDiff(weight, original["classifier.weight"].index_select(0, rows)), 0.0);
            QCOMPARE(maxAbsDiff(bias, original["classifier.bias"].index_select(0, rows)), 0.0);
        }
        // The encoder is the checkpoint's whatever the head.
        QCOMPARE(maxAbsDiff(ours["bert.pooler.dense.weight"], original["bert.pooler.dense.weight"]), 0.0);
    }

    // Finite weights can still overflow: a pooler saturated at 1 and a head of ±3e38 give logits of
    // ±inf and NaN probabilities. predict() reports that instead of answering NaN ("negative": null).
    void overflowingModelIsAnErrorNotNaN()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/model.safetensors");
        QTemporaryDir dir;
        const std::string folder = tinyFixture(dir);
        QVERIFY(writeEditedTinyWeights(folder, [](const std::string& name, std::vector<float>& values) {
            if (name == "bert.pooler.dense.weight")
                std::fill(values.begin(), values.end(), 0.f);
            else if (name == "bert.pooler.dense.bias")
                std::fill(values.begin(), values.end(), 100.f); // tanh(100) = 1
            else if (name == "classifier.weight")
                for (size_t i = 0; i < values.size(); ++i)
                    values[i] = i < values.size() / 2 ? 3e38f : -3e38f;
        }));
        auto loaded = loadFixture(folder);
        QVERIFY2(loaded.ok(), loaded.error().message.c_str()); // every weight is finite
        auto predictor = Predictor::fromLoaded(std::move(loaded.value()));
        std::string error;
        try {
            const auto predictions = predictor->predict({"a fine film", "a dull film"});
            for (const auto& p : predictions)
                qInfo("answered %s with probabilities %g, %g", p.label.c_str(), p.probabilities[0], p.probabilities[1]);
        } catch (const std::exception& e) {
            error = e.what();
        }
        qInfo("%s", error.c_str());
        QVERIFY2(error.find("not a number") != std::string::npos, error.c_str());

        // The command line says the same and exits 1 instead of aborting.
        fs::copy_file(fika::test::bundledVocabPath(), folder + "/vocab.txt", fs::copy_options::overwrite_existing);
        fika::test::writeBytes(dir.filePath(QStringLiteral("two.csv")).toStdString(),
                               "review,sentiment\na fine film,positive\na dull film,negative\n");
        const QStringList predict{QStringLiteral("predict"), QStringLiteral("--checkpoint"), QString::fromStdString(folder),
                                  QStringLiteral("a fine film")};
        const QStringList evaluate{QStringLiteral("evaluate"), QStringLiteral("--checkpoint"), QString::fromStdString(folder),
                                   QStringLiteral("--csv"), dir.filePath(QStringLiteral("two.csv"))};
        for (const QStringList& arguments : {predict, evaluate}) {
            QProcess cli;
            cli.start(QStringLiteral(FIKA_CLI_PATH), arguments);
            QVERIFY(cli.waitForFinished(60000));
            const QByteArray message = cli.readAllStandardError();
            QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == 1, message.constData());
            QVERIFY2(message.contains("is not a number"), message.constData());
        }
    }

    // NaN or infinite weights answer NaN for every text ("negative": null from the API): refused at
    // load, naming the tensor.
    void nonFiniteWeightsAreRefused_data()
    {
        QTest::addColumn<float>("value");
        QTest::addColumn<QString>("tensor");
        QTest::newRow("NaN in an encoder weight") << std::numeric_limits<float>::quiet_NaN()
                                                  << QStringLiteral("bert.encoder.layer.1.output.dense.weight");
        QTest::newRow("+Inf in the classifier bias") << std::numeric_limits<float>::infinity() << QStringLiteral("classifier.bias");
        QTest::newRow("-Inf in the word embeddings") << -std::numeric_limits<float>::infinity()
                                                     << QStringLiteral("bert.embeddings.word_embeddings.weight");
    }
    void nonFiniteWeightsAreRefused()
    {
        QFETCH(float, value);
        QFETCH(QString, tensor);
        FIKA_REQUIRE_SHARED("golden/tiny-bert/model.safetensors");
        QTemporaryDir dir;
        const std::string folder = tinyFixture(dir);
        QVERIFY(writeEditedTinyWeights(folder, [&](const std::string& name, std::vector<float>& values) {
            if (name == tensor.toStdString())
                values[values.size() / 2] = value;
        }));
        auto loaded = loadFixture(folder);
        QVERIFY2(!loaded.ok(), "loaded");
        qInfo("%s", loaded.error().message.c_str());
        QVERIFY2(loaded.error().message.find(tensor.toStdString()) != std::string::npos, loaded.error().message.c_str());
    }

private:
    static std::string shapeOf(const torch::Tensor& t)
    {
        std::string s;
        for (auto d : t.sizes())
            s += " " + std::to_string(d);
        return s;
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
