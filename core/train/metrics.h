// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fika::core {

// Above this many classes a confusion matrix is stored as its non-zero cells (metricsToJson).
constexpr size_t kDenseConfusionClasses = 64;

// Counts by true label (rows) and predicted label (columns).
class ConfusionMatrix {
public:
    explicit ConfusionMatrix(size_t classes = 0) : m_classes(classes), m_counts(classes * classes, 0) {}

    void add(int32_t truth, int32_t predicted) { ++m_counts[static_cast<size_t>(truth) * m_classes + static_cast<size_t>(predicted)]; }
    int64_t count(size_t truth, size_t predicted) const { return m_counts[truth * m_classes + predicted]; }
    size_t classes() const { return m_classes; }
    int64_t total() const;
    int64_t support(size_t truth) const;    // row sum
    int64_t predicted(size_t label) const;  // column sum
    double recall(size_t label) const;      // diagonal / row sum (0 when empty)
    double precision(size_t label) const;   // diagonal / column sum (0 when empty)
    double f1(size_t label) const;
    double accuracy() const;
    double macroF1() const;
    std::vector<std::vector<int64_t>> rows() const;

private:
    size_t m_classes;
    std::vector<int64_t> m_counts;
};

// Area under the ROC curve for two classes: the probability that a random positive example scores
// above a random negative one (ties count half), from the positive-class scores. -1 when it is not
// defined: only one class present, or a score is NaN.
double rocAuc(const std::vector<float>& positiveScores, const std::vector<int32_t>& labels, int32_t positiveLabel = 1);

struct ClassMetrics {
    double precision = 0, recall = 0, f1 = 0;
    int64_t support = 0;
};

// Everything an evaluation reports.
struct EvaluationMetrics {
    double loss = 0;
    double accuracy = 0;
    double macroF1 = 0;
    double rocAuc = -1; // -1 unless there are two classes
    std::vector<ClassMetrics> perClass;
    ConfusionMatrix confusion;
};

EvaluationMetrics computeMetrics(const std::vector<int32_t>& labels, const std::vector<std::vector<float>>& probabilities,
                                 double meanLoss, size_t classes);

} // namespace fika::core
