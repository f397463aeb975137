#include "tcpteardown.h"

#include <QtCore/QCoreApplication>

#include <array>

namespace frameline {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("TcpTeardownTracker", text, nullptr, n);
}

Role other(Role side)
{
    return side == Role::Client ? Role::Server : Role::Client;
}

/// The states a socket can go to next during a teardown (RFC 9293 §3.3.2, Figure 5).
QList<TcpState> nextStates(TcpState state)
{
    switch (state) {
    case TcpState::Established:
        return {TcpState::FinWait1, TcpState::CloseWait};
    case TcpState::FinWait1:
        return {TcpState::FinWait2, TcpState::Closing};
    case TcpState::FinWait2:
    case TcpState::Closing:
        return {TcpState::TimeWait};
    case TcpState::TimeWait:
    case TcpState::LastAck:
        return {TcpState::Closed};
    case TcpState::CloseWait:
        return {TcpState::LastAck};
    default:
        return {};
    }
}

/// The states strictly between `from` and `to` on the shortest legal path, or nothing
/// when there is none (a reset jumps straight to CLOSED).
QList<TcpState> statesBetween(TcpState from, TcpState to)
{
    // Breadth first over a graph of a dozen nodes.
    QList<QList<TcpState>> paths {{from}};
    while (!paths.isEmpty()) {
        const QList<TcpState> path = paths.takeFirst();
        for (const TcpState next : nextStates(path.last())) {
            if (next == to)
                return path.mid(1);
            if (!path.contains(next))
                paths.append(path + QList<TcpState> {next});
        }
    }
    return {};
}

QString describeSample(const TcpSample &sample)
{
    QStringList parts;
    if (sample.rttMicroseconds)
        parts << tr("rtt %1 µs").arg(*sample.rttMicroseconds);
    if (sample.retransmits && *sample.retransmits > 0)
        parts << tr("%n retransmitted segment(s)", int(*sample.retransmits));
    if (sample.unackedSegments && *sample.unackedSegments > 0)
        parts << tr("%n segment(s) in flight", int(*sample.unackedSegments));
    if (sample.state == TcpState::TimeWait && sample.timerRemainingMs)
        parts << tr("ends in %1 s").arg(double(*sample.timerRemainingMs) / 1000.0, 0, 'f', 1);
    return parts.join(QStringLiteral(", "));
}

} // namespace

TcpTeardownTracker::TcpTeardownTracker(std::shared_ptr<Session> session, Role side,
                                       std::function<std::int64_t()> clock)
    : m_session(std::move(session))
    , m_side(side)
    , m_clock(std::move(clock))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &TcpTeardownTracker::poll);
}

TcpTeardownTracker::~TcpTeardownTracker() = default;

void TcpTeardownTracker::attach(qintptr descriptor)
{
    if (!TcpStateProbe::isSupported()) {
        if (!m_unsupportedNoted) {
            m_unsupportedNoted = true;
            m_session->appendEvent(m_clock(), EventKind::Note, Direction::None,
                                   NoteDetail {tr("This platform does not report TCP states: the "
                                                  "teardown is not observed.")});
        }
        return;
    }
    m_descriptor = descriptor;
    m_tuple = TcpStateProbe::tupleOf(descriptor);
    sample();
}

std::optional<TcpSample> TcpTeardownTracker::read() const
{
    std::optional<TcpSample> fromDescriptor;
    if (m_descriptor >= 0)
        fromDescriptor = TcpStateProbe::sampleDescriptor(m_descriptor);
    // A socket in TIME-WAIT is a separate small socket in the kernel: the descriptor's
    // own socket then reads CLOSED, so ask the table as well.
    if (fromDescriptor && fromDescriptor->state != TcpState::Closed)
        return fromDescriptor;
    if (m_tuple) {
        if (const std::optional<TcpSample> fromTable = TcpStateProbe::sampleConnection(*m_tuple))
            return fromTable;
    }
    if (fromDescriptor)
        return fromDescriptor;
    // Nowhere to be found: the connection has left the kernel.
    if (m_last) {
        TcpSample gone;
        gone.state = TcpState::Closed;
        return gone;
    }
    return std::nullopt;
}

void TcpTeardownTracker::sample()
{
    if (m_settled && m_last == TcpState::Closed)
        return;
    if (const std::optional<TcpSample> now = read())
        observe(*now);
}

void TcpTeardownTracker::startClosing()
{
    if (!TcpStateProbe::isSupported() || (m_last == TcpState::Closed))
        return;
    m_sinceChange.start();
    if (!m_timer.isActive() || m_timer.interval() != kClosingIntervalMs)
        m_timer.start(kClosingIntervalMs);
    sample();
}

void TcpTeardownTracker::detach()
{
    sample();
    m_descriptor = -1;
    if (!TcpStateProbe::isSupported() || m_last == TcpState::Closed) {
        finish();
        return;
    }
    // From now on only the kernel's table knows the connection.
    m_sinceChange.start();
    if (!m_timer.isActive())
        m_timer.start(kClosingIntervalMs);
}

void TcpTeardownTracker::finish()
{
    m_timer.stop();
    deleteLater();
}

void TcpTeardownTracker::poll()
{
    sample();
    bool done = m_last == TcpState::Closed;
    if (m_last == TcpState::TimeWait) {
        if (m_timer.interval() != kTimeWaitIntervalMs)
            m_timer.start(kTimeWaitIntervalMs);
        done = m_sinceChange.elapsed() > kTimeWaitWatchMs;
    } else if (m_descriptor < 0 && m_sinceChange.elapsed() > kClosingWatchMs) {
        done = true;
    }
    if (!done)
        return;
    m_timer.stop();
    // Once the owner has let go of the socket, nobody else will end the watch.
    if (m_descriptor < 0)
        finish();
}

void TcpTeardownTracker::observe(const TcpSample &sample)
{
    const std::optional<TcpState> before = m_last;
    if (before == sample.state)
        return;
    m_sinceChange.start();
    std::optional<TcpState> previous = before;
    if (before) {
        // Passed unseen, but certainly passed: what they imply about the peer holds too.
        for (const TcpState passed : statesBetween(*before, sample.state)) {
            record(passed, m_side, Observation::PassedUnobserved, QString());
            inferPeer(passed, previous);
            previous = passed;
        }
    }
    QString info = describeSample(sample);
    if (sample.state == TcpState::TimeWait)
        m_timeWaitSinceNs = m_clock();
    if (sample.state == TcpState::Closed && before == TcpState::TimeWait && m_timeWaitSinceNs >= 0) {
        info = tr("TIME-WAIT lasted %1 s").arg(double(m_clock() - m_timeWaitSinceNs) / 1e9, 0, 'f', 1);
    }
    record(sample.state, m_side, Observation::Observed, info);
    m_last = sample.state;
    inferPeer(sample.state, previous);
    if (sample.state == TcpState::TimeWait || sample.state == TcpState::Closed)
        markSettled();
}

void TcpTeardownTracker::inferPeer(TcpState ours, std::optional<TcpState> before)
{
    // What our state proves about the other end (RFC 9293 §3.6).
    std::optional<TcpState> peer;
    switch (ours) {
    case TcpState::FinWait2:
        peer = TcpState::CloseWait; // it acknowledged our FIN and has not sent its own
        break;
    case TcpState::CloseWait:
        peer = TcpState::FinWait2; // it sent FIN; the kernel acknowledged it at once
        break;
    case TcpState::TimeWait:
        peer = TcpState::LastAck; // it sent FIN after ours and waits for our ACK
        break;
    case TcpState::Closing:
        peer = TcpState::Closing; // both sent FIN at once
        break;
    case TcpState::Closed:
        if (before == TcpState::LastAck)
            peer = TcpState::TimeWait; // it acknowledged our FIN, after sending its own
        break;
    default:
        break;
    }
    if (!peer || peer == m_lastPeer)
        return;
    record(*peer, other(m_side), Observation::Inferred, QString());
    m_lastPeer = peer;
}

void TcpTeardownTracker::record(TcpState state, Role side, Observation how, const QString &info)
{
    TcpStateDetail detail;
    detail.side = side;
    detail.state = state;
    detail.observation = how;
    detail.info = info;
    m_session->appendEvent(m_clock(), EventKind::TcpState, Direction::None, detail);
}

void TcpTeardownTracker::markSettled()
{
    if (m_settled)
        return;
    m_settled = true;
    Q_EMIT settled();
}

} // namespace frameline
