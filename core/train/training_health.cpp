// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/training_health.h"

#include <algorithm>
#include <cmath>

namespace fika::core {
namespace {
constexpr double kLossTolerance = 0.03;  // relative to ln(classes): 0.693 ± 0.021 for two classes
constexpr double kCollapsedShare = 0.95; // one class for 95 % of the predictions or more
constexpr double kLearningShare = 0.9;   // of ln(classes): 0.624 for two classes
constexpr double kAboveMajority = 0.1;   // validation accuracy over always naming the commonest class
} // namespace

StalledTraining checkStalledTraining(double trainingLoss, const ConfusionMatrix& validation)
{
    StalledTraining result;
    const size_t classes = validation.classes();
    if (classes < 2)
        return result;
    result.chanceLoss = std::log(static_cast<double>(classes));
    result.learning = trainingLoss < kLearningShare * result.chanceLoss;
    if (validation.total() == 0)
        return result;
    // A model can rank well before its loss falls far (0.65 with 75 % accuracy): it learns too.
    int64_t commonest = 0;
    for (size_t c = 0; c < classes; ++c)
        commonest = std::max(commonest, validation.support(c));
    const double majorityShare = static_cast<double>(commonest) / static_cast<double>(validation.total());
    result.learning = result.learning || validation.accuracy() >= majorityShare + kAboveMajority;
    for (size_t c = 0; c < classes; ++c) {
        const double share = static_cast<double>(validation.predicted(c)) / static_cast<double>(validation.total());
        if (share > result.dominantShare) {
            result.dominantShare = share;
            result.dominantClass = c;
        }
    }
    result.stalled = std::abs(trainingLoss - result.chanceLoss) <= kLossTolerance * result.chanceLoss &&
                     result.dominantShare >= kCollapsedShare;
    return result;
}

} // namespace fika::core
