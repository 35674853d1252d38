// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>

namespace fika::core {

// What a warning is about: the work went on, but the user should know. Each interface words and
// places it by its code (the app translates a headline; fika-cli prints "warning: " + message).
enum class WarningCode {
    TextConverted = 1,        // a file read in another encoding was converted to UTF-8
    RowsSkipped,              // rows with problems were left out of the import
    LabelColumnLooksLikeText, // most labels are seen once: probably not a class column
    FileNotWritten,           // a cache or log the run goes on without
    OptimizerStateMissing,    // a resume without AdamW's moments: the run differs a little
    LabelsDifferInCase,       // 'Positive' and 'positive' are two classes: probably meant as one
};
inline constexpr WarningCode kLastWarningCode = WarningCode::LabelsDifferInCase;

struct Warning {
    WarningCode code = WarningCode::TextConverted;
    std::string message; // full sentence, naming what and where
    std::string file;    // the file concerned, if any
    std::string field;   // the column or config key concerned, if any
};

// Stable names for files that keep warnings (the encoded-dataset cache), e.g. "rows_skipped".
std::string warningCodeName(WarningCode code);
std::optional<WarningCode> warningCodeFromName(const std::string& name);

} // namespace fika::core
