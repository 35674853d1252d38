// SPDX-License-Identifier: GPL-3.0-or-later
#include "main_window.h"

#include "datasets/datasets_view.h"
#include "qt_config.h"
#include "runtime/runtime.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>
#include <QStatusBar>

namespace fika::ui {
namespace {

QWidget* makePlaceholder(const QString& title, const QString& text, QWidget* parent)
{
    auto* page = new QWidget(parent);
    auto* layout = new QVBoxLayout(page);
    auto* heading = new QLabel(QStringLiteral("<h2>%1</h2>").arg(title.toHtmlEscaped()), page);
    auto* body = new QLabel(text, page);
    body->setWordWrap(true);
    layout->addWidget(heading);
    layout->addWidget(body);
    layout->addStretch();
    return page;
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Fika"));
    resize(1100, 720);

    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    m_navigation = new QListWidget(central);
    m_navigation->setFixedWidth(180);
    m_views = new QStackedWidget(central);
    layout->addWidget(m_navigation);
    layout->addWidget(m_views, 1);
    setCentralWidget(central);

    addSection(tr("Project"), makePlaceholder(tr("Project"),
                                              tr("Fika fine-tunes BERT text classifiers: import reviews, encode them, "
                                                 "train, evaluate and deploy."),
                                              m_views));
    m_datasets = new DatasetsView(m_views);
    addSection(tr("Datasets"), m_datasets);
    addSection(tr("Modeling"), makePlaceholder(tr("Modeling"), tr("Build and train a BERT classifier."), m_views));
    addSection(tr("Evaluation"), makePlaceholder(tr("Evaluation"), tr("Loss curves and the confusion matrix."), m_views));
    addSection(tr("Deployment"), makePlaceholder(tr("Deployment"), tr("Serve a checkpoint on a local HTTP API."), m_views));

    connect(m_navigation, &QListWidget::currentRowChanged, m_views, &QStackedWidget::setCurrentIndex);
    m_navigation->setCurrentRow(0);
    statusBar()->showMessage(tr("Fika %1 — LibTorch %2, %3 compute threads")
                                 .arg(toQString(core::fikaVersion()), toQString(core::torchVersion()))
                                 .arg(core::computeThreads()));
}

void MainWindow::addSection(const QString& name, QWidget* view)
{
    m_navigation->addItem(name);
    m_views->addWidget(view);
}

QStringList MainWindow::sectionNames() const
{
    QStringList names;
    for (int i = 0; i < m_navigation->count(); ++i)
        names << m_navigation->item(i)->text();
    return names;
}

void MainWindow::showSection(int index)
{
    m_navigation->setCurrentRow(index);
}

int MainWindow::currentSection() const
{
    return m_views->currentIndex();
}

} // namespace fika::ui
