// SPDX-License-Identifier: GPL-3.0-or-later
// bf16 at the matrix products' speed (model/bf16_weights.h): inference agrees with float32, a
// training step on the bf16 working copy updates the float32 master weights like a float32 step,
// and the trainer learns in bf16.
#include <torch/torch.h>

#include "test_support.h"
#include "tiny_training.h"

#include "model/attention.h"
#include "model/bf16_weights.h"
#include "model/checkpoint.h"
#include "model/dropout.h"
#include "model/predictor.h"
#include "train/trainer.h"

#include <ATen/CPUGeneratorImpl.h>

#include <QTemporaryDir>

using namespace fika::core;

namespace {

// Small enough for a test, with BERT's shape: several heads, GELU, padding.
BertConfig smallConfig()
{
    BertConfig config;
    config.vocabSize = 1000;
    config.hiddenSize = 64;
    config.numLayers = 2;
    config.numHeads = 4;
    config.intermediateSize = 128;
    config.maxPositions = 128;
    return config;
}

// An untrained model's logits differ by ~1e-3 between classes, so any rounding flips its labels; a
// classifier with larger weights gives them the margins a trained model has.
BertClassifier modelWithMargins(uint64_t seed)
{
    BertClassifier model(smallConfig());
    model->initializeWeights(seed);
    torch::NoGradGuard noGrad;
    auto generator = at::detail::createCPUGenerator(seed);
    for (auto& item : model->named_parameters())
        if (item.key() == "classifier.weight")
            item.value().normal_(0.0, 1.0, generator);
    return model;
}

struct Inputs {
    torch::Tensor ids, mask, types, labels;
};

// `count` sequences of `length` tokens, every other one padded after 8 or more.
Inputs randomInputs(int64_t count, int64_t length = 48)
{
    Inputs in;
    in.ids = torch::randint(5, 1000, {count, length}, torch::kLong);
    in.mask = torch::ones({count, length}, torch::kLong);
    for (int64_t i = 1; i < count; i += 2) {
        const int64_t used = 8 + i % (length - 8);
        in.mask[i].narrow(0, used, length - used).fill_(0);
        in.ids[i].narrow(0, used, length - used).fill_(0);
    }
    in.types = torch::zeros_like(in.ids);
    in.labels = torch::randint(0, 2, {count}, torch::kLong);
    return in;
}

double relativeError(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kFloat) - b.to(torch::kFloat)).norm().item<double>() / b.to(torch::kFloat).norm().item<double>();
}

std::map<std::string, torch::Tensor> parametersByName(BertClassifier& model)
{
    std::map<std::string, torch::Tensor> result;
    for (const auto& item : model->named_parameters())
        result[item.key()] = item.value();
    return result;
}

} // namespace

class TestBf16 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { torch::manual_seed(7); }

    void convertedModelKeepsEmbeddingsAndLayerNormsInFloat32()
    {
        BertClassifier model(smallConfig());
        convertToBf16(model);
        for (const auto& item : model->named_parameters()) {
            const std::string& name = item.key();
            const bool float32 = name.find("embeddings") != std::string::npos || name.find("LayerNorm") != std::string::npos ||
                                 name.starts_with("classifier.");
            QVERIFY2(item.value().scalar_type() == (float32 ? torch::kFloat : torch::kBFloat16), name.c_str());
        }
    }

    void inferenceAgreesWithFloat32()
    {
        BertClassifier fp32 = modelWithMargins(3);
        BertClassifier bf16 = modelWithMargins(3);
        convertToBf16(bf16);
        fp32->eval();
        bf16->eval();
        const Inputs in = randomInputs(400);
        c10::InferenceMode inference;
        const torch::Tensor expected = fp32->forward(in.ids, in.mask, in.types).logits;
        const torch::Tensor logits = bf16->forward(in.ids, in.mask, in.types).logits;
        QVERIFY(logits.scalar_type() == torch::kFloat); // at full resolution: bf16 logits tied two classes
        QVERIFY(torch::isfinite(logits).all().item<bool>());
        const double error = relativeError(logits, expected);
        const double agreement = logits.argmax(-1).eq(expected.argmax(-1)).to(torch::kDouble).mean().item<double>();
        qInfo("bf16 logits: relative error %.4f, labels agreeing %.2f %%", error, 100 * agreement);
        QVERIFY2(error < 0.03, std::to_string(error).c_str());
        QVERIFY2(agreement >= 0.995, std::to_string(agreement).c_str());
    }

    // --precision bf16 of predict, evaluate and serve: the predictor converts its model once; its
    // probabilities differ from float32's by rounding only.
    void predictorInBf16AgreesWithFloat32()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/model.safetensors");
        auto load = [] {
            LoadOptions options;
            options.fallbackVocab = fika::test::bundledVocabPath();
            auto loaded = loadCheckpoint(fika::test::sharedPath("golden/tiny-bert"), options);
            if (!loaded)
                qFatal("%s", loaded.error().message.c_str());
            return std::move(loaded.value());
        };
        PredictorOptions options;
        const auto fp32 = Predictor::fromLoaded(load(), options);
        options.bf16 = true;
        const auto bf16 = Predictor::fromLoaded(load(), options);
        const std::vector<std::string> texts = {"A wonderful film, moving and funny.", "Dull. I left early.",
                                                "The plot made no sense, but the actors were great.", ""};
        const auto expected = fp32->predict(texts);
        const auto actual = bf16->predict(texts);
        double largest = 0;
        for (size_t i = 0; i < texts.size(); ++i)
            for (size_t c = 0; c < expected[i].probabilities.size(); ++c)
                largest = std::max<double>(largest, std::abs(actual[i].probabilities[c] - expected[i].probabilities[c]));
        QVERIFY2(largest > 0, "the bf16 predictor computed in float32");
        QVERIFY2(largest < 0.01, std::to_string(largest).c_str());
    }

    // The attention's backward in bf16 (its products in bf16, its softmax in float32) against the
    // float32 one.
    void attentionGradientsInBf16MatchFloat32()
    {
        const auto q = torch::randn({2, 4, 32, 16}), k = torch::randn({2, 4, 32, 16}), v = torch::randn({2, 4, 32, 16});
        const auto mask = torch::zeros({2, 1, 1, 32});
        const auto grad = torch::randn({2, 4, 32, 16});
        auto gradients = [&](torch::ScalarType type) {
            auto q1 = q.to(type).detach().requires_grad_(), k1 = k.to(type).detach().requires_grad_(),
                 v1 = v.to(type).detach().requires_grad_();
            const auto out = attention(q1, k1, v1, mask, {}, 1.0);
            out.backward(grad.to(type));
            return std::vector<torch::Tensor>{out.detach(), q1.grad(), k1.grad(), v1.grad()};
        };
        const auto expected = gradients(torch::kFloat);
        const auto actual = gradients(torch::kBFloat16);
        QVERIFY(actual[1].scalar_type() == torch::kBFloat16);
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(relativeError(actual[i], expected[i]) < 0.03, std::to_string(i).c_str());
    }

    void trainingStepUpdatesFloat32MasterWeights()
    {
        BertClassifier reference = modelWithMargins(5);
        BertClassifier master = modelWithMargins(5);
        Bf16Weights weights(master);
        reference->train();
        weights.model()->train();
        const Inputs in = randomInputs(16);

        // Dropout draws the same masks in both (the same seed, the same shapes).
        torch::Tensor expectedLoss, loss;
        {
            const DropoutSeedScope seed(11);
            expectedLoss = torch::cross_entropy_loss(reference->forward(in.ids, in.mask, in.types).logits, in.labels);
        }
        {
            const DropoutSeedScope seed(11);
            loss = torch::cross_entropy_loss(weights.model()->forward(in.ids, in.mask, in.types).logits.to(torch::kFloat),
                                             in.labels);
        }
        QVERIFY2(std::abs(loss.item<double>() - expectedLoss.item<double>()) < 0.02 * std::abs(expectedLoss.item<double>()),
                 (std::to_string(loss.item<double>()) + " vs " + std::to_string(expectedLoss.item<double>())).c_str());
        expectedLoss.backward();
        loss.backward();
        weights.accumulateGradients();

        auto expected = parametersByName(reference);
        auto masters = parametersByName(master);
        auto copies = parametersByName(weights.model());
        for (auto& [name, p] : masters) {
            QVERIFY2(p.scalar_type() == torch::kFloat, name.c_str());
            QVERIFY2(p.grad().defined() && p.grad().scalar_type() == torch::kFloat, name.c_str());
            QVERIFY2(!copies[name].grad().defined(), name.c_str()); // moved to the master
            // Whole tensors (the word embeddings' gradient has rows only where tokens occur), with an
            // absolute floor for the key bias, whose exact gradient is zero (softmax ignores a shift).
            const double difference = (p.grad() - expected[name].grad()).norm().item<double>();
            const double size = expected[name].grad().norm().item<double>();
            QVERIFY2(difference <= 0.05 * size + 1e-4, (name + ": " + std::to_string(difference) + " of " + std::to_string(size)).c_str());
        }

        torch::optim::AdamW optimizer(master->parameters(), torch::optim::AdamWOptions(1e-3));
        const std::string pooler = "bert.pooler.dense.weight"; // computed in bf16
        const torch::Tensor before = masters[pooler].clone();
        const torch::Tensor copyBefore = copies[pooler].clone();
        optimizer.step();
        QVERIFY(!torch::equal(masters[pooler], before));
        QVERIFY(torch::equal(copies[pooler], copyBefore)); // cast only at refresh()
        weights.refresh();
        QVERIFY(torch::equal(copies[pooler], masters[pooler].to(torch::kBFloat16)));
        // Float32 parameters are the master's own storage: updated without a copy.
        for (const char* name : {"bert.embeddings.word_embeddings.weight", "classifier.weight"})
            QCOMPARE(copies[name].data_ptr(), masters[name].data_ptr());
    }

    // Gradients of several batches add up in float32 on the master, not in bf16.
    void gradientsAccumulateInFloat32()
    {
        BertClassifier master = modelWithMargins(6);
        Bf16Weights weights(master);
        const Inputs in = randomInputs(8);
        auto backward = [&] {
            torch::cross_entropy_loss(weights.model()->forward(in.ids, in.mask, in.types).logits.to(torch::kFloat), in.labels)
                .backward();
            weights.accumulateGradients();
        };
        weights.model()->eval();
        backward();
        const torch::Tensor once = parametersByName(master)["classifier.weight"].grad().clone();
        backward();
        const torch::Tensor twice = parametersByName(master)["classifier.weight"].grad();
        QVERIFY(torch::allclose(twice, 2 * once, 1e-5, 1e-7));
    }

    // Frozen blocks stay frozen in the copy: no gradient reaches their master weights.
    void frozenBlocksStayFrozen()
    {
        BertClassifier master = modelWithMargins(8);
        master->setTrainable(BertBlock::Encoder, false);
        Bf16Weights weights(master);
        QVERIFY(!weights.model()->isTrainable(BertBlock::Encoder));
        const Inputs in = randomInputs(4);
        torch::cross_entropy_loss(weights.model()->forward(in.ids, in.mask, in.types).logits.to(torch::kFloat), in.labels)
            .backward();
        weights.accumulateGradients();
        for (const auto& p : master->blockParameters(BertBlock::Encoder))
            QVERIFY(!p.grad().defined());
        for (const auto& p : master->blockParameters(BertBlock::Classifier))
            QVERIFY(p.grad().defined());
    }

    // The trainer in bf16: it learns the synthetic task as float32 does, from a close first loss.
    void trainerLearnsInBf16()
    {
        QTemporaryDir dir;
        std::vector<double> firstLoss;
        std::vector<double> accuracy;
        for (const auto precision : {Precision::Fp32, Precision::Bf16}) {
            const std::string csv = dir.filePath(QStringLiteral("reviews.csv")).toStdString();
            if (!std::filesystem::exists(csv))
                fika::test::writeBytes(csv, fika::test::syntheticReviewsCsv(240));
            ExperimentConfig c = fika::test::tinyTrainingConfig(
                csv, dir.filePath(precision == Precision::Bf16 ? QStringLiteral("bf16") : QStringLiteral("fp32")).toStdString());
            c.training.epochs = 8;
            c.training.precision = precision;
            struct Recorder : TrainObserver {
                std::vector<StepEvent> steps;
                std::vector<EpochEvent> epochs;
                void onStep(const StepEvent& e) override { steps.push_back(e); }
                void onEpoch(const EpochEvent& e) override { epochs.push_back(e); }
            } recorder;
            auto summary = train(c, recorder);
            QVERIFY2(summary.ok(), summary.error().message.c_str());
            QVERIFY(!recorder.steps.empty() && !recorder.epochs.empty());
            firstLoss.push_back(recorder.steps.front().loss);
            accuracy.push_back(recorder.epochs.back().validation.accuracy);
        }
        qInfo("first loss fp32 %.4f bf16 %.4f; last accuracy fp32 %.3f bf16 %.3f", firstLoss[0], firstLoss[1], accuracy[0],
              accuracy[1]);
        QVERIFY(std::abs(firstLoss[1] - firstLoss[0]) < 0.02 * firstLoss[0]);
        QVERIFY(accuracy[1] >= 0.9);
    }
};

QTEST_GUILESS_MAIN(TestBf16)
#include "tst_bf16.moc"
