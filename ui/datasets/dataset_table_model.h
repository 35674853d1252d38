// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/dataset.h"

#include <QAbstractTableModel>

#include <memory>

namespace fika::ui {

// The imported examples as a table (line, text, label). Cells are built on demand, so 25,000+ rows
// scroll smoothly; long texts are shortened for display, the tooltip shows more.
class DatasetTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit DatasetTableModel(QObject* parent = nullptr);

    void setDataset(std::shared_ptr<const core::Dataset> dataset);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const core::Dataset> m_dataset;
};

} // namespace fika::ui
