// Tests of the SessionRecorder: what a WebSocketProtocol reports becomes Session events
// with the right kind, direction (from the local role), time (from an injected clock)
// and detail. The observer methods are called directly with hand-made values, in the
// orders a protocol may report them.

#include "sessionrecorder.h"
#include "testbytes.h"

#include <QtTest/QtTest>

#include <optional>

using namespace frameline;
using frameline::test::hex;
using frameline::test::toHex;

Q_DECLARE_METATYPE(frameline::Role)

namespace {

// The opening handshake of RFC 6455 §1.3 / §4.
const QByteArray kKey("dGhlIHNhbXBsZSBub25jZQ==");
const QByteArray kAccept("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
const QByteArray kRequest("GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Version: 13\r\n\r\n");
const QByteArray kResponse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\n"
                           "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                           "Sec-WebSocket-Protocol: chat\r\n\r\n");
const QByteArray kRejection("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");

HttpHead requestHead()
{
    HttpHead head;
    head.method = "GET";
    head.target = "/chat";
    head.version = "HTTP/1.1";
    head.headers = {{"Host", "server.example.com"}, {"Upgrade", "websocket"},
        {"Connection", "Upgrade"}, {"Sec-WebSocket-Key", kKey}, {"Sec-WebSocket-Protocol", "chat"},
        {"Sec-WebSocket-Version", "13"}};
    head.raw = kRequest;
    return head;
}

HttpHead responseHead()
{
    HttpHead head;
    head.statusCode = 101;
    head.reasonPhrase = "Switching Protocols";
    head.version = "HTTP/1.1";
    head.headers = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"},
        {"Sec-WebSocket-Accept", kAccept}, {"Sec-WebSocket-Protocol", "chat"}};
    head.raw = kResponse;
    return head;
}

HandshakeReport acceptedReport(Role role)
{
    HandshakeReport report;
    report.role = role;
    report.requestRaw = kRequest;
    report.responseRaw = kResponse;
    if (role == Role::Server)
        report.request = requestHead();
    else
        report.response = responseHead();
    report.key = kKey;
    report.expectedAccept = kAccept;
    report.checks = {{QStringLiteral("Upgrade"), QStringLiteral("websocket"),
                         QStringLiteral("websocket"), true, true, QStringLiteral("RFC 6455 §4.1")},
        {QStringLiteral("Sec-WebSocket-Accept"), QString::fromLatin1(kAccept),
            QString::fromLatin1(kAccept), true, true, QStringLiteral("RFC 6455 §4.1")}};
    report.accepted = true;
    report.subprotocol = "chat";
    return report;
}

/// A frame as a decoder would report it; masked when the sender is a client (§5.3).
struct TestFrame
{
    FrameHeader header;
    QByteArray wire;
    QByteArray payload;

    DecodedFrame decoded(std::uint64_t offset = 0) const
    {
        DecodedFrame frame;
        frame.header = header;
        frame.streamOffset = offset;
        frame.wire = wire;
        frame.payload = payload;
        return frame;
    }
};

TestFrame makeFrame(
    Role sender, std::uint8_t opcode, bool fin, const QByteArray &payload, bool rsv1 = false)
{
    Q_ASSERT(payload.size() <= 125);
    TestFrame f;
    f.payload = payload;
    f.header.fin = fin;
    f.header.rsv1 = rsv1;
    f.header.opcode = opcode;
    f.header.payloadLength = std::uint64_t(payload.size());
    f.header.masked = sender == Role::Client;
    f.header.headerSize = f.header.masked ? 6 : 2;
    f.wire.append(char((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode));
    f.wire.append(char((f.header.masked ? 0x80 : 0) | payload.size()));
    if (f.header.masked) {
        f.header.maskKey = {0x12, 0x34, 0x56, std::uint8_t(0x78 + payload.size())};
        f.wire.append(reinterpret_cast<const char *>(f.header.maskKey.data()), 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            f.wire.append(char(std::uint8_t(payload[i]) ^ f.header.maskKey[std::size_t(i % 4)]));
    } else {
        f.wire.append(payload);
    }
    return f;
}

const HandshakeDetail &handshakeOf(const Session &session, std::uint32_t index)
{
    return std::get<HandshakeDetail>(session.detail(index));
}

} // namespace

class TestSessionRecorder : public QObject
{
    Q_OBJECT

private slots:
    void clientHandshake();
    void serverHandshakeInEitherOrder_data();
    void serverHandshakeInEitherOrder();
    void rejectedHandshake_data();
    void rejectedHandshake();
    void waitingHeadIsNeverLost();
    void verdictWithoutReportedHead();
    void frameDirectionsFollowTheRole_data();
    void frameDirectionsFollowTheRole();
    void messageStartsAtItsFirstDataFrame_data();
    void messageStartsAtItsFirstDataFrame();
    void compressedMessageKeepsItsPayload();
    void messageWithoutFramesKeepsItsPayload();
    void violationEndsTheOpenMessage();
    void closeInitiator_data();
    void closeInitiator();
    void notesAndRecords();
    void defaultClockRuns();
};

void TestSessionRecorder::clientHandshake()
{
    Session session;
    std::int64_t clock = 0;
    SessionRecorder recorder(session, Role::Client, [&clock] { return clock; });

    clock = 100;
    recorder.handshakeSent(kRequest);
    QCOMPARE(session.eventCount(), 1u);
    QCOMPARE(session.event(0).kind, EventKind::HandshakeRequest);
    QCOMPARE(session.event(0).direction, Direction::ClientToServer);
    QCOMPARE(session.event(0).timeNs, 100);
    QCOMPARE(session.bytes(0), QByteArrayView(kRequest));
    const HandshakeDetail &request = handshakeOf(session, 0);
    QCOMPARE(request.head.method, QByteArray("GET"));
    QCOMPARE(request.head.target, QByteArray("/chat"));
    QVERIFY(request.head.raw.isEmpty()); // the bytes are the event's, not a second copy
    QCOMPARE(request.key, kKey);
    QVERIFY(request.checks.isEmpty());

    // The response waits for the verdict, then takes the time it arrived.
    clock = 200;
    recorder.handshakeReceived(responseHead());
    QCOMPARE(session.eventCount(), 1u);
    clock = 300;
    recorder.handshakeCompleted(acceptedReport(Role::Client));
    clock = 400;
    recorder.stateChanged(WebSocketState::Connecting, WebSocketState::Open);

    QCOMPARE(session.eventCount(), 3u);
    QCOMPARE(session.event(1).kind, EventKind::HandshakeResponse);
    QCOMPARE(session.event(1).direction, Direction::ServerToClient);
    QCOMPARE(session.event(1).timeNs, 200);
    QCOMPARE(session.bytes(1), QByteArrayView(kResponse));
    const HandshakeDetail &response = handshakeOf(session, 1);
    QCOMPARE(response.head.statusCode, 101);
    QVERIFY(response.head.raw.isEmpty());
    // The client checked the response: the checks and the verdict go on it.
    QCOMPARE(response.checks.size(), 2);
    QCOMPARE(response.checks.at(1).name, QStringLiteral("Sec-WebSocket-Accept"));
    QVERIFY(response.accepted);
    QCOMPARE(response.expectedAccept, kAccept);
    QCOMPARE(response.subprotocol, QByteArray("chat"));

    QCOMPARE(session.event(2).kind, EventKind::StateChanged);
    QCOMPARE(session.event(2).direction, Direction::None);
    QCOMPARE(session.event(2).timeNs, 400);
    QCOMPARE(std::get<StateDetail>(session.detail(2)).to, WebSocketState::Open);
}

void TestSessionRecorder::serverHandshakeInEitherOrder_data()
{
    QTest::addColumn<bool>("sentBeforeVerdict");
    QTest::newRow("response queued before the verdict is reported") << true;
    QTest::newRow("verdict reported before the response is queued") << false;
}

void TestSessionRecorder::serverHandshakeInEitherOrder()
{
    QFETCH(bool, sentBeforeVerdict);
    Session session;
    std::int64_t clock = 0;
    SessionRecorder recorder(session, Role::Server, [&clock] { return clock; });

    clock = 100;
    recorder.handshakeReceived(requestHead());
    if (sentBeforeVerdict) {
        clock = 200;
        recorder.handshakeSent(kResponse);
        clock = 300;
        recorder.stateChanged(WebSocketState::Connecting, WebSocketState::Open);
        QCOMPARE(session.eventCount(), 0u); // all wait for the verdict on the request
        clock = 400;
        recorder.handshakeCompleted(acceptedReport(Role::Server));
    } else {
        clock = 200;
        recorder.handshakeCompleted(acceptedReport(Role::Server));
        clock = 300;
        recorder.handshakeSent(kResponse);
        clock = 400;
        recorder.stateChanged(WebSocketState::Connecting, WebSocketState::Open);
    }

    QCOMPARE(session.eventCount(), 3u);
    // The server checked the request: the checks go on it.
    QCOMPARE(session.event(0).kind, EventKind::HandshakeRequest);
    QCOMPARE(session.event(0).direction, Direction::ClientToServer);
    QCOMPARE(session.event(0).timeNs, 100);
    QCOMPARE(session.bytes(0), QByteArrayView(kRequest));
    QCOMPARE(handshakeOf(session, 0).checks.size(), 2);
    QVERIFY(handshakeOf(session, 0).accepted);
    QCOMPARE(handshakeOf(session, 0).head.method, QByteArray("GET"));

    QCOMPARE(session.event(1).kind, EventKind::HandshakeResponse);
    QCOMPARE(session.event(1).direction, Direction::ServerToClient);
    QCOMPARE(session.event(1).timeNs, sentBeforeVerdict ? 200 : 300);
    QCOMPARE(session.bytes(1), QByteArrayView(kResponse));
    const HandshakeDetail &response = handshakeOf(session, 1);
    QVERIFY(response.checks.isEmpty());
    QVERIFY(response.accepted);
    QCOMPARE(response.subprotocol, QByteArray("chat"));
    QCOMPARE(response.key, kKey);
    QCOMPARE(response.head.statusCode, 101);

    QCOMPARE(session.event(2).kind, EventKind::StateChanged);
    QCOMPARE(session.event(2).timeNs, sentBeforeVerdict ? 300 : 400);
    // Time order is kept.
    QVERIFY(session.event(0).timeNs < session.event(1).timeNs);
    QVERIFY(session.event(1).timeNs < session.event(2).timeNs);
}

void TestSessionRecorder::rejectedHandshake_data()
{
    QTest::addColumn<Role>("role");
    QTest::newRow("client rejects the server's answer") << Role::Client;
    QTest::newRow("server rejects the client's request") << Role::Server;
}

void TestSessionRecorder::rejectedHandshake()
{
    QFETCH(Role, role);
    Session session;
    std::int64_t clock = 0;
    SessionRecorder recorder(session, role, [&clock] { return clock += 10; });

    HandshakeReport report = acceptedReport(role);
    report.accepted = false;
    report.subprotocol.clear();
    report.checks[1].passed = false;
    report.checks[1].actual = QStringLiteral("(missing)");
    report.failureReason = QStringLiteral("The answer lacks Sec-WebSocket-Accept.");
    const EventKind checkedKind
        = role == Role::Client ? EventKind::HandshakeResponse : EventKind::HandshakeRequest;
    const Direction peer = directionFrom(peerOf(role));

    if (role == Role::Client) {
        recorder.handshakeSent(kRequest);
        recorder.handshakeReceived(responseHead());
        recorder.handshakeCompleted(report);
        recorder.protocolViolated(ProtocolError::HandshakeRejected, 0, {});
    } else {
        recorder.handshakeReceived(requestHead());
        recorder.handshakeSent(kRejection);
        recorder.protocolViolated(ProtocolError::HandshakeRejected, 0, {});
        recorder.handshakeCompleted(report);
    }
    recorder.stateChanged(WebSocketState::Connecting, WebSocketState::Closed);

    QCOMPARE(session.eventCount(), 4u);
    const std::uint32_t checked = role == Role::Client ? 1 : 0;
    QCOMPARE(session.event(checked).kind, checkedKind);
    QCOMPARE(session.event(checked).direction, peer);
    const HandshakeDetail &detail = handshakeOf(session, checked);
    QVERIFY(!detail.accepted);
    QCOMPARE(detail.failureReason, report.failureReason);
    QCOMPARE(detail.checks.size(), 2);
    QVERIFY(!detail.checks.at(1).passed);
    // Our own head holds the verdict, not the reasons.
    QVERIFY(!handshakeOf(session, 1 - checked).accepted);
    QVERIFY(handshakeOf(session, 1 - checked).failureReason.isEmpty());

    // The rule broken is recorded with the close code it leads to, in the peer's direction.
    QCOMPARE(session.event(2).kind, EventKind::Error);
    QCOMPARE(session.event(2).direction, peer);
    const ErrorDetail &error = std::get<ErrorDetail>(session.detail(2));
    QCOMPARE(error.error, ProtocolError::HandshakeRejected);
    QCOMPARE(error.closeCode, closeCodeFor(ProtocolError::HandshakeRejected));
    QCOMPARE(error.message, describe(ProtocolError::HandshakeRejected));
    QCOMPARE(session.event(3).kind, EventKind::StateChanged);
    for (std::uint32_t i = 1; i < session.eventCount(); ++i)
        QVERIFY(session.event(i - 1).timeNs < session.event(i).timeNs);
}

void TestSessionRecorder::waitingHeadIsNeverLost()
{
    Session session;
    std::int64_t clock = 0;
    {
        SessionRecorder recorder(session, Role::Client, [&clock] { return ++clock; });
        recorder.handshakeReceived(responseHead());
        // Anything else reported before the verdict appends the head first, as it is.
        const TestFrame frame = makeFrame(Role::Server, 0x1, true, "hi");
        recorder.frameReceived(frame.decoded());
        QCOMPARE(session.eventCount(), 2u);
        QCOMPARE(session.event(0).kind, EventKind::HandshakeResponse);
        QVERIFY(handshakeOf(session, 0).checks.isEmpty());
        QCOMPARE(session.event(1).kind, EventKind::Frame);
        // A late verdict does not record the head a second time.
        recorder.handshakeCompleted(acceptedReport(Role::Client));
        QCOMPARE(session.eventCount(), 2u);
    }
    {
        // A head still waiting when the recorder goes away is appended then.
        SessionRecorder recorder(session, Role::Server, [&clock] { return ++clock; });
        recorder.handshakeReceived(requestHead());
        recorder.stateChanged(WebSocketState::Connecting, WebSocketState::Closed);
        QCOMPARE(session.eventCount(), 2u);
    }
    QCOMPARE(session.eventCount(), 4u);
    QCOMPARE(session.event(2).kind, EventKind::HandshakeRequest);
    QCOMPARE(session.bytes(2), QByteArrayView(kRequest));
    QCOMPARE(session.event(3).kind, EventKind::StateChanged);
}

void TestSessionRecorder::verdictWithoutReportedHead()
{
    // A head that never parsed is still in the report: it is recorded with the verdict.
    Session session;
    SessionRecorder recorder(session, Role::Client, [] { return std::int64_t(5); });
    recorder.handshakeSent(kRequest);
    HandshakeReport report;
    report.role = Role::Client;
    report.requestRaw = kRequest;
    report.responseRaw = "HTTP/1.1 200 OK\r\nbroken";
    report.failureReason = QStringLiteral("not an HTTP head");
    recorder.handshakeCompleted(report);
    QCOMPARE(session.eventCount(), 2u);
    QCOMPARE(session.event(1).kind, EventKind::HandshakeResponse);
    QCOMPARE(session.bytes(1), QByteArrayView(report.responseRaw));
    QCOMPARE(handshakeOf(session, 1).failureReason, report.failureReason);

    // Nothing received at all: nothing is invented.
    Session empty;
    SessionRecorder other(empty, Role::Server, [] { return std::int64_t(5); });
    other.handshakeCompleted(HandshakeReport {});
    QCOMPARE(empty.eventCount(), 0u);
}

void TestSessionRecorder::frameDirectionsFollowTheRole_data()
{
    QTest::addColumn<Role>("role");
    QTest::newRow("client: sends masked to the server, receives unmasked") << Role::Client;
    QTest::newRow("server: sends unmasked to the client, receives masked") << Role::Server;
}

void TestSessionRecorder::frameDirectionsFollowTheRole()
{
    QFETCH(Role, role);
    Session session;
    std::int64_t clock = 0;
    SessionRecorder recorder(session, role, [&clock] { return clock; });

    // RFC 6455 §5.1: a client masks every frame it sends, a server none.
    const TestFrame sent = makeFrame(role, 0x1, true, "Hello");
    const TestFrame received = makeFrame(peerOf(role), 0x2, true, hex("00 ff 10"));
    clock = 1000;
    recorder.frameSent(sent.header, sent.wire, 0);
    clock = 2000;
    recorder.frameReceived(received.decoded(7));
    clock = 3000;
    recorder.frameSent(sent.header, sent.wire, std::uint64_t(sent.wire.size()));

    // Each whole message sent is also a Message event, after its frame.
    QCOMPARE(session.eventCount(), 5u);
    const QList<EventKind> kinds {EventKind::Frame, EventKind::Message, EventKind::Frame, EventKind::Frame,
                                  EventKind::Message};
    for (std::uint32_t i = 0; i < 5; ++i)
        QCOMPARE(session.event(i).kind, kinds[qsizetype(i)]);
    QCOMPARE(session.event(0).direction, directionFrom(role));
    QCOMPARE(session.event(1).direction, directionFrom(role));
    QCOMPARE(session.event(2).direction, directionFrom(peerOf(role)));
    QCOMPARE(session.event(3).direction, directionFrom(role));
    QCOMPARE(session.event(0).timeNs, 1000);
    QCOMPARE(session.event(2).timeNs, 2000);
    QCOMPARE(session.event(3).timeNs, 3000);
    QCOMPARE(session.event(2).streamOffset, 7u);
    QCOMPARE(session.event(3).streamOffset, std::uint64_t(sent.wire.size()));
    QCOMPARE(toHex(session.bytes(0)), toHex(sent.wire));
    QCOMPARE(toHex(session.bytes(2)), toHex(received.wire));
    QCOMPARE(session.frameHeader(0).masked, role == Role::Client);
    QCOMPARE(session.frameHeader(2).masked, role == Role::Server);
    QCOMPARE(session.framePayload(0), QByteArray("Hello"));
    QCOMPARE(session.messagePayload(1), QByteArray("Hello"));
    QCOMPARE(std::get<MessageDetail>(session.detail(4)).firstFrameEvent, 3u);
    QCOMPARE(session.framePayload(2), hex("00 ff 10"));
}

void TestSessionRecorder::messageStartsAtItsFirstDataFrame_data()
{
    QTest::addColumn<Role>("role");
    QTest::newRow("client receiving from the server") << Role::Client;
    QTest::newRow("server receiving from the client") << Role::Server;
}

void TestSessionRecorder::messageStartsAtItsFirstDataFrame()
{
    QFETCH(Role, role);
    const Role peer = peerOf(role);
    Session session;
    std::int64_t clock = 0;
    SessionRecorder recorder(session, role, [&clock] { return clock += 1000; });

    // RFC 6455 §5.4: control frames may come before and between the fragments; a ping
    // before the first fragment must not be taken for the message's start.
    const TestFrame ping = makeFrame(peer, 0x9, true, "p");
    const TestFrame pong = makeFrame(role, 0xA, true, "p");
    const TestFrame first = makeFrame(peer, 0x1, false, "Hel");
    const TestFrame middle = makeFrame(peer, 0x0, false, "lo, ");
    const TestFrame last = makeFrame(peer, 0x0, true, "world");
    recorder.frameReceived(ping.decoded());
    recorder.frameSent(pong.header, pong.wire, 0);
    recorder.frameReceived(first.decoded());
    const std::uint32_t firstIndex = session.eventCount() - 1;
    recorder.frameReceived(ping.decoded());
    recorder.frameSent(pong.header, pong.wire, 0);
    recorder.frameReceived(middle.decoded());
    recorder.frameReceived(makeFrame(peer, 0xA, true, {}).decoded());
    recorder.frameReceived(last.decoded());
    recorder.messageReceived(0x1, "Hello, world", 3);

    const std::uint32_t messageIndex = session.eventCount() - 1;
    const EventRecord &record = session.event(messageIndex);
    QCOMPARE(record.kind, EventKind::Message);
    QCOMPARE(record.direction, directionFrom(peer));
    QCOMPARE(record.timeNs, std::int64_t(messageIndex + 1) * 1000);
    QCOMPARE(record.bytesLength, 0u); // rebuilt from its frames, not kept twice
    const MessageDetail &message = std::get<MessageDetail>(session.detail(messageIndex));
    QCOMPARE(message.opcode, std::uint8_t(0x1));
    QCOMPARE(message.size, 12u);
    QCOMPARE(message.firstFrameEvent, firstIndex);
    QCOMPARE(message.frameCount, 3u);
    QCOMPARE(session.messagePayload(messageIndex), QByteArray("Hello, world"));

    // The next message starts afresh, again after a control frame.
    recorder.frameReceived(ping.decoded());
    const TestFrame single = makeFrame(peer, 0x2, true, hex("01 02 03"));
    recorder.frameReceived(single.decoded());
    const std::uint32_t singleIndex = session.eventCount() - 1;
    recorder.messageReceived(0x2, hex("01 02 03"), 1);
    const std::uint32_t second = session.eventCount() - 1;
    QCOMPARE(std::get<MessageDetail>(session.detail(second)).firstFrameEvent, singleIndex);
    QCOMPARE(session.messagePayload(second), hex("01 02 03"));
}

void TestSessionRecorder::compressedMessageKeepsItsPayload()
{
    // RFC 7692 §6: RSV1 on the first frame marks a compressed message; its frames hold
    // deflated bytes, so the message keeps the inflated payload itself.
    Session session;
    SessionRecorder recorder(session, Role::Client, [] { return std::int64_t(1); });
    const QByteArray deflated = hex("f2 48 cd c9 c9 07 00");
    recorder.frameReceived(makeFrame(Role::Server, 0x1, true, deflated, true).decoded());
    recorder.messageReceived(0x1, "Hello", 1);
    QCOMPARE(session.framePayload(0), deflated);
    QCOMPARE(session.bytes(1), QByteArrayView("Hello"));
    QCOMPARE(session.messagePayload(1), QByteArray("Hello"));
    QCOMPARE(std::get<MessageDetail>(session.detail(1)).firstFrameEvent, 0u);

    // The mark is per message: the next, uncompressed one is rebuilt from its frame.
    recorder.frameReceived(makeFrame(Role::Server, 0x1, true, "plain").decoded());
    recorder.messageReceived(0x1, "plain", 1);
    QCOMPARE(session.event(3).bytesLength, 0u);
    QCOMPARE(session.messagePayload(3), QByteArray("plain"));
}

void TestSessionRecorder::messageWithoutFramesKeepsItsPayload()
{
    // Reported without its frames: the payload must not be lost.
    Session session;
    SessionRecorder recorder(session, Role::Server, [] { return std::int64_t(1); });
    recorder.messageReceived(0x2, hex("de ad be ef"), 1);
    QCOMPARE(session.messagePayload(0), hex("de ad be ef"));
    QCOMPARE(session.event(0).direction, Direction::ClientToServer);
}

void TestSessionRecorder::violationEndsTheOpenMessage()
{
    Session session;
    std::int64_t clock = 0;
    SessionRecorder recorder(session, Role::Client, [&clock] { return clock += 5; });
    recorder.frameReceived(makeFrame(Role::Server, 0x1, false, "unfin").decoded());
    recorder.protocolViolated(
        ProtocolError::InvalidUtf8, 1234, QStringLiteral("byte 0xC0 at offset 3"));
    QCOMPARE(session.event(1).kind, EventKind::Error);
    QCOMPARE(session.event(1).direction, Direction::ServerToClient);
    QCOMPARE(session.event(1).streamOffset, 1234u);
    QCOMPARE(session.event(1).timeNs, 10);
    const ErrorDetail &error = std::get<ErrorDetail>(session.detail(1));
    QCOMPARE(error.closeCode, closeCodeFor(ProtocolError::InvalidUtf8));
    QCOMPARE(error.message, QStringLiteral("byte 0xC0 at offset 3"));
    QCOMPARE(error.streamOffset, 1234u);

    // Whatever comes next is not glued to the failed message.
    recorder.frameReceived(makeFrame(Role::Server, 0x1, true, "new").decoded());
    recorder.messageReceived(0x1, "new", 1);
    QCOMPARE(std::get<MessageDetail>(session.detail(3)).firstFrameEvent, 2u);
    QCOMPARE(session.messagePayload(3), QByteArray("new"));
}

void TestSessionRecorder::closeInitiator_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<bool>("weCloseFirst");
    QTest::newRow("client closes first") << Role::Client << true;
    QTest::newRow("server closes first, client answers") << Role::Client << false;
    QTest::newRow("server closes first") << Role::Server << true;
    QTest::newRow("client closes first, server answers") << Role::Server << false;
}

void TestSessionRecorder::closeInitiator()
{
    QFETCH(Role, role);
    QFETCH(bool, weCloseFirst);
    Session session;
    SessionRecorder recorder(session, role, [] { return std::int64_t(9); });
    const ClosePayload ours {CloseCode::Normal, "done"};
    const ClosePayload theirs {CloseCode::GoingAway, {}};
    if (weCloseFirst) {
        recorder.closeSent(ours);
        recorder.closeReceived(theirs);
    } else {
        recorder.closeReceived(theirs);
        recorder.closeSent(ours);
    }
    const std::uint32_t sent = weCloseFirst ? 0 : 1;
    const std::uint32_t received = 1 - sent;
    QCOMPARE(session.event(sent).kind, EventKind::Close);
    QCOMPARE(session.event(sent).direction, directionFrom(role));
    QCOMPARE(session.event(received).direction, directionFrom(peerOf(role)));
    const CloseDetail &sentDetail = std::get<CloseDetail>(session.detail(sent));
    const CloseDetail &receivedDetail = std::get<CloseDetail>(session.detail(received));
    QCOMPARE(sentDetail.close.code, ours.code);
    QCOMPARE(sentDetail.close.reason, ours.reason);
    QCOMPARE(receivedDetail.close.code, theirs.code);
    // Both ends of the closing handshake agree on who started it (RFC 6455 §7.1.2).
    QCOMPARE(sentDetail.initiatedLocally, weCloseFirst);
    QCOMPARE(receivedDetail.initiatedLocally, weCloseFirst);
}

void TestSessionRecorder::notesAndRecords()
{
    Session session;
    std::int64_t clock = 0;
    SessionRecorder recorder(session, Role::Client, [&clock] { return clock; });
    QCOMPARE(recorder.localRole(), Role::Client);
    QCOMPARE(&recorder.session(), &session);

    clock = 11;
    QCOMPARE(recorder.record(EventKind::TcpConnected, Direction::None,
                 TcpDetail {QStringLiteral("127.0.0.1"), 40000, QStringLiteral("127.0.0.1"), 9001}),
        0u);
    clock = 22;
    QCOMPARE(recorder.record(EventKind::TcpState, Direction::None,
                 TcpStateDetail {Role::Server, TcpState::CloseWait, Observation::Inferred, {}}),
        1u);
    clock = 33;
    QCOMPARE(recorder.addNote(QStringLiteral("sent a fragmented message")), 2u);
    clock = 44;
    QCOMPARE(recorder.record(EventKind::Note, Direction::None, std::monostate {}, "raw bytes"), 3u);

    QCOMPARE(session.event(0).kind, EventKind::TcpConnected);
    QCOMPARE(std::get<TcpDetail>(session.detail(0)).peerPort, 9001);
    QCOMPARE(std::get<TcpStateDetail>(session.detail(1)).state, TcpState::CloseWait);
    QCOMPARE(session.event(2).kind, EventKind::Note);
    QCOMPARE(session.event(2).direction, Direction::None);
    QCOMPARE(
        std::get<NoteDetail>(session.detail(2)).text, QStringLiteral("sent a fragmented message"));
    QCOMPARE(session.bytes(3), QByteArrayView("raw bytes"));
    for (std::uint32_t i = 0; i < 4; ++i)
        QCOMPARE(session.event(i).timeNs, std::int64_t(11 * (i + 1)));
}

void TestSessionRecorder::defaultClockRuns()
{
    // Without an injected clock, a monotonic timer started with the recorder.
    Session session;
    SessionRecorder recorder(session, Role::Client);
    recorder.addNote(QStringLiteral("a"));
    recorder.addNote(QStringLiteral("b"));
    QVERIFY(session.event(0).timeNs >= 0);
    QVERIFY(session.event(1).timeNs >= session.event(0).timeNs);
    QVERIFY(recorder.now() >= session.event(1).timeNs);
    QVERIFY(session.event(1).timeNs < 60ll * 1000 * 1000 * 1000);
}

QTEST_APPLESS_MAIN(TestSessionRecorder)
#include "tst_sessionrecorder.moc"
