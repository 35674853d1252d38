// SPDX-License-Identifier: GPL-3.0-or-later
#include "datasets/datasets_view.h"
#include "error_text.h"

#include "datasets/dataset_table_model.h"
#include "datasets/import_columns_dialog.h"
#include "datasets/length_histogram.h"
#include "pool_work.h"
#include "qt_config.h"
#include "ui_format.h"

#include "data/csv_import.h"
#include "data/dataset_version.h"
#include "data/folder_import.h"
#include "project/project.h"
#include "runtime/runtime.h"
#include "text/tokenizer.h"

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QStandardItemModel>
#include <QStyle>
#include <QToolButton>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QInputDialog>
#include <QLineEdit>
#include <QLocale>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <utility>

namespace fika::ui {
namespace {

// The split a folder of splits is imported from: the one asked for, else train/ (as fika-cli's
// --split), else the first.
QString chosenSplit(const std::vector<core::SplitFolder>& splits, const QString& asked)
{
    for (const QString& name : {asked, QStringLiteral("train")})
        for (const auto& split : splits)
            if (toQString(split.name) == name)
                return name;
    return toQString(splits.front().name);
}

// Runs on a worker thread: import, token lengths with the bundled vocabulary, then the source's
// hash (the files the import read) that a saved version records. A folder of splits (aclImdb's
// train/ and test/) is read from the split asked for.
ImportOutcome importOnWorker(const QString& chosenPath, const core::CsvImportOptions& csv, const QString& askedSplit,
                             const std::shared_ptr<std::atomic<bool>>& cancel, QObject* receiver, QProgressBar* progress)
{
    ImportOutcome outcome;
    QString path = chosenPath;
    if (QFileInfo(path).isDir()) {
        outcome.splits = core::listSplitFolders(toStdString(path));
        if (!outcome.splits.empty()) {
            outcome.splitRoot = path;
            outcome.split = chosenSplit(outcome.splits, askedSplit);
            // A dataset version records a folder, not a split, and training reads a folder's train/:
            // another split is imported as a folder of its own, which a saved version and a run then
            // read alike.
            if (outcome.split != QStringLiteral("train"))
                path = QDir(path).filePath(outcome.split);
        }
    }
    outcome.sourcePath = path;
    core::JobContext context;
    context.stopRequested = cancel.get();
    int lastPercent = -1;
    context.progress = [&](int64_t done, int64_t total) {
        const int percent = total > 0 ? static_cast<int>(100 * done / total) : 0;
        if (percent != lastPercent) { // at most 100 updates, queued to the UI thread
            lastPercent = percent;
            QMetaObject::invokeMethod(receiver, [progress, percent] { progress->setValue(percent); }, Qt::QueuedConnection);
        }
    };
    const std::string file = toStdString(path);
    auto imported = QFileInfo(path).isDir() ? core::importFolder(file, {}, context) : core::importCsv(file, csv, context);
    if (!imported) {
        outcome.error = ErrorText::text(imported.error());
        return outcome;
    }
    auto tokenizer = core::Tokenizer::fromVocabFile(core::bundledVocabPath());
    if (!tokenizer) {
        outcome.error = ErrorText::text(tokenizer.error());
        return outcome;
    }
    auto dataset = std::make_shared<core::Dataset>(std::move(imported->dataset));
    outcome.report = std::move(imported->report);
    std::vector<std::string_view> texts(dataset->texts.begin(), dataset->texts.end());
    outcome.lengths = core::LengthStats::fromLengths(tokenizer->tokenCounts(texts, 0));
    auto source = core::describeSource(file);
    if (!source) {
        outcome.error = ErrorText::text(source.error());
        return outcome;
    }
    outcome.source = std::move(source.value());
    outcome.dataset = std::move(dataset);
    outcome.ok = true;
    return outcome;
}

// What the pool runs: whatever the import throws becomes the outcome's error, never an exception
// that QFutureWatcher::result() would rethrow into the event loop.
ImportOutcome runImport(const QString& path, core::CsvImportOptions csv, QString split,
                        std::shared_ptr<std::atomic<bool>> cancel, QObject* receiver, QProgressBar* progress)
{
    try {
        return importOnWorker(path, csv, split, cancel, receiver, progress);
    } catch (...) {
        ImportOutcome outcome;
        outcome.sourcePath = path;
        outcome.error = toQString(currentExceptionMessage());
        return outcome;
    }
}

// "20,000 training, 5,000 validation, 0 test examples; sequence length 128, truncation head;
// classes negative (12,500), positive (12,500)": numbers as the language writes them.
QString versionDetails(const core::DatasetVersion& version)
{
    const QLocale locale;
    QStringList classes;
    for (size_t c = 0; c < version.classes.size(); ++c)
        classes << QStringLiteral("%1 (%2)").arg(toQString(version.classes[c]),
                                                 c < version.classCounts.size() ? locale.toString(version.classCounts[c])
                                                                                : QStringLiteral("?"));
    return DatasetsView::tr("%1 training, %2 validation, %3 test examples; sequence length %4, truncation %5; classes %6.")
        .arg(locale.toString(version.trainingCount), locale.toString(version.validationCount),
             locale.toString(version.testCount))
        .arg(version.encoding.sequenceLength)
        .arg(QString::fromUtf8(core::truncationName(version.encoding.truncation)), classes.join(QStringLiteral(", ")));
}

} // namespace

DatasetsView::DatasetsView(QWidget* parent) : QWidget(parent)
{
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);

    auto* buttons = new QHBoxLayout;
    m_importCsv = new QPushButton(tr("Import CSV…"), this);
    m_importFolder = new QPushButton(tr("Import folder…"), this);
    m_saveVersion = new QPushButton(tr("Save version…"), this);
    m_saveVersion->setEnabled(false);
    m_saveVersion->setToolTip(tr("Keep this dataset with its encoding and subsets, to train on it"));
    m_useInExperiment = new QPushButton(tr("Use in new experiment…"), this);
    m_useInExperiment->setEnabled(false);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 100);
    m_progress->setVisible(false);
    buttons->addWidget(m_importCsv);
    buttons->addWidget(m_importFolder);
    // Shown once a folder of splits (aclImdb's train/ and test/) is imported: another split imports that one.
    m_splitLabel = new QLabel(tr("Split:"), this);
    m_split = new QComboBox(this);
    m_split->setToolTip(tr("The folder holds several splits (train/, test/): the one to import"));
    m_splitLabel->setBuddy(m_split);
    m_splitLabel->setVisible(false);
    m_split->setVisible(false);
    buttons->addWidget(m_splitLabel);
    buttons->addWidget(m_split);
    buttons->addWidget(m_progress, 1);
    buttons->addStretch();
    buttons->addWidget(m_saveVersion);
    buttons->addWidget(m_useInExperiment);
    layout->addLayout(buttons);

    m_summary = new QLabel(tr("Drop a CSV file (a text column and a label column) or a folder with one sub-folder per "
                              "class here."),
                           this);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    auto* columns = new QHBoxLayout;
    m_textColumnButton = new QToolButton(this);
    m_labelColumnButton = new QToolButton(this);
    for (auto* button : {m_textColumnButton, m_labelColumnButton}) {
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setIcon(style()->standardIcon(QStyle::SP_FileDialogDetailedView));
        button->setVisible(false); // until an import names the columns (empty, they were bare icons)
        columns->addWidget(button);
    }
    columns->addStretch();
    auto* versionsLabel = new QLabel(tr("Saved versi&ons:"), this);
    m_versions = new QComboBox(this);
    m_versions->setObjectName(QStringLiteral("savedVersions"));
    m_versions->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_versions->setMinimumContentsLength(16);
    m_versions->setToolTip(tr("The dataset versions saved in this project: choose one to see it"));
    versionsLabel->setBuddy(m_versions);
    columns->addWidget(versionsLabel);
    columns->addWidget(m_versions);
    layout->addLayout(columns);
    connect(m_versions, &QComboBox::activated, this, [this](int index) {
        if (const QString file = m_versions->itemData(index).toString(); !file.isEmpty())
            showVersion(file);
    });
    connect(m_textColumnButton, &QToolButton::clicked, this, [this] { openEncodingDialog(true); });
    connect(m_labelColumnButton, &QToolButton::clicked, this, [this] { openEncodingDialog(false); });

    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_model = new DatasetTableModel(this);
    m_table = new QTableView(splitter);
    m_table->setModel(m_model);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setVisible(false);
    m_table->setWordWrap(false);
    // Tab leaves the table (arrows move in it): cell by cell, 25,000 reviews held the keyboard.
    m_table->setTabKeyNavigation(false);
    m_problems = new QListWidget(splitter);
    m_problems->setVisible(false);
    m_problems->setWordWrap(true); // a warning is a sentence: wrapped, not cut at the right edge
    m_problems->setResizeMode(QListView::Adjust);

    auto* settings = new QWidget(splitter);
    auto* settingsLayout = new QHBoxLayout(settings);
    auto* encodingBox = new QWidget(settings);
    auto* encodingForm = new QFormLayout(encodingBox);
    m_sequenceLength = new QSpinBox(encodingBox);
    m_sequenceLength->setRange(core::kMinSequenceLength, core::kMaxSequenceLength);
    m_sequenceLength->setValue(512);
    m_truncation = new QComboBox(encodingBox);
    m_truncation->addItem(tr("Head (keep the start)"), static_cast<int>(core::Truncation::Head));
    m_truncation->addItem(tr("Tail (keep the end)"), static_cast<int>(core::Truncation::Tail));
    m_truncation->addItem(tr("Head + tail"), static_cast<int>(core::Truncation::HeadTail));
    m_truncation->setItemData(0, tr("Keep the first tokens"), Qt::ToolTipRole);
    m_truncation->setItemData(1, tr("Keep the last tokens"), Qt::ToolTipRole);
    m_truncation->setItemData(2, tr("Keep the first 128 and the last tokens"), Qt::ToolTipRole);
    m_languageModel = new QComboBox(encodingBox);
    m_languageModel->addItem(tr("English BERT uncased"), QString());
    const QString multilingual = toQString(core::fikaCacheDir()) + QStringLiteral("/models/bert-base-multilingual-cased/vocab.txt");
    m_languageModel->addItem(tr("Multilingual BERT cased"), multilingual);
    if (!QFileInfo::exists(multilingual)) { // offered once its vocabulary is downloaded
        auto* item = qobject_cast<QStandardItemModel*>(m_languageModel->model())->item(1);
        item->setEnabled(false);
        item->setToolTip(tr("Download bert-base-multilingual-cased in the data library first"));
    }
    encodingForm->addRow(tr("Language model"), m_languageModel);
    encodingForm->addRow(tr("Sequence length"), m_sequenceLength);
    encodingForm->addRow(tr("Truncation"), m_truncation);

    auto* subsetBox = new QWidget(settings);
    auto* subsetForm = new QFormLayout(subsetBox);
    auto percent = [subsetBox](double value) {
        auto* box = new QDoubleSpinBox(subsetBox);
        box->setRange(0, 100);
        box->setSuffix(QStringLiteral(" %"));
        box->setValue(value);
        return box;
    };
    m_training = percent(80);
    m_validation = percent(20);
    m_test = percent(0);
    m_seed = new QSpinBox(subsetBox);
    m_seed->setRange(0, 1 << 30);
    m_seed->setValue(42);
    m_stratified = new QCheckBox(tr("Stratified"), subsetBox);
    m_stratified->setToolTip(tr("Stratified: the same class shares in every subset"));
    m_stratified->setChecked(true);
    m_subsetCounts = new QLabel(subsetBox);
    m_subsetCounts->setWordWrap(true);
    // Two lines kept free: a wrapped label's height is not asked for by the splitter, and the counts
    // wrap at 1366x768 (the second line was cut off).
    m_subsetCounts->setMinimumHeight(2 * m_subsetCounts->fontMetrics().lineSpacing());
    subsetForm->addRow(tr("Training"), m_training);
    subsetForm->addRow(tr("Validation"), m_validation);
    subsetForm->addRow(tr("Test"), m_test);
    subsetForm->addRow(tr("Seed"), m_seed);
    subsetForm->addRow(m_stratified);
    subsetForm->addRow(m_subsetCounts);

    m_histogram = new LengthHistogram(settings);
    settingsLayout->addWidget(encodingBox);
    settingsLayout->addWidget(m_histogram, 1);
    settingsLayout->addWidget(subsetBox);
    splitter->addWidget(m_table);
    splitter->addWidget(m_problems);
    splitter->addWidget(settings);
    splitter->setStretchFactor(0, 3); // the rows get the room, a list of problems only what is left
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    connect(m_importCsv, &QPushButton::clicked, this, &DatasetsView::chooseCsv);
    connect(m_importFolder, &QPushButton::clicked, this, &DatasetsView::chooseFolder);
    connect(m_split, &QComboBox::currentIndexChanged, this, [this] {
        if (m_watcher.isRunning() || m_current.splitRoot.isEmpty())
            return;
        m_shownVersion.reset(); // a new import, not a saved version
        importPath(m_current.splitRoot, QString(), QString(), m_split->currentData().toString());
    });
    connect(m_saveVersion, &QPushButton::clicked, this, [this] {
        // A saved version records what experiments were made from: suggest a free name, and
        // replace one only when the user typed its name and says so.
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Save dataset version"), tr("Version name:"), QLineEdit::Normal,
                                                   freeVersionName(defaultVersionName()), &ok).trimmed();
        if (!ok || name.isEmpty())
            return;
        const QString file = versionFile(name);
        if (QFileInfo::exists(file) &&
            QMessageBox::question(this, tr("Replace dataset version?"),
                                  tr("A dataset version named “%1” exists. Replace it?").arg(QFileInfo(file).completeBaseName()),
                                  QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes)
            return;
        saveVersion(file);
    });
    connect(m_useInExperiment, &QPushButton::clicked, this, [this] {
        // A saved version that holds these very settings as it is (the suggested name first), else
        // a new one beside the others.
        QStringList saved = savedVersions();
        saved.prepend(QFileInfo(versionFile(defaultVersionName())).absoluteFilePath());
        for (const QString& file : saved)
            if (isSavedAs(file)) {
                Q_EMIT useInNewExperiment(file);
                return;
            }
        const QString file = versionFile(freeVersionName(defaultVersionName()));
        if (saveVersion(file))
            Q_EMIT useInNewExperiment(file);
    });
    connect(m_sequenceLength, &QSpinBox::valueChanged, m_histogram, &LengthHistogram::setSequenceLength);
    connect(m_languageModel, &QComboBox::currentIndexChanged, this, &DatasetsView::recountTokens);
    for (QDoubleSpinBox* box : {m_training, m_validation, m_test}) {
        box->setKeyboardTracking(false); // "75" typed is one edit, not 7 then 75
        connect(box, &QDoubleSpinBox::valueChanged, this, [this, box] {
            balanceSubsets(box);
            updateSubsets();
        });
    }
    connect(m_seed, &QSpinBox::valueChanged, this, &DatasetsView::updateSubsets);
    connect(m_stratified, &QCheckBox::toggled, this, &DatasetsView::updateSubsets);
    connect(&m_watcher, &QFutureWatcher<ImportOutcome>::finished, this, &DatasetsView::onImported);
}

DatasetsView::~DatasetsView()
{
    m_cancel->store(true); // an import in flight stops at its next row
    m_watcher.waitForFinished();
}

void DatasetsView::chooseCsv()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import CSV"), QString(),
                                                      tr("CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty())
        askColumnsAndImport(path);
}

void DatasetsView::askColumnsAndImport(const QString& path)
{
    if (!m_watcher.isRunning())
        m_shownVersion.reset(); // a new import, not a saved version
    if (QFileInfo(path).isDir() || m_watcher.isRunning())
        return importPath(path);
    auto columns = core::inspectCsvColumns(toStdString(path));
    if (!columns) {
        showImportFailure(ErrorText::text(columns.error()));
        Q_EMIT importFinished(false);
        return;
    }
    ImportColumnsDialog dialog(path, columns.value(), this);
    m_columnsDialog = &dialog;
    const bool accepted = dialog.exec() == QDialog::Accepted;
    m_columnsDialog = nullptr;
    if (accepted)
        importPath(path, dialog.textColumn(), dialog.labelColumn());
}

void DatasetsView::chooseFolder()
{
    const QString path = QFileDialog::getExistingDirectory(this, tr("Import folder (one sub-folder per class)"));
    if (!path.isEmpty())
        importPath(path);
}

void DatasetsView::importPath(const QString& path)
{
    if (!m_watcher.isRunning())
        m_shownVersion.reset();
    if (QFileInfo(path).isDir())
        return importPath(path, QString(), QString());
    // Without a dialog: the guessed columns (review and sentiment for IMDB).
    auto columns = core::inspectCsvColumns(toStdString(path));
    importPath(path, columns ? toQString(columns->textGuess) : QStringLiteral("review"),
               columns ? toQString(columns->labelGuess) : QStringLiteral("sentiment"));
}

void DatasetsView::importPath(const QString& path, const QString& textColumn, const QString& labelColumn,
                              const QString& split)
{
    if (m_watcher.isRunning())
        return;
    core::CsvImportOptions csv;
    if (!textColumn.isEmpty())
        csv.textColumn = toStdString(textColumn);
    if (!labelColumn.isEmpty())
        csv.labelColumn = toStdString(labelColumn);
    m_cancel->store(false);
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_importCsv->setEnabled(false);
    m_importFolder->setEnabled(false);
    m_split->setEnabled(false);
    m_summary->setText(tr("Importing %1…").arg(path));
    m_watcher.setFuture(QtConcurrent::run(runImport, path, csv, split, m_cancel, static_cast<QObject*>(this), m_progress));
}

// The previous dataset stays (nothing is lost), and the text says which one Save and Use would take.
void DatasetsView::showImportFailure(const QString& why)
{
    QString text = tr("Import failed: %1").arg(why);
    if (m_current.dataset)
        text += QLatin1Char(' ') + tr("The table still shows the previous import, %1; Save version and Use in new "
                                      "experiment use that one.").arg(m_current.sourcePath);
    m_summary->setText(text);
}

void DatasetsView::onImported()
{
    ImportOutcome outcome = m_watcher.result();
    m_progress->setVisible(false);
    m_importCsv->setEnabled(true);
    m_importFolder->setEnabled(true);
    m_split->setEnabled(true);
    const std::optional<core::DatasetVersion> version = std::exchange(m_shownVersion, std::nullopt);
    if (!outcome.ok) {
        showImportFailure(outcome.error);
        Q_EMIT importFinished(false);
        return;
    }
    m_current = std::move(outcome);
    const core::Dataset& dataset = *m_current.dataset;
    m_model->setDataset(m_current.dataset);
    QStringList classes;
    const auto counts = dataset.classCounts();
    const QLocale locale; // "12 500" and "0,98" in Swedish
    constexpr size_t kClassesListed = 12; // more would push the table off the window
    for (size_t c = 0; c < std::min(counts.size(), kClassesListed); ++c)
        classes << QStringLiteral("%1: %2").arg(toQString(dataset.labelMap.names[c]), locale.toString(counts[c]));
    if (counts.size() > kClassesListed)
        classes << tr("and %1 more").arg(locale.toString(static_cast<qlonglong>(counts.size() - kClassesListed)));
    m_summary->setText(tr("%1 — %2 rows imported, %3 skipped. Classes (balance %4): %5")
                           .arg(m_current.sourcePath, locale.toString(m_current.report.rowsImported),
                                locale.toString(m_current.report.invalidRows),
                                locale.toString(core::classBalance(counts), 'f', 2), classes.join(QStringLiteral(", "))));
    if (!QFileInfo(m_current.sourcePath).isDir())
        m_summary->setText(m_summary->text() + QStringLiteral(". ") +
                           tr("Fields separated by a %1 (detected).").arg(delimiterText(m_current.report.delimiter)));
    showSplits();
    m_problems->clear();
    for (const auto& warning : m_current.report.warnings)
        m_problems->addItem(ErrorText::warningText(warning));
    for (const auto& problem : m_current.report.problems)
        m_problems->addItem(tr("Row skipped: %1").arg(toQString(problem.message)));
    // An ID or free-text column chosen as the label: most classes seen once, which nothing can learn.
    const auto seenOnce = std::count(counts.begin(), counts.end(), int64_t(1));
    if (counts.size() > 2 && seenOnce * 2 > static_cast<std::ptrdiff_t>(counts.size()))
        m_problems->insertItem(0, tr("Warning: the label column %1 has %2 classes in %3 rows, %4 of them with a single "
                                     "example: a model cannot learn a class it sees once. Is %1 the column to predict?")
                                      .arg(toQString(dataset.targetFeature), locale.toString(static_cast<qlonglong>(counts.size())),
                                           locale.toString(static_cast<qlonglong>(dataset.labels.size())),
                                           locale.toString(static_cast<qlonglong>(seenOnce))));
    m_problems->setVisible(m_problems->count() > 0);
    m_histogram->setStats(m_current.lengths);
    m_histogram->setSequenceLength(m_sequenceLength->value());
    if (m_languageModel->currentIndex() != 0)
        recountTokens(); // the import counted with the English vocabulary
    // The icon says "settings"; a wrench emoji drew as a missing-glyph box where the font lacks it.
    m_textColumnButton->setText(tr("%1: text").arg(toQString(dataset.textFeature)));
    m_labelColumnButton->setText(tr("%1: categorical, %2 classes").arg(toQString(dataset.targetFeature)).arg(counts.size()));
    m_textColumnButton->setToolTip(tr("Encoding of the input column: sequence length, language model, truncation"));
    m_labelColumnButton->setToolTip(tr("Encoding of the target column"));
    m_textColumnButton->setVisible(true);
    m_labelColumnButton->setVisible(true);
    m_saveVersion->setEnabled(true);
    m_useInExperiment->setEnabled(true);
    if (version) {
        applyVersionSettings(*version);
        QString text = tr("Saved version %1 of %2. %3")
                           .arg(toQString(version->name), m_current.sourcePath, versionDetails(*version));
        if (version->source.sha256 != m_current.source.sha256)
            text += QLatin1Char(' ') + tr("The source has changed since this version was saved: the table shows it as it "
                                          "is now.");
        m_summary->setText(text);
    } else {
        m_versions->setCurrentIndex(0); // the table shows an import, not a saved version
    }
    updateSubsets();
    Q_EMIT importFinished(true);
}

core::SubsetSpec DatasetsView::subsetSpec() const
{
    return {m_training->value(), m_validation->value(), m_test->value(), static_cast<uint64_t>(m_seed->value()),
            m_stratified->isChecked()};
}

// The subsets always add up to 100 %: an edited share takes from (or gives to) the others, the
// validation share first when training or test changed, the training share when validation did.
void DatasetsView::balanceSubsets(QDoubleSpinBox* edited)
{
    const QList<QDoubleSpinBox*> absorbers =
        edited == m_training ? QList<QDoubleSpinBox*>{m_validation, m_test}
        : edited == m_validation ? QList<QDoubleSpinBox*>{m_training, m_test}
                                 : QList<QDoubleSpinBox*>{m_validation, m_training};
    double rest = 100.0 - m_training->value() - m_validation->value() - m_test->value();
    for (QDoubleSpinBox* box : absorbers) {
        const double value = std::clamp(box->value() + rest, 0.0, 100.0);
        rest -= value - box->value();
        const QSignalBlocker blocker(box);
        box->setValue(value);
    }
}

void DatasetsView::updateSubsets()
{
    if (!m_current.dataset) {
        m_subsetCounts->clear();
        return;
    }
    auto subsets = core::splitSubsets(m_current.dataset->labels, m_current.dataset->labelMap.size(), subsetSpec());
    if (!subsets) {
        m_subsetCounts->setText(ErrorText::text(subsets.error()));
        return;
    }
    const QLocale locale;
    m_subsetCounts->setText(tr("%1 training, %2 validation, %3 test examples")
                                .arg(locale.toString(static_cast<qulonglong>(subsets->training.size())),
                                     locale.toString(static_cast<qulonglong>(subsets->validation.size())),
                                     locale.toString(static_cast<qulonglong>(subsets->test.size()))));
}

bool DatasetsView::saveVersion(const QString& path, QString* error)
{
    auto fail = [&](const QString& message) {
        if (error)
            *error = message;
        m_summary->setText(tr("Saving failed: %1").arg(message));
        return false;
    };
    if (!m_current.dataset)
        return fail(tr("nothing imported yet"));
    auto version = currentVersion(QFileInfo(path).completeBaseName());
    if (!version)
        return fail(ErrorText::text(version.error()));
    // Said here, in the view's words: training would refuse it later, naming config keys. The focus
    // goes to the share to raise, selected to type over.
    if (version->trainingCount == 0 || version->validationCount == 0) {
        QDoubleSpinBox* share = version->trainingCount == 0 ? m_training : m_validation;
        share->setFocus();
        share->selectAll();
        return fail(
            tr("The %1 subset would be empty (%2 examples in all): raise its share under Training/Validation, or import more "
               "rows. Training needs examples to learn from and others to measure itself on.")
                .arg(version->trainingCount == 0 ? tr("training") : tr("validation"))
                .arg(QLocale().toString(static_cast<qlonglong>(m_current.dataset->labels.size()))));
    }
    if (auto saved = core::saveDatasetVersion(version.value(), toStdString(path)); !saved)
        return fail(ErrorText::text(saved.error()));
    m_summary->setText(tr("Saved dataset version %1").arg(path));
    refreshVersions();
    m_versions->setCurrentIndex(std::max(0, m_versions->findData(QFileInfo(path).absoluteFilePath())));
    Q_EMIT versionSaved(path);
    return true;
}

core::Result<core::DatasetVersion> DatasetsView::currentVersion(const QString& name) const
{
    core::EncodingSettings encoding;
    encoding.sequenceLength = m_sequenceLength->value();
    encoding.truncation = static_cast<core::Truncation>(m_truncation->currentData().toInt());
    if (m_languageModel->currentIndex() > 0) {
        encoding.vocab = toStdString(m_languageModel->currentData().toString());
        encoding.lowercase = false;
        encoding.languageModel = "bert-base-multilingual-cased";
    }
    return core::makeDatasetVersion(*m_current.dataset, m_current.source, encoding, subsetSpec(), toStdString(name));
}

bool DatasetsView::isSavedAs(const QString& file) const
{
    if (!m_current.dataset || !QFileInfo::exists(file))
        return false;
    auto saved = core::loadDatasetVersion(toStdString(file));
    auto current = currentVersion(QFileInfo(file).completeBaseName());
    if (!saved || !current)
        return false;
    current->createdUtc = saved->createdUtc; // when it was saved is no setting
    current->name = saved->name;
    return core::datasetVersionToYaml(current.value()) == core::datasetVersionToYaml(saved.value());
}

QString DatasetsView::freeVersionName(const QString& name) const
{
    QString free = name;
    for (int n = 2; QFileInfo::exists(versionFile(free)); ++n)
        free = QStringLiteral("%1-%2").arg(name).arg(n);
    return free;
}

void DatasetsView::setVersionsFolder(const QString& folder)
{
    m_versionsFolder = folder;
    refreshVersions();
}

QStringList DatasetsView::savedVersions() const
{
    QStringList files;
    for (const QFileInfo& file : QDir(m_versionsFolder).entryInfoList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name))
        files << file.absoluteFilePath();
    return files;
}

void DatasetsView::refreshVersions()
{
    const QString shown = m_versions->currentData().toString();
    const QStringList files = savedVersions();
    const QSignalBlocker blocker(m_versions);
    m_versions->clear();
    m_versions->addItem(files.isEmpty() ? tr("none saved yet") : tr("%1 saved, choose one…").arg(files.size()));
    for (const QString& file : files)
        m_versions->addItem(QFileInfo(file).completeBaseName(), file);
    m_versions->setEnabled(!files.isEmpty());
    m_versions->setCurrentIndex(std::max(0, m_versions->findData(shown)));
    if (!m_current.dataset && !m_watcher.isRunning() && !files.isEmpty())
        m_summary->setText(tr("Saved dataset versions in this project: %1. Choose one under Saved versions to see it, or "
                              "import a CSV file or a folder.").arg(files.size()));
}

void DatasetsView::applyVersionSettings(const core::DatasetVersion& version)
{
    m_sequenceLength->setValue(version.encoding.sequenceLength);
    m_truncation->setCurrentIndex(std::max(0, m_truncation->findData(static_cast<int>(version.encoding.truncation))));
    m_languageModel->setCurrentIndex(version.encoding.lowercase ? 0 : 1);
    for (auto [box, value] : {std::pair{m_training, version.subsets.trainingPercent},
                              std::pair{m_validation, version.subsets.validationPercent},
                              std::pair{m_test, version.subsets.testPercent}}) {
        const QSignalBlocker blocker(box); // a saved version adds up already: nothing to balance
        box->setValue(value);
    }
    m_seed->setValue(static_cast<int>(version.subsets.seed));
    m_stratified->setChecked(version.subsets.stratified);
    updateSubsets();
}

void DatasetsView::showVersion(const QString& file)
{
    if (m_watcher.isRunning())
        return;
    auto version = core::loadDatasetVersion(toStdString(file));
    if (!version) {
        m_summary->setText(tr("The saved version cannot be read: %1").arg(ErrorText::text(version.error())));
        return;
    }
    m_versions->setCurrentIndex(std::max(0, m_versions->findData(file)));
    const QString source = toQString(version->source.path);
    if (!QFileInfo::exists(source)) {
        m_summary->setText(tr("Saved version %1 of %2. %3")
                               .arg(toQString(version->name), source, versionDetails(version.value())) +
                           QLatin1Char(' ') + tr("Its source is no longer there, so the table cannot show its rows."));
        return;
    }
    m_shownVersion = std::move(version.value());
    const bool folder = m_shownVersion->source.kind == "folder";
    importPath(source, folder ? QString() : toQString(m_shownVersion->textColumn),
               folder ? QString() : toQString(m_shownVersion->labelColumn));
}

QString DatasetsView::defaultVersionName() const
{
    // aclImdb-test-128 rather than test-128 for a split's own folder
    const QString source = m_current.splitRoot.isEmpty()
                               ? QFileInfo(m_current.sourcePath).completeBaseName()
                               : QStringLiteral("%1-%2").arg(QFileInfo(m_current.splitRoot).fileName(), m_current.split);
    return QStringLiteral("%1-%2").arg(source).arg(m_sequenceLength->value());
}

// The Split choice and the summary's word on the splits left out: a folder of splits otherwise
// looks like a whole dataset of which a part silently went missing.
void DatasetsView::showSplits()
{
    const auto& splits = m_current.splits;
    m_splitLabel->setVisible(!splits.empty());
    m_split->setVisible(!splits.empty());
    if (splits.empty())
        return;
    const QSignalBlocker blocker(m_split);
    m_split->clear();
    const QLocale locale;
    QStringList leftOut;
    int64_t readFiles = 0;
    for (const auto& split : splits) {
        const QString name = toQString(split.name);
        const QString files = tr("%1/ (%2 files)").arg(name, locale.toString(static_cast<qlonglong>(split.fileCount)));
        m_split->addItem(files, name);
        if (name == m_current.split)
            readFiles = split.fileCount;
        else
            leftOut << files;
    }
    m_split->setCurrentIndex(std::max(0, m_split->findData(m_current.split)));
    QString text = tr("Imported %1/ (%2 files).").arg(m_current.split, locale.toString(static_cast<qlonglong>(readFiles)));
    if (!leftOut.isEmpty())
        text += QLatin1Char(' ') + tr("Not imported: %1; choose it under Split to import it instead.")
                                       .arg(leftOut.join(QStringLiteral(", ")));
    m_summary->setText(m_summary->text() + QStringLiteral(". ") + text);
}

QString DatasetsView::versionFile(const QString& name) const
{
    QDir().mkpath(m_versionsFolder);
    return QDir(m_versionsFolder).filePath(toQString(core::safeFileName(toStdString(name))) + QStringLiteral(".yaml"));
}

int DatasetsView::sequenceLength() const
{
    return m_sequenceLength->value();
}

void DatasetsView::setSequenceLength(int length)
{
    m_sequenceLength->setValue(length);
}

QString DatasetsView::truncationSummary() const
{
    return m_histogram->summaryText();
}

QString DatasetsView::importSummary() const
{
    return m_summary->text();
}

QString DatasetsView::subsetSummary() const
{
    return m_subsetCounts->text();
}

void DatasetsView::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void DatasetsView::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        askColumnsAndImport(urls.first().toLocalFile());
}

} // namespace fika::ui

namespace fika::ui {

void DatasetsView::recountTokens()
{
    if (!m_current.dataset)
        return;
    const QString vocab = m_languageModel->currentData().toString();
    auto tokenizer = core::Tokenizer::fromVocabFile(vocab.isEmpty() ? core::bundledVocabPath() : toStdString(vocab),
                                                    vocab.isEmpty());
    if (!tokenizer) {
        m_summary->setText(ErrorText::text(tokenizer.error()));
        return;
    }
    // About 0.3 s for 25,000 reviews: fast enough to do here, on a rare click.
    std::vector<std::string_view> texts(m_current.dataset->texts.begin(), m_current.dataset->texts.end());
    m_current.lengths = core::LengthStats::fromLengths(tokenizer->tokenCounts(texts, 0));
    m_histogram->setStats(m_current.lengths);
    m_histogram->setSequenceLength(m_sequenceLength->value());
}

void DatasetsView::openEncodingDialog(bool textColumn)
{
    if (!m_current.dataset)
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Encoding of %1").arg(toQString(textColumn ? m_current.dataset->textFeature
                                                                         : m_current.dataset->targetFeature)));
    auto* form = new QFormLayout(&dialog);
    auto* type = new QComboBox(&dialog);
    type->addItem(tr("Text"));
    type->addItem(tr("Categorical"));
    type->setCurrentIndex(textColumn ? 0 : 1);
    type->setEnabled(false);
    type->setToolTip(textColumn ? tr("The input of a text classifier is text") : tr("The target of a classifier is categorical"));
    form->addRow(tr("Type:"), type);
    // Only the text column has an encoding to choose: widgets made for a categorical column but
    // left out of the form were drawn at the dialog's corner, over the Type combo.
    QSpinBox* length = nullptr;
    QComboBox* model = nullptr;
    QComboBox* truncation = nullptr;
    if (textColumn) {
        length = new QSpinBox(&dialog);
        length->setRange(core::kMinSequenceLength, core::kMaxSequenceLength);
        length->setValue(m_sequenceLength->value());
        model = new QComboBox(&dialog);
        model->setModel(m_languageModel->model());
        model->setCurrentIndex(m_languageModel->currentIndex());
        truncation = new QComboBox(&dialog);
        for (int i = 0; i < m_truncation->count(); ++i)
            truncation->addItem(m_truncation->itemText(i), m_truncation->itemData(i));
        truncation->setCurrentIndex(m_truncation->currentIndex());
        auto* cut = new QLabel(&dialog);
        auto updateCut = [this, length, cut] {
            const auto& stats = m_current.lengths;
            cut->setText(tr("%1 cuts %2 of the texts").arg(length->value()).arg(formatPercent(stats.truncatedShare(length->value()))));
        };
        connect(length, &QSpinBox::valueChanged, &dialog, updateCut);
        updateCut();
        form->addRow(tr("&Sequence length:"), length);
        form->addRow(QString(), cut);
        form->addRow(tr("&Language model:"), model);
        form->addRow(tr("&Truncation:"), truncation);
    } else {
        auto* classes = new QLabel(&dialog);
        QStringList names;
        for (const auto& name : m_current.dataset->labelMap.names)
            names << toQString(name);
        classes->setText(names.join(QStringLiteral(", ")));
        classes->setWordWrap(true);
        form->addRow(tr("Classes:"), classes);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    m_encodingDialog = &dialog;
    const bool accepted = dialog.exec() == QDialog::Accepted;
    m_encodingDialog = nullptr;
    if (!accepted || !textColumn)
        return;
    m_sequenceLength->setValue(length->value());
    m_truncation->setCurrentIndex(truncation->currentIndex());
    m_languageModel->setCurrentIndex(model->currentIndex());
}

} // namespace fika::ui
