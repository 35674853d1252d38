// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/warning.h"

#include <array>
#include <utility>

namespace fika::core {
namespace {

constexpr std::array<std::pair<WarningCode, const char*>, 6> kNames{{
    {WarningCode::TextConverted, "text_converted"},
    {WarningCode::RowsSkipped, "rows_skipped"},
    {WarningCode::LabelColumnLooksLikeText, "label_column_looks_like_text"},
    {WarningCode::FileNotWritten, "file_not_written"},
    {WarningCode::OptimizerStateMissing, "optimizer_state_missing"},
    {WarningCode::LabelsDifferInCase, "labels_differ_in_case"},
}};

} // namespace

std::string warningCodeName(WarningCode code)
{
    for (const auto& [value, name] : kNames)
        if (value == code)
            return name;
    return "unknown";
}

std::optional<WarningCode> warningCodeFromName(const std::string& name)
{
    for (const auto& [value, known] : kNames)
        if (name == known)
            return value;
    return std::nullopt;
}

} // namespace fika::core
