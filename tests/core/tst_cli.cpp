// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli as a user runs it: real process, real files, stdout/stderr and exit codes.
#include "test_support.h"

#include "runtime/runtime.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs fika-cli with `set` added to the environment and `unset` removed.
Run runCliWith(const QStringList& args, const QStringList& set, const QStringList& unset = {}, const QByteArray& input = {})
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString& name : unset)
        environment.remove(name);
    for (const QString& assignment : set)
        environment.insert(assignment.section(QLatin1Char('='), 0, 0), assignment.section(QLatin1Char('='), 1));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(FIKA_CLI_PATH), args);
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(120000);
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

Run runCli(const QStringList& args, const QByteArray& input = {})
{
    QProcess process;
    process.start(QStringLiteral(FIKA_CLI_PATH), args);
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(120000);
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

// fika-cli init-config (recommended preset) and train, from random weights on one thread, on `rows`
// synthetic reviews in `dir`, with `settings` as --set options; the run goes to dir/run.
Run trainOnSyntheticReviews(const QTemporaryDir& dir, int rows, std::initializer_list<const char*> settings)
{
    const QString csv = dir.filePath(QStringLiteral("reviews.csv"));
    fika::test::writeBytes(csv.toStdString(), fika::test::syntheticReviewsCsv(rows));
    const QString config = dir.filePath(QStringLiteral("experiment.yaml"));
    const Run init = runCli({QStringLiteral("init-config"), QStringLiteral("--preset"), QStringLiteral("recommended"),
                             QStringLiteral("--csv"), csv, QStringLiteral("--out"), config});
    if (init.exitCode != 0)
        return init;
    QStringList train = {QStringLiteral("train"), QStringLiteral("--config"), config, QStringLiteral("--set"),
                         QStringLiteral("model.init=random"), QStringLiteral("--set"), QStringLiteral("training.threads=1")};
    for (const char* setting : settings)
        train << QStringLiteral("--set") << QString::fromUtf8(setting);
    train << QStringLiteral("--set") << QStringLiteral("output.dir=") + dir.filePath(QStringLiteral("run"));
    return runCli(train);
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void versionAndHelp()
    {
        const Run version = runCli({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("fika-cli 0."));
        const Run help = runCli({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        for (const char* command : {"tokenize", "dataset inspect", "dataset version", "bench tokenizer"})
            QVERIFY2(help.out.contains(command), command);
    }

    // Each command's --help is generated from its option definitions: names, types, ranges, defaults.
    void commandHelpIsGenerated()
    {
        const Run train = runCli({QStringLiteral("train"), QStringLiteral("--help")});
        QCOMPARE(train.exitCode, 0);
        for (const char* expected : {"Usage: fika-cli train", "--config FILE (required)", "--set key.path=value ...",
                                     "--resume (not with --overwrite)", "--no-cache"})
            QVERIFY2(train.out.contains(expected), (train.out + "\nexpected: " + expected).constData());
        const Run version = runCli({QStringLiteral("dataset"), QStringLiteral("version"), QStringLiteral("-h")});
        QCOMPARE(version.exitCode, 0);
        for (const char* expected : {"--training PERCENT (0 to 100, default 80)", "--sequence-length N (3 to 512, default 512)",
                                     "--truncation head|tail|head_tail (default head)", "--threads N (0 to cores, default 0)"})
            QVERIFY2(version.out.contains(expected), (version.out + "\nexpected: " + expected).constData());
        for (const char* command : {"tokenize", "dataset inspect", "predict", "init-config", "evaluate", "export", "serve",
                                    "download", "bench model", "bench parity", "bench load", "bench serve", "bench tokenizer"}) {
            QStringList args = QString::fromUtf8(command).split(QLatin1Char(' '));
            args << QStringLiteral("--help");
            const Run help = runCli(args);
            QVERIFY2(help.exitCode == 0 && help.out.contains("Usage: fika-cli " + QByteArray(command)), command);
        }
    }

    // The device check on the CPU: the golden model's logits, gradients, bf16, AdamW and dropout checks
    // all run and pass; a GPU on a LibTorch without CUDA, or a device that does not exist, is refused.
    void benchParityOnTheCpu()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/golden.json");
        const Run run = runCli({QStringLiteral("bench"), QStringLiteral("parity"), QStringLiteral("--golden"),
                                QString::fromStdString(fika::test::sharedPath("golden/tiny-bert")), QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto out = nlohmann::json::parse(run.out.toStdString());
        QVERIFY(out["failed"].empty());
        QVERIFY(out["max_abs_logit_diff_fp32_vs_golden"].get<double>() < 1e-5);
        QVERIFY(out["max_abs_adamw_loss_diff_vs_golden"].get<double>() < 1e-5);
        QVERIFY(out["max_abs_logit_diff_bf16_vs_cpu_fp32"].get<double>() > 0); // bf16 really ran
        QCOMPARE(out["dropout_same_seed_max_abs_diff"].get<double>(), 0.0);
        QVERIFY(out["dropout_other_seed_max_abs_diff"].get<double>() > 0);

        const Run gpu = runCli({QStringLiteral("bench"), QStringLiteral("parity"), QStringLiteral("--golden"), QStringLiteral("x"),
                                QStringLiteral("--device"), QStringLiteral("cuda")});
        if (fika::core::computeDevices().size() == 1) { // no GPU here
            QCOMPARE(gpu.exitCode, 1);
            QVERIFY2(gpu.err.contains("needs a CUDA build of LibTorch"), gpu.err.constData());
        }
        // A golden file without the reference's keys: a message naming the key, not an abort.
        QTemporaryDir dir;
        for (const char* file : {"config.json", "model.safetensors"})
            QVERIFY(QFile::copy(QString::fromStdString(fika::test::sharedPath(std::string("golden/tiny-bert/") + file)),
                                dir.filePath(QString::fromUtf8(file))));
        QFile golden(dir.filePath(QStringLiteral("golden.json")));
        QVERIFY(golden.open(QIODevice::WriteOnly) && golden.write("{\"input_ids\": [[101, 102]]}") > 0);
        golden.close();
        const Run noKeys = runCli({QStringLiteral("bench"), QStringLiteral("parity"), QStringLiteral("--golden"), dir.path()});
        QCOMPARE(noKeys.exitCode, 1);
        QVERIFY2(noKeys.err.contains("golden.json: no \"attention_mask\""), noKeys.err.constData());

        const Run bad = runCli({QStringLiteral("predict"), QStringLiteral("--checkpoint"), QStringLiteral("x"),
                                QStringLiteral("--device"), QStringLiteral("gpu")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--device: expected cpu, cuda or cuda:N, not 'gpu'"), bad.err.constData());
    }

    // A file named by --out or --explain-html is never written over without --overwrite (a mistyped
    // --out must not replace the dataset), never over a folder, and never into a folder that does not exist.
    void outputFilesAreNotReplacedWithoutOverwrite()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("reviews.csv"));
        QFile csv(data);
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("review,sentiment\n\"a fine film\",positive\n\"a dull film\",negative\n");
        csv.close();
        const auto contents = [&] {
            QFile f(data);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        const QByteArray before = contents();

        const Run config = runCli({QStringLiteral("init-config"), QStringLiteral("--out"), data});
        QCOMPARE(config.exitCode, 1);
        QVERIFY2(config.err.contains("reviews.csv: exists: give --overwrite to replace it"), config.err.constData());
        const Run version = runCli({QStringLiteral("dataset"), QStringLiteral("version"), data, QStringLiteral("--out"), data});
        QCOMPARE(version.exitCode, 1);
        QVERIFY2(version.err.contains("is this command's input"), version.err.constData());
        const Run report = runCli({QStringLiteral("predict"), QStringLiteral("--checkpoint"), dir.path(), QStringLiteral("--explain-html"),
                                   data, QStringLiteral("a text")});
        QCOMPARE(report.exitCode, 1);
        QVERIFY2(report.err.contains("exists: give --overwrite"), report.err.constData());
        QCOMPARE(contents(), before);

        const Run folder = runCli({QStringLiteral("init-config"), QStringLiteral("--out"), dir.path()});
        QCOMPARE(folder.exitCode, 1);
        QVERIFY2(folder.err.contains("is a folder: give a file name"), folder.err.constData());
        const QString nowhere = dir.filePath(QStringLiteral("no/such/folder/x.yaml"));
        const Run missing = runCli({QStringLiteral("init-config"), QStringLiteral("--out"), nowhere});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains("no such folder (create it first)"), missing.err.constData());
        QVERIFY(!QDir(dir.filePath(QStringLiteral("no"))).exists());

        // Not even --overwrite writes over the command's own input, a pipe, or through an empty name.
        const Run self = runCli({QStringLiteral("dataset"), QStringLiteral("version"), data, QStringLiteral("--out"), data,
                                 QStringLiteral("--overwrite")});
        QCOMPARE(self.exitCode, 1);
        QVERIFY2(self.err.contains("is this command's input"), self.err.constData());
        QCOMPARE(contents(), before);
        const QString fifo = dir.filePath(QStringLiteral("pipe"));
        QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        const Run pipe = runCli({QStringLiteral("init-config"), QStringLiteral("--out"), fifo, QStringLiteral("--overwrite")});
        QCOMPARE(pipe.exitCode, 1);
        QVERIFY2(pipe.err.contains("is not a regular file"), pipe.err.constData());
        QCOMPARE(runCli({QStringLiteral("init-config"), QStringLiteral("--out"), QString()}).exitCode, 2);
        const Run lonely = runCli({QStringLiteral("predict"), QStringLiteral("--checkpoint"), dir.path(), QStringLiteral("--overwrite"),
                                   QStringLiteral("a text")});
        QCOMPARE(lonely.exitCode, 2);
        QVERIFY2(lonely.err.contains("--overwrite replaces an --explain-html file"), lonely.err.constData());
        // A missing source is named before the output that exists.
        const Run noSource = runCli({QStringLiteral("dataset"), QStringLiteral("version"), dir.filePath(QStringLiteral("missing.csv")),
                                     QStringLiteral("--out"), data});
        QCOMPARE(noSource.exitCode, 1);
        QVERIFY2(noSource.err.contains("missing.csv: no such file or folder"), noSource.err.constData());
        const QString dangling = dir.filePath(QStringLiteral("dangling.yaml"));
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("nowhere.yaml")), dangling));
        QCOMPARE(runCli({QStringLiteral("init-config"), QStringLiteral("--out"), dangling}).exitCode, 1);

        const QString yaml = dir.filePath(QStringLiteral("experiment.yaml"));
        QCOMPARE(runCli({QStringLiteral("init-config"), QStringLiteral("--out"), yaml}).exitCode, 0);
        QCOMPARE(runCli({QStringLiteral("init-config"), QStringLiteral("--out"), yaml}).exitCode, 1);
        const Run replaced = runCli({QStringLiteral("init-config"), QStringLiteral("--out"), yaml, QStringLiteral("--overwrite")});
        QVERIFY2(replaced.exitCode == 0, replaced.err.constData());
    }

    // A folder where a file belongs, a file where a folder belongs, a length help did not offer: each
    // named as what it is.
    void wrongKindsOfPathsAreNamed()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("reviews.csv"));
        QFile csv(file);
        QVERIFY(csv.open(QIODevice::WriteOnly) && csv.write("review,sentiment\n") > 0);
        csv.close();
        const Run config = runCli({QStringLiteral("train"), QStringLiteral("--config"), dir.path()});
        QCOMPARE(config.exitCode, 1);
        QVERIFY2(config.err.contains("is a folder, not an experiment config"), config.err.constData());
        const Run checkpoint = runCli({QStringLiteral("predict"), QStringLiteral("--checkpoint"), file, QStringLiteral("a text")});
        QCOMPARE(checkpoint.exitCode, 1);
        QVERIFY2(checkpoint.err.contains("reviews.csv: is a file, not a checkpoint folder"), checkpoint.err.constData());
        const Run length = runCli({QStringLiteral("predict"), QStringLiteral("--checkpoint"), dir.path(), QStringLiteral("--sequence-length"),
                                   QStringLiteral("2"), QStringLiteral("a text")});
        QCOMPARE(length.exitCode, 2);
        QVERIFY2(length.err.contains("expected 0 or 3 to 512 (0: the checkpoint's), not '2'"), length.err.constData());
    }

    // serve writes a new token file only once its model is loaded: a failed start leaves none behind.
    void serveLeavesNoTokenFileWhenTheModelFails()
    {
        QTemporaryDir empty;
        const QString tokenFile = empty.filePath(QStringLiteral("api-token"));
        const Run noModel = runCli({QStringLiteral("serve"), QStringLiteral("--checkpoint"), empty.path(),
                                    QStringLiteral("--token-file"), tokenFile, QStringLiteral("--input-name"), QStringLiteral("review"),
                                    QStringLiteral("--target-name"), QStringLiteral("sentiment"), QStringLiteral("--port"),
                                    QStringLiteral("0")});
        QCOMPARE(noModel.exitCode, 1);
        QVERIFY2(!QFile::exists(tokenFile), noModel.err.constData());
    }

    // README's fika-cli block is `fika-cli --help` as it prints, so that the two cannot drift apart.
    void readmeShowsTheGeneratedHelp()
    {
        QFile readme(QStringLiteral(FIKA_SOURCE_DIR "/README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QByteArray text = readme.readAll();
        const QByteArray opening = "## fika-cli\n\n```\n";
        const qsizetype begin = text.indexOf(opening) + opening.size();
        QVERIFY2(begin >= opening.size(), "README.md: no '## fika-cli' heading followed by a ``` block");
        const QList<QByteArray> block = text.mid(begin, text.indexOf("```\n", begin) - begin).split('\n');
        const Run help = runCli({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        const QList<QByteArray> printed = help.out.split('\n');
        for (qsizetype i = 0; i < std::max(block.size(), printed.size()); ++i) {
            const QByteArray inReadme = block.value(i, "(end of block)"), inHelp = printed.value(i, "(end of help)");
            QVERIFY2(inReadme == inHelp, ("README.md's fika-cli block, line " + QByteArray::number(i + 1) + ":\n  " + inReadme +
                                          "\nfika-cli --help prints:\n  " + inHelp + "\n(paste fika-cli --help there)")
                                             .constData());
        }
    }

    void usageErrorsExitWith2()
    {
        QCOMPARE(runCli({QStringLiteral("frobnicate")}).exitCode, 2);
        const Run unknown = runCli({QStringLiteral("tokenize"), QStringLiteral("--jsonl"), QStringLiteral("--bogus")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("unknown option --bogus"));
    }

    // A mistyped command line never runs as something else: every row is a usage error (exit 2)
    // before anything is read or written. "DIR/" stands for a temporary folder.
    void strayArgumentsAreUsageErrors_data()
    {
        QTest::addColumn<QString>("commandLine");
        QTest::addColumn<QString>("message");
        auto row = [](const char* name, const char* commandLine, const char* message) {
            QTest::newRow(name) << QString::fromUtf8(commandLine) << QString::fromUtf8(message);
        };
        row("train --set a=1 b=2", "train --config DIR/x.yaml --set a=1 b=2",
            "unexpected argument 'b=2' after --set a=1: use --set once per key");
        row("train resume without --", "train --config DIR/x.yaml resume", "unexpected argument 'resume' (did you mean --resume?)");
        row("train --config twice", "train --config DIR/a.yaml --config DIR/b.yaml",
            "option --config given twice ('DIR/a.yaml' and 'DIR/b.yaml')");
        row("train --set without a value", "train --config DIR/x.yaml --set", "option --set needs a value");
        row("train --config followed by an option", "train --config --resume", "option --config needs a value");
        row("init-config stray preset", "init-config --out DIR/x.yaml recommended", "unexpected argument 'recommended'");
        row("init-config --out twice", "init-config --out DIR/x.yaml --out DIR/y.yaml", "option --out given twice");
        row("evaluate stray word", "evaluate --checkpoint DIR/c --csv DIR/r.csv extra", "unexpected argument 'extra'");
        row("evaluate --sequence-length abc", "evaluate --checkpoint DIR/c --csv DIR/r.csv --sequence-length abc",
            "--sequence-length: expected 0 or 3 to 512 (0: the checkpoint's), not 'abc'");
        row("serve stray word", "serve --checkpoint DIR/c --port 0 --token-file DIR/t extra", "unexpected argument 'extra'");
        row("serve --sequence-length abc", "serve --checkpoint DIR/c --port 0 --token-file DIR/t --sequence-length abc",
            "--sequence-length: expected 0 or 3 to 512 (0: the checkpoint's), not 'abc'");
        row("serve --port 70000", "serve --checkpoint DIR/c --port 70000 --token-file DIR/t",
            "--port: expected a whole number from 0 to 65535, not '70000'");
        row("export stray word", "export --checkpoint DIR/c --out DIR/o extra", "unexpected argument 'extra'");
        row("export --sequence-length abc", "export --checkpoint DIR/c --out DIR/o --sequence-length abc",
            "--sequence-length: expected a whole number");
        row("predict --batch-size abc", "predict --checkpoint DIR/c --batch-size abc text",
            "--batch-size: expected a whole number from 1 to");
        row("predict --batch-size 0", "predict --checkpoint DIR/c --batch-size 0 text",
            "--batch-size: expected a whole number from 1 to");
        row("predict --sequence-length 600", "predict --checkpoint DIR/c --sequence-length 600 text",
            "--sequence-length: expected 0 or 3 to 512 (0: the checkpoint's), not '600'");
        row("predict flag with a value", "predict --checkpoint DIR/c --json=yes text", "option --json takes no value");
        row("tokenize stray word", "tokenize --jsonl extra", "unexpected argument 'extra'");
        row("dataset inspect two files", "dataset inspect DIR/a.csv DIR/b.csv", "unexpected argument 'DIR/b.csv'");
        row("dataset version --training 80x", "dataset version DIR/a.csv --out DIR/v.yaml --training 80x",
            "--training: expected a number from 0 to 100, not '80x'");
        row("dataset version --seed -1", "dataset version DIR/a.csv --out DIR/v.yaml --seed -1",
            "--seed: expected a whole number");
        row("unknown command", "frobnicate", "unknown command 'frobnicate'");
        row("unknown dataset command", "dataset frobnicate", "unknown command 'dataset frobnicate'");
        row("bench without its command", "bench", "bench needs a command: model, parity, distributed, load, serve, tokenizer");
        row("train without --config", "train --resume", "train needs --config FILE");
        row("train --resume --overwrite", "train --config DIR/x.yaml --resume --overwrite",
            "train takes --resume or --overwrite, not both");
        row("predict --truncation middle", "predict --checkpoint DIR/c --truncation middle text",
            "--truncation: expected head, tail or head_tail, not 'middle'");
        row("init-config --preset big", "init-config --out DIR/x.yaml --preset big",
            "--preset: expected tutorial, recommended or from_scratch, not 'big'");
        row("bench model --batches 6,x", "bench model --batches 6,x", "--batches: expected whole numbers from 1 to 4096, not 'x'");
        row("export words after --", "export --checkpoint DIR/c --out DIR/o -- --x",
            "unexpected argument '--x' (this command takes only options)");
        row("dataset inspect two files after --", "dataset inspect -- DIR/a.csv DIR/b.csv", "unexpected argument 'DIR/b.csv'");
        row("tokenize short option", "tokenize --jsonl -x", "unknown option -x");
    }

    void strayArgumentsAreUsageErrors()
    {
        QFETCH(QString, commandLine);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString prefix = dir.path() + QLatin1Char('/');
        QStringList args = commandLine.split(QLatin1Char(' '));
        for (QString& arg : args)
            arg.replace(QStringLiteral("DIR/"), prefix);
        const Run run = runCli(args);
        QVERIFY2(run.exitCode == 2, run.err.constData());
        const QByteArray expected = QString(message).replace(QStringLiteral("DIR/"), prefix).toUtf8();
        QVERIFY2(run.err.contains(expected), (run.err + "\nexpected: " + expected).constData());
        QVERIFY2(QDir(dir.path()).isEmpty(), "a refused command line wrote a file");
    }

    void tokenizesJsonLines()
    {
        const Run run = runCli({QStringLiteral("tokenize"), QStringLiteral("--jsonl")},
                               "{\"text\": \"Hello, World!\"}\n{\"text\": \"\"}\n");
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray("{\"ids\":[101,7592,1010,2088,999,102]}\n{\"ids\":[101,102]}\n"));

        const Run bad = runCli({QStringLiteral("tokenize"), QStringLiteral("--jsonl")}, "{\"text\": 1}\n");
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains("stdin line 1"));
    }

    void inspectsACsv()
    {
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("small.csv"));
        fika::test::writeBytes(csv.toStdString(), "review,sentiment\n\"Great fun, really.\",positive\nDull.,negative\n"
                                                  ",negative\nOkay,positive\n");
        const Run run = runCli({QStringLiteral("dataset"), QStringLiteral("inspect"), csv, QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const auto json = nlohmann::json::parse(run.out.toStdString());
        QCOMPARE(json["rows"].get<int>(), 3);
        QCOMPARE(json["invalid_rows"].get<int>(), 1);
        QCOMPARE(json["classes"]["positive"].get<int>(), 2);
        QCOMPARE(json["tokens"]["max"].get<int>(), 7); // [CLS] great fun , really . [SEP]
        QCOMPARE(json["tokens"]["truncated_share"]["128"].get<double>(), 0.0);

        const Run text = runCli({QStringLiteral("dataset"), QStringLiteral("inspect"), csv});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("rows: 3 imported, 1 skipped"));
        QVERIFY(text.err.contains("line 4: empty text in column 'review'"));

        const Run missing = runCli({QStringLiteral("dataset"), QStringLiteral("inspect"), csv,
                                    QStringLiteral("--label-column"), QStringLiteral("label")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("no column named 'label'"));
    }

    void savesADatasetVersion()
    {
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("small.csv"));
        std::string rows = "review,sentiment\n";
        for (int i = 0; i < 50; ++i)
            rows += "text " + std::to_string(i) + "," + (i % 2 ? "positive" : "negative") + "\n";
        fika::test::writeBytes(csv.toStdString(), rows);
        const QString out = dir.filePath(QStringLiteral("v1.yaml"));
        const Run run = runCli({QStringLiteral("dataset"), QStringLiteral("version"), csv, QStringLiteral("--out"), out,
                                QStringLiteral("--test"), QStringLiteral("10"), QStringLiteral("--training"),
                                QStringLiteral("70")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("35 training, 10 validation, 5 test"));
        const std::string yaml = fika::test::readBytes(out.toStdString());
        QVERIFY(yaml.find("sha256: ") != std::string::npos);
        QVERIFY(yaml.find("training: 35") != std::string::npos);
    }

    // When OpenBLAS falls back to its generic kernels on a CPU with AVX2/AVX-512, fika-cli starts
    // again with OPENBLAS_CORETYPE set, says so once, and still matches the reference logits; a
    // core type the user set wins. (The test variable stands for what OpenBLAS detects on a CPU it
    // does not know; on this machine it recognises the CPU.)
    void genericBlasKernelsAreReplaced()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/golden.json");
        if (!__builtin_cpu_supports("avx2"))
            QSKIP("the CPU has no AVX2: OpenBLAS's generic kernels are the right ones");
        const QString chosen = __builtin_cpu_supports("avx512f") ? QStringLiteral("SkylakeX") : QStringLiteral("Haswell");
        const QStringList generic = {QStringLiteral("FIKA_TEST_DETECTED_BLAS_CORE=Prescott")};
        const QStringList unset = {QStringLiteral("OPENBLAS_CORETYPE"), QStringLiteral("FIKA_RESTARTED_WITH")};
        const Run version = runCliWith({QStringLiteral("--version")}, generic, unset);
        QCOMPARE(version.exitCode, 0);
        QVERIFY2(version.out.contains("OpenBLAS " + chosen.toUtf8() + " kernels"), version.out.constData());
        QCOMPARE(version.err.count("OPENBLAS_CORETYPE=" + chosen.toUtf8() + " is set"), 1);
        QVERIFY2(version.err.contains("generic 'Prescott' kernels"), version.err.constData());

        const auto golden = nlohmann::json::parse(fika::test::readBytes(fika::test::sharedPath("golden/tiny-bert/golden.json")));
        QByteArray stdinTexts;
        for (const auto& text : golden["texts"])
            stdinTexts += QByteArray::fromStdString(text.get<std::string>()) + "\n";
        QTemporaryDir dir;
        const QString exported = dir.filePath(QStringLiteral("tiny")); // with the vocabulary predict needs
        QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("--checkpoint"), QString::fromStdString(fika::test::sharedPath("golden/tiny-bert")),
                         QStringLiteral("--vocab"), QString::fromStdString(fika::test::bundledVocabPath()), QStringLiteral("--out"), exported})
                     .exitCode,
                 0);
        const Run run = runCliWith({QStringLiteral("predict"), QStringLiteral("--checkpoint"), exported, QStringLiteral("--json")},
                                   generic, unset, stdinTexts);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.err.contains("OPENBLAS_CORETYPE=" + chosen.toUtf8()));
        const auto out = nlohmann::json::parse(run.out.toStdString());
        QCOMPARE(out.size(), golden["texts"].size());
        for (size_t i = 0; i < out.size(); ++i)
            for (size_t c = 0; c < 2; ++c)
                QVERIFY(std::abs(out[i]["logits"][c].get<double>() - golden["logits"][i][c].get<double>()) < 1e-5);

        const Run userChoice = runCliWith({QStringLiteral("--version")}, generic + QStringList{QStringLiteral("OPENBLAS_CORETYPE=Haswell")});
        QVERIFY2(userChoice.out.contains("OpenBLAS Haswell kernels"), userChoice.out.constData());
        QVERIFY2(!userChoice.err.contains("OPENBLAS_CORETYPE"), userChoice.err.constData());
    }

    // Commands that compute with a model start with idle OpenMP helpers sleeping (spinning ones slow
    // everything down when other threads or programs want the cores), unless the user chose a policy;
    // quietly, unlike the kernel choice.
    void computeCommandsSetPassiveOpenMp()
    {
        const QStringList bench = {QStringLiteral("bench"), QStringLiteral("model"), QStringLiteral("--shape"), QStringLiteral("tiny"),
                                   QStringLiteral("--batches"), QStringLiteral("1"), QStringLiteral("--lengths"), QStringLiteral("8"),
                                   QStringLiteral("--modes"), QStringLiteral("inference"), QStringLiteral("--precisions"),
                                   QStringLiteral("fp32"), QStringLiteral("--steps"), QStringLiteral("1")};
        const QStringList unset = {QStringLiteral("OMP_WAIT_POLICY"), QStringLiteral("FIKA_RESTARTED_WITH")};
        const Run quiet = runCliWith(bench, {}, unset);
        QCOMPARE(quiet.exitCode, 0);
        QVERIFY2(quiet.out.contains("OpenMP wait policy: passive"), quiet.out.constData());
        QVERIFY2(!quiet.err.contains("OMP_WAIT_POLICY"), quiet.err.constData());
        const Run chosen = runCliWith(bench, {QStringLiteral("OMP_WAIT_POLICY=active")}, {QStringLiteral("FIKA_RESTARTED_WITH")});
        QVERIFY2(chosen.out.contains("OpenMP wait policy: active"), chosen.out.constData());
    }

    void predictsWithACheckpoint()
    {
        FIKA_REQUIRE_SHARED("golden/tiny-bert/golden.json");
        QTemporaryDir dir;
        const QString exported = dir.filePath(QStringLiteral("tiny"));
        const Run exportRun = runCli({QStringLiteral("export"), QStringLiteral("--checkpoint"),
                                      QString::fromStdString(fika::test::sharedPath("golden/tiny-bert")),
                                      QStringLiteral("--vocab"), QString::fromStdString(fika::test::bundledVocabPath()),
                                      QStringLiteral("--out"), exported});
        QCOMPARE(exportRun.exitCode, 0);

        const auto golden = nlohmann::json::parse(fika::test::readBytes(fika::test::sharedPath("golden/tiny-bert/golden.json")));
        QByteArray stdinTexts;
        for (const auto& text : golden["texts"])
            stdinTexts += QByteArray::fromStdString(text.get<std::string>()) + "\n";
        const Run run = runCli({QStringLiteral("predict"), QStringLiteral("--checkpoint"), exported, QStringLiteral("--json")},
                               stdinTexts);
        QCOMPARE(run.exitCode, 0);
        const auto out = nlohmann::json::parse(run.out.toStdString());
        QCOMPARE(out.size(), golden["texts"].size());
        for (size_t i = 0; i < out.size(); ++i) {
            for (size_t c = 0; c < 2; ++c)
                QVERIFY(std::abs(out[i]["logits"][c].get<double>() - golden["logits"][i][c].get<double>()) < 1e-5);
            const double sum = out[i]["probabilities"]["negative"].get<double>() + out[i]["probabilities"]["positive"].get<double>();
            QVERIFY(std::abs(sum - 1.0) < 1e-6);
        }
        const Run plain = runCli({QStringLiteral("predict"), QStringLiteral("--checkpoint"), exported,
                                  QStringLiteral("Worst film ever.")});
        QCOMPARE(plain.exitCode, 0);
        QVERIFY(plain.out.startsWith("positive\t0.50"));
        // After "--" every word is a text, also after texts given before it and when it starts with --.
        const Run dashes = runCli({QStringLiteral("predict"), QStringLiteral("--checkpoint"), exported, QStringLiteral("Fine."),
                                   QStringLiteral("--"), QStringLiteral("--json"), QStringLiteral("Dull.")});
        QVERIFY2(dashes.exitCode == 0, dashes.err.constData());
        QCOMPARE(dashes.out.count('\n'), 3);
    }

    void checkpointErrorsAreClear()
    {
        QTemporaryDir dir;
        const Run missing = runCli({QStringLiteral("predict"), QStringLiteral("--checkpoint"), dir.path(), QStringLiteral("x")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("config.json: no such file"));
        fika::test::writeBytes(dir.filePath(QStringLiteral("config.json")).toStdString(), "{\"model_type\": \"gpt2\"}");
        const Run wrongType = runCli({QStringLiteral("predict"), QStringLiteral("--checkpoint"), dir.path(), QStringLiteral("x")});
        QCOMPARE(wrongType.exitCode, 1);
        QVERIFY(wrongType.err.contains("is not a BERT model"));
    }

    void trainsAndEvaluates()
    {
        QTemporaryDir dir;
        const Run trained = trainOnSyntheticReviews(dir, 240,
                                                    {"model.layers=2", "model.hidden_size=32", "model.heads=4",
                                                     "model.intermediate_size=64", "encoding.sequence_length=24",
                                                     "training.batch_size=16", "training.epochs=6",
                                                     "training.learning_rate=0.002"});
        const QString csv = dir.filePath(QStringLiteral("reviews.csv")); // what it trained on, and how
        const QString config = dir.filePath(QStringLiteral("experiment.yaml"));
        QVERIFY2(trained.exitCode == 0, trained.err.constData());
        QVERIFY(trained.err.contains("epoch 6/6"));
        const std::string metricsLog = fika::test::readBytes(dir.filePath(QStringLiteral("run/metrics.jsonl")).toStdString());
        QVERIFY(metricsLog.find("\"type\":\"epoch\"") != std::string::npos);

        const Run evaluated = runCli({QStringLiteral("evaluate"), QStringLiteral("--checkpoint"),
                                      dir.filePath(QStringLiteral("run/checkpoints/best")), QStringLiteral("--csv"), csv,
                                      QStringLiteral("--json")});
        QCOMPARE(evaluated.exitCode, 0);
        const auto json = nlohmann::json::parse(evaluated.out.toStdString());
        QVERIFY(json["accuracy"].get<double>() > 0.9);
        for (const char* key : {"loss", "macro_f1", "per_class", "confusion_matrix", "roc_auc"})
            QVERIFY2(json.contains(key), key);
        QCOMPARE(json["per_class"]["positive"]["support"].get<int>(), 120);

        const QString other = dir.filePath(QStringLiteral("other.csv"));
        fika::test::writeBytes(other.toStdString(), "review,sentiment\ngood,positive\nso-so,neutral\n");
        const Run unknownLabel = runCli({QStringLiteral("evaluate"), QStringLiteral("--checkpoint"),
                                         dir.filePath(QStringLiteral("run/checkpoints/best")), QStringLiteral("--csv"), other});
        QCOMPARE(unknownLabel.exitCode, 1);
        QVERIFY(unknownLabel.err.contains("line 3: label 'neutral' is not one the model knows (negative, positive)"));

        const Run badKey = runCli({QStringLiteral("train"), QStringLiteral("--config"), config, QStringLiteral("--set"),
                                   QStringLiteral("training.batch=8")});
        QCOMPARE(badKey.exitCode, 1);
        QVERIFY(badKey.err.contains("training.batch: unknown key"));
        const Run twice = runCli({QStringLiteral("train"), QStringLiteral("--config"), config, QStringLiteral("--set"),
                                  QStringLiteral("training.epochs=1"), QStringLiteral("--set"), QStringLiteral("training.epochs=2")});
        QCOMPARE(twice.exitCode, 2);
        QVERIFY2(twice.err.contains("--set training.epochs is given twice"), twice.err.constData());
    }

    void inspectsTheImdbSample()
    {
        FIKA_REQUIRE_SHARED("data/imdb/aclImdb-sample/train");
        const Run run = runCli({QStringLiteral("dataset"), QStringLiteral("inspect"),
                                QString::fromStdString(fika::test::sharedPath("data/imdb/aclImdb-sample")),
                                QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const auto json = nlohmann::json::parse(run.out.toStdString());
        QVERIFY(json["classes"].contains("pos"));
        QVERIFY(json["classes"].contains("neg"));
        QVERIFY(json["rows"].get<int>() > 0);

        // A version of the test split records the test/ folder itself: training, which reads a folder's
        // train/ by default, then reads the reviews the version describes and hashed.
        QTemporaryDir dir;
        const QString version = dir.filePath(QStringLiteral("test.yaml"));
        const Run test = runCli({QStringLiteral("dataset"), QStringLiteral("version"),
                                 QString::fromStdString(fika::test::sharedPath("data/imdb/aclImdb-sample")), QStringLiteral("--split"),
                                 QStringLiteral("test"), QStringLiteral("--sequence-length"), QStringLiteral("64"), QStringLiteral("--out"), version});
        QVERIFY2(test.exitCode == 0, test.err.constData());
        QFile saved(version);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QByteArray yaml = saved.readAll();
        QVERIFY2(yaml.contains("aclImdb-sample/test\n"), yaml.constData());
        QVERIFY2(yaml.contains("name: aclImdb-sample-test"), yaml.constData());
        // A trailing slash names it the same; a split that is not there is a usage error.
        const QString slashed = dir.filePath(QStringLiteral("slashed.yaml"));
        const Run slash = runCli({QStringLiteral("dataset"), QStringLiteral("version"),
                                  QString::fromStdString(fika::test::sharedPath("data/imdb/aclImdb-sample/")), QStringLiteral("--split"),
                                  QStringLiteral("test"), QStringLiteral("--sequence-length"), QStringLiteral("64"), QStringLiteral("--out"), slashed});
        QVERIFY2(slash.exitCode == 0, slash.err.constData());
        QFile slashedFile(slashed);
        QVERIFY(slashedFile.open(QIODevice::ReadOnly) && slashedFile.readAll().contains("name: aclImdb-sample-test"));
        const Run bogus = runCli({QStringLiteral("dataset"), QStringLiteral("version"),
                                  QString::fromStdString(fika::test::sharedPath("data/imdb/aclImdb-sample")), QStringLiteral("--split"),
                                  QStringLiteral("bogus"), QStringLiteral("--out"), dir.filePath(QStringLiteral("b.yaml"))});
        QCOMPARE(bogus.exitCode, 2);
        QVERIFY2(bogus.err.contains("has no bogus/ folder"), bogus.err.constData());
        // init-config takes the test/ folder as data.folder, which train reads.
        const QString config = dir.filePath(QStringLiteral("t.yaml"));
        QCOMPARE(runCli({QStringLiteral("init-config"), QStringLiteral("--csv"),
                         QString::fromStdString(fika::test::sharedPath("data/imdb/aclImdb-sample/test")), QStringLiteral("--out"), config})
                     .exitCode,
                 0);
        QFile configFile(config);
        QVERIFY(configFile.open(QIODevice::ReadOnly) && configFile.readAll().contains("folder: " +
                                                                                       QByteArray::fromStdString(fika::test::sharedPath("data/imdb/aclImdb-sample/test"))));
    }

    // evaluate gives figures for the rows it read: rows it skipped (a missing label, too many fields) are
    // counted in a warning and in --json's skipped_rows (46 of 200 rows went without a word).
    void evaluateSaysWhichRowsItSkipped()
    {
        QTemporaryDir dir;
        const Run trained = trainOnSyntheticReviews(dir, 64,
                                                    {"model.layers=1", "model.hidden_size=16", "model.heads=2",
                                                     "model.intermediate_size=16", "encoding.sequence_length=16",
                                                     "training.epochs=1"});
        QVERIFY2(trained.exitCode == 0, trained.err.constData());

        const QString test = dir.filePath(QStringLiteral("test.csv"));
        fika::test::writeBytes(test.toStdString(), "review,sentiment\ngood,positive\nbad,negative\nfine,positive,extra\nno label,\n");
        const QStringList evaluate = {QStringLiteral("evaluate"), QStringLiteral("--checkpoint"),
                                      dir.filePath(QStringLiteral("run/checkpoints/last")), QStringLiteral("--csv"), test};
        const Run plain = runCli(evaluate);
        QVERIFY2(plain.exitCode == 0, plain.err.constData());
        QVERIFY(plain.out.contains("examples 2\n"));
        QVERIFY2(plain.err.contains("test.csv: 2 rows with problems skipped, so the figures count 2 of 4 rows"), plain.err.constData());
        const Run json = runCli(evaluate + QStringList{QStringLiteral("--json")});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        QCOMPARE(nlohmann::json::parse(json.out.toStdString())["skipped_rows"].get<int>(), 2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
