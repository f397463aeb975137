#pragma once

#include "session.h"

#include <QtCore/QObject>
#include <QtCore/QString>

#include <atomic>
#include <memory>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace frameline {

/// Reads a session file (Frameline's journal, or a HAR saved by a browser) into a new
/// Session on a worker thread, so a file of a million frames neither freezes the
/// window nor has to be waited for: progress is polled, and cancel() stops it keeping
/// what was read. The Session is handed over only when the thread is done with it.
class SessionLoader : public QObject
{
    Q_OBJECT

public:
    /// How a load ended, for the window to tell the person.
    struct Outcome
    {
        enum class Status : std::uint8_t { Complete, Partial, Refused, Cancelled };
        Status status = Status::Refused;
        QString message; ///< empty when Complete
        std::shared_ptr<Session> session; ///< null when Refused
        QString path;
        bool native = false; ///< Frameline's own format (not an import)
    };

    explicit SessionLoader(QObject *parent = nullptr);
    ~SessionLoader() override;

    /// Starts reading `path`. False when a load is already running.
    bool start(const QString &path);
    void cancel() { m_cancel = true; }
    bool isRunning() const { return m_thread != nullptr; }

    /// Bytes read so far and the total (for a progress bar), safe to read any time.
    qint64 bytesDone() const { return m_done; }
    qint64 bytesTotal() const { return m_total; }

    /// Reads synchronously (the worker's body; also for tests and the CLI).
    static Outcome load(const QString &path, const std::function<bool(qint64, qint64)> &progress = {});

Q_SIGNALS:
    void finished(const frameline::SessionLoader::Outcome &outcome);

private:
    QThread *m_thread = nullptr;
    std::atomic<bool> m_cancel {false};
    std::atomic<qint64> m_done {0};
    std::atomic<qint64> m_total {-1};
    Outcome m_outcome;
};

} // namespace frameline
