// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/trainer.h"

#include "common/atomic_file.h"
#include "common/synced_file.h"
#include "distributed/gradient_sync.h"
#include "distributed/process_group.h"
#include "distributed/world.h"
#include "model/bf16_weights.h"
#include "model/checkpoint.h"
#include "model/dropout.h"
#include "model/torch_errors.h"
#include "runtime/runtime.h"
#include "train/batching.h"
#include "train/evaluation.h"
#include "train/optimizer_step.h"
#include "train/resume_check.h"
#include "train/run_folder.h"
#include "train/run_history.h"
#include "train/run_preparation.h"
#include "train/trainer_state.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>

namespace fs = std::filesystem;

namespace fika::core {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
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

struct SubsetPredictions {
    std::vector<int32_t> labels;
    std::vector<std::vector<float>> probabilities;
    double lossSum = 0;
};

// nullopt when `stop` was set before the subset was done.
std::optional<SubsetPredictions> predictSubset(BertClassifier& model, const EncodedDataset& data, const std::vector<int64_t>& subset,
                                               int64_t batchSize, int32_t padId, size_t classes, size_t padTo,
                                               const torch::Device& device, const std::function<void(int64_t done)>& progress,
                                               const std::atomic<bool>* stop)
{
    torch::NoGradGuard noGrad;
    model->eval();
    SubsetPredictions out;
    auto& labels = out.labels;
    auto& probabilities = out.probabilities;
    double& lossSum = out.lossSum;
    progress(0);
    for (const auto& examples : epochBatches(subset, data, batchSize * 2, false, padTo == 0, 0, 0)) {
        if (stop && stop->load())
            return std::nullopt;
        const Batch batch = collate(data, examples, padId, padTo).to(device);
        const torch::Tensor logits = model->forward(batch.ids, batch.attentionMask, batch.typeIds).logits.to(torch::kFloat);
        lossSum += torch::cross_entropy_loss(logits, batch.labels, {}, at::Reduction::Sum).item<double>();
        const torch::Tensor probs = torch::softmax(logits, -1).to(torch::kCPU).contiguous();
        for (int64_t r = 0; r < probs.size(0); ++r) {
            const float* row = probs.data_ptr<float>() + r * static_cast<int64_t>(classes);
            probabilities.emplace_back(row, row + classes);
            labels.push_back(data.labels[static_cast<size_t>(examples[static_cast<size_t>(r)])]);
        }
        progress(static_cast<int64_t>(labels.size()));
    }
    return out;
}

EvaluationMetrics metricsOf(const SubsetPredictions& p, size_t classes)
{
    return computeMetrics(p.labels, p.probabilities, p.lossSum / static_cast<double>(std::max<size_t>(1, p.labels.size())), classes);
}

// The examples of a global batch (or subset) that `rank` of `worldSize` takes: every worldSize-th,
// as torch's DistributedSampler deals them.
std::vector<int64_t> shardOf(const std::vector<int64_t>& examples, int rank, int worldSize)
{
    std::vector<int64_t> shard;
    for (size_t i = static_cast<size_t>(rank); i < examples.size(); i += static_cast<size_t>(worldSize))
        shard.push_back(examples[i]);
    return shard;
}

// Every rank's predictions of its shard, put together in rank order: the same on every rank.
SubsetPredictions gatherPredictions(DistributedGroup& group, const SubsetPredictions& local, size_t classes, int64_t maxShard)
{
    // One row per example: [present, label, probabilities...], padded to the largest shard.
    const auto width = static_cast<int64_t>(classes) + 2;
    torch::Tensor rows = torch::zeros({maxShard, width}, torch::kFloat);
    for (size_t r = 0; r < local.labels.size(); ++r) {
        rows[static_cast<int64_t>(r)][0] = 1.0f;
        rows[static_cast<int64_t>(r)][1] = static_cast<float>(local.labels[r]);
        rows[static_cast<int64_t>(r)].slice(0, 2, width).copy_(torch::tensor(local.probabilities[r]));
    }
    const torch::Tensor all = group.allgather(rows).contiguous();
    torch::Tensor loss = torch::tensor({local.lossSum}, torch::kDouble);
    group.allreduceSum(loss);
    SubsetPredictions out;
    out.lossSum = loss.item<double>();
    const float* data = all.data_ptr<float>();
    for (int64_t r = 0; r < all.size(0); ++r, data += width) {
        if (data[0] == 0.0f)
            continue;
        out.labels.push_back(static_cast<int32_t>(data[1]));
        out.probabilities.emplace_back(data + 2, data + width);
    }
    return out;
}

// Higher is better for the chosen metric.
double scoreOf(const EvaluationMetrics& m, BestMetric metric)
{
    if (metric == BestMetric::Accuracy)
        return m.accuracy;
    if (metric == BestMetric::MacroF1)
        return m.macroF1;
    return -m.loss;
}

// The config as every rank of a distributed run must have it: training.threads may differ between
// machines, output.dir is rank 0's to write, and the data may lie at another path (its SHA-256 is
// compared once read).
std::string configEveryRankTrains(ExperimentConfig config)
{
    config.training.threads = 0;
    config.output.dir.clear();
    config.data.csv.clear();
    config.data.folder.clear();
    return experimentConfigToYaml(config);
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

// metrics.jsonl is for the curves: a write failure (a full disk) is reported once and training goes
// on, since the checkpoints are what matter and their own writes fail loudly.
class MetricsLog {
public:
    void open(const std::string& path, bool truncate, TrainObserver& observer)
    {
        m_observer = &observer;
        if (auto opened = m_file.open(path, truncate); !opened) {
            m_failed = true;
            observer.onWarning({WarningCode::FileNotWritten, opened.error().message + "; training goes on without metrics.jsonl",
                                path, {}});
        }
    }
    void write(const nlohmann::json& line)
    {
        if (m_failed)
            return;
        if (auto written = m_file.append(line.dump() + "\n"); !written) {
            m_failed = true;
            m_observer->onWarning({WarningCode::FileNotWritten,
                                   written.error().message + "; training goes on, but the curves of this run stop here",
                                   {}, {}});
        }
    }

private:
    AppendFile m_file;
    TrainObserver* m_observer = nullptr;
    bool m_failed = false;
};

// The training losses between two step events, for their mean and the samples per second.
struct StepWindow {
    double lossSum = 0;
    int64_t batches = 0;
    int64_t samples = 0;
    Clock::time_point start = Clock::now();
};

// One run: set up (run folder, data, model, optimizer, resumed state), then epochs of training,
// validation and checkpoints. `m_state` is where the run stands; every checkpoint saves it.
class Trainer {
public:
    Trainer(const ExperimentConfig& config, TrainObserver& observer, const TrainOptions& options)
        : m_config(config), m_t(config.training), m_observer(observer), m_options(options),
          m_runDir(config.output.dir), m_checkpoints(m_runDir / "checkpoints"), m_group(options.group),
          m_writer(!m_group || m_group->rank() == 0)
    {
    }

    Result<TrainSummary> run()
    {
        if (auto ready = setUp(); !ready) {
            if (ready.error().code != ErrorCode::Cancelled)
                return ready.error();
            m_observer.onMessage(ready.error().message); // stopped before the first batch: nothing to resume
            m_summary.stopped = true;
            return m_summary;
        }
        while (m_state.epoch < m_t.epochs) {
            const auto epochStart = Clock::now();
            const auto batches = epochBatches(m_run.subsets.training, m_run.encoded, m_t.batchSize, true, m_t.lengthBuckets,
                                              m_t.seed, m_state.epoch);
            auto trained = trainEpoch(batches);
            if (!trained)
                return trained.error();
            const double trainingSeconds = secondsSince(epochStart);
            if (!trained.value())
                return stopRun("stopped; resuming continues from checkpoints/last");
            auto validation = validate();
            if (!validation) // the epoch's training is kept, its validation runs on resume
                return stopRun("stopped while validating; resuming continues from checkpoints/last with this epoch's validation");
            auto finished = finishEpoch(std::move(*validation), secondsSince(epochStart), trainingSeconds);
            if (!finished)
                return finished.error();
            if (m_t.earlyStoppingPatience > 0 && m_state.epochsWithoutImprovement >= m_t.earlyStoppingPatience) {
                m_observer.onMessage("early stop: no improvement for " + std::to_string(m_state.epochsWithoutImprovement) + " epochs");
                break;
            }
        }
        fillSummary();
        m_summary.bestValue = m_t.bestMetric == BestMetric::ValidationLoss ? -m_state.bestScore : m_state.bestScore;
        if (m_group)
            m_group->finish();
        return m_summary;
    }

private:
    Status setUp()
    {
        // Ranks that train other configs would wait forever in collectives the others never reach, or
        // silently train a mixture.
        if (m_group)
            if (auto same = m_group->requireSameEverywhere(
                    configEveryRankTrains(m_config), "the experiment config",
                    "start every machine with the same config and --set options (training.threads, output.dir and the data's path may differ)",
                    "training");
                !same)
                return same;
        if (auto valid = validateExperimentConfig(m_config); !valid)
            return valid.error();
        if (m_t.threads > maxTrainingThreads())
            m_observer.onMessage("training.threads is " + std::to_string(m_t.threads) + ", more than this machine's " +
                                 std::to_string(maxTrainingThreads()) + " cores: training uses " +
                                 std::to_string(maxTrainingThreads()));
        if (m_t.threads > 0)
            torch::set_num_threads(static_cast<int>(std::min<int64_t>(m_t.threads, maxTrainingThreads())));
        else if (m_group && m_group->world().localWorldSize > 1) // the workers on this machine share its cores
            torch::set_num_threads(std::max(1, maxTrainingThreads() / m_group->world().localWorldSize));
        if (m_group)
            if (auto divides = checkGlobalBatch(m_t.batchSize, m_group->size()); !divides)
                return divides.error();
        if (m_t.device == TrainingDevice::Cuda && !torch::cuda::is_available())
            return makeError(ErrorCode::ConfigInvalid,
                             "training.device: cuda needs a CUDA build of LibTorch and a GPU; this Fika's LibTorch has none "
                             "(README: Fika on a GPU), or set training.device to cpu",
                             "", 0, -1, "training.device");
        m_device = m_t.device == TrainingDevice::Cuda
                       ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(m_group ? m_group->world().localRank : 0))
                       : torch::Device(torch::kCPU);
        if (m_writer)
            if (auto folder = claimRunFolder(); !folder)
                return folder;

        // Rank 0 prepares first, so that the others read the dataset from the encoded cache it wrote.
        if (m_group && !m_writer)
            m_group->barrier();
        auto prepared = prepareRun(m_config, m_options, m_observer);
        if (!prepared)
            return prepared.error();
        m_run = std::move(prepared.value());
        m_state.dataSha256 = m_run.dataSha256;
        if (m_group && m_writer)
            m_group->barrier();
        if (m_group)
            if (auto same = m_group->requireSameEverywhere("SHA-256 " + m_run.dataSha256.substr(0, 16) + "…", "the data",
                                                           "every machine needs a copy of the same data (this one read " +
                                                               experimentDataSource(m_config) + ")",
                                                           m_config.data.csv.empty() ? "data.folder" : "data.csv");
                !same)
                return same;
        // A stop while the data was read (from the cache, say) or the model loaded: nothing replaced yet.
        if (m_options.stop && m_options.stop->load())
            return makeError(ErrorCode::Cancelled, "stopped before training began; nothing was trained or written");
        // Replace an earlier run only now that the new one can start.
        if (m_writer && !m_options.resume)
            if (auto cleared = clearCheckpoints(m_checkpoints.string()); !cleared)
                return cleared.error();
        if (m_writer)
            if (auto written = writeFileAtomically((m_runDir / "config.yaml").string(), experimentConfigToYaml(m_config)); !written)
                return written.error();
        m_run.model->to(m_device); // before the optimizer, so that its state lives beside the weights
        m_optimizer = makeOptimizer(m_run.model, m_t);
        m_padId = m_run.tokenizer->vocab().padId();
        m_padTo = m_t.dynamicPadding ? 0 : static_cast<size_t>(m_config.encoding.sequenceLength);
        m_bf16 = m_t.precision == Precision::Bf16;
        m_batchesPerEpoch = (static_cast<int64_t>(m_run.subsets.training.size()) + m_t.batchSize - 1) / m_t.batchSize;
        m_state.totalSteps = (m_batchesPerEpoch + m_t.gradientAccumulation - 1) / m_t.gradientAccumulation * m_t.epochs;
        if (m_options.resume)
            if (auto resumed = resume(); !resumed)
                return resumed;
        if (m_group && m_options.resume)
            if (auto same = m_group->requireSameEverywhere(
                    "step " + std::to_string(m_state.step) + " (resuming at epoch " + std::to_string(m_state.epoch + 1) + ", batch " +
                        std::to_string(m_state.nextBatch) + ")",
                    "the checkpoint resumed from", "every machine must resume from rank 0's checkpoints/last (a shared disk, or a copy of it)",
                    "output.dir");
                !same)
                return same;
        if (m_group) // every rank starts from rank 0's weights, as DistributedDataParallel does
            m_group->broadcastFromRankZero(m_run.model->parameters());
        if (m_bf16)
            m_bf16Weights.emplace(m_run.model); // after resume(): the copy starts from the loaded weights
        // FIKA_BENCH_REDUCE_AFTER_BACKWARD=1 turns the overlap off, so that fika-cli bench distributed
        // can measure how much of the all-reduce backward hides.
        if (m_group)
            m_gradientSync = std::make_unique<GradientSync>(
                *m_group, trainableParameters(),
                m_bf16 || std::getenv("FIKA_BENCH_REDUCE_AFTER_BACKWARD") ? GradientSync::Mode::AfterBackward
                                                                          : GradientSync::Mode::OverlapWithBackward);
        if (m_t.classWeights) {
            const torch::Tensor weights = inverseClassFrequencies();
            m_classWeightValues.assign(weights.data_ptr<float>(), weights.data_ptr<float>() + weights.numel());
            m_classWeights = weights.to(m_device);
        }
        if (m_writer && m_options.resume) // the lines past the checkpoint come again as the run repeats them
            if (auto trimmed = trimRunHistory(m_runDir.string(), m_state.step, m_state.epoch); !trimmed)
                m_observer.onWarning({WarningCode::FileNotWritten,
                                      trimmed.error().message + "; metrics.jsonl may repeat some steps and epochs",
                                      (m_runDir / "metrics.jsonl").string(), {}});
        if (m_writer)
            m_metrics.open((m_runDir / "metrics.jsonl").string(), /*truncate=*/!m_options.resume, m_observer);
        m_runStart = Clock::now();
        return Ok{};
    }

    // The output folder exists, is locked for this run, and holds no earlier run unless the options
    // allow continuing or replacing it; leftovers of a killed run are recovered.
    Status claimRunFolder()
    {
        std::error_code ec;
        fs::create_directories(m_checkpoints, ec);
        if (ec || !fs::is_directory(m_checkpoints))
            return makeError(ec ? errorCodeForErrno(ec.value()) : ErrorCode::NotAFolder,
                             m_config.output.dir + ": the output folder cannot be created (" + ec.message() + ")",
                             m_config.output.dir, 0, -1, "output.dir");
        auto lock = RunFolderLock::acquire(m_config.output.dir);
        if (!lock)
            return lock.error();
        m_lock.emplace(std::move(lock.value()));
        if (const std::string earlier = earlierRunIn(m_config.output.dir);
            !earlier.empty() && !m_options.resume && !m_options.overwrite)
            return makeError(ErrorCode::AlreadyExists,
                             m_config.output.dir + ": holds an earlier run (" + earlier + "); " +
                                 (resumable() ? "continue it with --resume, replace it with --overwrite, or set another output.dir"
                                              : "it stopped before its first checkpoint, so there is nothing to continue: "
                                                "replace it with --overwrite, or set another output.dir"),
                             m_config.output.dir, 0, -1, "output.dir");
        for (const auto& message : recoverCheckpointLeftovers(m_checkpoints.string()))
            m_observer.onMessage(message);
        return Ok{};
    }

    // Whether resume() finds a checkpoint to continue from.
    bool resumable() const
    {
        std::error_code ec;
        return fs::exists(m_checkpoints / "last" / "trainer_state.json", ec) ||
               latestResumableEpoch(m_checkpoints.string()).has_value();
    }

    // Reads checkpoints/last into the state, model and optimizer, or the newest complete epoch-N when
    // `last` is missing (a run killed before its first `last`, or while replacing it on a file system
    // without atomic exchange).
    Status resume()
    {
        fs::path folder = m_checkpoints / "last";
        std::error_code ec;
        if (!fs::exists(folder / "trainer_state.json", ec)) {
            const auto epoch = latestResumableEpoch(m_checkpoints.string());
            if (!epoch)
                return makeError(ErrorCode::FileNotFound,
                                 (folder / "trainer_state.json").string() +
                                     ": nothing to resume (no complete epoch-N either): the earlier run stopped before its "
                                     "first checkpoint; start it anew with --overwrite",
                                 folder.string());
            m_observer.onMessage("checkpoints/last is missing; resuming from " + *epoch);
            folder = *epoch;
        }
        auto state = readTrainerState((folder / "trainer_state.json").string());
        if (!state)
            return state.error();
        // The same path with other rows would split into other subsets: validation examples trained on,
        // and a best epoch chosen across two validation sets.
        if (!state->dataSha256.empty() && state->dataSha256 != m_run.dataSha256) {
            const std::string source = experimentDataSource(m_config);
            return makeError(ErrorCode::ConfigInvalid,
                             source + ": the data has changed since the run being resumed read it (its SHA-256 was " +
                                 state->dataSha256.substr(0, 12) + "…, now " + m_run.dataSha256.substr(0, 12) +
                                 "…); resume with the data it was trained on, or start anew with --overwrite",
                             source, 0, -1, m_config.data.csv.empty() ? "data.folder" : "data.csv");
        }
        const bool sameDataChecked = !state->dataSha256.empty(); // equal, or refused above
        if (auto same = checkResumeMatches(m_config, (folder / "experiment.yaml").string(), sameDataChecked); !same)
            return same.error();
        auto loaded = loadCheckpoint(folder.string(), LoadOptions{m_run.dataset.labelMap.names, ""});
        if (!loaded)
            return loaded.error();
        {
            torch::NoGradGuard noGrad;
            auto target = m_run.model->named_parameters();
            for (const auto& item : loaded->model->named_parameters())
                target[item.key()].copy_(item.value());
        }
        // epoch-N keeps optimizer.pt only until `last` holds it: resuming from an older epoch-N (its
        // `last` deleted) starts AdamW's moments anew, which changes the run a little.
        if (fs::exists(folder / "optimizer.pt", ec)) {
            const std::string file = (folder / "optimizer.pt").string();
            try {
                torch::load(*m_optimizer, file, m_device); // saved on another device too
            } catch (const std::exception& e) {
                std::string what = e.what();
                what = what.substr(0, what.find('\n')); // LibTorch appends its C++ stack
                return makeError(errorCodeForException(e, ErrorCode::CheckpointInvalid),
                                 file + ": the optimizer state cannot be read (" + what + "); the checkpoint is damaged: " +
                                     "move " + folder.filename().string() + " aside to resume from the newest epoch-N, " +
                                     "or start anew with --overwrite",
                                 file);
            }
        } else
            m_observer.onWarning({WarningCode::OptimizerStateMissing,
                                  folder.filename().string() +
                                      " holds no optimizer state; the optimizer starts anew, so the run differs a little from an uninterrupted one",
                                  folder.string(), {}});
        const int64_t totalSteps = m_state.totalSteps; // from this config: epochs may differ
        m_state = std::move(state.value());
        m_state.totalSteps = totalSteps;
        m_state.dataSha256 = m_run.dataSha256; // recorded from here on also where the resumed state had none
        if (m_state.epoch >= m_t.epochs) // 'resuming at epoch 5' of a 2-epoch run promised training that never came
            m_observer.onMessage(folder.filename().string() + " has finished epoch " + std::to_string(m_state.epoch) +
                                 " and training.epochs is " + std::to_string(m_t.epochs) +
                                 ": nothing to train; raise training.epochs to train on");
        else
            m_observer.onMessage("resuming at epoch " + std::to_string(m_state.epoch + 1) + ", batch " +
                                 std::to_string(m_state.nextBatch));
        return Ok{};
    }

    // The float32 parameters the optimizer updates (and whose gradients a distributed run averages).
    std::vector<torch::Tensor> trainableParameters()
    {
        std::vector<torch::Tensor> parameters;
        for (const auto& p : m_run.model->parameters())
            if (p.requires_grad())
                parameters.push_back(p);
        return parameters;
    }

    torch::Tensor inverseClassFrequencies() const
    {
        const size_t classes = m_run.dataset.labelMap.names.size();
        std::vector<float> counts(classes, 0.f);
        for (int64_t i : m_run.subsets.training)
            counts[static_cast<size_t>(m_run.dataset.labels[static_cast<size_t>(i)])] += 1.f;
        const torch::Tensor weights = torch::tensor(counts);
        return weights.sum() / (static_cast<double>(classes) * weights.clamp_min(1.f));
    }

    // Trains the current epoch from m_state.nextBatch to its end: true, or false when a stop was
    // asked for (m_state then says where to continue).
    Result<bool> trainEpoch(const std::vector<std::vector<int64_t>>& batches)
    {
        computeModel()->train();
        m_optimizer->zero_grad();
        StepWindow window;
        const auto batchCount = static_cast<int64_t>(batches.size());
        for (int64_t b = m_state.nextBatch; b < batchCount; ++b) {
            // Dropout depends on (seed, batch position, rank) only, so a resumed run repeats it exactly,
            // and on nothing another thread draws meanwhile.
            const uint64_t rankStream = m_group ? static_cast<uint64_t>(m_group->rank()) * 0x9E3779B97F4A7C15ull : 0;
            const DropoutSeedScope dropoutSeed(m_t.seed * 1000003ull + static_cast<uint64_t>(m_state.epoch * m_batchesPerEpoch + b) +
                                               rankStream);
            const auto& examples = batches[static_cast<size_t>(b)];
            // The gradient is the mean over the accumulation group, whose last one in an epoch may be shorter.
            const int64_t groupStart = b - b % m_t.gradientAccumulation;
            const int64_t groupSize = std::min<int64_t>(m_t.gradientAccumulation, batchCount - groupStart);
            auto batchLoss = m_group ? shardStep(examples, groupSize) : localStep(examples, groupSize);
            if (!batchLoss)
                return diverged(batchLoss.error().message, b);
            const double lossValue = batchLoss->first;
            m_summary.batchLosses.push_back(lossValue);
            m_state.epochLossSum += lossValue;
            ++m_state.epochBatches;
            window.lossSum += lossValue;
            ++window.batches;
            window.samples += static_cast<int64_t>(examples.size());

            const bool stepNow = (b + 1) % m_t.gradientAccumulation == 0 || b + 1 == batchCount;
            if (stepNow)
                if (auto stepped = optimizerStep(window, b); !stepped)
                    return stepped.error();
            // Alone, a stop asked for up to now (during the step's report, say) counts; a distributed run
            // stops where every rank agreed to.
            if (m_group ? batchLoss->second : stopAsked()) {
                // Resume from the start of the unfinished accumulation group; its batches are redone then.
                m_state.nextBatch = stepNow ? b + 1 : b + 1 - ((b + 1) % m_t.gradientAccumulation);
                for (int64_t undone = b + 1 - m_state.nextBatch; undone > 0; --undone) {
                    m_state.epochLossSum -= m_summary.batchLosses.back();
                    --m_state.epochBatches;
                    m_summary.batchLosses.pop_back();
                }
                return false;
            }
        }
        m_state.nextBatch = batchCount;
        return true;
    }

    bool stopAsked() const { return m_options.stop && m_options.stop->load(); }

    // Forward and backward of one batch in this process: (its mean loss, whether a stop was asked
    // for so far), or an error saying what was not finite.
    Result<std::pair<double, bool>> localStep(const std::vector<int64_t>& examples, int64_t groupSize)
    {
        const Batch batch = collate(m_run.encoded, examples, m_padId, m_padTo).to(m_device);
        const torch::Tensor logits = computeModel()->forward(batch.ids, batch.attentionMask, batch.typeIds).logits.to(torch::kFloat);
        const torch::Tensor loss = torch::cross_entropy_loss(logits, batch.labels, m_classWeights);
        // Read after backward is queued, so that a GPU goes on from forward to backward without waiting
        // for the CPU; a non-finite loss stops the run before the optimizer uses its gradients.
        (loss / static_cast<double>(groupSize)).backward();
        if (m_bf16Weights)
            m_bf16Weights->accumulateGradients();
        const double lossValue = loss.item<double>();
        if (!std::isfinite(lossValue))
            return makeError(ErrorCode::Diverged, "the loss is " + std::to_string(lossValue));
        return std::pair{lossValue, stopAsked()};
    }

    // This rank's share of a global batch. Its summed loss is divided by the global batch's size (or
    // class weight) and multiplied by the world size, so that the average the gradient reducer takes
    // is the gradient of the global batch's mean loss, whatever the shares' sizes. One small
    // all-reduce then gives every rank the global loss and whether any rank was asked to stop: all
    // stop at the same batch.
    Result<std::pair<double, bool>> shardStep(const std::vector<int64_t>& examples, int64_t groupSize)
    {
        std::vector<int64_t> shard = shardOf(examples, m_group->rank(), m_group->size());
        double weight = 1.0;
        if (shard.empty()) { // a last batch smaller than the world: take part with a zero-weight example
            shard.push_back(examples.front());
            weight = 0.0;
        }
        double denominator = 0;
        for (int64_t e : examples)
            denominator += m_classWeightValues.empty() ? 1.0 : m_classWeightValues[static_cast<size_t>(m_run.encoded.labels[static_cast<size_t>(e)])];
        const Batch batch = collate(m_run.encoded, shard, m_padId, m_padTo).to(m_device);
        m_gradientSync->beforeForward();
        const torch::Tensor logits = computeModel()->forward(batch.ids, batch.attentionMask, batch.typeIds).logits.to(torch::kFloat);
        const torch::Tensor lossSum = torch::cross_entropy_loss(logits, batch.labels, m_classWeights, at::Reduction::Sum) * weight;
        m_gradientSync->beforeBackward();
        (lossSum * (static_cast<double>(m_group->size()) / (denominator * static_cast<double>(groupSize)))).backward();
        if (m_bf16Weights)
            m_bf16Weights->accumulateGradients();
        m_gradientSync->afterBackward();
        torch::Tensor shared = torch::tensor({lossSum.item<double>(), stopAsked() ? 1.0 : 0.0}, torch::kDouble);
        m_group->allreduceSum(shared);
        const double lossValue = shared[0].item<double>() / denominator;
        if (!std::isfinite(lossValue))
            return makeError(ErrorCode::Diverged, "the loss is " + std::to_string(lossValue));
        return std::pair{lossValue, shared[1].item<double>() > 0};
    }

    Status optimizerStep(StepWindow& window, int64_t batch)
    {
        // Clipping at infinity only measures the norm.
        const double gradNorm = clipGradientNorm(
            m_run.model->parameters(), m_t.maxGradNorm > 0 ? m_t.maxGradNorm : std::numeric_limits<double>::infinity());
        if (!std::isfinite(gradNorm))
            return diverged("the gradient norm is " + std::to_string(gradNorm), batch);
        const double lr = scheduledLearningRate(m_t, m_state.step, m_state.totalSteps);
        setLearningRate(*m_optimizer, lr);
        adamWStep(*m_optimizer);
        if (m_bf16Weights)
            m_bf16Weights->refresh();
        m_optimizer->zero_grad();
        ++m_state.step;
        // A short run logs more often than log_every_steps, so that its loss chart has points: about
        // a hundred records per run at most as far apart as the setting says.
        const int64_t logEvery = std::clamp<int64_t>(m_state.totalSteps / 100, 1, m_t.logEverySteps);
        if (m_state.step % logEvery == 0 || m_state.step == m_state.totalSteps) {
            if (m_writer)
                reportStep(window, lr, gradNorm);
            window = StepWindow{};
        }
        return Ok{};
    }

    void reportStep(const StepWindow& window, double lr, double gradNorm)
    {
        const double seconds = secondsSince(window.start);
        const auto batches = static_cast<double>(window.batches);
        StepEvent event{m_state.step, m_state.totalSteps, m_state.epoch + 1, window.lossSum / batches, lr,
                        static_cast<double>(window.samples) / std::max(seconds, 1e-9), 0, gradNorm};
        const double secondsPerStep = seconds / std::max(1.0, batches / static_cast<double>(m_t.gradientAccumulation));
        event.etaSeconds = static_cast<double>(m_state.totalSteps - m_state.step) * secondsPerStep;
        m_observer.onStep(event);
        m_metrics.write({{"type", "step"}, {"step", m_state.step}, {"epoch", m_state.epoch + 1}, {"loss", event.loss},
                         {"learning_rate", lr}, {"grad_norm", gradNorm}, {"samples_per_s", event.samplesPerSecond}});
    }

    // The model that runs forward and backward: the bf16 working copy in bf16, else the model itself.
    BertClassifier& computeModel() { return m_bf16Weights ? m_bf16Weights->model() : m_run.model; }

    // nullopt when a stop was asked for during validation. A distributed run validates a shard on
    // every rank and puts the predictions together, so that every rank gets the same metrics; it
    // finishes the validation when asked to stop (the ranks' shards end at different batches) and
    // stops at the next batch.
    std::optional<EvaluationMetrics> validate()
    {
        const int64_t epoch = m_state.epoch + 1;
        const auto total = static_cast<int64_t>(m_run.subsets.validation.size());
        const size_t classes = m_run.dataset.labelMap.names.size();
        if (!m_group) {
            auto predictions = predictSubset(computeModel(), m_run.encoded, m_run.subsets.validation, m_t.batchSize, m_padId, classes,
                                             m_padTo, m_device, [&](int64_t done) { m_observer.onValidation({epoch, done, total}); },
                                             m_options.stop);
            if (!predictions)
                return std::nullopt;
            return metricsOf(*predictions, classes);
        }
        const int n = m_group->size();
        const auto shard = shardOf(m_run.subsets.validation, m_group->rank(), n);
        auto local = predictSubset(computeModel(), m_run.encoded, shard, std::max<int64_t>(1, m_t.batchSize / n), m_padId, classes,
                                   m_padTo, m_device,
                                   [&](int64_t done) { m_observer.onValidation({epoch, std::min(total, done * n), total}); }, nullptr);
        const int64_t maxShard = (total + n - 1) / n;
        return metricsOf(gatherPredictions(*m_group, *local, classes, maxShard), classes);
    }

    // Records the validated epoch (best, history, metrics.jsonl) and saves its checkpoints.
    Status finishEpoch(EvaluationMetrics validation, double elapsedSeconds, double trainingSeconds)
    {
        const int64_t epoch = m_state.epoch + 1;
        EpochEvent event;
        event.epoch = epoch;
        event.epochs = m_t.epochs;
        event.trainingLoss = m_state.epochLossSum / static_cast<double>(std::max<int64_t>(1, m_state.epochBatches));
        event.validation = std::move(validation);
        event.elapsedSeconds = elapsedSeconds;
        event.labels = m_run.dataset.labelMap.names;
        const double score = scoreOf(event.validation, m_t.bestMetric);
        event.best = score > m_state.bestScore + m_t.earlyStoppingMinDelta;
        if (event.best) {
            m_state.bestScore = score;
            m_state.bestEpoch = epoch;
            m_state.epochsWithoutImprovement = 0;
        } else {
            ++m_state.epochsWithoutImprovement;
        }
        nlohmann::json metrics = metricsToJson(event.validation, m_run.dataset.labelMap.names);
        metrics["epoch"] = epoch;
        metrics["training_loss"] = event.trainingLoss;
        metrics["elapsed_seconds"] = event.elapsedSeconds;
        metrics["training_seconds"] = trainingSeconds; // without validation: what throughput comparisons take
        if (m_device.is_cuda())
            metrics["gpu_peak_memory_bytes"] = gpuPeakMemoryBytes(m_device.index());
        metrics["epochs"] = m_t.epochs;
        metrics["best"] = event.best;
        // The confusion matrix is kept once per checkpoint (metrics.json) and in metrics.jsonl, not in
        // every entry of trainer_state's history: with thousands of classes that grows by gigabytes.
        m_state.history.push_back(metrics);
        for (const char* key : {"confusion_matrix", "confusion_cells"})
            m_state.history.back().erase(key);
        if (m_writer)
            m_metrics.write({{"type", "epoch"}, {"metrics", metrics}});
        m_observer.onEpoch(event);

        // From here on the state is the next epoch's start, as the checkpoints save it.
        m_state.epoch = epoch;
        m_state.nextBatch = 0;
        m_state.epochLossSum = 0;
        m_state.epochBatches = 0;
        // epoch-N, then best, then last: `last` is the commit point, so the best epoch its state
        // names is always on disk, and a kill between two writes resumes from a consistent state.
        const std::string epochName = "epoch-" + std::to_string(epoch);
        m_summary.epochsCompleted = epoch;
        if (!m_writer)
            return Ok{};
        for (const std::string& name : {epochName, std::string("best"), std::string("last")}) {
            if (name == "best" && !event.best)
                continue;
            if (auto saved = save(name, metrics); !saved)
                return saved;
            exitIfTestAsks(name);
        }
        // epoch-N kept the optimizer state only until `last` held it too (a kill in between
        // resumes from epoch-N): it is as large as the model twice over.
        std::error_code ec;
        fs::remove(m_checkpoints / epochName / "optimizer.pt", ec);
        if (m_t.keepEpochCheckpoints > 0 && epoch > m_t.keepEpochCheckpoints)
            fs::remove_all(m_checkpoints / ("epoch-" + std::to_string(epoch - m_t.keepEpochCheckpoints)), ec);
        m_summary.epochsCompleted = epoch;
        return Ok{};
    }

    // Writes a checkpoint folder: the model as Hugging Face saves it, plus the run's state.
    Status save(const std::string& name, const nlohmann::json& metrics)
    {
        const std::string state = m_state.toJson().dump(2);
        return saveCheckpoint(m_run.model, *m_run.tokenizer, {m_config.encoding.sequenceLength, m_config.encoding.truncation},
                              (m_checkpoints / name).string(), [&](const std::string& folder) -> Status {
                                  // `best` is never resumed from; see finishEpoch for epoch-N's copy.
                                  if (name != "best")
                                      if (auto s = writeFileSynced(folder + "/optimizer.pt", optimizerBytes(*m_optimizer)); !s)
                                          return s;
                                  if (auto s = writeFileSynced(folder + "/trainer_state.json", state); !s)
                                      return s;
                                  if (auto s = writeFileSynced(folder + "/metrics.json", metrics.dump(2)); !s)
                                      return s;
                                  return writeFileSynced(folder + "/experiment.yaml", experimentConfigToYaml(m_config));
                              });
    }

    // A stop asked for: `last` records where the run goes on and the unfinished epoch's training loss so far.
    Result<TrainSummary> stopRun(const std::string& message)
    {
        if (m_writer)
            if (auto saved = save("last", nlohmann::json::object()); !saved)
                return saved.error();
        m_observer.onMessage(message);
        m_summary.stopped = true;
        fillSummary();
        if (m_group)
            m_group->finish();
        return m_summary;
    }

    void fillSummary()
    {
        m_summary.steps = m_state.step;
        m_summary.bestEpoch = m_state.bestEpoch;
        m_summary.elapsedSeconds = secondsSince(m_runStart);
    }

    // A NaN or infinite loss or gradient ruins the weights: stop before the optimizer uses it,
    // leaving the checkpoints of the last good epoch as they are.
    Error diverged(const std::string& what, int64_t batch) const
    {
        std::error_code ignored;
        const bool hasLast = fs::exists(m_checkpoints / "last", ignored);
        return makeError(ErrorCode::Diverged,
                         "training stopped at epoch " + std::to_string(m_state.epoch + 1) + ", batch " + std::to_string(batch + 1) +
                             " (step " + std::to_string(m_state.step + 1) + "): " + what +
                             "; lower training.learning_rate or check the data and weights. " +
                             (hasLast ? "The last good checkpoint is " + (m_checkpoints / "last").string() + "."
                                      : "No checkpoint was written."),
                         m_config.output.dir, 0, -1, "training");
    }

    const ExperimentConfig& m_config;
    const ExperimentConfig::Training& m_t;
    TrainObserver& m_observer;
    const TrainOptions& m_options;
    const fs::path m_runDir;
    const fs::path m_checkpoints;
    DistributedGroup* m_group = nullptr; // a data-parallel run's group; nullptr: alone
    const bool m_writer;                 // writes the run folder: rank 0, or the only process
    std::optional<RunFolderLock> m_lock; // held for the whole run
    PreparedRun m_run;
    torch::Device m_device{torch::kCPU};
    std::unique_ptr<torch::optim::AdamW> m_optimizer;
    torch::Tensor m_classWeights;           // undefined: unweighted loss
    std::vector<double> m_classWeightValues; // the same on the CPU, for the global batch's weight sum
    int32_t m_padId = 0;
    size_t m_padTo = 0;
    bool m_bf16 = false;
    std::optional<Bf16Weights> m_bf16Weights; // bf16: the working copy of the float32 master weights
    int64_t m_batchesPerEpoch = 0;
    std::unique_ptr<GradientSync> m_gradientSync; // distributed: averages the gradients across the group
    TrainerState m_state;
    TrainSummary m_summary;
    MetricsLog m_metrics;
    Clock::time_point m_runStart = Clock::now();
};

// Gloo's errors when a peer's sockets close or a collective times out.
bool isCollectiveFailure(const std::string& what)
{
    for (const char* mark : {"gloo", "Gloo", "Connection closed", "Connection reset", "Timed out", "timed out"})
        if (what.find(mark) != std::string::npos)
            return true;
    return false;
}

} // namespace

double scheduledLearningRate(const ExperimentConfig::Training& t, int64_t step, int64_t totalSteps)
{
    if (t.schedule != LrSchedule::Linear)
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
        Trainer trainer(config, observer, options);
        return trainer.run();
    } catch (const std::exception& e) {
        const std::string what = e.what();
        const std::string firstLine = what.substr(0, what.find('\n'));
        if (options.group && isCollectiveFailure(what))
            return makeError(ErrorCode::NetworkError, options.group->describeFailure(what), config.output.dir);
        if (errorCodeForException(e, ErrorCode::IoError) == ErrorCode::OutOfMemory)
            return makeError(ErrorCode::OutOfMemory,
                             "training ran out of memory (" + firstLine +
                                 "); lower training.batch_size or encoding.sequence_length, or close other programs",
                             config.output.dir, 0, -1, "training.batch_size");
        return makeError(ErrorCode::IoError, "training failed: " + firstLine, config.output.dir);
    }
}

} // namespace fika::core
