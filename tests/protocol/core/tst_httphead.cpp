// Tests of HttpHeadParser and HttpHead: the HTTP/1.1 head of the WebSocket opening
// handshake (RFC 6455 §4, RFC 9112 §2-§5), read incrementally in both directions
// (requests on the server side, responses on the client side). Any split of the bytes
// gives the same head, nothing after the empty line is consumed, field lines follow
// RFC 9112 §5, and the limits stop a peer as soon as it passes them.

#include "rfc6455vectors.h"
#include "httphead.h"
#include "testbytes.h"

#include <QtTest/QtTest>

using namespace frameline;
using frameline::test::hex;
using frameline::test::toHex;

Q_DECLARE_METATYPE(frameline::HttpHeadParser::Kind)
Q_DECLARE_METATYPE(frameline::HttpHeadParser::Status)
Q_DECLARE_METATYPE(frameline::HttpLimits)

namespace {

using Kind = HttpHeadParser::Kind;
using Status = HttpHeadParser::Status;

using frameline::test::kRfcRequest;
using frameline::test::kRfcResponse;
// RFC 6455 §5.7: an unmasked text frame "Hello", as a server sends it right after its 101.
const QByteArray kHelloFrame = hex("81 05 48 65 6c 6c 6f");

struct Run
{
    Status status = Status::NeedMore;
    HttpHead head;
    qsizetype consumed = 0; // over all chunks
    QString error;
    bool limitExceeded = false;
    qsizetype bytesFedAtEnd = 0; // bytes fed when the status stopped being NeedMore
};

// Feeds the chunks in order, as the I/O layer does, until the head is complete or wrong.
Run parseChunks(Kind kind, const QList<QByteArray> &chunks, HttpLimits limits = {})
{
    Run run;
    HttpHeadParser parser(kind, limits);
    for (const QByteArray &chunk : chunks) {
        qsizetype consumed = -1;
        run.status = parser.feed(chunk, consumed);
        run.consumed += consumed;
        run.bytesFedAtEnd += chunk.size();
        if (run.status != Status::NeedMore)
            break;
    }
    run.head = parser.head();
    run.error = parser.errorString();
    run.limitExceeded = parser.limitExceeded();
    return run;
}

Run parse(Kind kind, const QByteArray &bytes, HttpLimits limits = {})
{
    return parseChunks(kind, {bytes}, limits);
}

QList<QByteArray> bytewise(const QByteArray &bytes)
{
    QList<QByteArray> chunks;
    for (const char c : bytes)
        chunks.append(QByteArray(1, c));
    return chunks;
}

// Everything the parser read, one field per line, so a failed QCOMPARE shows the difference.
QByteArray dump(const HttpHead &head)
{
    QByteArray out = head.method + '|' + head.target + '|' + head.version + '|'
        + QByteArray::number(head.statusCode) + '|' + head.reasonPhrase + '\n';
    for (const HttpHeader &header : head.headers)
        out += '[' + header.name + "]=[" + header.value + "]\n";
    return out + "raw " + toHex(head.raw);
}

QByteArray headerLine(qsizetype length)
{
    // "X: aaa…", `length` bytes without its CRLF.
    return "X: " + QByteArray(length - 3, 'a') + "\r\n";
}

QByteArray requestWithHeaders(int count)
{
    QByteArray out = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < count; ++i)
        out += "H" + QByteArray::number(i) + ": v\r\n";
    return out + "\r\n";
}

HttpLimits makeLimits(int line, int count, int size)
{
    HttpLimits l;
    l.maxLineLength = line;
    l.maxHeaderCount = count;
    l.maxHeadSize = size;
    return l;
}

} // namespace

class TestHttpHead : public QObject
{
    Q_OBJECT

private slots:
    void rfcExampleRequest();
    void rfcExampleResponse();
    void stopsAtTheEmptyLine();
    void statusIsSticky();
    void startLines_data();
    void startLines();
    void fieldLines_data();
    void fieldLines();
    void fieldNamesIgnoreCase();
    void repeatedFieldsAndLists_data();
    void repeatedFieldsAndLists();
    void everySplitParsesAlike_data();
    void everySplitParsesAlike();
    void byteAtATime_data();
    void byteAtATime();
    void limitBoundaries_data();
    void limitBoundaries();
    void limitsDetectedEarly_data();
    void limitsDetectedEarly();
};

void TestHttpHead::rfcExampleRequest()
{
    // RFC 6455 §1.2 / §4.1, read on the server side.
    const Run run = parse(Kind::Request, kRfcRequest);
    QCOMPARE(run.status, Status::Complete);
    QCOMPARE(run.consumed, kRfcRequest.size());
    QCOMPARE(run.head.method, QByteArray("GET"));
    QCOMPARE(run.head.target, QByteArray("/chat"));
    QCOMPARE(run.head.version, QByteArray("HTTP/1.1"));
    QCOMPARE(run.head.statusCode, 0);
    QCOMPARE(run.head.raw, kRfcRequest);
    const QList<QByteArray> names {"Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Origin",
        "Sec-WebSocket-Protocol", "Sec-WebSocket-Version"};
    const QList<QByteArray> values {"server.example.com", "websocket", "Upgrade",
        "dGhlIHNhbXBsZSBub25jZQ==", "http://example.com", "chat, superchat", "13"};
    QCOMPARE(run.head.headers.size(), names.size());
    for (qsizetype i = 0; i < names.size(); ++i) {
        QCOMPARE(run.head.headers[i].name, names[i]);
        QCOMPARE(run.head.headers[i].value, values[i]);
    }
    QCOMPARE(
        run.head.listValues("Sec-WebSocket-Protocol"), (QList<QByteArray> {"chat", "superchat"}));
    QVERIFY(run.error.isEmpty());
    QVERIFY(!run.limitExceeded);
}

void TestHttpHead::rfcExampleResponse()
{
    // RFC 6455 §1.2 / §4.2.2, read on the client side.
    const Run run = parse(Kind::Response, kRfcResponse);
    QCOMPARE(run.status, Status::Complete);
    QCOMPARE(run.consumed, kRfcResponse.size());
    QCOMPARE(run.head.version, QByteArray("HTTP/1.1"));
    QCOMPARE(run.head.statusCode, 101);
    QCOMPARE(run.head.reasonPhrase, QByteArray("Switching Protocols"));
    QVERIFY(run.head.method.isEmpty());
    QCOMPARE(run.head.headers.size(), 4);
    QCOMPARE(run.head.value("Sec-WebSocket-Accept"), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(run.head.value("Sec-WebSocket-Protocol"), QByteArray("chat"));
    QCOMPARE(run.head.raw, kRfcResponse);
}

void TestHttpHead::stopsAtTheEmptyLine()
{
    // A server may send its first frame in the same segment as the 101 (RFC 6455 §4.2.2
    // step 5, then §5): the parser must leave those bytes to the frame decoder.
    const QByteArray chunk = kRfcResponse + kHelloFrame;
    HttpHeadParser parser(Kind::Response);
    qsizetype consumed = -1;
    QCOMPARE(parser.feed(chunk, consumed), Status::Complete);
    QCOMPARE(consumed, kRfcResponse.size());
    QCOMPARE(toHex(QByteArrayView(chunk).sliced(consumed)), toHex(kHelloFrame));
    QCOMPARE(parser.head().raw, kRfcResponse);

    // The same when the head ends in the middle of the second chunk.
    HttpHeadParser split(Kind::Response);
    const qsizetype first = kRfcResponse.size() - 3;
    QCOMPARE(split.feed(QByteArrayView(chunk).first(first), consumed), Status::NeedMore);
    QCOMPARE(consumed, first);
    QCOMPARE(split.feed(QByteArrayView(chunk).sliced(first), consumed), Status::Complete);
    QCOMPARE(consumed, 3);
    QCOMPARE(split.head().raw, kRfcResponse);

    // A CR at the end of a chunk is not yet the empty line: the LF must follow.
    HttpHeadParser cr(Kind::Response);
    QCOMPARE(cr.feed(QByteArrayView(kRfcResponse).chopped(1), consumed), Status::NeedMore);
    QCOMPARE(consumed, kRfcResponse.size() - 1);
}

void TestHttpHead::statusIsSticky()
{
    qsizetype consumed = -1;
    HttpHeadParser done(Kind::Response);
    QCOMPARE(done.feed(kRfcResponse, consumed), Status::Complete);
    // After the head, bytes belong to the frame stream: none are taken.
    QCOMPARE(done.feed(kHelloFrame, consumed), Status::Complete);
    QCOMPARE(consumed, 0);
    QCOMPARE(done.head().raw, kRfcResponse);

    HttpHeadParser failed(Kind::Request);
    QCOMPARE(failed.feed("GET /\r\n", consumed), Status::Error);
    const QString error = failed.errorString();
    QVERIFY(!error.isEmpty());
    QCOMPARE(failed.feed(kRfcRequest, consumed), Status::Error);
    QCOMPARE(consumed, 0);
    QCOMPARE(failed.errorString(), error);

    // An empty chunk changes nothing.
    HttpHeadParser fresh(Kind::Request);
    QCOMPARE(fresh.feed(QByteArrayView(), consumed), Status::NeedMore);
    QCOMPARE(consumed, 0);
    QCOMPARE(fresh.status(), Status::NeedMore);
}

void TestHttpHead::startLines_data()
{
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<Status>("status");
    QTest::addColumn<QByteArray>("first"); // method or version
    QTest::addColumn<QByteArray>("second"); // target or status code
    QTest::addColumn<QByteArray>("third"); // version or reason phrase

    const auto ok = Status::Complete;
    const auto bad = Status::Error;
    // RFC 9112 §3: request-line = method SP request-target SP HTTP-version.
    QTest::newRow("request: origin-form target with a query")
        << Kind::Request << QByteArray("GET /chat?room=1 HTTP/1.1") << ok << QByteArray("GET")
        << QByteArray("/chat?room=1") << QByteArray("HTTP/1.1");
    QTest::newRow("request: other methods are left to the handshake check")
        << Kind::Request << QByteArray("POST / HTTP/1.1") << ok << QByteArray("POST")
        << QByteArray("/") << QByteArray("HTTP/1.1");
    QTest::newRow("request: HTTP/1.0 is parsed, refused later")
        << Kind::Request << QByteArray("GET / HTTP/1.0") << ok << QByteArray("GET")
        << QByteArray("/") << QByteArray("HTTP/1.0");
    QTest::newRow("request: no version") << Kind::Request << QByteArray("GET /") << bad
                                         << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("request: two spaces between method and target")
        << Kind::Request << QByteArray("GET  / HTTP/1.1") << bad << QByteArray() << QByteArray()
        << QByteArray();
    QTest::newRow("request: a fourth word") << Kind::Request << QByteArray("GET / HTTP/1.1 x")
                                            << bad << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("request: method that is not a token")
        << Kind::Request << QByteArray("G(T / HTTP/1.1") << bad << QByteArray() << QByteArray()
        << QByteArray();
    QTest::newRow("request: version that is not HTTP")
        << Kind::Request << QByteArray("GET / SIP/2.0") << bad << QByteArray() << QByteArray()
        << QByteArray();
    QTest::newRow("request: a status line where a request was expected")
        << Kind::Request << QByteArray("HTTP/1.1 101 Switching") << bad << QByteArray()
        << QByteArray() << QByteArray();
    // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ].
    QTest::newRow("response: reason phrase with spaces kept whole")
        << Kind::Response << QByteArray("HTTP/1.1 101 Switching  Protocols") << ok
        << QByteArray("HTTP/1.1") << QByteArray("101") << QByteArray("Switching  Protocols");
    QTest::newRow("response: empty reason phrase")
        << Kind::Response << QByteArray("HTTP/1.1 403 ") << ok << QByteArray("HTTP/1.1")
        << QByteArray("403") << QByteArray();
    QTest::newRow("response: no reason phrase and no space")
        << Kind::Response << QByteArray("HTTP/1.1 200") << ok << QByteArray("HTTP/1.1")
        << QByteArray("200") << QByteArray();
    QTest::newRow("response: two-digit status")
        << Kind::Response << QByteArray("HTTP/1.1 99 Odd") << bad << QByteArray() << QByteArray()
        << QByteArray();
    QTest::newRow("response: four-digit status")
        << Kind::Response << QByteArray("HTTP/1.1 1010 Odd") << bad << QByteArray() << QByteArray()
        << QByteArray();
    QTest::newRow("response: three digits below 100")
        << Kind::Response << QByteArray("HTTP/1.1 099 Odd") << bad << QByteArray() << QByteArray()
        << QByteArray();
    QTest::newRow("response: status that is not a number")
        << Kind::Response << QByteArray("HTTP/1.1 1O1 Switching") << bad << QByteArray()
        << QByteArray() << QByteArray();
    QTest::newRow("response: not HTTP at all")
        << Kind::Response << QByteArray("SSH-2.0-OpenSSH_9.2") << bad << QByteArray()
        << QByteArray() << QByteArray();
    QTest::newRow("response: a request line where a status was expected")
        << Kind::Response << QByteArray("GET / HTTP/1.1") << bad << QByteArray() << QByteArray()
        << QByteArray();
}

void TestHttpHead::startLines()
{
    QFETCH(Kind, kind);
    QFETCH(QByteArray, line);
    QFETCH(Status, status);
    QFETCH(QByteArray, first);
    QFETCH(QByteArray, second);
    QFETCH(QByteArray, third);

    const Run run = parse(kind, line + "\r\nHost: x\r\n\r\n");
    QCOMPARE(run.status, status);
    if (status == Status::Error) {
        QVERIFY(!run.error.isEmpty());
        QVERIFY(!run.limitExceeded);
        return;
    }
    if (kind == Kind::Request) {
        QCOMPARE(run.head.method, first);
        QCOMPARE(run.head.target, second);
        QCOMPARE(run.head.version, third);
    } else {
        QCOMPARE(run.head.version, first);
        QCOMPARE(QByteArray::number(run.head.statusCode), second);
        QCOMPARE(run.head.reasonPhrase, third);
    }
    QCOMPARE(run.head.value("Host"), QByteArray("x"));
}

void TestHttpHead::fieldLines_data()
{
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<Status>("status");
    QTest::addColumn<QByteArray>("name"); // a field to look up when Complete
    QTest::addColumn<QByteArray>("value");

    const QByteArray get = "GET / HTTP/1.1\r\n";
    const QByteArray ok101 = "HTTP/1.1 101 Switching Protocols\r\n";
    const auto done = Status::Complete;
    const auto bad = Status::Error;

    // RFC 9112 §5: field-line = field-name ":" OWS field-value OWS.
    QTest::newRow("request: leading and trailing whitespace of the value dropped")
        << Kind::Request << QByteArray(get + "Host: \t server.example.com \t\r\n\r\n") << done
        << QByteArray("Host") << QByteArray("server.example.com");
    QTest::newRow("request: whitespace inside the value kept")
        << Kind::Request << QByteArray(get + "User-Agent: a  b\tc\r\n\r\n") << done
        << QByteArray("User-Agent") << QByteArray("a  b\tc");
    QTest::newRow("request: no whitespace after the colon")
        << Kind::Request << QByteArray(get + "Host:example.com\r\n\r\n") << done
        << QByteArray("Host") << QByteArray("example.com");
    QTest::newRow("request: empty value is present and empty")
        << Kind::Request << QByteArray(get + "X-Empty:\r\n\r\n") << done << QByteArray("X-Empty")
        << QByteArray("");
    QTest::newRow("request: a colon inside the value")
        << Kind::Request << QByteArray(get + "Origin: http://example.com:8080\r\n\r\n") << done
        << QByteArray("Origin") << QByteArray("http://example.com:8080");
    // RFC 9110 §5.5: obs-text (bytes 0x80-0xFF) may appear in values.
    QTest::newRow("request: obs-text in a value")
        << Kind::Request << QByteArray(get + "X-Name: caf\xe9\r\n\r\n") << done
        << QByteArray("X-Name") << QByteArray("caf\xe9");
    // RFC 9112 §2.2: a recipient MAY recognise a bare LF as a line terminator.
    QTest::newRow("response: bare LF line ends throughout")
        << Kind::Response << QByteArray("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n\n")
        << done << QByteArray("Upgrade") << QByteArray("websocket");
    QTest::newRow("response: CRLF and bare LF mixed")
        << Kind::Response << QByteArray(ok101 + "Upgrade: websocket\n\r\n") << done
        << QByteArray("Upgrade") << QByteArray("websocket");
    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
    QTest::newRow("request: an empty line before the request line is ignored")
        << Kind::Request << QByteArray("\r\n" + get + "Host: a\r\n\r\n") << done
        << QByteArray("Host") << QByteArray("a");
    // RFC 9112 §2.2: a bare CR is invalid (or replaced by SP); it is not a line end.
    QTest::newRow("request: bare CR inside a value")
        << Kind::Request << QByteArray(get + "Host: a\rb\r\n\r\n") << bad << QByteArray()
        << QByteArray();
    // RFC 9110 §5.5: CR, LF and NUL in a value are invalid and dangerous.
    QTest::newRow("request: NUL inside a value")
        << Kind::Request << QByteArray(get + "Host: a" + QByteArray(1, '\0') + "b\r\n\r\n") << bad
        << QByteArray() << QByteArray();
    QTest::newRow("response: DEL inside a value")
        << Kind::Response << QByteArray(ok101 + "Upgrade: web\x7fsocket\r\n\r\n") << bad
        << QByteArray() << QByteArray();
    // RFC 9112 §5.1: no whitespace between the field name and the colon; a server MUST
    // reject such a request with 400 (WebSocketProtocol answers every Error with 400).
    QTest::newRow("request: space between the name and the colon")
        << Kind::Request << QByteArray(get + "Host : a\r\n\r\n") << bad << QByteArray()
        << QByteArray();
    QTest::newRow("request: tab between the name and the colon")
        << Kind::Request << QByteArray(get + "Host\t: a\r\n\r\n") << bad << QByteArray()
        << QByteArray();
    QTest::newRow("response: space between the name and the colon")
        << Kind::Response << QByteArray(ok101 + "Upgrade : websocket\r\n\r\n") << bad
        << QByteArray() << QByteArray();
    QTest::newRow("request: a line without a colon")
        << Kind::Request << QByteArray(get + "Host a\r\n\r\n") << bad << QByteArray()
        << QByteArray();
    QTest::newRow("request: a line with an empty name")
        << Kind::Request << QByteArray(get + ": a\r\n\r\n") << bad << QByteArray() << QByteArray();
    QTest::newRow("request: a name that is not a token")
        << Kind::Request << QByteArray(get + "X(1): a\r\n\r\n") << bad << QByteArray()
        << QByteArray();
    // RFC 9112 §5.2: a server MUST either reject obs-fold with 400 or replace it by SP;
    // this one rejects it.
    QTest::newRow("request: obsolete line folding is rejected")
        << Kind::Request << QByteArray(get + "X-Long: a\r\n b\r\nHost: h\r\n\r\n") << bad
        << QByteArray() << QByteArray();
    // RFC 9112 §5.2: a user agent MUST replace each obs-fold in a response by SP before
    // interpreting the value; it may not refuse the response for it.
    QTest::newRow("response: obsolete line folding becomes one space")
        << Kind::Response << QByteArray(ok101 + "X-Long: a \r\n \t b\r\nUpgrade: websocket\r\n\r\n")
        << done << QByteArray("X-Long") << QByteArray("a b");
    QTest::newRow("response: folded over three lines")
        << Kind::Response << QByteArray(ok101 + "X-Long: a\r\n\tb\r\n c\r\n\r\n") << done
        << QByteArray("X-Long") << QByteArray("a b c");
    // RFC 9112 §2.2: whitespace between the start line and the first field line MUST be
    // rejected or the line ignored; there is no field for it to continue.
    QTest::newRow("request: whitespace-led line right after the start line")
        << Kind::Request << QByteArray(get + " Host: a\r\n\r\n") << bad << QByteArray()
        << QByteArray();
    QTest::newRow("response: whitespace-led line right after the start line")
        << Kind::Response << QByteArray(ok101 + " Upgrade: websocket\r\n\r\n") << bad
        << QByteArray() << QByteArray();
}

void TestHttpHead::fieldLines()
{
    QFETCH(Kind, kind);
    QFETCH(QByteArray, head);
    QFETCH(Status, status);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);

    const Run run = parse(kind, head);
    QVERIFY2(run.status == status, qPrintable(run.error));
    if (status == Status::Error) {
        QVERIFY(!run.error.isEmpty());
        QVERIFY(!run.limitExceeded);
        return;
    }
    QCOMPARE(run.consumed, head.size());
    QVERIFY(run.head.has(name));
    QCOMPARE(run.head.value(name), value);
    QVERIFY(!run.head.value(name).isNull());
}

void TestHttpHead::fieldNamesIgnoreCase()
{
    // RFC 9110 §5.1: field names are case-insensitive.
    const Run run = parse(Kind::Response,
        "HTTP/1.1 101 Switching Protocols\r\nUPGRADE: websocket\r\nsec-websocket-accept: "
        "k\r\n\r\n");
    QCOMPARE(run.status, Status::Complete);
    for (const char *name : {"Upgrade", "upgrade", "UPGRADE", "uPgRaDe"}) {
        QVERIFY2(run.head.has(name), name);
        QCOMPARE(run.head.value(name), QByteArray("websocket"));
        QCOMPARE(run.head.values(name), QList<QByteArray> {"websocket"});
    }
    QCOMPARE(run.head.value("Sec-WebSocket-Accept"), QByteArray("k"));
    // The name is kept as sent, for the inspector to show.
    QCOMPARE(run.head.headers.first().name, QByteArray("UPGRADE"));
    QCOMPARE(run.head.headers.last().name, QByteArray("sec-websocket-accept"));
    // Absent fields are a null value, unlike a present empty one.
    QVERIFY(!run.head.has("Connection"));
    QVERIFY(run.head.value("Connection").isNull());
    QVERIFY(run.head.values("Connection").isEmpty());
    QVERIFY(run.head.listValues("Connection").isEmpty());
    // A prefix of a name is not the name.
    QVERIFY(!run.head.has("Upgrad"));
    QVERIFY(!run.head.has("Upgrade2"));
}

void TestHttpHead::repeatedFieldsAndLists_data()
{
    QTest::addColumn<QByteArray>("fields");
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<QList<QByteArray>>("values");
    QTest::addColumn<QList<QByteArray>>("list");

    // RFC 9110 §5.3: repeated list fields combine in order, as if joined by commas;
    // RFC 9110 §5.6.1.2: empty list elements are ignored.
    QTest::newRow("one field, one element")
        << QByteArray("Connection: Upgrade\r\n") << QByteArray("Upgrade")
        << QList<QByteArray> {"Upgrade"} << QList<QByteArray> {"Upgrade"};
    QTest::newRow("one field, a list with spaces around the commas")
        << QByteArray("Connection: keep-alive ,Upgrade\r\n") << QByteArray("keep-alive ,Upgrade")
        << QList<QByteArray> {"keep-alive ,Upgrade"} << QList<QByteArray> {"keep-alive", "Upgrade"};
    QTest::newRow("two fields, in order")
        << QByteArray("Connection: keep-alive\r\nX: y\r\nconnection: Upgrade\r\n")
        << QByteArray("keep-alive") << QList<QByteArray> {"keep-alive", "Upgrade"}
        << QList<QByteArray> {"keep-alive", "Upgrade"};
    QTest::newRow("empty elements and an empty field dropped")
        << QByteArray("Connection: , keep-alive,,\t,Upgrade,\r\nConnection:\r\n")
        << QByteArray(", keep-alive,,\t,Upgrade,")
        << QList<QByteArray> {", keep-alive,,\t,Upgrade,", ""}
        << QList<QByteArray> {"keep-alive", "Upgrade"};
}

void TestHttpHead::repeatedFieldsAndLists()
{
    QFETCH(QByteArray, fields);
    QFETCH(QByteArray, first);
    QFETCH(QList<QByteArray>, values);
    QFETCH(QList<QByteArray>, list);

    const Run run = parse(Kind::Request, "GET / HTTP/1.1\r\n" + fields + "\r\n");
    QCOMPARE(run.status, Status::Complete);
    QCOMPARE(run.head.value("Connection"), first);
    QCOMPARE(run.head.values("Connection"), values);
    QCOMPARE(run.head.listValues("Connection"), list);
}

void TestHttpHead::everySplitParsesAlike_data()
{
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QByteArray>("bytes"); // the head, and whatever follows it
    QTest::addColumn<HttpLimits>("limits");
    QTest::addColumn<Status>("status");
    QTest::addColumn<bool>("limitExceeded");

    const HttpLimits defaults;
    const QByteArray get = "GET / HTTP/1.1\r\n";
    QTest::newRow("RFC 6455 §1.2 request")
        << Kind::Request << kRfcRequest << defaults << Status::Complete << false;
    QTest::newRow("RFC 6455 §1.2 response, then a text frame")
        << Kind::Response << QByteArray(kRfcResponse + kHelloFrame) << defaults << Status::Complete
        << false;
    QTest::newRow("403 with a body that is not read")
        << Kind::Response
        << QByteArray("HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nForbidden") << defaults
        << Status::Complete << false;
    QTest::newRow("bare LF line ends")
        << Kind::Response << QByteArray("HTTP/1.1 101 OK\nUpgrade: websocket\n\n" + kHelloFrame)
        << defaults << Status::Complete << false;
    QTest::newRow("empty line before the request line")
        << Kind::Request << QByteArray("\r\n" + kRfcRequest) << defaults << Status::Complete
        << false;
    QTest::newRow("response with obsolete line folding")
        << Kind::Response << QByteArray("HTTP/1.1 101 OK\r\nX: a\r\n b\r\n\r\n" + kHelloFrame)
        << defaults << Status::Complete << false;
    QTest::newRow("space before a colon") << Kind::Request << QByteArray(get + "Host : a\r\n\r\n")
                                          << defaults << Status::Error << false;
    // A CR that ends one chunk must not count towards the line length: the line is
    // exactly at the limit however the CRLF is split.
    QTest::newRow("a field line exactly at the line limit")
        << Kind::Request << QByteArray(get + headerLine(20) + "\r\n") << makeLimits(20, 100, 1000)
        << Status::Complete << false;
    QTest::newRow("a field line one byte over the line limit")
        << Kind::Request << QByteArray(get + headerLine(21) + "\r\n") << makeLimits(20, 100, 1000)
        << Status::Error << true;
    QTest::newRow("exactly the most header fields allowed")
        << Kind::Request << requestWithHeaders(5) << makeLimits(100, 5, 1000) << Status::Complete
        << false;
    QTest::newRow("one header field too many") << Kind::Request << requestWithHeaders(6)
                                               << makeLimits(100, 5, 1000) << Status::Error << true;
    QTest::newRow("a head exactly at the size limit")
        << Kind::Request << requestWithHeaders(3)
        << makeLimits(100, 100, int(requestWithHeaders(3).size())) << Status::Complete << false;
    QTest::newRow("a head one byte over the size limit")
        << Kind::Request << requestWithHeaders(3)
        << makeLimits(100, 100, int(requestWithHeaders(3).size()) - 1) << Status::Error << true;
}

void TestHttpHead::everySplitParsesAlike()
{
    QFETCH(Kind, kind);
    QFETCH(QByteArray, bytes);
    QFETCH(HttpLimits, limits);
    QFETCH(Status, status);
    QFETCH(bool, limitExceeded);

    const Run whole = parse(kind, bytes, limits);
    QVERIFY2(whole.status == status, qPrintable(whole.error));
    QCOMPARE(whole.limitExceeded, limitExceeded);
    for (qsizetype split = 0; split <= bytes.size(); ++split) {
        const Run run = parseChunks(kind, {bytes.first(split), bytes.sliced(split)}, limits);
        const QByteArray where = "split at " + QByteArray::number(split);
        QVERIFY2(run.status == whole.status, (where + ": " + run.error.toUtf8()).constData());
        QVERIFY2(run.limitExceeded == whole.limitExceeded, where.constData());
        if (status == Status::Complete) {
            QVERIFY2(dump(run.head) == dump(whole.head), where.constData());
            QVERIFY2(run.consumed == whole.consumed, where.constData());
        }
    }
}

void TestHttpHead::byteAtATime_data()
{
    everySplitParsesAlike_data();
}

void TestHttpHead::byteAtATime()
{
    QFETCH(Kind, kind);
    QFETCH(QByteArray, bytes);
    QFETCH(HttpLimits, limits);
    QFETCH(Status, status);
    QFETCH(bool, limitExceeded);

    const Run whole = parse(kind, bytes, limits);
    const Run run = parseChunks(kind, bytewise(bytes), limits);
    QVERIFY2(run.status == status, qPrintable(run.error));
    QCOMPARE(run.limitExceeded, limitExceeded);
    if (status == Status::Complete) {
        QCOMPARE(dump(run.head), dump(whole.head));
        QCOMPARE(run.consumed, whole.consumed);
        // The last byte fed is the LF of the empty line: nothing after it was offered.
        QCOMPARE(run.bytesFedAtEnd, whole.consumed);
    }
}

void TestHttpHead::limitBoundaries_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<HttpLimits>("limits");
    QTest::addColumn<Status>("status");
    QTest::addColumn<QString>("mentions"); // in the error sentence

    const QByteArray get = "GET / HTTP/1.1\r\n"; // 14 bytes without its CRLF
    QTest::newRow("request line exactly at the line limit")
        << QByteArray(get + "\r\n") << makeLimits(14, 100, 1000) << Status::Complete << QString();
    QTest::newRow("request line one byte over the line limit")
        << QByteArray(get + "\r\n") << makeLimits(13, 100, 1000) << Status::Error
        << QStringLiteral("Line 1 ");
    QTest::newRow("second field line one byte over the line limit")
        << QByteArray(get + "A: 1\r\n" + headerLine(31) + "\r\n") << makeLimits(30, 100, 1000)
        << Status::Error << QStringLiteral("Line 3 ");
    QTest::newRow("no header fields allowed, one sent")
        << QByteArray(get + "A: 1\r\n\r\n") << makeLimits(100, 0, 1000) << Status::Error
        << QStringLiteral("0");
    QTest::newRow("a head over the size limit by its final empty line") << QByteArray(
        get + "\r\n") << makeLimits(100, 100, 17) << Status::Error << QStringLiteral("17");
}

void TestHttpHead::limitBoundaries()
{
    QFETCH(QByteArray, bytes);
    QFETCH(HttpLimits, limits);
    QFETCH(Status, status);
    QFETCH(QString, mentions);

    const Run run = parse(Kind::Request, bytes, limits);
    QCOMPARE(run.status, status);
    QCOMPARE(run.limitExceeded, status == Status::Error);
    if (status == Status::Error) {
        QVERIFY2(run.error.contains(mentions), qPrintable(run.error));
    }
}

void TestHttpHead::limitsDetectedEarly_data()
{
    QTest::addColumn<QByteArray>("bytes"); // a head that never ends within the limit
    QTest::addColumn<HttpLimits>("limits");
    QTest::addColumn<qsizetype>("errorAfter"); // bytes fed when the Error comes
    QTest::addColumn<QString>("mentions");

    const QByteArray get = "GET / HTTP/1.1\r\n"; // 16 bytes
    QByteArray endless(4096, 'a');
    QTest::newRow("request line with no end, over a 16-byte line limit")
        << QByteArray("GET /" + endless) << makeLimits(16, 100, 100000) << qsizetype(17)
        << QStringLiteral("16");
    QTest::newRow("field line with no end, over a 20-byte line limit")
        << QByteArray(get + "X: " + endless) << makeLimits(20, 100, 100000) << qsizetype(16 + 21)
        << QStringLiteral("Line 2 ");
    QByteArray manyFields = get;
    for (int i = 0; i < 200; ++i)
        manyFields += "A: 1\r\n";
    QTest::newRow("endless 6-byte field lines, over a 3-field limit")
        << manyFields << makeLimits(100, 3, 100000) << qsizetype(16 + 4 * 6) << QStringLiteral("3");
    QTest::newRow("endless 6-byte field lines, over a 64-byte head limit")
        << manyFields << makeLimits(100, 100, 64) << qsizetype(65) << QStringLiteral("64");
    // RFC 9112 §2.2 lets empty lines before the start line be ignored, not be endless.
    QByteArray emptyLines;
    for (int i = 0; i < 1000; ++i)
        emptyLines += "\r\n";
    QTest::newRow("endless empty lines before the start line, over a 64-byte head limit")
        << emptyLines << makeLimits(100, 100, 64) << qsizetype(65) << QStringLiteral("64");
}

void TestHttpHead::limitsDetectedEarly()
{
    QFETCH(QByteArray, bytes);
    QFETCH(HttpLimits, limits);
    QFETCH(qsizetype, errorAfter);
    QFETCH(QString, mentions);

    // Byte by byte: the Error comes with the first byte past the limit, long before any
    // end of the head, so a peer cannot make the parser hold more than the limit.
    const Run slow = parseChunks(Kind::Request, bytewise(bytes), limits);
    QCOMPARE(slow.status, Status::Error);
    QVERIFY(slow.limitExceeded);
    QCOMPARE(slow.bytesFedAtEnd, errorAfter);
    QVERIFY2(slow.error.contains(mentions), qPrintable(slow.error));

    // In 1 KiB chunks: the first chunk that passes the limit is the last one read.
    QList<QByteArray> chunks;
    for (qsizetype at = 0; at < bytes.size(); at += 1024)
        chunks.append(bytes.mid(at, 1024));
    const Run fast = parseChunks(Kind::Request, chunks, limits);
    QCOMPARE(fast.status, Status::Error);
    QVERIFY(fast.limitExceeded);
    QCOMPARE(fast.bytesFedAtEnd, (errorAfter + 1023) / 1024 * 1024);
    QCOMPARE(fast.error, slow.error);
}

QTEST_GUILESS_MAIN(TestHttpHead)
#include "tst_httphead.moc"
