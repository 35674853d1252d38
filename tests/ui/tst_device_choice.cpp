// SPDX-License-Identifier: GPL-3.0-or-later
// The Modeling view's Device choice (training.device): on this CPU-only LibTorch only the CPU,
// disabled, with the reason; an experiment set to cuda keeps its file and says why it cannot run
// here; with a GPU offered (a fake list through ModelingView::setComputeDevices) choosing it writes
// cuda, and the estimate names the GPU and weighs the peak memory against the GPU's own. The GPU
// epoch estimate itself: IMDB on BERT-base in bf16 takes about half a minute, not the CPU's hours.
// FIKA_DEVICE_SHOTS=<folder> saves the window at 1366x768 in each state.
#include "ui_test_support.h"

#include "runtime/runtime.h"
#include "train/estimates.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTest>

#include <memory>

using namespace fika::ui;
using fika::core::ComputeDevice;

namespace {

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

} // namespace

class TestDeviceChoice : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_window = fika::test::tinyExperimentWindow(m_dir, QStringLiteral("device"), 60, 1);
        QVERIFY(m_window);
        m_window->showSection(MainWindow::ModelingSection);
        m_modeling = m_window->modelingView();
    }

    void cleanupTestCase() { m_window.reset(); }

    // This LibTorch has no CUDA: the box holds only the CPU, is disabled and says why; the config says cpu.
    void onlyCpuHere()
    {
        if (fika::core::computeDevices().size() > 1)
            QSKIP("this computer has a GPU: the CPU-only state is covered where there is none");
        auto* box = m_modeling->deviceBox();
        QCOMPARE(box, m_modeling->findChild<QComboBox*>(QStringLiteral("trainingDevice")));
        QCOMPARE(box->count(), 1);
        QCOMPARE(box->currentText(), QStringLiteral("CPU"));
        QCOMPARE(box->currentData().toString(), QStringLiteral("cpu"));
        QVERIFY(!box->isEnabled());
        const QString why = fika::core::torchHasCuda() ? QStringLiteral("No GPU found")
                                                       : QStringLiteral("LibTorch was built without CUDA");
        QVERIFY2(box->toolTip().contains(why), qPrintable(box->toolTip()));
        auto* note = m_modeling->findChild<QLabel*>(QStringLiteral("deviceNote"));
        QVERIFY(note && note->isVisible());
        QVERIFY2(m_modeling->deviceNote().contains(why), qPrintable(m_modeling->deviceNote()));
        QVERIFY(m_modeling->deviceProblem().isEmpty());
        QVERIFY2(readFile(configFile()).contains("device: cpu"), readFile(configFile()).constData());
        QVERIFY2(m_modeling->warningsText().contains(QStringLiteral("on the CPU")), qPrintable(m_modeling->warningsText()));
        shot(QStringLiteral("device-cpu-only"));
    }

    // An experiment set to cuda opened here: shown as unavailable with the reason, its file untouched
    // (and still cuda after another setting is edited) until the user picks the CPU.
    void cudaExperimentWithoutGpu()
    {
        if (fika::core::computeDevices().size() > 1)
            QSKIP("this computer has a GPU");
        const QString file = configFile();
        QByteArray yaml = readFile(file);
        QVERIFY(yaml.contains("device: cpu"));
        yaml.replace("device: cpu", "device: cuda");
        QVERIFY(writeFile(file, yaml));
        QString error;
        QVERIFY2(m_window->studio()->selectExperiment(experimentDir(), &error), qPrintable(error));
        QCOMPARE(readFile(file), yaml); // showing it wrote nothing

        auto* box = m_modeling->deviceBox();
        QVERIFY(box->isEnabled()); // the way out: CPU
        QCOMPARE(box->currentData().toString(), QStringLiteral("cuda"));
        QVERIFY2(box->currentText().contains(QStringLiteral("not available")), qPrintable(box->currentText()));
        auto* problem = m_modeling->findChild<QLabel*>(QStringLiteral("deviceProblem"));
        QVERIFY(problem && problem->isVisible());
        QVERIFY2(m_modeling->deviceProblem().contains(QStringLiteral("training.device: cuda")), qPrintable(m_modeling->deviceProblem()));
        QVERIFY2(m_modeling->deviceProblem().contains(fika::core::torchHasCuda() ? QStringLiteral("no GPU is found")
                                                                                 : QStringLiteral("built without CUDA")),
                 qPrintable(m_modeling->deviceProblem()));
        QVERIFY(m_modeling->deviceNote().isEmpty()); // said once, in the problem
        shot(QStringLiteral("device-cuda-unavailable"));

        m_modeling->setSetting(QStringLiteral("training.epochs"), 3);
        QVERIFY2(readFile(file).contains("device: cuda"), readFile(file).constData());
        QVERIFY(readFile(file).contains("epochs: 3"));

        box->setCurrentIndex(box->findData(QStringLiteral("cpu")));
        QVERIFY(readFile(file).contains("device: cpu"));
        QVERIFY(m_modeling->deviceProblem().isEmpty());
        QVERIFY(!problem->isVisible());
        QVERIFY(!m_modeling->deviceNote().isEmpty()); // back to why the box offers only the CPU
        m_modeling->setSetting(QStringLiteral("training.epochs"), 1);
    }

    // A GPU offered: choosing it writes cuda; the estimate names it and its memory; the memory
    // warning weighs BERT-base at 64 x 512 in fp32 (~29 GB) against 141 GB (fits) and 8 GB (does not).
    void fakeGpuChoice()
    {
        // A BERT-base-shaped experiment on 512-token reviews (not trained).
        auto* datasets = m_window->datasetsView();
        datasets->setSequenceLength(512);
        QString error;
        const QString version = datasets->versionFile(QStringLiteral("reviews512"));
        QVERIFY2(datasets->saveVersion(version, &error), qPrintable(error));
        auto* wizard = m_window->openExperimentWizard();
        wizard->selectVersion(version);
        wizard->setRandomShape(12, 768, 12, 3072);
        wizard->setExperimentName(QStringLiteral("base"));
        wizard->accept();
        m_window->showSection(MainWindow::ModelingSection);
        m_modeling->setSetting(QStringLiteral("training.batch_size"), 64);
        QCOMPARE(m_window->studio()->currentExperiment()->encoding.sequenceLength, int64_t(512));

        m_modeling->setComputeDevices({{"cpu", "CPU", 0}, {"cuda:0", "NVIDIA H200", int64_t(141'000'000'000)}});
        auto* box = m_modeling->deviceBox();
        QCOMPARE(box->count(), 2);
        QVERIFY(box->isEnabled());
        QCOMPARE(box->itemText(1), QStringLiteral("GPU 0 — NVIDIA H200, 141 GB"));
        QVERIFY(!box->isHidden());
        QVERIFY(m_modeling->deviceNote().isEmpty());
        QCOMPARE(box->currentData().toString(), QStringLiteral("cpu"));

        box->setCurrentIndex(1);
        QVERIFY2(readFile(configFile()).contains("device: cuda"), readFile(configFile()).constData());
        QCOMPARE(m_window->studio()->currentExperiment()->training.device, fika::core::TrainingDevice::Cuda);
        const QString advice = m_modeling->warningsText();
        QVERIFY2(advice.contains(QStringLiteral("GPU 0 (NVIDIA H200)")), qPrintable(advice));
        QVERIFY2(advice.contains(QStringLiteral("of 141.0 GB")), qPrintable(advice));
        QVERIFY2(!advice.contains(QStringLiteral("of memory")), qPrintable(advice)); // ~29 GB fits in 141 GB
        shot(QStringLiteral("device-fake-gpu"));
        // bf16 on the GPU is saved with it, and shortens the GPU's epoch as the measured rates say.
        auto* precision = m_modeling->findChild<QComboBox*>(QStringLiteral("trainingPrecision"));
        precision->setCurrentIndex(precision->findData(QStringLiteral("bf16")));
        QVERIFY2(readFile(configFile()).contains("precision: bf16"), readFile(configFile()).constData());
        QVERIFY(readFile(configFile()).contains("device: cuda"));
        QVERIFY(m_modeling->warningsText() != advice);
        precision->setCurrentIndex(precision->findData(QStringLiteral("fp32")));

        // Reopened, the experiment shows the GPU chosen.
        QVERIFY2(m_window->studio()->selectExperiment(experimentDir(), &error), qPrintable(error));
        QCOMPARE(box->currentIndex(), 1);

        // The same experiment on an 8 GB GPU: the warning names the GPU's memory, not the RAM.
        m_modeling->setComputeDevices({{"cpu", "CPU", 0}, {"cuda:0", "Small GPU", int64_t(8'000'000'000)}});
        QCOMPARE(box->currentIndex(), 1);
        QVERIFY2(m_modeling->warningsText().contains(QStringLiteral("the GPU has 8.0 GB")), qPrintable(m_modeling->warningsText()));

        // Several processes: one GPU each (process i on GPU i), refused past the number of GPUs.
        m_modeling->setComputeDevices({{"cpu", "CPU", 0},
                                       {"cuda:0", "NVIDIA H200", int64_t(141'000'000'000)},
                                       {"cuda:1", "NVIDIA H200", int64_t(141'000'000'000)}});
        QCOMPARE(box->count(), 3);
        auto* items = qobject_cast<QStandardItemModel*>(box->model());
        QVERIFY(!items->item(2)->isEnabled()); // GPU 1 is a process's of local rank 1, not a choice
        m_modeling->processesBox()->setValue(2);
        QVERIFY2(m_modeling->processesProblem().isEmpty(), qPrintable(m_modeling->processesProblem()));
        QVERIFY2(m_modeling->deviceNote().contains(QStringLiteral("GPUs 0–1")), qPrintable(m_modeling->deviceNote()));
        // One GPU's figures: half the batch each (64 x 512 fp32 ~29 GB, 32 x 512 ~15 GB).
        QVERIFY2(m_modeling->warningsText().contains(QStringLiteral("each of 2 GPUs (NVIDIA H200)")),
                 qPrintable(m_modeling->warningsText()));
        QVERIFY2(m_modeling->warningsText().contains(QStringLiteral("memory 15.")), qPrintable(m_modeling->warningsText()));
        shot(QStringLiteral("device-two-gpus-two-processes"));
        m_modeling->processesBox()->setValue(4);
        QVERIFY2(m_modeling->processesProblem().contains(QStringLiteral("this computer has 2")),
                 qPrintable(m_modeling->processesProblem()));
        QVERIFY(!m_modeling->runButton()->isEnabled());
        QVERIFY(m_modeling->deviceNote().isEmpty()); // the refusal says it all
        shot(QStringLiteral("device-too-many-processes"));
        m_modeling->processesBox()->setValue(1);

        // A long GPU name and the processes' note keep the view within a 1024-pixel-wide window.
        m_modeling->setComputeDevices({{"cpu", "CPU", 0},
                                       {"cuda:0", "NVIDIA H100 80GB HBM3", int64_t(85'000'000'000)},
                                       {"cuda:1", "NVIDIA H100 80GB HBM3", int64_t(85'000'000'000)}});
        m_modeling->processesBox()->setValue(2);
        QVERIFY(!m_modeling->deviceNote().isEmpty());
        m_window->resize(1024, 640);
        QCoreApplication::processEvents();
        auto* area = qobject_cast<QScrollArea*>(m_window->findChild<QStackedWidget*>()->currentWidget());
        QVERIFY(area);
        QVERIFY2(area->widget()->minimumSizeHint().width() <= area->viewport()->width(),
                 qPrintable(QStringLiteral("%1 of %2").arg(area->widget()->minimumSizeHint().width()).arg(area->viewport()->width())));
        shot(QStringLiteral("device-long-gpu-name-1024"));
        m_window->resize(1366, 768);
        m_modeling->processesBox()->setValue(1);

        box->setCurrentIndex(0);
        QVERIFY(readFile(configFile()).contains("device: cpu"));
        QVERIFY2(m_modeling->warningsText().contains(QStringLiteral("on the CPU")), qPrintable(m_modeling->warningsText()));
        m_modeling->setComputeDevices(fika::core::computeDevices());
    }

    // The GPU epoch estimate for the IMDB setting (20,000 reviews, 512 tokens, batch 32, bf16,
    // BERT-base): about 27 s at the H200's measured 739 samples/s, far below the CPU's hours.
    void gpuEpochEstimate()
    {
        using namespace fika::core;
        ExperimentConfig config = presetConfig(ConfigPreset::Recommended);
        config.training.batchSize = 32;
        config.training.precision = Precision::Bf16;
        config.encoding.sequenceLength = 512;
        BertConfig shape = BertConfig::base();
        shape.labels = {"negative", "positive"};
        const auto cpu = estimateTraining(shape, config, 20000, 2);
        config.training.device = TrainingDevice::Cuda;
        const auto gpu = estimateTraining(shape, config, 20000, 2);
        QVERIFY2(gpu.epochSeconds > 20 && gpu.epochSeconds < 120, std::to_string(gpu.epochSeconds).c_str());
        QVERIFY2(gpu.epochSeconds < cpu.epochSeconds / 50,
                 (std::to_string(gpu.epochSeconds) + " s on the GPU, " + std::to_string(cpu.epochSeconds) + " s on the CPU").c_str());
        // Weights, gradients, AdamW's moments and bf16 activations: ~9 GB, not the CPU's RAM figure.
        QVERIFY2(gpu.peakBytes > 5e9 && gpu.peakBytes < 20e9, std::to_string(gpu.peakBytes).c_str());
        // fp32 runs at the measured 107 against 739 samples/s: about 7x longer.
        config.training.precision = Precision::Fp32;
        const double fp32 = estimateTraining(shape, config, 20000, 2).epochSeconds;
        QVERIFY2(fp32 > 5 * gpu.epochSeconds && fp32 < 9 * gpu.epochSeconds, std::to_string(fp32).c_str());

        // BERT-base 64 x 512 fp32 (~29 GB) fits a 141 GB GPU and is warned about on an 8 GB one, in the GPU's words.
        config.training.batchSize = 64;
        config.training.learningRate = 2e-5;
        const auto large = estimateTraining(shape, config, 20000, 2);
        QVERIFY(trainingWarnings(config, large, int64_t(141'000'000'000)).empty());
        const auto warned = trainingWarnings(config, large, int64_t(8'000'000'000));
        QCOMPARE(warned.size(), size_t(1));
        QVERIFY2(warned[0].find("the GPU has 8.0 GB") != std::string::npos, warned[0].c_str());

        // A tiny model is bound by kernel launches, not FLOPs: 313 steps of 2 layers take ~0.3 s, not ~0.
        BertConfig tiny = BertConfig::tiny();
        tiny.labels = {"a", "b"};
        const double tinySeconds = estimateTraining(tiny, config, 20000, 2).epochSeconds;
        QVERIFY2(tinySeconds > 0.2 && tinySeconds < 1, std::to_string(tinySeconds).c_str());
    }

private:
    QString experimentDir() const { return QString::fromStdString(m_window->studio()->currentExperiment()->output.dir); }
    QString configFile() const { return experimentDir() + QStringLiteral("/config.yaml"); }

    void shot(const QString& name)
    {
        const QString dir = qEnvironmentVariable("FIKA_DEVICE_SHOTS");
        if (dir.isEmpty())
            return;
        QDir().mkpath(dir);
        QTest::qWait(50); // let the layout settle
        QVERIFY(m_window->grab().save(QDir(dir).filePath(name + QStringLiteral(".png"))));
    }

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    ModelingView* m_modeling = nullptr;
};

QTEST_MAIN(TestDeviceChoice)
#include "tst_device_choice.moc"
