// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "train/metrics.h"

#include <cstddef>

namespace fika::core {

// A run that learns nothing: after an epoch its training loss still sits at ln(classes), what a
// model that guesses uniformly scores, and it predicts one class for (nearly) every validation text.
// Typical of random weights trained at a fine-tuning learning rate.
struct StalledTraining {
    bool stalled = false;
    double chanceLoss = 0;     // ln(classes)
    size_t dominantClass = 0;  // the class predicted for nearly everything
    double dominantShare = 0;  // its share of the validation predictions
    // The training loss is clearly below chance (under 90 % of ln(classes)), or the validation
    // accuracy is 10 points above always naming the commonest class: the model learns, and an
    // earlier stall is over. Margins wider than the stall's, so that noise near ln(classes) does
    // not turn the warning off and on.
    bool learning = false;
};

StalledTraining checkStalledTraining(double trainingLoss, const ConfusionMatrix& validation);

} // namespace fika::core
