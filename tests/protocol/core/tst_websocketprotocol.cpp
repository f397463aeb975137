// Tests of WebSocketProtocol, the sans-I/O connection, up to and in OPEN: the opening
// handshake in both roles (RFC 6455 §4), frames in the same chunk as the 101 answer,
// messages and control frames (§5.4, §5.5), the frames commands produce (§5.7 vectors),
// which commands each state allows, and a whole client-server lifecycle in memory.
// Failing and closing are in tst_websocketprotocolclosing.cpp.

#include "testbytes.h"
#include "websocketprotocolharness.h"

#include <QtTest/QtTest>

using namespace frameline;
using namespace frameline::test;

using Command = std::function<bool(WebSocketProtocol &)>;
Q_DECLARE_METATYPE(Command)

class TestWebSocketProtocol : public QObject
{
    Q_OBJECT

private slots:
    void clientHandshake();
    void serverHandshake();
    void framesInTheHandshakeChunk_data();
    void framesInTheHandshakeChunk();
    void handshakeRejected_data();
    void handshakeRejected();
    void messagesAndControlFrames_data();
    void messagesAndControlFrames();
    void autoPong_data();
    void autoPong();
    void commandsRefusedInWrongStates_data();
    void commandsRefusedInWrongStates();
    void outgoingFrames_data();
    void outgoingFrames();
    void loopbackLifecycle();
};

void TestWebSocketProtocol::clientHandshake()
{
    Recorder recorder;
    const ProtocolOptions options = optionsFor(Role::Client);
    WebSocketProtocol client(options, &recorder);
    QCOMPARE(client.state(), WebSocketState::Connecting);

    // RFC 6455 §4.1: the request carries the key made from the injected nonce.
    client.startHandshake();
    const QByteArray request = client.takeOutgoing();
    QCOMPARE(request, buildClientRequest(options.client, kKey));
    QCOMPARE(recorder.handshakeRaw, request);
    QCOMPARE(client.handshake().key, kKey);
    QCOMPARE(client.handshake().expectedAccept, kAccept);
    client.startHandshake();
    QVERIFY(!client.hasOutgoing());

    // The answer arrives in two pieces, split inside a header line.
    client.receiveData(QByteArrayView(kResponse).first(40));
    QCOMPARE(client.state(), WebSocketState::Connecting);
    client.receiveData(QByteArrayView(kResponse).sliced(40));
    QCOMPARE(client.state(), WebSocketState::Open);
    QCOMPARE(recorder.joined(),
        QByteArray("handshakeSent | handshakeReceived | "
                   "handshakeCompleted accepted | state CONNECTING->OPEN"));
    QVERIFY(client.handshake().accepted);
    QCOMPARE(client.handshake().responseRaw, kResponse);
    QCOMPARE(client.handshake().response.statusCode, 101);
    QVERIFY(!client.handshake().checks.isEmpty());
    QVERIFY(!client.hasOutgoing());
    QVERIFY(!client.closeTransportRequested());
    QCOMPARE(client.closeCode(), CloseCode::AbnormalClosure);
}

void TestWebSocketProtocol::serverHandshake()
{
    Recorder recorder;
    WebSocketProtocol server(optionsFor(Role::Server), &recorder);
    // A request fed one byte at a time is read like one fed whole.
    for (const char byte : kRequest)
        server.receiveData(QByteArrayView(&byte, 1));
    QCOMPARE(server.state(), WebSocketState::Open);
    const QByteArray answer = server.takeOutgoing();
    // RFC 6455 §4.2.2: 101 with the accept value derived from the key (§1.3).
    QVERIFY2(answer.startsWith("HTTP/1.1 101"), answer.constData());
    QVERIFY(answer.contains(kAccept));
    QCOMPARE(recorder.handshakeRaw, answer);
    QCOMPARE(recorder.joined(),
        QByteArray("handshakeReceived | handshakeSent | "
                   "handshakeCompleted accepted | state CONNECTING->OPEN"));
    const HandshakeReport &report = server.handshake();
    QCOMPARE(report.role, Role::Server);
    QCOMPARE(report.requestRaw, kRequest);
    QCOMPARE(report.request.method, QByteArray("GET"));
    QCOMPARE(report.key, kKey);
    QCOMPARE(report.expectedAccept, kAccept);
    QCOMPARE(report.responseRaw, answer);
    QVERIFY(!server.closeTransportRequested());
}

void TestWebSocketProtocol::framesInTheHandshakeChunk_data()
{
    QTest::addColumn<Role>("role");
    // Frames in the same TCP segment as the end of the head are the start of the stream.
    for (const Role role : {Role::Client, Role::Server})
        QTest::addRow("%s: text and ping right after the head", roleName(role)) << role;
}

void TestWebSocketProtocol::framesInTheHandshakeChunk()
{
    QFETCH(Role, role);
    Recorder recorder;
    WebSocketProtocol protocol(optionsFor(role), &recorder);
    QByteArray head = kRequest;
    if (role == Role::Client) {
        protocol.startHandshake();
        protocol.takeOutgoing();
        head = kResponse;
    }
    const QByteArray frames = peerFrame(role, kText, "Hello") + peerFrame(role, kPing, "hb");
    protocol.receiveData(QByteArray(head + frames));

    QCOMPARE(protocol.state(), WebSocketState::Open);
    QCOMPARE(recorder.messages, QList<QByteArray> {"Hello"});
    // "Hello" is 7 bytes on the wire unmasked, 11 masked.
    QCOMPARE(recorder.receivedOffsets, (QList<std::uint64_t> {0, role == Role::Server ? 11u : 7u}));
    // The answer to the ping follows the server's 101 in the outgoing bytes.
    const QByteArray outgoing = protocol.takeOutgoing();
    QVERIFY(outgoing.endsWith(ownFrame(role, kPong, "hb")));
    QCOMPARE(outgoing.size() - ownFrame(role, kPong, "hb").size(),
        role == Role::Server ? recorder.handshakeRaw.size() : 0);
}

void TestWebSocketProtocol::handshakeRejected_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("maxHeadSize");
    QTest::addColumn<ProtocolError>("error");
    QTest::addColumn<QByteArray>("answerStart"); // server: the status line sent back

    const auto rejected = ProtocolError::HandshakeRejected;
    // RFC 6455 §4.1: the client fails the connection on any answer but a valid 101.
    QTest::newRow("client: 200 OK instead of 101")
        << Role::Client << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") << 65536
        << rejected << QByteArray();
    QTest::newRow("client: wrong Sec-WebSocket-Accept")
        << Role::Client << QByteArray(kResponse).replace(kAccept, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        << 65536 << rejected << QByteArray();
    QTest::newRow("client: not an HTTP answer")
        << Role::Client << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n") << 65536 << rejected
        << QByteArray();
    QTest::newRow("client: answer over the head size limit")
        << Role::Client << kResponse << 64 << ProtocolError::HandshakeTooLarge << QByteArray();
    // RFC 6455 §4.2.1, §4.4: the server answers a bad request with an HTTP error.
    QTest::newRow("server: version 8 gets 426")
        << Role::Server
        << QByteArray(kRequest).replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8")
        << 65536 << rejected << QByteArray("HTTP/1.1 426");
    QTest::newRow("server: no Sec-WebSocket-Key gets 400")
        << Role::Server
        << QByteArray(kRequest).replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "")
        << 65536 << rejected << QByteArray("HTTP/1.1 400");
    QTest::newRow("server: not an HTTP request gets 400")
        << Role::Server << QByteArray("\x16\x03\x01 hello\r\n\r\n") << 65536 << rejected
        << QByteArray("HTTP/1.1 400");
    QTest::newRow("server: request over the head size limit gets 431")
        << Role::Server << kRequest << 64 << ProtocolError::HandshakeTooLarge
        << QByteArray("HTTP/1.1 431");
}

void TestWebSocketProtocol::handshakeRejected()
{
    QFETCH(Role, role);
    QFETCH(QByteArray, head);
    QFETCH(int, maxHeadSize);
    QFETCH(ProtocolError, error);
    QFETCH(QByteArray, answerStart);

    Recorder recorder;
    ProtocolOptions options = optionsFor(role);
    options.http.maxHeadSize = maxHeadSize;
    WebSocketProtocol protocol(options, &recorder);
    protocol.startHandshake();
    protocol.takeOutgoing();
    recorder.clear();
    // A frame right behind the head must not be read: the connection never opened.
    protocol.receiveData(QByteArray(head + peerFrame(role, kText, "x")));

    QCOMPARE(protocol.state(), WebSocketState::Closed);
    QVERIFY(protocol.closeTransportRequested());
    QCOMPARE(recorder.violations, QList<ProtocolError> {error});
    QVERIFY(!recorder.violationDetails.first().isEmpty());
    QVERIFY(recorder.log.contains("handshakeCompleted rejected"));
    QCOMPARE(recorder.log.last(), QByteArray("state CONNECTING->CLOSED"));
    QVERIFY(!protocol.handshake().accepted);
    QVERIFY(recorder.messages.isEmpty());
    const QByteArray outgoing = protocol.takeOutgoing();
    QVERIFY2(outgoing.startsWith(answerStart), outgoing.constData());
    QCOMPARE(outgoing.isEmpty(), answerStart.isEmpty());

    // Nothing more is read, and end of stream adds nothing.
    const qsizetype events = recorder.log.size();
    protocol.receiveData(peerFrame(role, kText, "y"));
    protocol.receiveEof();
    QCOMPARE(recorder.log.size(), events);
}

void TestWebSocketProtocol::messagesAndControlFrames_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<QByteArray>>("messages");
    QTest::addColumn<QByteArray>("log");

    for (const Role role : {Role::Client, Role::Server}) {
        const auto frame = [role](std::uint8_t op, QByteArrayView payload, bool fin = true) {
            return peerFrame(role, op, payload, fin);
        };
        // Autobahn 1.1.x, 1.2.x: lengths at the edges of each length encoding (§5.2).
        for (const int size : {0, 125, 126, 65535, 65536}) {
            QTest::addRow("%s: text of %d bytes", roleName(role), size)
                << role << frame(kText, QByteArray(size, '*'))
                << QList<QByteArray> {QByteArray(size, '*')}
                << QByteArray("frameReceived text | message text 1");
            QTest::addRow("%s: binary of %d bytes", roleName(role), size)
                << role << frame(kBinary, QByteArray(size, '\xfe'))
                << QList<QByteArray> {QByteArray(size, '\xfe')}
                << QByteArray("frameReceived binary | message binary 1");
        }
        // Autobahn 5.x: fragments with control frames between them (§5.4).
        QTest::addRow("%s: text in three fragments with a ping in the middle", roleName(role))
            << role
            << frame(kText, "fr", false) + frame(kContinuation, "ag", false) + frame(kPing, "p")
                + frame(kContinuation, "ment")
            << QList<QByteArray> {"fragment"}
            << QByteArray("frameReceived text | frameReceived continuation | frameReceived ping "
                          "| frameSent pong | frameReceived continuation | message text 3");
        QTest::addRow("%s: a pong between fragments is just noted", roleName(role))
            << role << frame(kBinary, "a", false) + frame(kPong, "x") + frame(kContinuation, "b")
            << QList<QByteArray> {"ab"}
            << QByteArray("frameReceived binary | frameReceived pong | "
                          "frameReceived continuation | message binary 2");
        QTest::addRow("%s: fragmented message then an unfragmented one", roleName(role))
            << role << frame(kText, "a", false) + frame(kContinuation, "b") + frame(kBinary, "c")
            << QList<QByteArray> {"ab", "c"}
            << QByteArray("frameReceived text | frameReceived continuation | message text 2 | "
                          "frameReceived binary | message binary 1");
    }
}

void TestWebSocketProtocol::messagesAndControlFrames()
{
    QFETCH(Role, role);
    QFETCH(QByteArray, stream);
    QFETCH(QList<QByteArray>, messages);
    QFETCH(QByteArray, log);

    // Whole, and in 7-byte pieces that cut headers and payloads anywhere.
    for (const qsizetype piece : {stream.size(), qsizetype(7)}) {
        Recorder recorder;
        auto protocol = openProtocol(role, recorder);
        QVERIFY(protocol);
        for (qsizetype at = 0; at < stream.size(); at += piece)
            protocol->receiveData(
                QByteArrayView(stream).sliced(at).first(std::min(piece, stream.size() - at)));
        QCOMPARE(recorder.messages, messages);
        QCOMPARE(recorder.joined(), log);
        QCOMPARE(protocol->state(), WebSocketState::Open);
    }
}

void TestWebSocketProtocol::autoPong_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<bool>("autoPong");
    for (const Role role : {Role::Client, Role::Server}) {
        // RFC 6455 §5.5.2: the Pong carries the Ping's application data.
        QTest::addRow("%s answers a ping with the same payload", roleName(role)) << role << true;
        QTest::addRow("%s with auto-pong off stays silent", roleName(role)) << role << false;
    }
}

void TestWebSocketProtocol::autoPong()
{
    QFETCH(Role, role);
    QFETCH(bool, autoPong);
    Recorder recorder;
    ProtocolOptions options = optionsFor(role);
    options.autoPong = autoPong;
    auto protocol = openProtocol(role, recorder, options);
    QVERIFY(protocol);

    protocol->receiveData(
        QByteArray(peerFrame(role, kPing, "ping payload") + peerFrame(role, kPong, "pong")));
    QCOMPARE(toHex(protocol->takeOutgoing()),
        autoPong ? toHex(ownFrame(role, kPong, "ping payload")) : QByteArray());
    QCOMPARE(recorder.log.count("frameSent pong"), autoPong ? 1 : 0);
    QCOMPARE(protocol->state(), WebSocketState::Open);
}

void TestWebSocketProtocol::commandsRefusedInWrongStates_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<QByteArray>("state");
    QTest::addColumn<bool>("rawAllowed");
    for (const Role role : {Role::Client, Role::Server}) {
        QTest::addRow("%s in CONNECTING", roleName(role))
            << role << QByteArray("connecting") << false;
        // §5.5.1: nothing after our Close frame but raw frames sent on purpose.
        QTest::addRow("%s in CLOSING", roleName(role)) << role << QByteArray("closing") << true;
        QTest::addRow("%s in CLOSED", roleName(role)) << role << QByteArray("closed") << false;
    }
}

void TestWebSocketProtocol::commandsRefusedInWrongStates()
{
    QFETCH(Role, role);
    QFETCH(QByteArray, state);
    QFETCH(bool, rawAllowed);
    Recorder recorder;
    std::unique_ptr<WebSocketProtocol> protocol;
    if (state == "connecting") {
        protocol = std::make_unique<WebSocketProtocol>(optionsFor(role), &recorder);
    } else {
        protocol = openProtocol(role, recorder);
        QVERIFY(protocol);
        protocol->sendClose(1000);
        if (state == "closed")
            protocol->receiveEof();
    }
    protocol->takeOutgoing();

    QVERIFY(!protocol->sendText("t"));
    QVERIFY(!protocol->sendBinary("b"));
    QVERIFY(!protocol->sendFragmented(Opcode::Text, "abc", 1));
    QVERIFY(!protocol->sendPing());
    QVERIFY(!protocol->sendPong());
    QVERIFY(!protocol->sendClose(1000));
    QVERIFY(!protocol->hasOutgoing());
    QCOMPARE(protocol->sendRawFrame(FrameSpec {}, "raw"), rawAllowed);
    QCOMPARE(protocol->hasOutgoing(), rawAllowed);
}

void TestWebSocketProtocol::outgoingFrames_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<Command>("command");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QByteArray>("wire");

    const auto text = [](QByteArrayView t) {
        return [t](WebSocketProtocol &p) {
            return p.sendText(t);
        };
    };
    // RFC 6455 §5.7 examples: unmasked from the server, masked with 37 fa 21 3d from the client.
    QTest::newRow("server: text 'Hello'")
        << Role::Server << Command(text("Hello")) << true << hex("81 05 48 65 6c 6c 6f");
    QTest::newRow("client: text 'Hello', masked") << Role::Client << Command(text("Hello")) << true
                                                  << hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    QTest::newRow("server: 'Hello' in fragments of 3 bytes")
        << Role::Server
        << Command([](WebSocketProtocol &p) { return p.sendFragmented(Opcode::Text, "Hello", 3); })
        << true << hex("01 03 48 65 6c 80 02 6c 6f");
    QTest::newRow("server: ping 'Hello'")
        << Role::Server << Command([](WebSocketProtocol &p) { return p.sendPing("Hello"); }) << true
        << hex("89 05 48 65 6c 6c 6f");
    QTest::newRow("client: pong 'Hello', masked")
        << Role::Client << Command([](WebSocketProtocol &p) { return p.sendPong("Hello"); }) << true
        << hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58");
    QTest::newRow("server: 256 bytes of binary, 16-bit length")
        << Role::Server
        << Command([](WebSocketProtocol &p) { return p.sendBinary(QByteArray(256, '\0')); }) << true
        << hex("82 7e 01 00") + QByteArray(256, '\0');
    QTest::newRow("server: an empty fragmented message is one FIN frame")
        << Role::Server
        << Command([](WebSocketProtocol &p) { return p.sendFragmented(Opcode::Binary, {}, 4); })
        << true << hex("82 00");
    QTest::newRow("client: binary in two fragments, each masked")
        << Role::Client << Command([](WebSocketProtocol &p) {
               return p.sendFragmented(Opcode::Binary, hex("00 00 00"), 2);
           })
        << true << hex("02 82 37 fa 21 3d 37 fa 80 81 37 fa 21 3d 37");
    QTest::newRow("client: raw frame without a key goes unmasked, as asked")
        << Role::Client << Command([](WebSocketProtocol &p) {
               FrameSpec spec;
               spec.rsv2 = true;
               spec.opcode = 0x3;
               return p.sendRawFrame(spec, "x");
           })
        << true << hex("a3 01 78");
    QTest::newRow("server: close 1000 'bye'")
        << Role::Server << Command([](WebSocketProtocol &p) { return p.sendClose(1000, "bye"); })
        << true << hex("88 05 03 e8 62 79 65");
    QTest::newRow("server: close without a code has an empty body")
        << Role::Server
        << Command([](WebSocketProtocol &p) { return p.sendClose(std::nullopt, "ignored"); })
        << true << hex("88 00");
    // §5.5: control frames carry at most 125 bytes; the command refuses more.
    QTest::newRow("server: ping of 126 bytes is refused")
        << Role::Server
        << Command([](WebSocketProtocol &p) { return p.sendPing(QByteArray(126, 'p')); }) << false
        << QByteArray();
    QTest::newRow("server: fragment size 0 is refused")
        << Role::Server
        << Command([](WebSocketProtocol &p) { return p.sendFragmented(Opcode::Text, "abc", 0); })
        << false << QByteArray();
    QTest::newRow("server: a fragmented ping is refused")
        << Role::Server
        << Command([](WebSocketProtocol &p) { return p.sendFragmented(Opcode::Ping, "abc", 1); })
        << false << QByteArray();
}

void TestWebSocketProtocol::outgoingFrames()
{
    QFETCH(Role, role);
    QFETCH(Command, command);
    QFETCH(bool, accepted);
    QFETCH(QByteArray, wire);

    Recorder recorder;
    auto protocol = openProtocol(role, recorder);
    QVERIFY(protocol);
    // A frame first, so the offsets below do not start at 0 by chance.
    QVERIFY(protocol->sendBinary("x"));
    const QByteArray before = protocol->takeOutgoing();
    QCOMPARE(command(*protocol), accepted);
    QCOMPARE(toHex(protocol->takeOutgoing()), toHex(wire));
    // frameSent reports each frame's bytes and its offset in the outgoing stream.
    QCOMPARE(toHex(recorder.sentWires), toHex(QByteArray(before + wire)));
    QCOMPARE(recorder.sentOffsets.first(), std::uint64_t(0));
    QCOMPARE(recorder.sentOffsets.value(1, before.size()), std::uint64_t(before.size()));
    QCOMPARE(protocol->framesSentOffset(), std::uint64_t(before.size() + wire.size()));
}

void TestWebSocketProtocol::loopbackLifecycle()
{
    // A client and a server exchanging takeOutgoing() bytes: handshake, messages both
    // ways, ping/pong, the closing handshake started by the client, then TCP teardown.
    Recorder clientLog, serverLog;
    WebSocketProtocol client(optionsFor(Role::Client), &clientLog);
    WebSocketProtocol server(optionsFor(Role::Server), &serverLog);
    const auto pump = [&] {
        while (client.hasOutgoing() || server.hasOutgoing()) {
            server.receiveData(client.takeOutgoing());
            client.receiveData(server.takeOutgoing());
        }
    };

    client.startHandshake();
    pump();
    QCOMPARE(client.state(), WebSocketState::Open);
    QCOMPARE(server.state(), WebSocketState::Open);
    QCOMPARE(server.handshake().key, kKey);
    QCOMPARE(client.handshake().responseRaw, server.handshake().responseRaw);

    const QByteArray big(100000, 'z');
    QVERIFY(client.sendText("Hello"));
    QVERIFY(client.sendFragmented(Opcode::Binary, big, 4096));
    QVERIFY(server.sendText("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"));
    QVERIFY(client.sendPing("are you there"));
    pump();
    QCOMPARE(serverLog.messages, (QList<QByteArray> {"Hello", big}));
    QCOMPARE(
        clientLog.messages, QList<QByteArray> {"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"});
    QCOMPARE(serverLog.log.count("frameReceived continuation"), 24);
    QCOMPARE(clientLog.log.count("frameReceived pong"), 1);
    // What one side sent is, byte for byte and offset for offset, what the other received.
    QCOMPARE(clientLog.sentOffsets, serverLog.receivedOffsets);
    QCOMPARE(serverLog.sentOffsets, clientLog.receivedOffsets);
    QCOMPARE(client.framesSentOffset(), std::uint64_t(clientLog.sentWires.size()));

    QVERIFY(client.sendClose(1000, "bye"));
    pump();
    QCOMPARE(server.closeReceived()->reason, QByteArray("bye"));
    QCOMPARE(client.closeReceived()->code, std::optional<std::uint16_t>(1000));
    // RFC 6455 §7.1.1: the server closes TCP first; the client sees the end of stream.
    QVERIFY(server.closeTransportRequested());
    QVERIFY(!client.closeTransportRequested());
    client.receiveEof();
    server.receiveEof();
    for (const WebSocketProtocol *side : {&client, &server}) {
        QCOMPARE(side->state(), WebSocketState::Closed);
        QCOMPARE(side->closeCode(), CloseCode::Normal);
    }
    QVERIFY(clientLog.violations.isEmpty());
    QVERIFY(serverLog.violations.isEmpty());
    const QByteArrayList lifecycle {
        "state CONNECTING->OPEN", "state OPEN->CLOSING", "state CLOSING->CLOSED"};
    QCOMPARE(statesIn(clientLog.log), lifecycle);
    QCOMPARE(statesIn(serverLog.log), lifecycle);
}

QTEST_GUILESS_MAIN(TestWebSocketProtocol)
#include "tst_websocketprotocol.moc"
