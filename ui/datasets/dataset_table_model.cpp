// SPDX-License-Identifier: GPL-3.0-or-later
#include "datasets/dataset_table_model.h"

#include "qt_config.h"

namespace fika::ui {
namespace {
constexpr int kShownChars = 300;
constexpr int kTooltipChars = 2000;
} // namespace

DatasetTableModel::DatasetTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void DatasetTableModel::setDataset(std::shared_ptr<const core::Dataset> dataset)
{
    beginResetModel();
    m_dataset = std::move(dataset);
    endResetModel();
}

int DatasetTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_dataset ? 0 : static_cast<int>(m_dataset->size());
}

int DatasetTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 3;
}

QVariant DatasetTableModel::data(const QModelIndex& index, int role) const
{
    if (!m_dataset || !index.isValid())
        return {};
    const auto row = static_cast<size_t>(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case 0: // a folder import's texts come from files, not lines
            if (row < m_dataset->sourceFiles.size())
                return toQString(m_dataset->sourceFiles[row]);
            return static_cast<qlonglong>(m_dataset->sourceLines[row]);
        case 1: {
            QString text = toQString(m_dataset->texts[row]);
            const int limit = role == Qt::DisplayRole ? kShownChars : kTooltipChars;
            if (text.size() > limit)
                text = text.left(limit) + QStringLiteral("…");
            return role == Qt::DisplayRole ? text.simplified() : text;
        }
        case 2: return toQString(m_dataset->labelMap.names[static_cast<size_t>(m_dataset->labels[row])]);
        default: break;
        }
    }
    return {};
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    const QString textName = m_dataset ? toQString(m_dataset->textFeature) : tr("text");
    const QString labelName = m_dataset ? toQString(m_dataset->targetFeature) : tr("label");
    switch (section) {
    case 0: return m_dataset && !m_dataset->sourceFiles.empty() ? tr("File") : tr("Line");
    case 1: return tr("%1 (text)").arg(textName);
    case 2: return tr("%1 (categorical)").arg(labelName);
    default: return {};
    }
}

} // namespace fika::ui
