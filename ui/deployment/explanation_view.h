// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/explanation.h"

#include <QString>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPBars;
class QLabel;
class QTextBrowser;

namespace fika::ui {

// Why the model chose its class: the text with every word shaded by its Integrated Gradients
// attribution (orange for the class, blue against it: a scale colour-blind readers tell apart),
// a legend, the time it took, and a bar chart of the words that pushed most each way. Every
// shaded word and every bar has a tooltip with its numbers.
class ExplanationView : public QWidget {
    Q_OBJECT
public:
    explicit ExplanationView(QWidget* parent = nullptr);

    void showExplanation(const QString& text, const core::Explanation& explanation, double milliseconds);
    void clear();
    // The chart beside the text instead of under it, for a view wider than it is tall.
    void setChartBeside(bool beside);

    QString html() const;     // the shaded text
    QString summary() const;  // legend line, steps and timing
    QString text() const { return m_shownText; } // the text explained
    QTextBrowser* textBrowser() const { return m_text; }
    QCustomPlot* chart() const { return m_chart; }
    // The charted words from the top bar down: the (at most) 5 largest attributions for the class in
    // descending order, then the 5 most negative, the most negative last.
    const std::vector<core::WordAttribution>& chartedWords() const { return m_charted; }
    QString barToolTip(int row) const;
    // The tooltip of the bar at `pos` in chart() coordinates; empty where there is none.
    QString barToolTipAt(const QPoint& pos) const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void drawChart();
    void fitTextHeight();

    QTextBrowser* m_text = nullptr;
    QLabel* m_summary = nullptr;
    QCustomPlot* m_chart = nullptr;
    QCPBars* m_forBars = nullptr;
    QCPBars* m_againstBars = nullptr;
    QString m_shownText;
    bool m_besideChart = false;
    core::Explanation m_explanation;
    std::vector<core::WordAttribution> m_charted;
};

// The text as HTML, each explained word on a background whose colour and strength follow its
// attribution (relative to the largest), with a tooltip of its numbers; characters the model did not
// see (past the sequence length) are greyed. Offsets are code points, as the explanation gives them.
QString explanationHtml(const QString& text, const core::Explanation& explanation);

// A word's numbers for a tooltip: the word, its attribution and its share of logit − baseline logit.
QString wordToolTip(const core::WordAttribution& word, const core::Explanation& explanation);

} // namespace fika::ui
