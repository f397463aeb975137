// HAR 1.2: a live session written with Chrome's `_webSocketMessages`, every required
// field checked; written then read back, the messages come back byte for byte; a HAR
// saved by Chrome read in (the handshake rebuilt, nothing invented); broken files
// refused with a reason.

#include "connection.h"
#include "har.h"
#include "server.h"
#include "sessionbuilder.h"

#include <QtCore/QBuffer>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QtTest>

using namespace frameline;
using frameline::test::SessionBuilder;

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
    QObject::connect(
        c, &Channel::messageReceived, c, [c, echoes](quint8, const QByteArray &) mutable {
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
        out.append({session.event(i).direction, m.opcode, session.messagePayload(i),
            session.event(i).timeNs});
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
    void timingsAddUpFromTheSessionStart();
    void refusedUpgradeIsStillAHar();
    void serverSessionKeepsTheBrowsersDirections();
    void controlFramesAndCutMessagesAreSaid();
    void cookiesAreListed();
    void firefoxHarIsRead();
    void importedHandshakeIsChecked();
    void entryIndexPicksTheEntry_data();
    void entryIndexPicksTheEntry();
    void importNeedsAnEmptySession();
    void hostileFieldsCannotAddHeadLines();

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
    QCOMPARE(
        log.value(QStringLiteral("creator")).toObject().value(QStringLiteral("name")).toString(),
        QStringLiteral("Frameline"));
    QVERIFY(log.value(QStringLiteral("creator"))
                .toObject()
                .value(QStringLiteral("version"))
                .isString());
    const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 1);
    const QJsonObject entry = entries.first().toObject();
    // HAR 1.2: entry fields and their types.
    QVERIFY(QDateTime::fromString(
        entry.value(QStringLiteral("startedDateTime")).toString(), Qt::ISODateWithMs)
                .isValid());
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
    QVERIFY(request.value(QStringLiteral("url"))
                .toString()
                .startsWith(QLatin1String("ws://127.0.0.1:")));
    // The query, decoded.
    const QJsonArray query = request.value(QStringLiteral("queryString")).toArray();
    QCOMPARE(query.size(), 2);
    QCOMPARE(
        query.at(1).toObject().value(QStringLiteral("value")).toString(), QStringLiteral("나"));
    bool keySeen = false;
    for (const QJsonValue &header : request.value(QStringLiteral("headers")).toArray())
        keySeen |= header.toObject().value(QStringLiteral("name")).toString()
            == QLatin1String("Sec-WebSocket-Key");
    QVERIFY(keySeen);
    // The request head's size is the bytes on the wire.
    QVERIFY(request.value(QStringLiteral("headersSize")).toInt() > 100);

    const QJsonObject response = entry.value(QStringLiteral("response")).toObject();
    QCOMPARE(response.value(QStringLiteral("status")).toInt(), 101);
    QCOMPARE(response.value(QStringLiteral("statusText")).toString(),
        QStringLiteral("Switching Protocols"));
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
    QCOMPARE(
        entry.value(QStringLiteral("serverIPAddress")).toString(), QStringLiteral("127.0.0.1"));
}

void TestHar::chromeMessageShape()
{
    const QJsonObject entry = writeToJson(m_live->session())
                                  .value(QStringLiteral("log"))
                                  .toObject()
                                  .value(QStringLiteral("entries"))
                                  .toArray()
                                  .first()
                                  .toObject();
    QCOMPARE(entry.value(QStringLiteral("_resourceType")).toString(), QStringLiteral("websocket"));
    const QJsonArray messages = entry.value(QStringLiteral("_webSocketMessages")).toArray();
    QCOMPARE(messages.size(), 8);
    const QDateTime started = m_live->session().info().startedAt;
    double previous = 0;
    for (const QJsonValue &value : messages) {
        const QJsonObject m = value.toObject();
        QCOMPARE(m.keys(),
            (QStringList {QStringLiteral("data"), QStringLiteral("opcode"), QStringLiteral("time"),
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
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("data")).toString(),
        QStringLiteral("hello"));
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("opcode")).toInt(), 1);
    const QJsonObject binary = messages.at(2).toObject();
    QCOMPARE(binary.value(QStringLiteral("opcode")).toInt(), 2);
    QCOMPARE(binary.value(QStringLiteral("data")).toString(), QStringLiteral("AAEC/f7/"));
    // The fragmented message is one message, whole.
    QCOMPARE(messages.at(3).toObject().value(QStringLiteral("data")).toString(),
        QStringLiteral("one message, three frames"));
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
    const std::int64_t startShiftNs = (back.info().startedAt.toMSecsSinceEpoch()
                                          - m_live->session().info().startedAt.toMSecsSinceEpoch())
        * 1'000'000;
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
    QFile file(QStringLiteral(
        FRAMELINE_TEST_SOURCE_DIR "/tests/protocol/export/data/chrome-websocket.har"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    Session session;
    const HarImportResult result = importHar(file, session);
    QVERIFY2(result.ok, qPrintable(result.message));
    QCOMPARE(result.messages, 6);
    QCOMPARE(result.entriesSkipped, 0);
    // The WebSocket entry, not the page before it.
    QCOMPARE(session.info().url, QStringLiteral("ws://127.0.0.1:8080/chat?room=7"));
    QCOMPARE(
        session.info().startedAt, QDateTime(QDate(2026, 3, 14), QTime(9, 26, 53, 640), Qt::UTC));
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
    // HAR 1.2 §timings: the request went out after blocked (0.97 ms) and send (0.2 ms),
    // the answer came wait (2.1 ms) after it.
    QCOMPARE(session.event(*request).timeNs, 1'170'000);
    QCOMPARE(session.event(*response).timeNs, 3'270'000);

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
    QTest::newRow("truncated") << QByteArray(
        "{\"log\": {\"version\": \"1.2\", \"entries\": [{\"request\"")
                               << "JSON";
    QTest::newRow("a JSON array") << QByteArray("[1, 2, 3]") << "log";
    QTest::newRow("no entries") << QByteArray("{\"log\": {\"version\": \"1.2\"}}") << "entries";
    QTest::newRow("no WebSocket entry") << QByteArray(
        "{\"log\": {\"entries\": [{\"request\": {\"url\": \"http://x/\"}, \"response\": "
        "{\"status\": 200}}]}}") << "WebSocket";
    QTest::newRow("no start time") << QByteArray(
        "{\"log\": {\"entries\": [{\"_resourceType\": \"websocket\", \"request\": {\"url\": "
        "\"ws://x/\"}}]}}") << "startedDateTime";
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
    const QByteArray har
        = R"({"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "133.0"},
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

namespace {

constexpr Direction kToServer = Direction::ClientToServer;
constexpr Direction kToClient = Direction::ServerToClient;

const QDateTime kStartedAt = QDateTime(QDate(2026, 3, 14), QTime(9, 26, 53, 640), Qt::UTC);

/// The RFC 6455 §1.3 key and its Accept.
const QByteArray kUpgradeRequest
    = "GET /chat?room=7 HTTP/1.1\r\nHost: example.test\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\nCookie: a=1; b=two\r\n\r\n";
const QByteArray kUpgradeResponse
    = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
      "Set-Cookie: id=42; Path=/chat; HttpOnly\r\n\r\n";

/// A client session by hand, every event 1 ms after the last: DNS at 1 ms, TCP at 2,
/// TLS at 3, the request at 4, the answer at 5, then `frames`.
std::unique_ptr<Session> clientSession(Role role = Role::Client, SessionLimits limits = {})
{
    auto session = std::make_unique<Session>(limits);
    session->setInfo({QStringLiteral("wss://example.test/chat?room=7"), role, kStartedAt,
        QStringLiteral("test")});
    SessionBuilder b(*session);
    b.event(EventKind::DnsResolved, Direction::None,
        DnsDetail {QStringLiteral("example.test"), {QStringLiteral("192.0.2.7")}});
    b.event(EventKind::TcpConnected, Direction::None,
        role == Role::Client
            ? TcpDetail {QStringLiteral("192.0.2.1"), 50000, QStringLiteral("192.0.2.7"), 443}
            : TcpDetail {QStringLiteral("192.0.2.7"), 443, QStringLiteral("192.0.2.1"), 50000});
    TlsDetail tls;
    tls.protocol = QStringLiteral("TLS 1.3");
    b.event(EventKind::TlsEstablished, Direction::None, tls);
    b.handshakeRequest(kUpgradeRequest);
    b.handshakeResponse(kUpgradeResponse);
    return session;
}

QJsonObject entryOf(const Session &session)
{
    return writeToJson(session)
        .value(QStringLiteral("log"))
        .toObject()
        .value(QStringLiteral("entries"))
        .toArray()
        .first()
        .toObject();
}

QByteArray harBytes(const Session &session)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    writeHar(session, buffer);
    return buffer.data();
}

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(FRAMELINE_TEST_SOURCE_DIR "/tests/protocol/export/data/")
        + QLatin1String(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

template<typename Detail>
const Detail *firstDetail(const Session &session, EventKind kind)
{
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind == kind)
            return std::get_if<Detail>(&session.detail(i));
    }
    return nullptr;
}

QStringList noteTexts(const Session &session)
{
    QStringList notes;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind == EventKind::Note)
            notes << std::get<NoteDetail>(session.detail(i)).text;
    }
    return notes;
}

} // namespace

void TestHar::timingsAddUpFromTheSessionStart()
{
    const auto session = clientSession();
    const QJsonObject entry = entryOf(*session);
    // The entry starts where the session does, before the name lookup.
    QCOMPARE(entry.value(QStringLiteral("startedDateTime")).toString(),
        QStringLiteral("2026-03-14T09:26:53.640Z"));
    const QJsonObject timings = entry.value(QStringLiteral("timings")).toObject();
    const auto ms = [&](const char *name) {
        return timings.value(QLatin1String(name)).toDouble();
    };
    QCOMPARE(ms("blocked"), -1.0);
    QCOMPARE(ms("dns"), 1.0); // the lookup ended at 1 ms
    QCOMPARE(ms("connect"), 2.0); // TCP at 2 ms, TLS at 3 ms: connect holds ssl (HAR 1.2 §timings)
    QCOMPARE(ms("ssl"), 1.0);
    QCOMPARE(ms("send"), 1.0); // the request written at 4 ms
    QCOMPARE(ms("wait"), 1.0); // the answer at 5 ms
    QCOMPARE(ms("receive"), 0.0);
    // HAR 1.2: time is the sum of the known timings (ssl counted once, in connect).
    QCOMPARE(entry.value(QStringLiteral("time")).toDouble(), 5.0);
    QCOMPARE(
        entry.value(QStringLiteral("serverIPAddress")).toString(), QStringLiteral("192.0.2.7"));

    // Read back, the handshake lands where it happened.
    Session back;
    QVERIFY(importBytes(harBytes(*session), back).ok);
    for (std::uint32_t i = 0; i < back.eventCount(); ++i) {
        if (back.event(i).kind == EventKind::HandshakeRequest)
            QCOMPARE(back.event(i).timeNs, 4'000'000);
        if (back.event(i).kind == EventKind::HandshakeResponse)
            QCOMPARE(back.event(i).timeNs, 5'000'000);
    }
}

void TestHar::refusedUpgradeIsStillAHar()
{
    Session session;
    session.setInfo(
        {QStringLiteral("ws://example.test/chat"), Role::Client, kStartedAt, QString()});
    SessionBuilder b(session);
    b.handshakeRequest(kUpgradeRequest);
    const std::uint32_t answer = b.event(
        EventKind::HandshakeResponse, kToClient,
        [] {
            HandshakeDetail refused;
            refused.head.statusCode = 403;
            refused.head.reasonPhrase = "Forbidden";
            refused.head.version = "HTTP/1.1";
            refused.head.headers = {{"Content-Type", "text/plain"}};
            refused.failureReason
                = QStringLiteral("The server answered 403 instead of 101 Switching Protocols.");
            return refused;
        }(),
        QByteArrayView("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\n"));
    QVERIFY(answer > 0);
    ErrorDetail error;
    error.error = ProtocolError::HandshakeRejected;
    error.message = QStringLiteral("The server refused the upgrade.");
    b.event(EventKind::Error, Direction::None, error);

    const QJsonObject entry = entryOf(session);
    const QJsonObject response = entry.value(QStringLiteral("response")).toObject();
    QCOMPARE(response.value(QStringLiteral("status")).toInt(), 403);
    QCOMPARE(response.value(QStringLiteral("statusText")).toString(), QStringLiteral("Forbidden"));
    // The body of a refusal is not recorded: unknown (-1), not 0, and said so.
    QCOMPARE(response.value(QStringLiteral("bodySize")).toInt(), -1);
    const QJsonObject content = response.value(QStringLiteral("content")).toObject();
    QCOMPARE(content.value(QStringLiteral("mimeType")).toString(), QStringLiteral("text/plain"));
    QVERIFY(content.value(QStringLiteral("comment")).isString());
    QVERIFY(response.value(QStringLiteral("_error")).toString().contains(QLatin1String("403")));
    QCOMPARE(entry.value(QStringLiteral("_webSocketMessages")).toArray().size(), 0);

    // Read back: the refusal is a refusal, the connection never opened.
    Session back;
    const HarImportResult result = importBytes(harBytes(session), back);
    QVERIFY2(result.ok, qPrintable(result.message));
    const auto *detail = firstDetail<HandshakeDetail>(back, EventKind::HandshakeResponse);
    QVERIFY(detail);
    QVERIFY(!detail->accepted);
    QVERIFY(detail->failureReason.contains(QLatin1String("403")));
    QCOMPARE(countKind(back, EventKind::StateChanged), 0);
}

void TestHar::serverSessionKeepsTheBrowsersDirections()
{
    // Frameline as the server: "send" is still what the client sent, as in a browser's HAR.
    const auto session = clientSession(Role::Server);
    SessionBuilder b(*session);
    b.textMessage(kToServer, "from the client");
    b.textMessage(kToClient, "from the server");
    const QJsonObject entry = entryOf(*session);
    const QJsonArray messages = entry.value(QStringLiteral("_webSocketMessages")).toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(
        messages[0].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("send"));
    QCOMPARE(messages[0].toObject().value(QStringLiteral("data")).toString(),
        QStringLiteral("from the client"));
    QCOMPARE(
        messages[1].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("receive"));
    QCOMPARE(
        entry.value(QStringLiteral("serverIPAddress")).toString(), QStringLiteral("192.0.2.7"));
    // What a server does not see of the client's connect is unknown, not zero.
    const QJsonObject timings = entry.value(QStringLiteral("timings")).toObject();
    QCOMPARE(timings.value(QStringLiteral("dns")).toDouble(), -1.0);
    QCOMPARE(timings.value(QStringLiteral("connect")).toDouble(), -1.0);
    QCOMPARE(timings.value(QStringLiteral("ssl")).toDouble(), -1.0);

    Session back;
    QVERIFY(importBytes(harBytes(*session), back).ok);
    QCOMPARE(back.info().localRole, Role::Server);
    const QList<MessageRecord> read = messagesOf(back);
    QCOMPARE(read.size(), 2);
    QCOMPARE(read[0].direction, kToServer);
    QCOMPARE(read[0].payload, QByteArray("from the client"));
    QCOMPARE(read[1].direction, kToClient);
}

void TestHar::controlFramesAndCutMessagesAreSaid()
{
    // A capture limit of 40 bytes per frame keeps the start of the 100-byte message only.
    const auto session = clientSession(Role::Client, SessionLimits {40});
    SessionBuilder b(*session);
    b.textMessage(kToServer, QByteArray(100, 'x'));
    b.frame(kToServer, Opcode::Ping, "are you there");
    b.frame(kToClient, Opcode::Pong, "are you there");
    b.frame(kToServer, Opcode::Close, QByteArray::fromHex("03e8") + "bye");
    const QJsonObject entry = entryOf(*session);
    // Chrome's list holds data messages only.
    const QJsonArray messages = entry.value(QStringLiteral("_webSocketMessages")).toArray();
    QCOMPARE(messages.size(), 1);
    const QJsonObject cut = messages[0].toObject();
    QCOMPARE(cut.value(QStringLiteral("_truncated")).toBool(), true);
    QCOMPARE(cut.value(QStringLiteral("_size")).toInt(), 100);
    QVERIFY(cut.value(QStringLiteral("data")).toString().size() < 100);
    // The control frames in Frameline's own field.
    const QJsonObject frameline = entry.value(QStringLiteral("_frameline")).toObject();
    QCOMPARE(frameline.value(QStringLiteral("localRole")).toString(), QStringLiteral("client"));
    const QJsonArray control = frameline.value(QStringLiteral("controlFrames")).toArray();
    QCOMPARE(control.size(), 3);
    QCOMPARE(control[0].toObject().value(QStringLiteral("opcode")).toInt(), 9);
    QCOMPARE(
        control[0].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("send"));
    QCOMPARE(QByteArray::fromBase64(
                 control[1].toObject().value(QStringLiteral("data")).toString().toLatin1()),
        QByteArray("are you there"));
    QCOMPARE(control[2].toObject().value(QStringLiteral("code")).toInt(), 1000);
    QCOMPARE(
        control[2].toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("bye"));
}

void TestHar::cookiesAreListed()
{
    const QJsonObject entry = entryOf(*clientSession());
    const QJsonArray sent = entry.value(QStringLiteral("request"))
                                .toObject()
                                .value(QStringLiteral("cookies"))
                                .toArray();
    QCOMPARE(sent.size(), 2);
    QCOMPARE(sent[1].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("b"));
    QCOMPARE(sent[1].toObject().value(QStringLiteral("value")).toString(), QStringLiteral("two"));
    const QJsonArray set = entry.value(QStringLiteral("response"))
                               .toObject()
                               .value(QStringLiteral("cookies"))
                               .toArray();
    QCOMPARE(set.size(), 1);
    const QJsonObject cookie = set[0].toObject();
    QCOMPARE(cookie.value(QStringLiteral("name")).toString(), QStringLiteral("id"));
    QCOMPARE(cookie.value(QStringLiteral("value")).toString(), QStringLiteral("42"));
    QCOMPARE(cookie.value(QStringLiteral("path")).toString(), QStringLiteral("/chat"));
    QCOMPARE(cookie.value(QStringLiteral("httpOnly")).toBool(), true);
}

void TestHar::firefoxHarIsRead()
{
    // Firefox's shape: local time with an offset, no _resourceType, the WebSocket entry
    // found by its 101 answer, and no messages in it.
    QBuffer buffer;
    buffer.setData(fixture("firefox-websocket.har"));
    buffer.open(QIODevice::ReadOnly);
    Session session;
    const HarImportResult result = importHar(buffer, session);
    QVERIFY2(result.ok, qPrintable(result.message));
    QCOMPARE(result.messages, 0);
    QVERIFY(result.message.contains(QLatin1String("none of its messages")));
    QCOMPARE(session.info().url, QStringLiteral("ws://127.0.0.1:8080/chat"));
    QCOMPARE(
        session.info().startedAt, QDateTime(QDate(2026, 3, 14), QTime(9, 30, 1, 123), Qt::UTC));
    QVERIFY(session.info().origin.contains(QLatin1String("Firefox 128.0")));
    const auto *response = firstDetail<HandshakeDetail>(session, EventKind::HandshakeResponse);
    QVERIFY(response);
    QVERIFY(response->accepted);
    QCOMPARE(response->subprotocol, QByteArray("chat"));
    // blocked 1 + connect 1 + send 0, then wait 3.
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind == EventKind::HandshakeResponse)
            QCOMPARE(session.event(i).timeNs, 5'000'000);
    }
    QCOMPARE(countKind(session, EventKind::Message), 0);
    QCOMPARE(countKind(session, EventKind::Frame), 0);
    QVERIFY(noteTexts(session).join(u'\n').contains(QLatin1String("no WebSocket messages")));
}

void TestHar::importedHandshakeIsChecked()
{
    QBuffer buffer;
    buffer.setData(fixture("chrome-websocket.har"));
    buffer.open(QIODevice::ReadOnly);
    Session session;
    QVERIFY(importHar(buffer, session).ok);
    const auto *request = firstDetail<HandshakeDetail>(session, EventKind::HandshakeRequest);
    const auto *response = firstDetail<HandshakeDetail>(session, EventKind::HandshakeResponse);
    QVERIFY(request && response);
    QCOMPARE(request->head.method, QByteArray("GET"));
    QCOMPARE(request->head.target, QByteArray("/chat?room=7"));
    QCOMPARE(response->expectedAccept, QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    // RFC 6455 §4.1's checks, made again on the rebuilt heads: all pass for this HAR.
    QVERIFY(!response->checks.isEmpty());
    bool acceptChecked = false;
    for (const HandshakeCheck &check : response->checks) {
        QVERIFY2(check.passed, qPrintable(check.name + u' ' + check.actual));
        acceptChecked |= check.name == QLatin1String("Sec-WebSocket-Accept");
    }
    QVERIFY(acceptChecked);
    // The connection opened with the answer.
    const auto *state = firstDetail<StateDetail>(session, EventKind::StateChanged);
    QVERIFY(state);
    QCOMPARE(state->to, WebSocketState::Open);
}

void TestHar::entryIndexPicksTheEntry_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("says");
    QTest::newRow("the page, not a WebSocket") << 0 << false << "not a WebSocket connection";
    QTest::newRow("the WebSocket entry") << 1 << true << QString();
    QTest::newRow("past the end") << 5 << false << "no entry 5";
    QTest::newRow("the first WebSocket entry") << -1 << true << QString();
}

void TestHar::entryIndexPicksTheEntry()
{
    QFETCH(int, index);
    QFETCH(bool, ok);
    QFETCH(QString, says);
    QBuffer buffer;
    buffer.setData(fixture("chrome-websocket.har"));
    buffer.open(QIODevice::ReadOnly);
    Session session;
    const HarImportResult result = importHar(buffer, session, index);
    QCOMPARE(result.ok, ok);
    if (!ok) {
        QVERIFY2(result.message.contains(says), qPrintable(result.message));
        QCOMPARE(session.eventCount(), 0u); // nothing half-read
    } else {
        QCOMPARE(result.messages, 6);
    }
}

void TestHar::importNeedsAnEmptySession()
{
    Session session;
    session.appendEvent(
        0, EventKind::Note, Direction::None, NoteDetail {QStringLiteral("already here")});
    QBuffer buffer;
    buffer.setData(fixture("chrome-websocket.har"));
    buffer.open(QIODevice::ReadOnly);
    const HarImportResult result = importHar(buffer, session);
    QVERIFY(!result.ok);
    QVERIFY(result.message.contains(QLatin1String("empty session")));
    QCOMPARE(session.eventCount(), 1u);
}

void TestHar::hostileFieldsCannotAddHeadLines()
{
    // Line breaks in the method, the reason or a header must not forge lines in the
    // rebuilt heads (RFC 9112 §2.2).
    const QByteArray har = R"({"log": {"entries": [{"startedDateTime": "2026-01-02T03:04:05.678Z",
        "_resourceType": "websocket",
        "request": {"method": "GET\r\nX-Forged: 1", "url": "ws://example.test/",
                    "headers": [{"name": "Host", "value": "example.test"},
                                {"name": "X-Split", "value": "a\r\nX-Forged: 2"},
                                {"name": "Bad\nName", "value": "x"}]},
        "response": {"status": 101, "statusText": "Switching\r\nX-Forged: 3",
                     "headers": [{"name": "Upgrade", "value": "websocket"}]}}]}})";
    Session session;
    QVERIFY(importBytes(har, session).ok);
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        const EventKind kind = session.event(i).kind;
        if (kind != EventKind::HandshakeRequest && kind != EventKind::HandshakeResponse)
            continue;
        const QByteArray bytes = session.bytes(i).toByteArray();
        for (const QByteArray &line : bytes.split('\n'))
            QVERIFY2(!line.startsWith("X-Forged"), bytes.constData());
        // One head: its lines end in CRLF, and only the last line is empty.
        QVERIFY(bytes.endsWith("\r\n\r\n"));
        QCOMPARE(bytes.count("\r\n\r\n"), 1);
        QCOMPARE(bytes.count('\n'), bytes.count("\r\n"));
        HttpHeadParser parser(kind == EventKind::HandshakeRequest ? HttpHeadParser::Kind::Request
                                                                  : HttpHeadParser::Kind::Response);
        qsizetype consumed = 0;
        QCOMPARE(parser.feed(bytes, consumed), HttpHeadParser::Status::Complete);
        QCOMPARE(consumed, bytes.size());
    }
    const auto *request = firstDetail<HandshakeDetail>(session, EventKind::HandshakeRequest);
    // What is not a token character is dropped from the method, not made a line.
    QCOMPARE(request->head.method, QByteArray("GETX-Forged1"));
    QCOMPARE(request->head.headers.size(), 1);
}

QTEST_GUILESS_MAIN(TestHar)
#include "tst_har.moc"
