// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deployment/predictor_loading.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace fika::core {
class Predictor;
class PredictionServer;
template <typename T>
class Result;
} // namespace fika::core

namespace fika::ui {

class Studio;

// A deployment: an experiment's checkpoint served on the local HTTP API. The Enable switch starts
// and stops the server in the app; URL, token (copy, regenerate), names, the ready curl command
// and a button that opens the browser API tester.
class ServerPanel : public QWidget {
    Q_OBJECT
public:
    explicit ServerPanel(Studio* studio, QWidget* parent = nullptr);
    ~ServerPanel() override;

    QCheckBox* enableSwitch() const { return m_enable; }
    // fp32 (the default) or bf16: the precision the deployment's predictor, and the tester beside
    // it, load the checkpoint in. Fixed while serving.
    QComboBox* precisionSelector() const { return m_precision; }
    bool usesBf16() const;
    QString url() const;
    QString token() const;
    // The curl command for this deployment; withToken false puts <token> in its place.
    QString curlCommand(bool withToken = true) const;
    QString shownCode() const; // the code example as shown (the token only while Show is on)
    bool isServing() const { return m_server != nullptr; }
    // The checkpoint chosen to deploy (served while isServing()), and its name for people:
    // "experiment · best epoch". Empty when there is none.
    QString checkpointDir() const;
    QString checkpointName() const;
    std::shared_ptr<const core::Predictor> servedPredictor() const { return m_servedPredictor; } // null when stopped
    void stopServing(); // as switching Enabled off
    void setPort(int port);

Q_SIGNALS:
    void servingChanged(bool serving);
    void checkpointChanged(); // another checkpoint chosen, or its experiment's list reloaded
    void precisionChanged();

private:
    void reloadExperiments();
    void reloadCheckpoints();
    void setEnabled(bool on);
    void onPredictorLoaded();
    void stopServer();
    void regenerateToken();
    void openTesterPage(); // in a browser; where none opens, says so with the address to open
    void showBrowserFailure(const QString& page);
    void updateTexts();
    QString tokenFile() const;

    Studio* m_studio;
    QComboBox* m_experiment = nullptr;
    QComboBox* m_checkpoint = nullptr;
    QSpinBox* m_port = nullptr;
    QComboBox* m_precision = nullptr;
    QLabel* m_precisionNote = nullptr;
    QCheckBox* m_enable = nullptr;
    QLabel* m_state = nullptr;
    QLineEdit* m_url = nullptr;
    QLineEdit* m_token = nullptr;
    QLabel* m_names = nullptr;
    QPlainTextEdit* m_code = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_show = nullptr;
    QString m_tokenValue;
    bool m_projectChangedWhileServing = false; // a kept deployment shows its own project until stopped
    QString m_inputName, m_targetName;
    std::unique_ptr<core::PredictionServer> m_server;
    std::shared_ptr<const core::Predictor> m_servedPredictor;
    QFutureWatcher<PredictorLoad> m_watcher;
};

} // namespace fika::ui
