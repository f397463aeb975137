#include "sessionevent.h"

namespace frameline {

QByteArray eventKindName(EventKind kind)
{
    switch (kind) {
    case EventKind::DnsResolved:
        return QByteArrayLiteral("dns-resolved");
    case EventKind::TcpConnected:
        return QByteArrayLiteral("tcp-connected");
    case EventKind::TlsEstablished:
        return QByteArrayLiteral("tls-established");
    case EventKind::HandshakeRequest:
        return QByteArrayLiteral("handshake-request");
    case EventKind::HandshakeResponse:
        return QByteArrayLiteral("handshake-response");
    case EventKind::Frame:
        return QByteArrayLiteral("frame");
    case EventKind::Message:
        return QByteArrayLiteral("message");
    case EventKind::Close:
        return QByteArrayLiteral("close");
    case EventKind::StateChanged:
        return QByteArrayLiteral("state-changed");
    case EventKind::TcpState:
        return QByteArrayLiteral("tcp-state");
    case EventKind::Error:
        return QByteArrayLiteral("error");
    case EventKind::Note:
        return QByteArrayLiteral("note");
    }
    // A value read from a damaged file: name it rather than inventing a kind.
    return QByteArrayLiteral("unknown-") + QByteArray::number(int(kind));
}

QByteArray tcpStateName(TcpState state)
{
    switch (state) {
    case TcpState::Closed:
        return QByteArrayLiteral("CLOSED");
    case TcpState::Listen:
        return QByteArrayLiteral("LISTEN");
    case TcpState::SynSent:
        return QByteArrayLiteral("SYN-SENT");
    case TcpState::SynReceived:
        return QByteArrayLiteral("SYN-RECEIVED");
    case TcpState::Established:
        return QByteArrayLiteral("ESTABLISHED");
    case TcpState::FinWait1:
        return QByteArrayLiteral("FIN-WAIT-1");
    case TcpState::FinWait2:
        return QByteArrayLiteral("FIN-WAIT-2");
    case TcpState::CloseWait:
        return QByteArrayLiteral("CLOSE-WAIT");
    case TcpState::Closing:
        return QByteArrayLiteral("CLOSING");
    case TcpState::LastAck:
        return QByteArrayLiteral("LAST-ACK");
    case TcpState::TimeWait:
        return QByteArrayLiteral("TIME-WAIT");
    }
    return QByteArrayLiteral("UNKNOWN-") + QByteArray::number(int(state));
}

} // namespace frameline
