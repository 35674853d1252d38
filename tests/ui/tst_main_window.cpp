// SPDX-License-Identifier: GPL-3.0-or-later
#include "test_support.h"

#include "deployment/predictor_loading.h"
#include "deployment/tester_widget.h"
#include "library/data_library_dialog.h"
#include "main_window.h"
#include "pool_work.h"
#include "studio.h"

#include "train/experiment_config.h"

#include <c10/util/Exception.h>

#include <QFutureWatcher>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtConcurrent/QtConcurrentRun>

#include <QTest>

#include <stdexcept>

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensWithItsSections()
    {
        fika::ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.windowTitle(), QStringLiteral("Fika"));
        QCOMPARE(window.sectionNames(),
                 (QStringList{QStringLiteral("Project"), QStringLiteral("Datasets"), QStringLiteral("Modeling"),
                              QStringLiteral("Evaluation"), QStringLiteral("Deployment")}));
        QCOMPARE(window.currentSection(), 0);
        window.showSection(3);
        QCOMPARE(window.currentSection(), 3);
    }

    void dataLibraryListsTheCatalog()
    {
        fika::ui::DataLibraryDialog dialog;
        auto* items = dialog.findChild<QListWidget*>();
        QVERIFY(items);
        QCOMPARE(items->count(), 7); // IMDB and six BERTs
        QVERIFY(items->item(0)->text().contains(QStringLiteral("IMDB")));
        QVERIFY(items->item(0)->toolTip().startsWith(QStringLiteral("https://ai.stanford.edu/")));
    }

    // Whatever pool work throws reaches the slot as an error value: QFutureWatcher::result() would
    // rethrow it inside the slot, where it ends the app.
    void poolWorkThatThrowsBecomesAnError()
    {
        for (const bool standard : {true, false}) {
            QFutureWatcher<std::shared_ptr<fika::core::Result<int>>> watcher;
            QString shown;
            connect(&watcher, &QFutureWatcher<void>::finished, this, [&] {
                const auto result = watcher.result();
                shown = result->ok() ? QStringLiteral("ok") : QString::fromStdString(result->error().message);
            });
            QSignalSpy finished(&watcher, &QFutureWatcher<void>::finished);
            watcher.setFuture(QtConcurrent::run([standard] {
                return fika::ui::resultOrError<int>("Counting", [standard]() -> fika::core::Result<int> {
                    if (standard)
                        throw std::runtime_error("disk on fire");
                    throw 42;
                });
            }));
            QVERIFY(finished.wait(10000));
            QCOMPARE(shown, standard ? QStringLiteral("Counting: disk on fire") : QStringLiteral("Counting: unexpected error"));
        }
    }

    // Loading a checkpoint throws on the pool thread (LibTorch's c10::Error, as a tensor it cannot
    // allocate does): the tester shows the error and the app stays up.
    void testerShowsWhatLoadingThrew()
    {
        QStandardPaths::setTestModeEnabled(true);
        QTemporaryDir dir;
        fika::ui::Studio studio;
        QString error;
        QVERIFY2(studio.newProject(dir.filePath(QStringLiteral("project")), QStringLiteral("p"), &error), qPrintable(error));
        fika::core::ExperimentConfig config;
        config.data.csv = dir.filePath(QStringLiteral("reviews.csv")).toStdString();
        config.model.init = fika::core::ModelInit::Random;
        config.output.dir = dir.filePath(QStringLiteral("run")).toStdString();
        QVERIFY2(studio.createExperiment(config, &error), qPrintable(error));
        fika::test::writeBytes(config.output.dir + "/checkpoints/best/model.safetensors", "weights");
        fika::ui::setPredictorLoaderForTesting([](const std::string&, const fika::core::PredictorOptions&)
                                                   -> fika::core::Result<std::shared_ptr<fika::core::Predictor>> {
            TORCH_CHECK(false, "DefaultCPUAllocator: not enough memory");
        });
        struct Restore {
            ~Restore() { fika::ui::setPredictorLoaderForTesting({}); }
        } restore;

        fika::ui::TesterWidget tester(&studio);
        QSignalSpy loaded(&tester, &fika::ui::TesterWidget::predictorLoaded);
        QVERIFY(loaded.wait(30000));
        QCOMPARE(loaded.first().first().toBool(), false);
        qInfo("shown: %s", qPrintable(tester.resultText()));
        QVERIFY2(tester.resultText().contains(QStringLiteral("c0392b")), qPrintable(tester.resultText()));
        QVERIFY2(tester.resultText().contains(QStringLiteral("checkpoints/best: DefaultCPUAllocator: not enough memory")),
                 qPrintable(tester.resultText()));
        QVERIFY2(!tester.resultText().contains(QStringLiteral("Exception raised from")), // no backtrace for users
                 qPrintable(tester.resultText()));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
