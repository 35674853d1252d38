// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QTextBrowser;

namespace fika::ui {

// Help › User guide: the tutorial, built into the app (:/guide/user-guide[_<lang>].html), so it
// reads offline, in the language Fika speaks. Links to the web open in the browser.
class UserGuideDialog : public QDialog {
    Q_OBJECT
public:
    explicit UserGuideDialog(QWidget* parent = nullptr);
    QTextBrowser* browser() const { return m_browser; }

private:
    QTextBrowser* m_browser = nullptr;
};

} // namespace fika::ui
