// SPDX-License-Identifier: GPL-3.0-or-later
#include "test_support.h"

#include "text/length_stats.h"

using namespace fika::core;

class TestLengthStats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void summarisesLengths()
    {
        const auto stats = LengthStats::fromLengths({10, 2, 4, 8, 6});
        QCOMPARE(stats.count, int64_t(5));
        QCOMPARE(stats.mean, 6.0);
        QCOMPARE(stats.median, 6.0);
        QCOMPARE(stats.p90, 9.2); // numpy.percentile([2,4,6,8,10], 90)
        QCOMPARE(stats.max, 10);
        QCOMPARE(stats.truncatedShare(6), 0.4);
        QCOMPARE(stats.truncatedShare(10), 0.0);
        QCOMPARE(stats.truncatedShare(1), 1.0);
    }

    void medianOfEvenCountAverages()
    {
        QCOMPARE(LengthStats::fromLengths({1, 2, 3, 10}).median, 2.5);
    }

    void histogramBins()
    {
        const auto stats = LengthStats::fromLengths({0, 9, 10, 25, 700});
        QCOMPARE(stats.histogram(10, 30), (std::vector<int64_t>{2, 1, 1, 1}));
    }

    void emptyIsZero()
    {
        const auto stats = LengthStats::fromLengths({});
        QCOMPARE(stats.count, int64_t(0));
        QCOMPARE(stats.truncatedShare(128), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestLengthStats)
#include "tst_length_stats.moc"
