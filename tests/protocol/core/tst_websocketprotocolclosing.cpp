// Tests of WebSocketProtocol failing and closing: a violation sends the right close code
// and discards what follows (§7.1.7, §7.4.1), UTF-8 fails at the first bad frame (§8.1),
// close codes are echoed or rejected (§5.5.1, §7.4), the closing handshake in both orders
// and who closes TCP (§7.1.1, §7.1.2), and the close code after end of stream (§7.1.5).
// Every case is run in both roles.

#include "testbytes.h"
#include "websocketprotocolharness.h"

#include <QtTest/QtTest>

using namespace frameline;
using namespace frameline::test;

class TestWebSocketProtocolClosing : public QObject
{
    Q_OBJECT

private slots:
    void violationsFailTheConnection_data();
    void violationsFailTheConnection();
    void invalidUtf8FailsAtTheFirstBadFrame_data();
    void invalidUtf8FailsAtTheFirstBadFrame();
    void closeCodes_data();
    void closeCodes();
    void closingHandshake_data();
    void closingHandshake();
    void dataAfterOurCloseIsDelivered_data();
    void dataAfterOurCloseIsDelivered();
    void framesAfterThePeersCloseAreDiscarded_data();
    void framesAfterThePeersCloseAreDiscarded();
    void endOfStream_data();
    void endOfStream();
    void failCommand_data();
    void failCommand();
};

void TestWebSocketProtocolClosing::violationsFailTheConnection_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<ProtocolError>("error");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<int>("badFrameAt"); // offset of the offending frame in `stream`

    for (const Role role : {Role::Client, Role::Server}) {
        const auto frame = [role](std::uint8_t op, QByteArrayView payload, bool fin = true) {
            return peerFrame(role, op, payload, fin);
        };
        const auto add = [role](const char *what, const QByteArray &stream, ProtocolError error,
                             qsizetype badFrameAt = 0) {
            QTest::addRow("%s: %s", roleName(role), what)
                << role << stream << error << int(closeCodeFor(error)) << int(badFrameAt);
        };
        FrameSpec spec;
        if (role == Role::Server)
            spec.maskKey = kPeerKey;
        // Per-frame rules, detected by the decoder (Autobahn 2, 3, 4).
        spec.opcode = 0x3;
        add("reserved opcode 0x3 (§5.2)", encodeFrame(spec, "x"), ProtocolError::ReservedOpcode);
        spec.opcode = kText;
        spec.rsv2 = true;
        add("RSV2 without an extension (§5.2)", encodeFrame(spec, "x"),
            ProtocolError::ReservedBitsSet);
        add("fragmented ping (§5.5)", frame(kPing, "x", false),
            ProtocolError::FragmentedControlFrame);
        add("ping with 126 bytes (§5.5)", frame(kPing, QByteArray(126, 'p')),
            ProtocolError::ControlFrameTooLong);
        FrameSpec wrongMask;
        if (role == Role::Client)
            wrongMask.maskKey = kPeerKey;
        add(role == Role::Server ? "unmasked frame from the client (§5.1)"
                                 : "masked frame from the server (§5.1)",
            encodeFrame(wrongMask, "x"),
            role == Role::Server ? ProtocolError::UnmaskedClientFrame
                                 : ProtocolError::MaskedServerFrame);
        add("frame over the frame limit of 64 bytes", frame(kBinary, QByteArray(65, 'b')),
            ProtocolError::FrameTooLarge);
        // Rules across frames, detected by the assembler (Autobahn 5, 6, 7, 9).
        add("continuation with nothing to continue (§5.4)", frame(kContinuation, "x"),
            ProtocolError::UnexpectedContinuation);
        add("text frame inside a fragmented message (§5.4)",
            frame(kText, "a", false) + frame(kText, "b"), ProtocolError::ExpectedContinuation,
            frame(kText, "a", false).size());
        add("invalid UTF-8 in a text message (§8.1)", frame(kText, hex("ce ba ed a0 80")),
            ProtocolError::InvalidUtf8);
        add("message over the message limit of 32 bytes",
            frame(kBinary, QByteArray(20, 'b'), false) + frame(kContinuation, QByteArray(20, 'b')),
            ProtocolError::MessageTooLarge, frame(kBinary, QByteArray(20, 'b'), false).size());
        add("close with a 1-byte body (§5.5.1)", frame(kClose, hex("03")),
            ProtocolError::CloseFrameLengthOne);
        add("close with code 1005 (§7.4.1)", frame(kClose, hex("03 ed")),
            ProtocolError::InvalidCloseCode);
        add("close reason not UTF-8 (§5.5.1)", frame(kClose, hex("03 e8 ff")),
            ProtocolError::InvalidCloseReasonUtf8);
    }
}

void TestWebSocketProtocolClosing::violationsFailTheConnection()
{
    QFETCH(Role, role);
    QFETCH(QByteArray, stream);
    QFETCH(ProtocolError, error);
    QFETCH(int, closeCode);
    QFETCH(int, badFrameAt);

    Recorder recorder;
    ProtocolOptions options = optionsFor(role);
    options.decoder.maxFramePayload = 64;
    options.assembler.maxMessageSize = 32;
    auto protocol = openProtocol(role, recorder, options);
    QVERIFY(protocol);
    // A valid message first: it is delivered, what follows the violation is not.
    const QByteArray good = peerFrame(role, kText, "fine");
    protocol->receiveData(QByteArray(good + stream + peerFrame(role, kText, "never read")));

    QCOMPARE(recorder.messages, QList<QByteArray> {"fine"});
    QCOMPARE(recorder.violations, QList<ProtocolError> {error});
    QCOMPARE(recorder.violationOffsets.first(), std::uint64_t(good.size() + badFrameAt));
    QVERIFY(!recorder.violationDetails.first().isEmpty());
    // RFC 6455 §7.1.7: a Close frame with the code of the failure, then CLOSING.
    const QByteArray close
        = ownFrame(role, kClose, closeBody(std::uint16_t(closeCode), errorKey(error)));
    QCOMPARE(toHex(protocol->takeOutgoing()), toHex(close));
    QCOMPARE(int(protocol->closeSentPayload()->code.value_or(0)), closeCode);
    QCOMPARE(protocol->state(), WebSocketState::Closing);
    QVERIFY(recorder.log.endsWith("state OPEN->CLOSING"));
    // §7.1.1: a server closes TCP at once, a client waits for the server to.
    QCOMPARE(protocol->closeTransportRequested(), role == Role::Server);

    // §7.1.7: nothing received afterwards is processed, not even the peer's Close.
    const qsizetype events = recorder.log.size();
    protocol->receiveData(
        QByteArray(peerFrame(role, kText, "later") + peerFrame(role, kClose, closeBody(1000))));
    QCOMPARE(recorder.log.size(), events);
    QVERIFY(!protocol->hasOutgoing());
    QVERIFY(!protocol->closeReceived());
    protocol->receiveEof();
    QCOMPARE(recorder.log.last(), QByteArray("state CLOSING->CLOSED"));
    QCOMPARE(recorder.violations.size(), 1);
    QCOMPARE(protocol->closeCode(), CloseCode::AbnormalClosure);
}

void TestWebSocketProtocolClosing::invalidUtf8FailsAtTheFirstBadFrame_data()
{
    QTest::addColumn<Role>("role");
    for (const Role role : {Role::Client, Role::Server})
        QTest::addRow("%s: frame 1 valid, frame 2 invalid, FIN not yet seen", roleName(role))
            << role;
}

void TestWebSocketProtocolClosing::invalidUtf8FailsAtTheFirstBadFrame()
{
    // RFC 6455 §8.1, Autobahn 6.4.x: fail when the bad frame arrives, not at the end.
    QFETCH(Role, role);
    Recorder recorder;
    auto protocol = openProtocol(role, recorder);
    QVERIFY(protocol);
    const QByteArray first = peerFrame(role, kText, hex("ce ba e1 bd b9 cf 83"), false);
    protocol->receiveData(first);
    QVERIFY(recorder.violations.isEmpty());
    protocol->receiveData(peerFrame(role, kContinuation, hex("ce bc f4 90 80 80"), false));
    QCOMPARE(recorder.violations, QList<ProtocolError> {ProtocolError::InvalidUtf8});
    QCOMPARE(recorder.violationOffsets.first(), std::uint64_t(first.size()));
    QCOMPARE(recorder.log.count("frameReceived continuation"), 1);
    QCOMPARE(protocol->closeSentPayload()->code, std::optional<std::uint16_t>(1007));
}

void TestWebSocketProtocolClosing::closeCodes_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("reply");

    for (const Role role : {Role::Client, Role::Server}) {
        // RFC 6455 §5.5.1, Autobahn 7.7.x: a valid code is echoed in the reply.
        for (const int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013,
                 1014, 3000, 3999, 4000, 4999})
            QTest::addRow("%s: valid code %d is echoed", roleName(role), code)
                << role << code << code;
        // §7.4, Autobahn 7.9.x: a code that never goes on the wire fails with 1002.
        for (const int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
            QTest::addRow("%s: invalid code %d fails with 1002", roleName(role), code)
                << role << code << 1002;
    }
}

void TestWebSocketProtocolClosing::closeCodes()
{
    QFETCH(Role, role);
    QFETCH(int, code);
    QFETCH(int, reply);
    Recorder recorder;
    auto protocol = openProtocol(role, recorder);
    QVERIFY(protocol);
    protocol->receiveData(peerFrame(role, kClose, closeBody(std::uint16_t(code), "reason")));
    QCOMPARE(int(protocol->closeSentPayload()->code.value_or(0)), reply);
    QCOMPARE(protocol->closeReceived().has_value(), code == reply);
    QCOMPARE(protocol->state(), WebSocketState::Closing);
    QCOMPARE(protocol->closeTransportRequested(), role == Role::Server);
}

void TestWebSocketProtocolClosing::closingHandshake_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<bool>("weStart");
    QTest::addColumn<QByteArray>("peerBody");
    QTest::addColumn<int>("closeCode"); // closeCode() at the end

    for (const Role role : {Role::Client, Role::Server}) {
        QTest::addRow("%s starts, peer answers 1000", roleName(role))
            << role << true << closeBody(1000) << 1000;
        QTest::addRow("%s starts, peer answers without a code", roleName(role))
            << role << true << QByteArray() << 1005;
        QTest::addRow("peer starts with 1001 and a reason, %s echoes 1001", roleName(role))
            << role << false << closeBody(1001, "going away") << 1001;
        QTest::addRow("peer starts without a code, %s answers without one", roleName(role))
            << role << false << QByteArray() << 1005;
    }
}

void TestWebSocketProtocolClosing::closingHandshake()
{
    QFETCH(Role, role);
    QFETCH(bool, weStart);
    QFETCH(QByteArray, peerBody);
    QFETCH(int, closeCode);
    Recorder recorder;
    auto protocol = openProtocol(role, recorder);
    QVERIFY(protocol);
    const QByteArray peerCode
        = peerBody.isEmpty() ? QByteArray("none") : QByteArray::number(closeCode);

    if (weStart) {
        // RFC 6455 §7.1.2: send Close, go CLOSING, wait for the peer's Close.
        QVERIFY(protocol->sendClose(1000, "done"));
        QCOMPARE(toHex(protocol->takeOutgoing()),
            toHex(ownFrame(role, kClose, closeBody(1000, "done"))));
        QCOMPARE(protocol->state(), WebSocketState::Closing);
        QVERIFY(!protocol->closeTransportRequested());
        QCOMPARE(protocol->closeSentPayload()->reason, QByteArray("done"));
        QVERIFY(!protocol->sendClose(1000));
        protocol->receiveData(peerFrame(role, kClose, peerBody));
        QVERIFY(!protocol->hasOutgoing());
        QCOMPARE(recorder.joined(),
            "frameSent close | closeSent 1000 | state OPEN->CLOSING | frameReceived close | "
            "closeReceived "
                + peerCode);
    } else {
        // §5.5.1: answer the peer's Close, echoing its code and reason (no body if it
        // had none), as python-websockets does, so the peer sees its own words back.
        protocol->receiveData(peerFrame(role, kClose, peerBody));
        QCOMPARE(toHex(protocol->takeOutgoing()), toHex(ownFrame(role, kClose, peerBody)));
        QCOMPARE(protocol->state(), WebSocketState::Closing);
        QCOMPARE(recorder.joined(),
            "frameReceived close | closeReceived " + peerCode + " | frameSent close | closeSent "
                + peerCode + " | state OPEN->CLOSING");
    }
    QCOMPARE(protocol->closeReceived()->reason, peerBody.mid(2));
    // §7.1.1: the closing handshake is complete; the server closes TCP, the client waits.
    QCOMPARE(protocol->closeTransportRequested(), role == Role::Server);
    QCOMPARE(int(protocol->closeCode()), closeCode);
    protocol->receiveEof();
    QCOMPARE(protocol->state(), WebSocketState::Closed);
    QVERIFY(protocol->closeTransportRequested());
    QVERIFY(recorder.violations.isEmpty());
    QCOMPARE(int(protocol->closeCode()), closeCode);
}

void TestWebSocketProtocolClosing::dataAfterOurCloseIsDelivered_data()
{
    QTest::addColumn<Role>("role");
    for (const Role role : {Role::Client, Role::Server})
        QTest::addRow("%s sent Close; the peer still had a message and a ping", roleName(role))
            << role;
}

void TestWebSocketProtocolClosing::dataAfterOurCloseIsDelivered()
{
    // RFC 6455 §7.1.2: the peer may still send data until it answers our Close.
    QFETCH(Role, role);
    Recorder recorder;
    auto protocol = openProtocol(role, recorder);
    QVERIFY(protocol);
    QVERIFY(protocol->sendClose(1000));
    protocol->takeOutgoing();
    protocol->receiveData(
        QByteArray(peerFrame(role, kText, "late", false) + peerFrame(role, kPing, "p")
            + peerFrame(role, kContinuation, " news") + peerFrame(role, kClose, closeBody(1000))));
    QCOMPARE(recorder.messages, QList<QByteArray> {"late news"});
    // §5.5.1: nothing is sent after our Close, not even a Pong.
    QVERIFY(!protocol->hasOutgoing());
    QVERIFY(protocol->closeReceived().has_value());
    QVERIFY(!protocol->sendPong("p"));
}

void TestWebSocketProtocolClosing::framesAfterThePeersCloseAreDiscarded_data()
{
    QTest::addColumn<Role>("role");
    for (const Role role : {Role::Client, Role::Server})
        QTest::addRow("%s: a text frame after the peer's Close", roleName(role)) << role;
}

void TestWebSocketProtocolClosing::framesAfterThePeersCloseAreDiscarded()
{
    // RFC 6455 §5.5.1: the peer sends no data after its Close; anything there is ignored.
    QFETCH(Role, role);
    Recorder recorder;
    auto protocol = openProtocol(role, recorder);
    QVERIFY(protocol);
    protocol->receiveData(
        QByteArray(peerFrame(role, kClose, closeBody(1000)) + peerFrame(role, kText, "a")));
    protocol->receiveData(peerFrame(role, kText, "b"));
    QVERIFY(recorder.messages.isEmpty());
    QCOMPARE(recorder.log.count("frameReceived text"), 0);
    QVERIFY(recorder.violations.isEmpty());
}

void TestWebSocketProtocolClosing::endOfStream_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<QByteArray>("situation");
    QTest::addColumn<bool>("violation");
    QTest::addColumn<QString>("detailMentions");
    QTest::addColumn<int>("closeCode");

    for (const Role role : {Role::Client, Role::Server}) {
        const char *name = roleName(role);
        // RFC 6455 §7.1.5: no Close frame received means close code 1006.
        QTest::addRow("%s: OPEN, between frames", name)
            << role << QByteArray("open") << true << QStringLiteral("1006") << 1006;
        QTest::addRow("%s: OPEN, 3 bytes into a frame", name)
            << role << QByteArray("inside") << true << QStringLiteral("3 byte") << 1006;
        QTest::addRow("%s: CLOSING, our Close unanswered", name)
            << role << QByteArray("closing") << false << QString() << 1006;
        QTest::addRow("%s: after the closing handshake", name)
            << role << QByteArray("closed") << false << QString() << 1000;
        QTest::addRow("%s: CONNECTING", name)
            << role << QByteArray("connecting") << true << QStringLiteral("handshake") << 1006;
    }
}

void TestWebSocketProtocolClosing::endOfStream()
{
    QFETCH(Role, role);
    QFETCH(QByteArray, situation);
    QFETCH(bool, violation);
    QFETCH(QString, detailMentions);
    QFETCH(int, closeCode);

    Recorder recorder;
    std::unique_ptr<WebSocketProtocol> protocol;
    if (situation == "connecting") {
        protocol = std::make_unique<WebSocketProtocol>(optionsFor(role), &recorder);
        protocol->startHandshake();
        protocol->receiveData(
            QByteArrayView(role == Role::Client ? kResponse : kRequest).first(10));
    } else {
        protocol = openProtocol(role, recorder);
        QVERIFY(protocol);
    }
    if (situation == "inside")
        protocol->receiveData(peerFrame(role, kText, "Hello").first(3));
    if (situation == "closing" || situation == "closed")
        protocol->sendClose(1000);
    if (situation == "closed")
        protocol->receiveData(peerFrame(role, kClose, closeBody(1000)));
    const WebSocketState before = protocol->state();
    recorder.clear();

    protocol->receiveEof();
    QCOMPARE(protocol->state(), WebSocketState::Closed);
    QVERIFY(protocol->closeTransportRequested());
    QCOMPARE(recorder.log.last(), "state " + stateName(before) + "->CLOSED");
    QCOMPARE(recorder.violations.size(), violation ? 1 : 0);
    if (violation) {
        QCOMPARE(recorder.violations.first(), ProtocolError::AbnormalClosure);
        QVERIFY2(recorder.violationDetails.first().contains(detailMentions),
            qPrintable(recorder.violationDetails.first()));
    }
    QCOMPARE(int(protocol->closeCode()), closeCode);
    protocol->receiveEof();
    QCOMPARE(recorder.log.size(), violation ? 2 : 1);
}

void TestWebSocketProtocolClosing::failCommand_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<bool>("open");
    QTest::addColumn<ProtocolError>("error");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<QByteArray>("closeBody");

    for (const Role role : {Role::Client, Role::Server}) {
        QTest::addRow("%s OPEN: 1007 with the given reason", roleName(role))
            << role << true << ProtocolError::InvalidUtf8 << QStringLiteral("bad text")
            << closeBody(1007, "bad text");
        QTest::addRow("%s OPEN: 1009 with the error's key as reason", roleName(role))
            << role << true << ProtocolError::MessageTooLarge << QString()
            << closeBody(1009, "message-too-large");
        // §7.4.1: 1006 never goes on the wire; the Close has no body instead.
        QTest::addRow("%s OPEN: abnormal closure sends an empty Close", roleName(role))
            << role << true << ProtocolError::AbnormalClosure << QString() << QByteArray();
        QTest::addRow("%s CONNECTING: the transport just closes", roleName(role))
            << role << false << ProtocolError::AbnormalClosure << QString() << QByteArray();
    }
}

void TestWebSocketProtocolClosing::failCommand()
{
    QFETCH(Role, role);
    QFETCH(bool, open);
    QFETCH(ProtocolError, error);
    QFETCH(QString, detail);
    QFETCH(QByteArray, closeBody);
    Recorder recorder;
    std::unique_ptr<WebSocketProtocol> protocol = open
        ? openProtocol(role, recorder)
        : std::make_unique<WebSocketProtocol>(optionsFor(role), &recorder);
    QVERIFY(protocol);

    protocol->fail(error, detail);
    // The caller reports the failure itself; fail() adds no violation.
    QVERIFY(recorder.violations.isEmpty());
    if (open) {
        QCOMPARE(toHex(protocol->takeOutgoing()), toHex(ownFrame(role, kClose, closeBody)));
        QCOMPARE(protocol->state(), WebSocketState::Closing);
        QCOMPARE(protocol->closeTransportRequested(), role == Role::Server);
    } else {
        QVERIFY(!protocol->hasOutgoing());
        QCOMPARE(protocol->state(), WebSocketState::Closed);
        QVERIFY(protocol->closeTransportRequested());
    }
    protocol->receiveData(peerFrame(role, kText, "ignored"));
    QVERIFY(recorder.messages.isEmpty());
}

QTEST_GUILESS_MAIN(TestWebSocketProtocolClosing)
#include "tst_websocketprotocolclosing.moc"
