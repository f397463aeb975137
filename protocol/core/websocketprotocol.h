#pragma once

#include "closecode.h"
#include "framedecoder.h"
#include "frameencoder.h"
#include "handshake.h"
#include "messageassembler.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <functional>
#include <optional>

namespace frameline {

/// The WebSocket connection states of RFC 6455 §4.1, §7.
enum class WebSocketState : std::uint8_t { Connecting, Open, Closing, Closed };

QByteArray stateName(WebSocketState state); ///< "CONNECTING", "OPEN", …

/// Which end closes TCP first once the closing handshake is complete. RFC 6455 §7.1.1
/// wants the server to, so that TIME-WAIT lands on the server; the other order is
/// there to compare the two teardowns.
enum class TcpCloseOrder : std::uint8_t { ServerFirst, ClientFirst };

struct ProtocolOptions
{
    Role role = Role::Client;
    TcpCloseOrder tcpCloseOrder = TcpCloseOrder::ServerFirst;
    DecoderLimits decoder;
    AssemblerLimits assembler;
    HttpLimits http;
    /// Answer every Ping with a Pong carrying the same payload (§5.5.2).
    bool autoPong = true;
    ClientHandshakeOptions client; ///< role Client: what to ask for
    ServerHandshakeOptions server; ///< role Server: what to accept
    /// Masking keys for client frames; default: a secure random generator (§5.3).
    std::function<MaskKey()> maskKeys;
    /// Bytes for the handshake nonce; default: a secure random generator (§4.1).
    std::function<void(std::uint8_t *, std::size_t)> randomBytes;
};

/// Everything one side learned from the opening handshake, in either role.
struct HandshakeReport
{
    Role role = Role::Client;
    QByteArray requestRaw;
    HttpHead request;  ///< parsed (server role) or as built (client role: only raw)
    QByteArray responseRaw;
    HttpHead response; ///< parsed (client role) or as built (server role: only raw)
    QByteArray key;            ///< Sec-WebSocket-Key
    QByteArray expectedAccept; ///< base64(SHA-1(key + GUID))
    QList<HandshakeCheck> checks;
    bool accepted = false;
    QString failureReason;
    QByteArray subprotocol;
    QList<ExtensionOffer> extensions;
};

/// Receives what a WebSocketProtocol observes, as it happens. Every method has an
/// empty default. Views passed in are valid only during the call.
class ProtocolObserver
{
public:
    virtual ~ProtocolObserver();
    /// The opening handshake's request (client) or response (server) was queued.
    virtual void handshakeSent(QByteArrayView raw) { Q_UNUSED(raw) }
    /// The peer's HTTP head was read in full (server: request, client: response).
    virtual void handshakeReceived(const HttpHead &head) { Q_UNUSED(head) }
    /// The handshake was checked; on success the connection is now OPEN.
    virtual void handshakeCompleted(const HandshakeReport &report) { Q_UNUSED(report) }
    virtual void frameReceived(const DecodedFrame &frame) { Q_UNUSED(frame) }
    virtual void frameSent(const FrameHeader &header, QByteArrayView wire, std::uint64_t streamOffset)
    {
        Q_UNUSED(header) Q_UNUSED(wire) Q_UNUSED(streamOffset)
    }
    virtual void messageReceived(std::uint8_t opcode, QByteArrayView payload, int frameCount)
    {
        Q_UNUSED(opcode) Q_UNUSED(payload) Q_UNUSED(frameCount)
    }
    virtual void closeReceived(const ClosePayload &close) { Q_UNUSED(close) }
    virtual void closeSent(const ClosePayload &close) { Q_UNUSED(close) }
    virtual void stateChanged(WebSocketState from, WebSocketState to) { Q_UNUSED(from) Q_UNUSED(to) }
    /// The peer broke a rule; the connection is being failed with closeCodeFor(error).
    virtual void protocolViolated(ProtocolError error, std::uint64_t streamOffset, const QString &detail)
    {
        Q_UNUSED(error) Q_UNUSED(streamOffset) Q_UNUSED(detail)
    }
};

/// One WebSocket connection, sans I/O (the shape of python-websockets' protocol): the
/// I/O layer feeds received bytes and end-of-stream in, calls commands, and writes out
/// what takeOutgoing() returns; the protocol reports events to its observer.
///
/// After a command or receiveData()/receiveEof(), the I/O layer must:
///  1. write takeOutgoing() to the socket;
///  2. if closeTransportRequested(), close the TCP connection once that is written
///     (a server after the close handshake or on failure; RFC 6455 §7.1.1);
///  3. a client in CLOSING waits for the server to close TCP and closes it itself
///     after a timeout (§7.1.1: the server closes first, so it keeps TIME-WAIT).
class WebSocketProtocol
{
public:
    explicit WebSocketProtocol(ProtocolOptions options, ProtocolObserver *observer = nullptr);
    // The observer may be the protocol's own null observer: a copy would point at the
    // original's.
    Q_DISABLE_COPY_MOVE(WebSocketProtocol)

    Role role() const { return m_options.role; }
    /// This end closes TCP as soon as the closing handshake is complete.
    bool closesTcpFirst() const
    {
        return role() == (m_options.tcpCloseOrder == TcpCloseOrder::ServerFirst ? Role::Server : Role::Client);
    }
    WebSocketState state() const { return m_state; }

    /// Client role: queue the opening handshake request (state stays CONNECTING).
    void startHandshake();

    void receiveData(QByteArrayView data);
    /// The peer closed its sending direction (TCP FIN) or the connection dropped.
    void receiveEof();

    // Commands. Each returns false, sending nothing, when the state does not allow it
    // (data frames only in OPEN; nothing after our Close frame).
    bool sendText(QByteArrayView utf8);
    bool sendBinary(QByteArrayView data);
    /// A message split into frames of at most `fragmentSize` bytes (§5.4).
    bool sendFragmented(Opcode opcode, QByteArrayView data, std::size_t fragmentSize);
    bool sendPing(QByteArrayView payload = {});
    bool sendPong(QByteArrayView payload = {});
    /// Starts the closing handshake (§7.1.2); no code sends an empty Close frame.
    bool sendClose(std::optional<std::uint16_t> code = CloseCode::Normal, QByteArrayView reason = {});
    /// Sends any frame exactly as specified, valid or not; a client frame without a
    /// key in the spec goes unmasked, as asked. Allowed in OPEN and CLOSING.
    bool sendRawFrame(const FrameSpec &spec, QByteArrayView payload);
    /// Fails the connection (§7.1.7): Close frame with the error's code if OPEN,
    /// discards what arrives afterwards.
    void fail(ProtocolError error, const QString &detail = {});

    /// Bytes to write to the socket, in order; empties the queue.
    QByteArray takeOutgoing();
    bool hasOutgoing() const { return !m_outgoing.isEmpty(); }
    bool closeTransportRequested() const { return m_closeTransport; }

    std::optional<ClosePayload> closeReceived() const { return m_closeReceived; }
    std::optional<ClosePayload> closeSentPayload() const { return m_closeSent; }
    /// The close code of §7.1.5: the received one, 1005 if its Close had none, 1006
    /// if no Close frame was received.
    std::uint16_t closeCode() const;
    const HandshakeReport &handshake() const { return m_handshake; }
    /// Bytes written to / read from the WebSocket stream after the handshake.
    std::uint64_t framesSentOffset() const { return m_sentOffset; }

private:
    void setState(WebSocketState state);
    void receiveHandshake(QByteArrayView data);
    void receiveFrames(QByteArrayView data);
    void handleMessageOutcome(const DecodedFrame &frame, MessageAssembler::Outcome outcome);
    void queueFrame(const FrameSpec &spec, QByteArrayView payload);
    FrameSpec specFor(std::uint8_t opcode, bool fin);
    void violate(ProtocolError error, std::uint64_t offset, const QString &detail);

    ProtocolOptions m_options;
    ProtocolObserver *m_observer;
    ProtocolObserver m_nullObserver;
    WebSocketState m_state = WebSocketState::Connecting;
    HttpHeadParser m_httpParser;
    FrameDecoder m_decoder;
    MessageAssembler m_assembler;
    HandshakeReport m_handshake;
    QByteArray m_outgoing;
    std::uint64_t m_sentOffset = 0;
    bool m_closeTransport = false;
    bool m_discarding = false;
    bool m_eofReceived = false;
    std::optional<ClosePayload> m_closeReceived;
    std::optional<ClosePayload> m_closeSent;
};

} // namespace frameline
