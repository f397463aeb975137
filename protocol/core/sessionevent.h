#pragma once

#include "frame.h"
#include "handshake.h"
#include "messageassembler.h"
#include "protocolerror.h"
#include "websocketprotocol.h"

#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <variant>

namespace frameline {

/// What a Session event records. Values are stable: they are written to saved files.
enum class EventKind : std::uint8_t {
    DnsResolved = 1,
    TcpConnected = 2,
    TlsEstablished = 3,
    HandshakeRequest = 4,
    HandshakeResponse = 5,
    Frame = 6,
    Message = 7,
    Close = 8,
    StateChanged = 9,
    TcpState = 10,
    Error = 11,
    Note = 12,
};

QByteArray eventKindName(EventKind kind); ///< "frame", "handshake-request", …

/// Which way something travelled, in the terms of the sequence diagram's lanes.
enum class Direction : std::uint8_t {
    None = 0,           ///< local to one side or to the session (a note, a state)
    ClientToServer = 1,
    ServerToClient = 2,
};

inline constexpr Direction directionFrom(Role sender)
{
    return sender == Role::Client ? Direction::ClientToServer : Direction::ServerToClient;
}

/// TCP states as the kernel names them (RFC 9293 §3.3.2).
enum class TcpState : std::uint8_t {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
};

QByteArray tcpStateName(TcpState state); ///< "FIN-WAIT-1", …

struct DnsDetail
{
    QString host;
    QStringList addresses;
};

struct TcpDetail
{
    QString localAddress;
    std::uint16_t localPort = 0;
    QString peerAddress;
    std::uint16_t peerPort = 0;
};

struct CertificateInfo
{
    QString subject;
    QString issuer;
    QDateTime notBefore;
    QDateTime notAfter;
    QByteArray sha256; ///< fingerprint, raw bytes
    QByteArray sha1;
};

struct TlsDetail
{
    QString protocol; ///< "TLSv1.3"
    QString cipher;
    QByteArray alpn;
    QList<CertificateInfo> chain;
    QStringList verificationErrors;
    bool errorsAccepted = false; ///< the user chose to go on despite the errors
};

/// A handshake request or response. The raw bytes are the event's bytes.
struct HandshakeDetail
{
    HttpHead head;                ///< parsed head (raw left empty: it is in the arena)
    QList<HandshakeCheck> checks; ///< on the event whose receiver made them
    bool accepted = false;
    QString failureReason;
    QByteArray key;            ///< Sec-WebSocket-Key of the exchange
    QByteArray expectedAccept; ///< what Sec-WebSocket-Accept must be
    QByteArray subprotocol;
    QList<ExtensionOffer> extensions;
};

/// A whole data message; its payload is rebuilt from its frames.
struct MessageDetail
{
    std::uint8_t opcode = 0;
    std::uint64_t size = 0;
    std::uint32_t firstFrameEvent = 0;
    std::uint32_t frameCount = 0;
};

struct CloseDetail
{
    ClosePayload close;
    bool initiatedLocally = false; ///< this side sent the first Close frame
};

struct StateDetail
{
    WebSocketState from = WebSocketState::Connecting;
    WebSocketState to = WebSocketState::Connecting;
};

/// How a TCP state came to be known.
enum class Observation : std::uint8_t {
    Observed,        ///< read from the kernel for a socket this process owns
    Inferred,        ///< implied by what was observed (e.g. the peer's CLOSE-WAIT)
    PassedUnobserved,///< must have happened, too fast to be seen
    NotObservable,   ///< the platform cannot report it
};

struct TcpStateDetail
{
    Role side = Role::Client; ///< whose end of the connection
    TcpState state = TcpState::Closed;
    Observation observation = Observation::Observed;
    QString info; ///< e.g. "rtt 42 µs, 0 retransmits"
};

struct ErrorDetail
{
    ProtocolError error = ProtocolError::NoError;
    std::uint16_t closeCode = 0;
    QString message;
    std::uint64_t streamOffset = 0;
};

struct NoteDetail
{
    QString text;
};

using EventDetail = std::variant<std::monostate, DnsDetail, TcpDetail, TlsDetail, HandshakeDetail,
                                 MessageDetail, CloseDetail, StateDetail, TcpStateDetail,
                                 ErrorDetail, NoteDetail>;

} // namespace frameline
