// SPDX-License-Identifier: GPL-3.0-or-later
#include "evaluation/misclassified_browser.h"

#include "deployment/explanation_view.h"
#include "error_text.h"
#include "pool_work.h"
#include "qt_config.h"
#include "ui_format.h"

#include "runtime/runtime.h"

#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <utility>

namespace fika::ui {
namespace {

enum Column { TruthColumn, PredictedColumn, ConfidenceColumn, TextColumn };
// Of a review in the list: more than any screen shows on one line (the table elides it at the
// column's width; 160 ended short of a wide column); the tooltip has the whole review.
constexpr int kFirstCharacters = 600;

double confidence(const core::Prediction& prediction)
{
    return prediction.probabilities[static_cast<size_t>(prediction.labelId)];
}

} // namespace

QString reviewTooltip(const QString& review)
{
    // Rich text, which a tooltip wraps: a plain one is a single line as wide as the review.
    return QStringLiteral("<p>%1</p>").arg(review.left(3000).toHtmlEscaped());
}

MisclassifiedBrowser::MisclassifiedBrowser(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    layout->addWidget(m_caption);
    // The list above the explanation, each the tab's whole width: beside it, the list had 2/5 of
    // the width at 1366x768, and after the label and confidence columns the reviews ~110 px.
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    m_list = new QTableWidget(0, 4, splitter);
    m_list->setObjectName(QStringLiteral("misclassifiedList"));
    m_list->setHorizontalHeaderLabels({tr("True"), tr("Predicted"), tr("Confidence"), tr("Review")});
    m_list->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->horizontalHeader()->setSectionResizeMode(TextColumn, QHeaderView::Stretch);
    m_list->verticalHeader()->setVisible(false);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setWordWrap(false);
    m_list->setTabKeyNavigation(false); // Tab leaves the list; arrows move in it
    // One line of text per review: the style's 30 px rows showed two reviews at 1366x768 at 125 %.
    m_list->verticalHeader()->setDefaultSectionSize(m_list->fontMetrics().height() + 8);
    // The explanation scrolls within its pane: its chart is as tall as its rows (up to 16 words), and
    // as the pane's minimum it left the list two rows at 1366x768 at 125 % and made the view scroll.
    auto* pane = new QScrollArea(splitter);
    pane->setWidgetResizable(true);
    pane->setFrameShape(QFrame::NoFrame);
    auto* right = new QWidget(pane);
    pane->setWidget(right);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_busy = new QProgressBar(right);
    m_busy->setRange(0, 0); // how long is unknown: a moving bar
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(12);
    m_busy->setToolTip(tr("Explaining the review: Integrated Gradients, 32 passes through the model"));
    m_busy->setVisible(false);
    m_error = new QLabel(right);
    m_error->setWordWrap(true);
    m_error->setVisible(false);
    m_view = new ExplanationView(right);
    m_view->setChartBeside(true);
    rightLayout->addWidget(m_busy);
    rightLayout->addWidget(m_error);
    rightLayout->addWidget(m_view, 1);
    rightLayout->addStretch();
    splitter->addWidget(m_list);
    splitter->addWidget(pane);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({2000, 3000}); // in that ratio, as the stretch factors, until fitSplit
    layout->addWidget(splitter, 1);
    m_splitter = splitter;
    connect(splitter, &QSplitter::splitterMoved, this, [this] { m_splitChosen = true; });

    connect(m_list, &QTableWidget::itemSelectionChanged, this, &MisclassifiedBrowser::onSelectionChanged);
    connect(&m_loader, &QFutureWatcher<void>::finished, this, &MisclassifiedBrowser::onLoaded);
    connect(&m_explainer, &QFutureWatcher<void>::finished, this, &MisclassifiedBrowser::onExplained);
    setEvaluation(nullptr, {});
}

void MisclassifiedBrowser::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitSplit();
}

// The list as tall as five reviews, or half the height where there is less, and the explanation the
// rest (it scrolls in its pane): 2/5 left two rows at 1366x768 at 125 %. A dragged splitter stays.
void MisclassifiedBrowser::fitSplit()
{
    const int total = m_splitter->height() - m_splitter->handleWidth();
    if (m_splitChosen || total <= 0)
        return;
    const int fiveReviews = m_list->horizontalHeader()->sizeHint().height() + 5 * m_list->verticalHeader()->defaultSectionSize() +
                            2 * m_list->frameWidth();
    const int list = std::min(fiveReviews, total / 2);
    m_splitter->setSizes({list, total - list});
}

// The pool tasks hold what they use (predictor, evaluation), not this widget: a watcher destroyed
// while they run drops their results.
MisclassifiedBrowser::~MisclassifiedBrowser() = default;

void MisclassifiedBrowser::setEvaluation(std::shared_ptr<const core::TextEvaluation> evaluation, const QString& checkpointDir)
{
    if (evaluation && evaluation == m_evaluation)
        return;
    m_evaluation = std::move(evaluation);
    m_checkpointDir = checkpointDir;
    // A new evaluation may be of a checkpoint written again since (a run finished): its model is
    // loaded anew on the first selection, and an earlier one need not stay in memory.
    m_predictor.reset();
    m_wanted = -1;
    m_view->clear();
    m_busy->setVisible(false);
    m_error->setVisible(false);
    m_listed.clear();
    if (m_evaluation) {
        const auto& e = *m_evaluation;
        for (size_t i = 0; i < e.texts.size(); ++i)
            if (e.predictions[i].labelId >= 0 && e.predictions[i].labelId != e.truth[i])
                m_listed.push_back(i);
        std::stable_sort(m_listed.begin(), m_listed.end(), [&e](size_t a, size_t b) {
            return confidence(e.predictions[a]) > confidence(e.predictions[b]);
        });
    }
    const QSignalBlocker blocker(m_list);
    m_list->setRowCount(0);
    m_list->setRowCount(static_cast<int>(m_listed.size()));
    for (int row = 0; row < static_cast<int>(m_listed.size()); ++row) {
        const size_t i = m_listed[static_cast<size_t>(row)];
        const auto& e = *m_evaluation;
        const QString text = toQString(e.texts[i]);
        m_list->setItem(row, TruthColumn, new QTableWidgetItem(toQString(e.labels[static_cast<size_t>(e.truth[i])])));
        m_list->setItem(row, PredictedColumn, new QTableWidgetItem(toQString(e.predictions[i].label)));
        auto* share = new QTableWidgetItem(formatPercent(confidence(e.predictions[i])));
        share->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_list->setItem(row, ConfidenceColumn, share);
        auto* first = new QTableWidgetItem(text.left(kFirstCharacters).simplified());
        first->setToolTip(reviewTooltip(text));
        m_list->setItem(row, TextColumn, first);
    }
    if (!m_evaluation)
        m_caption->setText(tr("The misclassified validation reviews are listed once the checkpoint's predictions are computed."));
    else if (m_listed.empty())
        m_caption->setText(tr("No validation review is misclassified."));
    else
        m_caption->setText(tr("%1 of %2 validation reviews misclassified, the most confidently wrong first. Select one to "
                              "see which words made the prediction.")
                               .arg(m_listed.size())
                               .arg(m_evaluation->texts.size()));
    Q_EMIT countChanged(m_evaluation ? count() : -1);
}

QString MisclassifiedBrowser::caption() const
{
    return m_caption->text();
}

QString MisclassifiedBrowser::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

void MisclassifiedBrowser::onSelectionChanged()
{
    const auto selected = m_list->selectionModel()->selectedRows();
    m_view->clear(); // nothing of the previous review may stay
    m_error->setVisible(false);
    m_wanted = selected.isEmpty() ? -1 : static_cast<long>(m_listed[static_cast<size_t>(selected.first().row())]);
    startWork();
}

void MisclassifiedBrowser::startWork()
{
    m_busy->setVisible(m_wanted >= 0);
    if (m_wanted < 0 || !m_evaluation || m_loader.isRunning() || m_explainer.isRunning())
        return; // what finishes calls this again
    if (!m_predictor) {
        // The checkpoint's own encoding, as its predictions were computed (evaluateValidationSubset).
        m_loadingFor = m_evaluation;
        m_loader.setFuture(loadPredictorInBackground(m_checkpointDir, core::PredictorOptions{}));
        return;
    }
    const auto example = static_cast<size_t>(m_wanted);
    m_explainer.setFuture(QtConcurrent::run([predictor = m_predictor, evaluation = m_evaluation, example] {
        QElapsedTimer timer;
        timer.start();
        Work work{evaluation, example, 0, nullptr};
        core::ExplainOptions options;
        options.classId = evaluation->predictions[example].labelId; // why it said what it said
        work.explanation = resultOrError<core::Explanation>(
            "explain", [&] { return predictor->explain(evaluation->texts[example], options); });
        work.milliseconds = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        core::releaseComputeThreads(); // the pool thread stays; its OpenMP team would slow training
        return work;
    }));
}

void MisclassifiedBrowser::onLoaded()
{
    const PredictorLoad loaded = m_loader.result();
    if (std::exchange(m_loadingFor, nullptr) != m_evaluation)
        return startWork(); // another checkpoint was chosen or evaluated meanwhile
    if (!loaded->ok()) {
        m_busy->setVisible(false);
        m_error->setText(tr("<span style='color:#c0392b'>%1</span>").arg(ErrorText::text(loaded->error()).toHtmlEscaped()));
        m_error->setVisible(true);
        m_wanted = -1;
        Q_EMIT explained(false);
        return;
    }
    m_predictor = loaded->value();
    startWork();
}

void MisclassifiedBrowser::onExplained()
{
    const Work work = m_explainer.result();
    if (work.evaluation != m_evaluation || static_cast<long>(work.example) != m_wanted)
        return startWork(); // the selection moved on: explain the review selected now
    m_wanted = -1;
    m_busy->setVisible(false);
    if (!work.explanation->ok()) {
        m_error->setText(tr("<span style='color:#c0392b'>%1</span>").arg(ErrorText::text(work.explanation->error()).toHtmlEscaped()));
        m_error->setVisible(true);
        Q_EMIT explained(false);
        return;
    }
    m_view->showExplanation(toQString(m_evaluation->texts[work.example]), work.explanation->value(), work.milliseconds);
    Q_EMIT explained(true);
}

} // namespace fika::ui
