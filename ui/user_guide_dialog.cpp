// SPDX-License-Identifier: GPL-3.0-or-later
#include "user_guide_dialog.h"

#include "language.h"

#include <QDialogButtonBox>
#include <QFile>
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
    // The guide in the language Fika speaks, where there is one.
    QString page = QStringLiteral(":/guide/user-guide_%1.html").arg(activeLanguage());
    if (!QFile::exists(page))
        page = QStringLiteral(":/guide/user-guide.html");
    m_browser->setSource(QUrl(QStringLiteral("qrc") + page));
    layout->addWidget(m_browser);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    // Never larger than the window it helps with (a laptop screen).
    resize(parent ? QSize(720, 560).boundedTo(parent->window()->size()) : QSize(720, 560));
}

} // namespace fika::ui
