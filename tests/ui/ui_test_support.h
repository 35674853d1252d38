// SPDX-License-Identifier: GPL-3.0-or-later
// Shared steps of the GUI tests.
#pragma once

#include "test_support.h"

#include "datasets/datasets_view.h"
#include "main_window.h"
#include "modeling/experiment_wizard.h"
#include "modeling/modeling_view.h"
#include "studio.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <memory>

namespace fika::test {

// Writes `rows` synthetic reviews to `csv` and imports them into `view`; false when the import does
// not finish within `timeoutMs`.
inline bool importSyntheticReviews(fika::ui::DatasetsView* view, const QString& csv, int rows, int timeoutMs = 30000)
{
    writeBytes(csv.toStdString(), syntheticReviewsCsv(rows));
    QSignalSpy imported(view, &fika::ui::DatasetsView::importFinished);
    view->importPath(csv);
    return imported.wait(timeoutMs);
}

// A 1366x768 window on a new project in `dir`: `rows` synthetic reviews at 24 tokens, a saved version
// and an experiment of a tiny random BERT set to `epochs` epochs, batch 16, one thread, ready to Run.
// Null when a step fails (the project, the import or the version).
inline std::unique_ptr<fika::ui::MainWindow> tinyExperimentWindow(const QTemporaryDir& dir, const QString& project,
                                                                  int rows, int epochs)
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("FIKA_CACHE_DIR", dir.filePath(QStringLiteral("cache")).toUtf8());
    auto window = std::make_unique<fika::ui::MainWindow>();
    window->resize(1366, 768);
    window->show();
    QString error;
    if (!window->studio()->newProject(dir.filePath(QStringLiteral("project")), project, &error) ||
        !importSyntheticReviews(window->datasetsView(), dir.filePath(QStringLiteral("reviews.csv")), rows))
        return nullptr;
    window->datasetsView()->setSequenceLength(24);
    if (!window->datasetsView()->saveVersion(window->datasetsView()->versionFile(QStringLiteral("reviews")), &error))
        return nullptr;
    auto* wizard = window->openExperimentWizard();
    wizard->setRandomShape(2, 32, 4, 64);
    wizard->accept();
    auto* modeling = window->modelingView();
    modeling->setSetting(QStringLiteral("training.epochs"), epochs);
    modeling->setSetting(QStringLiteral("training.batch_size"), 16);
    modeling->setSetting(QStringLiteral("training.threads"), 1);
    return window;
}

} // namespace fika::test
