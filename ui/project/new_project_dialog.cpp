// SPDX-License-Identifier: GPL-3.0-or-later
#include "project/new_project_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>

namespace fika::ui {
namespace {

// "~/Documents/Fika/project", or project-2, … : a name no folder has yet.
QString suggestedFolder()
{
    const QString base = QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                             .filePath(QStringLiteral("Fika/project"));
    QString folder = base;
    for (int n = 2; QFileInfo::exists(folder); ++n)
        folder = QStringLiteral("%1-%2").arg(base).arg(n);
    return folder;
}

} // namespace

NewProjectDialog::NewProjectDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("New project"));
    auto* form = new QFormLayout(this);
    auto* row = new QHBoxLayout;
    m_folder = new QLineEdit(QDir::toNativeSeparators(suggestedFolder()), this);
    m_folder->setMinimumWidth(360);
    auto* browse = new QPushButton(tr("&Browse…"), this);
    row->addWidget(m_folder, 1);
    row->addWidget(browse);
    auto* label = new QLabel(tr("&Folder:"), this); // a label with a buddy shows its shortcut, not the '&'
    label->setBuddy(m_folder);
    form->addRow(label, row);
    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    form->addRow(QString(), m_hint);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Create"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &NewProjectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &NewProjectDialog::reject);
    connect(m_folder, &QLineEdit::textChanged, this, [this, ok = buttons->button(QDialogButtonBox::Ok)] {
        ok->setEnabled(!m_folder->text().trimmed().isEmpty());
        updateHint();
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("New project: choose a folder"), folder());
        if (!dir.isEmpty())
            m_folder->setText(QDir::toNativeSeparators(dir));
    });
    updateHint();
}

QString NewProjectDialog::folder() const
{
    QString text = QDir::fromNativeSeparators(m_folder->text().trimmed());
    if (text.isEmpty())
        return {};
    if (text == QStringLiteral("~") || text.startsWith(QStringLiteral("~/")))
        text.replace(0, 1, QDir::homePath());
    return QDir::cleanPath(QFileInfo(text).absoluteFilePath());
}

void NewProjectDialog::updateHint()
{
    const QFileInfo info(folder());
    if (!info.exists())
        m_hint->setText(tr("The folder does not exist yet: Fika creates it."));
    else if (QFileInfo::exists(QDir(folder()).filePath(QStringLiteral("project.yaml"))))
        m_hint->setText(tr("This folder already holds a Fika project: use Open project instead."));
    else
        m_hint->setText(tr("Fika keeps the project's datasets and experiments in this folder."));
}

} // namespace fika::ui
