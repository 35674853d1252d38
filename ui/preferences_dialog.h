// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QComboBox;

namespace fika::ui {

// Preferences: the language (system, English, Swedish). Takes effect for windows opened after the
// change, and for the whole app at its next start.
class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget* parent = nullptr);
    void accept() override;
    QComboBox* languageBox() const { return m_language; }

private:
    QComboBox* m_language = nullptr;
};

} // namespace fika::ui
