// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace fika::ui {

class DatasetsView;

// Composes the views behind a left navigation (Project, Datasets, Modeling, Evaluation,
// Deployment). Owns no business logic.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    QStringList sectionNames() const;
    void showSection(int index);
    int currentSection() const;
    DatasetsView* datasetsView() const { return m_datasets; }

private:
    void addSection(const QString& name, QWidget* view);

    QListWidget* m_navigation = nullptr;
    QStackedWidget* m_views = nullptr;
    DatasetsView* m_datasets = nullptr;
};

} // namespace fika::ui
