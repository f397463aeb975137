#pragma once

// For tst_sessionjournal: a session with every event kind and every detail field
// filled in, and a field-by-field comparison of two sessions.

#include "frameencoder.h"
#include "session.h"
#include "testbytes.h"

#include <QtTest/QtTest>

namespace frameline::test {

inline const MaskKey kJournalKey {0x37, 0xfa, 0x21, 0x3d}; // RFC 6455 §5.7

/// Every byte value once, 0x00 to 0xFF.
inline QByteArray allByteValues()
{
    QByteArray bytes(256, Qt::Uninitialized);
    for (int i = 0; i < 256; ++i)
        bytes[i] = char(i);
    return bytes;
}

inline std::uint32_t addFrame(Session &session, std::int64_t timeNs, Direction direction,
    const FrameSpec &spec, const QByteArray &payload, std::uint64_t streamOffset)
{
    return session.appendFrame(timeNs, direction, headerFor(spec, std::uint64_t(payload.size())),
        encodeFrame(spec, payload), streamOffset);
}

inline FrameSpec spec(std::uint8_t opcode, bool masked, bool fin = true)
{
    FrameSpec s;
    s.opcode = opcode;
    s.fin = fin;
    if (masked)
        s.maskKey = kJournalKey;
    return s;
}

inline QDateTime utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs);
}

inline TlsDetail tlsDetail()
{
    TlsDetail tls;
    tls.protocol = QStringLiteral("TLSv1.3");
    tls.cipher = QStringLiteral("TLS_AES_256_GCM_SHA384");
    tls.alpn = QByteArrayLiteral("http/1.1");
    CertificateInfo leaf;
    leaf.subject = QStringLiteral("CN=example.test,O=예제");
    leaf.issuer = QStringLiteral("CN=Frameline Test CA");
    leaf.notBefore = utc("2024-01-02T03:04:05.678Z");
    leaf.notAfter = utc("2034-01-02T03:04:05Z");
    leaf.sha256 = allByteValues().sliced(224, 32);
    leaf.sha1 = allByteValues().first(20);
    CertificateInfo root;
    root.subject = QStringLiteral("CN=Frameline Test CA");
    root.issuer = root.subject;
    root.notBefore = utc("2020-02-29T23:59:59.999Z");
    // notAfter left invalid: a certificate whose date could not be read.
    root.sha256 = QByteArray(32, '\x5a');
    tls.chain = {leaf, root};
    tls.verificationErrors = {QStringLiteral("The certificate is self-signed, and untrusted"),
        QStringLiteral("The host name did not match")};
    tls.errorsAccepted = true;
    return tls;
}

inline HandshakeDetail requestDetail()
{
    HandshakeDetail d;
    d.head.method = QByteArrayLiteral("GET");
    d.head.target = QByteArrayLiteral("/chat?room=%ED%95%9C");
    d.head.version = QByteArrayLiteral("HTTP/1.1");
    d.head.headers = {{QByteArrayLiteral("Host"), QByteArrayLiteral("example.test:8443")},
        {QByteArrayLiteral("Upgrade"), QByteArrayLiteral("websocket")},
        {QByteArrayLiteral("X-Latin1"), QByteArrayLiteral("caf\xe9 \xff")},
        {QByteArrayLiteral("X-Empty"), QByteArray()}};
    d.key = QByteArrayLiteral("dGhlIHNhbXBsZSBub25jZQ==");
    d.expectedAccept = QByteArrayLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    return d;
}

inline HandshakeDetail responseDetail()
{
    HandshakeDetail d;
    d.head.statusCode = 101;
    d.head.reasonPhrase = QByteArrayLiteral("Switching Protocols");
    d.head.version = QByteArrayLiteral("HTTP/1.1");
    d.head.headers = {{QByteArrayLiteral("Sec-WebSocket-Accept"),
        QByteArrayLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")}};
    d.checks = {{QStringLiteral("Status"), QStringLiteral("101"), QStringLiteral("101"), true, true,
                    QStringLiteral("RFC 6455 §4.1")},
        {QStringLiteral("Sec-WebSocket-Accept"), QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
            QStringLiteral("(missing)"), false, true, QStringLiteral("RFC 6455 §4.2.2")},
        {QStringLiteral("Server header"), QStringLiteral("present"), QString(), false, false,
            QString()}};
    d.accepted = false;
    d.failureReason = QStringLiteral("Sec-WebSocket-Accept is missing.");
    d.key = QByteArrayLiteral("dGhlIHNhbXBsZSBub25jZQ==");
    d.expectedAccept = QByteArrayLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    d.subprotocol = QByteArrayLiteral("chat.v2");
    ExtensionOffer deflate;
    deflate.name = QByteArrayLiteral("permessage-deflate");
    deflate.params = {{QByteArrayLiteral("client_no_context_takeover"), QByteArray()},
        {QByteArrayLiteral("server_max_window_bits"), QByteArrayLiteral("10")},
        {QByteArrayLiteral("x-empty"), QByteArray("", 0)}};
    d.extensions = {deflate, ExtensionOffer {QByteArrayLiteral("x-webkit"), {}}};
    return d;
}

/// One of everything, in a plausible order. The session's capture limit is 1 KiB, so
/// the large frame near the end is a truncated capture.
inline void buildRealisticSession(Session &s)
{
    SessionInfo info;
    info.url = QStringLiteral("wss://example.test:8443/chat?room=한글");
    info.localRole = Role::Client;
    info.startedAt = utc("2025-03-04T05:06:07.089Z");
    info.origin = QStringLiteral("live");
    s.setInfo(info);

    const auto C2S = Direction::ClientToServer;
    const auto S2C = Direction::ServerToClient;
    s.appendEvent(1000, EventKind::DnsResolved, Direction::None,
        DnsDetail {QStringLiteral("example.test"),
            {QStringLiteral("192.0.2.7"), QStringLiteral("2001:db8::7")}});
    s.appendEvent(2000, EventKind::TcpConnected, C2S,
        TcpDetail {QStringLiteral("192.0.2.1"), 54321, QStringLiteral("192.0.2.7"), 8443});
    s.appendEvent(3000, EventKind::TlsEstablished, Direction::None, tlsDetail());
    const QByteArray request = "GET /chat HTTP/1.1\r\nHost: example.test:8443\r\n\r\n";
    s.appendEvent(4000, EventKind::HandshakeRequest, C2S, requestDetail(), request, 0);
    const QByteArray response = "HTTP/1.1 101 Switching Protocols\r\n\r\n";
    s.appendEvent(5000, EventKind::HandshakeResponse, S2C, responseDetail(), response, 0);
    s.appendEvent(5001, EventKind::StateChanged, Direction::None,
        StateDetail {WebSocketState::Connecting, WebSocketState::Open});

    // RFC 6455 §5.7: a masked "Hello" and an unmasked one.
    const std::uint32_t hello = addFrame(s, 6000, C2S, spec(0x1, true), "Hello", 47);
    s.appendEvent(6001, EventKind::Message, C2S, MessageDetail {0x1, 5, hello, 1});
    addFrame(s, 7000, S2C, spec(0x1, false), "Hello", 38);
    // Every byte value, masked, in a 16-bit length.
    const std::uint32_t binary = addFrame(s, 8000, C2S, spec(0x2, true), allByteValues(), 58);
    s.appendEvent(8001, EventKind::Message, C2S, MessageDetail {0x2, 256, binary, 1});
    // Fragmented text with a ping between the fragments (§5.4), a non-minimal 64-bit
    // length on the last fragment, RSV bits on the first.
    FrameSpec first = spec(0x1, false, false);
    first.rsv1 = first.rsv3 = true;
    const std::uint32_t fragment = addFrame(s, 9000, S2C, first, "Hel", 45);
    addFrame(s, 9001, S2C, spec(0x9, false), "ping?", 50);
    FrameSpec last = spec(0x0, false);
    last.lengthEncoding = LengthEncoding::Bits64;
    addFrame(s, 9002, S2C, last, "lo", 57);
    s.appendEvent(9003, EventKind::Message, S2C, MessageDetail {0x1, 5, fragment, 2});
    // A compressed message carries its inflated bytes itself (RFC 7692).
    s.appendEvent(9004, EventKind::Message, S2C, MessageDetail {0x1, 7, fragment, 2}, "inflate");
    // Bigger than the 1 KiB capture limit: truncated.
    addFrame(s, 10000, S2C, spec(0x2, false), QByteArray(5000, '\x01'), 69);
    // A frame that claims 2^60 bytes, of which only a few arrived: a count a double
    // cannot hold exactly.
    FrameHeader huge = headerFor(spec(0x2, true), (1ull << 60) + 3);
    QByteArray hugeWire(14, '\0');
    writeFrameHeader(reinterpret_cast<std::uint8_t *>(hugeWire.data()), huge);
    s.appendFrame(std::int64_t(1) << 62, C2S, huge, hugeWire + "abc", (1ull << 55) + 1);
    s.appendEvent(11000, EventKind::Error, S2C,
        ErrorDetail {ProtocolError::InvalidUtf8, 1007,
            QStringLiteral("Invalid UTF-8 at byte 3 (RFC 6455 §8.1)"), (1ull << 53) + 5});
    s.appendEvent(12000, EventKind::Note, Direction::None,
        NoteDetail {QStringLiteral("연결을 닫습니다 — \"quoted\", \\ ,\"bytes\":\"AA\" "
                                   "tab\t newline\n emoji 🎉 nul")
            + QChar(0)});
    s.appendEvent(12001, EventKind::Note, Direction::None, std::monostate {});
    addFrame(s, 13000, C2S, spec(0x8, true), QByteArray("\x03\xe8", 2) + "안녕", 70);
    s.appendEvent(
        13001, EventKind::Close, C2S, CloseDetail {ClosePayload {1000, QByteArray("안녕")}, true});
    addFrame(s, 14000, S2C, spec(0x8, false), {}, 200);
    s.appendEvent(14001, EventKind::Close, S2C, CloseDetail {ClosePayload {}, false});
    s.appendEvent(14002, EventKind::StateChanged, Direction::None,
        StateDetail {WebSocketState::Closing, WebSocketState::Closed});
    const Observation observations[] = {Observation::Observed, Observation::Inferred,
        Observation::PassedUnobserved, Observation::NotObservable};
    const TcpState states[]
        = {TcpState::FinWait1, TcpState::CloseWait, TcpState::FinWait2, TcpState::TimeWait};
    for (int i = 0; i < 4; ++i) {
        s.appendEvent(15000 + i, EventKind::TcpState, Direction::None,
            TcpStateDetail {i % 2 ? Role::Server : Role::Client, states[i], observations[i],
                i == 0 ? QStringLiteral("rtt 42 µs, 0 retransmits") : QString()});
    }
}

// Field-by-field comparisons. They use QCOMPARE, so after calling one a test checks
// QTest::currentTestFailed().

inline void compareHandshake(const HandshakeDetail &a, const HandshakeDetail &b)
{
    QCOMPARE(a.head.method, b.head.method);
    QCOMPARE(a.head.target, b.head.target);
    QCOMPARE(a.head.statusCode, b.head.statusCode);
    QCOMPARE(a.head.reasonPhrase, b.head.reasonPhrase);
    QCOMPARE(a.head.version, b.head.version);
    QCOMPARE(a.head.raw, b.head.raw);
    QCOMPARE(a.head.headers.size(), b.head.headers.size());
    for (qsizetype i = 0; i < a.head.headers.size(); ++i) {
        QCOMPARE(a.head.headers[i].name, b.head.headers[i].name);
        QCOMPARE(a.head.headers[i].value, b.head.headers[i].value);
    }
    QCOMPARE(a.checks.size(), b.checks.size());
    for (qsizetype i = 0; i < a.checks.size(); ++i) {
        QCOMPARE(a.checks[i].name, b.checks[i].name);
        QCOMPARE(a.checks[i].expected, b.checks[i].expected);
        QCOMPARE(a.checks[i].actual, b.checks[i].actual);
        QCOMPARE(a.checks[i].passed, b.checks[i].passed);
        QCOMPARE(a.checks[i].required, b.checks[i].required);
        QCOMPARE(a.checks[i].rfcSection, b.checks[i].rfcSection);
    }
    QCOMPARE(a.accepted, b.accepted);
    QCOMPARE(a.failureReason, b.failureReason);
    QCOMPARE(a.key, b.key);
    QCOMPARE(a.expectedAccept, b.expectedAccept);
    QCOMPARE(a.subprotocol, b.subprotocol);
    QCOMPARE(a.extensions.size(), b.extensions.size());
    for (qsizetype i = 0; i < a.extensions.size(); ++i) {
        QCOMPARE(a.extensions[i].name, b.extensions[i].name);
        QCOMPARE(a.extensions[i].params.size(), b.extensions[i].params.size());
        for (qsizetype j = 0; j < a.extensions[i].params.size(); ++j) {
            const auto &[name, value] = a.extensions[i].params[j];
            QCOMPARE(name, b.extensions[i].params[j].first);
            QCOMPARE(value, b.extensions[i].params[j].second);
            // A parameter without a value is not one with an empty value.
            QCOMPARE(value.isNull(), b.extensions[i].params[j].second.isNull());
        }
    }
}

inline void compareTls(const TlsDetail &a, const TlsDetail &b)
{
    QCOMPARE(a.protocol, b.protocol);
    QCOMPARE(a.cipher, b.cipher);
    QCOMPARE(a.alpn, b.alpn);
    QCOMPARE(a.chain.size(), b.chain.size());
    for (qsizetype i = 0; i < a.chain.size(); ++i) {
        QCOMPARE(a.chain[i].subject, b.chain[i].subject);
        QCOMPARE(a.chain[i].issuer, b.chain[i].issuer);
        QCOMPARE(a.chain[i].notBefore, b.chain[i].notBefore);
        QCOMPARE(a.chain[i].notBefore.isValid(), b.chain[i].notBefore.isValid());
        QCOMPARE(a.chain[i].notAfter, b.chain[i].notAfter);
        QCOMPARE(a.chain[i].notAfter.isValid(), b.chain[i].notAfter.isValid());
        QCOMPARE(toHex(a.chain[i].sha256), toHex(b.chain[i].sha256));
        QCOMPARE(toHex(a.chain[i].sha1), toHex(b.chain[i].sha1));
    }
    QCOMPARE(a.verificationErrors, b.verificationErrors);
    QCOMPARE(a.errorsAccepted, b.errorsAccepted);
}

struct DetailComparison
{
    const EventDetail &other;

    void operator()(std::monostate) const { }
    void operator()(const DnsDetail &a) const
    {
        const auto &b = std::get<DnsDetail>(other);
        QCOMPARE(a.host, b.host);
        QCOMPARE(a.addresses, b.addresses);
    }
    void operator()(const TcpDetail &a) const
    {
        const auto &b = std::get<TcpDetail>(other);
        QCOMPARE(a.localAddress, b.localAddress);
        QCOMPARE(a.localPort, b.localPort);
        QCOMPARE(a.peerAddress, b.peerAddress);
        QCOMPARE(a.peerPort, b.peerPort);
    }
    void operator()(const TlsDetail &a) const { compareTls(a, std::get<TlsDetail>(other)); }
    void operator()(const HandshakeDetail &a) const
    {
        compareHandshake(a, std::get<HandshakeDetail>(other));
    }
    void operator()(const MessageDetail &a) const
    {
        const auto &b = std::get<MessageDetail>(other);
        QCOMPARE(a.opcode, b.opcode);
        QCOMPARE(a.size, b.size);
        QCOMPARE(a.firstFrameEvent, b.firstFrameEvent);
        QCOMPARE(a.frameCount, b.frameCount);
    }
    void operator()(const CloseDetail &a) const
    {
        const auto &b = std::get<CloseDetail>(other);
        QCOMPARE(a.close.code.has_value(), b.close.code.has_value());
        QCOMPARE(a.close.code.value_or(0), b.close.code.value_or(0));
        QCOMPARE(a.close.reason, b.close.reason);
        QCOMPARE(a.initiatedLocally, b.initiatedLocally);
    }
    void operator()(const StateDetail &a) const
    {
        const auto &b = std::get<StateDetail>(other);
        QCOMPARE(a.from, b.from);
        QCOMPARE(a.to, b.to);
    }
    void operator()(const TcpStateDetail &a) const
    {
        const auto &b = std::get<TcpStateDetail>(other);
        QCOMPARE(a.side, b.side);
        QCOMPARE(a.state, b.state);
        QCOMPARE(a.observation, b.observation);
        QCOMPARE(a.info, b.info);
    }
    void operator()(const ErrorDetail &a) const
    {
        const auto &b = std::get<ErrorDetail>(other);
        QCOMPARE(a.error, b.error);
        QCOMPARE(a.closeCode, b.closeCode);
        QCOMPARE(a.message, b.message);
        QCOMPARE(a.streamOffset, b.streamOffset);
    }
    void operator()(const NoteDetail &a) const
    {
        QCOMPARE(a.text, std::get<NoteDetail>(other).text);
    }
};

/// Compares everything a Session holds; `count` limits it to the first events.
inline void compareSessions(const Session &a, const Session &b, std::uint32_t count)
{
    QCOMPARE(a.info().url, b.info().url);
    QCOMPARE(a.info().localRole, b.info().localRole);
    QCOMPARE(a.info().startedAt, b.info().startedAt);
    QCOMPARE(a.info().origin, b.info().origin);
    for (std::uint32_t i = 0; i < count; ++i) {
        const EventRecord &x = a.event(i);
        const EventRecord &y = b.event(i);
        const QByteArray where = "event " + QByteArray::number(i);
        QVERIFY2(x.timeNs == y.timeNs, where.constData());
        QVERIFY2(x.streamOffset == y.streamOffset, where.constData());
        QVERIFY2(x.length == y.length, where.constData());
        QVERIFY2(x.bytesLength == y.bytesLength, where.constData());
        QVERIFY2(x.detailIndex == y.detailIndex, where.constData());
        QVERIFY2(x.kind == y.kind, where.constData());
        QVERIFY2(x.direction == y.direction, where.constData());
        QVERIFY2(x.frameByte0 == y.frameByte0, where.constData());
        QVERIFY2(x.frameByte1 == y.frameByte1, where.constData());
        QVERIFY2(x.maskKey == y.maskKey, where.constData());
        QVERIFY2(a.bytes(i) == b.bytes(i), where.constData());
        QVERIFY2(a.frameTruncated(i) == b.frameTruncated(i), where.constData());
        QVERIFY2(a.detail(i).index() == b.detail(i).index(), where.constData());
        std::visit(DetailComparison {b.detail(i)}, a.detail(i));
        if (QTest::currentTestFailed()) {
            qWarning("the difference is in %s", where.constData());
            return;
        }
    }
}

inline void compareSessions(const Session &a, const Session &b)
{
    QCOMPARE(b.eventCount(), a.eventCount());
    compareSessions(a, b, a.eventCount());
}

} // namespace frameline::test
