#include "sessionrecorder.h"

#include "httphead.h"
#include "protocolerror.h"

#include <algorithm>

namespace frameline {
namespace {

/// The outcome of the exchange, copied onto a head's detail (checks and the failure
/// reason stay on the head that was checked).
void copyOutcome(HandshakeDetail &to, const HandshakeDetail &from)
{
    to.accepted = from.accepted;
    to.key = from.key;
    to.expectedAccept = from.expectedAccept;
    to.subprotocol = from.subprotocol;
    to.extensions = from.extensions;
}

HandshakeDetail outcomeOf(const HandshakeReport &report)
{
    HandshakeDetail outcome;
    outcome.accepted = report.accepted;
    outcome.failureReason = report.failureReason;
    outcome.key = report.key;
    outcome.expectedAccept = report.expectedAccept;
    outcome.subprotocol = report.subprotocol;
    outcome.extensions = report.extensions;
    return outcome;
}

} // namespace

SessionRecorder::SessionRecorder(
    Session &session, Role localRole, std::function<std::int64_t()> clockNs)
    : m_session(session)
    , m_localRole(localRole)
    , m_clock(std::move(clockNs))
{
    if (!m_clock)
        m_timer.start();
}

SessionRecorder::~SessionRecorder()
{
    flushWaiting();
}

std::int64_t SessionRecorder::now() const
{
    return m_clock ? m_clock() : m_timer.nsecsElapsed();
}

EventKind SessionRecorder::sentHeadKind() const
{
    return m_localRole == Role::Client ? EventKind::HandshakeRequest : EventKind::HandshakeResponse;
}

EventKind SessionRecorder::receivedHeadKind() const
{
    return m_localRole == Role::Client ? EventKind::HandshakeResponse : EventKind::HandshakeRequest;
}

void SessionRecorder::appendDeferred(Deferred &event)
{
    m_session.appendEvent(event.timeNs, event.kind, event.direction, std::move(event.detail),
        event.bytes, event.streamOffset);
}

void SessionRecorder::flushWaiting()
{
    if (m_receivedHead) {
        appendDeferred(*m_receivedHead);
        m_receivedHead.reset();
        m_receivedHeadRecorded = true;
    }
    for (Deferred &event : m_waiting)
        appendDeferred(event);
    m_waiting.clear();
}

void SessionRecorder::handshakeSent(QByteArrayView raw)
{
    // Our own head is parsed too, so views can annotate both heads the same way.
    HttpHeadParser parser(m_localRole == Role::Client ? HttpHeadParser::Kind::Request
                                                      : HttpHeadParser::Kind::Response);
    qsizetype consumed = 0;
    HandshakeDetail detail;
    if (parser.feed(raw, consumed) == HttpHeadParser::Status::Complete) {
        detail.head = parser.head();
        detail.head.raw.clear();
    }
    if (m_localRole == Role::Client)
        detail.key = detail.head.value("Sec-WebSocket-Key");
    if (m_outcome)
        copyOutcome(detail, *m_outcome);

    Deferred event {
        now(), sentHeadKind(), localDirection(), std::move(detail), raw.toByteArray(), 0};
    if (waitingForChecks()) {
        m_waiting.push_back(std::move(event));
        return;
    }
    appendDeferred(event);
}

void SessionRecorder::handshakeReceived(const HttpHead &head)
{
    flushWaiting();
    HandshakeDetail detail;
    detail.head = head;
    detail.head.raw.clear(); // the raw bytes are the event's bytes, in the arena
    m_receivedHead
        = Deferred {now(), receivedHeadKind(), peerDirection(), std::move(detail), head.raw, 0};
    m_receivedHeadRecorded = false;
}

void SessionRecorder::handshakeCompleted(const HandshakeReport &report)
{
    m_outcome = outcomeOf(report);
    if (m_receivedHead) {
        auto &detail = std::get<HandshakeDetail>(m_receivedHead->detail);
        copyOutcome(detail, *m_outcome);
        detail.failureReason = report.failureReason;
        detail.checks = report.checks;
        appendDeferred(*m_receivedHead);
        m_receivedHead.reset();
        m_receivedHeadRecorded = true;
        for (Deferred &event : m_waiting) {
            if (auto *sent = std::get_if<HandshakeDetail>(&event.detail))
                copyOutcome(*sent, *m_outcome);
            appendDeferred(event);
        }
        m_waiting.clear();
        return;
    }
    if (m_receivedHeadRecorded)
        return;
    // No head was reported whole, but the report may still hold the bytes the peer sent
    // (e.g. a head that could not be parsed): record them with the verdict.
    const bool client = m_localRole == Role::Client;
    const QByteArray &raw = client ? report.responseRaw : report.requestRaw;
    if (raw.isEmpty())
        return;
    HandshakeDetail detail = *m_outcome;
    detail.head = client ? report.response : report.request;
    detail.head.raw.clear();
    detail.checks = report.checks;
    m_session.appendEvent(now(), receivedHeadKind(), peerDirection(), std::move(detail), raw);
    m_receivedHeadRecorded = true;
}

void SessionRecorder::frameReceived(const DecodedFrame &frame)
{
    flushWaiting();
    const std::uint32_t index = m_session.appendFrame(
        now(), peerDirection(), frame.header, frame.wire, frame.streamOffset);
    // RFC 6455 §5.4: control frames may arrive between the fragments of a message and are
    // not part of it; the message starts at its first data frame.
    if (!frame.header.isControl() && !m_messageFirstFrame) {
        m_messageFirstFrame = index;
        // RFC 7692 §6: RSV1 on the first frame marks the whole message as compressed.
        m_messageCompressed = frame.header.rsv1;
    }
}

void SessionRecorder::frameSent(
    const FrameHeader &header, QByteArrayView wire, std::uint64_t streamOffset)
{
    flushWaiting();
    const std::uint32_t index = m_session.appendFrame(now(), localDirection(), header, wire, streamOffset);
    // A data message sent is a Message event too, once its last frame has gone, so
    // every exporter and view finds both directions' messages the same way. Frames
    // that break the fragmentation rules on purpose (hand-built) end nothing.
    if (header.isControl())
        return;
    if (header.opcode != std::uint8_t(Opcode::Continuation)) {
        m_sending = Outgoing {index, header.opcode, 0, 0};
    } else if (!m_sending) {
        return;
    }
    ++m_sending->frames;
    m_sending->size += header.payloadLength;
    if (!header.fin || header.rsv1)
        return; // (a compressed message's text is not in its frames: RFC 7692, not yet)
    MessageDetail detail;
    detail.opcode = m_sending->opcode;
    detail.size = m_sending->size;
    detail.frameCount = m_sending->frames;
    detail.firstFrameEvent = m_sending->firstFrame;
    m_session.appendEvent(now(), EventKind::Message, localDirection(), detail);
    m_sending.reset();
}

void SessionRecorder::messageReceived(std::uint8_t opcode, QByteArrayView payload, int frameCount)
{
    flushWaiting();
    MessageDetail detail;
    detail.opcode = opcode;
    detail.size = std::uint64_t(payload.size());
    detail.frameCount = std::uint32_t(std::max(frameCount, 0));
    // The frames can rebuild the payload unless they carry it compressed, or were not
    // reported; then the message keeps its own copy (within the capture limit).
    QByteArrayView own;
    if (!m_messageFirstFrame || m_messageCompressed)
        own = payload.first(std::min<qsizetype>(
            payload.size(), qsizetype(m_session.limits().captureBytesPerFrame)));
    detail.firstFrameEvent = m_messageFirstFrame.value_or(m_session.eventCount());
    m_session.appendEvent(now(), EventKind::Message, peerDirection(), detail, own);
    m_messageFirstFrame.reset();
    m_messageCompressed = false;
}

void SessionRecorder::closeReceived(const ClosePayload &close)
{
    flushWaiting();
    m_closeReceived = true;
    m_session.appendEvent(
        now(), EventKind::Close, peerDirection(), CloseDetail {close, m_closeSent});
}

void SessionRecorder::closeSent(const ClosePayload &close)
{
    flushWaiting();
    m_closeSent = true;
    m_session.appendEvent(
        now(), EventKind::Close, localDirection(), CloseDetail {close, !m_closeReceived});
}

void SessionRecorder::stateChanged(WebSocketState from, WebSocketState to)
{
    Deferred event {now(), EventKind::StateChanged, Direction::None, StateDetail {from, to}, {}, 0};
    if (waitingForChecks()) {
        m_waiting.push_back(std::move(event));
        return;
    }
    appendDeferred(event);
}

void SessionRecorder::protocolViolated(
    ProtocolError error, std::uint64_t streamOffset, const QString &detail)
{
    // A violation ends the connection: no message in progress will complete.
    m_messageFirstFrame.reset();
    m_messageCompressed = false;
    ErrorDetail errorDetail;
    errorDetail.error = error;
    errorDetail.closeCode = closeCodeFor(error);
    errorDetail.message = detail.isEmpty() ? describe(error) : detail;
    errorDetail.streamOffset = streamOffset;
    Deferred event {
        now(), EventKind::Error, peerDirection(), std::move(errorDetail), {}, streamOffset};
    if (waitingForChecks()) {
        m_waiting.push_back(std::move(event));
        return;
    }
    appendDeferred(event);
}

std::uint32_t SessionRecorder::addNote(const QString &text)
{
    return record(EventKind::Note, Direction::None, NoteDetail {text});
}

std::uint32_t SessionRecorder::record(
    EventKind kind, Direction direction, EventDetail detail, QByteArrayView bytes)
{
    flushWaiting();
    return m_session.appendEvent(now(), kind, direction, std::move(detail), bytes);
}

} // namespace frameline
