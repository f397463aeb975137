#pragma once

#include "session.h"
#include "websocketprotocol.h"

#include <QtCore/QElapsedTimer>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace frameline {

/// Appends to a Session everything a WebSocketProtocol reports, with directions taken
/// from the local role and times from an injected clock; the I/O layer adds DNS, TCP,
/// TLS and TCP-state events through record().
///
/// What goes where:
///  - handshakeSent() → the request (client) or response (server) with its raw bytes
///    and parsed head; handshakeReceived() + handshakeCompleted() → the other head,
///    whose event carries the checks, accepted, failureReason and what was negotiated
///    (the head that was checked: the response for a client, the request for a server).
///  - frames → Frame events; messageReceived() → a Message event naming its first frame;
///  - closeReceived()/closeSent() → Close events, stateChanged() → StateChanged,
///    protocolViolated() → Error (in the direction of the peer, who broke the rule).
///
/// Call order the recorder relies on:
///  - frameReceived() for every frame of a message comes before the messageReceived()
///    it completes (the message's first frame is the first data frame received since
///    the last message; control frames in between are not part of it);
///  - handshakeCompleted() follows handshakeReceived() within the same receive. Until
///    it comes, the received head waits (so its checks can go on its event), and a
///    handshakeSent(), stateChanged() or protocolViolated() reported meanwhile waits
///    behind it, keeping the log in time order. Anything else reported first appends
///    the head as it is, without checks.
///
/// The Session must outlive the recorder; the destructor appends whatever still waits.
class SessionRecorder : public ProtocolObserver
{
public:
    /// `clockNs` gives the time of each event in nanoseconds since the session
    /// started; empty: a monotonic timer started now. Tests inject a fake one.
    SessionRecorder(Session &session, Role localRole, std::function<std::int64_t()> clockNs = {});
    ~SessionRecorder() override;
    SessionRecorder(const SessionRecorder &) = delete;
    SessionRecorder &operator=(const SessionRecorder &) = delete;

    Session &session() const { return m_session; }
    Role localRole() const { return m_localRole; }
    /// Nanoseconds since the session started, by the recorder's clock.
    std::int64_t now() const;

    void handshakeSent(QByteArrayView raw) override;
    void handshakeReceived(const HttpHead &head) override;
    void handshakeCompleted(const HandshakeReport &report) override;
    void frameReceived(const DecodedFrame &frame) override;
    void frameSent(
        const FrameHeader &header, QByteArrayView wire, std::uint64_t streamOffset) override;
    void messageReceived(std::uint8_t opcode, QByteArrayView payload, int frameCount) override;
    void closeReceived(const ClosePayload &close) override;
    void closeSent(const ClosePayload &close) override;
    void stateChanged(WebSocketState from, WebSocketState to) override;
    void protocolViolated(
        ProtocolError error, std::uint64_t streamOffset, const QString &detail) override;

    /// Appends a note from the person or the program (direction None). Returns its index.
    std::uint32_t addNote(const QString &text);
    /// Appends any other event (DNS, TCP, TLS, TCP state, an error the protocol does not
    /// know about) at the current time. Returns its index.
    std::uint32_t record(
        EventKind kind, Direction direction, EventDetail detail, QByteArrayView bytes = {});

private:
    /// An event held back while the received handshake head waits for its checks.
    struct Deferred
    {
        std::int64_t timeNs = 0;
        EventKind kind = EventKind::Note;
        Direction direction = Direction::None;
        EventDetail detail;
        QByteArray bytes;
        std::uint64_t streamOffset = 0;
    };

    Direction localDirection() const { return directionFrom(m_localRole); }
    Direction peerDirection() const { return directionFrom(peerOf(m_localRole)); }
    EventKind sentHeadKind() const;
    EventKind receivedHeadKind() const;
    bool waitingForChecks() const { return m_receivedHead.has_value(); }
    /// Appends the waiting head (without checks) and what waits behind it.
    void flushWaiting();
    void appendDeferred(Deferred &event);

    Session &m_session;
    Role m_localRole;
    std::function<std::int64_t()> m_clock;
    QElapsedTimer m_timer;

    std::optional<Deferred> m_receivedHead; // the peer's head, waiting for its checks
    std::vector<Deferred> m_waiting; // events reported while it waits
    bool m_receivedHeadRecorded = false;
    std::optional<HandshakeDetail> m_outcome; // the exchange's verdict, once checked

    std::optional<std::uint32_t> m_messageFirstFrame; // first data frame of the open message
    bool m_messageCompressed = false; // that frame had RSV1 (RFC 7692 §6)
    /// The message this side is sending, frame by frame, so it too becomes a Message.
    struct Outgoing
    {
        std::uint32_t firstFrame = 0;
        std::uint8_t opcode = 0;
        std::uint32_t frames = 0;
        std::uint64_t size = 0;
    };
    std::optional<Outgoing> m_sending;
    bool m_closeSent = false;
    bool m_closeReceived = false;
};

} // namespace frameline
