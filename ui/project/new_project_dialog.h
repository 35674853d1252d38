// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;

namespace fika::ui {

// New project: a folder typed or browsed to. A folder that does not exist yet is created (a
// directory chooser only accepts folders that exist); an existing one must not hold a project.
class NewProjectDialog : public QDialog {
    Q_OBJECT
public:
    explicit NewProjectDialog(QWidget* parent = nullptr);

    QString folder() const;
    QLineEdit* folderEdit() const { return m_folder; }

private:
    void updateHint();

    QLineEdit* m_folder = nullptr;
    QLabel* m_hint = nullptr;
};

} // namespace fika::ui
