// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli: Fika without a display. Dispatches to the command implementations.
#include "cli/commands.h"

#include "runtime/runtime.h"
#include "runtime/startup_environment.h"

#include <iostream>

namespace fika::cli {

namespace {
constexpr const char* kHelp = R"(Usage: fika-cli COMMAND [OPTIONS]

Fika fine-tunes BERT text classifiers. Commands:
  tokenize --jsonl [--vocab FILE] [--cased]
      Reads JSON lines {"text": ...} on stdin, writes {"ids": [...]} per line ([CLS]/[SEP] included).
  dataset inspect FILE|FOLDER [--text-column review] [--label-column sentiment] [--delimiter comma|semicolon|tab]
                  [--vocab FILE] [--cased] [--threads N] [--split train] [--stop-on-error] [--json]
      Imports a CSV or a class-per-folder tree and reports rows, classes, skipped rows and token lengths.
      A CSV's delimiter is detected from its header line unless --delimiter is given (also for dataset version).
  dataset version FILE|FOLDER --out FILE.yaml [--name NAME] [--training 80] [--validation 20] [--test 0]
                  [--seed 42] [--no-stratify] [--sequence-length 512] [--truncation head|tail|head_tail]
      Splits the dataset into subsets and saves a dataset version (source, checksum, encoding, subsets).
  predict --checkpoint DIR [--json] [--sequence-length N] [--truncation head|tail|head_tail]
          [--batch-size 16] [--csv FILE [--text-column review]] [TEXT ...]
      Classifies texts (arguments, else --csv, else one per line on stdin) with a checkpoint folder;
      sequence length and truncation default to the checkpoint's (as it was trained).
  init-config [--preset tutorial|recommended|from_scratch] --out FILE [--csv FILE] [--weights DIR]
      Writes a complete experiment config (YAML).
  train --config FILE [--set key.path=value]... [--resume | --overwrite] [--no-cache]
      Trains as the config says; Ctrl-C stops within one batch and keeps a resumable `last` checkpoint.
      An output.dir holding an earlier run is refused unless --resume (continue it) or --overwrite (replace it).
  evaluate --checkpoint DIR --csv FILE [--text-column review] [--label-column sentiment] [--json]
      Accuracy, loss, macro-F1, per-class precision/recall/F1, confusion matrix, ROC AUC (two classes).
  export --checkpoint DIR --out DIR [--vocab FILE] [--labels a,b] [--sequence-length N]
         [--truncation head|tail|head_tail]
      Loads any supported checkpoint layout and writes a folder Hugging Face transformers loads as it is,
      with the checkpoint's encoding (model_max_length, truncation) unless given. --out must be new, empty
      or an earlier export: a folder holding anything else is refused, never emptied.
  serve --checkpoint DIR --port N --token-file FILE [--host 127.0.0.1] [--input-name review]
        [--target-name sentiment] [--max-body-bytes 1048576] [--max-batch 16] [--workers 1]
      Serves the prediction API (POST /predict, GET /health, GET / tester page, GET /openapi.json);
      names default to the checkpoint's; a missing token file is created with a new token.
      Workers compute batches at the same time, sharing the cores.
  download [--list] [ID ...] [--cache DIR] [--catalog FILE]
      Downloads (resuming, checksummed) the IMDB dataset or pretrained models listed in the catalog
      into the cache; prints the folder to import or to use as model weights.
  bench model [--shape base|mini|tiny] [--batches 6,16] [--lengths 128,256,512] [--precisions fp32,bf16]
              [--modes inference,train] [--steps 3] [--threads N] [--json]
      Inference and training-step throughput next to the measured matrix-product rate.
  bench load [--shape base] [--json]
      Saves a random model of that shape, then times loading it back (seconds, peak memory).
  bench serve [--shape tiny|mini] [--clients 16] [--requests 10000] [--rounds 10] [--max-batch 16]
              [--max-wait-us 2000] [--workers 1] [--sequence-length 128] [--csv FILE]
              [--load-clients 256] [--load-seconds 20] [--large-rows 2000] [--attacks] [--json]
      The prediction API under concurrent clients: requests/s, p50/p99 latency, overhead against
      the predictor's own batched throughput (measured in alternating rounds); then keep-alive
      clients (fairness, memory), single reviews during one large request, and with --attacks
      idle, slow and oversized connections.
  bench tokenizer --csv FILE [--column review] [--vocab FILE] [--threads N] [--json]
      Tokenizer throughput in MB/s of UTF-8 text (best of 3).

Options:
  --help       show this help
  --version    show the version
  --           ends the options: the words after it are texts or files, even when they start with --
An option takes one value (--name value or --name=value) and may be given once; only train's --set
is given once per key. Unknown options and words a command does not take are usage errors (exit 2).
Without --vocab the bundled bert-base-uncased vocabulary is used.
)";
} // namespace

int usageError(const std::string& message)
{
    std::cerr << "fika-cli: " << message << "\nTry 'fika-cli --help'.\n";
    return 2;
}

} // namespace fika::cli

int main(int argc, char** argv)
{
    using namespace fika::cli;
    std::vector<std::string> args(argv + 1, argv + argc);
    const bool computes = !args.empty() && (args[0] == "train" || args[0] == "evaluate" || args[0] == "predict" ||
                                            args[0] == "serve" || args[0] == "bench");
    fika::core::restartWithTunedEnvironment(argv, computes);
    if (args.empty())
        return usageError("no command given");
    const std::string command = args[0];
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kHelp;
        return 0;
    }
    if (command == "--version") {
        const std::string blas = fika::core::blasCoreName();
        std::cout << "fika-cli " << fika::core::fikaVersion() << " (LibTorch " << fika::core::torchVersion()
                  << (blas.empty() ? std::string() : ", OpenBLAS " + blas + " kernels") << ")\n";
        return 0;
    }
    fika::core::initRuntime();
    auto rest = [&](size_t skip) { return std::vector<std::string>(args.begin() + static_cast<long>(skip), args.end()); };
    if (command == "tokenize")
        return runTokenize(rest(1));
    if (command == "predict")
        return runPredict(rest(1));
    if (command == "export")
        return runExport(rest(1));
    if (command == "download")
        return runDownload(rest(1));
    if (command == "serve")
        return runServe(rest(1));
    if (command == "init-config")
        return runInitConfig(rest(1));
    if (command == "train")
        return runTrain(rest(1));
    if (command == "evaluate")
        return runEvaluate(rest(1));
    if (command == "bench" && args.size() > 1 && args[1] == "model")
        return runBenchModel(rest(2));
    if (command == "bench" && args.size() > 1 && args[1] == "load")
        return runBenchLoad(rest(2));
    if (command == "bench" && args.size() > 1 && args[1] == "serve")
        return runBenchServe(rest(2));
    if (command == "bench" && args.size() > 1 && args[1] == "tokenizer")
        return runBenchTokenizer(rest(2));
    if (command == "dataset" && args.size() > 1 && args[1] == "inspect")
        return runDatasetInspect(rest(2));
    if (command == "dataset" && args.size() > 1 && args[1] == "version")
        return runDatasetVersion(rest(2));
    return usageError("unknown command '" + command + (args.size() > 1 ? " " + args[1] : std::string()) + "'");
}
