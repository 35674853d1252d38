// SPDX-License-Identifier: GPL-3.0-or-later
#include "deployment/predictor_loading.h"

#include "pool_work.h"
#include "qt_config.h"

#include "model/predictor.h"
#include "runtime/runtime.h"

#include <QtConcurrent/QtConcurrentRun>

namespace fika::ui {
namespace {

PredictorLoader& testLoader()
{
    static PredictorLoader loader;
    return loader;
}

} // namespace

void setPredictorLoaderForTesting(PredictorLoader loader)
{
    testLoader() = std::move(loader);
}

QFuture<PredictorLoad> loadPredictorInBackground(const QString& checkpointDir, const core::PredictorOptions& options)
{
    return QtConcurrent::run([path = toStdString(checkpointDir), options, load = testLoader()] {
        auto loaded = resultOrError<std::shared_ptr<core::Predictor>>(path, [&] {
            return load ? load(path, options) : core::Predictor::fromCheckpoint(path, options);
        });
        core::releaseComputeThreads();
        return loaded;
    });
}

} // namespace fika::ui
