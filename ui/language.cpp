// SPDX-License-Identifier: GPL-3.0-or-later
#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace fika::ui {
namespace {

const QString kLanguageKey = QStringLiteral("ui/language");

QTranslator* translator(int which)
{
    static QTranslator* translators[2] = {nullptr, nullptr};
    if (!translators[which])
        translators[which] = new QTranslator(QCoreApplication::instance());
    return translators[which];
}

} // namespace

QStringList availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("sv")};
}

QString applyLanguage(const QString& choice)
{
    QString language = choice;
    if (language.isEmpty()) {
        language = QStringLiteral("en");
        for (const QString& ui : QLocale::system().uiLanguages())
            if (ui.startsWith(QStringLiteral("sv"))) {
                language = QStringLiteral("sv");
                break;
            }
    }
    QTranslator* own = translator(0);
    QTranslator* qt = translator(1);
    QCoreApplication::removeTranslator(own);
    QCoreApplication::removeTranslator(qt);
    if (language == QStringLiteral("en"))
        return language;
    if (!own->load(QStringLiteral(":/i18n/fika_%1.qm").arg(language)))
        return QStringLiteral("en");
    QCoreApplication::installTranslator(own);
    if (qt->load(QStringLiteral("qtbase_%1").arg(language), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    return language;
}

QString savedLanguageChoice()
{
    return QSettings().value(kLanguageKey).toString();
}

void saveLanguageChoice(const QString& choice)
{
    QSettings().setValue(kLanguageKey, choice);
}

} // namespace fika::ui
