// SPDX-License-Identifier: GPL-3.0-or-later
#include "deployment/deployment_view.h"

#include "deployment/tester_widget.h"

#include <QGroupBox>
#include <QLabel>
#include <QVBoxLayout>

namespace fika::ui {

DeploymentView::DeploymentView(Studio* studio, QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* heading = new QLabel(tr("<h2>Deployment</h2>Try the trained model on your own text."), this);
    heading->setTextFormat(Qt::RichText);
    layout->addWidget(heading);
    auto* testerBox = new QGroupBox(tr("Tester"), this);
    auto* testerLayout = new QVBoxLayout(testerBox);
    m_tester = new TesterWidget(studio, testerBox);
    testerLayout->addWidget(m_tester);
    layout->addWidget(testerBox, 1);
}

} // namespace fika::ui
