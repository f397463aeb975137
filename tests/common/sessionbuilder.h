#pragma once

// Builds Sessions for tests (widgets, exporters): frames from a spec (masked from the client,
// unmasked from the server, as RFC 6455 §5.1 wants, unless told otherwise), messages
// naming their frames, and any other event, with times 1 ms apart.

#include "frameencoder.h"
#include "httphead.h"
#include "session.h"

#include <QtCore/QByteArray>

#include <optional>

namespace frameline::test {

inline constexpr MaskKey kRfcKey {0x37, 0xfa, 0x21, 0x3d}; // the key of RFC 6455 §5.7

class SessionBuilder
{
public:
    explicit SessionBuilder(Session &session)
        : m_session(session)
    { }

    static constexpr std::int64_t kStepNs = 1'000'000;

    /// A frame whose masking follows the direction unless `spec` sets a key itself.
    std::uint32_t frame(Direction direction, FrameSpec spec, const QByteArray &payload)
    {
        if (!spec.maskKey && direction == Direction::ClientToServer && m_maskClientFrames)
            spec.maskKey = kRfcKey;
        const QByteArray wire = encodeFrame(spec, payload);
        const FrameHeader header = headerFor(spec, std::uint64_t(payload.size()));
        std::uint64_t &offset
            = direction == Direction::ClientToServer ? m_clientOffset : m_serverOffset;
        const std::uint32_t index = m_session.appendFrame(tick(), direction, header, wire, offset);
        offset += std::uint64_t(wire.size());
        return index;
    }

    std::uint32_t frame(
        Direction direction, Opcode opcode, const QByteArray &payload, bool fin = true)
    {
        FrameSpec spec;
        spec.opcode = std::uint8_t(opcode);
        spec.fin = fin;
        return frame(direction, spec, payload);
    }

    std::uint32_t text(Direction direction, const QByteArray &text)
    {
        return frame(direction, Opcode::Text, text);
    }

    std::uint32_t message(Direction direction, Opcode opcode, std::uint64_t size,
        std::uint32_t firstFrame, std::uint32_t frameCount)
    {
        MessageDetail detail;
        detail.opcode = std::uint8_t(opcode);
        detail.size = size;
        detail.firstFrameEvent = firstFrame;
        detail.frameCount = frameCount;
        return m_session.appendEvent(tick(), EventKind::Message, direction, detail);
    }

    /// A whole text message in one frame, and its Message event; returns the frame.
    std::uint32_t textMessage(Direction direction, const QByteArray &text)
    {
        const std::uint32_t frameIndex = this->text(direction, text);
        message(direction, Opcode::Text, std::uint64_t(text.size()), frameIndex, 1);
        return frameIndex;
    }

    std::uint32_t event(
        EventKind kind, Direction direction, EventDetail detail, QByteArrayView bytes = {})
    {
        return m_session.appendEvent(tick(), kind, direction, std::move(detail), bytes);
    }

    /// An opening-handshake head as on the wire, parsed into its detail.
    std::uint32_t handshakeRequest(const QByteArray &raw) { return head(raw, true); }
    std::uint32_t handshakeResponse(const QByteArray &raw) { return head(raw, false); }

    std::uint32_t tcpState(Role side, TcpState state, Observation how = Observation::Observed)
    {
        TcpStateDetail detail;
        detail.side = side;
        detail.state = state;
        detail.observation = how;
        return event(EventKind::TcpState, Direction::None, detail);
    }

    std::uint32_t note(const QString &text) { return event(EventKind::Note, Direction::None, NoteDetail {text}); }

    /// Client frames go out unmasked from now on (to build rule-breaking frames).
    void setMaskClientFrames(bool mask) { m_maskClientFrames = mask; }

private:
    std::int64_t tick() { return m_time += kStepNs; }

    std::uint32_t head(const QByteArray &raw, bool request)
    {
        HttpHeadParser parser(request ? HttpHeadParser::Kind::Request : HttpHeadParser::Kind::Response);
        qsizetype consumed = 0;
        parser.feed(raw, consumed);
        HandshakeDetail detail;
        detail.head = parser.head();
        detail.head.raw.clear();
        detail.accepted = !request && detail.head.statusCode == 101;
        return event(request ? EventKind::HandshakeRequest : EventKind::HandshakeResponse,
                     request ? Direction::ClientToServer : Direction::ServerToClient, detail, raw);
    }

    Session &m_session;
    std::int64_t m_time = 0;
    std::uint64_t m_clientOffset = 0;
    std::uint64_t m_serverOffset = 0;
    bool m_maskClientFrames = true;
};

} // namespace frameline::test
