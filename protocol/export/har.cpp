#include "har.h"

#include "httphead.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QIODevice>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QUrl>
#include <QtCore/QUrlQuery>

#include <algorithm>

namespace frameline {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("Har", text, nullptr, n);
}

QJsonArray headerList(const HttpHead &head)
{
    QJsonArray headers;
    for (const HttpHeader &header : head.headers)
        headers.append(QJsonObject {{QStringLiteral("name"), QString::fromLatin1(header.name)},
                                    {QStringLiteral("value"), QString::fromUtf8(header.value)}});
    return headers;
}

double millisecondsBetween(std::int64_t fromNs, std::int64_t toNs)
{
    return double(toNs - fromNs) / 1e6;
}

/// What the writer needs from the session, found in one pass.
struct Story
{
    std::optional<std::uint32_t> request;
    std::optional<std::uint32_t> response;
    std::optional<std::uint32_t> dns;
    std::optional<std::uint32_t> tcp;
    std::optional<std::uint32_t> tls;
    QList<std::uint32_t> messages;
    std::int64_t endNs = 0;
};

Story storyOf(const Session &session)
{
    Story story;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        story.endNs = std::max(story.endNs, session.event(i).timeNs);
        switch (session.event(i).kind) {
        case EventKind::HandshakeRequest:
            story.request = story.request.value_or(i);
            break;
        case EventKind::HandshakeResponse:
            story.response = story.response.value_or(i);
            break;
        case EventKind::DnsResolved:
            story.dns = i;
            break;
        case EventKind::TcpConnected:
            story.tcp = i;
            break;
        case EventKind::TlsEstablished:
            story.tls = i;
            break;
        case EventKind::Message:
            story.messages.append(i);
            break;
        default:
            break;
        }
    }
    return story;
}

const HttpHead *headOf(const Session &session, std::optional<std::uint32_t> index)
{
    if (!index)
        return nullptr;
    return &std::get<HandshakeDetail>(session.detail(*index)).head;
}

} // namespace

bool writeHar(const Session &session, QIODevice &device, QString *error)
{
    const SessionInfo &info = session.info();
    const Story story = storyOf(session);
    const QDateTime started = info.startedAt.isValid() ? info.startedAt.toUTC() : QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    const std::int64_t requestNs = story.request ? session.event(*story.request).timeNs : 0;
    const auto epochSeconds = [&](std::int64_t timeNs) {
        return double(started.toMSecsSinceEpoch()) / 1e3 + double(timeNs) / 1e9;
    };

    const QUrl url(info.url);
    QJsonArray query;
    for (const auto &[name, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
        query.append(QJsonObject {{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});

    const HttpHead *requestHead = headOf(session, story.request);
    QJsonObject request {
        {QStringLiteral("method"), requestHead ? QString::fromLatin1(requestHead->method) : QStringLiteral("GET")},
        {QStringLiteral("url"), info.url},
        {QStringLiteral("httpVersion"), requestHead ? QString::fromLatin1(requestHead->version) : QStringLiteral("HTTP/1.1")},
        {QStringLiteral("headers"), requestHead ? headerList(*requestHead) : QJsonArray()},
        {QStringLiteral("queryString"), query},
        {QStringLiteral("cookies"), QJsonArray()},
        {QStringLiteral("headersSize"), story.request ? qint64(session.event(*story.request).length) : -1},
        {QStringLiteral("bodySize"), 0},
    };
    const HttpHead *responseHead = headOf(session, story.response);
    QJsonObject response {
        {QStringLiteral("status"), responseHead ? responseHead->statusCode : 0},
        {QStringLiteral("statusText"), responseHead ? QString::fromLatin1(responseHead->reasonPhrase) : QString()},
        {QStringLiteral("httpVersion"), responseHead ? QString::fromLatin1(responseHead->version) : QStringLiteral("HTTP/1.1")},
        {QStringLiteral("headers"), responseHead ? headerList(*responseHead) : QJsonArray()},
        {QStringLiteral("cookies"), QJsonArray()},
        {QStringLiteral("content"), QJsonObject {{QStringLiteral("size"), 0}, {QStringLiteral("mimeType"), QStringLiteral("x-unknown")}}},
        {QStringLiteral("redirectURL"), QString()},
        {QStringLiteral("headersSize"), story.response ? qint64(session.event(*story.response).length) : -1},
        {QStringLiteral("bodySize"), 0},
    };

    // HAR 1.2 §timings: send, wait and receive are required; the others -1 when unknown.
    const double wait = story.request && story.response
        ? millisecondsBetween(requestNs, session.event(*story.response).timeNs)
        : -1;
    QJsonObject timings {
        {QStringLiteral("blocked"), -1},
        {QStringLiteral("dns"), story.dns ? millisecondsBetween(0, session.event(*story.dns).timeNs) : -1},
        {QStringLiteral("connect"), -1},
        {QStringLiteral("ssl"), -1},
        {QStringLiteral("send"), 0},
        {QStringLiteral("wait"), std::max(0.0, wait)},
        {QStringLiteral("receive"), 0},
    };
    if (story.tcp) {
        const std::int64_t connectedNs = session.event(*story.tcp).timeNs;
        const std::int64_t dnsNs = story.dns ? session.event(*story.dns).timeNs : 0;
        timings[QStringLiteral("connect")] = millisecondsBetween(dnsNs, connectedNs);
        if (story.tls)
            timings[QStringLiteral("ssl")] = millisecondsBetween(connectedNs, session.event(*story.tls).timeNs);
    }

    // Chrome's list: one item per data message, "send" from the client's side.
    QJsonArray messages;
    for (const std::uint32_t i : story.messages) {
        const auto &message = std::get<MessageDetail>(session.detail(i));
        const QByteArray payload = session.messagePayload(i);
        const bool text = message.opcode == std::uint8_t(Opcode::Text);
        messages.append(QJsonObject {
            {QStringLiteral("type"), session.event(i).direction == Direction::ClientToServer ? QStringLiteral("send")
                                                                                            : QStringLiteral("receive")},
            {QStringLiteral("time"), epochSeconds(session.event(i).timeNs)},
            {QStringLiteral("opcode"), int(message.opcode)},
            {QStringLiteral("data"), text ? QString::fromUtf8(payload) : QString::fromLatin1(payload.toBase64())},
        });
    }

    QJsonObject entry {
        {QStringLiteral("startedDateTime"), started.addMSecs(requestNs / 1'000'000).toString(Qt::ISODateWithMs)},
        {QStringLiteral("time"), millisecondsBetween(requestNs, std::max(story.endNs, requestNs))},
        {QStringLiteral("request"), request},
        {QStringLiteral("response"), response},
        {QStringLiteral("cache"), QJsonObject()},
        {QStringLiteral("timings"), timings},
        {QStringLiteral("_resourceType"), QStringLiteral("websocket")},
        {QStringLiteral("_webSocketMessages"), messages},
    };
    if (story.tcp) {
        const auto &tcp = std::get<TcpDetail>(session.detail(*story.tcp));
        const bool client = info.localRole == Role::Client;
        entry[QStringLiteral("serverIPAddress")] = client ? tcp.peerAddress : tcp.localAddress;
        entry[QStringLiteral("connection")] = QString::number(client ? tcp.localPort : tcp.peerPort);
    }
    const QJsonObject har {{QStringLiteral("log"),
                            QJsonObject {
                                {QStringLiteral("version"), QStringLiteral("1.2")},
                                {QStringLiteral("creator"), QJsonObject {{QStringLiteral("name"), QStringLiteral("Frameline")},
                                                                         {QStringLiteral("version"), QStringLiteral(FRAMELINE_VERSION)}}},
                                {QStringLiteral("pages"), QJsonArray()},
                                {QStringLiteral("entries"), QJsonArray {entry}},
                            }}};
    const QByteArray bytes = QJsonDocument(har).toJson(QJsonDocument::Indented);
    if (device.write(bytes) != bytes.size()) {
        if (error)
            *error = device.errorString();
        return false;
    }
    return true;
}

namespace {

/// An HTTP head rebuilt from a HAR's header list (HTTP/2 pseudo-headers left out: the
/// WebSocket upgrade is HTTP/1.1).
QByteArray rebuiltHead(const QByteArray &startLine, const QJsonArray &headers, HttpHead &head)
{
    QByteArray raw = startLine + "\r\n";
    for (const QJsonValue &value : headers) {
        const QJsonObject header = value.toObject();
        const QByteArray name = header.value(QStringLiteral("name")).toString().toLatin1();
        if (name.isEmpty() || name.startsWith(':'))
            continue;
        const QByteArray text = header.value(QStringLiteral("value")).toString().toUtf8();
        // A value with a line break cannot be one header line; it is not made one.
        if (text.contains('\r') || text.contains('\n') || name.contains('\r') || name.contains('\n'))
            continue;
        head.headers.append({name, text});
        raw += name + ": " + text + "\r\n";
    }
    return raw + "\r\n";
}

bool isWebSocketEntry(const QJsonObject &entry)
{
    return entry.value(QStringLiteral("_webSocketMessages")).isArray()
        || entry.value(QStringLiteral("_resourceType")).toString() == QLatin1String("websocket")
        || entry.value(QStringLiteral("response")).toObject().value(QStringLiteral("status")).toInt() == 101;
}

} // namespace

HarImportResult importHar(QIODevice &device, Session &out, int entryIndex)
{
    HarImportResult result;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(device.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.message = tr("This is not a HAR file: its JSON breaks at byte %1 (%2).")
                             .arg(parseError.offset)
                             .arg(parseError.errorString());
        return result;
    }
    const QJsonObject log = document.object().value(QStringLiteral("log")).toObject();
    if (!document.isObject() || log.isEmpty() || !log.value(QStringLiteral("entries")).isArray()) {
        result.message = tr("This JSON is not a HAR file: it has no \"log\" with \"entries\".");
        return result;
    }
    const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
    QJsonObject entry;
    if (entryIndex >= 0) {
        if (entryIndex >= entries.size()) {
            result.message = tr("The HAR has %n entries; there is no entry %1.", int(entries.size())).arg(entryIndex);
            return result;
        }
        entry = entries.at(entryIndex).toObject();
    } else {
        for (const QJsonValue &candidate : entries) {
            if (isWebSocketEntry(candidate.toObject())) {
                entry = candidate.toObject();
                break;
            }
        }
    }
    if (entry.isEmpty() || !isWebSocketEntry(entry)) {
        result.message = tr("The HAR holds %n entries, none of them a WebSocket connection.", int(entries.size()));
        return result;
    }

    const QJsonObject request = entry.value(QStringLiteral("request")).toObject();
    const QJsonObject response = entry.value(QStringLiteral("response")).toObject();
    QString urlText = request.value(QStringLiteral("url")).toString();
    QUrl url(urlText);
    // Some tools write the upgrade's http(s) URL; the connection's is ws(s).
    if (url.scheme() == QLatin1String("http"))
        url.setScheme(QStringLiteral("ws"));
    else if (url.scheme() == QLatin1String("https"))
        url.setScheme(QStringLiteral("wss"));
    const QDateTime started = QDateTime::fromString(entry.value(QStringLiteral("startedDateTime")).toString(), Qt::ISODateWithMs);
    if (!started.isValid()) {
        result.message = tr("The WebSocket entry has no readable startedDateTime.");
        return result;
    }
    const QJsonObject creator = log.value(QStringLiteral("creator")).toObject();
    SessionInfo info;
    info.url = url.toString();
    info.localRole = Role::Client;
    info.startedAt = started.toUTC();
    info.origin = QStringLiteral("HAR: %1 %2")
                      .arg(creator.value(QStringLiteral("name")).toString(), creator.value(QStringLiteral("version")).toString())
                      .trimmed();
    out.setInfo(info);

    out.appendEvent(0, EventKind::Note, Direction::None,
                    NoteDetail {tr("Imported from a HAR file (%1). The opening handshake is rebuilt from the "
                                   "header lists the browser saved; frame headers, masking keys, "
                                   "fragmentation, control frames and the TCP connection are not in a HAR, "
                                   "so they are unknown here, not absent.")
                                    .arg(info.origin)});

    // The opening handshake, rebuilt.
    HandshakeDetail requestDetail;
    requestDetail.head.method = request.value(QStringLiteral("method")).toString(QStringLiteral("GET")).toLatin1();
    requestDetail.head.target = url.path(QUrl::FullyEncoded).toLatin1();
    if (requestDetail.head.target.isEmpty())
        requestDetail.head.target = "/";
    if (url.hasQuery())
        requestDetail.head.target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    requestDetail.head.version = "HTTP/1.1";
    const QByteArray requestBytes = rebuiltHead(requestDetail.head.method + ' ' + requestDetail.head.target + " HTTP/1.1",
                                                request.value(QStringLiteral("headers")).toArray(), requestDetail.head);
    requestDetail.key = requestDetail.head.value("Sec-WebSocket-Key");
    out.appendEvent(0, EventKind::HandshakeRequest, Direction::ClientToServer, requestDetail, requestBytes);

    const int status = response.value(QStringLiteral("status")).toInt();
    const QJsonObject timings = entry.value(QStringLiteral("timings")).toObject();
    const double waitMs = std::max(0.0, timings.value(QStringLiteral("send")).toDouble(0))
        + std::max(0.0, timings.value(QStringLiteral("wait")).toDouble(0));
    const std::int64_t responseNs = std::int64_t(waitMs * 1e6);
    if (status > 0) {
        HandshakeDetail responseDetail;
        responseDetail.head.statusCode = status;
        responseDetail.head.reasonPhrase = response.value(QStringLiteral("statusText")).toString().toLatin1();
        responseDetail.head.version = "HTTP/1.1";
        const QByteArray responseBytes
            = rebuiltHead("HTTP/1.1 " + QByteArray::number(status) + ' ' + responseDetail.head.reasonPhrase,
                          response.value(QStringLiteral("headers")).toArray(), responseDetail.head);
        responseDetail.accepted = status == 101;
        if (!responseDetail.accepted)
            responseDetail.failureReason = tr("The server answered %1 instead of 101 Switching Protocols.").arg(status);
        responseDetail.key = requestDetail.key;
        responseDetail.subprotocol = responseDetail.head.value("Sec-WebSocket-Protocol");
        out.appendEvent(responseNs, EventKind::HandshakeResponse, Direction::ServerToClient, responseDetail, responseBytes);
        if (responseDetail.accepted) {
            out.appendEvent(responseNs, EventKind::StateChanged, Direction::None,
                            StateDetail {WebSocketState::Connecting, WebSocketState::Open});
        }
    }

    // The messages, in time order (a HAR lists them so; a hand-edited one may not).
    struct Item
    {
        std::int64_t timeNs;
        QJsonObject message;
        int position;
    };
    QList<Item> items;
    const QJsonArray messages = entry.value(QStringLiteral("_webSocketMessages")).toArray();
    const double startedSeconds = double(started.toMSecsSinceEpoch()) / 1e3;
    for (int i = 0; i < messages.size(); ++i) {
        const QJsonObject message = messages.at(i).toObject();
        const double seconds = message.value(QStringLiteral("time")).toDouble(startedSeconds);
        items.append({std::max<std::int64_t>(responseNs, std::int64_t((seconds - startedSeconds) * 1e9)), message, i});
    }
    std::stable_sort(items.begin(), items.end(), [](const Item &a, const Item &b) { return a.timeNs < b.timeNs; });
    for (const Item &item : std::as_const(items)) {
        const QString type = item.message.value(QStringLiteral("type")).toString();
        const int opcode = item.message.value(QStringLiteral("opcode")).toInt(-1);
        const QJsonValue data = item.message.value(QStringLiteral("data"));
        QByteArray payload;
        bool readable = (type == QLatin1String("send") || type == QLatin1String("receive")) && data.isString()
            && (opcode == 1 || opcode == 2);
        if (readable && opcode == 2) {
            const auto decoded = QByteArray::fromBase64Encoding(data.toString().toLatin1(),
                                                               QByteArray::AbortOnBase64DecodingErrors);
            readable = bool(decoded);
            payload = decoded.decoded;
        } else if (readable) {
            payload = data.toString().toUtf8();
        }
        if (!readable) {
            ++result.entriesSkipped;
            out.appendEvent(item.timeNs, EventKind::Note, Direction::None,
                            NoteDetail {tr("Message %1 of the HAR could not be read (type \"%2\", opcode %3); "
                                           "it is left out.")
                                            .arg(item.position + 1)
                                            .arg(type)
                                            .arg(opcode)});
            continue;
        }
        MessageDetail detail;
        detail.opcode = std::uint8_t(opcode);
        detail.size = std::uint64_t(payload.size());
        out.appendEvent(item.timeNs, EventKind::Message,
                        type == QLatin1String("send") ? Direction::ClientToServer : Direction::ServerToClient, detail,
                        payload);
        ++result.messages;
    }
    result.ok = true;
    if (result.entriesSkipped > 0)
        result.message = tr("%n message(s) of the HAR could not be read; notes in the timeline say which.",
                            result.entriesSkipped);
    return result;
}

} // namespace frameline
