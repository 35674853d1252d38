// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "test_support.h"
#include "train/experiment_config.h"

#include <string>

namespace fika::test {

// A run that trains in about a second: a 2-layer, 32-wide BERT from random weights on 24-token
// texts, one thread, every step logged. The tests set epochs and anything else they vary.
inline core::ExperimentConfig tinyTrainingConfig(const std::string& csv, const std::string& outputDir)
{
    core::ExperimentConfig c = core::presetConfig(core::ConfigPreset::Recommended);
    c.data.csv = csv;
    c.encoding.vocab = bundledVocabPath();
    c.encoding.sequenceLength = 24;
    c.model.init = core::ModelInit::Random;
    c.model.layers = 2;
    c.model.hiddenSize = 32;
    c.model.heads = 4;
    c.model.intermediateSize = 64;
    c.training.batchSize = 16;
    c.training.epochs = 3;
    c.training.learningRate = 2e-3;
    c.training.threads = 1;
    c.training.logEverySteps = 1;
    c.output.dir = outputDir;
    return c;
}

} // namespace fika::test
