// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "train/experiment_config.h"

#include <string>

namespace fika::core {

// A resumed run continues the saved one only with the same settings: any key that changes what is
// computed (data, encoding, model, optimisation) must equal the saved experiment's. The error names
// the first key that differs and both values. Keys that only change how it runs (threads, device,
// logging, how many epoch checkpoints are kept) or how long (epochs, early stopping) may differ.
// With sameDataChecked (the data's checksum matched the saved run's), data.csv and data.folder may
// name another path: the same data moved with its project.
Status checkResumeMatches(const ExperimentConfig& config, const std::string& savedExperimentFile,
                          bool sameDataChecked = false);

} // namespace fika::core
