// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Strings cross from core (UTF-8 std::string) to Qt here and only here.
#include <QString>

#include <string>

namespace fika::ui {

inline QString toQString(const std::string& text)
{
    return QString::fromStdString(text);
}

inline std::string toStdString(const QString& text)
{
    return text.toStdString();
}

} // namespace fika::ui
