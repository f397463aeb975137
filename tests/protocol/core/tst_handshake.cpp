// Tests of the opening handshake (RFC 6455 §4) as pure functions: the accept key (§1.3,
// §4.2.2), nonces (§4.1), the extension grammar (§9.1), the client's request and its
// checks of the answer (§4.1), the server's checks of the request and its answer (§4.2,
// §4.4). Every request and answer is read back by the other role.

#include "rfc6455vectors.h"
#include "handshake.h"
#include "testbytes.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cstring>

using namespace frameline;
using frameline::test::hex;

namespace {

using Kind = HttpHeadParser::Kind;

const QByteArray kKey = "dGhlIHNhbXBsZSBub25jZQ=="; // RFC 6455 §1.3, §4.1
const QByteArray kAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="; // RFC 6455 §1.3

using frameline::test::kRfcRequest;
using frameline::test::kRfcResponse;

const QStringList kServerCheckNames {QStringLiteral("Method"), QStringLiteral("HTTP version"),
    QStringLiteral("Host"), QStringLiteral("Upgrade"), QStringLiteral("Connection"),
    QStringLiteral("Sec-WebSocket-Key"), QStringLiteral("Sec-WebSocket-Version")};

// The head of `bytes`, and how many bytes it took; `ok` is false unless it is complete.
HttpHead parseHead(Kind kind, const QByteArray &bytes, bool &ok, qsizetype *consumed = nullptr)
{
    HttpHeadParser parser(kind);
    qsizetype used = 0;
    ok = parser.feed(bytes, used) == HttpHeadParser::Status::Complete;
    if (consumed)
        *consumed = used;
    return parser.head();
}

// `head` without the field line `line` (given without its CRLF).
QByteArray without(QByteArray head, const QByteArray &line)
{
    const QByteArray full = line + "\r\n";
    Q_ASSERT(head.contains(full));
    return head.replace(full, "");
}

// `head` with `lines` (each ending in CRLF) added before the empty line.
QByteArray with(const QByteArray &head, const QByteArray &lines)
{
    Q_ASSERT(head.endsWith("\r\n\r\n"));
    return head.chopped(2) + lines + "\r\n";
}

QByteArray replaced(QByteArray head, const QByteArray &before, const QByteArray &after)
{
    Q_ASSERT(head.contains(before));
    return head.replace(before, after);
}

QStringList failedChecks(const QList<HandshakeCheck> &checks)
{
    QStringList names;
    for (const HandshakeCheck &check : checks) {
        if (check.required && !check.passed)
            names.append(check.name);
    }
    return names;
}

const HandshakeCheck *findCheck(const QList<HandshakeCheck> &checks, const QString &name)
{
    for (const HandshakeCheck &check : checks) {
        if (check.name == name)
            return &check;
    }
    return nullptr;
}

QList<ExtensionOffer> offersFrom(const QByteArray &value)
{
    QList<ExtensionOffer> out;
    if (!value.isEmpty() && !parseExtensionList(value, out))
        qFatal("bad extension list in a test row: %s", value.constData());
    return out;
}

ClientHandshakeOptions rfcClientOptions()
{
    ClientHandshakeOptions options;
    options.host = "server.example.com";
    options.resourceName = "/chat";
    options.origin = "http://example.com";
    options.subprotocols = {"chat", "superchat"};
    return options;
}

// Randomness that hands out the bytes of `nonce` and remembers how many were asked for.
struct FixedRandom
{
    QByteArray nonce;
    std::size_t *asked = nullptr;
    void operator()(std::uint8_t *out, std::size_t size) const
    {
        *asked = size;
        std::memcpy(out, nonce.constData(), std::min<std::size_t>(size, std::size_t(nonce.size())));
    }
};

} // namespace

class TestHandshake : public QObject
{
    Q_OBJECT

private slots:
    void acceptKey_data();
    void acceptKey();
    void generatedKeys();
    void extensionLists_data();
    void extensionLists();
    void extensionParameters();
    void rfcExampleRequestBuilt();
    void rfcExampleRequestAnswered();
    void rfcExampleResponseValidated();
    void requestDefaultsAndExtraFields();
    void clientRejects_data();
    void clientRejects();
    void clientAccepts_data();
    void clientAccepts();
    void serverRejects_data();
    void serverRejects();
    void serverAccepts_data();
    void serverAccepts();
    void subprotocolByServerPreference_data();
    void subprotocolByServerPreference();
    void extensionNegotiation();
};

void TestHandshake::acceptKey_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("accept");

    QTest::newRow("RFC 6455 §1.3 example") << kKey << kAccept;
    // Checked independently with Python's hashlib and base64.
    QTest::newRow("key of the nonce 00 01 … 0f")
        << QByteArray("AAECAwQFBgcICQoLDA0ODw==") << QByteArray("Bz3qJYTGdOe8gUSpLosEdiLKDrk=");
    QTest::newRow("another random key")
        << QByteArray("x3JJHMbDL1EzLkh9GBhXDw==") << QByteArray("HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
}

void TestHandshake::acceptKey()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, accept);
    // RFC 6455 §4.2.2: base64(SHA-1(key as sent + GUID)); the key is not decoded first.
    QCOMPARE(computeAcceptKey(key), accept);
    QCOMPARE(QByteArray(kWebSocketGuid), QByteArray("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
}

void TestHandshake::generatedKeys()
{
    // RFC 6455 §4.1: the key is a 16-byte nonce, base64-encoded; the §1.3 example key is
    // the nonce "the sample nonce".
    std::size_t asked = 0;
    QCOMPARE(generateWebSocketKey(FixedRandom {"the sample nonce", &asked}), kKey);
    QCOMPARE(asked, std::size_t(16));
    QCOMPARE(generateWebSocketKey(
                 FixedRandom {hex("00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"), &asked}),
        QByteArray("AAECAwQFBgcICQoLDA0ODw=="));

    // The default generator: 24 characters that decode to exactly 16 bytes, and a new
    // nonce each time (§4.1: "randomly selected"; equal nonces are a 2^-128 event).
    QSet<QByteArray> seen;
    for (int i = 0; i < 32; ++i) {
        const QByteArray key = generateWebSocketKey();
        QCOMPARE(key.size(), 24);
        const auto decoded
            = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
        QVERIFY(decoded.decodingStatus == QByteArray::Base64DecodingStatus::Ok);
        QCOMPARE(decoded.decoded.size(), 16);
        seen.insert(key);
    }
    QCOMPARE(seen.size(), 32);
}

void TestHandshake::extensionLists_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("count");
    QTest::addColumn<QByteArray>("canonical"); // formatExtensionList of what was parsed

    // RFC 6455 §9.1: extension-list = 1#extension; extension = token *( ";" param );
    // param = token [ "=" (token | quoted-string) ].
    QTest::newRow("one extension")
        << QByteArray("permessage-deflate") << true << 1 << QByteArray("permessage-deflate");
    QTest::newRow("a parameter without a value")
        << QByteArray("permessage-deflate;client_max_window_bits") << true << 1
        << QByteArray("permessage-deflate; client_max_window_bits");
    QTest::newRow("a parameter with a token value")
        << QByteArray("permessage-deflate; server_max_window_bits=10") << true << 1
        << QByteArray("permessage-deflate; server_max_window_bits=10");
    // RFC 6455 §9.1: a quoted value must be a token once unquoted; it is written bare.
    QTest::newRow("a parameter with a quoted-string value")
        << QByteArray("permessage-deflate; server_max_window_bits=\"10\"") << true << 1
        << QByteArray("permessage-deflate; server_max_window_bits=10");
    QTest::newRow("a quoted-string value with an escaped token character")
        << QByteArray("x; a=\"b\\c\"") << true << 1 << QByteArray("x; a=bc");
    QTest::newRow("two extensions, several parameters")
        << QByteArray("permessage-deflate; client_no_context_takeover; client_max_window_bits=9, "
                      "x-webkit-deflate-frame")
        << true << 2
        << QByteArray("permessage-deflate; client_no_context_takeover; client_max_window_bits=9, "
                      "x-webkit-deflate-frame");
    QTest::newRow("whitespace around separators")
        << QByteArray(" foo ;\ta = 1 ,bar\t") << true << 2 << QByteArray("foo; a=1, bar");
    // RFC 9110 §5.6.1.2: a recipient MUST accept empty list elements, a trailing comma
    // included ("foo ,bar," is its own example of a valid list).
    QTest::newRow("empty list elements are ignored")
        << QByteArray(", foo, ,bar") << true << 2 << QByteArray("foo, bar");
    QTest::newRow("a trailing comma is an empty element, not an error")
        << QByteArray("foo,") << true << 1 << QByteArray("foo");
    // RFC 9110 §5.6.1.2: "" and "," are not lists of at least one element.
    QTest::newRow("empty value") << QByteArray("") << false << 0 << QByteArray();
    QTest::newRow("only commas") << QByteArray(" , ,") << false << 0 << QByteArray();
    QTest::newRow("a name that is not a token")
        << QByteArray("foo@bar") << false << 0 << QByteArray();
    QTest::newRow("two names without a comma")
        << QByteArray("foo bar") << false << 0 << QByteArray();
    QTest::newRow("a semicolon without a parameter")
        << QByteArray("foo;") << false << 0 << QByteArray();
    QTest::newRow("a parameter with no name")
        << QByteArray("foo; =1") << false << 0 << QByteArray();
    QTest::newRow("an equals sign with no value")
        << QByteArray("foo; a=") << false << 0 << QByteArray();
    QTest::newRow("an empty quoted string")
        << QByteArray("foo; a=\"\"") << false << 0 << QByteArray();
    QTest::newRow("a quoted string that is not a token")
        << QByteArray("foo; a=\"1 0\"") << false << 0 << QByteArray();
    QTest::newRow("a quoted string not closed")
        << QByteArray("foo; a=\"10") << false << 0 << QByteArray();
    QTest::newRow("two values for one parameter")
        << QByteArray("foo; a=1 2") << false << 0 << QByteArray();
    QTest::newRow("a second equals sign") << QByteArray("foo; a=b=c") << false << 0 << QByteArray();
    QTest::newRow("a list starting with a parameter")
        << QByteArray("; a=1") << false << 0 << QByteArray();
}

void TestHandshake::extensionLists()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, ok);
    QFETCH(int, count);
    QFETCH(QByteArray, canonical);

    QList<ExtensionOffer> offers {ExtensionOffer {"stale", {}}};
    QString error;
    QCOMPARE(parseExtensionList(value, offers, &error), ok);
    QCOMPARE(offers.size(), count);
    if (!ok) {
        QVERIFY(!error.isEmpty());
        // No error pointer is fine too.
        QVERIFY(!parseExtensionList(value, offers));
        return;
    }
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(formatExtensionList(offers), canonical);
    // The canonical text reads back as the same offers.
    QList<ExtensionOffer> again;
    QVERIFY(parseExtensionList(canonical, again));
    QCOMPARE(formatExtensionList(again), canonical);
}

void TestHandshake::extensionParameters()
{
    QList<ExtensionOffer> offers;
    QVERIFY(parseExtensionList(
        "permessage-deflate; client_max_window_bits; server_max_window_bits=\"10\", foo", offers));
    QCOMPARE(offers.size(), 2);
    QCOMPARE(offers[0].name, QByteArray("permessage-deflate"));
    QCOMPARE(offers[0].params.size(), 2);
    QCOMPARE(offers[0].params[0].first, QByteArray("client_max_window_bits"));
    // RFC 7692 §7.1.2.2: a parameter without a value differs from one with a value.
    QVERIFY(offers[0].params[0].second.isNull());
    QCOMPARE(offers[0].params[1].first, QByteArray("server_max_window_bits"));
    QCOMPARE(offers[0].params[1].second, QByteArray("10"));
    QCOMPARE(offers[1].name, QByteArray("foo"));
    QVERIFY(offers[1].params.isEmpty());
}

void TestHandshake::rfcExampleRequestBuilt()
{
    // RFC 6455 §1.2, §4.1: the example request, from the example nonce.
    std::size_t asked = 0;
    const QByteArray key = generateWebSocketKey(FixedRandom {"the sample nonce", &asked});
    const QByteArray request = buildClientRequest(rfcClientOptions(), key);
    // The fields come in the builder's order, not the RFC's (RFC 9110 §5.3: the order of
    // fields with different names is not significant).
    QCOMPARE(request,
        QByteArray("GET /chat HTTP/1.1\r\n"
                   "Host: server.example.com\r\n"
                   "Upgrade: websocket\r\n"
                   "Connection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n"
                   "Origin: http://example.com\r\n"
                   "Sec-WebSocket-Protocol: chat, superchat\r\n"
                   "\r\n"));

    // Read back on the server side, it carries the same fields as the RFC's text.
    bool ok = false;
    const HttpHead built = parseHead(Kind::Request, request, ok);
    QVERIFY(ok);
    const HttpHead rfc = parseHead(Kind::Request, kRfcRequest, ok);
    QVERIFY(ok);
    QCOMPARE(built.headers.size(), rfc.headers.size());
    for (const HttpHeader &header : rfc.headers)
        QCOMPARE(built.values(header.name), rfc.values(header.name));
}

void TestHandshake::rfcExampleRequestAnswered()
{
    // RFC 6455 §1.2, §4.2.2: the server that speaks "chat" answers the example request
    // with the example response, byte for byte.
    bool ok = false;
    const HttpHead request = parseHead(Kind::Request, kRfcRequest, ok);
    QVERIFY(ok);
    ServerHandshakeOptions options;
    options.subprotocols = {"chat"};
    const ServerHandshakeResult result = answerClientRequest(request, options);
    QVERIFY2(result.accepted, qPrintable(result.failureReason));
    QCOMPARE(result.statusCode, 101);
    QCOMPARE(result.response, kRfcResponse);
    QCOMPARE(result.subprotocol, QByteArray("chat"));
    QVERIFY(result.extensions.isEmpty());
    QVERIFY(result.failureReason.isEmpty());

    QStringList names;
    for (const HandshakeCheck &check : result.checks) {
        names.append(check.name);
        QVERIFY2(check.passed, qPrintable(check.name));
        QVERIFY(check.required);
        QVERIFY(!check.expected.isEmpty());
        QVERIFY(!check.actual.isEmpty());
        QCOMPARE(check.rfcSection, QStringLiteral("RFC 6455 §4.2.1"));
    }
    QCOMPARE(names, kServerCheckNames);
    QCOMPARE(findCheck(result.checks, QStringLiteral("Sec-WebSocket-Key"))->actual,
        QString::fromLatin1(kKey));
}

void TestHandshake::rfcExampleResponseValidated()
{
    // RFC 6455 §1.2, §4.1: the client that sent the example request accepts the example
    // response; every check it makes passes.
    bool ok = false;
    const HttpHead response = parseHead(Kind::Response, kRfcResponse, ok);
    QVERIFY(ok);
    const ClientHandshakeResult result = validateServerResponse(response, kKey, rfcClientOptions());
    QVERIFY2(result.accepted, qPrintable(result.failureReason));
    QVERIFY(result.failureReason.isEmpty());
    QCOMPARE(result.subprotocol, QByteArray("chat"));
    QVERIFY(result.extensions.isEmpty());

    QStringList names;
    for (const HandshakeCheck &check : result.checks) {
        names.append(check.name);
        QVERIFY2(check.passed, qPrintable(check.name));
        QVERIFY(!check.expected.isEmpty());
        QVERIFY(!check.actual.isEmpty());
        QVERIFY(check.rfcSection.startsWith(QStringLiteral("RFC 6455 §4.1")));
    }
    QCOMPARE(names,
        (QStringList {QStringLiteral("HTTP version"), QStringLiteral("Status"),
            QStringLiteral("Upgrade"), QStringLiteral("Connection"),
            QStringLiteral("Sec-WebSocket-Accept"), QStringLiteral("Sec-WebSocket-Protocol")}));
    const HandshakeCheck *accept = findCheck(result.checks, QStringLiteral("Sec-WebSocket-Accept"));
    QCOMPARE(accept->expected, QString::fromLatin1(kAccept));
    QCOMPARE(accept->actual, QString::fromLatin1(kAccept));
    QCOMPARE(findCheck(result.checks, QStringLiteral("Status"))->actual,
        QStringLiteral("101 Switching Protocols"));
}

void TestHandshake::requestDefaultsAndExtraFields()
{
    ClientHandshakeOptions options;
    options.host = "127.0.0.1:9001";
    options.extensions = offersFrom("permessage-deflate; client_max_window_bits");
    options.extraHeaders = {{"Authorization", "Bearer abc"}, {"User-Agent", "Frameline"}};
    // RFC 6455 §3: an empty path is "/"; without an origin there is no Origin field.
    QCOMPARE(buildClientRequest(options, kKey),
        QByteArray("GET / HTTP/1.1\r\n"
                   "Host: 127.0.0.1:9001\r\n"
                   "Upgrade: websocket\r\n"
                   "Connection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n"
                   "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                   "Authorization: Bearer abc\r\n"
                   "User-Agent: Frameline\r\n"
                   "\r\n"));

    // The server adds its own extra fields after the standard ones of its 101.
    bool ok = false;
    const HttpHead request = parseHead(Kind::Request, buildClientRequest(options, kKey), ok);
    QVERIFY(ok);
    ServerHandshakeOptions server;
    server.extraHeaders = {{"Server", "Frameline"}};
    const ServerHandshakeResult result = answerClientRequest(request, server);
    QVERIFY(result.accepted);
    QCOMPARE(result.response,
        QByteArray("HTTP/1.1 101 Switching Protocols\r\n"
                   "Upgrade: websocket\r\n"
                   "Connection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                   "Server: Frameline\r\n"
                   "\r\n"));
}

void TestHandshake::clientRejects_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QList<QByteArray>>("offeredProtocols");
    QTest::addColumn<QByteArray>("offeredExtensions");
    QTest::addColumn<QStringList>("failing"); // every required check that fails
    QTest::addColumn<QString>("actual"); // what the first of them saw
    QTest::addColumn<QByteArray>("unread"); // bytes after the head

    const QList<QByteArray> chatOffered {"chat", "superchat"};
    const QList<QByteArray> noneOffered;
    const QByteArray noExtensions;
    const QString status = QStringLiteral("Status");
    const QString upgrade = QStringLiteral("Upgrade");
    const QString connection = QStringLiteral("Connection");
    const QString accept = QStringLiteral("Sec-WebSocket-Accept");
    const QString protocol = QStringLiteral("Sec-WebSocket-Protocol");
    const QString extension = QStringLiteral("Sec-WebSocket-Extensions");
    const QString missing = QStringLiteral("(missing)");

    // RFC 6455 §4.1: a status other than 101 means the handshake did not complete; the
    // body of the answer is HTTP's business, never read as frames.
    QTest::newRow("403 Forbidden with a body")
        << QByteArray("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
                      "Content-Length: 10\r\n\r\nGo away.\r\n")
        << chatOffered << noExtensions << QStringList {status, upgrade, connection, accept}
        << QStringLiteral("403 Forbidden") << QByteArray("Go away.\r\n");
    QTest::newRow("200 OK with every WebSocket field")
        << replaced(kRfcResponse, "101 Switching Protocols", "200 OK") << chatOffered
        << noExtensions << QStringList {status} << QStringLiteral("200 OK") << QByteArray();
    QTest::newRow("101 from an HTTP/1.0 server")
        << replaced(kRfcResponse, "HTTP/1.1", "HTTP/1.0") << chatOffered << noExtensions
        << QStringList {QStringLiteral("HTTP version")} << QStringLiteral("HTTP/1.0")
        << QByteArray();
    // RFC 6455 §4.1 step 2: Upgrade must be "websocket".
    QTest::newRow("Upgrade missing")
        << without(kRfcResponse, "Upgrade: websocket") << chatOffered << noExtensions
        << QStringList {upgrade} << missing << QByteArray();
    QTest::newRow("Upgrade to another protocol")
        << replaced(kRfcResponse, "Upgrade: websocket", "Upgrade: h2c") << chatOffered
        << noExtensions << QStringList {upgrade} << QStringLiteral("h2c") << QByteArray();
    // RFC 6455 §4.1 step 3: Connection must hold the token "Upgrade".
    QTest::newRow("Connection missing")
        << without(kRfcResponse, "Connection: Upgrade") << chatOffered << noExtensions
        << QStringList {connection} << missing << QByteArray();
    QTest::newRow("Connection: keep-alive only")
        << replaced(kRfcResponse, "Connection: Upgrade", "Connection: keep-alive") << chatOffered
        << noExtensions << QStringList {connection} << QStringLiteral("keep-alive") << QByteArray();
    QTest::newRow("Connection with a token that only starts with Upgrade")
        << replaced(kRfcResponse, "Connection: Upgrade", "Connection: Upgraded, close")
        << chatOffered << noExtensions << QStringList {connection}
        << QStringLiteral("Upgraded, close") << QByteArray();
    // RFC 6455 §4.1 step 4: Sec-WebSocket-Accept must be base64(SHA-1(key + GUID)).
    QTest::newRow("Sec-WebSocket-Accept missing")
        << without(kRfcResponse, "Sec-WebSocket-Accept: " + kAccept) << chatOffered << noExtensions
        << QStringList {accept} << missing << QByteArray();
    QTest::newRow("Sec-WebSocket-Accept of another key")
        << replaced(kRfcResponse, kAccept, "HSmrc0sMlYUkAGmm5OPpG2HaGWk=") << chatOffered
        << noExtensions << QStringList {accept} << QStringLiteral("HSmrc0sMlYUkAGmm5OPpG2HaGWk=")
        << QByteArray();
    QTest::newRow("Sec-WebSocket-Accept in lower case (base64 is case-sensitive)")
        << replaced(kRfcResponse, kAccept, kAccept.toLower()) << chatOffered << noExtensions
        << QStringList {accept} << QString::fromLatin1(kAccept.toLower()) << QByteArray();
    QTest::newRow("Sec-WebSocket-Accept sent twice")
        << with(kRfcResponse, "Sec-WebSocket-Accept: " + kAccept + "\r\n") << chatOffered
        << noExtensions << QStringList {accept} << QString::fromLatin1(kAccept + ", " + kAccept)
        << QByteArray();
    // RFC 6455 §4.1 step 6: the subprotocol must be one the client offered.
    QTest::newRow("subprotocol that was not offered")
        << replaced(kRfcResponse, "Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: mqtt")
        << chatOffered << noExtensions << QStringList {protocol} << QStringLiteral("mqtt")
        << QByteArray();
    QTest::newRow("subprotocol when none was offered")
        << kRfcResponse << noneOffered << noExtensions << QStringList {protocol}
        << QStringLiteral("chat") << QByteArray();
    QTest::newRow("two subprotocols chosen") << replaced(
        kRfcResponse, "Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: chat, superchat")
                                             << chatOffered << noExtensions
                                             << QStringList {protocol}
                                             << QStringLiteral("chat, superchat") << QByteArray();
    // RFC 6455 §4.1 step 5, §9.1: only extensions the client offered may be in use.
    QTest::newRow("extension that was not offered")
        << with(kRfcResponse, "Sec-WebSocket-Extensions: permessage-deflate\r\n") << chatOffered
        << QByteArray("x-webkit-deflate-frame") << QStringList {extension}
        << QStringLiteral("permessage-deflate") << QByteArray();
    QTest::newRow("extension when none was offered")
        << with(kRfcResponse, "Sec-WebSocket-Extensions: permessage-deflate\r\n") << chatOffered
        << noExtensions << QStringList {extension} << QStringLiteral("permessage-deflate")
        << QByteArray();
    QTest::newRow("one offered extension and one not")
        << with(kRfcResponse, "Sec-WebSocket-Extensions: permessage-deflate, foo\r\n")
        << chatOffered << QByteArray("permessage-deflate") << QStringList {extension}
        << QStringLiteral("permessage-deflate, foo") << QByteArray();
}

void TestHandshake::clientRejects()
{
    QFETCH(QByteArray, response);
    QFETCH(QList<QByteArray>, offeredProtocols);
    QFETCH(QByteArray, offeredExtensions);
    QFETCH(QStringList, failing);
    QFETCH(QString, actual);
    QFETCH(QByteArray, unread);

    bool ok = false;
    qsizetype consumed = 0;
    const HttpHead head = parseHead(Kind::Response, response, ok, &consumed);
    QVERIFY(ok);
    QCOMPARE(response.sliced(consumed), unread);

    ClientHandshakeOptions options = rfcClientOptions();
    options.subprotocols = offeredProtocols;
    options.extensions = offersFrom(offeredExtensions);
    const ClientHandshakeResult result = validateServerResponse(head, kKey, options);
    QVERIFY(!result.accepted);
    QCOMPARE(failedChecks(result.checks), failing);
    const HandshakeCheck *first = findCheck(result.checks, failing.first());
    QCOMPARE(first->actual, actual);
    QVERIFY(!first->expected.isEmpty());
    QVERIFY(first->rfcSection.startsWith(QStringLiteral("RFC 6455 §4.1")));

    // The reason is a sentence naming what failed: the status when it is not 101, the
    // first failed check otherwise.
    QVERIFY(result.failureReason.endsWith(QLatin1Char('.')));
    if (head.statusCode != 101) {
        QVERIFY2(result.failureReason.contains(QString::number(head.statusCode)),
            qPrintable(result.failureReason));
    } else {
        QVERIFY2(result.failureReason.startsWith(failing.first() + QLatin1Char(':')),
            qPrintable(result.failureReason));
        QVERIFY2(result.failureReason.contains(actual), qPrintable(result.failureReason));
    }
    // Nothing negotiated is reported from a rejected check.
    if (failing.contains(QStringLiteral("Sec-WebSocket-Protocol")))
        QVERIFY(result.subprotocol.isEmpty());
    if (failing.contains(QStringLiteral("Sec-WebSocket-Extensions")))
        QVERIFY(result.extensions.isEmpty());
}

void TestHandshake::clientAccepts_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QList<QByteArray>>("offeredProtocols");
    QTest::addColumn<QByteArray>("offeredExtensions");
    QTest::addColumn<QByteArray>("subprotocol");
    QTest::addColumn<QByteArray>("extensions"); // as formatted, empty when none

    const QList<QByteArray> chatOffered {"chat", "superchat"};
    const QByteArray chat = "chat";
    const QByteArray none;
    // RFC 6455 §4.1: Upgrade and the Connection token are ASCII case-insensitive.
    QTest::newRow("Upgrade: WebSocket")
        << replaced(kRfcResponse, "Upgrade: websocket", "Upgrade: WebSocket") << chatOffered << none
        << chat << none;
    QTest::newRow("Connection: upgrade in lower case")
        << replaced(kRfcResponse, "Connection: Upgrade", "Connection: upgrade") << chatOffered
        << none << chat << none;
    // RFC 9110 §7.6.1: Connection is a list of options.
    QTest::newRow("Connection: keep-alive, Upgrade")
        << replaced(kRfcResponse, "Connection: Upgrade", "Connection: keep-alive, Upgrade")
        << chatOffered << none << chat << none;
    QTest::newRow("Connection split over two fields") << replaced(
        kRfcResponse, "Connection: Upgrade", "Connection: keep-alive\r\nConnection: Upgrade")
                                                      << chatOffered << none << chat << none;
    // RFC 9110 §5.1: field names are case-insensitive.
    QTest::newRow("field names in lower case")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n"
                      "connection: upgrade\r\nsec-websocket-accept: "
               + kAccept
               + "\r\n"
                 "sec-websocket-protocol: chat\r\n\r\n")
        << chatOffered << none << chat << none;
    QTest::newRow("fields the client does not know")
        << with(kRfcResponse, "Server: nginx\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\n")
        << chatOffered << none << chat << none;
    // RFC 6455 §4.1 step 6: a server may choose no subprotocol at all.
    QTest::newRow("no subprotocol chosen from those offered")
        << without(kRfcResponse, "Sec-WebSocket-Protocol: chat") << chatOffered << none << none
        << none;
    QTest::newRow("none offered, none chosen")
        << without(kRfcResponse, "Sec-WebSocket-Protocol: chat") << QList<QByteArray>() << none
        << none << none;
    QTest::newRow("the second subprotocol offered")
        << replaced(
               kRfcResponse, "Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: superchat")
        << chatOffered << none << QByteArray("superchat") << none;
    // RFC 7692 §7.1: the server answers an offer with its own parameters.
    QTest::newRow("an offered extension accepted with parameters")
        << with(kRfcResponse,
               "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
               "client_max_window_bits=10\r\n")
        << chatOffered << QByteArray("permessage-deflate; client_max_window_bits") << chat
        << QByteArray("permessage-deflate; server_no_context_takeover; client_max_window_bits=10");
    QTest::newRow("one of two offered extensions accepted")
        << with(kRfcResponse, "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n") << chatOffered
        << QByteArray("permessage-deflate, x-webkit-deflate-frame") << chat
        << QByteArray("x-webkit-deflate-frame");
}

void TestHandshake::clientAccepts()
{
    QFETCH(QByteArray, response);
    QFETCH(QList<QByteArray>, offeredProtocols);
    QFETCH(QByteArray, offeredExtensions);
    QFETCH(QByteArray, subprotocol);
    QFETCH(QByteArray, extensions);

    bool ok = false;
    const HttpHead head = parseHead(Kind::Response, response, ok);
    QVERIFY(ok);
    ClientHandshakeOptions options = rfcClientOptions();
    options.subprotocols = offeredProtocols;
    options.extensions = offersFrom(offeredExtensions);
    const ClientHandshakeResult result = validateServerResponse(head, kKey, options);
    QVERIFY2(result.accepted, qPrintable(result.failureReason));
    QVERIFY(failedChecks(result.checks).isEmpty());
    QCOMPARE(result.subprotocol, subprotocol);
    QCOMPARE(formatExtensionList(result.extensions), extensions);
    // A subprotocol check is made whenever one was offered or chosen.
    const bool protocolInPlay = !offeredProtocols.isEmpty() || head.has("Sec-WebSocket-Protocol");
    QCOMPARE(findCheck(result.checks, QStringLiteral("Sec-WebSocket-Protocol")) != nullptr,
        protocolInPlay);
}

void TestHandshake::serverRejects_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QStringList>("failing");
    QTest::addColumn<int>("status");

    const QString method = QStringLiteral("Method");
    const QString host = QStringLiteral("Host");
    const QString key = QStringLiteral("Sec-WebSocket-Key");
    const QString version = QStringLiteral("Sec-WebSocket-Version");
    const QByteArray keyLine = "Sec-WebSocket-Key: " + kKey;

    // RFC 6455 §4.2.1 item 1: an HTTP/1.1 or higher GET request; methods are
    // case-sensitive (RFC 9110 §9.1).
    QTest::newRow("POST instead of GET")
        << replaced(kRfcRequest, "GET /chat", "POST /chat") << QStringList {method} << 400;
    QTest::newRow("get in lower case")
        << replaced(kRfcRequest, "GET /chat", "get /chat") << QStringList {method} << 400;
    QTest::newRow("HTTP/1.0") << replaced(kRfcRequest, "HTTP/1.1", "HTTP/1.0")
                              << QStringList {QStringLiteral("HTTP version")} << 400;
    // RFC 6455 §4.2.1 item 2; RFC 9112 §3.2: a request without exactly one Host gets 400.
    QTest::newRow("Host missing") << without(kRfcRequest, "Host: server.example.com")
                                  << QStringList {host} << 400;
    QTest::newRow("Host sent twice")
        << with(kRfcRequest, "Host: evil.example.com\r\n") << QStringList {host} << 400;
    // RFC 6455 §4.2.1 items 3-4.
    QTest::newRow("Upgrade missing") << without(kRfcRequest, "Upgrade: websocket")
                                     << QStringList {QStringLiteral("Upgrade")} << 400;
    QTest::newRow("Upgrade to another protocol")
        << replaced(kRfcRequest, "Upgrade: websocket", "Upgrade: h2c")
        << QStringList {QStringLiteral("Upgrade")} << 400;
    QTest::newRow("Connection missing") << without(kRfcRequest, "Connection: Upgrade")
                                        << QStringList {QStringLiteral("Connection")} << 400;
    QTest::newRow("Connection without the upgrade token")
        << replaced(kRfcRequest, "Connection: Upgrade", "Connection: keep-alive")
        << QStringList {QStringLiteral("Connection")} << 400;
    // RFC 6455 §4.2.1 item 5: base64 (RFC 4648 §4, padding included) of 16 bytes.
    QTest::newRow("Sec-WebSocket-Key missing")
        << without(kRfcRequest, keyLine) << QStringList {key} << 400;
    QTest::newRow("key of 15 bytes")
        << replaced(kRfcRequest, kKey, "AAECAwQFBgcICQoLDA0O") << QStringList {key} << 400;
    QTest::newRow("key of 17 bytes")
        << replaced(kRfcRequest, kKey, "AAECAwQFBgcICQoLDA0ODxA=") << QStringList {key} << 400;
    QTest::newRow("key that is not base64")
        << replaced(kRfcRequest, kKey, "dGhlIHNhbXBsZSBub25jZQ!!") << QStringList {key} << 400;
    QTest::newRow("key in base64url")
        << replaced(kRfcRequest, kKey, "-_-_-_-_-_-_-_-_-_-_-w==") << QStringList {key} << 400;
    QTest::newRow("key without its padding")
        << replaced(kRfcRequest, kKey, "dGhlIHNhbXBsZSBub25jZQ") << QStringList {key} << 400;
    QTest::newRow("key sent twice")
        << with(kRfcRequest, keyLine + "\r\n") << QStringList {key} << 400;
    // RFC 6455 §4.2.1 item 6, §4.4: an unsupported version gets 426 and the version the
    // server speaks; a missing one is simply a bad request.
    QTest::newRow("version 8") << replaced(
        kRfcRequest, "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8")
                               << QStringList {version} << 426;
    QTest::newRow("version 14") << replaced(
        kRfcRequest, "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 14")
                                << QStringList {version} << 426;
    QTest::newRow("version missing")
        << without(kRfcRequest, "Sec-WebSocket-Version: 13") << QStringList {version} << 400;
    QTest::newRow("version 8 and no Host")
        << without(replaced(kRfcRequest, "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"),
               "Host: server.example.com")
        << QStringList {host, version} << 400;
    QTest::newRow("an HTTP/1.0 POST without a key")
        << without(replaced(kRfcRequest, "GET /chat HTTP/1.1", "POST /chat HTTP/1.0"), keyLine)
        << QStringList {method, QStringLiteral("HTTP version"), key} << 400;
}

void TestHandshake::serverRejects()
{
    QFETCH(QByteArray, request);
    QFETCH(QStringList, failing);
    QFETCH(int, status);

    bool ok = false;
    const HttpHead head = parseHead(Kind::Request, request, ok);
    QVERIFY(ok);
    ServerHandshakeOptions options;
    options.subprotocols = {"chat"};
    const ServerHandshakeResult result = answerClientRequest(head, options);
    QVERIFY(!result.accepted);
    QCOMPARE(result.statusCode, status);
    QCOMPARE(failedChecks(result.checks), failing);
    QVERIFY(result.subprotocol.isEmpty());
    // Every check is made, so the inspector shows all that is wrong, not only the first.
    QCOMPARE(result.checks.size(), kServerCheckNames.size());
    QVERIFY2(result.failureReason.startsWith(failing.first() + QLatin1Char(':')),
        qPrintable(result.failureReason));

    // The answer, read back by the client: a complete HTTP response whose body, as long
    // as Content-Length says, is the reason.
    qsizetype consumed = 0;
    const HttpHead answer = parseHead(Kind::Response, result.response, ok, &consumed);
    QVERIFY2(ok, result.response.constData());
    QCOMPARE(answer.statusCode, status);
    QCOMPARE(answer.reasonPhrase, QByteArray(status == 426 ? "Upgrade Required" : "Bad Request"));
    const QByteArray body = result.response.sliced(consumed);
    QCOMPARE(answer.value("Content-Length"), QByteArray::number(body.size()));
    QCOMPARE(body, result.failureReason.toUtf8() + '\n');
    QVERIFY(!answer.has("Sec-WebSocket-Accept"));
    QVERIFY(answer.listValues("Connection").contains("close"));
    if (status == 426) {
        // RFC 6455 §4.4: the versions the server understands.
        QCOMPARE(answer.values("Sec-WebSocket-Version"), QList<QByteArray> {"13"});
        // RFC 9110 §15.5.22: a 426 MUST carry Upgrade; RFC 9110 §7.8: a sender of Upgrade
        // MUST list "upgrade" in Connection.
        QCOMPARE(answer.value("Upgrade"), QByteArray("websocket"));
        QVERIFY(answer.listValues("Connection").contains("Upgrade"));
    } else {
        QVERIFY(!answer.has("Sec-WebSocket-Version"));
    }

    // And the client that gets it does not open the connection.
    const ClientHandshakeResult client = validateServerResponse(answer, kKey, rfcClientOptions());
    QVERIFY(!client.accepted);
    QVERIFY(failedChecks(client.checks).contains(QStringLiteral("Status")));
    QVERIFY(client.failureReason.contains(QString::number(status)));
}

void TestHandshake::serverAccepts_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("key");

    // RFC 6455 §4.2.1 items 3-4: Upgrade and Connection are ASCII case-insensitive.
    QTest::newRow("Upgrade: WebSocket")
        << replaced(kRfcRequest, "Upgrade: websocket", "Upgrade: WebSocket") << kKey;
    QTest::newRow("Connection: upgrade in lower case")
        << replaced(kRfcRequest, "Connection: Upgrade", "Connection: upgrade") << kKey;
    // Firefox sends this.
    QTest::newRow("Connection: keep-alive, Upgrade")
        << replaced(kRfcRequest, "Connection: Upgrade", "Connection: keep-alive, Upgrade") << kKey;
    QTest::newRow("Connection split over two fields") << replaced(
        kRfcRequest, "Connection: Upgrade", "Connection: keep-alive\r\nConnection: Upgrade")
                                                      << kKey;
    QTest::newRow("field names in lower case") << QByteArray(
        "GET / HTTP/1.1\r\nhost: a\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
        "sec-websocket-key: AAECAwQFBgcICQoLDA0ODw==\r\n"
        "sec-websocket-version: 13\r\n\r\n") << QByteArray("AAECAwQFBgcICQoLDA0ODw==");
    QTest::newRow("the least a client must send") << QByteArray(
        "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n") << QByteArray("x3JJHMbDL1EzLkh9GBhXDw==");
}

void TestHandshake::serverAccepts()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, key);

    bool ok = false;
    const HttpHead head = parseHead(Kind::Request, request, ok);
    QVERIFY(ok);
    const ServerHandshakeResult result = answerClientRequest(head, {});
    QVERIFY2(result.accepted, qPrintable(result.failureReason));
    QCOMPARE(result.statusCode, 101);
    QVERIFY(failedChecks(result.checks).isEmpty());

    // The client that sent `key` accepts the answer (RFC 6455 §4.1), and the answer ends
    // at its empty line: frames may follow at once.
    qsizetype consumed = 0;
    const HttpHead answer = parseHead(Kind::Response, result.response, ok, &consumed);
    QVERIFY(ok);
    QCOMPARE(consumed, result.response.size());
    QCOMPARE(answer.value("Sec-WebSocket-Accept"), computeAcceptKey(key));
    QVERIFY(!answer.has("Sec-WebSocket-Protocol"));
    ClientHandshakeOptions options;
    options.subprotocols = head.listValues("Sec-WebSocket-Protocol");
    const ClientHandshakeResult client = validateServerResponse(answer, key, options);
    QVERIFY2(client.accepted, qPrintable(client.failureReason));
}

void TestHandshake::subprotocolByServerPreference_data()
{
    QTest::addColumn<QByteArray>("offered"); // field lines, each ending in CRLF
    QTest::addColumn<QList<QByteArray>>("supported");
    QTest::addColumn<QByteArray>("chosen");

    const QByteArray chatFirst = "Sec-WebSocket-Protocol: chat, superchat\r\n";
    // RFC 6455 §4.2.2 step 5.4: the server picks one of the client's values, or none.
    QTest::newRow("the server's first choice, though the client listed it second")
        << chatFirst << QList<QByteArray> {"superchat", "chat"} << QByteArray("superchat");
    QTest::newRow("the server's first choice, client order reversed")
        << QByteArray("Sec-WebSocket-Protocol: superchat, chat\r\n")
        << QList<QByteArray> {"chat", "superchat"} << QByteArray("chat");
    QTest::newRow("the only one in common")
        << chatFirst << QList<QByteArray> {"mqtt", "superchat"} << QByteArray("superchat");
    QTest::newRow("offered over two fields")
        << QByteArray("Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Protocol: superchat\r\n")
        << QList<QByteArray> {"superchat"} << QByteArray("superchat");
    QTest::newRow("none in common") << chatFirst << QList<QByteArray> {"mqtt"} << QByteArray();
    QTest::newRow("the server supports none") << chatFirst << QList<QByteArray>() << QByteArray();
    QTest::newRow("the client offers none")
        << QByteArray() << QList<QByteArray> {"chat"} << QByteArray();
}

void TestHandshake::subprotocolByServerPreference()
{
    QFETCH(QByteArray, offered);
    QFETCH(QList<QByteArray>, supported);
    QFETCH(QByteArray, chosen);

    const QByteArray request
        = with(without(kRfcRequest, "Sec-WebSocket-Protocol: chat, superchat"), offered);
    bool ok = false;
    const HttpHead head = parseHead(Kind::Request, request, ok);
    QVERIFY(ok);
    ServerHandshakeOptions options;
    options.subprotocols = supported;
    const ServerHandshakeResult result = answerClientRequest(head, options);
    QVERIFY(result.accepted);
    QCOMPARE(result.subprotocol, chosen);

    const HttpHead answer = parseHead(Kind::Response, result.response, ok);
    QVERIFY(ok);
    // RFC 6455 §4.2.2: no Sec-WebSocket-Protocol field when none was chosen.
    QCOMPARE(answer.values("Sec-WebSocket-Protocol"),
        chosen.isEmpty() ? QList<QByteArray>() : QList<QByteArray> {chosen});
    ClientHandshakeOptions client;
    client.subprotocols = head.listValues("Sec-WebSocket-Protocol");
    const ClientHandshakeResult validated = validateServerResponse(answer, kKey, client);
    QVERIFY2(validated.accepted, qPrintable(validated.failureReason));
    QCOMPARE(validated.subprotocol, chosen);
}

void TestHandshake::extensionNegotiation()
{
    ClientHandshakeOptions client;
    client.host = "h";
    client.extensions
        = offersFrom("permessage-deflate; client_max_window_bits, x-webkit-deflate-frame");
    bool ok = false;
    const HttpHead request = parseHead(Kind::Request, buildClientRequest(client, kKey), ok);
    QVERIFY(ok);

    // RFC 6455 §9.1: the server sees the offers in order and answers with what it uses.
    QList<ExtensionOffer> seen;
    ServerHandshakeOptions server;
    server.negotiateExtensions = [&seen](const QList<ExtensionOffer> &offers) {
        seen = offers;
        ExtensionOffer used;
        used.name = "permessage-deflate";
        used.params.append({"server_no_context_takeover", QByteArray()});
        return QList<ExtensionOffer> {used};
    };
    const ServerHandshakeResult result = answerClientRequest(request, server);
    QVERIFY(result.accepted);
    QCOMPARE(formatExtensionList(seen), formatExtensionList(client.extensions));
    QCOMPARE(formatExtensionList(result.extensions),
        QByteArray("permessage-deflate; server_no_context_takeover"));
    const HttpHead answer = parseHead(Kind::Response, result.response, ok);
    QVERIFY(ok);
    QCOMPARE(answer.values("Sec-WebSocket-Extensions"),
        QList<QByteArray> {"permessage-deflate; server_no_context_takeover"});
    const ClientHandshakeResult validated = validateServerResponse(answer, kKey, client);
    QVERIFY2(validated.accepted, qPrintable(validated.failureReason));
    QCOMPARE(formatExtensionList(validated.extensions),
        QByteArray("permessage-deflate; server_no_context_takeover"));
    const HandshakeCheck *check
        = findCheck(validated.checks, QStringLiteral("Sec-WebSocket-Extensions"));
    QVERIFY(check);
    QVERIFY(check->passed);

    // A server with no negotiator accepts no extension and says nothing about them.
    const ServerHandshakeResult plain = answerClientRequest(request, {});
    QVERIFY(plain.accepted);
    QVERIFY(plain.extensions.isEmpty());
    QVERIFY(!plain.response.contains("Sec-WebSocket-Extensions"));
}

QTEST_GUILESS_MAIN(TestHandshake)
#include "tst_handshake.moc"
