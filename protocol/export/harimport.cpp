// Reading a HAR saved by a browser (or by Frameline) into a Session: harimport.cpp
// holds the importer, har.cpp the writer.

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

/// An HTTP/1.1 head rebuilt from a HAR's header list. HTTP/2 pseudo-headers are left
/// out (the upgrade is HTTP/1.1), and so is a field whose text would break the head
/// (a line break in it), rather than made into something it was not.
QByteArray rebuiltHead(const QByteArray &startLine, const QJsonArray &headers, HttpHead &head)
{
    QByteArray raw = startLine + "\r\n";
    for (const QJsonValue &value : headers) {
        const QJsonObject header = value.toObject();
        const QByteArray name = header.value(key("name")).toString().toUtf8();
        const QByteArray text = header.value(key("value")).toString().toUtf8();
        const auto breaks = [](const QByteArray &bytes) {
            return bytes.contains('\r') || bytes.contains('\n') || bytes.contains('\0');
        };
        if (name.isEmpty() || name.startsWith(':') || name.contains(':') || breaks(name)
            || breaks(text))
            continue;
        head.headers.append({name, text.trimmed()});
        raw += name + ": " + text.trimmed() + "\r\n";
    }
    return raw + "\r\n";
}

/// The method as an HTTP token (RFC 9110 §5.6.2): other characters, which could end the
/// start line early, are dropped.
QByteArray httpToken(const QString &text)
{
    QByteArray token;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u >= u'0' && u <= u'9') || (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z')
            || QStringView(u"!#$%&'*+-.^_`|~").contains(c))
            token += char(u);
    }
    return token;
}

/// A reason phrase without the control characters that would break the status line.
QByteArray printable(QByteArray text)
{
    text.removeIf([](char c) { return std::uint8_t(c) < 0x20 || c == 0x7F; });
    return text;
}

bool isWebSocketEntry(const QJsonObject &entry)
{
    return entry.value(key("_webSocketMessages")).isArray()
        || entry.value(key("_resourceType")).toString() == QLatin1String("websocket")
        || entry.value(key("response")).toObject().value(key("status")).toInt() == 101;
}

/// Milliseconds from a HAR timing, 0 when unknown (-1) or absent.
double knownMs(const QJsonObject &timings, const char *name)
{
    return std::max(0.0, timings.value(key(name)).toDouble(0));
}

std::int64_t nanoseconds(double ms)
{
    return std::llround(ms * 1e6);
}

/// Why one item of `_webSocketMessages` cannot become a Message, or empty when it can.
QString unreadable(const QJsonObject &message, QByteArray &payload)
{
    const QString type = message.value(key("type")).toString();
    const QJsonValue data = message.value(key("data"));
    if (type == QLatin1String("error"))
        return tr("it is the browser's report of an error: \"%1\"").arg(data.toString());
    if (type != QLatin1String("send") && type != QLatin1String("receive"))
        return tr("its type \"%1\" is neither \"send\" nor \"receive\"").arg(type);
    if (!message.value(key("time")).isDouble())
        return tr("it has no time");
    if (!message.value(key("opcode")).isDouble())
        return tr("it has no opcode");
    const int opcode = message.value(key("opcode")).toInt(-1);
    if (opcode == 8 || opcode == 9 || opcode == 10)
        return tr("it is a control frame (opcode %1), not a message").arg(opcode);
    if (opcode != 1 && opcode != 2)
        return tr("its opcode %1 is not a data opcode (1 text, 2 binary)")
            .arg(message.value(key("opcode")).toDouble());
    if (!data.isString())
        return tr("it has no data");
    if (opcode == 1) {
        payload = data.toString().toUtf8();
        return {};
    }
    const auto decoded = QByteArray::fromBase64Encoding(
        data.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return tr("its binary data is not valid base64");
    payload = decoded.decoded;
    return {};
}

} // namespace

HarImportResult importHar(QIODevice &device, Session &out, int entryIndex)
{
    HarImportResult result;
    const auto refuse = [&result](const QString &why) {
        result.message = why;
        return result;
    };
    if (out.eventCount() > 0)
        return refuse(tr("A HAR is read into an empty session; this one already holds events."));
    const QByteArray bytes = device.readAll();
    if (bytes.trimmed().isEmpty())
        return refuse(tr("The file is empty; a HAR file is a JSON document."));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return refuse(tr("This is not a HAR file: its JSON breaks at byte %1 (%2).")
                          .arg(parseError.offset)
                          .arg(parseError.errorString()));
    }
    const QJsonObject log = document.object().value(key("log")).toObject();
    if (!document.isObject() || log.isEmpty() || !log.value(key("entries")).isArray())
        return refuse(tr("This JSON is not a HAR file: it has no \"log\" with \"entries\"."));
    const QJsonArray entries = log.value(key("entries")).toArray();
    QJsonObject entry;
    if (entryIndex >= 0) {
        if (entryIndex >= entries.size())
            return refuse(tr("The HAR has %n entries; there is no entry %1.", int(entries.size()))
                              .arg(entryIndex));
        entry = entries.at(entryIndex).toObject();
        if (!isWebSocketEntry(entry)) {
            return refuse(tr(
                "Entry %1 of the HAR is not a WebSocket connection: it has no WebSocket messages "
                "and no 101 answer.")
                              .arg(entryIndex));
        }
    } else {
        for (const QJsonValue &candidate : entries) {
            if (isWebSocketEntry(candidate.toObject())) {
                entry = candidate.toObject();
                break;
            }
        }
        if (entry.isEmpty())
            return refuse(tr("The HAR holds %n entries, none of them a WebSocket connection.",
                int(entries.size())));
    }

    const QJsonObject request = entry.value(key("request")).toObject();
    const QJsonObject response = entry.value(key("response")).toObject();
    QUrl url(request.value(key("url")).toString());
    if (!url.isValid() || url.host().isEmpty())
        return refuse(tr("The WebSocket entry has no readable request URL."));
    // Some tools write the upgrade's http(s) URL; the connection's is ws(s).
    if (url.scheme() == QLatin1String("http"))
        url.setScheme(key("ws"));
    else if (url.scheme() == QLatin1String("https"))
        url.setScheme(key("wss"));
    url.setFragment(QString());
    const QDateTime started
        = QDateTime::fromString(entry.value(key("startedDateTime")).toString(), Qt::ISODateWithMs);
    if (!started.isValid())
        return refuse(tr("The WebSocket entry has no readable startedDateTime."));

    const QJsonObject creator = log.value(key("creator")).toObject();
    const QString creatorText
        = QStringLiteral("%1 %2")
              .arg(creator.value(key("name")).toString(), creator.value(key("version")).toString())
              .trimmed();
    const auto *file = qobject_cast<QFileDevice *>(&device);
    const QString fileName = file ? QFileInfo(file->fileName()).fileName() : QString();
    SessionInfo info;
    info.url = url.toString();
    // HAR is the browser's view; a Frameline HAR says which side Frameline played.
    const QJsonObject frameline = entry.value(key("_frameline")).toObject();
    info.localRole = frameline.value(key("localRole")).toString() == QLatin1String("server")
        ? Role::Server
        : Role::Client;
    info.startedAt = started.toUTC();
    info.origin = fileName.isEmpty() ? QStringLiteral("HAR: %1").arg(creatorText)
        : creatorText.isEmpty()      ? QStringLiteral("HAR: %1").arg(fileName)
                                     : QStringLiteral("HAR: %1 (%2)").arg(fileName, creatorText);
    out.setInfo(info);

    QString intro = tr("Imported from a HAR file (%1). The opening handshake is rebuilt from the "
                       "header lists the HAR holds, not captured bytes. Frame headers, masking "
                       "keys, fragmentation, control frames and the TCP connection are not in a "
                       "browser's HAR, so they are unknown here, not absent.")
                        .arg(creatorText.isEmpty() ? fileName : creatorText);
    const QString serverAddress = entry.value(key("serverIPAddress")).toString();
    if (!serverAddress.isEmpty())
        intro += u' ' + tr("The HAR names the server's address: %1.").arg(serverAddress);
    out.appendEvent(0, EventKind::Note, Direction::None, NoteDetail {intro});

    // HAR 1.2 §timings: the request went out after blocked, dns and connect (ssl is in
    // connect) and took send; the answer's head came wait after that.
    const QJsonObject timings = entry.value(key("timings")).toObject();
    const std::int64_t requestNs = nanoseconds(knownMs(timings, "blocked") + knownMs(timings, "dns")
        + knownMs(timings, "connect") + knownMs(timings, "send"));
    const std::int64_t responseNs = requestNs + nanoseconds(knownMs(timings, "wait"));

    HandshakeDetail requestDetail;
    requestDetail.head.method = httpToken(request.value(key("method")).toString());
    if (requestDetail.head.method.isEmpty())
        requestDetail.head.method = "GET";
    requestDetail.head.target = url.path(QUrl::FullyEncoded).toLatin1();
    if (requestDetail.head.target.isEmpty())
        requestDetail.head.target = "/";
    if (url.hasQuery())
        requestDetail.head.target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    requestDetail.head.version = "HTTP/1.1";
    const QByteArray requestBytes
        = rebuiltHead(requestDetail.head.method + ' ' + requestDetail.head.target + " HTTP/1.1",
            request.value(key("headers")).toArray(), requestDetail.head);
    requestDetail.key = requestDetail.head.value("Sec-WebSocket-Key");
    if (!requestDetail.key.isEmpty())
        requestDetail.expectedAccept = computeAcceptKey(requestDetail.key);
    out.appendEvent(requestNs, EventKind::HandshakeRequest, Direction::ClientToServer,
        requestDetail, requestBytes);

    const int status = response.value(key("status")).toInt();
    if (status > 0) {
        HandshakeDetail responseDetail;
        responseDetail.head.statusCode = status;
        responseDetail.head.reasonPhrase
            = printable(response.value(key("statusText")).toString().toUtf8());
        responseDetail.head.version = "HTTP/1.1";
        const QByteArray responseBytes = rebuiltHead(
            "HTTP/1.1 " + QByteArray::number(status) + ' ' + responseDetail.head.reasonPhrase,
            response.value(key("headers")).toArray(), responseDetail.head);
        // The checks a client makes (RFC 6455 §4.1), made again on the rebuilt heads.
        ClientHandshakeOptions offered;
        offered.subprotocols = requestDetail.head.listValues("Sec-WebSocket-Protocol");
        parseExtensionList(
            requestDetail.head.values("Sec-WebSocket-Extensions").join(", "), offered.extensions);
        const ClientHandshakeResult checked
            = validateServerResponse(responseDetail.head, requestDetail.key, offered);
        responseDetail.checks = checked.checks;
        responseDetail.key = requestDetail.key;
        responseDetail.expectedAccept = requestDetail.expectedAccept;
        responseDetail.subprotocol = checked.subprotocol;
        responseDetail.extensions = checked.extensions;
        // The browser's verdict is what happened: a 101 it went on with. A check that
        // fails here (a header the HAR left out) shows in the checks, not as a refusal.
        responseDetail.accepted = status == 101;
        if (!responseDetail.accepted) {
            responseDetail.failureReason = checked.failureReason.isEmpty()
                ? tr("The server answered %1 instead of 101 Switching Protocols.").arg(status)
                : checked.failureReason;
        }
        out.appendEvent(responseNs, EventKind::HandshakeResponse, Direction::ServerToClient,
            responseDetail, responseBytes);
        if (responseDetail.accepted) {
            out.appendEvent(responseNs, EventKind::StateChanged, Direction::None,
                StateDetail {WebSocketState::Connecting, WebSocketState::Open});
        }
    } else {
        out.appendEvent(requestNs, EventKind::Note, Direction::None,
            NoteDetail {tr("The HAR records no answer from the server (status 0).")});
    }

    // The messages, in time order (a HAR lists them so; a hand-edited one may not), none
    // before the answer that opened the connection.
    struct Item
    {
        std::int64_t timeNs;
        QJsonObject message;
        int position;
    };
    QList<Item> items;
    const QJsonArray messages = entry.value(key("_webSocketMessages")).toArray();
    const double startedMs = double(started.toMSecsSinceEpoch());
    for (int i = 0; i < messages.size(); ++i) {
        const QJsonObject message = messages.at(i).toObject();
        const double seconds = message.value(key("time")).toDouble(startedMs / 1e3);
        items.append({std::max(responseNs, nanoseconds(seconds * 1e3 - startedMs)), message, i});
    }
    std::stable_sort(items.begin(), items.end(),
        [](const Item &a, const Item &b) { return a.timeNs < b.timeNs; });
    for (const Item &item : std::as_const(items)) {
        QByteArray payload;
        const QString why = unreadable(item.message, payload);
        if (!why.isEmpty()) {
            ++result.entriesSkipped;
            out.appendEvent(item.timeNs, EventKind::Note, Direction::None,
                NoteDetail {
                    tr("Message %1 of the HAR is left out: %2.").arg(item.position + 1).arg(why)});
            continue;
        }
        MessageDetail detail;
        detail.opcode = std::uint8_t(item.message.value(key("opcode")).toInt());
        detail.size = std::uint64_t(payload.size());
        // No frames: the message carries its bytes itself (firstFrameEvent names the
        // message's own event, as the recorder does for a message without frames).
        detail.firstFrameEvent = out.eventCount();
        detail.frameCount = 0;
        out.appendEvent(item.timeNs, EventKind::Message,
            item.message.value(key("type")).toString() == QLatin1String("send")
                ? Direction::ClientToServer
                : Direction::ServerToClient,
            detail, payload);
        ++result.messages;
    }
    if (messages.isEmpty()) {
        out.appendEvent(responseNs, EventKind::Note, Direction::None,
            NoteDetail {tr("The HAR holds no WebSocket messages for this connection.")});
    }

    result.ok = true;
    if (result.entriesSkipped > 0) {
        result.message = tr("%n item(s) of the HAR's message list were left out; notes in the "
                            "timeline say which and why.",
            result.entriesSkipped);
    } else if (messages.isEmpty()) {
        result.message = tr(
            "The HAR holds the opening handshake of this connection but none of its messages.");
    }
    return result;
}

} // namespace frameline
