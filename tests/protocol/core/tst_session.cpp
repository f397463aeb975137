// Tests of the Session, the append-only event log: frames go in as wire bytes and come
// back as every header field (RFC 6455 §5.2) and the unmasked payload (§5.3); messages
// are rebuilt from their fragments with control frames in between (§5.4); bytes never
// move once recorded; and a small frame costs little more than its bytes.

#include "session.h"
#include "testbytes.h"

#include <QtTest/QtTest>

#include <optional>

using namespace frameline;
using frameline::test::hex;
using frameline::test::toHex;

Q_DECLARE_METATYPE(frameline::FrameHeader)

namespace {

const MaskKey kKey {0x37, 0xfa, 0x21, 0x3d}; // the key of RFC 6455 §5.7

/// Bytes 0, 1, 2, … in a pattern that does not repeat every 4 bytes (so a mask applied
/// in the wrong phase shows).
QByteArray pattern(qsizetype size, int seed = 0)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 31 + seed * 7 + 5) & 0xFF);
    return bytes;
}

QByteArray concat(QByteArray a, const QByteArray &b)
{
    a.append(b);
    return a;
}

QByteArray bigEndian64(qsizetype value)
{
    QByteArray bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[7 - i] = char((std::uint64_t(value) >> (8 * i)) & 0xFF);
    return bytes;
}

/// Masks (or unmasks) a copy, byte by byte, independently of the library's applyMask.
QByteArray xorWith(QByteArray bytes, const MaskKey &key)
{
    for (qsizetype i = 0; i < bytes.size(); ++i)
        bytes[i] = char(std::uint8_t(bytes[i]) ^ key[std::size_t(i % 4)]);
    return bytes;
}

/// The expected header, spelled field by field.
FrameHeader header(bool fin, std::uint8_t rsv, std::uint8_t opcode, LengthEncoding encoding,
    std::uint64_t length, std::uint8_t headerSize, std::optional<MaskKey> key = std::nullopt,
    bool nonMinimal = false)
{
    FrameHeader h;
    h.fin = fin;
    h.rsv1 = rsv & 4;
    h.rsv2 = rsv & 2;
    h.rsv3 = rsv & 1;
    h.opcode = opcode;
    h.masked = key.has_value();
    h.maskKey = key.value_or(MaskKey {});
    h.lengthEncoding = encoding;
    h.payloadLength = length;
    h.headerSize = headerSize;
    h.nonMinimalLength = nonMinimal;
    return h;
}

/// A small frame built here, for the tests that need many: header and wire bytes.
struct Built
{
    FrameHeader header;
    QByteArray wire;
};

Built frame(std::uint8_t opcode, bool fin, const QByteArray &payload,
    std::optional<MaskKey> key = std::nullopt)
{
    Q_ASSERT(payload.size() <= 125);
    Built b;
    b.header = header(
        fin, 0, opcode, LengthEncoding::Bits7, std::uint64_t(payload.size()), key ? 6 : 2, key);
    b.wire.append(char((fin ? 0x80 : 0) | opcode));
    b.wire.append(char((key ? 0x80 : 0) | payload.size()));
    if (key) {
        b.wire.append(reinterpret_cast<const char *>(key->data()), 4);
        b.wire.append(xorWith(payload, *key));
    } else {
        b.wire.append(payload);
    }
    return b;
}

std::uint32_t append(Session &session, Direction direction, const Built &b, std::int64_t time = 0)
{
    return session.appendFrame(time, direction, b.header, b.wire, 0);
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

private slots:
    void frameRoundTrip_data();
    void frameRoundTrip();
    void captureLimit_data();
    void captureLimit();
    void bytesNeverMove();
    void messageRebuiltAcrossFragments();
    void messageWithItsOwnBytes();
    void messageFromTruncatedFrames();
    void detailsRoundTrip();
    void appendObserverSeesEachEvent();
    void memoryPerSmallFrame();
    void memoryCountsDetails();
};

void TestSession::frameRoundTrip_data()
{
    QTest::addColumn<FrameHeader>("header");
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QByteArray>("payload");

    const QByteArray hello("Hello");
    using L = LengthEncoding;
    QTest::newRow("unmasked text 'Hello' (RFC 6455 §5.7)")
        << header(true, 0, 0x1, L::Bits7, 5, 2) << hex("81 05 48 65 6c 6c 6f") << hello;
    QTest::newRow("masked text 'Hello' (§5.7)") << header(true, 0, 0x1, L::Bits7, 5, 6, kKey)
                                                << hex("81 85 37 fa 21 3d 7f 9f 4d 51 58") << hello;
    QTest::newRow("first fragment of a text message, FIN clear (§5.7)")
        << header(false, 0, 0x1, L::Bits7, 3, 2) << hex("01 03 48 65 6c") << QByteArray("Hel");
    QTest::newRow("last continuation fragment, FIN set (§5.7)")
        << header(true, 0, 0x0, L::Bits7, 2, 2) << hex("80 02 6c 6f") << QByteArray("lo");
    QTest::newRow("unmasked ping 'Hello' (§5.7)")
        << header(true, 0, 0x9, L::Bits7, 5, 2) << hex("89 05 48 65 6c 6c 6f") << hello;
    QTest::newRow("masked pong 'Hello' (§5.7)") << header(true, 0, 0xA, L::Bits7, 5, 6, kKey)
                                                << hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58") << hello;
    QTest::newRow("empty masked close")
        << header(true, 0, 0x8, L::Bits7, 0, 6, kKey) << hex("88 80 37 fa 21 3d") << QByteArray();
    QTest::newRow("125 bytes, the largest 7-bit length") << header(true, 0, 0x2, L::Bits7, 125,
        2) << concat(hex("82 7d"), pattern(125)) << pattern(125);
    QTest::newRow("126 bytes, the smallest 16-bit length") << header(true, 0, 0x2, L::Bits16, 126,
        4) << concat(hex("82 7e 00 7e"), pattern(126)) << pattern(126);
    QTest::newRow("256-byte unmasked binary, 16-bit length (§5.7)")
        << header(true, 0, 0x2, L::Bits16, 256, 4) << concat(hex("82 7e 01 00"), pattern(256))
        << pattern(256);
    QTest::newRow("masked 300-byte binary, 16-bit length")
        << header(true, 0, 0x2, L::Bits16, 300, 8, kKey)
        << concat(hex("82 fe 01 2c 37 fa 21 3d"), xorWith(pattern(300), kKey)) << pattern(300);
    QTest::newRow("65535 bytes, the largest 16-bit length")
        << header(true, 0, 0x2, L::Bits16, 65535, 4) << concat(hex("82 7e ff ff"), pattern(65535))
        << pattern(65535);
    QTest::newRow("65536-byte unmasked binary, 64-bit length (§5.7)")
        << header(true, 0, 0x2, L::Bits64, 65536, 10)
        << concat(hex("82 7f 00 00 00 00 00 01 00 00"), pattern(65536)) << pattern(65536);
    QTest::newRow("masked 70000-byte text, 64-bit length")
        << header(true, 0, 0x1, L::Bits64, 70000, 14, kKey)
        << concat(hex("81 ff 00 00 00 00 00 01 11 70 37 fa 21 3d"), xorWith(pattern(70000), kKey))
        << pattern(70000);
    QTest::newRow("non-minimal: 5 bytes in a 16-bit length (§5.2)")
        << header(true, 0, 0x1, L::Bits16, 5, 4, std::nullopt, true)
        << hex("81 7e 00 05 48 65 6c 6c 6f") << hello;
    QTest::newRow("non-minimal: masked 5 bytes in a 64-bit length (§5.2)")
        << header(true, 0, 0x1, L::Bits64, 5, 14, kKey, true)
        << hex("81 ff 00 00 00 00 00 00 00 05 37 fa 21 3d 7f 9f 4d 51 58") << hello;
    QTest::newRow("non-minimal: 200 bytes in a 64-bit length (§5.2)")
        << header(true, 0, 0x2, L::Bits64, 200, 10, std::nullopt, true)
        << concat(hex("82 7f 00 00 00 00 00 00 00 c8"), pattern(200)) << pattern(200);
    QTest::newRow("RSV1 set: a compressed text message (RFC 7692 §6)")
        << header(true, 4, 0x1, L::Bits7, 3, 6, kKey)
        << concat(hex("c1 83 37 fa 21 3d"), xorWith(pattern(3), kKey)) << pattern(3);
    QTest::newRow("all RSV bits and reserved opcode 0xB, sent on purpose")
        << header(true, 7, 0xB, L::Bits7, 0, 2) << hex("fb 00") << QByteArray();
}

void TestSession::frameRoundTrip()
{
    QFETCH(FrameHeader, header);
    QFETCH(QByteArray, wire);
    QFETCH(QByteArray, payload);

    // Hand the session only what a decoder knows before the derived fields are worked
    // out, so the ones read back are rebuilt from the record, not echoed.
    FrameHeader given = header;
    given.nonMinimalLength = false;
    given.headerSize = 0;

    Session session;
    const Direction direction
        = header.masked ? Direction::ClientToServer : Direction::ServerToClient;
    session.appendEvent(1, EventKind::Note, Direction::None, NoteDetail {QStringLiteral("before")});
    const std::uint32_t index = session.appendFrame(4242, direction, given, wire, 987654321);
    QCOMPARE(index, 1u);
    QCOMPARE(session.eventCount(), 2u);

    const EventRecord &record = session.event(index);
    QCOMPARE(record.kind, EventKind::Frame);
    QCOMPARE(record.direction, direction);
    QCOMPARE(record.timeNs, 4242);
    QCOMPARE(record.streamOffset, 987654321u);
    QCOMPARE(record.length, header.payloadLength);
    QCOMPARE(record.frameByte0, std::uint8_t(wire[0]));
    QCOMPARE(record.frameByte1, std::uint8_t(wire[1]));
    QVERIFY(std::holds_alternative<std::monostate>(session.detail(index)));

    const FrameHeader back = session.frameHeader(index);
    QCOMPARE(back.fin, header.fin);
    QCOMPARE(back.rsv1, header.rsv1);
    QCOMPARE(back.rsv2, header.rsv2);
    QCOMPARE(back.rsv3, header.rsv3);
    QCOMPARE(back.opcode, header.opcode);
    QCOMPARE(back.masked, header.masked);
    QCOMPARE(back.maskKey, header.maskKey);
    QCOMPARE(back.lengthEncoding, header.lengthEncoding);
    QCOMPARE(back.payloadLength, header.payloadLength);
    QCOMPARE(back.headerSize, header.headerSize);
    QCOMPARE(back.nonMinimalLength, header.nonMinimalLength);

    QCOMPARE(toHex(session.bytes(index)), toHex(wire));
    QCOMPARE(toHex(session.framePayload(index)), toHex(payload));
    QVERIFY(!session.frameTruncated(index));
}

void TestSession::captureLimit_data()
{
    QTest::addColumn<quint32>("limit");
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QByteArray>("kept");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("truncated");

    const QByteArray text = hex("81 05 48 65 6c 6c 6f");
    const QByteArray masked = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    const QByteArray wide = concat(hex("82 7e 01 00"), pattern(256));
    QTest::newRow("limit above the frame: all of it kept")
        << 100u << text << text << QByteArray("Hello") << false;
    QTest::newRow("limit exactly the frame size: all of it kept")
        << 7u << text << text << QByteArray("Hello") << false;
    QTest::newRow("limit one byte short: the last payload byte dropped")
        << 6u << text << text.first(6) << QByteArray("Hell") << true;
    QTest::newRow("limit cuts a masked payload: the kept part unmasked in phase")
        << 8u << masked << masked.first(8) << QByteArray("He") << true;
    QTest::newRow("limit cuts a 256-byte payload at 100 bytes")
        << 104u << wide << wide.first(104) << pattern(100) << true;
    QTest::newRow("limit inside the header: no payload kept")
        << 3u << wide << wide.first(3) << QByteArray() << true;
    QTest::newRow("limit zero: nothing kept") << 0u << wide << QByteArray() << QByteArray() << true;
}

void TestSession::captureLimit()
{
    QFETCH(quint32, limit);
    QFETCH(QByteArray, wire);
    QFETCH(QByteArray, kept);
    QFETCH(QByteArray, payload);
    QFETCH(bool, truncated);

    SessionLimits limits;
    limits.captureBytesPerFrame = limit;
    Session session(limits);
    FrameHeader given;
    given.opcode = std::uint8_t(wire[0]) & 0x0F;
    given.masked = (std::uint8_t(wire[1]) & 0x80) != 0;
    if (given.masked)
        given.maskKey = kKey;
    const bool wideLength = (std::uint8_t(wire[1]) & 0x7F) == 126;
    given.lengthEncoding = wideLength ? LengthEncoding::Bits16 : LengthEncoding::Bits7;
    given.payloadLength = wideLength ? 256 : 5;

    const std::uint32_t index = session.appendFrame(0, Direction::ServerToClient, given, wire, 0);
    QCOMPARE(toHex(session.bytes(index)), toHex(kept));
    QCOMPARE(toHex(session.framePayload(index)), toHex(payload));
    QCOMPARE(session.frameTruncated(index), truncated);
    // The header is known in full whatever was kept: the record holds it.
    QCOMPARE(session.frameHeader(index).payloadLength, given.payloadLength);
    QCOMPARE(session.frameHeader(index).lengthEncoding, given.lengthEncoding);
    QCOMPARE(session.event(index).length, given.payloadLength);
}

void TestSession::bytesNeverMove()
{
    // Many small frames with blobs of all sizes between them, some far larger than any
    // chunk: a view taken right after an append must still point at the same bytes,
    // holding the same values, after everything else was appended.
    struct Taken
    {
        std::uint32_t index;
        QByteArrayView view;
        QByteArray copy;
    };
    const qsizetype blobSizes[]
        = {40 * 1024, 300 * 1024, 1536 * 1024, 3 * 1024 * 1024, 250 * 1024, 8 * 1024};
    Session session;
    std::vector<Taken> taken;
    for (int i = 0; i < 20000; ++i) {
        std::uint32_t index;
        if (i % 1000 == 999) {
            const QByteArray blob = pattern(blobSizes[(i / 1000) % 6], i);
            if (i % 2000 == 999) {
                FrameHeader h;
                h.opcode = 0x2;
                h.lengthEncoding = LengthEncoding::Bits64;
                h.payloadLength = std::uint64_t(blob.size());
                index = session.appendFrame(i, Direction::ServerToClient, h,
                    concat(concat(hex("82 7f"), bigEndian64(blob.size())), blob), 0);
            } else {
                index = session.appendEvent(
                    i, EventKind::Note, Direction::None, NoteDetail {QStringLiteral("blob")}, blob);
            }
        } else {
            index = append(session, Direction::ClientToServer,
                frame(0x2, true, pattern(1 + i % 125, i), kKey), i);
        }
        taken.push_back({index, session.bytes(index), session.bytes(index).toByteArray()});
    }
    QCOMPARE(session.eventCount(), 20000u);
    for (const Taken &t : taken) {
        const QByteArrayView now = session.bytes(t.index);
        QVERIFY2(
            now.data() == t.view.data(), qPrintable(QStringLiteral("event %1 moved").arg(t.index)));
        QVERIFY2(now.size() == t.copy.size() && t.view == t.copy,
            qPrintable(QStringLiteral("event %1 changed").arg(t.index)));
    }
    // The last small frame still reads back after the last blob.
    QCOMPARE(session.framePayload(19998), pattern(1 + 19998 % 125, 19998));
}

void TestSession::messageRebuiltAcrossFragments()
{
    Session session;
    const MaskKey k2 {1, 2, 3, 4}, k3 {0xff, 0, 0x80, 0x11}, k4 {9, 9, 9, 9};
    const auto c2s = Direction::ClientToServer;
    const auto s2c = Direction::ServerToClient;
    const std::uint32_t first = append(session, c2s, frame(0x1, false, "Hel", kKey));
    // RFC 6455 §5.4: control frames may be injected in the middle of a fragmented message.
    append(session, c2s, frame(0x9, true, "ping?", k2));
    append(session, s2c, frame(0x1, true, "other way")); // the other direction
    session.appendEvent(0, EventKind::Note, Direction::None, NoteDetail {QStringLiteral("n")});
    append(session, c2s, frame(0x0, false, "lo, ", k3));
    append(session, c2s, frame(0xA, true, "", k2));
    append(session, c2s, frame(0x0, true, "world", k4));
    const std::uint32_t next = append(session, c2s, frame(0x2, true, "next", k2));

    const std::uint32_t whole
        = session.appendEvent(0, EventKind::Message, c2s, MessageDetail {0x1, 12, first, 3});
    const std::uint32_t after
        = session.appendEvent(0, EventKind::Message, c2s, MessageDetail {0x2, 4, next, 1});
    const std::uint32_t reply
        = session.appendEvent(0, EventKind::Message, s2c, MessageDetail {0x1, 9, first, 1});

    QCOMPARE(session.messagePayload(whole), QByteArray("Hello, world"));
    QCOMPARE(session.event(whole).length, 12u);
    QCOMPARE(session.messagePayload(after), QByteArray("next"));
    // Walking from an index before it, a message of the other direction finds its own frame.
    QCOMPARE(session.messagePayload(reply), QByteArray("other way"));
    // Not a message: nothing.
    QCOMPARE(session.messagePayload(first), QByteArray());
}

void TestSession::messageWithItsOwnBytes()
{
    // A compressed message (RFC 7692) keeps its inflated payload as the event's bytes;
    // its frames hold deflated data, which is not the message.
    Session session;
    const std::uint32_t first
        = append(session, Direction::ServerToClient, frame(0x1, true, hex("f2 48 cd c9 c9 07 00")));
    const std::uint32_t message = session.appendEvent(0, EventKind::Message,
        Direction::ServerToClient, MessageDetail {0x1, 5, first, 1}, "Hello");
    QCOMPARE(session.messagePayload(message), QByteArray("Hello"));
    QCOMPARE(session.event(message).length, 5u);

    // An empty message is empty, whatever its frames hold.
    const std::uint32_t empty = session.appendEvent(
        0, EventKind::Message, Direction::ServerToClient, MessageDetail {0x1, 0, first, 1});
    QCOMPARE(session.messagePayload(empty), QByteArray());
}

void TestSession::messageFromTruncatedFrames()
{
    // What the capture limit dropped is not invented: each frame gives what it kept.
    SessionLimits limits;
    limits.captureBytesPerFrame = 2 + 3;
    Session session(limits);
    const std::uint32_t first
        = append(session, Direction::ServerToClient, frame(0x1, false, "Hello, "));
    append(session, Direction::ServerToClient, frame(0x0, true, "world"));
    const std::uint32_t message = session.appendEvent(
        0, EventKind::Message, Direction::ServerToClient, MessageDetail {0x1, 12, first, 2});
    QCOMPARE(session.messagePayload(message), QByteArray("Helwor"));
    QVERIFY(session.frameTruncated(first));
}

void TestSession::detailsRoundTrip()
{
    Session session;
    SessionInfo info;
    info.url = QStringLiteral("ws://localhost:9001/echo");
    info.localRole = Role::Server;
    info.origin = QStringLiteral("live");
    session.setInfo(info);
    QCOMPARE(session.info().url, info.url);
    QCOMPARE(session.info().localRole, Role::Server);

    DnsDetail dns {
        QStringLiteral("localhost"), {QStringLiteral("127.0.0.1"), QStringLiteral("::1")}};
    TcpDetail tcp {QStringLiteral("127.0.0.1"), 50000, QStringLiteral("127.0.0.1"), 9001};
    TlsDetail tls;
    tls.protocol = QStringLiteral("TLSv1.3");
    tls.chain.append(CertificateInfo {QStringLiteral("CN=localhost"), QStringLiteral("CN=ca"), {},
        {}, QByteArray(32, '\x11'), QByteArray(20, '\x22')});
    HandshakeDetail handshake;
    handshake.head.method = "GET";
    handshake.head.headers.append(HttpHeader {"Upgrade", "websocket"});
    handshake.checks.append(HandshakeCheck {QStringLiteral("Upgrade"), QStringLiteral("websocket"),
        QStringLiteral("websocket"), true, true, QStringLiteral("RFC 6455 §4.2.1")});
    handshake.accepted = true;
    handshake.key = "dGhlIHNhbXBsZSBub25jZQ==";
    const QByteArray raw = "GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n";
    CloseDetail close {ClosePayload {1001, "bye"}, true};
    TcpStateDetail tcpState {
        Role::Client, TcpState::TimeWait, Observation::Inferred, QStringLiteral("2 MSL")};
    ErrorDetail error {ProtocolError::InvalidUtf8, 1007, QStringLiteral("bad"), 77};

    const auto c2s = Direction::ClientToServer;
    session.appendEvent(10, EventKind::DnsResolved, Direction::None, dns);
    session.appendEvent(20, EventKind::TcpConnected, Direction::None, tcp);
    session.appendEvent(30, EventKind::TlsEstablished, Direction::None, tls);
    session.appendEvent(40, EventKind::HandshakeRequest, c2s, handshake, raw, 0);
    session.appendEvent(50, EventKind::Close, c2s, close);
    session.appendEvent(60, EventKind::StateChanged, Direction::None,
        StateDetail {WebSocketState::Open, WebSocketState::Closing});
    session.appendEvent(70, EventKind::TcpState, Direction::None, tcpState);
    session.appendEvent(80, EventKind::Error, Direction::ServerToClient, error, {}, 77);
    session.appendEvent(
        90, EventKind::Note, Direction::None, NoteDetail {QStringLiteral("한글 ok")});
    session.appendEvent(95, EventKind::Note, Direction::None, std::monostate {});
    QCOMPARE(session.eventCount(), 10u);

    QCOMPARE(std::get<DnsDetail>(session.detail(0)).addresses, dns.addresses);
    QCOMPARE(std::get<TcpDetail>(session.detail(1)).peerPort, 9001);
    const auto &tlsBack = std::get<TlsDetail>(session.detail(2));
    QCOMPARE(tlsBack.protocol, tls.protocol);
    QCOMPARE(tlsBack.chain.size(), 1);
    QCOMPARE(tlsBack.chain.first().sha256, QByteArray(32, '\x11'));
    const auto &hs = std::get<HandshakeDetail>(session.detail(3));
    QCOMPARE(hs.head.method, QByteArray("GET"));
    QCOMPARE(hs.head.headers.first().value, QByteArray("websocket"));
    QCOMPARE(hs.checks.size(), 1);
    QCOMPARE(hs.checks.first().rfcSection, QStringLiteral("RFC 6455 §4.2.1"));
    QCOMPARE(hs.key, handshake.key);
    QCOMPARE(session.bytes(3), QByteArrayView(raw));
    QCOMPARE(session.event(3).length, std::uint64_t(raw.size()));
    QCOMPARE(session.event(3).direction, c2s);
    const auto &closeBack = std::get<CloseDetail>(session.detail(4));
    QCOMPARE(closeBack.close.code, std::optional<std::uint16_t>(1001));
    QCOMPARE(closeBack.close.reason, QByteArray("bye"));
    QVERIFY(closeBack.initiatedLocally);
    QCOMPARE(std::get<StateDetail>(session.detail(5)).to, WebSocketState::Closing);
    QCOMPARE(std::get<TcpStateDetail>(session.detail(6)).observation, Observation::Inferred);
    QCOMPARE(std::get<TcpStateDetail>(session.detail(6)).state, TcpState::TimeWait);
    QCOMPARE(std::get<ErrorDetail>(session.detail(7)).closeCode, 1007);
    QCOMPARE(session.event(7).streamOffset, 77u);
    QCOMPARE(std::get<NoteDetail>(session.detail(8)).text, QStringLiteral("한글 ok"));
    QCOMPARE(session.event(9).detailIndex, EventRecord::kNoDetail);
    QVERIFY(std::holds_alternative<std::monostate>(session.detail(9)));
    for (std::uint32_t i = 0; i < session.eventCount(); ++i)
        QCOMPARE(session.event(i).timeNs, i < 9 ? std::int64_t(10 * (i + 1)) : 95);
}

void TestSession::appendObserverSeesEachEvent()
{
    Session session;
    std::vector<std::uint32_t> seen;
    session.setAppendObserver([&](std::uint32_t index) {
        // The event is in the session by the time the observer hears of it.
        QCOMPARE(session.eventCount(), index + 1);
        seen.push_back(index);
    });
    append(session, Direction::ServerToClient, frame(0x1, true, "a"));
    session.appendEvent(0, EventKind::Note, Direction::None, NoteDetail {QStringLiteral("b")});
    append(session, Direction::ClientToServer, frame(0x2, true, "c", kKey));
    session.setAppendObserver({});
    session.appendEvent(0, EventKind::Note, Direction::None, NoteDetail {QStringLiteral("d")});
    QCOMPARE(seen, (std::vector<std::uint32_t> {0, 1, 2}));
}

void TestSession::memoryPerSmallFrame()
{
    // The design's budget: a small frame costs at most 64 bytes beyond its payload, all
    // of the session's allocations counted (record blocks, arena chunks, their slack).
    constexpr int kFrames = 100000;
    constexpr std::size_t kBudget = 64;
    const QByteArray payload = pattern(16);
    const Built masked = frame(0x2, true, payload, kKey);

    Session session;
    const std::size_t before = session.memoryUsage();
    for (int i = 0; i < kFrames; ++i)
        session.appendFrame(i, Direction::ClientToServer, masked.header, masked.wire,
            std::uint64_t(i) * std::uint64_t(masked.wire.size()));
    const std::size_t used = session.memoryUsage() - before;
    const double perFrame = double(used) / kFrames;
    qInfo("%.1f bytes per 16-byte frame (%zu bytes in all)", perFrame, used);

    QVERIFY2(used <= kFrames * (kBudget + std::size_t(payload.size())),
        qPrintable(QStringLiteral("%1 bytes per frame").arg(perFrame)));
    // The count is honest: at least every record and every wire byte is in it.
    QVERIFY(used >= kFrames * (sizeof(EventRecord) + std::size_t(masked.wire.size())));
    // And the frames are really there.
    QCOMPARE(session.framePayload(0), payload);
    QCOMPARE(session.framePayload(kFrames - 1), payload);
    QCOMPARE(session.event(kFrames - 1).streamOffset, std::uint64_t(kFrames - 1) * 22);
}

void TestSession::memoryCountsDetails()
{
    Session session;
    const std::size_t before = session.memoryUsage();
    session.appendEvent(
        0, EventKind::Note, Direction::None, NoteDetail {QString(10000, QLatin1Char('n'))});
    QVERIFY(session.memoryUsage() - before >= 10000 * sizeof(QChar));
}

QTEST_APPLESS_MAIN(TestSession)
#include "tst_session.moc"
