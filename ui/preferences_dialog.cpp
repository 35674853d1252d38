// SPDX-License-Identifier: GPL-3.0-or-later
#include "preferences_dialog.h"

#include "language.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>

namespace fika::ui {

PreferencesDialog::PreferencesDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Preferences"));
    auto* form = new QFormLayout(this);
    m_language = new QComboBox(this);
    m_language->addItem(tr("System default"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Svenska"), QStringLiteral("sv"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(savedLanguageChoice())));
    form->addRow(tr("&Language:"), m_language);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    form->addRow(m_note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_restart = buttons->addButton(tr("&Restart now"), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    connect(m_restart, &QPushButton::clicked, this, &PreferencesDialog::restartRequested);
    form->addRow(buttons);
    connect(m_language, &QComboBox::currentIndexChanged, this, &PreferencesDialog::updateNote);
    updateNote();
}

bool PreferencesDialog::languageChanges() const
{
    return resolveLanguage(m_language->currentData().toString()) != activeLanguage();
}

QString PreferencesDialog::noteText() const
{
    return m_note->text();
}

void PreferencesDialog::updateNote()
{
    const bool changes = languageChanges();
    m_restart->setVisible(changes);
    m_note->setText(changes ? tr("The new language takes effect when Fika restarts: until then the window keeps "
                                 "its current language. Restart now, or keep working and it applies next time.")
                            : tr("The whole window uses the new language after Fika restarts."));
}

void PreferencesDialog::accept()
{
    // Saved only: the next start applies it to every window alike.
    saveLanguageChoice(m_language->currentData().toString());
    QDialog::accept();
}

} // namespace fika::ui
