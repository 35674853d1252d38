// SPDX-License-Identifier: GPL-3.0-or-later
#include "deployment/predictor_loading.h"

#include "qt_config.h"

#include "model/predictor.h"
#include "runtime/runtime.h"

#include <QtConcurrent/QtConcurrentRun>

namespace fika::ui {

QFuture<PredictorLoad> loadPredictorInBackground(const QString& checkpointDir, const core::PredictorOptions& options)
{
    return QtConcurrent::run([path = toStdString(checkpointDir), options] {
        auto loaded = std::make_shared<core::Result<std::shared_ptr<core::Predictor>>>(core::Predictor::fromCheckpoint(path, options));
        core::releaseComputeThreads();
        return loaded;
    });
}

} // namespace fika::ui
