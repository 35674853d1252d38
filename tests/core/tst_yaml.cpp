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

    void overridesAreCheckedToo()
    {
        auto config = experimentConfigFromYaml(kExperiment, "c.yaml", {"training={epochs: 2, epochs: 3}"});
        QVERIFY(!config.ok());
        QCOMPARE(config.error().message, std::string("c.yaml: training.epochs: duplicate key (first on line 1)"));
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
    void threadsAreBounded()
    {
        const int cores = maxTrainingThreads();
        QVERIFY(cores >= 1);
        for (const int threads : {0, 1, cores, cores + 1, 1024})
            QVERIFY(experimentConfigFromYaml(kExperiment, "c.yaml", {"training.threads=" + std::to_string(threads)}).ok());
        for (const int threads : {1025, 100000, -1}) {
            auto config = experimentConfigFromYaml(kExperiment, "c.yaml", {"training.threads=" + std::to_string(threads)});
            QVERIFY(!config.ok());
            QCOMPARE(config.error().message, "c.yaml: training.threads: must be from 0 (all cores) to 1024; this machine has " +
                                                 std::to_string(cores) + " cores");
        }
    }
};

QTEST_GUILESS_MAIN(TestYaml)
#include "tst_yaml.moc"
