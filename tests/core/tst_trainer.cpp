// SPDX-License-Identifier: GPL-3.0-or-later
// The training engine on a tiny model and a synthetic task: it learns, it is reproducible, a stopped
// run resumes to the same losses, and bad configurations are refused with their key path.
#include <torch/torch.h>

#include "test_support.h"
#include "tiny_training.h"

#include "model/checkpoint.h"
#include "train/estimates.h"
#include "train/metrics.h"
#include "train/run_folder.h"
#include "train/run_history.h"
#include "train/trainer.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <sstream>
#include <thread>

#include <unistd.h>

#include <algorithm>


using namespace fika::core;

namespace {

ExperimentConfig tinyConfig(const QTemporaryDir& dir, int rows = 240)
{
    const std::string csv = dir.filePath(QStringLiteral("reviews.csv")).toStdString();
    if (!std::filesystem::exists(csv))
        fika::test::writeBytes(csv, fika::test::syntheticReviewsCsv(rows));
    return fika::test::tinyTrainingConfig(csv, dir.filePath(QStringLiteral("run")).toStdString());
}

class Recorder : public TrainObserver {
public:
    std::vector<std::string> messages;
    std::vector<StepEvent> steps;
    std::vector<EpochEvent> epochs;
    int64_t stopAtStep = -1;
    int64_t stopValidatingEpoch = -1; // stop once that epoch's validation has begun
    std::atomic<bool> stop{false};
    void onStep(const StepEvent& e) override
    {
        steps.push_back(e);
        if (e.step == stopAtStep)
            stop = true;
    }
    void onEpoch(const EpochEvent& e) override { epochs.push_back(e); }
    void onValidation(const ValidationEvent& e) override
    {
        if (e.epoch == stopValidatingEpoch && e.examples > 0)
            stop = true;
    }
    void onMessage(const std::string& m) override { messages.push_back(m); }
    std::vector<Warning> warnings;
    void onWarning(const Warning& w) override
    {
        warnings.push_back(w);
        TrainObserver::onWarning(w);
    }
    bool warned(WarningCode code) const
    {
        return std::any_of(warnings.begin(), warnings.end(), [code](const Warning& w) { return w.code == code; });
    }
    bool said(const std::string& part) const
    {
        return std::any_of(messages.begin(), messages.end(), [&](const auto& m) { return m.find(part) != std::string::npos; });
    }
};

namespace fs = std::filesystem;

nlohmann::json readJson(const fs::path& file)
{
    return nlohmann::json::parse(fika::test::readBytes(file.string()), nullptr, false);
}

// A process ID above Linux's largest pid_max: no such process runs.
const std::string kDeadPid = "4194305";

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
        // The optimizer state (twice the model's size) is kept in `last` only, the one resumed from.
        QVERIFY(std::filesystem::exists(checkpoints + "last/optimizer.pt"));
        for (const char* folder : {"epoch-9", "epoch-10", "best"})
            QVERIFY2(!std::filesystem::exists(checkpoints + folder + "/optimizer.pt"), folder);
        QVERIFY(std::filesystem::exists(checkpoints + "last/trainer_state.json"));
        // Linear warm-up then decay, as Hugging Face's schedule.
        QVERIFY(recorder.steps.front().learningRate < recorder.steps[5].learningRate);
        QVERIFY(recorder.steps.back().learningRate < recorder.steps[5].learningRate);
    }

    // A run of fewer than a hundred steps records each one (its loss chart needs points), whatever
    // log_every_steps says; a long run keeps the setting's spacing.
    void shortRunsRecordEveryStep()
    {
        QTemporaryDir dir;
        Recorder recorder;
        ExperimentConfig config = tinyConfig(dir);
        config.training.epochs = 1;
        config.training.logEverySteps = 10;
        auto summary = train(config, recorder);
        QVERIFY2(summary.ok(), summary.error().message.c_str());
        QVERIFY(recorder.steps.size() > 2);
        for (size_t i = 0; i < recorder.steps.size(); ++i)
            QCOMPARE(recorder.steps[i].step, int64_t(i + 1));
        QCOMPARE(recorder.steps.back().step, recorder.steps.back().totalSteps);
    }

    // A config written on a bigger machine trains here on this machine's cores, and says so.
    void threadsAboveTheCoresUseTheCores()
    {
        QTemporaryDir dir;
        Recorder recorder;
        ExperimentConfig config = tinyConfig(dir);
        config.training.epochs = 1;
        config.training.threads = maxTrainingThreads() + 6;
        auto summary = train(config, recorder);
        QVERIFY2(summary.ok(), summary.error().message.c_str());
        QVERIFY(recorder.said("more than this machine's " + std::to_string(maxTrainingThreads()) + " cores"));
        QCOMPARE(torch::get_num_threads(), maxTrainingThreads());
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
        options.overwrite = true; // the runs share one output folder
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

    // Warnings come typed, so that each interface can word them: a Latin-1 file's conversion and the
    // skipped rows are said with their codes, again when the run reads the encoded dataset from the
    // cache instead of importing it.
    void importWarningsAreTypedAndCached()
    {
        QTemporaryDir dir, cache;
        std::string csv = fika::test::syntheticReviewsCsv(240);
        csv += "\"caf\xE9 great\",positive\n\"no label\",\n"; // Latin-1 é, and a row without its label
        const std::string path = dir.filePath(QStringLiteral("reviews.csv")).toStdString();
        fika::test::writeBytes(path, csv);
        auto config = tinyConfig(dir);
        config.training.epochs = 1;
        TrainOptions options;
        options.cacheDir = cache.path().toStdString();
        options.overwrite = true;
        Recorder imported, cached;
        const auto first = train(config, imported, options);
        QVERIFY2(first.ok(), first.error().message.c_str());
        QVERIFY(imported.warned(WarningCode::TextConverted));
        QVERIFY(imported.warned(WarningCode::RowsSkipped));
        QVERIFY(imported.said("warning: ")); // the default wording for observers that do not override it
        QVERIFY(train(config, cached, options).ok());
        QVERIFY(cached.said("read from the cache"));
        QCOMPARE(cached.warnings.size(), imported.warnings.size());
        for (size_t i = 0; i < cached.warnings.size(); ++i) {
            QCOMPARE(cached.warnings[i].code, imported.warnings[i].code);
            QCOMPARE(cached.warnings[i].message, imported.warnings[i].message);
        }
    }

    // A resume continues the saved run only with its settings: a changed learning rate is refused,
    // naming the key and both values; a changed thread count is not; a newer state format is refused.
    void resumeRefusesChangedSettings()
    {
        QTemporaryDir dir;
        Recorder first;
        first.stopAtStep = 5;
        TrainOptions stopOptions;
        stopOptions.stop = &first.stop;
        QVERIFY(train(tinyConfig(dir), first, stopOptions).ok());

        ExperimentConfig changed = tinyConfig(dir);
        changed.training.learningRate = 1e-4;
        Recorder second;
        TrainOptions resume;
        resume.resume = true;
        const auto refused = train(changed, second, resume);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.find("training.learning_rate is 0.0001 now but was 0.002") == 0, refused.error().message.c_str());
        QCOMPARE(refused.error().field, std::string("training.learning_rate"));

        const std::string state = dir.filePath(QStringLiteral("run/checkpoints/last/trainer_state.json")).toStdString();
        auto json = nlohmann::json::parse(fika::test::readBytes(state));
        QCOMPARE(json["schema_version"].get<int>(), 1);
        json["schema_version"] = 2;
        fika::test::writeBytes(state, json.dump());
        const auto newer = train(tinyConfig(dir), second, resume);
        QVERIFY(!newer.ok());
        QVERIFY2(newer.error().message.find("schema_version 2 was written by a newer Fika") != std::string::npos, newer.error().message.c_str());
        json["schema_version"] = 1;
        fika::test::writeBytes(state, json.dump());

        ExperimentConfig moreThreads = tinyConfig(dir);
        moreThreads.training.threads = 2;
        const auto resumed = train(moreThreads, second, resume);
        QVERIFY2(resumed.ok(), resumed.error().message.c_str());
        QVERIFY(!resumed->stopped);
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
        QCOMPARE(stopped->bestEpoch, int64_t(1)); // the first epoch was validated before the stop

        Recorder second;
        TrainOptions resume;
        resume.resume = true;
        auto resumed = train(tinyConfig(parts), second, resume);
        QVERIFY2(resumed.ok(), resumed.error().message.c_str());
        std::vector<double> joined = stopped->batchLosses;
        joined.insert(joined.end(), resumed->batchLosses.begin(), resumed->batchLosses.end());
        QCOMPARE(joined, reference->batchLosses);
        QCOMPARE(second.epochs.back().validation.loss, uninterrupted.epochs.back().validation.loss);
        // The interrupted epoch's training loss counts the batches of both runs.
        QCOMPARE(second.epochs.front().trainingLoss, uninterrupted.epochs[1].trainingLoss);
    }

    // A kill -9 leaves metrics.jsonl ahead of checkpoints/last (the steps and the epoch logged after
    // the checkpoint it resumes from) and maybe a line cut short: the resumed run drops those lines
    // before it logs them again, so that every step and epoch is in the file once, as in an
    // uninterrupted run (they were there twice, and a cut line made the file unreadable).
    void resumeAfterKillLogsEachStepOnce()
    {
        QTemporaryDir whole, parts;
        Recorder uninterrupted;
        QVERIFY(train(tinyConfig(whole), uninterrupted).ok());

        Recorder first;
        first.stopAtStep = 17; // `last` at step 17, inside the second epoch
        TrainOptions stopOptions;
        stopOptions.stop = &first.stop;
        QVERIFY(train(tinyConfig(parts), first, stopOptions).ok());
        const fs::path checkpoints = fs::path(tinyConfig(parts).output.dir) / "checkpoints";
        fs::copy(checkpoints / "last", checkpoints.parent_path() / "last-at-17", fs::copy_options::recursive);

        Recorder second;
        second.stopAtStep = 30; // past epoch 2's end (step 24) and its checkpoints
        TrainOptions resumeAndStop;
        resumeAndStop.resume = true;
        resumeAndStop.stop = &second.stop;
        QVERIFY(train(tinyConfig(parts), second, resumeAndStop).ok());
        // The kill came before `last` was replaced at step 24, and cut the line it was writing.
        fs::remove_all(checkpoints / "last");
        fs::rename(checkpoints.parent_path() / "last-at-17", checkpoints / "last");
        const std::string metricsFile = (checkpoints.parent_path() / "metrics.jsonl").string();
        fika::test::writeBytes(metricsFile, fika::test::readBytes(metricsFile) + "{\"type\":\"step\",\"st");

        Recorder third;
        TrainOptions resume;
        resume.resume = true;
        auto resumed = train(tinyConfig(parts), third, resume);
        QVERIFY2(resumed.ok(), resumed.error().message.c_str());

        auto sequence = [](const std::string& runDir) {
            std::vector<std::pair<std::string, double>> lines; // type and step or epoch, with the loss
            std::istringstream in(fika::test::readBytes(runDir + "/metrics.jsonl"));
            std::string line;
            while (std::getline(in, line)) {
                const auto json = nlohmann::json::parse(line, nullptr, false);
                if (json.is_discarded())
                    lines.emplace_back("unreadable: " + line, 0);
                else if (json["type"] == "step")
                    lines.emplace_back("step " + std::to_string(json["step"].get<int64_t>()), json["loss"].get<double>());
                else
                    lines.emplace_back("epoch " + std::to_string(json["metrics"]["epoch"].get<int64_t>()),
                                       json["metrics"]["loss"].get<double>());
            }
            return lines;
        };
        QCOMPARE(sequence(tinyConfig(parts).output.dir), sequence(tinyConfig(whole).output.dir));
        auto history = readRunHistory(tinyConfig(parts).output.dir);
        QVERIFY2(history.ok(), history.error().message.c_str());
    }

    // A run killed before its first checkpoint leaves metrics.jsonl alone: --resume has nothing to
    // continue, and a plain start must not send the user back to --resume (it did: a loop of refusals).
    void killedBeforeFirstCheckpointPointsToOverwrite()
    {
        QTemporaryDir dir;
        const ExperimentConfig config = tinyConfig(dir);
        fs::create_directories(fs::path(config.output.dir) / "checkpoints");
        fika::test::writeBytes(config.output.dir + "/metrics.jsonl",
                               "{\"type\":\"step\",\"step\":1,\"epoch\":1,\"loss\":0.7,\"learning_rate\":0.1}\n");
        Recorder plain;
        const auto refused = train(config, plain);
        QCOMPARE(refused.error().code, ErrorCode::AlreadyExists);
        QVERIFY2(refused.error().message.find("--resume") == std::string::npos, refused.error().message.c_str());
        QVERIFY2(refused.error().message.find("stopped before its first checkpoint") != std::string::npos,
                 refused.error().message.c_str());
        TrainOptions resume;
        resume.resume = true;
        Recorder resumed;
        const auto nothing = train(config, resumed, resume);
        QVERIFY2(nothing.error().message.find("start it anew with --overwrite") != std::string::npos, nothing.error().message.c_str());
        TrainOptions overwrite;
        overwrite.overwrite = true;
        Recorder anew;
        QVERIFY(train(config, anew, overwrite).ok());
    }

    // The same data.csv with other rows (re-exported, labels fixed) splits into other subsets: a
    // resume on it is refused, as a changed data.csv path is (it went on, on the new rows).
    void resumeRefusesChangedData()
    {
        QTemporaryDir dir;
        auto config = tinyConfig(dir);
        config.training.epochs = 1;
        Recorder first;
        QVERIFY(train(config, first).ok());
        const std::string original = fika::test::readBytes(config.data.csv);
        fika::test::writeBytes(config.data.csv, original + "\"one more review\",positive\n");
        config.training.epochs = 2;
        TrainOptions resume;
        resume.resume = true;
        Recorder second;
        const auto refused = train(config, second, resume);
        QCOMPARE(refused.error().code, ErrorCode::ConfigInvalid);
        QVERIFY2(refused.error().message.find("the data has changed since the run being resumed read it") != std::string::npos,
                 refused.error().message.c_str());
        QCOMPARE(refused.error().field, std::string("data.csv"));
        fika::test::writeBytes(config.data.csv, original);
        Recorder third;
        const auto resumed = train(config, third, resume);
        QVERIFY2(resumed.ok(), resumed.error().message.c_str());
        QCOMPARE(third.epochs.size(), size_t(1));

        // The same rows at another path (the project folder moved) resume; the path alone was refused.
        const std::string moved = dir.filePath(QStringLiteral("moved.csv")).toStdString();
        fs::rename(config.data.csv, moved);
        config.data.csv = moved;
        config.training.epochs = 3;
        Recorder fourth;
        const auto fromMoved = train(config, fourth, resume);
        QVERIFY2(fromMoved.ok(), fromMoved.error().message.c_str());
        QCOMPARE(fourth.epochs.size(), size_t(1));
    }

    // A damaged optimizer.pt is named, with the way out ('training failed: PytorchStreamReader failed
    // reading zip archive' named no file and no remedy).
    void damagedOptimizerStateIsNamed()
    {
        QTemporaryDir dir;
        auto config = tinyConfig(dir);
        config.training.epochs = 1;
        Recorder first;
        QVERIFY(train(config, first).ok());
        const std::string optimizer = config.output.dir + "/checkpoints/last/optimizer.pt";
        fika::test::writeBytes(optimizer, fika::test::readBytes(optimizer).substr(0, 1000));
        config.training.epochs = 2;
        TrainOptions resume;
        resume.resume = true;
        Recorder second;
        const auto refused = train(config, second, resume);
        QCOMPARE(refused.error().code, ErrorCode::CheckpointInvalid);
        QVERIFY2(refused.error().message.starts_with(optimizer + ": the optimizer state cannot be read ("),
                 refused.error().message.c_str());
        QVERIFY2(refused.error().message.find("move last aside to resume from the newest epoch-N") != std::string::npos,
                 refused.error().message.c_str());
        QVERIFY2(refused.error().message.find('\n') == std::string::npos, refused.error().message.c_str());
    }

    // Resuming a run that has trained its epochs says there is nothing to train, not 'resuming at
    // epoch 3' of a 1-epoch run.
    void resumingAFinishedRunSaysSo()
    {
        QTemporaryDir dir;
        auto config = tinyConfig(dir);
        config.training.epochs = 2;
        Recorder first;
        QVERIFY(train(config, first).ok());
        config.training.epochs = 1;
        TrainOptions resume;
        resume.resume = true;
        Recorder second;
        const auto resumed = train(config, second, resume);
        QVERIFY2(resumed.ok(), resumed.error().message.c_str());
        QVERIFY(second.epochs.empty());
        QVERIFY(!second.said("resuming at epoch"));
        QVERIFY(second.said("last has finished epoch 2 and training.epochs is 1: nothing to train; raise training.epochs to train on"));
    }

    // The run's folder, or its checkpoints/, given where a checkpoint belongs (predict --checkpoint run)
    // names the checkpoints to give instead of 'run/config.json: no such file'.
    void runFolderGivenForACheckpointIsNamed()
    {
        QTemporaryDir dir;
        auto config = tinyConfig(dir);
        config.training.epochs = 1;
        Recorder recorder;
        QVERIFY(train(config, recorder).ok());
        const std::string run = config.output.dir;
        for (const std::string& given : {run, run + "/checkpoints"}) {
            const auto loaded = loadCheckpoint(given);
            QCOMPARE(loaded.error().code, ErrorCode::NotAFolder);
            QCOMPARE(loaded.error().message, given + ": is a training run's folder, not a checkpoint; give one of its checkpoints, such as " +
                                                 run + "/checkpoints/best or " + run + "/checkpoints/last");
        }
        QVERIFY(loadCheckpoint(run + "/checkpoints/best").ok());
    }

    // A line the run is still writing (no line break yet) is not read as a broken file.
    void runHistoryIgnoresALineBeingWritten()
    {
        QTemporaryDir dir;
        fika::test::writeBytes(dir.filePath(QStringLiteral("metrics.jsonl")).toStdString(),
                               "{\"type\":\"step\",\"step\":1,\"epoch\":1,\"loss\":0.7,\"learning_rate\":0.1}\n{\"type\":\"st");
        auto history = readRunHistory(dir.path().toStdString());
        QVERIFY2(history.ok(), history.error().message.c_str());
        QCOMPARE(history->steps.size(), size_t(1));
    }

    // The run owns its random numbers: another thread building, initialising and running models
    // with dropout meanwhile (the tester loading a checkpoint during training) changes no loss.
    void otherThreadsDoNotShiftTheRunsDropout()
    {
        QTemporaryDir alone, busy;
        Recorder quiet;
        auto reference = train(tinyConfig(alone), quiet);
        QVERIFY(reference.ok());

        std::atomic<bool> done{false};
        std::atomic<int> models{0};
        std::thread neighbour([&] {
            BertConfig shape = BertConfig::tiny();
            shape.labels = {"a", "b"};
            while (!done) {
                BertClassifier model(shape, true);
                model->initializeWeights(static_cast<uint64_t>(models.load()));
                model->train();
                torch::manual_seed(static_cast<uint64_t>(models.load())); // as code elsewhere may
                const auto ids = torch::randint(1000, {2, 8}, torch::kLong);
                model->forward(ids, torch::ones({2, 8}, torch::kLong), torch::zeros({2, 8}, torch::kLong));
                ++models;
            }
        });
        Recorder noisy;
        auto result = train(tinyConfig(busy), noisy);
        done = true;
        neighbour.join();
        QVERIFY(result.ok());
        QVERIFY2(models > 3, "the neighbour thread ran alongside the training");
        QCOMPARE(result->batchLosses, reference->batchLosses);
    }

    // Stop honoured within one validation batch too (quitting the app mid-validation): the epoch's
    // training is kept, and the resumed run validates it and ends as the uninterrupted one.
    void stopWhileValidatingResumesExactly()
    {
        QTemporaryDir whole, parts;
        Recorder uninterrupted;
        QVERIFY(train(tinyConfig(whole), uninterrupted).ok());

        Recorder first;
        first.stopValidatingEpoch = 2;
        TrainOptions stopOptions;
        stopOptions.stop = &first.stop;
        auto stopped = train(tinyConfig(parts), first, stopOptions);
        QVERIFY2(stopped.ok(), stopped.error().message.c_str());
        QVERIFY(stopped->stopped);
        QCOMPARE(first.epochs.size(), size_t(1)); // epoch 2 was not finished
        QVERIFY(first.said("stopped while validating"));

        Recorder second;
        TrainOptions resume;
        resume.resume = true;
        auto resumed = train(tinyConfig(parts), second, resume);
        QVERIFY2(resumed.ok(), resumed.error().message.c_str());
        QVERIFY(resumed->batchLosses.size() == 12); // epoch 3 only: epoch 2's batches are not run again
        QCOMPARE(second.epochs.size(), size_t(2));
        QCOMPARE(second.epochs[0].trainingLoss, uninterrupted.epochs[1].trainingLoss);
        QCOMPARE(second.epochs[0].validation.loss, uninterrupted.epochs[1].validation.loss);
        QCOMPARE(second.epochs.back().validation.loss, uninterrupted.epochs.back().validation.loss);
    }

    // A stop asked for before the first batch (while the dataset is encoded) ends the run at once and
    // leaves the earlier run it was to replace as it was.
    void stopWhileEncodingKeepsTheEarlierRun()
    {
        QTemporaryDir dir;
        auto config = tinyConfig(dir);
        config.training.epochs = 1;
        Recorder first;
        QVERIFY(train(config, first).ok());
        const fs::path checkpoints = fs::path(config.output.dir) / "checkpoints";
        const std::string stateBefore = fika::test::readBytes((checkpoints / "last/trainer_state.json").string());

        Recorder second;
        second.stop = true;
        TrainOptions options;
        options.overwrite = true;
        options.stop = &second.stop;
        auto stopped = train(config, second, options);
        QVERIFY2(stopped.ok(), stopped.error().message.c_str());
        QVERIFY(stopped->stopped);
        QVERIFY(stopped->batchLosses.empty());
        QVERIFY(second.said("stopped while encoding the dataset"));
        QCOMPARE(fika::test::readBytes((checkpoints / "last/trainer_state.json").string()), stateBefore);
        QVERIFY(fs::exists(checkpoints / "epoch-1/model.safetensors"));

        // The same when the encoded dataset comes from the cache (nothing to encode, so no stop there).
        QTemporaryDir cache;
        TrainOptions cached = options;
        cached.cacheDir = cache.path().toStdString();
        Recorder filling, third;
        TrainOptions fill = cached;
        fill.stop = nullptr;
        QVERIFY(train(config, filling, fill).ok());
        const std::string stateFilled = fika::test::readBytes((checkpoints / "last/trainer_state.json").string());
        third.stop = true;
        cached.stop = &third.stop;
        auto stoppedCached = train(config, third, cached);
        QVERIFY2(stoppedCached.ok(), stoppedCached.error().message.c_str());
        QVERIFY(third.said("read from the cache"));
        QVERIFY(third.said("stopped before training began"));
        QVERIFY(stoppedCached->batchLosses.empty());
        QCOMPARE(fika::test::readBytes((checkpoints / "last/trainer_state.json").string()), stateFilled);
    }

    // Checkpoints are written epoch-N, then best, then last (the commit point): a kill between two
    // writes leaves `best` on disk whenever `last` names it, and --resume finishes the run as if
    // nothing had happened, from `last` or, where it is missing, from the newest epoch-N. The kills
    // are real: fika-cli ends itself (exit 75) right after the named checkpoint is written.
    void killedBetweenCheckpointWritesResumes_data()
    {
        QTest::addColumn<QString>("exitAfter");
        QTest::newRow("after epoch-1") << QStringLiteral("epoch-1");
        QTest::newRow("after best") << QStringLiteral("best");
        QTest::newRow("after last") << QStringLiteral("last");
    }
    void killedBetweenCheckpointWritesResumes()
    {
        QFETCH(QString, exitAfter);
        QVERIFY2(fs::exists(FIKA_CLI_PATH), "needs fika-cli, built beside the tests");
        QTemporaryDir whole, parts;
        Recorder uninterrupted;
        auto reference = train(tinyConfig(whole), uninterrupted);
        QVERIFY(reference.ok());

        const ExperimentConfig config = tinyConfig(parts);
        const QString yaml = parts.filePath(QStringLiteral("experiment.yaml"));
        fika::test::writeBytes(yaml.toStdString(), experimentConfigToYaml(config));
        auto runCli = [&](const QStringList& extra, const QString& exitAfterCheckpoint) {
            QProcess cli;
            auto environment = QProcessEnvironment::systemEnvironment();
            if (!exitAfterCheckpoint.isEmpty())
                environment.insert(QStringLiteral("FIKA_TEST_EXIT_AFTER_CHECKPOINT"), exitAfterCheckpoint);
            cli.setProcessEnvironment(environment);
            cli.start(QStringLiteral(FIKA_CLI_PATH),
                      QStringList{QStringLiteral("train"), QStringLiteral("--config"), yaml, QStringLiteral("--no-cache")} + extra);
            cli.waitForFinished(300000);
            return std::make_pair(cli.exitCode(), QString::fromUtf8(cli.readAllStandardError()));
        };
        const auto [killedCode, killedLog] = runCli({}, exitAfter);
        QVERIFY2(killedCode == 75, qPrintable(killedLog));

        const fs::path checkpoints = fs::path(config.output.dir) / "checkpoints";
        if (fs::exists(checkpoints / "last")) {
            const auto last = readJson(checkpoints / "last/trainer_state.json");
            const auto best = readJson(checkpoints / "best/trainer_state.json");
            QVERIFY2(!best.is_discarded(), "`last` names a best epoch, but checkpoints/best is missing");
            QCOMPARE(best["epoch"].get<int64_t>(), last["best_epoch"].get<int64_t>());
        }
        const auto [resumedCode, resumedLog] = runCli({QStringLiteral("--resume")}, {});
        QVERIFY2(resumedCode == 0, qPrintable(resumedLog));
        QVERIFY2(resumedLog.contains(QStringLiteral("checkpoints/last is missing; resuming from")) == (exitAfter != QStringLiteral("last")),
                 qPrintable(resumedLog));
        const auto metrics = readJson(checkpoints / "last/metrics.json");
        QCOMPARE(metrics["loss"].get<double>(), uninterrupted.epochs.back().validation.loss);
        QCOMPARE(readJson(checkpoints / "best/trainer_state.json")["epoch"].get<int64_t>(), reference->bestEpoch);
        QCOMPARE(readJson(checkpoints / "last/trainer_state.json")["best_epoch"].get<int64_t>(), reference->bestEpoch);
    }

    // What killed runs leave in checkpoints/ is recovered at the next start: a moved-aside `last`
    // comes back, temporary folders of dead processes go, a living process's stay.
    void leftoversOfKilledRunsAreRecovered()
    {
        QTemporaryDir dir;
        auto config = tinyConfig(dir);
        config.training.epochs = 2;
        Recorder first;
        QVERIFY(train(config, first).ok());
        const fs::path checkpoints = fs::path(config.output.dir) / "checkpoints";
        fs::rename(checkpoints / "last", checkpoints / (".last.old-" + kDeadPid));
        fika::test::writeBytes((checkpoints / (".last.tmp-" + kDeadPid) / "config.json").string(), "{"); // half written
        fs::create_directories(checkpoints / (".best.tmp-" + kDeadPid));
        fs::create_directories(checkpoints / ".epoch-1.tmp-1"); // process 1 runs: not ours to touch

        config.training.epochs = 3;
        TrainOptions resume;
        resume.resume = true;
        Recorder second;
        auto resumed = train(config, second, resume);
        QVERIFY2(resumed.ok(), resumed.error().message.c_str());
        QVERIFY(second.said("restored checkpoints/last from .last.old-" + kDeadPid));
        QVERIFY(second.said("removed .last.tmp-" + kDeadPid));
        QVERIFY(second.said("resuming at epoch 3"));
        QCOMPARE(second.epochs.size(), size_t(1));
        for (const std::string kind : {".last.old-", ".last.tmp-", ".best.tmp-"})
            QVERIFY2(!fs::exists(checkpoints / (kind + kDeadPid)), kind.c_str());
        QVERIFY(fs::exists(checkpoints / ".epoch-1.tmp-1"));

        // `last` gone altogether: the newest complete epoch-N is resumed from.
        fs::remove_all(checkpoints / "last");
        config.training.epochs = 4;
        Recorder third;
        auto fromEpoch = train(config, third, resume);
        QVERIFY2(fromEpoch.ok(), fromEpoch.error().message.c_str());
        QVERIFY(third.said("checkpoints/last is missing; resuming from " + (checkpoints / "epoch-3").string()));
        QVERIFY(third.said("warning: epoch-3 holds no optimizer state"));
        QCOMPARE(third.epochs.size(), size_t(1));
        QCOMPARE(third.epochs[0].epoch, int64_t(4));
    }

    // A run folder is locked while a run writes to it, and an earlier run in it is replaced only
    // when asked; other files in it are never removed.
    void runFolderIsLockedAndReplacedOnlyWhenAsked()
    {
        QTemporaryDir dir;
        auto config = tinyConfig(dir);
        config.training.epochs = 1;
        Recorder first;
        QVERIFY(train(config, first).ok());
        const fs::path runDir(config.output.dir);
        const std::string metricsBefore = fika::test::readBytes((runDir / "metrics.jsonl").string());

        Recorder second;
        auto refused = train(config, second);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::AlreadyExists);
        QVERIFY2(refused.error().message.find(config.output.dir + ": holds an earlier run (checkpoints/") != std::string::npos &&
                     refused.error().message.find("--overwrite") != std::string::npos,
                 refused.error().message.c_str());
        QCOMPARE(fika::test::readBytes((runDir / "metrics.jsonl").string()), metricsBefore);

        fs::create_directories(runDir / "checkpoints/epoch-7"); // an earlier, longer run's
        fika::test::writeBytes((runDir / "checkpoints/notes.txt").string(), "mine");
        TrainOptions overwrite;
        overwrite.overwrite = true;
        Recorder third;
        auto replaced = train(config, third, overwrite);
        QVERIFY2(replaced.ok(), replaced.error().message.c_str());
        const std::string metrics = fika::test::readBytes((runDir / "metrics.jsonl").string());
        QCOMPARE(std::count(metrics.begin(), metrics.end(), '\n'), std::count(metricsBefore.begin(), metricsBefore.end(), '\n'));
        QVERIFY(!fs::exists(runDir / "checkpoints/epoch-7"));
        QCOMPARE(fika::test::readBytes((runDir / "checkpoints/notes.txt").string()), std::string("mine"));

        {
            auto held = RunFolderLock::acquire(config.output.dir);
            QVERIFY(held.ok());
            Recorder fourth;
            auto busy = train(config, fourth, overwrite);
            QVERIFY(!busy.ok());
            const std::string expected = "another training run (process " + std::to_string(getpid()) + ") is writing to this folder";
            QVERIFY2(busy.error().message.find(expected) != std::string::npos, busy.error().message.c_str());
        }
        fika::test::writeBytes((runDir / "train.lock").string(), kDeadPid + "\n"); // a killed run's: free again
        Recorder fifth;
        auto afterStale = train(config, fifth, overwrite);
        QVERIFY2(afterStale.ok(), afterStale.error().message.c_str());
    }

    // The last accumulation group of an epoch may be shorter; its gradient is still the mean over
    // its batches. Two batches with accumulation 4 step with the gradient of accumulation 2.
    void shortAccumulationGroupIsAMean()
    {
        QTemporaryDir a, b;
        Recorder ra, rb;
        auto configA = tinyConfig(a, 40);
        configA.training.epochs = 1;
        configA.training.gradientAccumulation = 2;
        auto configB = tinyConfig(b, 40);
        configB.training.epochs = 1;
        configB.training.gradientAccumulation = 4;
        const auto runA = train(configA, ra);
        const auto runB = train(configB, rb);
        QVERIFY(runA.ok() && runB.ok());
        QCOMPARE(runA->batchLosses.size(), size_t(2));
        QCOMPARE(ra.steps.size(), size_t(1));
        QCOMPARE(rb.steps.size(), size_t(1));
        QVERIFY(ra.steps[0].gradNorm > 0);
        QCOMPARE(rb.steps[0].gradNorm, ra.steps[0].gradNorm);
        QCOMPARE(rb.epochs[0].validation.loss, ra.epochs[0].validation.loss);
    }

    // A loss that overflows to NaN stops the run with where it happened; nothing is saved from it.
    void nonFiniteLossStopsTheRun()
    {
        QTemporaryDir dir;
        auto config = tinyConfig(dir);
        config.training.epochs = 1;
        auto tokenizer = Tokenizer::fromVocabFile(fika::test::bundledVocabPath(), true);
        QVERIFY(tokenizer.ok());
        BertConfig shape;
        shape.vocabSize = static_cast<int64_t>(tokenizer->vocab().size());
        shape.numLayers = 2;
        shape.hiddenSize = 32;
        shape.numHeads = 4;
        shape.intermediateSize = 64;
        shape.padTokenId = tokenizer->vocab().padId();
        shape.labels = {"negative", "positive"};
        BertClassifier model(shape, false);
        model->initializeWeights(1);
        {
            // Finite weights whose logits overflow float: the pooler outputs 1s, both logits are +inf.
            torch::NoGradGuard noGrad;
            auto parameters = model->named_parameters();
            parameters["bert.pooler.dense.bias"].fill_(3e38);
            parameters["classifier.weight"].fill_(3e38);
        }
        const std::string weights = dir.filePath(QStringLiteral("overflowing")).toStdString();
        QVERIFY(saveCheckpoint(model, tokenizer.value(), {24}, weights).ok());
        config.model.init = ModelInit::Pretrained;
        config.model.weights = weights;
        Recorder recorder;
        auto run = train(config, recorder);
        QVERIFY(!run.ok());
        QCOMPARE(run.error().code, ErrorCode::Diverged);
        const std::string& message = run.error().message;
        QVERIFY2(message.find("training stopped at epoch 1, batch 1 (step 1): the loss is") != std::string::npos &&
                     message.find("No checkpoint was written") != std::string::npos,
                 message.c_str());
        QVERIFY(fs::is_empty(fs::path(config.output.dir) / "checkpoints"));
    }

    // metrics.jsonl on a full disk: reported once, and training goes on to its checkpoints.
    void metricsLogWriteFailureIsReported()
    {
        if (!fs::exists("/dev/full"))
            QSKIP("needs /dev/full");
        QTemporaryDir dir;
        auto config = tinyConfig(dir);
        config.training.epochs = 2;
        fs::create_directories(config.output.dir);
        fs::create_symlink("/dev/full", fs::path(config.output.dir) / "metrics.jsonl"); // writes: no space left
        Recorder recorder;
        auto run = train(config, recorder);
        QVERIFY2(run.ok(), run.error().message.c_str());
        const auto reports = std::count_if(recorder.messages.begin(), recorder.messages.end(), [](const std::string& m) {
            return m.find("metrics.jsonl: cannot be written (No space left on device)") != std::string::npos;
        });
        QCOMPARE(reports, 1L);
        QVERIFY(fs::exists(fs::path(config.output.dir) / "checkpoints/last/model.safetensors"));
    }

    // Thousands of classes: the confusion matrix is kept once per checkpoint, as its non-zero cells,
    // not in every history entry; a label column that looks like free text is warned about.
    void manyClassesKeepOneSparseMatrix()
    {
        QTemporaryDir dir;
        std::string csv = "review,sentiment\n";
        for (int i = 0; i < 200; ++i) // 40 labels on two rows, 120 on one
            csv += "\"a review number " + std::to_string(i) + "\",title " + std::to_string(i < 80 ? i / 2 : i) + "\n";
        const std::string file = dir.filePath(QStringLiteral("reviews.csv")).toStdString();
        fika::test::writeBytes(file, csv);
        auto config = tinyConfig(dir);
        config.training.epochs = 2;
        Recorder recorder;
        auto run = train(config, recorder);
        QVERIFY2(run.ok(), run.error().message.c_str());
        QVERIFY(recorder.said("data.label_column \"sentiment\" has 160 labels for 200 rows, 120 of them on a single row"));

        const fs::path last = fs::path(config.output.dir) / "checkpoints/last";
        const auto state = readJson(last / "trainer_state.json");
        QCOMPARE(state["history"].size(), size_t(2));
        for (const auto& entry : state["history"])
            QVERIFY(!entry.contains("confusion_matrix") && !entry.contains("confusion_cells") && entry.contains("accuracy"));
        const auto metrics = readJson(last / "metrics.json");
        QVERIFY(!metrics.contains("confusion_matrix"));
        int64_t cells = 0;
        for (const auto& cell : metrics["confusion_cells"])
            cells += cell[2].get<int64_t>();
        QCOMPARE(cells, recorder.epochs.back().validation.confusion.total());

        auto history = readRunHistory(config.output.dir); // the Evaluation view's reading
        QVERIFY2(history.ok(), history.error().message.c_str());
        QCOMPARE(history->epochs.size(), size_t(2));
        QCOMPARE(history->epochs.back().validation.confusion.rows(), recorder.epochs.back().validation.confusion.rows());
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
        QCOMPARE(recommended.training.schedule, LrSchedule::Linear);
        QCOMPARE(recommended.training.warmupRatio, 0.1);
        QCOMPARE(recommended.encoding.truncation, Truncation::HeadTail);
    }

    void badConfigs_data()
    {
        QTest::addColumn<QString>("override");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown key") << QStringLiteral("training.learnin_rate=0.1") << QStringLiteral("training.learnin_rate: unknown key");
        QTest::newRow("unknown section") << QStringLiteral("trainer.epochs=3") << QStringLiteral("trainer.epochs: unknown key");
        QTest::newRow("wrong type") << QStringLiteral("training.epochs=many") << QStringLiteral("--set training.epochs=many: training.epochs: 'many' is not a whole number");
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
        otherArchitecture.model.init = ModelInit::Pretrained;
        otherArchitecture.model.weights = gpt;
        auto wrong = train(otherArchitecture, recorder);
        QVERIFY(!wrong.ok());
        QVERIFY(wrong.error().message.find("is not a BERT model") != std::string::npos);

        if (!torch::cuda::is_available()) { // this LibTorch has no CUDA: a clear error, not a crash
            ExperimentConfig gpu = tinyConfig(dir);
            gpu.training.device = TrainingDevice::Cuda;
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
        t.schedule = LrSchedule::Linear;
        t.warmupRatio = 0.1;
        QCOMPARE(scheduledLearningRate(t, 0, 100), 0.0);
        QCOMPARE(scheduledLearningRate(t, 5, 100), 0.5);
        QCOMPARE(scheduledLearningRate(t, 10, 100), 1.0);
        QCOMPARE(scheduledLearningRate(t, 55, 100), 0.5);
        t.schedule = LrSchedule::Constant;
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
        // bf16 training runs about 1.6-1.9x fp32's rate on idle cores (BERT-mini 32x256, BERT-base 6x512).
        ExperimentConfig bf16 = base;
        bf16.training.precision = Precision::Bf16;
        const double bf16Seconds = estimateTraining(baseShape, bf16, 20000, 2).epochSeconds;
        QVERIFY2(bf16Seconds > e.epochSeconds / 2.5 && bf16Seconds < e.epochSeconds / 1.5,
                 (std::to_string(bf16Seconds) + " s in bf16, " + std::to_string(e.epochSeconds) + " s in fp32").c_str());
        // Peak memory: 4.07 GB in bf16 against 4.82 GB in fp32 measured (bench model, BERT-base 6x512 training).
        const double bf16Peak = static_cast<double>(estimateTraining(baseShape, bf16, 20000, 2).peakBytes);
        const double ratio = bf16Peak / static_cast<double>(e.peakBytes);
        QVERIFY2(ratio > 0.75 && ratio < 0.95, std::to_string(ratio).c_str());
    }

    // The checkpoints' disk estimate against what a run writes (epoch-N, best, last with the
    // optimizer state), with and without keep_epoch_checkpoints; and BERT-base's figure.
    void checkpointDiskEstimate()
    {
        for (const int keep : {0, 1}) {
            QTemporaryDir dir;
            Recorder recorder;
            ExperimentConfig config = tinyConfig(dir);
            config.training.keepEpochCheckpoints = keep;
            auto summary = train(config, recorder);
            QVERIFY2(summary.ok(), summary.error().message.c_str());
            int64_t written = 0;
            for (const auto& entry : std::filesystem::recursive_directory_iterator(config.output.dir + "/checkpoints"))
                if (entry.is_regular_file())
                    written += static_cast<int64_t>(entry.file_size());
            const auto e = estimateCheckpointDisk(experimentModelShape(config, 2), config);
            QCOMPARE(e.epochsKept, keep == 0 ? int64_t(3) : int64_t(1));
            const double ratio = static_cast<double>(e.keptBytes) / static_cast<double>(written);
            qInfo("keep_epoch_checkpoints %d: %lld bytes estimated, %lld written", keep, static_cast<long long>(e.keptBytes),
                  static_cast<long long>(written));
            QVERIFY2(ratio > 0.97 && ratio < 1.03,
                     (std::to_string(e.keptBytes) + " estimated, " + std::to_string(written) + " written").c_str());
            QVERIFY(e.peakBytes > e.keptBytes);
        }
        // BERT-base, 4 epochs: 110 M parameters, 438 MB of weights in 4 epoch-N, best and last, and
        // 876 MB of AdamW state in last.
        ExperimentConfig base = presetConfig(ConfigPreset::Recommended);
        base.training.epochs = 4;
        base.training.keepEpochCheckpoints = 0;
        const auto shape = BertConfig::base();
        const auto e = estimateCheckpointDisk(shape, base);
        QVERIFY2(e.keptBytes > int64_t(3.4e9) && e.keptBytes < int64_t(3.6e9), std::to_string(e.keptBytes).c_str());
        base.training.keepEpochCheckpoints = 1;
        QVERIFY(estimateCheckpointDisk(shape, base).keptBytes < e.keptBytes - int64_t(1.2e9));
        QVERIFY(freeDiskBytes(QDir::tempPath().toStdString() + "/no/such/folder/yet") > 0);
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
