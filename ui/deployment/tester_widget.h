// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deployment/predictor_loading.h"
#include "model/predictor.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QCPBars;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace fika::ui {

class ExplanationView;
class Studio;

// Type a text, press Play: the predicted class, a probability bar per class and the time taken.
// Predictions come from a checkpoint loaded from disk (best or last), never from the model that
// is training, and run on a pool thread: BERT-base on 512 tokens would freeze the window.
// By default it tests the experiment open in Modeling; followCheckpoint() makes it test one
// checkpoint instead (the Deployment view's: what is deployed). A caption says which it tests, and
// an answer goes as soon as the model does.
class TesterWidget : public QWidget {
    Q_OBJECT
public:
    explicit TesterWidget(Studio* studio, QWidget* parent = nullptr);

    void setText(const QString& text);
    QPushButton* playButton() const { return m_play; }
    QPushButton* explainButton() const { return m_explain; }
    // "Explain every prediction": Play explains too (remembered in QSettings).
    QCheckBox* explainEveryPrediction() const { return m_explainEvery; }
    ExplanationView* explanationView() const { return m_explanationView; }
    QComboBox* checkpointSelector() const { return m_checkpoints; }
    QString resultText() const;
    std::vector<double> shownProbabilities() const;
    QString loadedCheckpoint() const { return m_loadedDir; }
    QString sourceText() const; // the caption saying what is tested

    // Tests `dir` only, named `name`; `served` is the deployment's own predictor while it serves
    // (null otherwise), so that the tester answers exactly as the API does.
    void followCheckpoint(const QString& dir, const QString& name, std::shared_ptr<const core::Predictor> served);
    // Loads the checkpoint in bf16 (PredictorOptions::bf16) or float32 (the default); a change
    // reloads it.
    void setBf16(bool on);
    bool usesBf16() const { return m_bf16; }

    // The predictor shown here, for the deployment server to share (null until loaded).
    std::shared_ptr<const core::Predictor> predictor() const { return m_predictor; }

Q_SIGNALS:
    void predictorLoaded(bool ok);
    void answered();
    void explained(bool ok);

private:
    void reloadCheckpoints();
    void loadPredictor();
    void onLoaded();
    void usePredictor(std::shared_ptr<const core::Predictor> predictor, const QString& dir);
    void clearAnswer();
    void updateSource();
    void play();
    void onPredicted();
    void explain();
    void onExplained();

    struct TimedPrediction {
        core::Prediction prediction;
        std::shared_ptr<const core::Predictor> predictor; // the model that answered
        double milliseconds = 0;
        std::string error; // set when the prediction failed
    };

    struct TimedExplanation {
        std::shared_ptr<const core::Predictor> predictor;
        QString text;
        core::Result<core::Explanation> explanation = core::Error{};
        double milliseconds = 0;
    };

    Studio* m_studio;
    QLabel* m_source = nullptr;
    QWidget* m_checkpointRow = nullptr;
    QComboBox* m_checkpoints = nullptr;
    QPlainTextEdit* m_text = nullptr;
    QPushButton* m_play = nullptr;
    QPushButton* m_explain = nullptr;
    QCheckBox* m_explainEvery = nullptr;
    ExplanationView* m_explanationView = nullptr;
    QLabel* m_result = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPBars* m_bars = nullptr;
    std::vector<double> m_probabilities;
    std::shared_ptr<const core::Predictor> m_predictor;
    QString m_loadedDir;
    QString m_watcherDir; // the folder m_watcher loads
    bool m_watcherBf16 = false; // and in which precision
    bool m_bf16 = false;
    bool m_followsCheckpoint = false;
    QString m_followedDir;
    QString m_followedName;
    std::shared_ptr<const core::Predictor> m_servedPredictor;
    bool m_playWhenLoaded = false;
    bool m_playAgain = false; // Play pressed while a prediction ran: predict the newest text next
    bool m_explainAgain = false; // Explain asked while an explanation ran: explain the newest text next
    QFutureWatcher<PredictorLoad> m_watcher;
    QFutureWatcher<TimedPrediction> m_predictWatcher;
    QFutureWatcher<TimedExplanation> m_explainWatcher;
};

} // namespace fika::ui
