// SPDX-License-Identifier: GPL-3.0-or-later
#include "preferences_dialog.h"

#include "language.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>

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
    auto* note = new QLabel(tr("The whole window uses the new language after Fika restarts."), this);
    note->setWordWrap(true);
    form->addRow(note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    form->addRow(buttons);
}

void PreferencesDialog::accept()
{
    const QString choice = m_language->currentData().toString();
    saveLanguageChoice(choice);
    applyLanguage(choice);
    QDialog::accept();
}

} // namespace fika::ui
