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
    static QTranslator* translators[3] = {nullptr, nullptr, nullptr};
    if (!translators[which])
        translators[which] = new QTranslator(QCoreApplication::instance());
    return translators[which];
}

QString& activeLanguageStore()
{
    static QString language = QStringLiteral("en"); // before applyLanguage: the sources' English
    return language;
}

} // namespace

QStringList availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("sv")};
}

QString resolveLanguage(const QString& choice)
{
    if (!choice.isEmpty())
        return choice;
    for (const QString& ui : QLocale::system().uiLanguages())
        if (ui.startsWith(QStringLiteral("sv")))
            return QStringLiteral("sv");
    return QStringLiteral("en");
}

QString applyLanguage(const QString& choice)
{
    QString language = resolveLanguage(choice);
    QTranslator* own = translator(0);
    QTranslator* qt = translator(1);
    QTranslator* buttons = translator(2);
    for (QTranslator* installed : {own, qt, buttons})
        QCoreApplication::removeTranslator(installed);
    if (language != QStringLiteral("en") && own->load(QStringLiteral(":/i18n/fika_%1.qm").arg(language))) {
        QCoreApplication::installTranslator(own);
        // Qt's own dialogs and buttons: qtbase_<lang>.qm where Qt ships one; for Swedish Debian's
        // qt6-translations-l10n has only the older qt_sv.qm.
        const QString dir = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
        if (qt->load(QStringLiteral("qtbase_%1").arg(language), dir) || qt->load(QStringLiteral("qt_%1").arg(language), dir))
            QCoreApplication::installTranslator(qt);
        // Qt 6's standard buttons (context QPlatformTheme), which qt_sv.qm predates.
        if (buttons->load(QStringLiteral(":/i18n/qtplatform_%1.qm").arg(language)))
            QCoreApplication::installTranslator(buttons);
    } else {
        language = QStringLiteral("en");
        // The sources are English; fika_en.qm holds only the plural forms ("%n epoch(s)": 1 epoch, 2 epochs).
        if (own->load(QStringLiteral(":/i18n/fika_en.qm")))
            QCoreApplication::installTranslator(own);
    }
    // Numbers as the language writes them ("12,9 %" in Swedish); the system's own locale when it
    // speaks the same language (its country's conventions), else the language's default country.
    const QLocale locale = QLocale::system().language() == QLocale(language).language() ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale);
    activeLanguageStore() = language;
    return language;
}

QString activeLanguage()
{
    return activeLanguageStore();
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
