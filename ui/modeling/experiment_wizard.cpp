// SPDX-License-Identifier: GPL-3.0-or-later
#include "modeling/experiment_wizard.h"
#include "error_text.h"

#include "qt_config.h"
#include "studio.h"

#include "model/bert_config.h"
#include "download/library.h"
#include "library/data_library_dialog.h"
#include "project/project.h"
#include "runtime/runtime.h"

#include <QLocale>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHash>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTabWidget>

namespace fika::ui {
namespace {
constexpr int kFromScratchPreset = 2; // index in the preset combo box

// What the weights tab held when the wizard last closed, per project folder: reopening it (after
// Cancel, or for the next experiment) starts from there instead of the defaults.
struct WeightsChoice {
    bool random = false;
    QString folder;
    int layers = 0, hidden = 0, heads = 0, intermediate = 0;
    bool trainable = true;
};
QHash<QString, WeightsChoice>& rememberedWeights()
{
    static QHash<QString, WeightsChoice> choices;
    return choices;
}
} // namespace

ExperimentWizard::ExperimentWizard(Studio* studio, QWidget* parent) : QDialog(parent), m_studio(studio)
{
    setWindowTitle(tr("New experiment"));
    resize(640, 460);
    auto* layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    layout->addWidget(m_tabs);

    // Dataset
    auto* datasetTab = new QWidget(m_tabs);
    auto* datasetForm = new QFormLayout(datasetTab);
    m_versions = new QComboBox(datasetTab);
    m_versions->setObjectName(QStringLiteral("datasetVersion"));
    m_versionSummary = new QLabel(datasetTab);
    m_versionSummary->setWordWrap(true);
    datasetForm->addRow(tr("Dataset &version:"), m_versions);
    datasetForm->addRow(m_versionSummary);
    m_tabs->addTab(datasetTab, tr("1. Dataset"));

    // Snippet
    auto* snippetTab = new QWidget(m_tabs);
    auto* snippetForm = new QFormLayout(snippetTab);
    m_snippet = new QComboBox(snippetTab);
    m_snippet->addItem(tr("BERT English uncased"));
    m_snippet->setToolTip(tr("Pretrained BERT encoder → pooler Dense (pretrained) → Dense (untrained) → target"));
    m_input = new QComboBox(snippetTab);
    m_target = new QComboBox(snippetTab);
    auto* snippetText = new QLabel(tr("The snippet reads the input feature's tokens, runs the BERT encoder, its pooler "
                                      "Dense block and a new Dense block with one output per class."),
                                   snippetTab);
    snippetText->setWordWrap(true);
    snippetForm->addRow(tr("&Snippet:"), m_snippet);
    snippetForm->addRow(tr("&Input feature:"), m_input);
    snippetForm->addRow(tr("&Target feature:"), m_target);
    snippetForm->addRow(snippetText);
    m_tabs->addTab(snippetTab, tr("2. Snippet"));

    // Initialize weights
    auto* weightsTab = new QWidget(m_tabs);
    auto* weightsLayout = new QVBoxLayout(weightsTab);
    m_pretrained = new QRadioButton(tr("&Pretrained: a Hugging Face folder (config.json, vocab.txt, model.safetensors)"), weightsTab);
    // Everything about pretrained weights, disabled as a whole when Random is chosen.
    auto* pretrainedBox = new QWidget(weightsTab);
    pretrainedBox->setObjectName(QStringLiteral("pretrainedWeights"));
    auto* pretrainedLayout = new QVBoxLayout(pretrainedBox);
    pretrainedLayout->setContentsMargins(0, 0, 0, 0);
    auto* folderRow = new QHBoxLayout;
    m_weights = new QLineEdit(weightsTab);
    m_weights->setObjectName(QStringLiteral("weightsFolder"));
    m_weights->setPlaceholderText(tr("e.g. ~/.cache/fika/models/bert-base-uncased"));
    auto* browse = new QPushButton(tr("Br&owse…"), weightsTab); // Alt+B is < Back's
    connect(browse, &QPushButton::clicked, this, &ExperimentWizard::browseWeights);
    auto* library = new QPushButton(tr("Data &library…"), weightsTab);
    library->setToolTip(tr("Download a pretrained BERT from the Hugging Face hub"));
    connect(library, &QPushButton::clicked, this, [this] {
        auto* dialog = new DataLibraryDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &DataLibraryDialog::modelReady, this, &ExperimentWizard::setPretrainedFolder);
        dialog->open();
    });
    m_downloaded = new QComboBox(weightsTab);
    m_downloaded->setToolTip(tr("Models downloaded with the data library"));
    connect(m_downloaded, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            setPretrainedFolder(m_downloaded->itemData(index).toString());
    });
    folderRow->addWidget(m_downloaded);
    folderRow->addWidget(m_weights, 1);
    folderRow->addWidget(browse);
    folderRow->addWidget(library);
    m_weightsCheck = new QLabel(weightsTab);
    m_weightsCheck->setWordWrap(true);
    pretrainedLayout->addLayout(folderRow); // reparents the row's widgets into the box
    pretrainedLayout->addWidget(m_weightsCheck);
    m_random = new QRadioButton(tr("&Random: train a BERT of this shape from scratch"), weightsTab);
    auto* shapeBox = new QWidget(weightsTab);
    auto* shapeForm = new QFormLayout(shapeBox);
    auto spin = [shapeBox](int low, int high, int value) {
        auto* box = new QSpinBox(shapeBox);
        box->setRange(low, high);
        box->setValue(value);
        return box;
    };
    m_layers = spin(1, 48, 4);
    m_hidden = spin(8, 4096, 256);
    m_heads = spin(1, 64, 4);
    m_intermediate = spin(8, 16384, 1024);
    m_layers->setObjectName(QStringLiteral("layers"));
    m_hidden->setObjectName(QStringLiteral("hiddenSize"));
    m_heads->setObjectName(QStringLiteral("heads"));
    m_intermediate->setObjectName(QStringLiteral("intermediateSize"));
    shapeForm->addRow(tr("Layers:"), m_layers);
    shapeForm->addRow(tr("Hidden size:"), m_hidden);
    shapeForm->addRow(tr("Attention heads:"), m_heads);
    shapeForm->addRow(tr("Intermediate size:"), m_intermediate);
    m_trainable = new QCheckBox(tr("&Weights trainable (all blocks)"), weightsTab);
    m_trainable->setChecked(true);
    weightsLayout->addWidget(m_pretrained);
    weightsLayout->addWidget(pretrainedBox);
    weightsLayout->addWidget(m_random);
    weightsLayout->addWidget(shapeBox);
    weightsLayout->addWidget(m_trainable);
    weightsLayout->addStretch();
    m_pretrained->setChecked(true);
    m_tabs->addTab(weightsTab, tr("3. Initialize weights"));

    // Create
    auto* createTab = new QWidget(m_tabs);
    auto* createForm = new QFormLayout(createTab);
    m_name = new QLineEdit(tr("experiment"), createTab);
    m_name->setObjectName(QStringLiteral("experimentName"));
    m_preset = new QComboBox(createTab);
    m_preset->addItem(tr("Tutorial (batch 6, 2 epochs, learning rate 0.000001)"));
    m_preset->addItem(tr("Recommended (learning rate 2e-5, warm-up and linear decay)"));
    m_preset->addItem(tr("From scratch (random weights: batch 32, 4 epochs, learning rate 5e-4)"));
    m_preset->setObjectName(QStringLiteral("preset"));
    m_summary = new QLabel(createTab);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    createForm->addRow(tr("&Name:"), m_name);
    createForm->addRow(tr("Settings p&reset:"), m_preset);
    createForm->addRow(m_summary);
    m_tabs->addTab(createTab, tr("4. Create"));

    auto* buttons = new QHBoxLayout;
    m_back = new QPushButton(tr("< &Back"), this);
    m_next = new QPushButton(tr("&Next >"), this);
    m_create = new QPushButton(tr("&Create"), this);
    m_create->setObjectName(QStringLiteral("create"));
    auto* cancel = new QPushButton(tr("Cancel"), this);
    buttons->addStretch();
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    buttons->addWidget(m_create);
    buttons->addWidget(cancel);
    layout->addLayout(buttons);
    connect(m_back, &QPushButton::clicked, this, [this] { m_tabs->setCurrentIndex(m_tabs->currentIndex() - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { m_tabs->setCurrentIndex(m_tabs->currentIndex() + 1); });
    connect(m_create, &QPushButton::clicked, this, &ExperimentWizard::accept);
    connect(cancel, &QPushButton::clicked, this, &ExperimentWizard::reject);
    // Return goes on to the next tab, and on the last one creates: the dialog took the first button
    // in its focus chain, Browse… of the weights tab, hidden or disabled, so Return did nothing (and
    // in the folder field opened a file dialog). The buttons inside the tabs answer clicks alone.
    for (auto* inTab : {browse, library})
        inTab->setAutoDefault(false);
    m_next->setDefault(true);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        m_back->setEnabled(index > 0);
        m_next->setEnabled(index < m_tabs->count() - 1);
        (index < m_tabs->count() - 1 ? m_next : m_create)->setDefault(true);
        updateSummary();
    });
    connect(m_versions, &QComboBox::currentIndexChanged, this, &ExperimentWizard::versionChosen);
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameTyped = true; });
    for (auto* edit : {m_weights, m_name})
        connect(edit, &QLineEdit::textChanged, this, &ExperimentWizard::updateSummary);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &ExperimentWizard::updateSummary);
    // Random weights learn nothing at a fine-tuning learning rate: they get their own settings.
    connect(m_random, &QRadioButton::toggled, this, [this](bool random) {
        if (random)
            m_preset->setCurrentIndex(kFromScratchPreset);
        else if (m_preset->currentIndex() == kFromScratchPreset)
            m_preset->setCurrentIndex(0);
    });
    for (auto* radio : {m_pretrained, m_random})
        connect(radio, &QRadioButton::toggled, this, [this, shapeBox, pretrainedBox] {
            shapeBox->setEnabled(m_random->isChecked());
            pretrainedBox->setEnabled(m_pretrained->isChecked());
            updateSummary();
        });
    // The summary says what Create will make: it follows every choice.
    for (auto* box : {m_layers, m_hidden, m_heads, m_intermediate})
        connect(box, &QSpinBox::valueChanged, this, &ExperimentWizard::updateSummary);
    connect(m_trainable, &QCheckBox::toggled, this, &ExperimentWizard::updateSummary);
    shapeBox->setEnabled(false);
    m_back->setEnabled(false);
    loadVersions();
    loadDownloadedModels();
    restoreWeightsChoice();
}

void ExperimentWizard::restoreWeightsChoice()
{
    const QString project = m_studio->project() ? toQString(m_studio->project()->dir) : QString();
    WeightsChoice choice;
    if (const auto remembered = rememberedWeights().find(project); remembered != rememberedWeights().end()) {
        choice = *remembered;
    } else if (const auto& current = m_studio->currentExperiment()) { // the model of the experiment shown
        choice.random = current->model.init == core::ModelInit::Random;
        choice.folder = choice.random ? QString() : toQString(current->model.weights);
        choice.layers = static_cast<int>(current->model.layers);
        choice.hidden = static_cast<int>(current->model.hiddenSize);
        choice.heads = static_cast<int>(current->model.heads);
        choice.intermediate = static_cast<int>(current->model.intermediateSize);
        choice.trainable = current->model.trainable;
    } else {
        return;
    }
    m_weights->setText(choice.folder);
    if (choice.random)
        setRandomShape(choice.layers, choice.hidden, choice.heads, choice.intermediate);
    else
        m_pretrained->setChecked(true);
    m_trainable->setChecked(choice.trainable);
}

void ExperimentWizard::done(int result)
{
    const QString project = m_studio->project() ? toQString(m_studio->project()->dir) : QString();
    rememberedWeights()[project] = {m_random->isChecked(), m_weights->text().trimmed(), m_layers->value(),
                                    m_hidden->value(),       m_heads->value(),           m_intermediate->value(),
                                    m_trainable->isChecked()};
    QDialog::done(result);
}

void ExperimentWizard::loadDownloadedModels()
{
    m_downloaded->clear();
    m_downloaded->addItem(tr("Downloaded models…"));
    auto catalog = core::loadCatalog(core::bundledCatalogPath());
    if (!catalog)
        return;
    const std::string cache = core::fikaCacheDir();
    for (const auto& id : core::cachedModels(catalog.value(), cache))
        m_downloaded->addItem(toQString(id), toQString(cache + "/models/" + id));
}

void ExperimentWizard::loadVersions()
{
    m_versions->clear();
    for (const QString& file : m_studio->datasetVersions())
        m_versions->addItem(QFileInfo(file).completeBaseName(), file);
    if (m_versions->count() == 0)
        m_versionSummary->setText(tr("No dataset version yet. In the Datasets view, import a CSV and click Save version."));
    versionChosen();
}

void ExperimentWizard::selectVersion(const QString& file)
{
    const QString wanted = QFileInfo(file).absoluteFilePath();
    int index = -1;
    for (int i = 0; i < m_versions->count() && index < 0; ++i)
        if (QFileInfo(m_versions->itemData(i).toString()).absoluteFilePath() == wanted)
            index = i;
    if (index < 0) { // saved outside the project's list (no project open)
        m_versions->addItem(QFileInfo(file).completeBaseName(), file);
        index = m_versions->count() - 1;
    }
    m_versions->setCurrentIndex(index);
}

QString ExperimentWizard::selectedVersion() const
{
    return m_versions->currentData().toString();
}

void ExperimentWizard::versionChosen()
{
    m_version.reset();
    m_input->clear();
    m_target->clear();
    const QString file = m_versions->currentData().toString();
    if (file.isEmpty())
        return;
    auto version = core::loadDatasetVersion(toStdString(file));
    if (!version) {
        m_versionSummary->setText(ErrorText::text(version.error()));
        return;
    }
    m_version = std::move(version.value());
    QStringList classes;
    for (const auto& name : m_version->classes)
        classes << toQString(name);
    m_versionSummary->setText(tr("%1\n%2 training, %3 validation, %4 test examples; classes: %5; sequence length %6")
                                  .arg(toQString(m_version->source.path))
                                  .arg(QLocale().toString(m_version->trainingCount))
                                  .arg(QLocale().toString(m_version->validationCount))
                                  .arg(QLocale().toString(m_version->testCount))
                                  .arg(classes.join(QStringLiteral(", ")))
                                  .arg(m_version->encoding.sequenceLength));
    m_input->addItem(toQString(m_version->textColumn));
    m_target->addItem(toQString(m_version->labelColumn));
    if (!m_nameTyped) // the name follows the version until the user types one
        m_name->setText(toQString(m_version->name));
    updateSummary();
}

void ExperimentWizard::browseWeights()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Hugging Face model folder"), m_weights->text());
    if (!dir.isEmpty())
        m_weights->setText(dir);
}

void ExperimentWizard::setPretrainedFolder(const QString& folder)
{
    m_pretrained->setChecked(true);
    m_weights->setText(folder);
}

void ExperimentWizard::setRandomShape(int layers, int hidden, int heads, int intermediate)
{
    m_random->setChecked(true);
    m_layers->setValue(layers);
    m_hidden->setValue(hidden);
    m_heads->setValue(heads);
    m_intermediate->setValue(intermediate);
}

void ExperimentWizard::setExperimentName(const QString& name)
{
    m_name->setText(name);
}

std::optional<core::ExperimentConfig> ExperimentWizard::experiment(QString* problem) const
{
    auto fail = [problem](const QString& text) {
        if (problem)
            *problem = text;
        return std::nullopt;
    };
    if (!m_version)
        return fail(tr("Choose a dataset version (tab 1). Save one in the Datasets view first."));
    if (m_name->text().trimmed().isEmpty())
        return fail(tr("Give the experiment a name (tab 4)."));
    const auto preset = m_preset->currentIndex() == kFromScratchPreset ? core::ConfigPreset::FromScratch
                        : m_preset->currentIndex() == 1               ? core::ConfigPreset::Recommended
                                                                      : core::ConfigPreset::Tutorial;
    auto config = core::experimentForDataset(*m_version, preset, toStdString(m_studio->newExperimentDir(m_name->text().trimmed())));
    config.model.trainable = m_trainable->isChecked();
    if (m_pretrained->isChecked()) {
        const QString folder = m_weights->text().trimmed();
        if (folder.isEmpty() || !QFileInfo::exists(folder + QStringLiteral("/config.json")))
            return fail(tr("The weights folder must hold a Hugging Face config.json (tab 3), or choose Random."));
        config.model.init = core::ModelInit::Pretrained;
        config.model.weights = toStdString(folder);
    } else {
        if (m_hidden->value() % m_heads->value() != 0)
            return fail(tr("The hidden size must be a multiple of the number of attention heads (tab 3)."));
        config.model.init = core::ModelInit::Random;
        config.model.layers = m_layers->value();
        config.model.hiddenSize = m_hidden->value();
        config.model.heads = m_heads->value();
        config.model.intermediateSize = m_intermediate->value();
    }
    if (auto valid = core::validateExperimentConfig(config); !valid)
        return fail(ErrorText::text(valid.error()));
    return config;
}

void ExperimentWizard::updateSummary()
{
    if (m_pretrained->isChecked()) {
        const QString folder = m_weights->text().trimmed();
        auto shape = core::loadBertConfig(toStdString(folder + QStringLiteral("/config.json")));
        m_weightsCheck->setText(folder.isEmpty() ? QString()
                                : shape         ? tr("✓ BERT, %1 layers, hidden %2").arg(shape->numLayers).arg(shape->hiddenSize)
                                                : ErrorText::text(shape.error()));
    }
    QString problem;
    const auto config = experiment(&problem);
    m_create->setEnabled(config.has_value());
    if (!config) {
        m_summary->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(problem.toHtmlEscaped()));
        return;
    }
    const QString bert = config->model.init == core::ModelInit::Pretrained
                             ? tr("pretrained")
                             : tr("random, %1 layers, hidden %2, %3 heads, intermediate %4")
                                   .arg(config->model.layers)
                                   .arg(config->model.hiddenSize)
                                   .arg(config->model.heads)
                                   .arg(config->model.intermediateSize);
    m_summary->setText(tr("Creates <b>%1</b>: %2 → BERT (%3%5) → Dense → Dense → %4, batch %6, %7 epochs, learning rate %8.")
                           .arg(toQString(config->output.dir).toHtmlEscaped(), toQString(config->data.textColumn).toHtmlEscaped(),
                                bert, toQString(config->data.labelColumn).toHtmlEscaped(),
                                config->model.trainable ? QString() : tr(", frozen"))
                           .arg(config->training.batchSize)
                           .arg(config->training.epochs)
                           .arg(QLocale().toString(config->training.learningRate))); // "0,0005" in Swedish
}

void ExperimentWizard::accept()
{
    QString problem;
    const auto config = experiment(&problem);
    if (!config) {
        QMessageBox::warning(this, tr("Experiment incomplete"), problem);
        return;
    }
    if (!m_studio->createExperiment(*config, &problem)) {
        QMessageBox::warning(this, tr("Experiment not created"), problem);
        return;
    }
    QDialog::accept();
}

} // namespace fika::ui
