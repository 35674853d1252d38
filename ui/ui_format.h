// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QLocale>
#include <QString>

#include <cmath>
#include <cstdint>

namespace fika::ui {

// "1:05:09" or "4:02": hours only when needed.
inline QString formatDuration(double seconds)
{
    const auto total = static_cast<int64_t>(std::llround(std::max(0.0, seconds)));
    const int64_t h = total / 3600, m = (total / 60) % 60, s = total % 60;
    return h > 0 ? QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'))
                 : QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

inline QString formatBytes(int64_t bytes)
{
    return QCoreApplication::translate("fika", "%1 GB").arg(QLocale().toString(static_cast<double>(bytes) / 1e9, 'f', 1));
}

inline QString formatPercent(double fraction, int decimals = 1)
{
    return QStringLiteral("%1 %").arg(QLocale().toString(fraction * 100.0, 'f', decimals));
}

} // namespace fika::ui
