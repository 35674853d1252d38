// SPDX-License-Identifier: GPL-3.0-or-later
#include "datasets/import_columns_dialog.h"

#include "qt_config.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>

namespace fika::ui {

QString delimiterText(char delimiter)
{
    switch (delimiter) {
    case ',': return ImportColumnsDialog::tr("comma (,)");
    case ';': return ImportColumnsDialog::tr("semicolon (;)");
    case '\t': return ImportColumnsDialog::tr("tab");
    default: return QStringLiteral("'%1'").arg(QLatin1Char(delimiter));
    }
}

ImportColumnsDialog::ImportColumnsDialog(const QString& csvPath, const core::CsvColumns& columns, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Import %1").arg(QFileInfo(csvPath).fileName()));
    auto* form = new QFormLayout(this);
    m_detected = new QLabel(tr("Fields separated by a %1 (detected); %n column(s).", nullptr,
                               static_cast<int>(columns.names.size()))
                                .arg(delimiterText(columns.delimiter)),
                            this);
    m_detected->setWordWrap(true);
    form->addRow(m_detected);
    m_text = new QComboBox(this);
    m_label = new QComboBox(this);
    for (const auto& name : columns.names) {
        m_text->addItem(toQString(name));
        m_label->addItem(toQString(name));
    }
    m_text->setCurrentText(toQString(columns.textGuess));
    m_label->setCurrentText(toQString(columns.labelGuess));
    m_text->setToolTip(tr("The input: guessed as the column with the longest texts"));
    m_label->setToolTip(tr("The target: guessed as the column with the fewest distinct values"));
    form->addRow(tr("&Text column:"), m_text);
    form->addRow(tr("&Label column:"), m_label);
    m_problem = new QLabel(this);
    m_problem->setStyleSheet(QStringLiteral("color:#c0392b"));
    form->addRow(m_problem);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Import"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_text, &QComboBox::currentIndexChanged, this, &ImportColumnsDialog::check);
    connect(m_label, &QComboBox::currentIndexChanged, this, &ImportColumnsDialog::check);
    check();
}

void ImportColumnsDialog::check()
{
    QString problem;
    if (m_text->count() < 2)
        problem = tr("The file needs at least two columns: a text and a label. Is it a CSV?");
    else if (m_text->currentIndex() == m_label->currentIndex())
        problem = tr("The text and the label must be different columns.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_ok->setEnabled(problem.isEmpty());
}

QString ImportColumnsDialog::textColumn() const
{
    return m_text->currentText();
}

QString ImportColumnsDialog::labelColumn() const
{
    return m_label->currentText();
}

QString ImportColumnsDialog::detectedText() const
{
    return m_detected->text();
}

} // namespace fika::ui
