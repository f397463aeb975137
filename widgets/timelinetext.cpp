#include "timelinetext.h"

#include "closecode.h"
#include "eventformat.h"
#include "eventpreview.h"

#include <QtCore/QStringList>
#include <QtCore/QUrl>

#include <climits>

namespace frameline {
namespace {

constexpr qsizetype kPreviewBytes = 40;

QString latin1(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes);
}

QString firstLine(QByteArrayView raw)
{
    const qsizetype end = raw.indexOf("\r\n");
    return QString::fromLatin1(end >= 0 ? raw.first(end) : raw).trimmed();
}

QString endpoint(const QString &address, std::uint16_t port)
{
    if (address.contains(u':')) // IPv6 needs brackets before the port
        return QStringLiteral("[%1]:%2").arg(address).arg(port);
    return QStringLiteral("%1:%2").arg(address).arg(port);
}

const TcpDetail *tcpDetailOf(const Session &session)
{
    // The connect is one of the first events; no need to look far.
    const std::uint32_t limit = std::min<std::uint32_t>(session.eventCount(), 16);
    for (std::uint32_t i = 0; i < limit; ++i) {
        if (const auto *tcp = std::get_if<TcpDetail>(&session.detail(i)))
            return tcp;
    }
    return nullptr;
}

} // namespace

QString TimelineText::seconds(std::int64_t timeNs, int decimals)
{
    return QString::number(double(timeNs) / 1e9, 'f', decimals);
}

QString TimelineText::closeText(const ClosePayload &close)
{
    if (!close.code)
        return tr("no status code");
    QString text = QString::number(*close.code) + u' ' + latin1(closeCodeName(*close.code));
    if (!close.reason.isEmpty())
        text += QStringLiteral(" \"") + QString::fromUtf8(close.reason) + u'"';
    return text;
}

QString TimelineText::frameLabel(const Session &session, std::uint32_t index)
{
    const EventRecord &record = session.event(index);
    const std::uint8_t opcode = record.frameByte0 & 0x0F;
    const bool fin = (record.frameByte0 & 0x80) != 0;
    const bool masked = (record.frameByte1 & 0x80) != 0;
    QStringList parts;
    parts << latin1(opcodeName(opcode)).toUpper();
    // FIN is the WebSocket bit that ends a message (§5.2), not TCP's FIN.
    parts << (fin ? QStringLiteral("FIN") : QStringLiteral("FIN=0"));
    if (const int rsv = (record.frameByte0 >> 4) & 0x7) {
        for (int bit = 0; bit < 3; ++bit) {
            if (rsv & (4 >> bit))
                parts << QStringLiteral("RSV%1").arg(bit + 1);
        }
    }
    parts << tr("len=%1").arg(record.length);
    if (masked)
        parts << tr("masked");
    if (opcode == std::uint8_t(Opcode::Close)) {
        ClosePayload close;
        if (record.length == 1)
            parts << tr("malformed: 1-byte body");
        else {
            parseClosePayload(framePayloadHead(session, index, 125), close);
            parts << closeText(close);
        }
    } else if (record.length > 0 && isControlOpcode(opcode)) {
        // Ping and pong bodies are often words; shown as text when they are UTF-8.
        const QByteArray head = framePayloadHead(session, index, kPreviewBytes + 1);
        parts << payloadPreview(head, true, kPreviewBytes);
    } else if (record.length > 0) {
        parts << eventPayloadPreview(session, index, kPreviewBytes);
    }
    return parts.join(u' ');
}

TimelineText::Label TimelineText::label(
    const Session &session, const TimelineLayout &layout, std::uint32_t item)
{
    const EventRecord &record = session.event(item);
    const EventDetail &detail = session.detail(item);
    const TimelineItem &placed = layout.item(item);
    Label label;
    label.failure = placed.has(TimelineItem::Failure);
    auto add = [&label](const QString &line) {
        if (label.count < 3)
            label.lines[label.count++] = line;
    };

    switch (record.kind) {
    case EventKind::DnsResolved:
        if (const auto *dns = std::get_if<DnsDetail>(&detail))
            add(tr("DNS %1 → %2").arg(dns->host, dns->addresses.join(QStringLiteral(", "))));
        else
            add(tr("DNS lookup"));
        break;
    case EventKind::TcpConnected: {
        QString from;
        QString to;
        if (const auto *tcp = std::get_if<TcpDetail>(&detail)) {
            const QString local = endpoint(tcp->localAddress, tcp->localPort);
            const QString peer = endpoint(tcp->peerAddress, tcp->peerPort);
            const bool client = session.info().localRole == Role::Client;
            from = client ? local : peer;
            to = client ? peer : local;
        }
        add(from.isEmpty() ? tr("TCP SYN") : tr("TCP SYN  %1 → %2").arg(from, to));
        add(tr("SYN, ACK"));
        add(tr("ACK — TCP connection established"));
        break;
    }
    case EventKind::TlsEstablished:
        if (const auto *tls = std::get_if<TlsDetail>(&detail)) {
            QString line = tr("TLS handshake · %1 · %2").arg(tls->protocol, tls->cipher);
            if (!tls->alpn.isEmpty())
                line += tr(" · ALPN %1").arg(latin1(tls->alpn));
            add(line);
            if (!tls->verificationErrors.isEmpty()) {
                label.failure = true;
                add((tls->errorsAccepted ? tr("Certificate problems, accepted: %1")
                                         : tr("Certificate problems: %1"))
                        .arg(tls->verificationErrors.join(QStringLiteral("; "))));
            }
        } else {
            add(tr("TLS handshake"));
        }
        break;
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse: {
        add(firstLine(session.bytes(item)));
        const auto *handshake = std::get_if<HandshakeDetail>(&detail);
        if (!handshake)
            break;
        if (label.failure) {
            add(handshake->failureReason.isEmpty()
                    ? tr("✕ refused")
                    : tr("✕ refused: %1").arg(handshake->failureReason));
            break;
        }
        // The headers that make it a WebSocket handshake, the proof first: an
        // answer's Accept (checked against the key when the check was ours to make).
        QStringList headers;
        const HttpHead &head = handshake->head;
        for (const char *name : {"Sec-WebSocket-Accept", "Upgrade", "Sec-WebSocket-Key",
                 "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions"}) {
            if (!head.has(name))
                continue;
            QString header = latin1(name) + QStringLiteral(": ") + latin1(head.value(name));
            if (qstrcmp(name, "Sec-WebSocket-Accept") == 0 && handshake->accepted
                && head.value(name) == handshake->expectedAccept)
                header += QStringLiteral(" ✓");
            headers << header;
        }
        add(headers.join(QStringLiteral(" · ")));
        break;
    }
    case EventKind::Frame: {
        QString text = frameLabel(session, item);
        if (placed.has(TimelineItem::CloseInitiator))
            text += tr(" — closes first");
        else if (placed.has(TimelineItem::CloseReply))
            text += tr(" — answers");
        add(text);
        break;
    }
    case EventKind::Message:
        if (const auto *message = std::get_if<MessageDetail>(&detail)) {
            add(tr("%1 message, %n byte(s) %2", nullptr, int(std::min<std::uint64_t>(message->size, INT_MAX)))
                    .arg(latin1(opcodeName(message->opcode)).toUpper(),
                         eventPayloadPreview(session, item, kPreviewBytes)));
        }
        break;
    case EventKind::Close:
        if (const auto *close = std::get_if<CloseDetail>(&detail)) {
            QString text = tr("CLOSE %1").arg(closeText(close->close));
            if (placed.has(TimelineItem::CloseInitiator))
                text += tr(" — closes first");
            else if (placed.has(TimelineItem::CloseReply))
                text += tr(" — answers");
            add(text);
        }
        break;
    case EventKind::StateChanged:
        if (const auto *state = std::get_if<StateDetail>(&detail)) {
            const QString change = tr("%1: %2 → %3")
                                       .arg(laneTitle(session.info().localRole),
                                           latin1(stateName(state->from)), latin1(stateName(state->to)));
            if (state->to == WebSocketState::Open)
                add(tr("WebSocket connection open  (%1)").arg(change));
            else if (state->to == WebSocketState::Closed)
                add(tr("WebSocket connection closed  (%1)").arg(change));
            else
                add(latin1(stateName(state->from)) + QStringLiteral(" → ") + latin1(stateName(state->to)));
        }
        break;
    case EventKind::TcpState:
        if (const auto *tcp = std::get_if<TcpStateDetail>(&detail)) {
            QString text = latin1(tcpStateName(tcp->state));
            switch (tcp->observation) {
            case Observation::Observed:
                break;
            case Observation::Inferred:
                text += tr(" (inferred)");
                break;
            case Observation::PassedUnobserved:
                text += tr(" (passed, not observed)");
                break;
            case Observation::NotObservable:
                text = tr("TCP state not observable");
                break;
            }
            add(text);
        }
        break;
    case EventKind::Error:
        if (const auto *error = std::get_if<ErrorDetail>(&detail)) {
            const QString code = error->closeCode
                ? tr("close code %1 %2").arg(error->closeCode).arg(latin1(closeCodeName(error->closeCode)))
                : QString();
            if (placed.placement == TimelinePlacement::BothLanes) {
                add(code.isEmpty() ? tr("✕ %1").arg(error->message)
                                   : tr("✕ %1 (%2)").arg(error->message, code));
            } else {
                add(code.isEmpty() ? tr("✕ protocol error") : tr("✕ %1").arg(code));
                add(error->message);
            }
        } else {
            add(tr("✕ error"));
        }
        break;
    case EventKind::Note:
        if (const auto *note = std::get_if<NoteDetail>(&detail))
            add(note->text);
        break;
    }
    return label;
}

QString TimelineText::toolTip(const Session &session, const TimelineLayout &layout, std::uint32_t item)
{
    const Label text = label(session, layout, item);
    QStringList lines;
    lines << tr("%1 s  event #%2").arg(seconds(session.event(item).timeNs, 6)).arg(item);
    for (int i = 0; i < text.count; ++i)
        lines << text.lines[i];
    if (const auto *tcp = std::get_if<TcpStateDetail>(&session.detail(item)); tcp && !tcp->info.isEmpty())
        lines << tcp->info;
    const qint64 group = layout.groupFor(item);
    if (group >= 0)
        lines << groupTitle(session, layout.group(std::uint32_t(group)), true);
    return lines.join(u'\n');
}

QString TimelineText::phaseTitle(TimelinePhase phase)
{
    switch (phase) {
    case TimelinePhase::Setup:
        return tr("Connection setup: TCP, TLS");
    case TimelinePhase::OpeningHandshake:
        return tr("Opening handshake: HTTP/1.1 Upgrade");
    case TimelinePhase::DataTransfer:
        return tr("Data transfer: WebSocket frames");
    case TimelinePhase::ClosingHandshake:
        return tr("Closing handshake: Close frames");
    case TimelinePhase::TcpTeardown:
        return tr("TCP teardown: FIN and ACK");
    }
    return {};
}

QString TimelineText::laneTitle(Role side)
{
    return side == Role::Client ? tr("Client") : tr("Server");
}

QString TimelineText::laneSubtitle(const Session &session, Role side)
{
    if (side == session.info().localRole)
        return tr("this app");
    if (const TcpDetail *tcp = tcpDetailOf(session))
        return endpoint(tcp->peerAddress, tcp->peerPort);
    const QUrl url(session.info().url);
    if (side == Role::Server && url.isValid() && !url.host().isEmpty())
        return url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
    return tr("peer");
}

QString TimelineText::groupTitle(const Session &session, const TimelineGroup &group, bool withSize)
{
    std::uint8_t opcode = session.event(group.firstItem).frameByte0 & 0x0F;
    std::uint64_t size = group.size;
    if (group.messageEvent != TimelineItem::kNoLink) {
        if (const auto *message = std::get_if<MessageDetail>(&session.detail(group.messageEvent))) {
            opcode = message->opcode;
            size = message->size;
        }
    }
    const QString kind = latin1(opcodeName(opcode));
    const int frames = int(group.frameCount);
    if (!group.complete)
        return tr("%1 message, unfinished: %n frame(s) so far", nullptr, frames).arg(kind);
    if (!withSize)
        return tr("%1 message: %n frame(s)", nullptr, frames).arg(kind);
    return tr("%1 message in %n frame(s), %2 bytes", nullptr, frames).arg(kind).arg(size);
}

} // namespace frameline
