#include "har.h"

#include "handshake.h"
#include "httphead.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFileDevice>
#include <QtCore/QFileInfo>
#include <QtCore/QIODevice>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QUrl>
#include <QtCore/QUrlQuery>

#include <algorithm>
#include <cmath>

namespace frameline {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("Har", text, nullptr, n);
}

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

QJsonObject nameValue(const QString &name, const QString &value)
{
    return QJsonObject {{key("name"), name}, {key("value"), value}};
}

QJsonArray headerList(const HttpHead &head)
{
    QJsonArray headers;
    for (const HttpHeader &header : head.headers)
        headers.append(
            nameValue(QString::fromLatin1(header.name), QString::fromUtf8(header.value)));
    return headers;
}

/// HAR 1.2 §cookies from the request's Cookie fields ("a=1; b=2").
QJsonArray requestCookies(const HttpHead &head)
{
    QJsonArray cookies;
    for (const QByteArray &field : head.values("Cookie")) {
        for (const QByteArray &pair : field.split(';')) {
            const qsizetype equals = pair.indexOf('=');
            const QByteArray name = pair.left(equals).trimmed();
            if (equals > 0 && !name.isEmpty())
                cookies.append(nameValue(
                    QString::fromUtf8(name), QString::fromUtf8(pair.mid(equals + 1).trimmed())));
        }
    }
    return cookies;
}

/// HAR 1.2 §cookies from the response's Set-Cookie fields, with the attributes HAR names.
QJsonArray responseCookies(const HttpHead &head)
{
    QJsonArray cookies;
    for (const QByteArray &field : head.values("Set-Cookie")) {
        const QList<QByteArray> parts = field.split(';');
        const qsizetype equals = parts.first().indexOf('=');
        if (equals <= 0)
            continue;
        QJsonObject cookie = nameValue(QString::fromUtf8(parts.first().left(equals).trimmed()),
            QString::fromUtf8(parts.first().mid(equals + 1).trimmed()));
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArray attribute = parts[i].trimmed();
            const qsizetype at = attribute.indexOf('=');
            const QByteArray name = (at < 0 ? attribute : attribute.left(at)).trimmed().toLower();
            const QString value
                = at < 0 ? QString() : QString::fromUtf8(attribute.mid(at + 1).trimmed());
            if (name == "path" || name == "domain") {
                cookie[QString::fromLatin1(name)] = value;
            } else if (name == "expires") {
                const QDateTime expires = QDateTime::fromString(value, Qt::RFC2822Date);
                if (expires.isValid())
                    cookie[key("expires")] = expires.toUTC().toString(Qt::ISODateWithMs);
            } else if (name == "httponly") {
                cookie[key("httpOnly")] = true;
            } else if (name == "secure") {
                cookie[key("secure")] = true;
            }
        }
        cookies.append(cookie);
    }
    return cookies;
}

double milliseconds(std::int64_t ns)
{
    return double(ns) / 1e6;
}

/// What the writer needs from the session, found in one pass.
struct Story
{
    std::optional<std::uint32_t> request;
    std::optional<std::uint32_t> response;
    std::optional<std::uint32_t> dns;
    std::optional<std::uint32_t> tcp;
    std::optional<std::uint32_t> tls;
    std::optional<std::uint32_t> firstError;
    QList<std::uint32_t> messages;
    QList<std::uint32_t> controlFrames;
    std::int64_t endNs = 0;
};

Story storyOf(const Session &session)
{
    Story story;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        const EventRecord &record = session.event(i);
        story.endNs = std::max(story.endNs, record.timeNs);
        switch (record.kind) {
        case EventKind::HandshakeRequest:
            story.request = story.request.value_or(i);
            break;
        case EventKind::HandshakeResponse:
            story.response = story.response.value_or(i);
            break;
        case EventKind::DnsResolved:
            story.dns = story.dns.value_or(i);
            break;
        case EventKind::TcpConnected:
            story.tcp = story.tcp.value_or(i);
            break;
        case EventKind::TlsEstablished:
            story.tls = story.tls.value_or(i);
            break;
        case EventKind::Error:
            story.firstError = story.firstError.value_or(i);
            break;
        case EventKind::Message:
            story.messages.append(i);
            break;
        case EventKind::Frame:
            if (session.frameHeader(i).isControl())
                story.controlFrames.append(i);
            break;
        default:
            break;
        }
    }
    return story;
}

const HandshakeDetail *handshakeOf(const Session &session, std::optional<std::uint32_t> index)
{
    return index ? std::get_if<HandshakeDetail>(&session.detail(*index)) : nullptr;
}

/// Chrome's word for a direction: the browser (the client) sends, the server's frames
/// are received, whichever side Frameline played.
QString messageType(Direction direction)
{
    return direction == Direction::ClientToServer ? key("send") : key("receive");
}

/// HAR 1.2 §timings, measured from the session's start (the entry's startedDateTime).
/// A Frameline client starts its clock before the name lookup, so dns, connect (TLS
/// included, as HAR 1.1 readers expect) and ssl are known; a server starts it at accept,
/// after the client's TCP and TLS handshakes, so those are unknown (-1) there. `send`
/// runs until the request head was written, `wait` until the answer's head came.
QJsonObject timingsOf(
    const Session &session, const Story &story, std::int64_t requestNs, std::int64_t responseNs)
{
    const bool client = session.info().localRole == Role::Client;
    const auto at = [&](std::optional<std::uint32_t> index) {
        return session.event(*index).timeNs;
    };
    double dns = -1;
    double connect = -1;
    double ssl = -1;
    std::int64_t readyNs = 0;
    if (client && story.dns) {
        dns = milliseconds(at(story.dns));
        readyNs = at(story.dns);
    }
    if (client && story.tcp) {
        const std::int64_t tcpNs = at(story.tcp);
        const std::int64_t endNs = story.tls ? std::max(tcpNs, at(story.tls)) : tcpNs;
        connect = milliseconds(endNs - readyNs);
        if (story.tls)
            ssl = milliseconds(endNs - tcpNs);
        readyNs = endNs;
    }
    const double send
        = story.request ? milliseconds(std::max<std::int64_t>(0, requestNs - readyNs)) : 0;
    // No answer: the time waited for one, up to the end of the session.
    const std::int64_t answeredNs = story.response ? responseNs : story.endNs;
    const double wait
        = story.request ? milliseconds(std::max<std::int64_t>(0, answeredNs - requestNs)) : 0;
    return QJsonObject {
        {key("blocked"), -1},
        {key("dns"), dns},
        {key("connect"), connect},
        {key("ssl"), ssl},
        {key("send"), send},
        {key("wait"), wait},
        {key("receive"), 0},
    };
}

/// HAR 1.2 §entries: "time" is the sum of the timings that are known; ssl is already
/// part of connect.
double totalTime(const QJsonObject &timings)
{
    double total = 0;
    for (const char *name : {"blocked", "dns", "connect", "send", "wait", "receive"})
        total += std::max(0.0, timings.value(key(name)).toDouble());
    return total;
}

} // namespace

bool writeHar(const Session &session, QIODevice &device, QString *error)
{
    const SessionInfo &info = session.info();
    const Story story = storyOf(session);
    const bool knownStart = info.startedAt.isValid();
    const QDateTime started
        = knownStart ? info.startedAt.toUTC() : QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    const std::int64_t requestNs = story.request ? session.event(*story.request).timeNs : 0;
    const std::int64_t responseNs
        = story.response ? session.event(*story.response).timeNs : requestNs;
    // Seconds since the epoch with their fraction, Chrome's clock for messages.
    const auto epochSeconds = [&](std::int64_t timeNs) {
        return double(started.toMSecsSinceEpoch()) / 1e3 + double(timeNs) / 1e9;
    };

    const QUrl url(info.url);
    QJsonArray query;
    for (const auto &[name, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
        query.append(nameValue(name, value));

    const HandshakeDetail *requestDetail = handshakeOf(session, story.request);
    const HttpHead *requestHead = requestDetail ? &requestDetail->head : nullptr;
    const QJsonObject request {
        {key("method"),
            requestHead && !requestHead->method.isEmpty() ? QString::fromLatin1(requestHead->method)
                                                          : key("GET")},
        {key("url"), info.url},
        {key("httpVersion"),
            requestHead && !requestHead->version.isEmpty()
                ? QString::fromLatin1(requestHead->version)
                : key("HTTP/1.1")},
        {key("headers"), requestHead ? headerList(*requestHead) : QJsonArray()},
        {key("queryString"), query},
        {key("cookies"), requestHead ? requestCookies(*requestHead) : QJsonArray()},
        {key("headersSize"),
            story.request ? qint64(session.event(*story.request).bytesLength) : qint64(-1)},
        {key("bodySize"), 0},
    };

    const HandshakeDetail *responseDetail = handshakeOf(session, story.response);
    const HttpHead *responseHead = responseDetail ? &responseDetail->head : nullptr;
    const bool switched = responseHead && responseHead->statusCode == 101;
    // A 101 has no body; the body of a refusal is not recorded (only the head is).
    QJsonObject content {{key("size"), switched ? 0 : -1}, {key("mimeType"), key("x-unknown")}};
    if (responseHead && !switched) {
        if (responseHead->has("Content-Type"))
            content[key("mimeType")] = QString::fromLatin1(responseHead->value("Content-Type"));
        content[key("comment")] = tr("Frameline records the head of the answer, not its body.");
    }
    QJsonObject response {
        {key("status"), responseHead ? responseHead->statusCode : 0},
        {key("statusText"),
            responseHead ? QString::fromLatin1(responseHead->reasonPhrase) : QString()},
        {key("httpVersion"),
            responseHead && !responseHead->version.isEmpty()
                ? QString::fromLatin1(responseHead->version)
                : QString()},
        {key("headers"), responseHead ? headerList(*responseHead) : QJsonArray()},
        {key("cookies"), responseHead ? responseCookies(*responseHead) : QJsonArray()},
        {key("content"), content},
        {key("redirectURL"),
            responseHead ? QString::fromUtf8(responseHead->value("Location")) : QString()},
        {key("headersSize"),
            story.response ? qint64(session.event(*story.response).bytesLength) : qint64(-1)},
        {key("bodySize"), switched ? 0 : -1},
    };
    // Chrome's field for why a request failed.
    if (responseDetail && !responseDetail->accepted && !responseDetail->failureReason.isEmpty())
        response[key("_error")] = responseDetail->failureReason;
    else if (!switched && story.firstError)
        response[key("_error")] = std::get<ErrorDetail>(session.detail(*story.firstError)).message;

    // Chrome's list: one item per data message, the text as text, binary as base64.
    QJsonArray messages;
    for (const std::uint32_t i : story.messages) {
        const auto &message = std::get<MessageDetail>(session.detail(i));
        const QByteArray payload = session.messagePayload(i);
        const bool text = message.opcode == std::uint8_t(Opcode::Text);
        QJsonObject item {
            {key("type"), messageType(session.event(i).direction)},
            {key("time"), epochSeconds(session.event(i).timeNs)},
            {key("opcode"), int(message.opcode)},
            {key("data"),
                text ? QString::fromUtf8(payload) : QString::fromLatin1(payload.toBase64())},
        };
        // The capture limit kept only the start of this message: say so, and how big it was.
        if (std::uint64_t(payload.size()) < message.size) {
            item[key("_truncated")] = true;
            item[key("_size")] = qint64(message.size);
        }
        messages.append(item);
    }

    // What Chrome leaves out and Frameline saw: the control frames, Close with its code.
    QJsonArray controlFrames;
    for (const std::uint32_t i : story.controlFrames) {
        const FrameHeader header = session.frameHeader(i);
        const QByteArray payload = session.framePayload(i);
        QJsonObject frame {
            {key("type"), messageType(session.event(i).direction)},
            {key("time"), epochSeconds(session.event(i).timeNs)},
            {key("opcode"), int(header.opcode)},
            {key("data"), QString::fromLatin1(payload.toBase64())},
        };
        if (header.opcode == std::uint8_t(Opcode::Close) && payload.size() >= 2) {
            frame[key("code")] = (std::uint8_t(payload[0]) << 8) | std::uint8_t(payload[1]);
            frame[key("reason")] = QString::fromUtf8(payload.mid(2));
        }
        controlFrames.append(frame);
    }

    const QJsonObject timings = timingsOf(session, story, requestNs, responseNs);
    QJsonObject entry {
        {key("startedDateTime"), started.toString(Qt::ISODateWithMs)},
        {key("time"), totalTime(timings)},
        {key("request"), request},
        {key("response"), response},
        {key("cache"), QJsonObject()},
        {key("timings"), timings},
        {key("_resourceType"), key("websocket")},
        {key("_webSocketMessages"), messages},
        {key("_frameline"),
            QJsonObject {
                {key("localRole"), info.localRole == Role::Client ? key("client") : key("server")},
                {key("controlFrames"), controlFrames}}},
    };
    if (!knownStart)
        entry[key("comment")]
            = tr("The session does not say when it started; the times count from 1970-01-01.");
    if (story.tcp) {
        const auto &tcp = std::get<TcpDetail>(session.detail(*story.tcp));
        const bool client = info.localRole == Role::Client;
        entry[key("serverIPAddress")] = client ? tcp.peerAddress : tcp.localAddress;
        // The client's port names the connection, as Chrome's connection id does.
        entry[key("connection")] = QString::number(client ? tcp.localPort : tcp.peerPort);
    }
    const QJsonObject har {{key("log"),
        QJsonObject {
            {key("version"), key("1.2")},
            {key("creator"),
                QJsonObject {{key("name"), key("Frameline")},
                    {key("version"), QStringLiteral(FRAMELINE_VERSION)}}},
            {key("pages"), QJsonArray()},
            {key("entries"), QJsonArray {entry}},
        }}};
    const QByteArray bytes = QJsonDocument(har).toJson(QJsonDocument::Indented);
    if (device.write(bytes) != bytes.size()) {
        if (error)
            *error = device.errorString();
        return false;
    }
    return true;
}

} // namespace frameline
