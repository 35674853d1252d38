// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFuture>
#include <QString>

#include <functional>
#include <memory>
#include <string>

namespace fika::core {
class Predictor;
struct PredictorOptions;
template <typename T>
class Result;
} // namespace fika::core

namespace fika::ui {

// Shared so that QFuture can copy it; the Result itself holds the error message.
using PredictorLoad = std::shared_ptr<core::Result<std::shared_ptr<core::Predictor>>>;

// Loads a checkpoint folder's predictor on a pool thread, which then gives its OpenMP helper
// threads back (they would slow training and serving in other threads). What loading throws
// (LibTorch reports failures as exceptions) comes back as the Result's error.
QFuture<PredictorLoad> loadPredictorInBackground(const QString& checkpointDir, const core::PredictorOptions& options);

// Tests replace core::Predictor::fromCheckpoint here (an empty function restores it), e.g. with one
// that throws as LibTorch does. Set it before a load starts.
using PredictorLoader = std::function<core::Result<std::shared_ptr<core::Predictor>>(const std::string& dir,
                                                                                     const core::PredictorOptions& options)>;
void setPredictorLoaderForTesting(PredictorLoader loader);

} // namespace fika::ui
