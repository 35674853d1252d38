// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/dataset.h"
#include "data/dataset_version.h"
#include "data/subsets.h"
#include "text/length_stats.h"

#include <QFutureWatcher>
#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialog;
class QToolButton;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace fika::ui {

class DatasetTableModel;
class LengthHistogram;

// What a background import produces: the dataset, its report, its token lengths and its source's
// hash (for Save version, so that the window never hashes the files).
struct ImportOutcome {
    bool ok = false;
    QString error;
    std::shared_ptr<const core::Dataset> dataset;
    core::ImportReport report;
    core::LengthStats lengths;
    QString sourcePath;
    core::DatasetSource source;
    // A folder of splits (aclImdb's train/ and test/): the folder chosen, the split read (sourcePath
    // is the chosen folder for train/, the split's own folder for another) and every split there.
    QString splitRoot;
    QString split;
    std::vector<core::SplitFolder> splits;
};

// Import a CSV or a class-per-folder tree (button or drag-and-drop) on a worker thread with a
// progress bar; preview the rows; choose the encoding (sequence length, truncation) against a live
// token-length histogram; split into subsets; save a dataset version (YAML).
class DatasetsView : public QWidget {
    Q_OBJECT
public:
    explicit DatasetsView(QWidget* parent = nullptr);
    ~DatasetsView() override;

    void importPath(const QString& path); // starts a background import (a CSV's guessed columns)
    // `split`: which split of a folder of splits to read (empty: train/, as fika-cli's --split).
    void importPath(const QString& path, const QString& textColumn, const QString& labelColumn,
                    const QString& split = QString());
    void chooseCsv();                     // file dialog, then the columns dialog, then import
    void askColumnsAndImport(const QString& path); // the columns dialog (guesses, delimiter), then import
    QDialog* columnsDialog() const { return m_columnsDialog; } // open while exec() runs, for tests
    bool saveVersion(const QString& path, QString* error = nullptr);
    void setVersionsFolder(const QString& folder); // where Save version and Use in new experiment write
    // The saved versions (of the open project) and one of them shown: its summary and settings, and
    // its rows when its source is still there (imported again on a worker thread).
    QStringList savedVersions() const;
    QComboBox* versionsBox() const { return m_versions; }
    QComboBox* splitBox() const { return m_split; } // shown for a folder of splits; choosing one imports it
    void showVersion(const QString& file);
    QString versionFile(const QString& name) const;

    int sequenceLength() const;
    void setSequenceLength(int length);
    QString truncationSummary() const;
    const DatasetTableModel* tableModel() const { return m_model; }
    QString subsetSummary() const;
    QString importSummary() const; // the line over the table: what was imported, or why not
    QDialog* encodingDialog() const { return m_encodingDialog; }
    void showTextEncoding() { openEncodingDialog(true); } // the wrench of the text column

Q_SIGNALS:
    void importFinished(bool ok);
    void versionSaved(const QString& file);
    void useInNewExperiment(const QString& versionFile);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;


private:
    void chooseFolder();
    void onImported();
    void showImportFailure(const QString& why);
    void showSplits();
    void updateSubsets();
    void balanceSubsets(QDoubleSpinBox* edited);
    core::SubsetSpec subsetSpec() const;
    QString defaultVersionName() const;
    QString freeVersionName(const QString& name) const; // name, else name-2, name-3 … not saved yet
    // A version of the current import with the view's settings; isSavedAs: `file` holds just that.
    core::Result<core::DatasetVersion> currentVersion(const QString& name) const;
    bool isSavedAs(const QString& file) const;
    void recountTokens();
    void openEncodingDialog(bool textColumn);
    void refreshVersions();
    void applyVersionSettings(const core::DatasetVersion& version);

    QPushButton* m_importCsv = nullptr;
    QPushButton* m_importFolder = nullptr;
    QLabel* m_splitLabel = nullptr;
    QComboBox* m_split = nullptr;
    QPushButton* m_saveVersion = nullptr;
    QPushButton* m_useInExperiment = nullptr;
    QString m_versionsFolder;
    QProgressBar* m_progress = nullptr;
    QLabel* m_summary = nullptr;
    QListWidget* m_problems = nullptr;
    QTableView* m_table = nullptr;
    DatasetTableModel* m_model = nullptr;
    LengthHistogram* m_histogram = nullptr;
    QSpinBox* m_sequenceLength = nullptr;
    QComboBox* m_truncation = nullptr;
    QComboBox* m_languageModel = nullptr;
    QToolButton* m_textColumnButton = nullptr;
    QToolButton* m_labelColumnButton = nullptr;
    QDialog* m_encodingDialog = nullptr; // open while exec() runs, for screenshots
    QDialog* m_columnsDialog = nullptr;
    QDoubleSpinBox* m_training = nullptr;
    QDoubleSpinBox* m_validation = nullptr;
    QDoubleSpinBox* m_test = nullptr;
    QSpinBox* m_seed = nullptr;
    QCheckBox* m_stratified = nullptr;
    QLabel* m_subsetCounts = nullptr;
    QComboBox* m_versions = nullptr;
    std::optional<core::DatasetVersion> m_shownVersion; // while its source is imported again

    QFutureWatcher<ImportOutcome> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    ImportOutcome m_current;
};

} // namespace fika::ui
