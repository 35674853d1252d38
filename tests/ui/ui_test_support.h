// SPDX-License-Identifier: GPL-3.0-or-later
// Shared steps of the GUI tests.
#pragma once

#include "test_support.h"

#include "datasets/datasets_view.h"

#include <QSignalSpy>

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

} // namespace fika::test
