// SPDX-License-Identifier: GPL-3.0-or-later
// Errors in the interface lead with a translated headline chosen by their code, then core's detail.
#include "error_text.h"
#include "language.h"

#include <QApplication>
#include <QSet>
#include <QTest>

using namespace fika;
using ui::ErrorText;

class TestErrorText : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { ui::applyLanguage(QStringLiteral("en")); }

    // Every code has its own headline, in English and in Swedish: a new code without one fails here.
    void everyCodeHasATranslatedHeadline()
    {
        QCOMPARE(ui::applyLanguage(QStringLiteral("en")), QStringLiteral("en"));
        QStringList english;
        for (int c = 1; c <= int(core::kLastErrorCode); ++c)
            english << ErrorText::headline(core::ErrorCode(c));
        QCOMPARE(ui::applyLanguage(QStringLiteral("sv")), QStringLiteral("sv"));
        QSet<QString> seen;
        for (int c = 1; c <= int(core::kLastErrorCode); ++c) {
            const QString swedish = ErrorText::headline(core::ErrorCode(c));
            const QByteArray where = QByteArray("code ") + QByteArray::number(c) + ": " + english[c - 1].toUtf8();
            QVERIFY2(!english[c - 1].isEmpty(), where.constData());
            QVERIFY2(!swedish.isEmpty() && swedish != english[c - 1], (where + " is not in Swedish").constData());
            QVERIFY2(!seen.contains(swedish), (where + " shares its headline").constData());
            seen.insert(swedish);
        }
        QVERIFY(ErrorText::headline(core::ErrorCode::None).isEmpty());
    }

    void swedishHeadlineLeadsTheDetail_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("headline");
        QTest::newRow("disk full") << int(core::ErrorCode::DiskFull)
                                   << QStringLiteral("Disken är full: frigör utrymme och försök igen.");
        QTest::newRow("I/O") << int(core::ErrorCode::IoError) << QStringLiteral("En fil kunde inte läsas eller skrivas.");
        QTest::newRow("permission") << int(core::ErrorCode::PermissionDenied)
                                    << QStringLiteral("Åtkomst nekad: välj en annan mapp eller ändra dess behörigheter.");
        QTest::newRow("diverged") << int(core::ErrorCode::Diverged)
                                  << QStringLiteral("Träningen divergerade (förlusten är inte längre ett tal): sänk inlärningstakten.");
    }

    void swedishHeadlineLeadsTheDetail()
    {
        QFETCH(int, code);
        QFETCH(QString, headline);
        QCOMPARE(ui::applyLanguage(QStringLiteral("sv")), QStringLiteral("sv"));
        const auto error = core::makeError(core::ErrorCode(code), "/runs/a/metrics.jsonl: cannot be written (No space left on device)",
                                           "/runs/a/metrics.jsonl");
        QCOMPARE(ErrorText::headline(error.code), headline);
        QCOMPARE(ErrorText::text(error),
                 headline + QStringLiteral(" /runs/a/metrics.jsonl: cannot be written (No space left on device)"));
    }

    // The detail names the place (file, line, key) where core's message does not already.
    void detailAddsThePlaceTheMessageLacks()
    {
        const auto named = core::makeError(core::ErrorCode::Csv, "reviews.csv: line 7: unterminated quote", "reviews.csv", 7);
        QCOMPARE(ErrorText::detail(named), QStringLiteral("reviews.csv: line 7: unterminated quote"));
        const auto bare = core::makeError(core::ErrorCode::ConfigInvalid, "must be positive", "experiment.yaml", 12, -1,
                                          "train.batch_size");
        QCOMPARE(ErrorText::detail(bare),
                 QStringLiteral("must be positive (file experiment.yaml, line 12, key train.batch_size)"));
        QCOMPARE(ErrorText::text(core::makeError(core::ErrorCode::None, "plain")), QStringLiteral("plain"));
    }
};

QTEST_MAIN(TestErrorText)
#include "tst_error_text.moc"
