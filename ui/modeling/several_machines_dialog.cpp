// SPDX-License-Identifier: GPL-3.0-or-later
#include "modeling/several_machines_dialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QSpinBox>
#include <QSysInfo>
#include <QVBoxLayout>

#include <algorithm>

namespace fika::ui {
namespace {

// The word as a POSIX shell reads it back: quoted when it holds anything but plain path characters.
QString shellWord(const QString& word)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:=+-]+$"));
    if (plain.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

SeveralMachinesDialog::SeveralMachinesDialog(const QString& configFile, int processesPerMachine, QWidget* parent)
    : QDialog(parent), m_configFile(configFile)
{
    setWindowTitle(tr("Commands for several machines"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Run one command on each machine, the first on the machine named below: the others "
                                "connect to it on TCP port %1. Every machine needs Fika, the same data at the same path "
                                "and this config file. With the run folder (output.dir) on a disk they all share, "
                                "--resume added to every command continues a stopped run, and this computer shows "
                                "the curves in the Evaluation view as they are written.")
                                 .arg(kMasterPort),
                              this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint); // spin boxes as wide as the screen read badly
    m_machines = new QSpinBox(this);
    m_machines->setRange(2, 1024);
    m_processes = new QSpinBox(this);
    m_processes->setRange(1, 1024);
    m_processes->setValue(processesPerMachine);
    m_address = new QLineEdit(QSysInfo::machineHostName(), this);
    m_address->setMinimumWidth(m_address->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 36);
    m_address->setToolTip(tr("The name or IP address of the first machine (node rank 0) as the others reach it"));
    form->addRow(tr("&Machines:"), m_machines);
    form->addRow(tr("&Processes on each machine:"), m_processes);
    form->addRow(tr("&Address of the first machine:"), m_address);
    layout->addLayout(form);
    m_commands = new QPlainTextEdit(this);
    m_commands->setReadOnly(true);
    m_commands->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_commands->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_commands, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_copy = buttons->addButton(tr("&Copy"), QDialogButtonBox::ActionRole);
    m_copy->setToolTip(tr("Copies every command to the clipboard"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(commandsText()); });
    connect(m_machines, &QSpinBox::valueChanged, this, &SeveralMachinesDialog::update);
    connect(m_processes, &QSpinBox::valueChanged, this, &SeveralMachinesDialog::update);
    connect(m_address, &QLineEdit::textChanged, this, &SeveralMachinesDialog::update);
    update();
    // Wide enough for a whole command where the screen allows: a cut-off line hides its options.
    int longest = 0;
    for (const QString& line : commandsText().split(QLatin1Char('\n')))
        longest = std::max(longest, m_commands->fontMetrics().horizontalAdvance(line));
    const QScreen* screen = parent ? parent->screen() : QGuiApplication::primaryScreen();
    const int available = screen ? screen->availableGeometry().width() * 9 / 10 : 1200;
    resize(std::clamp(longest + 60, 640, std::max(640, available)), 360);
}

QString SeveralMachinesDialog::commands(const QString& configFile, int machines, int processesPerMachine,
                                        const QString& masterAddress)
{
    QStringList lines;
    for (int rank = 0; rank < machines; ++rank)
        lines << QStringLiteral("fika-cli train --config %1 --nnodes %2 --node-rank %3 --nproc-per-node %4 "
                                "--master-addr %5 --master-port %6")
                     .arg(shellWord(configFile))
                     .arg(machines)
                     .arg(rank)
                     .arg(processesPerMachine)
                     .arg(shellWord(masterAddress.trimmed()))
                     .arg(kMasterPort);
    return lines.join(QLatin1Char('\n'));
}

QString SeveralMachinesDialog::commandsText() const
{
    return m_commands->toPlainText();
}

void SeveralMachinesDialog::update()
{
    m_commands->setPlainText(commands(m_configFile, m_machines->value(), m_processes->value(), m_address->text()));
}

} // namespace fika::ui
