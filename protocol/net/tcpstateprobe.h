#pragma once

#include "sessionevent.h"

#include <QtNetwork/QHostAddress>

#include <cstdint>
#include <optional>

namespace frameline {

/// One connection as the kernel knows it: both ends' addresses and ports.
struct TcpFourTuple
{
    QHostAddress localAddress;
    std::uint16_t localPort = 0;
    QHostAddress peerAddress;
    std::uint16_t peerPort = 0;
};

/// What the kernel says about one socket at one moment.
struct TcpSample
{
    TcpState state = TcpState::Closed;
    std::optional<std::uint32_t> rttMicroseconds;  ///< smoothed round-trip time
    std::optional<std::uint32_t> retransmits;      ///< total retransmitted segments
    std::optional<std::uint32_t> unackedSegments;  ///< sent, not yet acknowledged
    std::optional<std::uint32_t> timerRemainingMs; ///< sock_diag: e.g. TIME-WAIT's time left
};

/// Reads TCP states from the kernel, for the teardown the timeline draws (RFC 9293
/// §3.3.2): from a socket's descriptor with getsockopt(TCP_INFO) while we hold it, and
/// after it is gone (TIME-WAIT, orphaned FIN-WAIT-2) by the connection's addresses
/// with NETLINK_SOCK_DIAG, the interface `ss` uses. Linux only; elsewhere every read
/// returns nothing and isSupported() says so. Stateless and cheap: each call is one
/// system call (or one netlink round trip).
class TcpStateProbe
{
public:
    /// Whether this platform can report TCP states at all.
    static bool isSupported();
    /// The state of the socket behind `descriptor`, or nothing when it cannot be read.
    static std::optional<TcpSample> sampleDescriptor(qintptr descriptor);
    /// The state of the socket with exactly these addresses, looked up in the kernel's
    /// tables; nothing when no such socket exists (any more) or on failure.
    static std::optional<TcpSample> sampleConnection(const TcpFourTuple &tuple);
    /// The connection `descriptor` belongs to, from getsockname/getpeername.
    static std::optional<TcpFourTuple> tupleOf(qintptr descriptor);
    /// The kernel's state number (include/net/tcp_states.h) as a TcpState.
    static std::optional<TcpState> stateFromKernel(int kernelState);
};

} // namespace frameline
