// HAR 1.2: a live session written with Chrome's `_webSocketMessages`, every required
// field checked; written then read back, the messages come back byte for byte; a HAR
// saved by Chrome read in (the handshake rebuilt, nothing invented); broken files
// refused with a reason.

#include "connection.h"
#include "har.h"
#include "server.h"

#include <QtCore/QBuffer>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QtTest>

using namespace frameline;

namespace {

/// A live session: our client against our server, text (Korean too), binary, a
/// fragmented message, a ping, a close.
std::unique_ptr<Connection> liveSession(Server &server)
{
    ConnectionOptions options;
    options.url = server.url();
    options.url.setQuery(QStringLiteral("room=7&who=%EB%82%98"));
    auto client = std::make_unique<Connection>(options);
    Connection *c = client.get();
    QObject::connect(c, &Channel::opened, c, [c] {
        c->sendText("hello");
        c->sendText(QByteArray("안녕하세요 | {\"n\": 1}"));
        c->sendBinary(QByteArray::fromHex("000102fdfeff"));
        c->sendFragmented(Opcode::Text, "one message, three frames", 9);
        c->sendPing("p");
    });
    int echoes = 0;
    QObject::connect(c, &Channel::messageReceived, c, [c, echoes](quint8, const QByteArray &) mutable {
        if (++echoes == 4)
            c->sendClose(1000, "done");
    });
    QSignalSpy finished(c, &Channel::finished);
    c->open();
    if (!finished.wait(15000))
        return nullptr;
    return client;
}

QJsonObject writeToJson(const Session &session)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    if (!writeHar(session, buffer, &error))
        return {};
    return QJsonDocument::fromJson(buffer.data()).object();
}

struct MessageRecord
{
    Direction direction;
    std::uint8_t opcode;
    QByteArray payload;
    std::int64_t timeNs;
};

QList<MessageRecord> messagesOf(const Session &session)
{
    QList<MessageRecord> out;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind != EventKind::Message)
            continue;
        const auto &m = std::get<MessageDetail>(session.detail(i));
        out.append({session.event(i).direction, m.opcode, session.messagePayload(i), session.event(i).timeNs});
    }
    return out;
}

int countKind(const Session &session, EventKind kind)
{
    int n = 0;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i)
        n += session.event(i).kind == kind ? 1 : 0;
    return n;
}

HarImportResult importBytes(const QByteArray &bytes, Session &out)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    return importHar(buffer, out);
}

} // namespace

class TestHar : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyRequiredField();
    void chromeMessageShape();
    void roundTripKeepsEveryMessage();
    void chromeHarIsRead();
    void brokenFilesAreRefused_data();
    void brokenFilesAreRefused();
    void unreadableMessagesAreNotedNotInvented();

private:
    std::unique_ptr<Server> m_server;
    std::unique_ptr<Connection> m_live;
};

void TestHar::initTestCase()
{
    m_server = std::make_unique<Server>(ServerOptions {});
    QVERIFY(m_server->listen());
    m_live = liveSession(*m_server);
    QVERIFY(m_live);
    QCOMPARE(messagesOf(m_live->session()).size(), 8);
}

void TestHar::everyRequiredField()
{
    const QJsonObject har = writeToJson(m_live->session());
    const QJsonObject log = har.value(QStringLiteral("log")).toObject();
    QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
    QCOMPARE(log.value(QStringLiteral("creator")).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("Frameline"));
    QVERIFY(log.value(QStringLiteral("creator")).toObject().value(QStringLiteral("version")).isString());
    const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 1);
    const QJsonObject entry = entries.first().toObject();
    // HAR 1.2: entry fields and their types.
    QVERIFY(QDateTime::fromString(entry.value(QStringLiteral("startedDateTime")).toString(), Qt::ISODateWithMs).isValid());
    QVERIFY(entry.value(QStringLiteral("time")).isDouble());
    QVERIFY(entry.value(QStringLiteral("time")).toDouble() >= 0);
    QVERIFY(entry.value(QStringLiteral("cache")).isObject());
    const QJsonObject request = entry.value(QStringLiteral("request")).toObject();
    for (const char *key : {"method", "url", "httpVersion"})
        QVERIFY2(request.value(QLatin1String(key)).isString(), key);
    for (const char *key : {"headers", "queryString", "cookies"})
        QVERIFY2(request.value(QLatin1String(key)).isArray(), key);
    for (const char *key : {"headersSize", "bodySize"})
        QVERIFY2(request.value(QLatin1String(key)).isDouble(), key);
    QCOMPARE(request.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
    QVERIFY(request.value(QStringLiteral("url")).toString().startsWith(QLatin1String("ws://127.0.0.1:")));
    // The query, decoded.
    const QJsonArray query = request.value(QStringLiteral("queryString")).toArray();
    QCOMPARE(query.size(), 2);
    QCOMPARE(query.at(1).toObject().value(QStringLiteral("value")).toString(), QStringLiteral("나"));
    bool keySeen = false;
    for (const QJsonValue &header : request.value(QStringLiteral("headers")).toArray())
        keySeen |= header.toObject().value(QStringLiteral("name")).toString() == QLatin1String("Sec-WebSocket-Key");
    QVERIFY(keySeen);
    // The request head's size is the bytes on the wire.
    QVERIFY(request.value(QStringLiteral("headersSize")).toInt() > 100);

    const QJsonObject response = entry.value(QStringLiteral("response")).toObject();
    QCOMPARE(response.value(QStringLiteral("status")).toInt(), 101);
    QCOMPARE(response.value(QStringLiteral("statusText")).toString(), QStringLiteral("Switching Protocols"));
    for (const char *key : {"httpVersion", "redirectURL"})
        QVERIFY2(response.value(QLatin1String(key)).isString(), key);
    for (const char *key : {"headers", "cookies"})
        QVERIFY2(response.value(QLatin1String(key)).isArray(), key);
    const QJsonObject content = response.value(QStringLiteral("content")).toObject();
    QVERIFY(content.value(QStringLiteral("size")).isDouble());
    QVERIFY(content.value(QStringLiteral("mimeType")).isString());

    const QJsonObject timings = entry.value(QStringLiteral("timings")).toObject();
    for (const char *key : {"send", "wait", "receive"}) {
        QVERIFY2(timings.value(QLatin1String(key)).isDouble(), key);
        QVERIFY2(timings.value(QLatin1String(key)).toDouble() >= 0, key);
    }
    for (const char *key : {"blocked", "dns", "connect", "ssl"}) {
        QVERIFY2(timings.value(QLatin1String(key)).isDouble(), key);
        QVERIFY2(timings.value(QLatin1String(key)).toDouble() >= -1, key);
    }
    QVERIFY(timings.value(QStringLiteral("connect")).toDouble() >= 0); // known for a live session
    QCOMPARE(entry.value(QStringLiteral("serverIPAddress")).toString(), QStringLiteral("127.0.0.1"));
}

void TestHar::chromeMessageShape()
{
    const QJsonObject entry = writeToJson(m_live->session())
                                  .value(QStringLiteral("log")).toObject()
                                  .value(QStringLiteral("entries")).toArray().first().toObject();
    QCOMPARE(entry.value(QStringLiteral("_resourceType")).toString(), QStringLiteral("websocket"));
    const QJsonArray messages = entry.value(QStringLiteral("_webSocketMessages")).toArray();
    QCOMPARE(messages.size(), 8);
    const QDateTime started = m_live->session().info().startedAt;
    double previous = 0;
    for (const QJsonValue &value : messages) {
        const QJsonObject m = value.toObject();
        QCOMPARE(m.keys(), (QStringList {QStringLiteral("data"), QStringLiteral("opcode"), QStringLiteral("time"),
                                         QStringLiteral("type")}));
        QVERIFY(m.value(QStringLiteral("type")).toString() == QLatin1String("send")
                || m.value(QStringLiteral("type")).toString() == QLatin1String("receive"));
        // Seconds since the epoch, after the session started, in order.
        const double time = m.value(QStringLiteral("time")).toDouble();
        QVERIFY(time >= double(started.toMSecsSinceEpoch()) / 1e3 - 0.001);
        QVERIFY(time >= previous);
        previous = time;
    }
    // Text as text, binary as base64 (opcode 2), as Chrome writes them.
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("data")).toString(), QStringLiteral("hello"));
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("opcode")).toInt(), 1);
    const QJsonObject binary = messages.at(2).toObject();
    QCOMPARE(binary.value(QStringLiteral("opcode")).toInt(), 2);
    QCOMPARE(binary.value(QStringLiteral("data")).toString(), QStringLiteral("AAEC/f7/"));
    // The fragmented message is one message, whole.
    QCOMPARE(messages.at(3).toObject().value(QStringLiteral("data")).toString(), QStringLiteral("one message, three frames"));
}

void TestHar::roundTripKeepsEveryMessage()
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(writeHar(m_live->session(), buffer));
    Session back;
    buffer.close();
    buffer.open(QIODevice::ReadOnly);
    const HarImportResult result = importHar(buffer, back);
    QVERIFY2(result.ok, qPrintable(result.message));
    QCOMPARE(result.messages, 8);
    const QList<MessageRecord> before = messagesOf(m_live->session());
    const QList<MessageRecord> after = messagesOf(back);
    QCOMPARE(after.size(), before.size());
    const std::int64_t startShiftNs
        = (back.info().startedAt.toMSecsSinceEpoch() - m_live->session().info().startedAt.toMSecsSinceEpoch()) * 1'000'000;
    for (qsizetype i = 0; i < before.size(); ++i) {
        QCOMPARE(after[i].direction, before[i].direction);
        QCOMPARE(after[i].opcode, before[i].opcode);
        QCOMPARE(after[i].payload, before[i].payload);
        // HAR keeps times to the millisecond or better.
        QVERIFY2(std::abs(after[i].timeNs + startShiftNs - before[i].timeNs) < 2'000'000,
                 qPrintable(QString::number(after[i].timeNs + startShiftNs - before[i].timeNs)));
    }
    QCOMPARE(back.info().url, m_live->session().info().url);
    // What a HAR does not hold is not made up.
    QCOMPARE(countKind(back, EventKind::Frame), 0);
    QCOMPARE(countKind(back, EventKind::TcpState), 0);
    QCOMPARE(countKind(back, EventKind::TcpConnected), 0);
}

void TestHar::chromeHarIsRead()
{
    QFile file(QStringLiteral(FRAMELINE_TEST_SOURCE_DIR "/tests/protocol/export/data/chrome-websocket.har"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    Session session;
    const HarImportResult result = importHar(file, session);
    QVERIFY2(result.ok, qPrintable(result.message));
    QCOMPARE(result.messages, 6);
    QCOMPARE(result.entriesSkipped, 0);
    // The WebSocket entry, not the page before it.
    QCOMPARE(session.info().url, QStringLiteral("ws://127.0.0.1:8080/chat?room=7"));
    QCOMPARE(session.info().startedAt, QDateTime(QDate(2026, 3, 14), QTime(9, 26, 53, 640), Qt::UTC));
    QVERIFY(session.info().origin.contains(QLatin1String("WebInspector")));

    // The opening handshake, rebuilt as HTTP/1.1 heads from the header lists.
    std::optional<std::uint32_t> request;
    std::optional<std::uint32_t> response;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind == EventKind::HandshakeRequest)
            request = i;
        if (session.event(i).kind == EventKind::HandshakeResponse)
            response = i;
    }
    QVERIFY(request && response);
    const QByteArray requestBytes = session.bytes(*request).toByteArray();
    QVERIFY2(requestBytes.startsWith("GET /chat?room=7 HTTP/1.1\r\n"), requestBytes.constData());
    QVERIFY(requestBytes.contains("\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
    QVERIFY(requestBytes.endsWith("\r\n\r\n"));
    QVERIFY(session.bytes(*response).startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    const auto &detail = std::get<HandshakeDetail>(session.detail(*response));
    QVERIFY(detail.accepted);
    QCOMPARE(detail.head.value("Sec-WebSocket-Accept"), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    // The response arrived send + wait after the request.
    QCOMPARE(session.event(*response).timeNs, std::int64_t(2.3 * 1e6));

    const QList<MessageRecord> messages = messagesOf(session);
    QCOMPARE(messages.size(), 6);
    QCOMPARE(messages[0].direction, Direction::ClientToServer);
    QCOMPARE(messages[1].direction, Direction::ServerToClient);
    QCOMPARE(messages[0].payload, QByteArray("hello"));
    QCOMPARE(messages[2].opcode, std::uint8_t(2));
    QCOMPARE(messages[2].payload, QByteArray::fromHex("00010203fdfeff"));
    QCOMPARE(messages[4].payload, QByteArray("안녕하세요 | {\"n\": 1}"));
    // 1773480413.6512 s is 11.2 ms after the entry started.
    QVERIFY(std::abs(messages[0].timeNs - 11'200'000) < 1000);
    // Nothing a HAR lacks is invented, and the timeline says so.
    QCOMPARE(countKind(session, EventKind::Frame), 0);
    QCOMPARE(countKind(session, EventKind::Close), 0);
    QVERIFY(countKind(session, EventKind::Note) >= 1);
    const auto &note = std::get<NoteDetail>(session.detail(0));
    QVERIFY(note.text.contains(QLatin1String("unknown")));
}

void TestHar::brokenFilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("says");
    QTest::newRow("empty") << QByteArray() << "JSON";
    QTest::newRow("not JSON") << QByteArray("GET / HTTP/1.1\r\n") << "JSON";
    QTest::newRow("truncated") << QByteArray("{\"log\": {\"version\": \"1.2\", \"entries\": [{\"request\"") << "JSON";
    QTest::newRow("a JSON array") << QByteArray("[1, 2, 3]") << "log";
    QTest::newRow("no entries") << QByteArray("{\"log\": {\"version\": \"1.2\"}}") << "entries";
    QTest::newRow("no WebSocket entry")
        << QByteArray("{\"log\": {\"entries\": [{\"request\": {\"url\": \"http://x/\"}, \"response\": {\"status\": 200}}]}}")
        << "WebSocket";
    QTest::newRow("no start time")
        << QByteArray("{\"log\": {\"entries\": [{\"_resourceType\": \"websocket\", \"request\": {\"url\": \"ws://x/\"}}]}}")
        << "startedDateTime";
}

void TestHar::brokenFilesAreRefused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, says);
    Session session;
    const HarImportResult result = importBytes(bytes, session);
    QVERIFY(!result.ok);
    QVERIFY2(result.message.contains(says), qPrintable(result.message));
}

void TestHar::unreadableMessagesAreNotedNotInvented()
{
    const QByteArray har = R"({"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "133.0"},
        "entries": [{"startedDateTime": "2026-01-02T03:04:05.678Z", "_resourceType": "websocket",
          "request": {"method": "GET", "url": "https://example.test/socket", "headers": []},
          "response": {"status": 101, "statusText": "Switching Protocols", "headers": []},
          "timings": {"send": 0, "wait": 1, "receive": 0},
          "_webSocketMessages": [
            {"type": "send", "time": 1767323045.700, "opcode": 1, "data": "ok"},
            {"type": "receive", "time": 1767323045.701, "opcode": 2, "data": "not base64 !!"},
            {"type": "receive", "time": 1767323045.702, "opcode": 9, "data": ""},
            {"type": "sideways", "time": 1767323045.703, "opcode": 1, "data": "?"},
            {"type": "receive", "time": 1767323045.704, "opcode": 1}
          ]}]}})";
    Session session;
    const HarImportResult result = importBytes(har, session);
    QVERIFY2(result.ok, qPrintable(result.message));
    QCOMPARE(result.messages, 1);
    QCOMPARE(result.entriesSkipped, 4);
    QVERIFY(result.message.contains(QLatin1String("4")));
    // An https:// upgrade URL is the wss:// connection.
    QCOMPARE(session.info().url, QStringLiteral("wss://example.test/socket"));
    int notes = 0;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i)
        notes += session.event(i).kind == EventKind::Note ? 1 : 0;
    QCOMPARE(notes, 1 + 4);
    QCOMPARE(messagesOf(session).first().payload, QByteArray("ok"));
}

QTEST_GUILESS_MAIN(TestHar)
#include "tst_har.moc"
