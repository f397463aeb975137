#include "tcpstateprobe.h"

#ifdef Q_OS_LINUX
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#endif

namespace frameline {

std::optional<TcpState> TcpStateProbe::stateFromKernel(int kernelState)
{
    // include/net/tcp_states.h; the numbers are ABI and do not change.
    switch (kernelState) {
    case 1:
        return TcpState::Established;
    case 2:
        return TcpState::SynSent;
    case 3:
        return TcpState::SynReceived;
    case 4:
        return TcpState::FinWait1;
    case 5:
        return TcpState::FinWait2;
    case 6:
        return TcpState::TimeWait;
    case 7:
        return TcpState::Closed;
    case 8:
        return TcpState::CloseWait;
    case 9:
        return TcpState::LastAck;
    case 10:
        return TcpState::Listen;
    case 11:
        return TcpState::Closing;
    default:
        return std::nullopt;
    }
}

#ifdef Q_OS_LINUX

bool TcpStateProbe::isSupported()
{
    return true;
}

std::optional<TcpSample> TcpStateProbe::sampleDescriptor(qintptr descriptor)
{
    if (descriptor < 0)
        return std::nullopt;
    tcp_info info {};
    socklen_t size = sizeof info;
    if (::getsockopt(int(descriptor), IPPROTO_TCP, TCP_INFO, &info, &size) != 0)
        return std::nullopt;
    const std::optional<TcpState> state = stateFromKernel(info.tcpi_state);
    if (!state)
        return std::nullopt;
    TcpSample sample;
    sample.state = *state;
    sample.rttMicroseconds = info.tcpi_rtt;
    sample.retransmits = info.tcpi_total_retrans;
    sample.unackedSegments = info.tcpi_unacked;
    return sample;
}

namespace {

bool fillAddress(const QHostAddress &address, std::uint8_t family, __be32 out[4])
{
    std::memset(out, 0, 16);
    if (family == AF_INET) {
        const quint32 v4 = htonl(address.toIPv4Address());
        std::memcpy(out, &v4, 4);
        return true;
    }
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    std::memcpy(out, v6.c, 16);
    return true;
}

/// Closes a descriptor when it goes out of scope.
struct Descriptor
{
    int fd = -1;
    ~Descriptor()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

} // namespace

std::optional<TcpSample> TcpStateProbe::sampleConnection(const TcpFourTuple &tuple)
{
    // Both ends must be the same family; an IPv4-mapped IPv6 address is asked as IPv4,
    // which is how the kernel files it when the socket is IPv4.
    bool localV4 = false;
    bool peerV4 = false;
    QHostAddress local = tuple.localAddress;
    QHostAddress peer = tuple.peerAddress;
    local.toIPv4Address(&localV4);
    peer.toIPv4Address(&peerV4);
    if (localV4 != peerV4)
        return std::nullopt;
    const std::uint8_t family = localV4 ? AF_INET : AF_INET6;

    Descriptor sock {::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)};
    if (sock.fd < 0)
        return std::nullopt;
    timeval timeout {0, 200'000};
    ::setsockopt(sock.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

    struct Request
    {
        nlmsghdr header;
        inet_diag_req_v2 body;
    } request {};
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    request.header.nlmsg_flags = NLM_F_REQUEST;
    request.header.nlmsg_seq = 1;
    request.body.sdiag_family = family;
    request.body.sdiag_protocol = IPPROTO_TCP;
    request.body.idiag_states = ~0u; // any state: the exact 4-tuple picks the socket
    request.body.id.idiag_sport = htons(tuple.localPort);
    request.body.id.idiag_dport = htons(tuple.peerPort);
    fillAddress(local, family, request.body.id.idiag_src);
    fillAddress(peer, family, request.body.id.idiag_dst);
    request.body.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
    request.body.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
    request.body.idiag_ext = 1 << (INET_DIAG_INFO - 1);

    sockaddr_nl kernel {};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(sock.fd, &request, sizeof request, 0, reinterpret_cast<sockaddr *>(&kernel), sizeof kernel)
        != ssize_t(sizeof request))
        return std::nullopt;

    alignas(nlmsghdr) char buffer[8192];
    const ssize_t received = ::recv(sock.fd, buffer, sizeof buffer, 0);
    if (received <= 0)
        return std::nullopt;
    int remaining = int(received);
    for (auto *message = reinterpret_cast<nlmsghdr *>(buffer); NLMSG_OK(message, remaining);
         message = NLMSG_NEXT(message, remaining)) {
        if (message->nlmsg_type == NLMSG_ERROR || message->nlmsg_type == NLMSG_DONE)
            return std::nullopt; // ENOENT: no such socket (any more)
        if (message->nlmsg_type != SOCK_DIAG_BY_FAMILY)
            continue;
        const auto *diag = static_cast<const inet_diag_msg *>(NLMSG_DATA(message));
        // The kernel's lookup falls back to a listening socket on the local port when
        // the connection itself is gone: that is not this connection.
        if (diag->id.idiag_dport != htons(tuple.peerPort) || diag->id.idiag_sport != htons(tuple.localPort))
            return std::nullopt;
        const std::optional<TcpState> state = stateFromKernel(diag->idiag_state);
        if (!state || *state == TcpState::Listen)
            return std::nullopt;
        TcpSample sample;
        sample.state = *state;
        if (diag->idiag_timer != 0)
            sample.timerRemainingMs = diag->idiag_expires;
        // The tcp_info attribute, present for full sockets (not for TIME-WAIT ones).
        int attributeBytes = int(message->nlmsg_len) - int(NLMSG_LENGTH(sizeof *diag));
        for (auto *attribute = reinterpret_cast<rtattr *>(const_cast<inet_diag_msg *>(diag) + 1);
             RTA_OK(attribute, attributeBytes); attribute = RTA_NEXT(attribute, attributeBytes)) {
            if (attribute->rta_type != INET_DIAG_INFO)
                continue;
            tcp_info info {};
            std::memcpy(&info, RTA_DATA(attribute), std::min<std::size_t>(RTA_PAYLOAD(attribute), sizeof info));
            sample.rttMicroseconds = info.tcpi_rtt;
            sample.retransmits = info.tcpi_total_retrans;
            sample.unackedSegments = info.tcpi_unacked;
        }
        return sample;
    }
    return std::nullopt;
}

std::optional<TcpFourTuple> TcpStateProbe::tupleOf(qintptr descriptor)
{
    sockaddr_storage local {};
    sockaddr_storage peer {};
    socklen_t localSize = sizeof local;
    socklen_t peerSize = sizeof peer;
    if (::getsockname(int(descriptor), reinterpret_cast<sockaddr *>(&local), &localSize) != 0
        || ::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&peer), &peerSize) != 0)
        return std::nullopt;
    const auto read = [](const sockaddr_storage &storage, QHostAddress &address, std::uint16_t &port) {
        address.setAddress(reinterpret_cast<const sockaddr *>(&storage));
        port = storage.ss_family == AF_INET ? ntohs(reinterpret_cast<const sockaddr_in &>(storage).sin_port)
                                            : ntohs(reinterpret_cast<const sockaddr_in6 &>(storage).sin6_port);
    };
    TcpFourTuple tuple;
    read(local, tuple.localAddress, tuple.localPort);
    read(peer, tuple.peerAddress, tuple.peerPort);
    return tuple;
}

#else

bool TcpStateProbe::isSupported()
{
    return false;
}

std::optional<TcpSample> TcpStateProbe::sampleDescriptor(qintptr)
{
    return std::nullopt;
}

std::optional<TcpSample> TcpStateProbe::sampleConnection(const TcpFourTuple &)
{
    return std::nullopt;
}

std::optional<TcpFourTuple> TcpStateProbe::tupleOf(qintptr)
{
    return std::nullopt;
}

#endif

} // namespace frameline
