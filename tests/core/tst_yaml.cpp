// SPDX-License-Identifier: GPL-3.0-or-later
// Every YAML file Fika reads (experiment configs, dataset versions, project.yaml) goes through one
// checked loader: a key given twice, nesting no Fika file has and alias bombs are errors with lines.
#include "test_support.h"

#include "data/dataset_version.h"
#include "project/project.h"
#include "train/experiment_config.h"

#include <QTemporaryDir>

using namespace fika::core;

namespace {

// A valid experiment config; the line numbers below count from it.
const std::string kExperiment = "schema_version: 1\n" // 1
                                "data:\n"             // 2
                                "  csv: reviews.csv\n"
                                "model:\n" // 4
                                "  weights: bert\n"
                                "training:\n" // 6
                                "  epochs: 2\n"
                                "  batch_size: 8\n"; // 8

// `levels` mappings, one inside the other, as block YAML under the key "data".
std::string nestedMaps(int levels)
{
    std::string text = "schema_version: 1\ndata:\n";
    for (int i = 0; i < levels; ++i)
        text += std::string(static_cast<size_t>(2 * (i + 1)), ' ') + "k" + std::to_string(i) + ":\n";
    return text + std::string(static_cast<size_t>(2 * (levels + 1)), ' ') + "v: 1\n";
}

// Nine levels of ten aliases each: 10⁹ values once expanded, a few hundred bytes as text.
std::string aliasBomb()
{
    std::string text = "schema_version: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 9; ++i) {
        const std::string previous = "*a" + std::to_string(i - 1);
        text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
        for (int j = 0; j < 10; ++j)
            text += (j ? ", " : "") + previous;
        text += "]\n";
    }
    return text;
}

} // namespace

class TestYaml : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void experimentConfigsAreCheckedWhenRead_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("message");
        auto row = [](const char* name, const std::string& yaml, const char* message) {
            QTest::newRow(name) << QString::fromStdString(yaml) << QString::fromUtf8(message);
        };
        row("duplicate top-level key", kExperiment + "data:\n  csv: other.csv\n",
            "c.yaml: line 9: data: duplicate key (first on line 2)");
        row("duplicate nested key", kExperiment + "  epochs: 30\n",
            "c.yaml: line 9: training.epochs: duplicate key (first on line 7)");
        row("duplicate key, once quoted", kExperiment + "  \"batch_size\": 16\n",
            "c.yaml: line 9: training.batch_size: duplicate key (first on line 8)");
        row("duplicate key in a flow mapping", "schema_version: 1\ntraining: {epochs: 2, epochs: 3}\n",
            "c.yaml: line 2: training.epochs: duplicate key (first on line 2)");
        row("nested 100 levels", nestedMaps(100), "c.yaml: line 67: data: nested more than 64 levels");
        // yaml-cpp itself gives up here and says only "bad file"
        row("nested 3000 levels", nestedMaps(3000), "c.yaml: line 500: nested more than 64 levels");
        row("nested 3000 flow sequences", "schema_version: 1\ndata: " + std::string(3000, '[') + "\n",
            "nested more than 64 levels");
        row("cyclic alias", "schema_version: 1\ndata: &x [*x]\n", "c.yaml: line 2: data: nested more than 64 levels");
        row("alias bomb", aliasBomb(), "more than 1000000 values once aliases are expanded");
    }

    void experimentConfigsAreCheckedWhenRead()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, message);
        QVERIFY(experimentConfigFromYaml(kExperiment, "c.yaml").ok()); // the base the rows change is valid
        auto config = experimentConfigFromYaml(yaml.toStdString(), "c.yaml");
        QVERIFY(!config.ok());
        QCOMPARE(config.error().code, ErrorCode::Yaml);
        QVERIFY2(config.error().message.find(message.toStdString()) != std::string::npos, config.error().message.c_str());
    }

    // Every key is read, written and overridable from one table: the YAML text stays as it was, every
    // key written reads back to the same config, and --set reaches every key, also one whose section
    // the file leaves out.
    void configKeysComeFromOneTable()
    {
        ExperimentConfig config = presetConfig(ConfigPreset::Recommended);
        config.data.csv = "reviews.csv";
        config.model.weights = "bert-base-uncased";
        config.output.dir = "runs/recommended";
        const std::string written = experimentConfigToYaml(config);
        QCOMPARE(written, std::string(
    "schema_version: 1\n"
    "data:\n"
    "  csv: reviews.csv\n"
    "  folder: \"\"\n"
    "  text_column: review\n"
    "  label_column: sentiment\n"
    "  subsets:\n"
    "    training: 80\n"
    "    validation: 20\n"
    "    test: 0\n"
    "    seed: 42\n"
    "    stratified: true\n"
    "encoding:\n"
    "  sequence_length: 512\n"
    "  truncation: head_tail\n"
    "  vocab: \"\"\n"
    "  lowercase: true\n"
    "model:\n"
    "  init: pretrained\n"
    "  weights: bert-base-uncased\n"
    "  layers: 12\n"
    "  hidden_size: 768\n"
    "  heads: 12\n"
    "  intermediate_size: 3072\n"
    "  trainable: true\n"
    "  dropout: 0.1\n"
    "training:\n"
    "  batch_size: 6\n"
    "  epochs: 2\n"
    "  learning_rate: 2e-05\n"
    "  schedule: linear\n"
    "  warmup_ratio: 0.1\n"
    "  weight_decay: 0.01\n"
    "  decay_bias_and_norm: false\n"
    "  max_grad_norm: 1\n"
    "  gradient_accumulation: 1\n"
    "  seed: 42\n"
    "  threads: 0\n"
    "  precision: fp32\n"
    "  device: cpu\n"
    "  dynamic_padding: true\n"
    "  length_buckets: true\n"
    "  class_weights: false\n"
    "  early_stopping_patience: 0\n"
    "  early_stopping_min_delta: 0\n"
    "  best_metric: validation_loss\n"
    "  log_every_steps: 10\n"
    "  keep_epoch_checkpoints: 0\n"
    "output:\n"
    "  dir: runs/recommended\n"));
        auto read = experimentConfigFromYaml(written, "c.yaml");
        QVERIFY2(read.ok(), read.error().message.c_str());
        QCOMPARE(experimentConfigToYaml(read.value()), written);

        // One override per key, each to a value other than the default, then written back.
        const std::vector<std::string> overrides = {
            "data.text_column=text", "data.label_column=label", "model.init=random", "data.subsets.training=70", "data.subsets.validation=20",
            "data.subsets.test=10", "data.subsets.seed=7", "data.subsets.stratified=false", "encoding.sequence_length=128",
            "encoding.truncation=tail", "encoding.vocab=v.txt", "encoding.lowercase=false", "model.layers=2",
            "model.hidden_size=64", "model.heads=2", "model.intermediate_size=128", "model.trainable=false",
            "training.batch_size=3", "training.epochs=5", "training.learning_rate=0.0009765625", "training.schedule=constant",
            "training.warmup_ratio=0.25", "training.weight_decay=0.125", "training.decay_bias_and_norm=true",
            "training.max_grad_norm=0.5", "training.gradient_accumulation=2", "training.seed=9", "training.threads=1",
            "training.precision=bf16", "training.device=cpu", "training.dynamic_padding=false",
            "training.length_buckets=false", "training.class_weights=true", "training.early_stopping_patience=2",
            "training.early_stopping_min_delta=0.5", "training.best_metric=macro_f1", "training.log_every_steps=3",
            "training.keep_epoch_checkpoints=1", "output.dir=elsewhere"};
        auto changed = experimentConfigFromYaml(written, "c.yaml", overrides);
        QVERIFY2(changed.ok(), changed.error().message.c_str());
        const std::string rewritten = experimentConfigToYaml(changed.value());
        for (const auto& assignment : overrides) {
            const auto dot = assignment.rfind('.', assignment.find('='));
            const std::string line = assignment.substr(dot + 1, assignment.find('=') - dot - 1) + ": " +
                                     assignment.substr(assignment.find('=') + 1) + "\n";
            QVERIFY2(rewritten.find(line) != std::string::npos, (assignment + " was not written back").c_str());
        }

        // A section the file leaves out is made by the override; a key no table row names is refused.
        auto added = experimentConfigFromYaml(kExperiment, "c.yaml", {"encoding.sequence_length=128", "output.dir=x"});
        QVERIFY2(added.ok(), added.error().message.c_str());
        QCOMPARE(added->encoding.sequenceLength, 128);
        QCOMPARE(added->output.dir, std::string("x"));
        auto unknown = experimentConfigFromYaml(kExperiment, "c.yaml", {"encoding.length=128"});
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().message, std::string("--set encoding.length=128: encoding.length: unknown key"));
        auto unknownInFile = experimentConfigFromYaml(kExperiment + "  batch: 3\n", "c.yaml");
        QVERIFY(!unknownInFile.ok());
        QCOMPARE(unknownInFile.error().message, std::string("c.yaml: training.batch: unknown key"));
    }

    // The settings with a few names are enums in the config; the file keeps the names, and an unknown
    // one is refused naming the key, the value and the names it may have (and the --set that gave it).
    void namedSettingsAreEnums_data()
    {
        QTest::addColumn<QString>("assignment");
        QTest::addColumn<QString>("message");
        auto row = [](const char* assignment, const char* message) { QTest::newRow(assignment) << assignment << message; };
        row("model.init=copied", "--set model.init=copied: model.init: must be pretrained or random, not 'copied'");
        row("training.schedule=cosine", "--set training.schedule=cosine: training.schedule: must be constant or linear, not 'cosine'");
        row("training.precision=fp8", "--set training.precision=fp8: training.precision: must be fp32 or bf16, not 'fp8'");
        row("training.device=tpu", "--set training.device=tpu: training.device: must be cpu or cuda, not 'tpu'");
        row("training.best_metric=f1", "--set training.best_metric=f1: training.best_metric: must be validation_loss, accuracy or macro_f1, not 'f1'");
        row("training.precision=[fp32]", "--set training.precision=[fp32]: training.precision: is a list, expected text");
    }

    void namedSettingsAreEnums()
    {
        QFETCH(QString, assignment);
        QFETCH(QString, message);
        auto refused = experimentConfigFromYaml(kExperiment, "c.yaml", {assignment.toStdString()});
        QVERIFY(!refused.ok());
        QCOMPARE(QString::fromStdString(refused.error().message), message);

        auto config = experimentConfigFromYaml(kExperiment, "c.yaml",
                                               {"model.init=random", "training.schedule=linear", "training.precision=bf16",
                                                "training.best_metric=accuracy"});
        QVERIFY2(config.ok(), config.error().message.c_str());
        QCOMPARE(config->model.init, ModelInit::Random);
        QCOMPARE(config->training.schedule, LrSchedule::Linear);
        QCOMPARE(config->training.precision, Precision::Bf16);
        QCOMPARE(config->training.device, TrainingDevice::Cpu);
        QCOMPARE(config->training.bestMetric, BestMetric::Accuracy);
        const std::string yaml = experimentConfigToYaml(config.value());
        for (const char* line : {"  init: random\n", "  schedule: linear\n", "  precision: bf16\n", "  device: cpu\n",
                                 "  best_metric: accuracy\n"})
            QVERIFY2(yaml.find(line) != std::string::npos, line);
    }

    void overridesAreCheckedToo()
    {
        auto config = experimentConfigFromYaml(kExperiment, "c.yaml", {"training={epochs: 2, epochs: 3}"});
        QVERIFY(!config.ok());
        QCOMPARE(config.error().message, std::string("--set training={epochs: 2, epochs: 3}: training.epochs: duplicate key (first on line 1)"));
    }

    void datasetVersionsAndProjectsAreChecked()
    {
        DatasetVersion version;
        version.name = "v";
        version.source.path = "reviews.csv";
        const std::string yaml = datasetVersionToYaml(version);
        QVERIFY2(datasetVersionFromYaml(yaml, "v.yaml").ok(), datasetVersionFromYaml(yaml, "v.yaml").error().message.c_str());
        auto duplicate = datasetVersionFromYaml(yaml + "name: other\n", "v.yaml");
        QVERIFY(!duplicate.ok());
        QVERIFY2(duplicate.error().message.find("name: duplicate key (first on line ") != std::string::npos,
                 duplicate.error().message.c_str());
        QVERIFY(duplicate.error().line > 1);

        QTemporaryDir dir;
        fika::test::writeBytes(dir.filePath(QStringLiteral("project.yaml")).toStdString(),
                               "schema_version: 1\nname: mine\nname: theirs\n");
        auto project = openProject(dir.path().toStdString());
        QVERIFY(!project.ok());
        QVERIFY2(project.error().message.find("project.yaml: line 3: name: duplicate key (first on line 2)") !=
                     std::string::npos,
                 project.error().message.c_str());
        QCOMPARE(project.error().line, int64_t(3));
    }

    // --set training.threads=100000 once started 15,695 threads. A config stays portable (a count above
    // this machine's cores loads; training then uses the cores, tst_trainer checks that), an absurd one is refused.
    // A name typed in any script makes a file name that keeps it ("Größe.yaml", not "Gr----e.yaml").
    void fileNamesKeepLettersOfAnyScript()
    {
        QCOMPARE(safeFileName("Größe"), std::string("Größe"));
        QCOMPARE(safeFileName("рецензии 2024"), std::string("рецензии-2024"));
        QCOMPARE(safeFileName("a/b\\c:d..e"), std::string("a-b-c-d--e"));
        QCOMPARE(safeFileName(""), std::string("unnamed"));
    }

    void threadsAreBounded()
    {
        const int cores = maxTrainingThreads();
        QVERIFY(cores >= 1);
        for (const int threads : {0, 1, cores, cores + 1, 1024})
            QVERIFY(experimentConfigFromYaml(kExperiment, "c.yaml", {"training.threads=" + std::to_string(threads)}).ok());
        for (const int threads : {1025, 100000, -1}) {
            auto config = experimentConfigFromYaml(kExperiment, "c.yaml", {"training.threads=" + std::to_string(threads)});
            QVERIFY(!config.ok());
            QCOMPARE(config.error().message, "--set training.threads=" + std::to_string(threads) +
                                                 ": training.threads: must be from 0 (all cores) to 1024; this machine has " +
                                                 std::to_string(cores) + " cores");
        }
    }
};

QTEST_GUILESS_MAIN(TestYaml)
#include "tst_yaml.moc"
