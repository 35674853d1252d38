// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QPushButton;

namespace fika::ui {

// Preferences: the language (system, English, Swedish). A new language takes effect at the next
// start, for the whole window at once (switching only the parts built afterwards left it half
// translated); "Restart now" saves and asks the window to restart the app.
class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget* parent = nullptr);
    void accept() override;
    QComboBox* languageBox() const { return m_language; }
    QPushButton* restartButton() const { return m_restart; }
    QString noteText() const;
    bool languageChanges() const; // the chosen language differs from the one in use

Q_SIGNALS:
    void restartRequested();

private:
    void updateNote();

    QComboBox* m_language = nullptr;
    QLabel* m_note = nullptr;
    QPushButton* m_restart = nullptr;
};

} // namespace fika::ui
