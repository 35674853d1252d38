// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

namespace fika::ui {

class MainWindow;

// Drives the real window through the tutorial on a dataset and saves a PNG of every view and
// dialog on the way (fika --screenshot-tour DIR --dataset CSV): import with the histogram, the
// wizard, Modeling with settings, one epoch of a tiny model, Evaluation with the most confidently
// misclassified review explained, the tester answering and explaining.
class ScreenshotTour : public QObject {
    Q_OBJECT
public:
    ScreenshotTour(MainWindow* window, QString dataset, QString outDir, QObject* parent = nullptr);
    void start();

Q_SIGNALS:
    void done(bool ok);

private:
    void save(QWidget* widget, const QString& name);
    void fail(const QString& why);
    void afterImport(bool ok);
    void afterTraining(bool ok);
    void afterEvaluation();
    void showTester();

    MainWindow* m_window;
    QString m_dataset;
    QString m_outDir;
};

} // namespace fika::ui
