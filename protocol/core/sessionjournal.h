#pragma once

#include "session.h"

#include <QtCore/QString>

#include <cstdint>
#include <functional>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace frameline {

/// The native session file ("session journal"): JSON Lines, lossless. Line 1 is a
/// header naming the format and its version, then one line per event in order, then an
/// end line counting them. docs/session-format.md describes every key.
inline constexpr char kSessionFormatName[] = "frameline-session";
/// The version this build writes, and the newest it reads.
inline constexpr int kSessionFormatVersion = 1;

/// Writes a Session to a journal as it grows. The owner decides when: typically from a
/// timer while the session is live and once at the end, so a crash loses only what was
/// appended since the last call. The writer does not observe the Session (its one
/// append observer belongs to whoever shows it).
///
/// Call order: writePending() any number of times, then finish() once. The header is
/// written by the first call, from the session's info at that moment.
class SessionJournalWriter
{
public:
    /// `device` is open for writing and outlives the writer; the writer only appends.
    explicit SessionJournalWriter(QIODevice &device);

    /// Writes the header if not yet written and every event appended since the last
    /// call, then flushes. False on a write error (see errorString()); later calls
    /// then do nothing and return false.
    bool writePending(const Session &session);
    /// Writes what is pending and the end line that marks the journal complete.
    bool finish(const Session &session);

    std::uint32_t writtenEvents() const { return m_written; }
    bool isFinished() const { return m_finished; }
    QString errorString() const { return m_error; }

private:
    bool write(const QByteArray &bytes);
    bool flush();

    QIODevice &m_device;
    std::uint32_t m_written = 0;
    bool m_headerWritten = false;
    bool m_finished = false;
    QString m_error;
};

/// Saves a whole session at once. Atomic: the file at `path` is replaced only when
/// every byte was written, so a failed save leaves the old file as it was.
bool saveSession(const Session &session, const QString &path, QString *error = nullptr);

/// Called now and then while loading with the bytes read so far and the total (-1 when
/// unknown); return false to stop.
using SessionLoadProgress = std::function<bool(qint64 done, qint64 total)>;

/// How loading a journal ended.
struct SessionLoadResult
{
    enum class Status : std::uint8_t {
        Complete, ///< every event and the end line were read
        Damaged, ///< events before the damaged or missing line were loaded
        Refused, ///< nothing loaded: not a session file, a newer version, unreadable
        Cancelled, ///< the progress callback asked to stop; events read so far are kept
    };

    Status status = Status::Refused;
    QString message; ///< a sentence for a person; empty when Complete
    qint64 line = 0; ///< 1-based line where loading stopped; 0 when Complete
    std::uint32_t eventsLoaded = 0;
    int version = 0; ///< the file's format version, once its header was read

    bool isComplete() const { return status == Status::Complete; }
};

/// Reads a journal into `out`, which must be a fresh, empty Session. The events
/// rebuilt are identical to those written: records, details and captured bytes. A
/// frame with more captured bytes than out's capture limit is cut to it, as a live
/// capture would be. On damage, `out` keeps every event before the damaged line.
SessionLoadResult loadSession(
    QIODevice &device, Session &out, const SessionLoadProgress &progress = {});
SessionLoadResult loadSession(
    const QString &path, Session &out, const SessionLoadProgress &progress = {});

} // namespace frameline
