// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

namespace fika::ui {

class Studio;
class ServerPanel;
class TesterWidget;

// Deploy a checkpoint: the in-app tester beside the local HTTP API's controls.
class DeploymentView : public QWidget {
    Q_OBJECT
public:
    explicit DeploymentView(Studio* studio, QWidget* parent = nullptr);
    ~DeploymentView() override;
    TesterWidget* tester() const { return m_tester; }
    ServerPanel* server() const { return m_server; }

private:
    ServerPanel* m_server = nullptr;
    TesterWidget* m_tester = nullptr;
};

} // namespace fika::ui
