#pragma once

// What the WebSocketProtocol tests share: the RFC 6455 §1.3 handshake bytes, options with
// injected nonce and mask keys, frame builders for both directions, an observer that
// writes down every event, and a protocol brought to OPEN.

#include "frameencoder.h"
#include "websocketprotocol.h"

#include <QtCore/QByteArrayList>
#include <QtCore/QDebug>

#include <algorithm>
#include <cstring>
#include <memory>

Q_DECLARE_METATYPE(frameline::Role)
Q_DECLARE_METATYPE(frameline::ProtocolError)

namespace frameline::test {

// RFC 6455 §1.3: the sample nonce, its key and its accept value.
inline const QByteArray kNonce("the sample nonce");
inline const QByteArray kKey("dGhlIHNhbXBsZSBub25jZQ==");
inline const QByteArray kAccept("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
inline const QByteArray kRequest(
    "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n\r\n");
inline const QByteArray kResponse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                  "Connection: Upgrade\r\n"
                                  "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
// RFC 6455 §5.7: the masking key of the examples; our client uses it for every frame.
inline constexpr MaskKey kMaskKey {0x37, 0xfa, 0x21, 0x3d};
// The peer client's key, different so that a mix-up shows.
inline constexpr MaskKey kPeerKey {0x01, 0x02, 0x03, 0x04};

inline constexpr auto kText = std::uint8_t(Opcode::Text);
inline constexpr auto kBinary = std::uint8_t(Opcode::Binary);
inline constexpr auto kContinuation = std::uint8_t(Opcode::Continuation);
inline constexpr auto kClose = std::uint8_t(Opcode::Close);
inline constexpr auto kPing = std::uint8_t(Opcode::Ping);
inline constexpr auto kPong = std::uint8_t(Opcode::Pong);

inline const char *roleName(Role role)
{
    return role == Role::Client ? "client" : "server";
}

inline ProtocolOptions optionsFor(Role role)
{
    ProtocolOptions options;
    options.role = role;
    options.client.host = "server.example.com";
    options.client.resourceName = "/chat";
    options.maskKeys = [] {
        return kMaskKey;
    };
    options.randomBytes = [](std::uint8_t *out, std::size_t size) {
        std::memcpy(out, kNonce.constData(), std::min<std::size_t>(size, 16));
    };
    return options;
}

// A frame as the peer of `receiver` sends it: masked when the peer is a client (§5.1).
inline QByteArray peerFrame(
    Role receiver, std::uint8_t opcode, QByteArrayView payload, bool fin = true)
{
    FrameSpec spec;
    spec.fin = fin;
    spec.opcode = opcode;
    if (receiver == Role::Server)
        spec.maskKey = kPeerKey;
    return encodeFrame(spec, payload);
}

// A frame as `sender` itself sends it, with the test's mask key.
inline QByteArray ownFrame(
    Role sender, std::uint8_t opcode, QByteArrayView payload, bool fin = true)
{
    FrameSpec spec;
    spec.fin = fin;
    spec.opcode = opcode;
    if (sender == Role::Client)
        spec.maskKey = kMaskKey;
    return encodeFrame(spec, payload);
}

inline QByteArray closeBody(std::uint16_t code, QByteArrayView reason = {})
{
    return buildClosePayload(code, reason);
}

/// Writes down everything the protocol reports, in order, one short line per event.
class Recorder : public ProtocolObserver
{
public:
    QByteArrayList log;
    QList<QByteArray> messages;
    QList<ProtocolError> violations;
    QList<std::uint64_t> violationOffsets;
    QStringList violationDetails;
    QList<std::uint64_t> receivedOffsets;
    QList<std::uint64_t> sentOffsets;
    QByteArray sentWires;
    QByteArray handshakeRaw;
    HandshakeReport report;

    void handshakeSent(QByteArrayView raw) override
    {
        log.append("handshakeSent");
        handshakeRaw = raw.toByteArray();
    }
    void handshakeReceived(const HttpHead &) override { log.append("handshakeReceived"); }
    void handshakeCompleted(const HandshakeReport &r) override
    {
        log.append(r.accepted ? "handshakeCompleted accepted" : "handshakeCompleted rejected");
        report = r;
    }
    void frameReceived(const DecodedFrame &frame) override
    {
        log.append("frameReceived " + opcodeName(frame.header.opcode));
        receivedOffsets.append(frame.streamOffset);
    }
    void frameSent(const FrameHeader &header, QByteArrayView wire, std::uint64_t offset) override
    {
        log.append("frameSent " + opcodeName(header.opcode));
        sentOffsets.append(offset);
        sentWires.append(wire.data(), wire.size());
    }
    void messageReceived(std::uint8_t opcode, QByteArrayView payload, int frameCount) override
    {
        log.append("message " + opcodeName(opcode) + ' ' + QByteArray::number(frameCount));
        messages.append(payload.toByteArray());
    }
    void closeReceived(const ClosePayload &close) override
    {
        log.append("closeReceived " + codeText(close));
    }
    void closeSent(const ClosePayload &close) override
    {
        log.append("closeSent " + codeText(close));
    }
    void stateChanged(WebSocketState from, WebSocketState to) override
    {
        log.append("state " + stateName(from) + "->" + stateName(to));
    }
    void protocolViolated(ProtocolError error, std::uint64_t offset, const QString &detail) override
    {
        log.append("violation " + errorKey(error));
        violations.append(error);
        violationOffsets.append(offset);
        violationDetails.append(detail);
    }

    void clear() { *this = Recorder(); }
    QByteArray joined() const { return log.join(" | "); }

private:
    static QByteArray codeText(const ClosePayload &close)
    {
        return close.code ? QByteArray::number(*close.code) : QByteArray("none");
    }
};

// A protocol in `role` that has completed the opening handshake; the recorder is cleared.
inline std::unique_ptr<WebSocketProtocol> openProtocol(
    Role role, Recorder &recorder, ProtocolOptions options)
{
    auto protocol = std::make_unique<WebSocketProtocol>(std::move(options), &recorder);
    if (role == Role::Client) {
        protocol->startHandshake();
        protocol->receiveData(kResponse);
    } else {
        protocol->receiveData(kRequest);
    }
    protocol->takeOutgoing();
    if (protocol->state() != WebSocketState::Open) {
        qWarning() << "handshake did not complete:" << recorder.joined();
        return nullptr;
    }
    recorder.clear();
    return protocol;
}

inline std::unique_ptr<WebSocketProtocol> openProtocol(Role role, Recorder &recorder)
{
    return openProtocol(role, recorder, optionsFor(role));
}

// The state changes in a log, in order.
inline QByteArrayList statesIn(const QByteArrayList &log)
{
    QByteArrayList states;
    for (const QByteArray &line : log) {
        if (line.startsWith("state "))
            states.append(line);
    }
    return states;
}

} // namespace frameline::test
