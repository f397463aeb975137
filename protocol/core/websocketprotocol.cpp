#include "websocketprotocol.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QRandomGenerator>

#include <algorithm>
#include <array>
#include <climits>
#include <utility>

namespace frameline {
namespace {

// RFC 6455 §5.3: masking keys must be unpredictable, so they come from the system's
// secure generator, drawn in batches so that a frame costs no system call.
std::function<MaskKey()> secureMaskKeys()
{
    return [words = std::array<quint32, 64> {}, next = std::size_t(64)]() mutable {
        if (next == words.size()) {
            QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
            next = 0;
        }
        const quint32 word = words[next++];
        return MaskKey {std::uint8_t(word >> 24), std::uint8_t(word >> 16), std::uint8_t(word >> 8),
            std::uint8_t(word)};
    };
}

HttpHeadParser::Kind incomingHeadKind(Role role)
{
    return role == Role::Client ? HttpHeadParser::Kind::Response : HttpHeadParser::Kind::Request;
}

// The answer to a request that could not even be parsed as an HTTP head.
QByteArray malformedRequestAnswer(bool limitExceeded)
{
    // RFC 6455 §4.2.1: a request that is not a valid handshake gets an HTTP error code;
    // RFC 6585 §5 has one for heads that are too large.
    return limitExceeded ? QByteArrayLiteral("HTTP/1.1 431 Request Header Fields Too Large\r\n"
                                             "Connection: close\r\nContent-Length: 0\r\n\r\n")
                         : QByteArrayLiteral("HTTP/1.1 400 Bad Request\r\n"
                                             "Connection: close\r\nContent-Length: 0\r\n\r\n");
}

QString joined(const QString &rule, const QString &specifics)
{
    return rule + QLatin1Char(' ') + specifics;
}

// A sentence for a per-frame violation: the rule, and the numbers that broke it.
QString decoderViolationDetail(const FrameDecoder &decoder, const DecoderLimits &limits)
{
    const ProtocolError error = decoder.error();
    const FrameHeader &header = decoder.errorHeader();
    switch (error) {
    case ProtocolError::FrameTooLarge:
        return joined(describe(error),
            QCoreApplication::translate(
                "WebSocketProtocol", "The frame announces %1 bytes; the limit is %2.")
                .arg(header.payloadLength)
                .arg(limits.maxFramePayload));
    case ProtocolError::ControlFrameTooLong:
        return joined(describe(error),
            QCoreApplication::translate("WebSocketProtocol", "This %1 frame announces %2 bytes.")
                .arg(QString::fromLatin1(opcodeName(header.opcode)))
                .arg(header.payloadLength));
    case ProtocolError::ReservedOpcode:
        return joined(describe(error),
            QCoreApplication::translate("WebSocketProtocol", "The opcode is 0x%1.")
                .arg(int(header.opcode), 0, 16));
    default:
        return describe(error);
    }
}

// A sentence for a rule spanning frames, with where in the message it broke.
QString assemblerViolationDetail(const MessageAssembler &assembler, const AssemblerLimits &limits)
{
    const ProtocolError error = assembler.error();
    switch (error) {
    case ProtocolError::InvalidUtf8:
        return joined(describe(error),
            QCoreApplication::translate("WebSocketProtocol",
                "The first byte that cannot be valid is at "
                "offset %1 of the message.")
                .arg(assembler.errorByteOffset()));
    case ProtocolError::MessageTooLarge:
        return joined(describe(error),
            QCoreApplication::translate("WebSocketProtocol",
                "%1 bytes had arrived before this frame; the "
                "limit is %2.")
                .arg(assembler.errorByteOffset())
                .arg(limits.maxMessageSize));
    case ProtocolError::InvalidCloseCode:
        return joined(describe(error),
            QCoreApplication::translate("WebSocketProtocol", "The code is %1 (%2).")
                .arg(assembler.closePayload().code.value_or(0))
                .arg(
                    QString::fromLatin1(closeCodeName(assembler.closePayload().code.value_or(0)))));
    case ProtocolError::InvalidCloseReasonUtf8:
        return joined(describe(error),
            QCoreApplication::translate("WebSocketProtocol",
                "The first byte that cannot be valid is at "
                "offset %1 of the close payload.")
                .arg(assembler.errorByteOffset()));
    default:
        return describe(error);
    }
}

} // namespace

QByteArray stateName(WebSocketState state)
{
    switch (state) {
    case WebSocketState::Connecting:
        return QByteArrayLiteral("CONNECTING");
    case WebSocketState::Open:
        return QByteArrayLiteral("OPEN");
    case WebSocketState::Closing:
        return QByteArrayLiteral("CLOSING");
    case WebSocketState::Closed:
        return QByteArrayLiteral("CLOSED");
    }
    return {};
}

ProtocolObserver::~ProtocolObserver() = default;

WebSocketProtocol::WebSocketProtocol(ProtocolOptions options, ProtocolObserver *observer)
    : m_options(std::move(options))
    , m_observer(observer ? observer : &m_nullObserver)
    , m_httpParser(incomingHeadKind(m_options.role), m_options.http)
    , m_decoder(m_options.role, m_options.decoder)
    , m_assembler(m_options.assembler)
{
    if (!m_options.maskKeys)
        m_options.maskKeys = secureMaskKeys();
    m_handshake.role = m_options.role;
}

void WebSocketProtocol::setState(WebSocketState state)
{
    if (state == m_state)
        return;
    const WebSocketState from = std::exchange(m_state, state);
    m_observer->stateChanged(from, state);
}

void WebSocketProtocol::startHandshake()
{
    if (role() != Role::Client || m_state != WebSocketState::Connecting
        || !m_handshake.requestRaw.isEmpty())
        return;
    // RFC 6455 §4.1: a fresh random nonce for every connection.
    m_handshake.key = generateWebSocketKey(m_options.randomBytes);
    m_handshake.expectedAccept = computeAcceptKey(m_handshake.key);
    m_handshake.requestRaw = buildClientRequest(m_options.client, m_handshake.key);
    m_outgoing.append(m_handshake.requestRaw);
    m_observer->handshakeSent(m_handshake.requestRaw);
}

void WebSocketProtocol::receiveData(QByteArrayView data)
{
    // RFC 6455 §7.1.7: after failing, nothing from the peer is processed any more.
    if (data.isEmpty() || m_discarding || m_eofReceived || m_state == WebSocketState::Closed)
        return;
    if (m_state == WebSocketState::Connecting)
        receiveHandshake(data);
    else
        receiveFrames(data);
}

void WebSocketProtocol::receiveHandshake(QByteArrayView data)
{
    qsizetype consumed = 0;
    const HttpHeadParser::Status status = m_httpParser.feed(data, consumed);
    if (status == HttpHeadParser::Status::NeedMore)
        return;

    if (status == HttpHeadParser::Status::Error) {
        const bool limit = m_httpParser.limitExceeded();
        m_handshake.accepted = false;
        m_handshake.failureReason = m_httpParser.errorString();
        if (role() == Role::Server) {
            m_handshake.responseRaw = malformedRequestAnswer(limit);
            m_outgoing.append(m_handshake.responseRaw);
            m_observer->handshakeSent(m_handshake.responseRaw);
        }
        m_observer->handshakeCompleted(m_handshake);
        violate(limit ? ProtocolError::HandshakeTooLarge : ProtocolError::HandshakeRejected, 0,
            m_handshake.failureReason);
        return;
    }

    const HttpHead &head = m_httpParser.head();
    m_observer->handshakeReceived(head);
    if (role() == Role::Client) {
        m_handshake.response = head;
        m_handshake.responseRaw = head.raw;
        ClientHandshakeResult result
            = validateServerResponse(head, m_handshake.key, m_options.client);
        m_handshake.accepted = result.accepted;
        m_handshake.checks = std::move(result.checks);
        m_handshake.failureReason = std::move(result.failureReason);
        m_handshake.subprotocol = std::move(result.subprotocol);
        m_handshake.extensions = std::move(result.extensions);
    } else {
        m_handshake.request = head;
        m_handshake.requestRaw = head.raw;
        m_handshake.key = head.value("Sec-WebSocket-Key");
        if (!m_handshake.key.isEmpty())
            m_handshake.expectedAccept = computeAcceptKey(m_handshake.key);
        ServerHandshakeResult result = answerClientRequest(head, m_options.server);
        m_handshake.accepted = result.accepted;
        m_handshake.checks = std::move(result.checks);
        m_handshake.failureReason = std::move(result.failureReason);
        m_handshake.subprotocol = std::move(result.subprotocol);
        m_handshake.extensions = std::move(result.extensions);
        m_handshake.responseRaw = std::move(result.response);
        m_outgoing.append(m_handshake.responseRaw);
        m_observer->handshakeSent(m_handshake.responseRaw);
    }
    m_observer->handshakeCompleted(m_handshake);

    if (!m_handshake.accepted) {
        // RFC 6455 §4.1 (client), §4.2.2 (server): a failed handshake ends the connection.
        violate(ProtocolError::HandshakeRejected, 0,
            m_handshake.failureReason.isEmpty() ? describe(ProtocolError::HandshakeRejected)
                                                : m_handshake.failureReason);
        return;
    }
    setState(WebSocketState::Open);
    // Frames may share a TCP segment with the end of the head; they are the stream's start.
    if (consumed < data.size())
        receiveFrames(data.sliced(consumed));
}

void WebSocketProtocol::receiveFrames(QByteArrayView data)
{
    m_decoder.feed(data);
    while (!m_discarding) {
        const DecodeStatus status = m_decoder.next();
        if (status == DecodeStatus::NeedMore)
            return;
        if (status == DecodeStatus::Violation) {
            violate(m_decoder.error(), m_decoder.errorOffset(),
                decoderViolationDetail(m_decoder, m_options.decoder));
            return;
        }
        const DecodedFrame &frame = m_decoder.frame();
        m_observer->frameReceived(frame);
        handleMessageOutcome(frame, m_assembler.push(frame.header, frame.payload));
    }
}

void WebSocketProtocol::handleMessageOutcome(
    const DecodedFrame &frame, MessageAssembler::Outcome outcome)
{
    switch (outcome) {
    case MessageAssembler::Outcome::Fragment:
        return;
    case MessageAssembler::Outcome::Message:
        m_observer->messageReceived(
            m_assembler.messageOpcode(), m_assembler.message(), m_assembler.messageFrameCount());
        return;
    case MessageAssembler::Outcome::Violation:
        violate(m_assembler.error(), frame.streamOffset,
            assemblerViolationDetail(m_assembler, m_options.assembler));
        return;
    case MessageAssembler::Outcome::Control:
        break;
    }

    const std::uint8_t opcode = m_assembler.controlOpcode();
    if (opcode == std::uint8_t(Opcode::Ping)) {
        // RFC 6455 §5.5.2, §5.5.3: a Pong with the Ping's payload, unless we already
        // sent Close.
        if (m_options.autoPong && m_state == WebSocketState::Open && !m_closeSent)
            queueFrame(specFor(std::uint8_t(Opcode::Pong), true), frame.payload);
        return;
    }
    if (opcode != std::uint8_t(Opcode::Close))
        return;

    m_closeReceived = m_assembler.closePayload();
    m_observer->closeReceived(*m_closeReceived);
    // RFC 6455 §5.5.1: the peer sends no data after its Close; nothing more is read.
    m_discarding = true;
    if (!m_closeSent) {
        // RFC 6455 §5.5.1: answer with a Close, echoing the status code received; this
        // also asks the server to close TCP, the handshake now being complete.
        sendClose(m_closeReceived->code, m_closeReceived->reason);
    } else if (closesTcpFirst()) {
        // RFC 6455 §7.1.1: the closing handshake is complete; the server closes TCP first
        // (or the client, when told to).
        m_closeTransport = true;
    }
}

void WebSocketProtocol::violate(ProtocolError error, std::uint64_t offset, const QString &detail)
{
    m_observer->protocolViolated(error, offset, detail.isEmpty() ? describe(error) : detail);
    fail(error);
}

void WebSocketProtocol::fail(ProtocolError error, const QString &detail)
{
    // RFC 6455 §7.1.7: nothing received after this point is processed.
    m_discarding = true;
    switch (m_state) {
    case WebSocketState::Connecting:
        // No WebSocket connection to close yet: the transport just goes away.
        m_closeTransport = true;
        setState(WebSocketState::Closed);
        return;
    case WebSocketState::Open: {
        // RFC 6455 §7.1.7: send a Close frame with the code of the failure (§7.4.1);
        // codes that may not go on the wire leave the body empty.
        const std::uint16_t code = closeCodeFor(error);
        const QByteArray reason = detail.isEmpty() ? errorKey(error) : detail.toUtf8();
        if (isValidWireCloseCode(code))
            sendClose(code, reason);
        else
            sendClose(std::nullopt);
        break;
    }
    case WebSocketState::Closing:
        break;
    case WebSocketState::Closed:
        return;
    }
    // RFC 6455 §7.1.1: a server closes TCP at once; a client waits for the server to.
    if (role() == Role::Server)
        m_closeTransport = true;
}

void WebSocketProtocol::receiveEof()
{
    if (m_eofReceived)
        return;
    m_eofReceived = true;
    // Once the peer has closed, nothing more can be exchanged: the transport can go.
    m_closeTransport = true;
    if (m_state == WebSocketState::Closed)
        return;

    if (!m_discarding) {
        if (m_state == WebSocketState::Connecting) {
            m_observer->protocolViolated(ProtocolError::AbnormalClosure, 0,
                QCoreApplication::translate("WebSocketProtocol",
                    "The TCP connection closed during the opening "
                    "handshake."));
        } else {
            const auto pending = std::uint64_t(m_decoder.pendingBytes());
            QString detail;
            // RFC 6455 §7.1.5: without a Close frame the close code is 1006.
            if (m_state == WebSocketState::Open) {
                detail = QCoreApplication::translate("WebSocketProtocol",
                    "The TCP connection closed without a "
                    "closing handshake: no Close frame was "
                    "received, so the close code is 1006.");
            }
            if (pending > 0) {
                const QString unfinished = QCoreApplication::translate("WebSocketProtocol",
                    "The stream ended inside a frame: %n byte(s) of an unfinished frame were "
                    "pending.",
                    nullptr, int(std::min<std::uint64_t>(pending, INT_MAX)));
                detail = detail.isEmpty() ? unfinished : joined(detail, unfinished);
            }
            if (!detail.isEmpty())
                m_observer->protocolViolated(
                    ProtocolError::AbnormalClosure, m_decoder.streamPosition(), detail);
        }
    }
    setState(WebSocketState::Closed);
}

FrameSpec WebSocketProtocol::specFor(std::uint8_t opcode, bool fin)
{
    FrameSpec spec;
    spec.fin = fin;
    spec.opcode = opcode;
    // RFC 6455 §5.1, §5.3: a client masks every frame with a fresh key; a server never.
    if (role() == Role::Client)
        spec.maskKey = m_options.maskKeys();
    return spec;
}

void WebSocketProtocol::queueFrame(const FrameSpec &spec, QByteArrayView payload)
{
    const qsizetype start = m_outgoing.size();
    appendFrame(m_outgoing, spec, payload);
    const QByteArrayView wire = QByteArrayView(m_outgoing).sliced(start);
    m_observer->frameSent(headerFor(spec, std::uint64_t(payload.size())), wire, m_sentOffset);
    m_sentOffset += std::uint64_t(wire.size());
}

bool WebSocketProtocol::sendText(QByteArrayView utf8)
{
    if (m_state != WebSocketState::Open)
        return false;
    queueFrame(specFor(std::uint8_t(Opcode::Text), true), utf8);
    return true;
}

bool WebSocketProtocol::sendBinary(QByteArrayView data)
{
    if (m_state != WebSocketState::Open)
        return false;
    queueFrame(specFor(std::uint8_t(Opcode::Binary), true), data);
    return true;
}

bool WebSocketProtocol::sendFragmented(Opcode opcode, QByteArrayView data, std::size_t fragmentSize)
{
    const auto first = std::uint8_t(opcode);
    if (m_state != WebSocketState::Open || fragmentSize == 0 || isControlOpcode(first)
        || opcode == Opcode::Continuation)
        return false;
    const auto total = std::size_t(data.size());
    const std::size_t frames = total == 0 ? 1 : (total + fragmentSize - 1) / fragmentSize;
    m_outgoing.reserve(m_outgoing.size() + data.size() + qsizetype(frames) * 14);
    // RFC 6455 §5.4: the first frame carries the opcode, the others are continuations,
    // the last has FIN set; an empty message is a single FIN frame.
    std::size_t position = 0;
    std::uint8_t frameOpcode = first;
    do {
        const std::size_t size = std::min(fragmentSize, total - position);
        const bool fin = position + size == total;
        queueFrame(specFor(frameOpcode, fin), data.sliced(qsizetype(position), qsizetype(size)));
        frameOpcode = std::uint8_t(Opcode::Continuation);
        position += size;
    } while (position < total);
    return true;
}

bool WebSocketProtocol::sendPing(QByteArrayView payload)
{
    // RFC 6455 §5.5: a control frame carries at most 125 bytes (sendRawFrame can break it).
    if (m_state != WebSocketState::Open || payload.size() > 125)
        return false;
    queueFrame(specFor(std::uint8_t(Opcode::Ping), true), payload);
    return true;
}

bool WebSocketProtocol::sendPong(QByteArrayView payload)
{
    // RFC 6455 §5.5.3: an unsolicited Pong is a heartbeat; never after our Close.
    if (m_state != WebSocketState::Open || payload.size() > 125)
        return false;
    queueFrame(specFor(std::uint8_t(Opcode::Pong), true), payload);
    return true;
}

bool WebSocketProtocol::sendClose(std::optional<std::uint16_t> code, QByteArrayView reason)
{
    // RFC 6455 §5.5.1: one Close frame per endpoint, and nothing after it.
    if (m_state != WebSocketState::Open)
        return false;
    ClosePayload close;
    QByteArray payload;
    if (code) {
        payload = buildClosePayload(*code, reason);
        close.code = code;
        close.reason = payload.sliced(2);
    }
    queueFrame(specFor(std::uint8_t(Opcode::Close), true), payload);
    m_closeSent = close;
    m_observer->closeSent(close);
    setState(WebSocketState::Closing);
    // RFC 6455 §7.1.1: with Close sent and received, the server closes TCP first (or the
    // client, when told to).
    if (m_closeReceived && closesTcpFirst())
        m_closeTransport = true;
    return true;
}

bool WebSocketProtocol::sendRawFrame(const FrameSpec &spec, QByteArrayView payload)
{
    if (m_state != WebSocketState::Open && m_state != WebSocketState::Closing)
        return false;
    queueFrame(spec, payload);
    return true;
}

QByteArray WebSocketProtocol::takeOutgoing()
{
    return std::exchange(m_outgoing, QByteArray());
}

std::uint16_t WebSocketProtocol::closeCode() const
{
    // RFC 6455 §7.1.5: the code of the received Close, 1005 without one in it, 1006
    // without a Close at all.
    if (!m_closeReceived)
        return CloseCode::AbnormalClosure;
    return m_closeReceived->code.value_or(CloseCode::NoStatusReceived);
}

} // namespace frameline
