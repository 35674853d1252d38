// SPDX-License-Identifier: GPL-3.0-or-later
#include "datasets/dataset_table_model.h"
#include "datasets/datasets_view.h"
#include "qcustomplot_wrapper.h"

#include "data/dataset_version.h"

#include <QDir>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

class TestDatasetsView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void importsShowsLengthsAndSavesAVersion()
    {
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("reviews.csv"));
        {
            std::ofstream out(csv.toStdString());
            out << "review,sentiment\n\"Great fun, really.\",positive\nDull.,negative\n,negative\n";
            for (int i = 0; i < 37; ++i)
                out << "\"word " << std::string(static_cast<size_t>(i * 3), 'x') << " and more words here\"," << (i % 2 ? "positive" : "negative") << "\n";
        }
        fika::ui::DatasetsView view;
        view.show();
        // No lengths yet: the histogram draws no sequence-length line (it was a stray diagonal).
        auto* histogram = view.findChild<QCustomPlot*>();
        QVERIFY(histogram && histogram->itemCount() == 1);
        QVERIFY(!histogram->item(0)->visible());
        QSignalSpy finished(&view, &fika::ui::DatasetsView::importFinished);
        view.importPath(csv);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(histogram->item(0)->visible());
        QCOMPARE(view.tableModel()->rowCount(), 39); // one row skipped: empty review
        QCOMPARE(view.tableModel()->data(view.tableModel()->index(0, 2)).toString(), QStringLiteral("positive"));
        QVERIFY(view.truncationSummary().startsWith(QStringLiteral("512 cuts 0.0 % of the texts")));
        view.setSequenceLength(6);
        QVERIFY2(view.truncationSummary().startsWith(QStringLiteral("6 cuts ")), qPrintable(view.truncationSummary()));
        QVERIFY(!view.truncationSummary().startsWith(QStringLiteral("6 cuts 0.0 %")));
        QCOMPARE(view.subsetSummary(), QStringLiteral("31 training, 8 validation, 0 test examples"));

        const QString version = dir.filePath(QStringLiteral("v1.yaml"));
        QString error;
        QVERIFY2(view.saveVersion(version, &error), qPrintable(error));
        std::ifstream in(version.toStdString());
        const std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QVERIFY(yaml.find("sequence_length: 6") != std::string::npos);
        QVERIFY(yaml.find("sha256: ") != std::string::npos);
    }

    // Save version records the hash the import worker computed: it reads no file on the UI thread
    // (the source may even be gone by then).
    void saveVersionHashesNothingOnTheUiThread()
    {
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("aclImdb"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/train/pos")) && QDir().mkpath(root + QStringLiteral("/train/neg")) &&
                QDir().mkpath(root + QStringLiteral("/test/pos")));
        for (int i = 0; i < 20; ++i) {
            const std::string name = "/" + std::to_string(i) + "_7.txt";
            std::ofstream(root.toStdString() + "/train/pos" + name) << "A fine film number " << i << ".";
            std::ofstream(root.toStdString() + "/train/neg" + name) << "A dull film number " << i << ".";
            std::ofstream(root.toStdString() + "/test/pos" + name) << "Unread " << i << ".";
        }
        const auto expected = fika::core::describeSource(root.toStdString());
        QVERIFY(expected.ok());
        fika::ui::DatasetsView view;
        QSignalSpy finished(&view, &fika::ui::DatasetsView::importFinished);
        view.importPath(root);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), true);
        // Folder rows name their file (they have no line): "neg/0_7.txt", not "0".
        auto* table = view.tableModel();
        QCOMPARE(table->headerData(0, Qt::Horizontal).toString(), QStringLiteral("File"));
        QVERIFY2(table->data(table->index(0, 0)).toString().endsWith(QStringLiteral("_7.txt")),
                 qPrintable(table->data(table->index(0, 0)).toString()));
        QVERIFY(table->data(table->index(0, 0)).toString().startsWith(QStringLiteral("neg/")) ||
                table->data(table->index(0, 0)).toString().startsWith(QStringLiteral("pos/")));
        QVERIFY(QDir(root).removeRecursively());
        const QString version = dir.filePath(QStringLiteral("v.yaml"));
        QString error;
        QVERIFY2(view.saveVersion(version, &error), qPrintable(error));
        auto saved = fika::core::loadDatasetVersion(version.toStdString());
        QVERIFY(saved.ok());
        QCOMPARE(saved->source.sha256, expected->sha256);
        QCOMPARE(saved->source.kind, std::string("folder"));
    }

    void badFilesReportAndKeepTheView()
    {
        fika::ui::DatasetsView view;
        QSignalSpy finished(&view, &fika::ui::DatasetsView::importFinished);
        view.importPath(QStringLiteral("/nonexistent/reviews.csv"));
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(view.tableModel()->rowCount(), 0);
        QVERIFY(!view.importSummary().contains(QStringLiteral("previous import")));

        // A failed import after a good one keeps the good one and says that Save and Use take it.
        QTemporaryDir dir;
        const QString good = dir.filePath(QStringLiteral("good.csv"));
        {
            std::ofstream out(good.toStdString());
            out << "review,sentiment\nfine,positive\ndull,negative\nfun,positive\nbad,negative\n";
        }
        finished.clear();
        view.importPath(good);
        QVERIFY(finished.wait(20000));
        QVERIFY(finished.first().first().toBool());
        finished.clear();
        view.importPath(QStringLiteral("/nonexistent/reviews.csv"));
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(view.tableModel()->rowCount(), 4);
        QVERIFY2(view.importSummary().startsWith(QStringLiteral("Import failed: ")) &&
                     view.importSummary().contains(QStringLiteral("still shows the previous import, ") + good),
                 qPrintable(view.importSummary()));
    }
};

QTEST_MAIN(TestDatasetsView)
#include "tst_datasets_view.moc"
