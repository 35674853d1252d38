// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace fika::ui {

// The language Fika speaks: "" follows the system, else "en" or "sv". Installs Fika's own
// translation (built into the app) and Qt's for standard dialogs; returns the language in use.
// Also sets the default QLocale, so that numbers follow the language ("12,9 %" in Swedish).
QString applyLanguage(const QString& choice);
QString resolveLanguage(const QString& choice); // "" → the system's language when translated, else "en"
QString activeLanguage();                      // what the last applyLanguage installed
QString savedLanguageChoice();          // from the settings; "" when never chosen
void saveLanguageChoice(const QString& choice);
QStringList availableLanguages();       // codes with a translation, "en" first

} // namespace fika::ui
