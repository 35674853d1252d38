// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "train/run_history.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <cstdint>

class QFileSystemWatcher;
class QTimer;

namespace fika::ui {

// Follows a run folder's metrics.jsonl as a trainer appends to it: this app's own run, fika-cli on
// this computer, or rank 0 of a cluster run writing to a shared disk. Only complete lines are read
// (a half-written last line waits for its end); a file truncated or replaced (a fresh --overwrite
// run) is read again from its start; a line that is not a metrics record is skipped and counted.
// A QFileSystemWatcher reports changes at once, and a timer polls as well, because watchers miss
// appends on some file systems (NFS, and writes from another machine).
class MetricsFollower : public QObject {
    Q_OBJECT
public:
    explicit MetricsFollower(const QString& runDir, QObject* parent = nullptr, int pollIntervalMs = 1000);

    QString runDir() const { return m_runDir; }
    const core::RunHistory& history() const { return m_history; }
    int skippedLines() const { return m_skippedLines; }
    // The first bad line's position and reason ("metrics.jsonl: line 3: …"), empty when none.
    QString firstSkipped() const { return m_firstSkipped; }

public Q_SLOTS:
    // Reads what was appended since the last call; emits the signals below for what it found.
    // True when the history changed.
    bool poll();

Q_SIGNALS:
    // The file was truncated, replaced or removed: the history starts over (empty until re-read).
    void restarted();
    void stepRead(const fika::core::StepEvent& event);
    void epochRead(const fika::core::EpochEvent& event);
    // After a poll that changed the history (once, however many lines it read).
    void changed();

private:
    void reset();
    bool readLine(const QByteArray& line); // true when the history changed
    void schedulePoll();
    void watchFile();

    QString m_runDir;
    QString m_file;
    QFileSystemWatcher* m_watcher = nullptr;
    QTimer* m_timer = nullptr;
    QTimer* m_soon = nullptr; // coalesces a burst of watcher reports into one read
    core::RunHistory m_history;
    int64_t m_offset = 0;     // bytes of the file read so far
    QByteArray m_partial;     // a last line without its newline yet
    QByteArray m_firstLine;   // the file's first line: a file rewritten since reads differently there
    uint64_t m_inode = 0;     // the file read so far; another one means it was replaced
    int64_t m_lineNumber = 0;
    int m_skippedLines = 0;
    QString m_firstSkipped;
};

} // namespace fika::ui
