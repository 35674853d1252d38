// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluation metrics on scores a damaged model can produce.
#include "test_support.h"

#include "train/metrics.h"
#include "train/training_health.h"

#include <cmath>
#include <limits>
#include <random>

using namespace fika::core;

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // NaN breaks std::sort's strict weak order (undefined behaviour: a wrong area, or a read past
    // the vector); the area is not defined then and says so with -1.
    void rocAucOfNanScoresIsUndefined_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<double>("nanShare");
        QTest::newRow("one NaN among four") << 4 << 0.25;
        QTest::newRow("a third NaN among 5000") << 5000 << 0.33;
        QTest::newRow("all NaN") << 100 << 1.0;
    }
    void rocAucOfNanScoresIsUndefined()
    {
        QFETCH(int, size);
        QFETCH(double, nanShare);
        std::mt19937 random(7);
        std::uniform_real_distribution<float> uniform(0.f, 1.f);
        std::vector<float> scores;
        std::vector<int32_t> labels;
        for (int i = 0; i < size; ++i) {
            labels.push_back(i % 2);
            scores.push_back(i == 1 || uniform(random) < nanShare ? std::numeric_limits<float>::quiet_NaN()
                                                                  : static_cast<float>(i % 2) * 0.5f + uniform(random) * 0.5f);
        }
        QCOMPARE(rocAuc(scores, labels, 1), -1.0);
        const auto metrics = computeMetrics(labels, [&] {
            std::vector<std::vector<float>> probabilities;
            for (float s : scores)
                probabilities.push_back({1.f - s, s});
            return probabilities;
        }(), 0.0, 2);
        QCOMPARE(metrics.rocAuc, -1.0);
    }

    void rocAucOfFiniteScores()
    {
        QCOMPARE(rocAuc({0.1f, 0.4f, 0.35f, 0.8f}, {0, 0, 1, 1}), 0.75);
        QCOMPARE(rocAuc({0.5f, 0.5f}, {0, 1}), 0.5);
        QCOMPARE(rocAuc({-std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()}, {0, 1}), 1.0);
        QCOMPARE(rocAuc({0.2f, 0.3f}, {1, 1}), -1.0); // one class only
    }

    // A run whose loss still sits near ln 2 but whose validation accuracy is well above guessing the
    // commonest class has stopped learning nothing: an earlier stall warning must go.
    void accuracyAboveTheCommonestClassCountsAsLearning()
    {
        ConfusionMatrix ranked(2); // 75 % right on a balanced validation set
        for (int i = 0; i < 75; ++i)
            ranked.add(i % 2, i % 2);
        for (int i = 0; i < 25; ++i)
            ranked.add(i % 2, 1 - i % 2);
        const auto health = checkStalledTraining(0.66, ranked);
        QVERIFY(!health.stalled);
        QVERIFY(health.learning);

        ConfusionMatrix skewed(2); // 80 % of the texts are class 0
        for (int i = 0; i < 80; ++i)
            skewed.add(0, i < 78 ? 0 : 1);
        for (int i = 0; i < 20; ++i)
            skewed.add(1, i < 4 ? 0 : 1);
        QVERIFY(checkStalledTraining(0.66, skewed).learning); // 94 % accuracy against the commonest class's 80 %
        ConfusionMatrix guessing(2); // always class 0: accuracy 0.8 is the commonest class's share
        for (int i = 0; i < 100; ++i)
            guessing.add(i < 80 ? 0 : 1, 0);
        QVERIFY(!checkStalledTraining(0.66, guessing).learning);
        QVERIFY(checkStalledTraining(0.60, guessing).learning); // the loss alone is clearly below ln 2
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
