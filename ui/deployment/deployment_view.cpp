// SPDX-License-Identifier: GPL-3.0-or-later
#include "deployment/deployment_view.h"

#include "deployment/server_panel.h"
#include "deployment/tester_widget.h"

#include <QHBoxLayout>

#include <QGroupBox>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace fika::ui {

DeploymentView::DeploymentView(Studio* studio, QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* heading = new QLabel(tr("<h2>Deployment</h2>Serve a checkpoint on a local HTTP API, and try it on your "
                                  "own text."),
                               this);
    heading->setTextFormat(Qt::RichText);
    heading->setWordWrap(true);
    layout->addWidget(heading);
    // Side by side in a splitter: on a narrow screen the user gives the room to either.
    auto* columns = new QSplitter(Qt::Horizontal, this);
    columns->setChildrenCollapsible(false);
    auto* serverBox = new QGroupBox(tr("Deployment"), this);
    auto* serverLayout = new QVBoxLayout(serverBox);
    m_server = new ServerPanel(studio, serverBox);
    serverLayout->addWidget(m_server);
    auto* testerBox = new QGroupBox(tr("Tester"), this);
    auto* testerLayout = new QVBoxLayout(testerBox);
    // The tester scrolls in its column: an explanation (a chart as tall as its words) made the whole
    // view scroll at 1366x768 at 125 %, the deployment's settings and Play out of sight.
    auto* testerScroll = new QScrollArea(testerBox);
    testerScroll->setWidgetResizable(true);
    testerScroll->setFrameShape(QFrame::NoFrame);
    testerScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    testerScroll->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Ignored); // the room there is, no more
    m_tester = new TesterWidget(studio, testerScroll);
    testerScroll->setWidget(m_tester);
    testerLayout->addWidget(testerScroll);
    columns->addWidget(serverBox);
    columns->addWidget(testerBox);
    columns->setStretchFactor(0, 3);
    columns->setStretchFactor(1, 2);
    layout->addWidget(columns, 1);

    // The tester here tests what the panel deploys (the deployed model itself while it serves),
    // not the experiment open in Modeling.
    auto follow = [this] {
        m_tester->followCheckpoint(m_server->checkpointDir(), m_server->checkpointName(), m_server->servedPredictor());
    };
    connect(m_server, &ServerPanel::checkpointChanged, this, follow);
    connect(m_server, &ServerPanel::servingChanged, this, follow);
    // The tester answers in the precision chosen for deployment, as the API will.
    connect(m_server, &ServerPanel::precisionChanged, this, [this] { m_tester->setBf16(m_server->usesBf16()); });
    m_tester->setBf16(m_server->usesBf16());
    follow();
}

DeploymentView::~DeploymentView()
{
    disconnect(m_server, nullptr, this, nullptr); // the panel stops serving as it goes; the tester may be gone
}

} // namespace fika::ui
