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
};

StalledTraining checkStalledTraining(double trainingLoss, const ConfusionMatrix& validation);

} // namespace fika::core
