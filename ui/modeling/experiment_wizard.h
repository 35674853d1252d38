// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/dataset_version.h"
#include "train/experiment_config.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTabWidget;

namespace fika::ui {

class Studio;

// New experiment in four tabs: Dataset (a saved version), Snippet (BERT English uncased, input and
// target feature), Initialize weights (pretrained Hugging Face folder or random, trainable), Create.
class ExperimentWizard : public QDialog {
    Q_OBJECT
public:
    explicit ExperimentWizard(Studio* studio, QWidget* parent = nullptr);

    // The experiment the tabs describe, or an explanation of what is missing.
    std::optional<core::ExperimentConfig> experiment(QString* problem) const;
    void accept() override; // creates the experiment through the Studio
    void done(int result) override; // remembers the weights tab for the next wizard of this project

    // For tests and scripted screenshots.
    QTabWidget* tabs() const { return m_tabs; }
    void setPretrainedFolder(const QString& folder);
    // Opens on this dataset version file (the one just saved), adding it when the list lacks it.
    void selectVersion(const QString& file);
    QString selectedVersion() const;
    void setRandomShape(int layers, int hidden, int heads, int intermediate);
    void setExperimentName(const QString& name);

private:
    void loadVersions();
    void loadDownloadedModels();
    void versionChosen();
    void updateSummary();
    void browseWeights();
    void restoreWeightsChoice();

    Studio* m_studio;
    std::optional<core::DatasetVersion> m_version;
    QTabWidget* m_tabs = nullptr;
    QComboBox* m_versions = nullptr;
    QLabel* m_versionSummary = nullptr;
    QComboBox* m_snippet = nullptr;
    QComboBox* m_input = nullptr;
    QComboBox* m_target = nullptr;
    QRadioButton* m_pretrained = nullptr;
    QRadioButton* m_random = nullptr;
    QLineEdit* m_weights = nullptr;
    QComboBox* m_downloaded = nullptr;
    QLabel* m_weightsCheck = nullptr;
    QSpinBox* m_layers = nullptr;
    QSpinBox* m_hidden = nullptr;
    QSpinBox* m_heads = nullptr;
    QSpinBox* m_intermediate = nullptr;
    QCheckBox* m_trainable = nullptr;
    QLineEdit* m_name = nullptr;
    bool m_nameTyped = false;
    QComboBox* m_preset = nullptr;
    QLabel* m_summary = nullptr;
    QPushButton* m_back = nullptr;
    QPushButton* m_next = nullptr;
    QPushButton* m_create = nullptr;
};

} // namespace fika::ui
