// SPDX-License-Identifier: GPL-3.0-or-later
#include "user_guide_dialog.h"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace fika::ui {

UserGuideDialog::UserGuideDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Fika user guide"));
    auto* layout = new QVBoxLayout(this);
    m_browser = new QTextBrowser(this);
    m_browser->setOpenExternalLinks(true);
    m_browser->setSource(QUrl(QStringLiteral("qrc:/guide/user-guide.html")));
    layout->addWidget(m_browser);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    // Never larger than the window it helps with (a laptop screen).
    resize(parent ? QSize(720, 560).boundedTo(parent->window()->size()) : QSize(720, 560));
}

} // namespace fika::ui
