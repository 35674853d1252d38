// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/csv_import.h"

#include <QDialog>

class QComboBox;
class QLabel;

namespace fika::ui {

// Before a CSV is imported: which column holds the texts and which the labels (guessed: the
// longest texts, the fewest distinct values), and the delimiter that was detected.
class ImportColumnsDialog : public QDialog {
    Q_OBJECT
public:
    ImportColumnsDialog(const QString& csvPath, const core::CsvColumns& columns, QWidget* parent = nullptr);

    QString textColumn() const;
    QString labelColumn() const;
    QString detectedText() const;
    QComboBox* textBox() const { return m_text; }
    QComboBox* labelBox() const { return m_label; }

private:
    void check();

    QComboBox* m_text = nullptr;
    QComboBox* m_label = nullptr;
    QLabel* m_detected = nullptr;
    QLabel* m_problem = nullptr;
    class QPushButton* m_ok = nullptr;
};

// How a delimiter is named to the user: "comma (,)", "semicolon (;)", "tab".
QString delimiterText(char delimiter);

} // namespace fika::ui
