// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace fika::ui {

// Composes the views behind a left navigation (Project, Datasets, Modeling, Evaluation,
// Deployment). Owns no business logic.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    QStringList sectionNames() const;
    void showSection(int index);
    int currentSection() const;

private:
    void addSection(const QString& name, QWidget* view);

    QListWidget* m_navigation = nullptr;
    QStackedWidget* m_views = nullptr;
};

} // namespace fika::ui
