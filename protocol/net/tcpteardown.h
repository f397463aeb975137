#pragma once

#include "session.h"
#include "tcpstateprobe.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace frameline {

/// Follows one socket's TCP states through the teardown and records them in its
/// Session: what the kernel reported (observed), states the socket must have passed
/// between two readings (passed, not observed), and the peer's states they imply
/// (inferred: our FIN-WAIT-2 means the peer sits in CLOSE-WAIT). It reads the
/// descriptor while the socket holds one and the kernel's table by the connection's
/// addresses afterwards (TIME-WAIT outlives every descriptor), and keeps going after
/// its channel is gone, until the connection has left the kernel or TIME-WAIT has been
/// seen to end. It never records a state nobody observed as observed.
class TcpTeardownTracker : public QObject
{
    Q_OBJECT

public:
    /// `clock` gives the session's time (ns since it started).
    TcpTeardownTracker(std::shared_ptr<Session> session, Role side, std::function<std::int64_t()> clock);
    ~TcpTeardownTracker() override;

    /// Starts following the socket behind `descriptor`; records its first state.
    void attach(qintptr descriptor);
    /// Reads the state now (at a step of the close: a Close frame, shutdown, …).
    void sample();
    /// The teardown has begun: read often, since loopback transitions take microseconds.
    void startClosing();
    /// The descriptor is about to go or has gone; continue by the connection's addresses.
    void detach();
    /// Stops watching; deletes itself. Used when the owner no longer wants more events.
    void finish();

    bool isSettled() const { return m_settled; }
    std::optional<TcpState> lastState() const { return m_last; }

    /// How often to look while closing, and in TIME-WAIT.
    static constexpr int kClosingIntervalMs = 1;
    static constexpr int kTimeWaitIntervalMs = 250;
    /// Fast reads stop after this long without a change (a peer that never closes).
    static constexpr int kClosingWatchMs = 10000;
    /// The longest TIME-WAIT followed (Linux: 60 s); after that the watch ends.
    static constexpr int kTimeWaitWatchMs = 75000;

Q_SIGNALS:
    /// The connection reached CLOSED or TIME-WAIT: the teardown can be drawn. Emitted once.
    void settled();

private:
    std::optional<TcpSample> read() const;
    void poll();
    void observe(const TcpSample &sample);
    void record(TcpState state, Role side, Observation how, const QString &info);
    void inferPeer(TcpState ours, std::optional<TcpState> before);
    void markSettled();

    std::shared_ptr<Session> m_session;
    Role m_side;
    std::function<std::int64_t()> m_clock;
    qintptr m_descriptor = -1;
    std::optional<TcpFourTuple> m_tuple;
    std::optional<TcpState> m_last;
    std::optional<TcpState> m_lastPeer;
    std::int64_t m_timeWaitSinceNs = -1;
    QTimer m_timer;
    QElapsedTimer m_sinceChange;
    bool m_settled = false;
    bool m_unsupportedNoted = false;
};

} // namespace frameline
