// SPDX-License-Identifier: GPL-3.0-or-later
#include "deployment/deployment_view.h"

#include "deployment/server_panel.h"
#include "deployment/tester_widget.h"

#include <QHBoxLayout>

#include <QGroupBox>
#include <QLabel>
#include <QVBoxLayout>

namespace fika::ui {

DeploymentView::DeploymentView(Studio* studio, QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* heading = new QLabel(tr("<h2>Deployment</h2>Serve a checkpoint on a local HTTP API, and try it on your "
                                  "own text."),
                               this);
    heading->setTextFormat(Qt::RichText);
    layout->addWidget(heading);
    auto* columns = new QHBoxLayout;
    auto* serverBox = new QGroupBox(tr("Deployment"), this);
    auto* serverLayout = new QVBoxLayout(serverBox);
    m_server = new ServerPanel(studio, serverBox);
    serverLayout->addWidget(m_server);
    auto* testerBox = new QGroupBox(tr("Tester"), this);
    auto* testerLayout = new QVBoxLayout(testerBox);
    m_tester = new TesterWidget(studio, testerBox);
    testerLayout->addWidget(m_tester);
    columns->addWidget(serverBox, 1);
    columns->addWidget(testerBox, 1);
    layout->addLayout(columns, 1);
}

} // namespace fika::ui
