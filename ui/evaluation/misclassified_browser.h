// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deployment/predictor_loading.h"
#include "model/predictor.h"
#include "train/evaluation.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QProgressBar;
class QSplitter;
class QTableWidget;

namespace fika::ui {

class ExplanationView;

// A review's tooltip in a list that shows its beginning: the whole review (up to 3,000
// characters), wrapped.
QString reviewTooltip(const QString& review);

// The validation reviews a checkpoint got wrong, the most confidently wrong first; selecting one
// shows it shaded by which words made the (wrong) prediction. The explanation runs on a pool thread
// with the checkpoint's own predictor, loaded on the first selection; a result for a selection
// already left is dropped.
class MisclassifiedBrowser : public QWidget {
    Q_OBJECT
public:
    explicit MisclassifiedBrowser(QWidget* parent = nullptr);
    ~MisclassifiedBrowser() override;

    // The predictions of the checkpoint in `checkpointDir` (null while there are none).
    void setEvaluation(std::shared_ptr<const core::TextEvaluation> evaluation, const QString& checkpointDir);
    const std::shared_ptr<const core::TextEvaluation>& evaluation() const { return m_evaluation; }

    QTableWidget* list() const { return m_list; }
    ExplanationView* explanationView() const { return m_view; }
    QProgressBar* busyIndicator() const { return m_busy; }
    QString caption() const;
    QString errorText() const; // why the selected review could not be explained; empty when it was
    int count() const { return static_cast<int>(m_listed.size()); }
    // The examples listed (indices into evaluation()->texts), top row first.
    const std::vector<size_t>& listedExamples() const { return m_listed; }

Q_SIGNALS:
    void countChanged(int misclassified); // -1: no predictions yet
    void explained(bool ok);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitSplit();
    void onSelectionChanged();
    void startWork();
    void onLoaded();
    void onExplained();

    struct Work {
        std::shared_ptr<const core::TextEvaluation> evaluation;
        size_t example = 0;
        double milliseconds = 0;
        std::shared_ptr<core::Result<core::Explanation>> explanation;
    };

    QLabel* m_caption = nullptr;
    QTableWidget* m_list = nullptr;
    QSplitter* m_splitter = nullptr; // the list | the explanation
    bool m_splitChosen = false;      // the user dragged the splitter
    QProgressBar* m_busy = nullptr;
    QLabel* m_error = nullptr;
    ExplanationView* m_view = nullptr;

    std::shared_ptr<const core::TextEvaluation> m_evaluation;
    QString m_checkpointDir;
    std::vector<size_t> m_listed;
    long m_wanted = -1; // the selected example whose explanation is still to show; -1: none
    std::shared_ptr<const core::Predictor> m_predictor; // m_checkpointDir's, loaded for m_evaluation
    std::shared_ptr<const core::TextEvaluation> m_loadingFor; // the evaluation m_loader loads the model for
    QFutureWatcher<PredictorLoad> m_loader;
    QFutureWatcher<Work> m_explainer;
};

} // namespace fika::ui
