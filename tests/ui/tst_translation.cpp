// SPDX-License-Identifier: GPL-3.0-or-later
// The Swedish translation: complete (every message finished, nothing in the sources untranslated)
// and shown after switching the language in Preferences.
#include "language.h"
#include "main_window.h"
#include "preferences_dialog.h"

#include <QComboBox>
#include <QDomDocument>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// lupdate over today's sources into `copy`, a copy of translations/<name>: what it leaves new or
// unfinished is what the sources lack.
void lupdateCopy(const QString& name, const QString& copy, const QStringList& flags)
{
    QVERIFY(QFile::copy(QStringLiteral(FIKA_SOURCE_DIR "/translations/") + name, copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    QProcess lupdate;
    lupdate.start(QStringLiteral(FIKA_LUPDATE), flags + QStringList{QStringLiteral("-no-obsolete"), QStringLiteral(FIKA_SOURCE_DIR "/ui"),
                                                                      QStringLiteral(FIKA_SOURCE_DIR "/app/gui"), QStringLiteral("-ts"), copy});
    QVERIFY(lupdate.waitForFinished(60000));
    QCOMPARE(lupdate.exitCode(), 0);
}

class TestTranslation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyMessageIsFinished()
    {
        // lupdate over today's sources into a copy: no message may be new or unfinished.
        QTemporaryDir dir;
        const QString ts = dir.filePath(QStringLiteral("fika_sv.ts"));
        lupdateCopy(QStringLiteral("fika_sv.ts"), ts, {});
        QFile file(ts);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QDomDocument doc;
        QVERIFY(doc.setContent(&file));
        const auto messages = doc.elementsByTagName(QStringLiteral("message"));
        QVERIFY(messages.size() > 250);
        QStringList unfinished;
        for (int i = 0; i < messages.size(); ++i) {
            const auto message = messages.at(i).toElement();
            const auto translation = message.firstChildElement(QStringLiteral("translation"));
            if (translation.attribute(QStringLiteral("type")) == QStringLiteral("unfinished") || translation.text().isEmpty())
                unfinished << message.firstChildElement(QStringLiteral("source")).text();
        }
        QVERIFY2(unfinished.isEmpty(), qPrintable(QStringLiteral("untranslated: ") + unfinished.join(QStringLiteral(" | "))));
    }

    void switchingToSwedishInPreferences()
    {
        fika::ui::PreferencesDialog preferences;
        auto* box = preferences.languageBox();
        box->setCurrentIndex(box->findData(QStringLiteral("sv")));
        preferences.accept();
        QCOMPARE(fika::ui::savedLanguageChoice(), QStringLiteral("sv"));
        // The choice takes effect at the next start, which applies the saved language:
        QCOMPARE(fika::ui::applyLanguage(fika::ui::savedLanguageChoice()), QStringLiteral("sv"));
        fika::ui::MainWindow window;
        QCOMPARE(window.sectionNames(),
                 (QStringList{QStringLiteral("Projekt"), QStringLiteral("Datamängder"), QStringLiteral("Modellering"),
                              QStringLiteral("Utvärdering"), QStringLiteral("Driftsättning")}));
        QCOMPARE(fika::ui::applyLanguage(QStringLiteral("en")), QStringLiteral("en"));
        fika::ui::MainWindow english;
        QCOMPARE(english.sectionNames().first(), QStringLiteral("Project"));
        // English plurals come from fika_en.qm: "1 epoch", "3 epochs", never "epoch(s)".
        const char* source = "Checkpoints take about %1 on disk (%n epoch(s); training.keep_epoch_checkpoints limits it).";
        QCOMPARE(QCoreApplication::translate("fika::ui::ModelingView", source, nullptr, 1).arg(QStringLiteral("1 MB")),
                 QStringLiteral("Checkpoints take about 1 MB on disk (1 epoch; training.keep_epoch_checkpoints limits it)."));
        QCOMPARE(QCoreApplication::translate("fika::ui::ModelingView", source, nullptr, 3).arg(QStringLiteral("1 MB")),
                 QStringLiteral("Checkpoints take about 1 MB on disk (3 epochs; training.keep_epoch_checkpoints limits it)."));
    }

    // English's plural forms (fika_en.ts) cover every %n message of the sources.
    void everyEnglishPluralIsFinished()
    {
        QTemporaryDir dir;
        const QString ts = dir.filePath(QStringLiteral("fika_en.ts"));
        lupdateCopy(QStringLiteral("fika_en.ts"), ts, {QStringLiteral("-pluralonly")});
        QFile file(ts);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("numerus=\"yes\""));
        QVERIFY2(!text.contains("type=\"unfinished\""), text.constData());
    }
};

QTEST_MAIN(TestTranslation)
#include "tst_translation.moc"
