// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/trainer.h"

#include "model/autocast.h"
#include "model/dropout.h"
#include "common/atomic_file.h"
#include "common/synced_file.h"
#include "model/checkpoint.h"
#include "train/batching.h"
#include "train/encoded_cache.h"
#include "train/evaluation.h"
#include "train/resume_check.h"
#include "train/run_folder.h"
#include "data/dataset_version.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>

namespace fs = std::filesystem;

namespace fika::core {
namespace {

using Clock = std::chrono::steady_clock;


// A label column with many labels, most of them on a single row, is probably free text (a title, a
// review, an id) chosen by mistake: such a "classifier" cannot learn anything.
std::string labelColumnWarning(const std::vector<int32_t>& labels, size_t classes, const std::string& column)
{
    constexpr size_t kFewClasses = 20;
    if (classes < kFewClasses)
        return {};
    std::vector<int64_t> counts(classes, 0);
    for (int32_t label : labels)
        ++counts[static_cast<size_t>(label)];
    const auto single = static_cast<size_t>(std::count(counts.begin(), counts.end(), int64_t(1)));
    if (single * 2 <= classes)
        return {};
    return "warning: data.label_column \"" + column + "\" has " + std::to_string(classes) + " labels for " +
           std::to_string(labels.size()) + " rows, " + std::to_string(single) +
           " of them on a single row: is it free text rather than a class? A classifier learns a label only from "
           "several examples of it";
}

struct Prepared {
    Dataset dataset;
    Subsets subsets;
    BertClassifier model{nullptr};
    std::shared_ptr<const Tokenizer> tokenizer;
    EncodedDataset encoded;
};

Status importDataset(const ExperimentConfig& config, Prepared& p, std::vector<std::string>& messages)
{
    auto imported = importExperimentData(config);
    if (!imported)
        return imported.error();
    for (const auto& warning : imported->report.warnings)
        messages.push_back("warning: " + warning);
    if (imported->report.invalidRows > 0)
        messages.push_back("skipped " + std::to_string(imported->report.invalidRows) + " rows with problems");
    p.dataset = std::move(imported->dataset);
    return Ok{};
}

Status loadModel(const ExperimentConfig& config, const TrainOptions& options, TrainObserver& observer, Prepared& p)
{
    const std::string vocab = config.encoding.vocab.empty() ? options.defaultVocab : config.encoding.vocab;
    if (config.model.init == "pretrained") {
        LoadOptions load;
        load.labels = p.dataset.labelMap.names;
        load.fallbackVocab = vocab;
        auto loaded = loadCheckpoint(config.model.weights, load);
        if (!loaded)
            return loaded.error();
        observer.onMessage(loaded->report.summary());
        p.model = loaded->model;
        p.tokenizer = loaded->tokenizer;
    } else {
        auto tokenizer = Tokenizer::fromVocabFile(vocab, config.encoding.lowercase);
        if (!tokenizer)
            return tokenizer.error();
        BertConfig shape;
        shape.vocabSize = static_cast<int64_t>(tokenizer->vocab().size());
        shape.numLayers = config.model.layers;
        shape.hiddenSize = config.model.hiddenSize;
        shape.numHeads = config.model.heads;
        shape.intermediateSize = config.model.intermediateSize;
        shape.maxPositions = std::max<int64_t>(512, config.encoding.sequenceLength);
        shape.padTokenId = tokenizer->vocab().padId();
        shape.labels = p.dataset.labelMap.names;
        p.model = BertClassifier(shape, false);
        p.model->initializeWeights(config.training.seed);
        p.tokenizer = std::make_shared<const Tokenizer>(std::move(tokenizer.value()));
    }
    if (!config.model.trainable) {
        p.model->setTrainable(BertBlock::Embeddings, false);
        p.model->setTrainable(BertBlock::Encoder, false);
    }
    return Ok{};
}

// Imports and tokenizes the dataset, or reads both from the encoded-dataset cache when the source,
// columns, encoding settings and tokenizer are the same as in an earlier run.
Result<Prepared> prepare(const ExperimentConfig& config, const TrainOptions& options, TrainObserver& observer)
{
    Prepared p;
    std::string cacheFile;
    std::optional<CachedEncoding> cached;
    if (!options.cacheDir.empty()) {
        auto source = describeSource(experimentDataSource(config));
        if (!source)
            return source.error();
        cacheFile = encodedCacheFile(options.cacheDir, encodedCacheKey(source->sha256, config.data.textColumn,
                                                                        config.data.labelColumn, "train", config.encoding));
        cached = loadEncodedCache(cacheFile);
    }
    std::vector<std::string> messages;
    if (cached) {
        messages = cached->importMessages;
        p.dataset.textFeature = cached->textFeature;
        p.dataset.targetFeature = cached->targetFeature;
        p.dataset.labelMap.names = cached->labelNames;
        p.dataset.labels = cached->encoded.labels;
    } else if (auto imported = importDataset(config, p, messages); !imported) {
        return imported.error();
    }
    for (const auto& message : messages)
        observer.onMessage(message);
    if (const auto warning = labelColumnWarning(p.dataset.labels, p.dataset.labelMap.size(), config.data.labelColumn);
        !warning.empty())
        observer.onMessage(warning);
    auto subsets = splitSubsets(p.dataset.labels, p.dataset.labelMap.size(), config.data.subsets);
    if (!subsets)
        return subsets.error();
    p.subsets = std::move(subsets.value());
    if (p.subsets.validation.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "data.subsets: the validation subset is empty (" + std::to_string(p.dataset.labels.size()) +
                             " examples); raise data.subsets.validation",
                         "", 0, -1, "data.subsets.validation");
    if (auto loaded = loadModel(config, options, observer, p); !loaded)
        return loaded.error();

    const std::string digest = tokenizerDigest(*p.tokenizer);
    if (cached && cached->tokenizerDigest == digest) {
        p.encoded = std::move(cached->encoded);
        observer.onMessage("encoded dataset read from the cache " + cacheFile);
        return p;
    }
    if (cached) { // same data, another tokenizer: the texts are needed after all
        messages.clear();
        if (auto imported = importDataset(config, p, messages); !imported)
            return imported.error();
    }
    p.encoded = encodeDataset(p.dataset, *p.tokenizer, config.encoding, static_cast<int>(config.training.threads));
    if (!cacheFile.empty()) {
        const CachedEncoding entry{digest, p.dataset.textFeature, p.dataset.targetFeature, p.dataset.labelMap.names,
                                   messages, p.encoded};
        if (auto saved = saveEncodedCache(cacheFile, entry); !saved)
            observer.onMessage("warning: " + saved.error().message);
    }
    return p;
}

// AdamW with decoupled weight decay; biases and LayerNorm weights in a group without decay.
std::unique_ptr<torch::optim::AdamW> makeOptimizer(BertClassifier& model, const ExperimentConfig::Training& t)
{
    std::vector<torch::Tensor> decay, noDecay;
    for (const auto& item : model->named_parameters()) {
        if (!item.value().requires_grad())
            continue;
        const bool exempt = !t.decayBiasAndNorm && (item.key().ends_with(".bias") || item.key().find("LayerNorm") != std::string::npos);
        (exempt ? noDecay : decay).push_back(item.value());
    }
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(t.learningRate).weight_decay(t.weightDecay)));
    groups.emplace_back(noDecay, std::make_unique<torch::optim::AdamWOptions>(
                                     torch::optim::AdamWOptions(t.learningRate).weight_decay(0.0)));
    return std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(t.learningRate));
}

void setLearningRate(torch::optim::AdamW& optimizer, double lr)
{
    for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
}

// nullopt when `stop` was set before the subset was done.
std::optional<EvaluationMetrics> evaluateSubset(BertClassifier& model, const EncodedDataset& data, const std::vector<int64_t>& subset,
                                                int64_t batchSize, int32_t padId, size_t classes, bool bf16, size_t padTo,
                                                const torch::Device& device, const std::function<void(int64_t done)>& progress,
                                                const std::atomic<bool>* stop)
{
    torch::NoGradGuard noGrad;
    model->eval();
    std::vector<int32_t> labels;
    std::vector<std::vector<float>> probabilities;
    double lossSum = 0;
    progress(0);
    for (const auto& examples : epochBatches(subset, data, batchSize * 2, false, padTo == 0, 0, 0)) {
        if (stop && stop->load())
            return std::nullopt;
        const Batch batch = collate(data, examples, padId, padTo).to(device);
        torch::Tensor logits;
        {
            CpuAutocast autocast(bf16);
            logits = model->forward(batch.ids, batch.attentionMask, batch.typeIds).logits.to(torch::kFloat);
        }
        lossSum += torch::cross_entropy_loss(logits, batch.labels, {}, at::Reduction::Sum).item<double>();
        const torch::Tensor probs = torch::softmax(logits, -1).to(torch::kCPU).contiguous();
        for (int64_t r = 0; r < probs.size(0); ++r) {
            const float* row = probs.data_ptr<float>() + r * static_cast<int64_t>(classes);
            probabilities.emplace_back(row, row + classes);
            labels.push_back(data.labels[static_cast<size_t>(examples[static_cast<size_t>(r)])]);
        }
        progress(static_cast<int64_t>(labels.size()));
    }
    return computeMetrics(labels, probabilities, lossSum / std::max<size_t>(1, labels.size()), classes);
}

// Higher is better for the chosen metric.
double scoreOf(const EvaluationMetrics& m, const std::string& metric)
{
    if (metric == "accuracy")
        return m.accuracy;
    if (metric == "macro_f1")
        return m.macroF1;
    return -m.loss;
}

// Fault injection for the crash-recovery tests: FIKA_TEST_EXIT_AFTER_CHECKPOINT=NAME ends the
// process right after checkpoints/NAME is written, as a kill at that moment would.
void exitIfTestAsks(const std::string& checkpoint)
{
    const char* name = std::getenv("FIKA_TEST_EXIT_AFTER_CHECKPOINT");
    if (name && checkpoint == name)
        ::_exit(75);
}

// The optimizer state as optimizer.pt's bytes. torch::save into a file throws from a destructor on
// a full disk (std::terminate); in memory only allocation can fail, and the bytes then go through a
// checked, fsynced write.
std::string optimizerBytes(torch::optim::Optimizer& optimizer)
{
    torch::serialize::OutputArchive archive;
    optimizer.save(archive);
    std::string bytes;
    archive.save_to([&bytes](const void* data, size_t size) -> size_t {
        bytes.append(static_cast<const char*>(data), size);
        return size;
    });
    return bytes;
}

struct ResumeState {
    fs::path folder;
    int64_t epoch = 0, batch = 0, step = 0, bestEpoch = 0, stale = 0;
    double bestScore = -1e300;
    nlohmann::json history = nlohmann::json::array();
    double epochLossSum = 0; // the unfinished epoch's training loss so far
    int64_t epochBatches = 0;
};

// Reads checkpoints/last into the model and optimizer, or the newest complete epoch-N when `last`
// is missing (a run killed before its first `last`, or while replacing it on a file system without
// atomic exchange).
Result<ResumeState> loadResumeState(const ExperimentConfig& config, const fs::path& checkpoints, const std::vector<std::string>& labels,
                                    BertClassifier& model, torch::optim::AdamW& optimizer, TrainObserver& observer)
{
    ResumeState r;
    r.folder = checkpoints / "last";
    std::error_code ec;
    if (!fs::exists(r.folder / "trainer_state.json", ec)) {
        const auto epoch = latestResumableEpoch(checkpoints.string());
        if (!epoch)
            return makeError(ErrorCode::FileNotFound,
                             (r.folder / "trainer_state.json").string() + ": nothing to resume (no complete epoch-N either)",
                             r.folder.string());
        observer.onMessage("checkpoints/last is missing; resuming from " + *epoch);
        r.folder = *epoch;
    }
    const std::string stateFile = (r.folder / "trainer_state.json").string();
    std::ifstream in(stateFile);
    const auto state = nlohmann::json::parse(in, nullptr, false);
    if (state.is_discarded())
        return makeError(ErrorCode::Json, stateFile + ": not valid JSON; nothing to resume", stateFile);
    try {
        const int schema = state.value("schema_version", 1); // files from before the field were version 1
        if (schema > kTrainerStateSchemaVersion)
            return makeError(ErrorCode::InvalidArgument,
                             stateFile + ": schema_version " + std::to_string(schema) + " was written by a newer Fika; this one resumes version " +
                                 std::to_string(kTrainerStateSchemaVersion),
                             stateFile, 0, -1, "schema_version");
        r.epoch = state.at("epoch").get<int64_t>();
        r.batch = state.at("batch").get<int64_t>();
        r.step = state.at("step").get<int64_t>();
        r.bestEpoch = state.at("best_epoch").get<int64_t>();
        r.bestScore = state.at("best_score").get<double>();
        r.stale = state.at("epochs_without_improvement").get<int64_t>();
        r.history = state.at("history");
        r.epochLossSum = state.value("epoch_loss_sum", 0.0); // not in states written before it was kept
        r.epochBatches = state.value("epoch_batches", int64_t(0));
    } catch (const nlohmann::json::exception& e) {
        return makeError(ErrorCode::Json, stateFile + ": " + e.what(), stateFile);
    }
    if (auto same = checkResumeMatches(config, (r.folder / "experiment.yaml").string()); !same)
        return same.error();
    auto loaded = loadCheckpoint(r.folder.string(), LoadOptions{labels, ""});
    if (!loaded)
        return loaded.error();
    torch::NoGradGuard noGrad;
    auto target = model->named_parameters();
    for (const auto& item : loaded->model->named_parameters())
        target[item.key()].copy_(item.value());
    // epoch-N keeps optimizer.pt only until `last` holds it: resuming from an older epoch-N (its
    // `last` deleted) starts AdamW's moments anew, which changes the run a little.
    if (fs::exists(r.folder / "optimizer.pt", ec))
        torch::load(optimizer, (r.folder / "optimizer.pt").string());
    else
        observer.onMessage("warning: " + r.folder.filename().string() +
                           " holds no optimizer state; the optimizer starts anew, so the run differs a little from an uninterrupted one");
    return r;
}

} // namespace

double scheduledLearningRate(const ExperimentConfig::Training& t, int64_t step, int64_t totalSteps)
{
    if (t.schedule != "linear")
        return t.learningRate;
    const auto warmup = static_cast<int64_t>(std::ceil(t.warmupRatio * static_cast<double>(totalSteps)));
    if (step < warmup)
        return t.learningRate * static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, warmup));
    return t.learningRate * std::max(0.0, static_cast<double>(totalSteps - step) /
                                              static_cast<double>(std::max<int64_t>(1, totalSteps - warmup)));
}

Result<TrainSummary> train(const ExperimentConfig& config, TrainObserver& observer, const TrainOptions& options)
{
    try {
        if (auto valid = validateExperimentConfig(config); !valid)
            return valid.error();
        const auto& t = config.training;
        if (t.threads > maxTrainingThreads())
            observer.onMessage("training.threads is " + std::to_string(t.threads) + ", more than this machine's " +
                               std::to_string(maxTrainingThreads()) + " cores: training uses " +
                               std::to_string(maxTrainingThreads()));
        if (t.threads > 0)
            torch::set_num_threads(static_cast<int>(std::min<int64_t>(t.threads, maxTrainingThreads())));
        if (t.device == "cuda" && !torch::cuda::is_available())
            return makeError(ErrorCode::InvalidArgument,
                             "training.device: cuda needs a CUDA build of LibTorch and a GPU; this Fika's LibTorch has none "
                             "(README: Building against another LibTorch), or set training.device to cpu",
                             "", 0, -1, "training.device");
        const torch::Device device(t.device == "cuda" ? torch::kCUDA : torch::kCPU);
        const fs::path runDir(config.output.dir);
        const fs::path checkpoints = runDir / "checkpoints";
        std::error_code ec;
        fs::create_directories(checkpoints, ec);
        if (ec || !fs::is_directory(checkpoints))
            return makeError(ErrorCode::IoError, config.output.dir + ": the output folder cannot be created (" + ec.message() + ")",
                             config.output.dir, 0, -1, "output.dir");
        auto lock = RunFolderLock::acquire(config.output.dir);
        if (!lock)
            return lock.error();
        if (const std::string earlier = earlierRunIn(config.output.dir); !earlier.empty() && !options.resume && !options.overwrite)
            return makeError(ErrorCode::InvalidArgument,
                             config.output.dir + ": holds an earlier run (" + earlier +
                                 "); continue it with --resume, replace it with --overwrite, or set another output.dir",
                             config.output.dir, 0, -1, "output.dir");
        for (const auto& message : recoverCheckpointLeftovers(checkpoints.string()))
            observer.onMessage(message);

        auto prepared = prepare(config, options, observer);
        if (!prepared)
            return prepared.error();
        Prepared& p = prepared.value();
        // Replace an earlier run only now that the new one can start.
        if (!options.resume)
            if (auto cleared = clearCheckpoints(checkpoints.string()); !cleared)
                return cleared.error();
        if (auto written = writeFileAtomically((runDir / "config.yaml").string(), experimentConfigToYaml(config)); !written)
            return written.error();
        const auto& labels = p.dataset.labelMap.names;
        const int32_t padId = p.tokenizer->vocab().padId();
        p.model->to(device); // before the optimizer, so that its state lives beside the weights
        auto optimizer = makeOptimizer(p.model, t);

        int64_t startEpoch = 0, startBatch = 0, step = 0, bestEpoch = 0, stale = 0;
        double bestScore = -1e300;
        double resumedEpochLoss = 0;
        int64_t resumedEpochBatches = 0;
        nlohmann::json history = nlohmann::json::array();
        if (options.resume) {
            auto resumed = loadResumeState(config, checkpoints, labels, p.model, *optimizer, observer);
            if (!resumed)
                return resumed.error();
            startEpoch = resumed->epoch;
            startBatch = resumed->batch;
            step = resumed->step;
            bestEpoch = resumed->bestEpoch;
            bestScore = resumed->bestScore;
            stale = resumed->stale;
            history = std::move(resumed->history);
            resumedEpochLoss = resumed->epochLossSum;
            resumedEpochBatches = resumed->epochBatches;
            observer.onMessage("resuming at epoch " + std::to_string(startEpoch + 1) + ", batch " + std::to_string(startBatch));
        }

        torch::Tensor classWeights;
        if (t.classWeights) {
            std::vector<float> counts(labels.size(), 0.f);
            for (int64_t i : p.subsets.training)
                counts[static_cast<size_t>(p.dataset.labels[static_cast<size_t>(i)])] += 1.f;
            classWeights = torch::tensor(counts);
            classWeights = classWeights.sum() / (static_cast<double>(labels.size()) * classWeights.clamp_min(1.f));
            classWeights = classWeights.to(device);
        }

        const int64_t batchesPerEpoch = (static_cast<int64_t>(p.subsets.training.size()) + t.batchSize - 1) / t.batchSize;
        const int64_t stepsPerEpoch = (batchesPerEpoch + t.gradientAccumulation - 1) / t.gradientAccumulation;
        const int64_t totalSteps = stepsPerEpoch * t.epochs;
        const bool bf16 = t.precision == "bf16";
        const size_t padTo = t.dynamicPadding ? 0 : static_cast<size_t>(config.encoding.sequenceLength);
        // metrics.jsonl is for the curves: a write failure (a full disk) is reported once and training
        // goes on, since the checkpoints are what matter and their own writes fail loudly.
        AppendFile metricsLog;
        bool metricsLogFailed = false;
        auto logMetrics = [&](const nlohmann::json& line) {
            if (metricsLogFailed)
                return;
            if (auto written = metricsLog.append(line.dump() + "\n"); !written) {
                metricsLogFailed = true;
                observer.onMessage("warning: " + written.error().message +
                                   "; training goes on, but the curves of this run stop here");
            }
        };
        if (auto opened = metricsLog.open((runDir / "metrics.jsonl").string(), /*truncate=*/!options.resume); !opened) {
            metricsLogFailed = true;
            observer.onMessage("warning: " + opened.error().message + "; training goes on without metrics.jsonl");
        }
        TrainSummary summary;
        const auto runStart = Clock::now();

        // Writes a checkpoint folder; `nextBatch` is where a resumed run continues, and an unfinished
        // epoch's training loss so far goes with it.
        auto saveTo = [&](const std::string& name, int64_t epoch, int64_t nextBatch, const nlohmann::json& metrics,
                          double epochLossSum = 0, int64_t epochBatches = 0) {
            const nlohmann::json state = {{"schema_version", kTrainerStateSchemaVersion},
                                          {"epoch", epoch}, {"batch", nextBatch}, {"step", step},
                                          {"best_epoch", bestEpoch}, {"best_score", bestScore},
                                          {"epochs_without_improvement", stale}, {"history", history},
                                          {"total_steps", totalSteps}, {"epoch_loss_sum", epochLossSum},
                                          {"epoch_batches", epochBatches}};
            return saveCheckpoint(p.model, *p.tokenizer, {config.encoding.sequenceLength, config.encoding.truncation},
                                  (checkpoints / name).string(),
                                  [&](const std::string& folder) -> Status {
                                      // `best` is never resumed from; see the epoch loop for epoch-N's copy.
                                      if (name != "best")
                                          if (auto s = writeFileSynced(folder + "/optimizer.pt", optimizerBytes(*optimizer)); !s)
                                              return s;
                                      if (auto s = writeFileSynced(folder + "/trainer_state.json", state.dump(2)); !s)
                                          return s;
                                      if (auto s = writeFileSynced(folder + "/metrics.json", metrics.dump(2)); !s)
                                          return s;
                                      return writeFileSynced(folder + "/experiment.yaml", experimentConfigToYaml(config));
                                  });
        };

        // A stop asked for: `last` records where the run goes on (nextBatch of epoch) and the unfinished
        // epoch's training loss so far.
        auto stopRun = [&](int64_t epoch, int64_t nextBatch, double epochLossSum, int64_t epochBatches,
                           const std::string& message) -> Result<TrainSummary> {
            if (auto saved = saveTo("last", epoch, nextBatch, nlohmann::json::object(), epochLossSum, epochBatches); !saved)
                return saved.error();
            observer.onMessage(message);
            summary.stopped = true;
            summary.steps = step;
            summary.bestEpoch = bestEpoch;
            summary.elapsedSeconds = std::chrono::duration<double>(Clock::now() - runStart).count();
            return summary;
        };

        // A NaN or infinite loss or gradient ruins the weights: stop before the optimizer uses it,
        // leaving the checkpoints of the last good epoch as they are.
        auto diverged = [&](const std::string& what, int64_t epoch, int64_t batch) {
            std::error_code ignored;
            const bool hasLast = fs::exists(checkpoints / "last", ignored);
            return makeError(ErrorCode::InvalidArgument,
                             "training stopped at epoch " + std::to_string(epoch + 1) + ", batch " + std::to_string(batch + 1) +
                                 " (step " + std::to_string(step + 1) + "): " + what +
                                 "; lower training.learning_rate or check the data and weights. " +
                                 (hasLast ? "The last good checkpoint is " + (checkpoints / "last").string() + "."
                                          : "No checkpoint was written."),
                             config.output.dir, 0, -1, "training");
        };

        for (int64_t epoch = startEpoch; epoch < t.epochs; ++epoch) {
            const auto epochStart = Clock::now();
            const auto batches = epochBatches(p.subsets.training, p.encoded, t.batchSize, true, t.lengthBuckets, t.seed, epoch);
            p.model->train();
            optimizer->zero_grad();
            const int64_t firstBatch = epoch == startEpoch ? startBatch : 0;
            double windowLoss = 0, epochLoss = epoch == startEpoch ? resumedEpochLoss : 0;
            int64_t windowBatches = 0, epochBatchesDone = epoch == startEpoch ? resumedEpochBatches : 0, windowSamples = 0;
            auto windowStart = Clock::now();
            for (int64_t b = firstBatch; b < static_cast<int64_t>(batches.size()); ++b) {
                // Dropout depends on (seed, batch position) only, so a resumed run repeats it exactly,
                // and on nothing another thread draws meanwhile.
                const DropoutSeedScope dropoutSeed(t.seed * 1000003ull + static_cast<uint64_t>(epoch * batchesPerEpoch + b));
                const Batch batch = collate(p.encoded, batches[static_cast<size_t>(b)], padId, padTo).to(device);
                torch::Tensor loss;
                {
                    CpuAutocast autocast(bf16);
                    const torch::Tensor logits =
                        p.model->forward(batch.ids, batch.attentionMask, batch.typeIds).logits.to(torch::kFloat);
                    loss = torch::cross_entropy_loss(logits, batch.labels, classWeights);
                }
                const double lossValue = loss.item<double>();
                if (!std::isfinite(lossValue))
                    return diverged("the loss is " + std::to_string(lossValue), epoch, b);
                // The gradient is the mean over the accumulation group, whose last one in an epoch may be shorter.
                const int64_t groupStart = b - b % t.gradientAccumulation;
                const int64_t groupSize = std::min<int64_t>(t.gradientAccumulation, static_cast<int64_t>(batches.size()) - groupStart);
                (loss / static_cast<double>(groupSize)).backward();
                summary.batchLosses.push_back(lossValue);
                windowLoss += lossValue;
                epochLoss += lossValue;
                ++windowBatches;
                ++epochBatchesDone;
                windowSamples += static_cast<int64_t>(batch.examples.size());

                const bool stepNow = (b + 1) % t.gradientAccumulation == 0 || b + 1 == static_cast<int64_t>(batches.size());
                if (stepNow) {
                    // Clipping at infinity only measures the norm.
                    const double gradNorm = torch::nn::utils::clip_grad_norm_(
                        p.model->parameters(), t.maxGradNorm > 0 ? t.maxGradNorm : std::numeric_limits<double>::infinity());
                    if (!std::isfinite(gradNorm))
                        return diverged("the gradient norm is " + std::to_string(gradNorm), epoch, b);
                    const double lr = scheduledLearningRate(t, step, totalSteps);
                    setLearningRate(*optimizer, lr);
                    optimizer->step();
                    optimizer->zero_grad();
                    ++step;
                    if (step % t.logEverySteps == 0 || step == totalSteps) {
                        const double seconds = std::chrono::duration<double>(Clock::now() - windowStart).count();
                        StepEvent event{step, totalSteps, epoch + 1, windowLoss / static_cast<double>(windowBatches), lr,
                                        static_cast<double>(windowSamples) / std::max(seconds, 1e-9), 0, gradNorm};
                        event.etaSeconds = static_cast<double>(totalSteps - step) *
                                           (seconds / std::max<double>(1, static_cast<double>(windowBatches) /
                                                                                static_cast<double>(t.gradientAccumulation)));
                        observer.onStep(event);
                        logMetrics({{"type", "step"}, {"step", step}, {"epoch", epoch + 1}, {"loss", event.loss},
                                    {"learning_rate", lr}, {"grad_norm", gradNorm}, {"samples_per_s", event.samplesPerSecond}});
                        windowLoss = 0;
                        windowBatches = 0;
                        windowSamples = 0;
                        windowStart = Clock::now();
                    }
                }
                if (options.stop && options.stop->load()) {
                    // Resume from the start of the unfinished accumulation group.
                    const int64_t next = stepNow ? b + 1 : b + 1 - ((b + 1) % t.gradientAccumulation);
                    for (int64_t undone = b + 1 - next; undone > 0; --undone) { // redone after the resume
                        epochLoss -= summary.batchLosses.back();
                        --epochBatchesDone;
                        summary.batchLosses.pop_back();
                    }
                    return stopRun(epoch, next, epochLoss, epochBatchesDone, "stopped; resuming continues from checkpoints/last");
                }
            }

            EpochEvent event;
            event.epoch = epoch + 1;
            event.epochs = t.epochs;
            event.trainingLoss = epochLoss / static_cast<double>(std::max<int64_t>(1, epochBatchesDone));
            const auto validationTotal = static_cast<int64_t>(p.subsets.validation.size());
            auto validation = evaluateSubset(p.model, p.encoded, p.subsets.validation, t.batchSize, padId, labels.size(),
                                             bf16, padTo, device, [&](int64_t done) {
                                                 observer.onValidation({epoch + 1, done, validationTotal});
                                             }, options.stop);
            if (!validation) // the epoch's training is kept, its validation runs on resume
                return stopRun(epoch, static_cast<int64_t>(batches.size()), epochLoss, epochBatchesDone,
                               "stopped while validating; resuming continues from checkpoints/last with this epoch's validation");
            event.validation = std::move(*validation);
            event.elapsedSeconds = std::chrono::duration<double>(Clock::now() - epochStart).count();
            const double score = scoreOf(event.validation, t.bestMetric);
            event.best = score > bestScore + t.earlyStoppingMinDelta;
            if (event.best) {
                bestScore = score;
                bestEpoch = epoch + 1;
                stale = 0;
            } else {
                ++stale;
            }
            nlohmann::json metrics = metricsToJson(event.validation, labels);
            metrics["epoch"] = epoch + 1;
            metrics["training_loss"] = event.trainingLoss;
            metrics["elapsed_seconds"] = event.elapsedSeconds;
            metrics["epochs"] = t.epochs;
            metrics["best"] = event.best;
            // The confusion matrix is kept once per checkpoint (metrics.json) and in metrics.jsonl, not in
            // every entry of trainer_state's history: with thousands of classes that grows by gigabytes.
            history.push_back(metrics);
            for (const char* key : {"confusion_matrix", "confusion_cells"})
                history.back().erase(key);
            logMetrics({{"type", "epoch"}, {"metrics", metrics}});
            observer.onEpoch(event);

            // epoch-N, then best, then last: `last` is the commit point, so the best epoch its state
            // names is always on disk, and a kill between two writes resumes from a consistent state.
            const std::string epochName = "epoch-" + std::to_string(epoch + 1);
            for (const std::string& name : {epochName, std::string("best"), std::string("last")}) {
                if (name == "best" && !event.best)
                    continue;
                if (auto saved = saveTo(name, epoch + 1, 0, metrics); !saved)
                    return saved.error();
                exitIfTestAsks(name);
            }
            // epoch-N kept the optimizer state only until `last` held it too (a kill in between
            // resumes from epoch-N): it is as large as the model twice over.
            fs::remove(checkpoints / epochName / "optimizer.pt", ec);
            if (t.keepEpochCheckpoints > 0 && epoch + 1 > t.keepEpochCheckpoints)
                fs::remove_all(checkpoints / ("epoch-" + std::to_string(epoch + 1 - t.keepEpochCheckpoints)), ec);
            summary.epochsCompleted = epoch + 1;
            if (t.earlyStoppingPatience > 0 && stale >= t.earlyStoppingPatience) {
                observer.onMessage("early stop: no improvement for " + std::to_string(stale) + " epochs");
                break;
            }
        }
        summary.steps = step;
        summary.bestEpoch = bestEpoch;
        summary.bestValue = t.bestMetric == "validation_loss" ? -bestScore : bestScore;
        summary.elapsedSeconds = std::chrono::duration<double>(Clock::now() - runStart).count();
        return summary;
    } catch (const std::exception& e) {
        std::string what = e.what();
        return makeError(ErrorCode::IoError, "training failed: " + what.substr(0, what.find('\n')));
    }
}

} // namespace fika::core
