#include "eventformat.h"

#include "closecode.h"
#include "utf8validator.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>

namespace frameline {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("EventFormat", text);
}

QString hexOf(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toHex());
}

QJsonObject frameJson(const Session &session, std::uint32_t index, const EventFormatOptions &options)
{
    const EventRecord &record = session.event(index);
    const FrameHeader h = session.frameHeader(index);
    QJsonObject o;
    o[u"offset"] = qint64(record.streamOffset);
    o[u"fin"] = h.fin;
    o[u"rsv1"] = h.rsv1;
    o[u"rsv2"] = h.rsv2;
    o[u"rsv3"] = h.rsv3;
    o[u"opcode"] = int(h.opcode);
    o[u"opcodeName"] = QString::fromLatin1(opcodeName(h.opcode));
    o[u"masked"] = h.masked;
    o[u"maskKey"] = h.masked ? QJsonValue(hexOf(QByteArrayView(h.maskKey.data(), 4)))
                             : QJsonValue(QJsonValue::Null);
    o[u"lengthEncoding"] = int(h.lengthEncoding);
    o[u"headerLength"] = int(h.headerSize);
    o[u"payloadLength"] = qint64(h.payloadLength);
    if (h.nonMinimalLength)
        o[u"nonMinimalLength"] = true;
    QByteArray payload = session.framePayload(index);
    bool cut = session.frameTruncated(index);
    if (options.maxPayloadBytes >= 0 && payload.size() > options.maxPayloadBytes) {
        payload.truncate(options.maxPayloadBytes);
        cut = true;
    }
    o[u"payloadHex"] = hexOf(payload);
    if (cut)
        o[u"payloadTruncated"] = true;
    return o;
}

QJsonArray headersJson(const HttpHead &head)
{
    QJsonArray headers;
    for (const HttpHeader &header : head.headers)
        headers.append(QJsonArray {QString::fromLatin1(header.name), QString::fromLatin1(header.value)});
    return headers;
}

QJsonObject handshakeJson(const Session &session, std::uint32_t index, const HandshakeDetail &d)
{
    QJsonObject o;
    const QByteArrayView raw = session.bytes(index);
    const qsizetype lineEnd = raw.indexOf("\r\n");
    o[u"startLine"] = QString::fromLatin1(lineEnd >= 0 ? raw.first(lineEnd) : raw);
    o[u"headers"] = headersJson(d.head);
    if (!d.checks.isEmpty()) {
        QJsonArray checks;
        for (const HandshakeCheck &check : d.checks) {
            checks.append(QJsonObject {{QStringLiteral("name"), check.name},
                                       {QStringLiteral("expected"), check.expected},
                                       {QStringLiteral("actual"), check.actual},
                                       {QStringLiteral("passed"), check.passed},
                                       {QStringLiteral("required"), check.required},
                                       {QStringLiteral("rule"), check.rfcSection}});
        }
        o[u"checks"] = checks;
        o[u"accepted"] = d.accepted;
        if (!d.failureReason.isEmpty())
            o[u"failure"] = d.failureReason;
    }
    if (!d.key.isEmpty())
        o[u"key"] = QString::fromLatin1(d.key);
    if (!d.expectedAccept.isEmpty())
        o[u"expectedAccept"] = QString::fromLatin1(d.expectedAccept);
    if (!d.subprotocol.isEmpty())
        o[u"subprotocol"] = QString::fromLatin1(d.subprotocol);
    return o;
}

struct DetailJson
{
    const Session &session;
    std::uint32_t index;
    const EventFormatOptions &options;
    QJsonObject &o;

    void operator()(std::monostate) const {}
    void operator()(const DnsDetail &d) const
    {
        o[u"host"] = d.host;
        o[u"addresses"] = QJsonArray::fromStringList(d.addresses);
    }
    void operator()(const TcpDetail &d) const
    {
        o[u"local"] = QStringLiteral("%1:%2").arg(d.localAddress).arg(d.localPort);
        o[u"peer"] = QStringLiteral("%1:%2").arg(d.peerAddress).arg(d.peerPort);
    }
    void operator()(const TlsDetail &d) const
    {
        o[u"protocol"] = d.protocol;
        o[u"cipher"] = d.cipher;
        if (!d.alpn.isEmpty())
            o[u"alpn"] = QString::fromLatin1(d.alpn);
        QJsonArray chain;
        for (const CertificateInfo &c : d.chain) {
            chain.append(QJsonObject {{QStringLiteral("subject"), c.subject},
                                      {QStringLiteral("issuer"), c.issuer},
                                      {QStringLiteral("notBefore"), c.notBefore.toString(Qt::ISODate)},
                                      {QStringLiteral("notAfter"), c.notAfter.toString(Qt::ISODate)},
                                      {QStringLiteral("sha256"), hexOf(c.sha256)}});
        }
        o[u"chain"] = chain;
        o[u"verificationErrors"] = QJsonArray::fromStringList(d.verificationErrors);
        o[u"errorsAccepted"] = d.errorsAccepted;
    }
    void operator()(const HandshakeDetail &d) const
    {
        const QJsonObject h = handshakeJson(session, index, d);
        for (auto it = h.begin(); it != h.end(); ++it)
            o[it.key()] = it.value();
    }
    void operator()(const MessageDetail &d) const
    {
        o[u"opcode"] = int(d.opcode);
        o[u"opcodeName"] = QString::fromLatin1(opcodeName(d.opcode));
        o[u"size"] = qint64(d.size);
        o[u"frames"] = qint64(d.frameCount);
        o[u"firstFrame"] = qint64(d.firstFrameEvent);
        QByteArray payload = session.messagePayload(index);
        if (options.maxPayloadBytes >= 0 && payload.size() > options.maxPayloadBytes) {
            payload.truncate(options.maxPayloadBytes);
            o[u"payloadTruncated"] = true;
        }
        if (d.opcode == std::uint8_t(Opcode::Text) && isValidUtf8(payload))
            o[u"text"] = QString::fromUtf8(payload);
        else
            o[u"payloadHex"] = hexOf(payload);
    }
    void operator()(const CloseDetail &d) const
    {
        if (d.close.code)
            o[u"code"] = int(*d.close.code);
        o[u"codeName"] = QString::fromLatin1(closeCodeName(d.close.code.value_or(CloseCode::NoStatusReceived)));
        o[u"reason"] = QString::fromUtf8(d.close.reason);
        o[u"initiatedLocally"] = d.initiatedLocally;
    }
    void operator()(const StateDetail &d) const
    {
        o[u"from"] = QString::fromLatin1(stateName(d.from));
        o[u"to"] = QString::fromLatin1(stateName(d.to));
    }
    void operator()(const TcpStateDetail &d) const
    {
        o[u"side"] = d.side == Role::Client ? QStringLiteral("client") : QStringLiteral("server");
        o[u"state"] = QString::fromLatin1(tcpStateName(d.state));
        static const char *const observations[] = {"observed", "inferred", "passed-unobserved",
                                                   "not-observable"};
        o[u"observation"] = QString::fromLatin1(observations[int(d.observation)]);
        if (!d.info.isEmpty())
            o[u"info"] = d.info;
    }
    void operator()(const ErrorDetail &d) const
    {
        o[u"error"] = QString::fromLatin1(errorKey(d.error));
        o[u"closeCode"] = int(d.closeCode);
        o[u"message"] = d.message;
        o[u"rule"] = rfcSectionFor(d.error);
        o[u"offset"] = qint64(d.streamOffset);
    }
    void operator()(const NoteDetail &d) const { o[u"text"] = d.text; }
};

QString arrow(Direction direction)
{
    switch (direction) {
    case Direction::ClientToServer:
        return QStringLiteral("C→S");
    case Direction::ServerToClient:
        return QStringLiteral("S→C");
    case Direction::None:
        break;
    }
    return QStringLiteral("   ");
}

} // namespace

QByteArray directionKey(Direction direction)
{
    switch (direction) {
    case Direction::ClientToServer:
        return QByteArrayLiteral("client-to-server");
    case Direction::ServerToClient:
        return QByteArrayLiteral("server-to-client");
    case Direction::None:
        break;
    }
    return QByteArrayLiteral("none");
}

QJsonObject eventToJson(const Session &session, std::uint32_t index, const EventFormatOptions &options)
{
    const EventRecord &record = session.event(index);
    QJsonObject o;
    o[u"index"] = qint64(index);
    o[u"timeNs"] = qint64(record.timeNs);
    o[u"kind"] = QString::fromLatin1(eventKindName(record.kind));
    o[u"direction"] = QString::fromLatin1(directionKey(record.direction));
    if (record.kind == EventKind::Frame) {
        const QJsonObject frame = frameJson(session, index, options);
        for (auto it = frame.begin(); it != frame.end(); ++it)
            o[it.key()] = it.value();
        return o;
    }
    std::visit(DetailJson {session, index, options, o}, session.detail(index));
    return o;
}

QString payloadPreview(QByteArrayView payload, bool text, qsizetype maxBytes)
{
    const bool cut = payload.size() > maxBytes;
    QByteArrayView shown = cut ? payload.first(maxBytes) : payload;
    if (text) {
        // Cut at a character boundary so the preview stays valid text.
        while (cut && !shown.isEmpty() && (std::uint8_t(shown.back()) & 0xC0) == 0x80)
            shown.chop(1);
        if (cut && !shown.isEmpty() && std::uint8_t(shown.back()) >= 0xC0)
            shown.chop(1);
        if (isValidUtf8(shown)) {
            QString quoted = QString::fromUtf8(shown);
            for (QChar &c : quoted) {
                if (c.unicode() < 0x20)
                    c = QChar(0x2423); // keep control characters off the terminal
            }
            return u'"' + quoted + (cut ? QStringLiteral("…\"") : QStringLiteral("\""));
        }
    }
    return QString::fromLatin1(shown.toByteArray().toHex(' ')) + (cut ? QStringLiteral(" …") : QString());
}

QString eventToText(const Session &session, std::uint32_t index)
{
    const EventRecord &record = session.event(index);
    const QString time = QString::number(double(record.timeNs) / 1e9, 'f', 6).rightJustified(11);
    QString what;
    if (record.kind == EventKind::Frame) {
        const FrameHeader h = session.frameHeader(index);
        what = QStringLiteral("frame  %1%2%3 len=%4 (%5-bit)")
                   .arg(QString::fromLatin1(opcodeName(h.opcode)),
                        h.fin ? QStringLiteral(" FIN") : QStringLiteral(" (FIN=0)"),
                        h.rsvBits() ? QStringLiteral(" RSV=%1%2%3").arg(int(h.rsv1)).arg(int(h.rsv2)).arg(int(h.rsv3))
                                    : QString())
                   .arg(h.payloadLength)
                   .arg(int(h.lengthEncoding));
        if (h.masked)
            what += QStringLiteral(" mask=") + hexOf(QByteArrayView(h.maskKey.data(), 4));
        if (h.payloadLength > 0) {
            what += u' '
                + payloadPreview(session.framePayload(index), h.opcode == std::uint8_t(Opcode::Text)
                                                                  || h.opcode == std::uint8_t(Opcode::Continuation));
        }
    } else {
        const QJsonObject o = eventToJson(session, index, EventFormatOptions {48});
        const auto s = [&o](const char16_t *key) { return o.value(QStringView(key)).toVariant().toString(); };
        switch (record.kind) {
        case EventKind::DnsResolved:
            what = tr("dns    %1 → %2").arg(s(u"host"), o[u"addresses"].toVariant().toStringList().join(QStringLiteral(", ")));
            break;
        case EventKind::TcpConnected:
            what = tr("tcp    connected %1 ⇄ %2").arg(s(u"local"), s(u"peer"));
            break;
        case EventKind::TlsEstablished:
            what = tr("tls    %1 %2").arg(s(u"protocol"), s(u"cipher"));
            if (!o[u"verificationErrors"].toArray().isEmpty())
                what += tr(" (certificate errors accepted: %1)").arg(o[u"verificationErrors"].toVariant().toStringList().join(QStringLiteral("; ")));
            break;
        case EventKind::HandshakeRequest:
        case EventKind::HandshakeResponse:
            what = QStringLiteral("http   ") + s(u"startLine");
            if (o.contains(u"accepted"))
                what += o[u"accepted"].toBool() ? tr("  [checks passed]") : tr("  [rejected: %1]").arg(s(u"failure"));
            break;
        case EventKind::Message:
            what = tr("message %1, %2 bytes in %3 frame(s)").arg(s(u"opcodeName"), s(u"size"), s(u"frames"));
            if (o.contains(u"text"))
                what += u' ' + payloadPreview(s(u"text").toUtf8(), true);
            break;
        case EventKind::Close:
            what = tr("close  %1 %2 \"%3\"").arg(o.contains(u"code") ? s(u"code") : tr("(no code)"), s(u"codeName"), s(u"reason"));
            break;
        case EventKind::StateChanged:
            what = tr("state  %1 → %2").arg(s(u"from"), s(u"to"));
            break;
        case EventKind::TcpState:
            what = tr("tcp    %1 end %2 (%3)").arg(s(u"side"), s(u"state"), s(u"observation"));
            break;
        case EventKind::Error:
            what = tr("error  %1 (close code %2, %3)").arg(s(u"message"), s(u"closeCode"), s(u"rule"));
            break;
        case EventKind::Note:
            what = tr("note   %1").arg(s(u"text"));
            break;
        case EventKind::Frame:
            break;
        }
    }
    return time + u' ' + arrow(record.direction) + u' ' + what;
}

} // namespace frameline
