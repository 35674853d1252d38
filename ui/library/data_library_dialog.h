// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "download/library.h"

#include <QDialog>
#include <QFutureWatcher>

#include <atomic>
#include <memory>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace fika::ui {

// The data library: the IMDB dataset and pretrained BERTs from the catalog, downloaded with
// progress (resumable, checksummed) into Fika's cache. Offline, it says so and offers a local folder.
class DataLibraryDialog : public QDialog {
    Q_OBJECT
public:
    explicit DataLibraryDialog(QWidget* parent = nullptr);
    ~DataLibraryDialog() override;

    // A catalog entry's name in the interface's language, where a translation has it.
    static QString catalogName(const std::string& name);
    static QStringList translatableCatalogNames(); // the names marked for translation

Q_SIGNALS:
    void datasetReady(const QString& folder); // import it
    void modelReady(const QString& folder);   // use it as initial weights

private:
    void refresh();
    void download();
    void useLocalFolder();
    void onFinished();

    core::Catalog m_catalog;
    QString m_cache;
    QListWidget* m_items = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_download = nullptr;
    QPushButton* m_stop = nullptr;
    bool m_currentIsDataset = false;
    std::shared_ptr<std::atomic<bool>> m_stopFlag;
    QFutureWatcher<std::shared_ptr<core::Result<std::string>>> m_watcher;
};

} // namespace fika::ui
