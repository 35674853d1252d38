// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/bert_config.h"

#include <QWidget>

class QCheckBox;
class QLabel;

namespace fika::ui {

// The model drawn as its chain of blocks: Input → BERT encoder → Dense (pooler) → Dense
// (classifier) → Target, each with its parameter count and whether it learns.
class BlockChain : public QWidget {
    Q_OBJECT
public:
    explicit BlockChain(QWidget* parent = nullptr);

    void setModel(const core::BertConfig& shape, bool pretrained, const QString& inputName, const QString& targetName,
                  int sequenceLength);
    bool encoderTrainable() const;
    void setEncoderTrainable(bool trainable);

Q_SIGNALS:
    void encoderTrainableChanged(bool trainable);

private:
    QLabel* addBlock(const QString& title, QCheckBox* trainable);

    QLabel* m_input = nullptr;
    QLabel* m_encoder = nullptr;
    QLabel* m_pooler = nullptr;
    QLabel* m_classifier = nullptr;
    QLabel* m_target = nullptr;
    QCheckBox* m_encoderTrainable = nullptr;
};

} // namespace fika::ui
