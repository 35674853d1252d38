// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/run_preparation.h"

#include "data/dataset_version.h"
#include "model/checkpoint.h"
#include "train/encoded_cache.h"
#include "train/evaluation.h"

#include <algorithm>
#include <optional>

namespace fika::core {
namespace {

// A label column with many labels, most of them on a single row, is probably free text (a title, a
// review, an id) chosen by mistake: such a "classifier" cannot learn anything.
std::optional<Warning> labelColumnWarning(const std::vector<int32_t>& labels, size_t classes, const std::string& column)
{
    constexpr size_t kFewClasses = 20;
    if (classes < kFewClasses)
        return std::nullopt;
    std::vector<int64_t> counts(classes, 0);
    for (int32_t label : labels)
        ++counts[static_cast<size_t>(label)];
    const auto single = static_cast<size_t>(std::count(counts.begin(), counts.end(), int64_t(1)));
    if (single * 2 <= classes)
        return std::nullopt;
    return Warning{WarningCode::LabelColumnLooksLikeText,
                   "data.label_column \"" + column + "\" has " + std::to_string(classes) + " labels for " +
                       std::to_string(labels.size()) + " rows, " + std::to_string(single) +
                       " of them on a single row: is it free text rather than a class? A classifier learns a label "
                       "only from several examples of it",
                   {}, "data.label_column"};
}

Status importDataset(const ExperimentConfig& config, PreparedRun& p, std::vector<Warning>& warnings)
{
    auto imported = importExperimentData(config);
    if (!imported)
        return imported.error();
    warnings = imported->report.warnings;
    if (imported->report.invalidRows > 0)
        warnings.push_back({WarningCode::RowsSkipped,
                            std::to_string(imported->report.invalidRows) +
                                (imported->report.invalidRows == 1 ? " row" : " rows") +
                                " with problems skipped (fika-cli dataset inspect lists them)",
                            experimentDataSource(config), {}});
    p.dataset = std::move(imported->dataset);
    return Ok{};
}

Status loadModel(const ExperimentConfig& config, const TrainOptions& options, TrainObserver& observer, PreparedRun& p)
{
    const std::string vocab = config.encoding.vocab.empty() ? options.defaultVocab : config.encoding.vocab;
    if (config.model.init == ModelInit::Pretrained) {
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
    p.model->setDropout(config.model.dropout);
    if (!config.model.trainable) {
        p.model->setTrainable(BertBlock::Embeddings, false);
        p.model->setTrainable(BertBlock::Encoder, false);
    }
    return Ok{};
}

} // namespace

// Imports and tokenizes the dataset, or reads both from the encoded-dataset cache when the source,
// columns, encoding settings and tokenizer are the same as in an earlier run.
Result<PreparedRun> prepareRun(const ExperimentConfig& config, const TrainOptions& options, TrainObserver& observer)
{
    PreparedRun p;
    std::string cacheFile;
    std::optional<CachedEncoding> cached;
    auto source = describeSource(experimentDataSource(config));
    if (!source)
        return source.error();
    p.dataSha256 = source->sha256;
    if (!options.cacheDir.empty()) {
        cacheFile = encodedCacheFile(options.cacheDir, encodedCacheKey(source->sha256, config.data.textColumn,
                                                                        config.data.labelColumn, "train", config.encoding));
        cached = loadEncodedCache(cacheFile);
    }
    std::vector<Warning> warnings;
    if (cached) {
        warnings = cached->importWarnings;
        p.dataset.textFeature = cached->textFeature;
        p.dataset.targetFeature = cached->targetFeature;
        p.dataset.labelMap.names = cached->labelNames;
        p.dataset.labels = cached->encoded.labels;
    } else if (auto imported = importDataset(config, p, warnings); !imported) {
        return imported.error();
    }
    for (const auto& warning : warnings)
        observer.onWarning(warning);
    if (const auto warning = labelColumnWarning(p.dataset.labels, p.dataset.labelMap.size(), config.data.labelColumn);
        warning)
        observer.onWarning(*warning);
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
        warnings.clear();
        if (auto imported = importDataset(config, p, warnings); !imported)
            return imported.error();
    }
    p.encoded = encodeDataset(p.dataset, *p.tokenizer, config.encoding, static_cast<int>(config.training.threads), options.stop);
    if (options.stop && options.stop->load())
        return makeError(ErrorCode::Cancelled, "stopped while encoding the dataset; nothing was trained or written");
    if (!cacheFile.empty()) {
        const CachedEncoding entry{digest, p.dataset.textFeature, p.dataset.targetFeature, p.dataset.labelMap.names,
                                   warnings, p.encoded};
        if (auto saved = saveEncodedCache(cacheFile, entry); !saved)
            observer.onWarning({WarningCode::FileNotWritten, saved.error().message + "; the next run encodes the dataset again",
                                cacheFile, {}});
    }
    return p;
}

} // namespace fika::core
