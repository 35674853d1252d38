// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace fika::ui {

class Studio;

// New / Open / Recent projects and what the open one holds.
class ProjectView : public QWidget {
    Q_OBJECT
public:
    explicit ProjectView(Studio* studio, QWidget* parent = nullptr);

    void newProjectDialog();
    void openProjectDialog();

private:
    void refresh();
    void openRecent();

    Studio* m_studio;
    QLabel* m_summary = nullptr;
    QListWidget* m_recent = nullptr;
};

} // namespace fika::ui
