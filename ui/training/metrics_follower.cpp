// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/metrics_follower.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>

namespace fika::ui {
namespace {

constexpr int kCoalesceMs = 100; // at most ~10 reads a second however often the watcher reports

// The file's inode and size; false when it does not exist.
bool fileIdentity(const QString& path, uint64_t* inode, int64_t* size)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return false;
    *inode = static_cast<uint64_t>(st.st_ino);
    *size = static_cast<int64_t>(st.st_size);
    return true;
}

} // namespace

MetricsFollower::MetricsFollower(const QString& runDir, QObject* parent, int pollIntervalMs)
    : QObject(parent), m_runDir(runDir), m_file(QDir(runDir).filePath(QStringLiteral("metrics.jsonl")))
{
    m_watcher = new QFileSystemWatcher(this);
    // The folder too: the file may not exist yet, and a replaced file leaves the file's watch.
    if (QFileInfo::exists(runDir))
        m_watcher->addPath(runDir);
    watchFile();
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &MetricsFollower::schedulePoll);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &MetricsFollower::schedulePoll);
    m_soon = new QTimer(this);
    m_soon->setSingleShot(true);
    m_soon->setInterval(kCoalesceMs);
    connect(m_soon, &QTimer::timeout, this, &MetricsFollower::poll);
    m_timer = new QTimer(this);
    m_timer->setInterval(pollIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &MetricsFollower::poll);
    m_timer->start();
}

void MetricsFollower::watchFile()
{
    if (!m_watcher->files().contains(m_file) && QFileInfo::exists(m_file))
        m_watcher->addPath(m_file);
    if (!m_watcher->directories().contains(m_runDir) && QFileInfo::exists(m_runDir))
        m_watcher->addPath(m_runDir);
}

void MetricsFollower::schedulePoll()
{
    if (!m_soon->isActive())
        m_soon->start();
}

void MetricsFollower::reset()
{
    m_history = core::RunHistory();
    m_offset = 0;
    m_partial.clear();
    m_firstLine.clear();
    m_inode = 0;
    m_lineNumber = 0;
    m_skippedLines = 0;
    m_firstSkipped.clear();
    Q_EMIT restarted();
}

bool MetricsFollower::poll()
{
    watchFile();
    uint64_t inode = 0;
    int64_t size = 0;
    if (!fileIdentity(m_file, &inode, &size)) {
        if (m_offset == 0)
            return false;
        reset(); // removed: whatever comes next is another run
        Q_EMIT changed();
        return true;
    }
    QFile file(m_file);
    if (!file.open(QIODevice::ReadOnly))
        return false; // unreadable for now (permissions, a shared disk away): the timer tries again
    bool rewritten = m_offset > 0 && (inode != m_inode || size < m_offset);
    // Truncated and written past where we were before we looked: its first line is another run's.
    if (!rewritten && !m_firstLine.isEmpty() && size > m_offset)
        rewritten = file.read(m_firstLine.size()) != m_firstLine;
    if (rewritten)
        reset();
    m_inode = inode;
    bool changedNow = rewritten;
    if (size > m_offset && file.seek(m_offset)) {
        const QByteArray bytes = file.readAll();
        m_offset += bytes.size();
        m_partial += bytes;
        const qsizetype end = m_partial.lastIndexOf('\n');
        if (end >= 0) { // the complete lines; what follows the last newline waits for its end
            const QByteArray complete = m_partial.left(end);
            m_partial.remove(0, end + 1);
            for (const QByteArray& line : complete.split('\n')) {
                if (m_lineNumber++ == 0)
                    m_firstLine = line + '\n';
                changedNow = readLine(line) || changedNow;
            }
        }
    }
    if (changedNow)
        Q_EMIT changed();
    return changedNow;
}

// One line as core's readRunHistory reads it, except that a bad line is skipped, not fatal: a
// follower must survive what a crash, a full disk or another program left in the file.
bool MetricsFollower::readLine(const QByteArray& line)
{
    if (line.trimmed().isEmpty())
        return false;
    try {
        const auto json = nlohmann::json::parse(line.constData(), line.constData() + line.size());
        const auto type = json.at("type").get<std::string>();
        if (type == "step") {
            core::StepEvent e;
            e.step = json.at("step").get<int64_t>();
            e.epoch = json.at("epoch").get<int64_t>();
            e.loss = json.at("loss").get<double>();
            e.learningRate = json.at("learning_rate").get<double>();
            e.samplesPerSecond = json.value("samples_per_s", 0.0);
            e.gradNorm = json.value("grad_norm", 0.0);
            // A resumed run repeats the steps after its checkpoint: the new ones replace them.
            auto& steps = m_history.steps;
            steps.erase(std::remove_if(steps.begin(), steps.end(), [&](const core::StepEvent& s) { return s.step >= e.step; }),
                        steps.end());
            steps.push_back(e);
            Q_EMIT stepRead(e);
            return true;
        } else if (type == "epoch") {
            const auto& m = json.at("metrics");
            core::EpochEvent e;
            e.epoch = m.at("epoch").get<int64_t>();
            e.epochs = m.value("epochs", int64_t(0));
            e.trainingLoss = m.at("training_loss").get<double>();
            e.elapsedSeconds = m.value("elapsed_seconds", 0.0);
            e.best = m.value("best", false);
            e.validation = core::metricsFromJson(m);
            m_history.labels = m.at("labels").get<std::vector<std::string>>();
            e.labels = m_history.labels;
            auto& epochs = m_history.epochs;
            epochs.erase(std::remove_if(epochs.begin(), epochs.end(), [&](const core::EpochEvent& x) { return x.epoch >= e.epoch; }),
                         epochs.end());
            epochs.push_back(e);
            Q_EMIT epochRead(e);
            return true;
        }
    } catch (const nlohmann::json::exception& e) {
        if (++m_skippedLines == 1)
            m_firstSkipped = tr("%1: line %2: %3").arg(m_file).arg(m_lineNumber).arg(QString::fromUtf8(e.what()));
    }
    return false; // another kind of record, or a bad line
}

} // namespace fika::ui
