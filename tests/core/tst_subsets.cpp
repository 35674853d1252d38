// SPDX-License-Identifier: GPL-3.0-or-later
#include "test_support.h"

#include "data/subsets.h"

#include <algorithm>
#include <set>

using namespace fika::core;

namespace {

std::vector<int32_t> labelsWith(std::vector<int> perClass)
{
    std::vector<int32_t> labels;
    for (size_t c = 0; c < perClass.size(); ++c)
        for (int i = 0; i < perClass[c]; ++i)
            labels.push_back(static_cast<int32_t>(c));
    // interleave so that classes are not in blocks
    std::vector<int32_t> mixed(labels.size());
    for (size_t i = 0; i < labels.size(); ++i)
        mixed[(i * 7919) % labels.size()] = labels[i];
    return mixed;
}

int countClass(const std::vector<int64_t>& subset, const std::vector<int32_t>& labels, int32_t cls)
{
    return static_cast<int>(std::count_if(subset.begin(), subset.end(), [&](int64_t i) { return labels[i] == cls; }));
}

} // namespace

class TestSubsets : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultIsStratified80_20()
    {
        const auto labels = labelsWith({1000, 250});
        auto subsets = splitSubsets(labels, 2, SubsetSpec{});
        QVERIFY(subsets.ok());
        QCOMPARE(subsets->training.size(), size_t(1000));
        QCOMPARE(subsets->validation.size(), size_t(250));
        QVERIFY(subsets->test.empty());
        QCOMPARE(countClass(subsets->validation, labels, 0), 200);
        QCOMPARE(countClass(subsets->validation, labels, 1), 50);
    }

    void subsetsAreDisjointAndCoverEverything()
    {
        const auto labels = labelsWith({333, 334, 101});
        SubsetSpec spec;
        spec.trainingPercent = 70;
        spec.validationPercent = 15;
        spec.testPercent = 15;
        auto subsets = splitSubsets(labels, 3, spec);
        QVERIFY(subsets.ok());
        std::set<int64_t> all;
        for (const auto* subset : {&subsets->training, &subsets->validation, &subsets->test})
            all.insert(subset->begin(), subset->end());
        QCOMPARE(all.size(), labels.size());
        QCOMPARE(subsets->training.size() + subsets->validation.size() + subsets->test.size(), labels.size());
        QCOMPARE(countClass(subsets->test, labels, 2), 15); // round(101 * 0.15)
    }

    void sameSeedSameSplitOtherSeedOtherSplit()
    {
        const auto labels = labelsWith({500, 500});
        SubsetSpec spec;
        const auto a = splitSubsets(labels, 2, spec).value();
        const auto b = splitSubsets(labels, 2, spec).value();
        QCOMPARE(a.validation, b.validation);
        spec.seed = 43;
        const auto c = splitSubsets(labels, 2, spec).value();
        QVERIFY(a.validation != c.validation);
    }

    void unstratifiedSplitsTheWhole()
    {
        const auto labels = labelsWith({900, 100});
        SubsetSpec spec;
        spec.stratified = false;
        auto subsets = splitSubsets(labels, 2, spec);
        QVERIFY(subsets.ok());
        QCOMPARE(subsets->validation.size(), size_t(200));
    }

    void invalidSpecs_data()
    {
        QTest::addColumn<double>("training");
        QTest::addColumn<double>("validation");
        QTest::addColumn<double>("test");
        QTest::newRow("sum below 100") << 70.0 << 20.0 << 0.0;
        QTest::newRow("negative") << 110.0 << -10.0 << 0.0;
        QTest::newRow("no training") << 0.0 << 50.0 << 50.0;
    }
    void invalidSpecs()
    {
        QFETCH(double, training);
        QFETCH(double, validation);
        QFETCH(double, test);
        SubsetSpec spec{training, validation, test, 1, true};
        auto subsets = splitSubsets(labelsWith({10, 10}), 2, spec);
        QCOMPARE(subsets.error().code, ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestSubsets)
#include "tst_subsets.moc"
