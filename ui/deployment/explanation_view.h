// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/explanation.h"

#include <QString>
#include <QWidget>

class QLabel;
class QTextBrowser;

namespace fika::ui {

// Why the model chose its class: the text with every word shaded by its Integrated Gradients
// attribution (orange for the class, blue against it: a scale colour-blind readers tell apart),
// a legend, the words that pushed most each way, and what the path integral missed.
class ExplanationView : public QWidget {
    Q_OBJECT
public:
    explicit ExplanationView(QWidget* parent = nullptr);

    void showExplanation(const QString& text, const core::Explanation& explanation, double milliseconds);
    void clear();
    QString html() const;     // the shaded text
    QString summary() const;  // legend line, top words and timing

private:
    QTextBrowser* m_text = nullptr;
    QLabel* m_summary = nullptr;
};

// The text as HTML, each explained word on a background whose colour and strength follow its
// attribution (relative to the largest); characters the model did not see (past the sequence
// length) are greyed. Offsets are code points, as the explanation gives them.
QString explanationHtml(const QString& text, const core::Explanation& explanation);

} // namespace fika::ui
