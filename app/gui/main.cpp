// SPDX-License-Identifier: GPL-3.0-or-later
// fika: the desktop app.
#include "main_window.h"
#include "runtime/runtime.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Fika"));
    QApplication::setOrganizationName(QStringLiteral("Fika"));
    QApplication::setApplicationVersion(QStringLiteral(FIKA_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Desktop studio for fine-tuning BERT text classifiers"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    fika::core::initRuntime();
    fika::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
