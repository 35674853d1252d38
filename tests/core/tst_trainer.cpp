// SPDX-License-Identifier: GPL-3.0-or-later
// The training engine on a tiny model and a synthetic task: it learns, it is reproducible, a stopped
// run resumes to the same losses, and bad configurations are refused with their key path.
#include <torch/torch.h>

#include "test_support.h"

#include "train/estimates.h"
#include "train/metrics.h"
#include "train/trainer.h"

#include <QDir>
#include <QTemporaryDir>

#include <algorithm>


using namespace fika::core;

namespace {

ExperimentConfig tinyConfig(const QTemporaryDir& dir, int rows = 240)
{
    const std::string csv = dir.filePath(QStringLiteral("reviews.csv")).toStdString();
    if (!std::filesystem::exists(csv))
        fika::test::writeBytes(csv, fika::test::syntheticReviewsCsv(rows));
    ExperimentConfig c = presetConfig(ConfigPreset::Recommended);
    c.data.csv = csv;
    c.encoding.vocab = fika::test::bundledVocabPath();
    c.encoding.sequenceLength = 24;
    c.model.init = "random";
    c.model.layers = 2;
    c.model.hiddenSize = 32;
    c.model.heads = 4;
    c.model.intermediateSize = 64;
    c.training.batchSize = 16;
    c.training.epochs = 3;
    c.training.learningRate = 2e-3;
    c.training.threads = 1;
    c.training.logEverySteps = 1;
    c.output.dir = dir.filePath(QStringLiteral("run")).toStdString();
    return c;
}

class Recorder : public TrainObserver {
public:
    std::vector<std::string> messages;
    std::vector<StepEvent> steps;
    std::vector<EpochEvent> epochs;
    int64_t stopAtStep = -1;
    std::atomic<bool> stop{false};
    void onStep(const StepEvent& e) override
    {
        steps.push_back(e);
        if (e.step == stopAtStep)
            stop = true;
    }
    void onEpoch(const EpochEvent& e) override { epochs.push_back(e); }
    void onMessage(const std::string& m) override { messages.push_back(m); }
    bool said(const std::string& part) const
    {
        return std::any_of(messages.begin(), messages.end(), [&](const auto& m) { return m.find(part) != std::string::npos; });
    }
};

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void learnsASimpleTask()
    {
        QTemporaryDir dir;
        Recorder recorder;
        ExperimentConfig config = tinyConfig(dir);
        config.training.epochs = 10;
        config.training.keepEpochCheckpoints = 2;
        auto summary = train(config, recorder);
        QVERIFY2(summary.ok(), summary.error().message.c_str());
        QCOMPARE(recorder.epochs.size(), size_t(10));
        const auto& last = recorder.epochs.back().validation;
        QString accuracies;
        for (const auto& e : recorder.epochs)
            accuracies += QString::number(e.validation.accuracy, 'f', 3) + QLatin1Char(' ');
        qInfo("validation accuracy by epoch: %s", qPrintable(accuracies));
        QVERIFY(last.accuracy >= 0.9);
        QVERIFY(recorder.epochs.back().trainingLoss < recorder.epochs.front().trainingLoss);
        QCOMPARE(last.confusion.total(), int64_t(48));
        const std::string checkpoints = dir.filePath(QStringLiteral("run/checkpoints/")).toStdString();
        for (const char* folder : {"epoch-9", "epoch-10", "best", "last"})
            QVERIFY2(std::filesystem::exists(checkpoints + folder + "/model.safetensors"), folder);
        QVERIFY(!std::filesystem::exists(checkpoints + "epoch-8")); // retention keeps the last two epochs
        QVERIFY(std::filesystem::exists(checkpoints + "best/optimizer.pt"));
        QVERIFY(std::filesystem::exists(checkpoints + "last/trainer_state.json"));
        // Linear warm-up then decay, as Hugging Face's schedule.
        QVERIFY(recorder.steps.front().learningRate < recorder.steps[5].learningRate);
        QVERIFY(recorder.steps.back().learningRate < recorder.steps[5].learningRate);
    }

    void sameSeedSameLosses()
    {
        QTemporaryDir a, b;
        Recorder ra, rb;
        auto configA = tinyConfig(a);
        configA.training.epochs = 1;
        auto configB = tinyConfig(b);
        configB.training.epochs = 1;
        const auto first = train(configA, ra);
        const auto second = train(configB, rb);
        QVERIFY(first.ok() && second.ok());
        QCOMPARE(first->batchLosses, second->batchLosses);
    }

    void encodedDatasetIsCached()
    {
        QTemporaryDir dir, cache;
        TrainOptions options;
        options.cacheDir = cache.path().toStdString();
        auto config = tinyConfig(dir);
        config.training.epochs = 1;
        Recorder first, second, third, fourth;
        const auto uncached = train(config, first, options);
        QVERIFY2(uncached.ok(), uncached.error().message.c_str());
        QVERIFY(!first.said("read from the cache"));
        const auto files = QDir(cache.path()).entryList(QDir::Files);
        QCOMPARE(files.size(), 1);

        const auto cached = train(config, second, options);
        QVERIFY2(cached.ok(), cached.error().message.c_str());
        QVERIFY(second.said("read from the cache"));
        QCOMPARE(cached->batchLosses, uncached->batchLosses);

        // A damaged cache file is ignored and rewritten; the run is the same.
        const std::string file = cache.filePath(files.front()).toStdString();
        std::filesystem::resize_file(file, std::filesystem::file_size(file) - 7);
        const auto repaired = train(config, third, options);
        QVERIFY2(repaired.ok(), repaired.error().message.c_str());
        QVERIFY(!third.said("read from the cache"));
        QCOMPARE(repaired->batchLosses, uncached->batchLosses);

        // Other encoding settings use another cache entry.
        config.encoding.sequenceLength = 16;
        QVERIFY(train(config, fourth, options).ok());
        QVERIFY(!fourth.said("read from the cache"));
        QCOMPARE(QDir(cache.path()).entryList(QDir::Files).size(), 2);
    }

    void resumedRunEqualsUninterrupted()
    {
        QTemporaryDir whole, parts;
        Recorder uninterrupted;
        auto reference = train(tinyConfig(whole), uninterrupted);
        QVERIFY(reference.ok());

        Recorder first;
        first.stopAtStep = 17; // inside the second epoch (12 batches per epoch)
        TrainOptions stopOptions;
        stopOptions.stop = &first.stop;
        auto stopped = train(tinyConfig(parts), first, stopOptions);
        QVERIFY2(stopped.ok(), stopped.error().message.c_str());
        QVERIFY(stopped->stopped);
        QCOMPARE(stopped->batchLosses.size(), size_t(17)); // stopped within the batch that asked

        Recorder second;
        TrainOptions resume;
        resume.resume = true;
        auto resumed = train(tinyConfig(parts), second, resume);
        QVERIFY2(resumed.ok(), resumed.error().message.c_str());
        std::vector<double> joined = stopped->batchLosses;
        joined.insert(joined.end(), resumed->batchLosses.begin(), resumed->batchLosses.end());
        QCOMPARE(joined, reference->batchLosses);
        QCOMPARE(second.epochs.back().validation.loss, uninterrupted.epochs.back().validation.loss);
    }

    void configRoundTripsAndPresets()
    {
        QTemporaryDir dir;
        const ExperimentConfig original = tinyConfig(dir);
        auto reread = experimentConfigFromYaml(experimentConfigToYaml(original), "c.yaml");
        QVERIFY2(reread.ok(), reread.error().message.c_str());
        QCOMPARE(experimentConfigToYaml(reread.value()), experimentConfigToYaml(original));

        const ExperimentConfig tutorial = presetConfig(ConfigPreset::Tutorial);
        QCOMPARE(tutorial.training.batchSize, int64_t(6));
        QCOMPARE(tutorial.training.epochs, int64_t(2));
        QCOMPARE(tutorial.training.learningRate, 0.000001);
        QCOMPARE(tutorial.encoding.sequenceLength, 512);
        QCOMPARE(tutorial.data.subsets.trainingPercent, 80.0);
        const ExperimentConfig recommended = presetConfig(ConfigPreset::Recommended);
        QCOMPARE(recommended.training.learningRate, 2e-5);
        QCOMPARE(recommended.training.schedule, std::string("linear"));
        QCOMPARE(recommended.training.warmupRatio, 0.1);
        QCOMPARE(recommended.encoding.truncation, Truncation::HeadTail);
    }

    void badConfigs_data()
    {
        QTest::addColumn<QString>("override");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown key") << QStringLiteral("training.learnin_rate=0.1") << QStringLiteral("training.learnin_rate: unknown key");
        QTest::newRow("unknown section") << QStringLiteral("trainer.epochs=3") << QStringLiteral("trainer.epochs: unknown key");
        QTest::newRow("wrong type") << QStringLiteral("training.epochs=many") << QStringLiteral("training.epochs: has the wrong type");
        QTest::newRow("sequence length 600") << QStringLiteral("encoding.sequence_length=600")
                                             << QStringLiteral("encoding.sequence_length: sequence length 600 is outside");
        QTest::newRow("learning rate 0") << QStringLiteral("training.learning_rate=0") << QStringLiteral("training.learning_rate: must lie in (0, 1)");
        QTest::newRow("negative learning rate") << QStringLiteral("training.learning_rate=-1e-5") << QStringLiteral("training.learning_rate");
        QTest::newRow("bad precision") << QStringLiteral("training.precision=fp8") << QStringLiteral("training.precision: must be fp32 or bf16");
        QTest::newRow("bad device") << QStringLiteral("training.device=tpu") << QStringLiteral("training.device: must be cpu or cuda");
        QTest::newRow("bad truncation") << QStringLiteral("encoding.truncation=middle") << QStringLiteral("encoding.truncation: unknown truncation");
    }
    void badConfigs()
    {
        QFETCH(QString, override);
        QFETCH(QString, message);
        QTemporaryDir dir;
        auto config = experimentConfigFromYaml(experimentConfigToYaml(tinyConfig(dir)), "c.yaml", {override.toStdString()});
        QCOMPARE(config.error().code, ErrorCode::Yaml);
        QVERIFY2(config.error().message.find(message.toStdString()) != std::string::npos, config.error().message.c_str());
    }

    void badRunsAreClearErrors()
    {
        QTemporaryDir dir;
        Recorder recorder;
        ExperimentConfig noValidation = tinyConfig(dir, 3);
        noValidation.data.subsets = {100, 0, 0, 1, true};
        auto empty = train(noValidation, recorder);
        QVERIFY(!empty.ok());
        QVERIFY2(empty.error().message.find("validation subset is empty") != std::string::npos, empty.error().message.c_str());

        ExperimentConfig unwritable = tinyConfig(dir);
        unwritable.output.dir = "/proc/fika-cannot-write-here";
        auto denied = train(unwritable, recorder);
        QVERIFY(!denied.ok());
        QVERIFY(denied.error().message.find("output folder cannot be created") != std::string::npos);

        ExperimentConfig otherArchitecture = tinyConfig(dir);
        const std::string gpt = dir.filePath(QStringLiteral("gpt2")).toStdString();
        fika::test::writeBytes(gpt + "/config.json", "{\"model_type\": \"gpt2\"}");
        otherArchitecture.model.init = "pretrained";
        otherArchitecture.model.weights = gpt;
        auto wrong = train(otherArchitecture, recorder);
        QVERIFY(!wrong.ok());
        QVERIFY(wrong.error().message.find("is not a BERT model") != std::string::npos);

        if (!torch::cuda::is_available()) { // this LibTorch has no CUDA: a clear error, not a crash
            ExperimentConfig gpu = tinyConfig(dir);
            gpu.training.device = "cuda";
            auto refused = train(gpu, recorder);
            QVERIFY(!refused.ok());
            QVERIFY2(refused.error().message.find("training.device: cuda needs a CUDA build") != std::string::npos,
                     refused.error().message.c_str());
        }
    }

    void schedule()
    {
        ExperimentConfig::Training t;
        t.learningRate = 1.0;
        t.schedule = "linear";
        t.warmupRatio = 0.1;
        QCOMPARE(scheduledLearningRate(t, 0, 100), 0.0);
        QCOMPARE(scheduledLearningRate(t, 5, 100), 0.5);
        QCOMPARE(scheduledLearningRate(t, 10, 100), 1.0);
        QCOMPARE(scheduledLearningRate(t, 55, 100), 0.5);
        t.schedule = "constant";
        QCOMPARE(scheduledLearningRate(t, 55, 100), 1.0);
    }

    void estimatesAndAdvice()
    {
        ExperimentConfig base = presetConfig(ConfigPreset::Tutorial); // BERT-base, batch 6 x 512
        const auto baseShape = experimentModelShape(base, 2);
        const auto e = estimateTraining(baseShape, base, 20000, 2);
        QVERIFY2(e.peakBytes > 3.5e9 && e.peakBytes < 6e9, std::to_string(e.peakBytes).c_str()); // measured 4.25 GB
        QVERIFY(e.epochSeconds > 3600 * 6 && e.epochSeconds < 3600 * 24);                          // measured ~12 h
        const auto warnings = trainingWarnings(base, e, int64_t(24) << 30);
        QCOMPARE(warnings.size(), size_t(1)); // 1e-6 is outside 1e-5 ... 5e-5
        QVERIFY(warnings[0].find("1e-5") != std::string::npos);
        QCOMPARE(trainingWarnings(base, e, int64_t(2) << 30).size(), size_t(2)); // and 2 GB of RAM is too little
        base.training.learningRate = 2e-5;
        QVERIFY(trainingWarnings(base, e, int64_t(24) << 30).empty());
        ExperimentConfig frozen = base;
        frozen.model.trainable = false;
        QVERIFY(estimateTraining(baseShape, frozen, 20000, 2).epochSeconds < e.epochSeconds / 2);
    }

    void metrics()
    {
        // truth: 0 0 0 1 1; predicted: 0 0 1 1 0
        const std::vector<int32_t> labels = {0, 0, 0, 1, 1};
        const std::vector<std::vector<float>> probs = {{0.9f, 0.1f}, {0.8f, 0.2f}, {0.4f, 0.6f}, {0.3f, 0.7f}, {0.55f, 0.45f}};
        const auto m = computeMetrics(labels, probs, 0.5, 2);
        QCOMPARE(m.confusion.rows(), (std::vector<std::vector<int64_t>>{{2, 1}, {1, 1}}));
        QCOMPARE(m.accuracy, 0.6);
        QCOMPARE(m.perClass[0].recall, 2.0 / 3.0);
        QCOMPARE(m.perClass[0].precision, 2.0 / 3.0);
        QCOMPARE(m.perClass[1].recall, 0.5);
        QCOMPARE(m.perClass[1].support, int64_t(2));
        // positives score 0.7 and 0.45 against negatives 0.1, 0.2, 0.6: 5 of 6 pairs ordered
        QCOMPARE(m.rocAuc, 5.0 / 6.0);
        QCOMPARE(rocAuc({0.5f, 0.5f}, {0, 1}), 0.5);
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
