// SPDX-License-Identifier: GPL-3.0-or-later
#include "modeling/block_chain.h"

#include <QCheckBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace fika::ui {
namespace {

QString parameters(int64_t count)
{
    if (count >= 1000000)
        return QObject::tr("%1 M parameters").arg(QLocale().toString(static_cast<double>(count) / 1e6, 'f', 1));
    return QObject::tr("%1 parameters").arg(QLocale().toString(static_cast<qlonglong>(count)));
}

} // namespace

BlockChain::BlockChain(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_encoderTrainable = new QCheckBox(tr("Trainable"), this);
    m_encoderTrainable->setChecked(true);
    m_encoderTrainable->setToolTip(tr("Off: the encoder's weights stay as loaded and only the two Dense blocks learn "
                                      "(much faster, usually less accurate)."));
    connect(m_encoderTrainable, &QCheckBox::toggled, this, &BlockChain::encoderTrainableChanged);
    auto* poolerTrainable = new QCheckBox(tr("Trainable"), this);
    auto* classifierTrainable = new QCheckBox(tr("Trainable"), this);
    for (auto* box : {poolerTrainable, classifierTrainable}) {
        box->setChecked(true);
        box->setEnabled(false);
        box->setToolTip(tr("The Dense blocks always learn: they adapt BERT to your classes."));
    }
    m_input = addBlock(tr("Input"), nullptr);
    m_encoder = addBlock(tr("BERT encoder"), m_encoderTrainable);
    m_pooler = addBlock(tr("Dense (pooler)"), poolerTrainable);
    m_classifier = addBlock(tr("Dense (classifier)"), classifierTrainable);
    m_target = addBlock(tr("Target"), nullptr);
}

QLabel* BlockChain::addBlock(const QString& title, QCheckBox* trainable)
{
    auto* layout = static_cast<QHBoxLayout*>(this->layout());
    if (layout->count() > 0) {
        auto* arrow = new QLabel(QStringLiteral("→"), this);
        arrow->setAlignment(Qt::AlignCenter);
        QFont font = arrow->font();
        font.setPointSizeF(font.pointSizeF() * 1.6);
        arrow->setFont(font);
        layout->addWidget(arrow);
    }
    auto* card = new QFrame(this);
    card->setFrameShape(QFrame::StyledPanel);
    card->setAutoFillBackground(true);
    card->setBackgroundRole(trainable ? QPalette::Base : QPalette::AlternateBase);
    auto* cardLayout = new QVBoxLayout(card);
    auto* heading = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), card);
    auto* details = new QLabel(card);
    details->setWordWrap(true);
    details->setTextFormat(Qt::RichText);
    cardLayout->addWidget(heading);
    cardLayout->addWidget(details, 1);
    if (trainable) {
        trainable->setParent(card);
        cardLayout->addWidget(trainable);
    }
    layout->addWidget(card, 1);
    return details;
}

void BlockChain::setModel(const core::BertConfig& shape, bool pretrained, const QString& inputName,
                          const QString& targetName, int sequenceLength)
{
    const auto sizes = shape.blockParameterCounts();
    const QString weights = pretrained ? tr("pretrained") : tr("random");
    m_input->setText(tr("<i>%1</i><br>%2 tokens").arg(inputName.toHtmlEscaped()).arg(sequenceLength));
    m_encoder->setText(tr("%1 layers, hidden %2, %3 heads<br>%4 weights<br>%5")
                           .arg(shape.numLayers)
                           .arg(shape.hiddenSize)
                           .arg(shape.numHeads)
                           .arg(weights, parameters(sizes.embeddings + sizes.encoderLayers)));
    m_pooler->setText(tr("%1 → %1, tanh<br>%2 weights<br>%3").arg(shape.hiddenSize).arg(weights, parameters(sizes.pooler)));
    m_classifier->setText(tr("%1 → %2 classes<br>untrained<br>%3")
                              .arg(shape.hiddenSize)
                              .arg(shape.numLabels())
                              .arg(parameters(sizes.classifier)));
    m_target->setText(tr("<i>%1</i><br>softmax").arg(targetName.toHtmlEscaped()));
}

bool BlockChain::encoderTrainable() const
{
    return m_encoderTrainable->isChecked();
}

void BlockChain::setEncoderTrainable(bool trainable)
{
    m_encoderTrainable->setChecked(trainable);
}

} // namespace fika::ui
