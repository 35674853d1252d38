// SPDX-License-Identifier: GPL-3.0-or-later
#include "project/project_view.h"

#include "project/new_project_dialog.h"
#include "qt_config.h"
#include "studio.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>

namespace fika::ui {

ProjectView::ProjectView(Studio* studio, QWidget* parent) : QWidget(parent), m_studio(studio)
{
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("<h2>Fika</h2><p>Fine-tune BERT text classifiers without writing code: import "
                                "labelled texts, choose how they are encoded, train, evaluate and deploy.</p>"
                                "<ol><li><b>Datasets</b>: import a CSV (e.g. IMDB reviews with <i>review</i> and "
                                "<i>sentiment</i> columns), pick a sequence length, save a version.</li>"
                                "<li><b>Modeling</b>: New experiment, check the settings, Run.</li>"
                                "<li><b>Evaluation</b>: loss curves, accuracy and the confusion matrix.</li>"
                                "<li><b>Deployment</b>: try the model on your own text.</li></ol>"),
                             this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    layout->addWidget(intro);
    auto* buttons = new QHBoxLayout;
    auto* create = new QPushButton(tr("&New project…"), this);
    create->setShortcut(QKeySequence::New);
    auto* open = new QPushButton(tr("&Open project…"), this);
    open->setShortcut(QKeySequence::Open);
    buttons->addWidget(create);
    buttons->addWidget(open);
    buttons->addStretch();
    layout->addLayout(buttons);
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    layout->addWidget(new QLabel(tr("Recent projects (double-click to open):"), this));
    m_recent = new QListWidget(this);
    layout->addWidget(m_recent, 1);
    connect(create, &QPushButton::clicked, this, &ProjectView::newProjectDialog);
    connect(open, &QPushButton::clicked, this, &ProjectView::openProjectDialog);
    connect(m_recent, &QListWidget::itemActivated, this, &ProjectView::openRecent);
    for (auto signal : {&Studio::projectChanged, &Studio::datasetsChanged, &Studio::experimentsChanged})
        connect(m_studio, signal, this, &ProjectView::refresh);
    refresh();
}

void ProjectView::refresh()
{
    const auto& project = m_studio->project();
    if (!project)
        m_summary->setText(tr("No project open: datasets and experiments are kept in Fika's data folder until you "
                              "create one."));
    else
        m_summary->setText(tr("<b>%1</b> in %2: %3 dataset versions, %4 experiments")
                               .arg(toQString(project->name).toHtmlEscaped(), toQString(project->dir).toHtmlEscaped())
                               .arg(m_studio->datasetVersions().size())
                               .arg(m_studio->experiments().size()));
    m_recent->clear();
    for (const QString& dir : m_studio->recentProjects())
        m_recent->addItem(dir);
}

void ProjectView::newProjectDialog()
{
    NewProjectDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted || dialog.folder().isEmpty())
        return;
    const QString dir = dialog.folder();
    QString error;
    if (!m_studio->newProject(dir, QFileInfo(dir).fileName(), &error) && !error.isEmpty())
        QMessageBox::warning(this, tr("Project not created"), error);
}

void ProjectView::openProjectDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open project folder"));
    QString error;
    if (!dir.isEmpty() && !m_studio->openProject(dir, &error) && !error.isEmpty())
        QMessageBox::warning(this, tr("Project not opened"), error);
}

void ProjectView::openRecent()
{
    QString error;
    if (auto* item = m_recent->currentItem(); item && !m_studio->openProject(item->text(), &error) && !error.isEmpty())
        QMessageBox::warning(this, tr("Project not opened"), error);
}

} // namespace fika::ui
