// SPDX-License-Identifier: GPL-3.0-or-later
// fika: the desktop app.
#include "datasets/datasets_view.h"
#include "language.h"
#include "main_window.h"
#include "runtime/runtime.h"
#include "runtime/startup_environment.h"
#include "screenshot_tour.h"
#include "studio.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv)
{
    fika::core::restartWithTunedEnvironment(argv, true); // before anything: OpenBLAS and OpenMP have read their settings
    // Answer --version without a display, so that packaging checks run headless.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) {
            std::printf("Fika %s\n", FIKA_VERSION);
            return 0;
        }
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0)
            qputenv("QT_QPA_PLATFORM", "offscreen"); // help needs no display either
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Fika"));
    QApplication::setOrganizationName(QStringLiteral("Fika"));
    QApplication::setApplicationVersion(QStringLiteral(FIKA_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/fika.svg")));
    QApplication::setDesktopFileName(QStringLiteral("io.github.fika.Fika"));

    fika::ui::applyLanguage(fika::ui::savedLanguageChoice());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Desktop studio for fine-tuning BERT text classifiers"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save a PNG of the main window to <file> and quit."),
                                        QStringLiteral("file"));
    parser.addOption(screenshot);
    const QCommandLineOption dataset(QStringLiteral("dataset"),
                                     QStringLiteral("Import <path> (a CSV file or a folder) into the Datasets view."),
                                     QStringLiteral("path"));
    parser.addOption(dataset);
    const QCommandLineOption tour(QStringLiteral("screenshot-tour"),
                                  QStringLiteral("Walk through the tutorial on --dataset, saving a PNG of each view to <dir>, and quit."),
                                  QStringLiteral("dir"));
    parser.addOption(tour);
    parser.process(app);

    fika::core::initRuntime();
    fika::ui::MainWindow window;
    if (parser.isSet(tour)) { // the tour starts from no project, as a newcomer does
        window.showMaximized();
    } else {
        window.studio()->reopenLastProject();
        window.show();
    }
    auto takeScreenshot = [&window, file = parser.value(screenshot)] {
        QTimer::singleShot(500, &window, [&window, file] { QApplication::exit(window.grab().save(file) ? 0 : 1); });
    };
    if (parser.isSet(tour)) {
        if (!parser.isSet(dataset)) {
            std::fprintf(stderr, "fika: --screenshot-tour needs --dataset CSV\n");
            return 2;
        }
        auto* guide = new fika::ui::ScreenshotTour(&window, parser.value(dataset), parser.value(tour), &window);
        QObject::connect(guide, &fika::ui::ScreenshotTour::done, &app, [](bool ok) { QApplication::exit(ok ? 0 : 1); });
        QTimer::singleShot(300, guide, &fika::ui::ScreenshotTour::start);
    } else if (parser.isSet(dataset)) {
        window.showSection(1);
        if (parser.isSet(screenshot))
            QObject::connect(window.datasetsView(), &fika::ui::DatasetsView::importFinished, &window, takeScreenshot);
        window.datasetsView()->importPath(parser.value(dataset));
    } else if (parser.isSet(screenshot)) {
        takeScreenshot();
    }
    return QApplication::exec();
}
