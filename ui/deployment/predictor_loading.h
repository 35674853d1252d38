// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFuture>
#include <QString>

#include <memory>

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
// threads back (they would slow training and serving in other threads).
QFuture<PredictorLoad> loadPredictorInBackground(const QString& checkpointDir, const core::PredictorOptions& options);

} // namespace fika::ui
