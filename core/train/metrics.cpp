// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fika::core {

int64_t ConfusionMatrix::total() const
{
    return std::accumulate(m_counts.begin(), m_counts.end(), int64_t(0));
}

int64_t ConfusionMatrix::support(size_t truth) const
{
    int64_t sum = 0;
    for (size_t p = 0; p < m_classes; ++p)
        sum += count(truth, p);
    return sum;
}

int64_t ConfusionMatrix::predicted(size_t label) const
{
    int64_t sum = 0;
    for (size_t t = 0; t < m_classes; ++t)
        sum += count(t, label);
    return sum;
}

double ConfusionMatrix::recall(size_t label) const
{
    const int64_t rowSum = support(label);
    return rowSum ? static_cast<double>(count(label, label)) / static_cast<double>(rowSum) : 0.0;
}

double ConfusionMatrix::precision(size_t label) const
{
    const int64_t columnSum = predicted(label);
    return columnSum ? static_cast<double>(count(label, label)) / static_cast<double>(columnSum) : 0.0;
}

double ConfusionMatrix::f1(size_t label) const
{
    const double p = precision(label), r = recall(label);
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

double ConfusionMatrix::accuracy() const
{
    int64_t correct = 0;
    for (size_t c = 0; c < m_classes; ++c)
        correct += count(c, c);
    const int64_t all = total();
    return all ? static_cast<double>(correct) / static_cast<double>(all) : 0.0;
}

double ConfusionMatrix::macroF1() const
{
    if (m_classes == 0)
        return 0.0;
    double sum = 0;
    for (size_t c = 0; c < m_classes; ++c)
        sum += f1(c);
    return sum / static_cast<double>(m_classes);
}

std::vector<std::vector<int64_t>> ConfusionMatrix::rows() const
{
    std::vector<std::vector<int64_t>> out(m_classes, std::vector<int64_t>(m_classes));
    for (size_t t = 0; t < m_classes; ++t)
        for (size_t p = 0; p < m_classes; ++p)
            out[t][p] = count(t, p);
    return out;
}

double rocAuc(const std::vector<float>& scores, const std::vector<int32_t>& labels, int32_t positiveLabel)
{
    // NaN scores (a model that output NaN) have no rank: the sort below would be undefined behaviour
    // (NaN breaks its strict weak order) and the area is not defined.
    if (std::any_of(scores.begin(), scores.end(), [](float s) { return std::isnan(s); }))
        return -1.0;
    // Mann–Whitney U from average ranks, so ties count half.
    std::vector<size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    double positiveRankSum = 0;
    int64_t positives = 0;
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j < order.size() && scores[order[j]] == scores[order[i]])
            ++j;
        const double averageRank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (size_t k = i; k < j; ++k)
            if (labels[order[k]] == positiveLabel) {
                positiveRankSum += averageRank;
                ++positives;
            }
        i = j;
    }
    const auto negatives = static_cast<int64_t>(scores.size()) - positives;
    if (positives == 0 || negatives == 0)
        return -1.0;
    const double u = positiveRankSum - static_cast<double>(positives) * static_cast<double>(positives + 1) / 2.0;
    return u / (static_cast<double>(positives) * static_cast<double>(negatives));
}

EvaluationMetrics computeMetrics(const std::vector<int32_t>& labels, const std::vector<std::vector<float>>& probabilities,
                                 double meanLoss, size_t classes)
{
    EvaluationMetrics metrics;
    metrics.loss = meanLoss;
    metrics.confusion = ConfusionMatrix(classes);
    std::vector<float> positiveScores;
    for (size_t i = 0; i < labels.size(); ++i) {
        const auto& p = probabilities[i];
        const auto predicted = static_cast<int32_t>(std::max_element(p.begin(), p.end()) - p.begin());
        metrics.confusion.add(labels[i], predicted);
        if (classes == 2)
            positiveScores.push_back(p[1]);
    }
    metrics.accuracy = metrics.confusion.accuracy();
    metrics.macroF1 = metrics.confusion.macroF1();
    for (size_t c = 0; c < classes; ++c)
        metrics.perClass.push_back({metrics.confusion.precision(c), metrics.confusion.recall(c), metrics.confusion.f1(c),
                                    metrics.confusion.support(c)});
    if (classes == 2)
        metrics.rocAuc = rocAuc(positiveScores, labels, 1);
    return metrics;
}

} // namespace fika::core
