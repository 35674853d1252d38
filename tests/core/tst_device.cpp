// SPDX-License-Identifier: GPL-3.0-or-later
// What the GPU path shares with the CPU one, checked where no GPU is: the multi-tensor gradient
// clipping against LibTorch's clip_grad_norm_, the AdamW step dispatcher, the device list, batches
// staying put on the CPU, and the device generator's reseeding.
#include <torch/torch.h>

#include "test_support.h"

#include "model/dropout.h"
#include "model/torch_compat.h"
#include "runtime/runtime.h"
#include "train/batching.h"
#include "train/optimizer_step.h"

using namespace fika::core;

namespace {

// Parameters with gradients of a few shapes, the same each call.
std::vector<torch::Tensor> parametersWithGradients(uint64_t seed)
{
    torch::manual_seed(seed);
    std::vector<torch::Tensor> parameters;
    for (auto shape : std::vector<std::vector<int64_t>>{{7, 5}, {5}, {3, 4, 2}, {1}}) {
        torch::Tensor p = torch::randn(shape).requires_grad_();
        p.mutable_grad() = torch::randn(shape) * 3.0;
        parameters.push_back(p);
    }
    return parameters;
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a - b).abs().max().item<double>();
}

} // namespace

class TestDevice : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void gradientClippingMatchesLibTorch()
    {
        for (double maxNorm : {0.5, 1e9, std::numeric_limits<double>::infinity()}) {
            auto ours = parametersWithGradients(1);
            auto theirs = parametersWithGradients(1);
            const double ourNorm = clipGradientNorm(ours, maxNorm);
            const double theirNorm = torch::nn::utils::clip_grad_norm_(theirs, maxNorm);
            QVERIFY2(std::abs(ourNorm - theirNorm) <= 1e-6 * theirNorm, qPrintable(QString::number(maxNorm)));
            QVERIFY(ourNorm > 1.0); // the unclipped norm, not the clipped one
            for (size_t i = 0; i < ours.size(); ++i)
                QVERIFY(maxAbsDiff(ours[i].grad(), theirs[i].grad()) < 1e-6);
        }
        // Clipped to 0.5: the gradients' norm is now 0.5.
        auto clipped = parametersWithGradients(2);
        clipGradientNorm(clipped, 0.5);
        double squares = 0;
        for (const auto& p : clipped)
            squares += p.grad().pow(2).sum().item<double>();
        QVERIFY(std::abs(std::sqrt(squares) - 0.5) < 1e-5);
        // Nothing to clip: 0, no crash.
        std::vector<torch::Tensor> noGradients{torch::randn({3}).requires_grad_()};
        QCOMPARE(clipGradientNorm(noGradients, 1.0), 0.0);
    }

    void adamWStepOnTheCpuIsLibTorchs()
    {
        auto ours = parametersWithGradients(3);
        auto theirs = parametersWithGradients(3);
        const auto options = torch::optim::AdamWOptions(1e-2).weight_decay(0.01);
        torch::optim::AdamW ourOptimizer(ours, options), theirOptimizer(theirs, options);
        for (int step = 0; step < 3; ++step) {
            adamWStep(ourOptimizer);
            theirOptimizer.step();
        }
        for (size_t i = 0; i < ours.size(); ++i)
            QCOMPARE(maxAbsDiff(ours[i], theirs[i]), 0.0);
        // The optimizer's state is where LibTorch keeps it (optimizer.pt holds the same).
        const auto key = compat::optimizerStateKey(ours[0]);
        QVERIFY(ourOptimizer.state().count(key) == 1);
        QCOMPARE(static_cast<torch::optim::AdamWParamState&>(*ourOptimizer.state().at(key)).step(), int64_t{3});
    }

    void devicesListTheCpuFirst()
    {
        const auto devices = computeDevices();
        QVERIFY(!devices.empty());
        QCOMPARE(devices.front().id, std::string("cpu"));
        QCOMPARE(devices.size() > 1, torchHasCuda() && torch::cuda::is_available());
        for (size_t i = 1; i < devices.size(); ++i) {
            QCOMPARE(devices[i].id, "cuda:" + std::to_string(i - 1));
            QVERIFY(devices[i].memoryBytes > 0);
        }
        QCOMPARE(findComputeDevice("cpu").id, std::string("cpu"));
        QCOMPARE(findComputeDevice("cuda").id, devices.size() > 1 ? std::string("cuda:0") : std::string("cpu"));
        if (!torchHasCuda())
            QCOMPARE(gpuPeakMemoryBytes(0), int64_t{0});
        QCOMPARE(compat::kHasFusedAttention, TORCH_VERSION_MAJOR >= 2);
    }

    void batchesStayOnTheCpu()
    {
        EncodedDataset data;
        data.ids = {{101, 7, 102}, {101, 102}};
        data.labels = {1, 0};
        const Batch batch = collate(data, {0, 1}, 0);
        const Batch moved = batch.to(torch::kCPU);
        QCOMPARE(moved.ids.data_ptr(), batch.ids.data_ptr()); // no copy
        QCOMPARE(moved.examples, batch.examples);
    }

    void deviceGeneratorFollowsTheDropoutStream()
    {
        // The CPU's default generator stands in for a GPU's here: reseeded from the same stream, the
        // same draws.
        auto draw = [](uint64_t seed) {
            const DropoutSeedScope scope(seed);
            reseedDeviceGenerator(torch::kCPU);
            return torch::rand({8});
        };
        QCOMPARE(maxAbsDiff(draw(5), draw(5)), 0.0);
        QVERIFY(maxAbsDiff(draw(5), draw(6)) > 0.0);
    }
};

QTEST_GUILESS_MAIN(TestDevice)
#include "tst_device.moc"
