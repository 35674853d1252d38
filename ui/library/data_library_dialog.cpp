// SPDX-License-Identifier: GPL-3.0-or-later
#include "library/data_library_dialog.h"
#include "error_text.h"

#include "pool_work.h"
#include "qt_config.h"

#include "runtime/runtime.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QPointer>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace fika::ui {
namespace {

// The names of resources/catalog.yaml, for translation: the catalog is data, in English, and shown
// through tr() a name here appears in the interface's language (tst_newcomer_walk checks the list
// holds every name of the bundled catalog). A name not here is shown as the catalog writes it.
const char* const kCatalogNames[] = {
    QT_TRANSLATE_NOOP("fika::ui::DataLibraryDialog", "IMDB Large Movie Review Dataset (Maas et al. 2011), about 84 MB"),
    QT_TRANSLATE_NOOP("fika::ui::DataLibraryDialog", "BERT base, English, uncased (110 M parameters)"),
    QT_TRANSLATE_NOOP("fika::ui::DataLibraryDialog", "BERT base, 104 languages, cased (178 M parameters)"),
    QT_TRANSLATE_NOOP("fika::ui::DataLibraryDialog", "BERT tiny, English, uncased (4.4 M parameters)"),
    QT_TRANSLATE_NOOP("fika::ui::DataLibraryDialog", "BERT mini, English, uncased (11 M parameters)"),
    QT_TRANSLATE_NOOP("fika::ui::DataLibraryDialog", "BERT small, English, uncased (29 M parameters)"),
    QT_TRANSLATE_NOOP("fika::ui::DataLibraryDialog", "BERT medium, English, uncased (41 M parameters)"),
};

} // namespace

QStringList DataLibraryDialog::translatableCatalogNames()
{
    QStringList names;
    for (const char* name : kCatalogNames)
        names << QString::fromUtf8(name);
    return names;
}

QString DataLibraryDialog::catalogName(const std::string& name)
{
    return tr(name.c_str());
}

DataLibraryDialog::DataLibraryDialog(QWidget* parent) : QDialog(parent), m_cache(toQString(core::fikaCacheDir()))
{
    setWindowTitle(tr("Data library"));
    resize(620, 420);
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Datasets and pretrained models to download into %1.").arg(m_cache), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_items = new QListWidget(this);
    layout->addWidget(m_items, 1);
    m_progress = new QProgressBar(this);
    m_progress->setVisible(false);
    layout->addWidget(m_progress);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::RichText);
    layout->addWidget(m_status);
    auto* buttons = new QHBoxLayout;
    m_download = new QPushButton(tr("&Download"), this);
    m_stop = new QPushButton(tr("&Stop"), this);
    m_stop->setEnabled(false);
    auto* local = new QPushButton(tr("Use a &local folder…"), this);
    auto* close = new QPushButton(tr("Close"), this);
    buttons->addWidget(m_download);
    buttons->addWidget(m_stop);
    buttons->addWidget(local);
    buttons->addStretch();
    buttons->addWidget(close);
    layout->addLayout(buttons);
    connect(m_download, &QPushButton::clicked, this, &DataLibraryDialog::download);
    connect(m_items, &QListWidget::itemDoubleClicked, this, &DataLibraryDialog::download);
    connect(m_stop, &QPushButton::clicked, this, [this] {
        if (m_stopFlag)
            *m_stopFlag = true;
    });
    connect(local, &QPushButton::clicked, this, &DataLibraryDialog::useLocalFolder);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, &DataLibraryDialog::onFinished);

    auto catalog = core::loadCatalog(core::bundledCatalogPath());
    if (!catalog)
        m_status->setText(ErrorText::text(catalog.error()).toHtmlEscaped());
    else
        m_catalog = std::move(catalog.value());
    refresh();
}

DataLibraryDialog::~DataLibraryDialog()
{
    if (m_stopFlag)
        *m_stopFlag = true;
    m_watcher.waitForFinished();
}

void DataLibraryDialog::refresh()
{
    m_items->clear();
    const auto cached = core::cachedModels(m_catalog, toStdString(m_cache));
    for (const auto& d : m_catalog.datasets) {
        auto* item = new QListWidgetItem(tr("Dataset: %1").arg(catalogName(d.name)), m_items);
        item->setData(Qt::UserRole, toQString(d.id));
        item->setData(Qt::UserRole + 1, true);
        item->setToolTip(toQString(d.url));
    }
    for (const auto& m : m_catalog.models) {
        const bool have = std::find(cached.begin(), cached.end(), m.id) != cached.end();
        auto* item = new QListWidgetItem(tr("Model: %1%2").arg(catalogName(m.name), have ? tr(" — downloaded") : QString()), m_items);
        item->setData(Qt::UserRole, toQString(m.id));
        item->setData(Qt::UserRole + 1, false);
        item->setToolTip(toQString(m_catalog.hub + "/" + m.repo));
    }
    m_items->setCurrentRow(0);
}

void DataLibraryDialog::download()
{
    auto* item = m_items->currentItem();
    if (!item || m_watcher.isRunning())
        return;
    const std::string id = toStdString(item->data(Qt::UserRole).toString());
    m_currentIsDataset = item->data(Qt::UserRole + 1).toBool();
    m_stopFlag = std::make_shared<std::atomic<bool>>(false);
    m_progress->setVisible(true);
    m_progress->setRange(0, 0);
    m_status->setText(tr("Downloading %1…").arg(item->text().toHtmlEscaped()));
    m_download->setEnabled(false);
    m_stop->setEnabled(true);
    QPointer<QProgressBar> progress = m_progress;
    m_watcher.setFuture(QtConcurrent::run([catalog = m_catalog, id, dataset = m_currentIsDataset, cache = toStdString(m_cache),
                                           stop = m_stopFlag, progress] {
        core::JobContext context;
        context.stopRequested = stop.get();
        int lastPermille = -1;
        context.progress = [&](int64_t done, int64_t total) {
            const int permille = total > 0 ? static_cast<int>(1000 * done / total) : -1;
            if (permille == lastPermille)
                return;
            lastPermille = permille;
            QMetaObject::invokeMethod(
                progress, [progress, permille] {
                    if (!progress)
                        return;
                    progress->setRange(0, permille < 0 ? 0 : 1000);
                    if (permille >= 0)
                        progress->setValue(permille);
                },
                Qt::QueuedConnection);
        };
        return resultOrError<std::string>(id, [&] {
            return dataset ? core::fetchDataset(catalog, id, cache, &context) : core::fetchModel(catalog, id, cache, &context);
        });
    }));
}

void DataLibraryDialog::onFinished()
{
    const auto result = m_watcher.result();
    m_progress->setVisible(false);
    m_download->setEnabled(true);
    m_stop->setEnabled(false);
    if (!result->ok()) {
        m_status->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(ErrorText::text(result->error()).toHtmlEscaped()));
        return;
    }
    const QString folder = toQString(result->value());
    m_status->setText(tr("Ready in %1").arg(folder.toHtmlEscaped()));
    refresh();
    if (m_currentIsDataset)
        Q_EMIT datasetReady(folder);
    else
        Q_EMIT modelReady(folder);
}

void DataLibraryDialog::useLocalFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("A dataset folder (one sub-folder per class) or a Hugging Face model folder"));
    if (folder.isEmpty())
        return;
    if (QFileInfo::exists(folder + QStringLiteral("/config.json")))
        Q_EMIT modelReady(folder);
    else
        Q_EMIT datasetReady(folder);
    accept();
}

} // namespace fika::ui
