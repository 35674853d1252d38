// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace fika::ui {

// The commands that run an experiment on several machines, one per machine to copy into its
// terminal: fika-cli train with --nnodes, --node-rank, --nproc-per-node and the rendezvous address.
class SeveralMachinesDialog : public QDialog {
    Q_OBJECT
public:
    SeveralMachinesDialog(const QString& configFile, int processesPerMachine, QWidget* parent = nullptr);

    static constexpr int kMasterPort = 29500; // torchrun's default
    // One line per machine, node rank 0 first; a path with spaces or quotes is quoted for a POSIX shell.
    static QString commands(const QString& configFile, int machines, int processesPerMachine, const QString& masterAddress);

    QString commandsText() const;
    QSpinBox* machinesBox() const { return m_machines; }
    QSpinBox* processesBox() const { return m_processes; }
    QLineEdit* addressEdit() const { return m_address; }
    QPushButton* copyButton() const { return m_copy; }

private:
    void update();

    QString m_configFile;
    QSpinBox* m_machines = nullptr;
    QSpinBox* m_processes = nullptr;
    QLineEdit* m_address = nullptr;
    QPlainTextEdit* m_commands = nullptr;
    QPushButton* m_copy = nullptr;
};

} // namespace fika::ui
