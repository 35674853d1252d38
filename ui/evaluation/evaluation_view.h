// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "evaluation/training_charts.h"
#include "train/evaluation.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QHash>
#include <QListWidget>
#include <QWidget>

#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTableWidget;
class QTabWidget;

namespace fika::ui {

// The experiments beside the charts: its size hint is as wide as its names, within limits.
class ExperimentList : public QListWidget {
    Q_OBJECT
public:
    using QListWidget::QListWidget;
    QSize sizeHint() const override;
};

class ConfusionMatrixPlot;
class MetricsFollower;
class MisclassifiedBrowser;
class Studio;

// Experiments side by side: live loss and accuracy curves, the run's key numbers, the confusion
// matrix of a chosen checkpoint with the examples behind each cell, and exports.
class EvaluationView : public QWidget {
    Q_OBJECT
public:
    explicit EvaluationView(Studio* studio, QWidget* parent = nullptr);
    ~EvaluationView() override;

    TrainingCharts* charts() const { return m_charts; }
    ConfusionMatrixPlot* confusionMatrix() const { return m_matrix; }
    QComboBox* checkpointSelector() const { return m_checkpoints; }
    QTableWidget* examplesTable() const { return m_examples; }
    // The misclassified validation reviews with their explanations, a tab beside the matrix.
    MisclassifiedBrowser* misclassifiedBrowser() const { return m_misclassified; }
    QTabWidget* detailTabs() const { return m_detailTabs; }
    QString examplesCaption() const;
    QProgressBar* evaluationProgress() const { return m_busy; }
    QString infoText() const;
    // What follows a shown run's metrics.jsonl as it grows; null for a run not shown.
    MetricsFollower* follower(const QString& runDir) const;
    bool evaluationReady() const { return m_evaluation != nullptr; }
    // Stops the running evaluation within one batch (before the window waits for pool work at exit).
    void cancelEvaluation() { *m_cancelEvaluation = true; }

    // Lists the validation examples of a cell; clicked while predictions are computed, the cell is
    // remembered and its examples are listed once they are ready.
    void showCell(int truth, int predicted);
    bool exportPredictions(const QString& file, QString* error) const;
    bool exportCheckpoint(const QString& dir, QString* error) const;

Q_SIGNALS:
    void evaluationFinished(bool ok);

private:
    void showEvent(QShowEvent* event) override;
    void fitExperimentList();
    void reloadExperiments();
    void forgetProject();
    void refreshCharts();
    void updateInfo();
    void loadCheckpoints();
    void updateExports();
    void evaluateCheckpoint();
    void onEvaluated();
    void onPredictionProgress(qint64 done, qint64 total);
    void showExamples();
    void followShownRuns();
    void pollRuns();
    void onRunChanged(const QString& runDir);
    void drawCharts();
    QString skippedNote() const;
    QString currentRunDir() const;
    void exportChartDialog();
    void exportPredictionsDialog();
    void exportCheckpointDialog();

    Studio* m_studio;
    QSplitter* m_splitter = nullptr; // the experiments list | the rest
    ExperimentList* m_experiments = nullptr;
    bool m_listWidthChosen = false; // the user dragged the splitter
    TrainingCharts* m_charts = nullptr;
    QLabel* m_info = nullptr;
    QComboBox* m_checkpoints = nullptr;
    QProgressBar* m_busy = nullptr;
    QPushButton* m_exportChart = nullptr;
    QPushButton* m_exportPredictions = nullptr;
    QPushButton* m_exportCheckpoint = nullptr;
    ConfusionMatrixPlot* m_matrix = nullptr;
    QLabel* m_examplesTitle = nullptr;
    QTableWidget* m_examples = nullptr;
    QTabWidget* m_detailTabs = nullptr;
    MisclassifiedBrowser* m_misclassified = nullptr;

    QStringList m_runDirs;          // every experiment of the project, in list order
    QList<RunSeries> m_runs;        // same order
    QHash<QString, MetricsFollower*> m_followers; // the shown runs' metrics.jsonl, by run folder
    mutable int m_infoSkipped = 0; // the bad lines the info counts
    std::shared_ptr<const core::TextEvaluation> m_evaluation;
    QFutureWatcher<std::shared_ptr<core::Result<core::TextEvaluation>>> m_watcher;
    // Set to stop the running evaluation (the view closes, or its result would be thrown away).
    std::shared_ptr<std::atomic<bool>> m_cancelEvaluation = std::make_shared<std::atomic<bool>>(false);
    QString m_evaluatedCheckpoint;
    QString m_pendingCheckpoint;
    QElapsedTimer m_predictionClock;  // since the first batch: loading and import are not predicting
    int m_cellTruth = -1;             // the cell whose examples are listed or awaited; -1 for none
    int m_cellPredicted = -1;
    QString m_cellRunDir;             // the experiment the cell belongs to
    bool m_discardRunningEvaluation = false; // its project was closed meanwhile
    bool m_evaluationFailed = false;
    QString m_exportParent; // where the last checkpoint export went; the next is offered beside it
};

} // namespace fika::ui
