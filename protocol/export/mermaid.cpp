#include "mermaid.h"

#include "eventformat.h"
#include "exportlabels.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QHash>
#include <QtCore/QUrl>

namespace frameline {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("Mermaid", text, nullptr, n);
}

constexpr int kMaxLabel = 120;

/// A label cut to kMaxLabel characters (never inside a surrogate pair) and escaped.
QString label(const QString &text)
{
    QString shown = text;
    if (shown.size() > kMaxLabel) {
        qsizetype cut = kMaxLabel - 1;
        if (shown.at(cut - 1).isHighSurrogate())
            --cut;
        shown = shown.left(cut) + u'…';
    }
    const QString escaped = mermaidEscape(shown);
    return escaped.isEmpty() ? QStringLiteral(" ") : escaped;
}

/// The parts of a connection's life, in the order a diagram meets them; each is named
/// once, where it starts, so a reader sees the lifecycle textbooks draw.
enum class Phase : std::uint8_t {
    None,
    OpeningHandshake,
    DataTransfer,
    ClosingHandshake,
    TcpTeardown
};

QString phaseTitle(Phase phase)
{
    switch (phase) {
    case Phase::OpeningHandshake:
        return tr("Opening handshake (RFC 6455 §4)");
    case Phase::DataTransfer:
        return tr("Data transfer (RFC 6455 §5, §6)");
    case Phase::ClosingHandshake:
        return tr("Closing handshake (RFC 6455 §7)");
    case Phase::TcpTeardown:
        return tr("TCP teardown (FIN and ACK each way)");
    case Phase::None:
        break;
    }
    return {};
}

/// The phase an event starts, or None when it belongs to whatever phase is current.
Phase phaseOf(const Session &session, std::uint32_t index)
{
    const EventRecord &record = session.event(index);
    switch (record.kind) {
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        return Phase::OpeningHandshake;
    case EventKind::Frame:
        return session.frameHeader(index).opcode == std::uint8_t(Opcode::Close)
            ? Phase::ClosingHandshake
            : Phase::DataTransfer;
    case EventKind::Message:
        return std::get<MessageDetail>(session.detail(index)).frameCount == 0 ? Phase::DataTransfer
                                                                              : Phase::None;
    case EventKind::TcpState: {
        const TcpState state = std::get<TcpStateDetail>(session.detail(index)).state;
        const bool opening = state == TcpState::Listen || state == TcpState::SynSent
            || state == TcpState::SynReceived || state == TcpState::Established;
        return opening ? Phase::None : Phase::TcpTeardown;
    }
    default:
        return Phase::None;
    }
}

/// A multi-frame message: where its box opens and closes, and what it says.
struct Group
{
    std::uint32_t last = 0;
    QString title;
};

/// The multi-frame messages by their first frame.
QHash<std::uint32_t, Group> groupsOf(const Session &session)
{
    QHash<std::uint32_t, Group> groups;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        const EventRecord &record = session.event(i);
        if (record.kind != EventKind::Message)
            continue;
        const auto &message = std::get<MessageDetail>(session.detail(i));
        if (message.frameCount < 2)
            continue;
        // The last data frame of the message, in its direction (control frames may
        // be interleaved, RFC 6455 §5.4).
        std::uint32_t counted = 0;
        std::uint32_t last = message.firstFrameEvent;
        for (std::uint32_t f = message.firstFrameEvent; f < i && counted < message.frameCount;
             ++f) {
            const EventRecord &frame = session.event(f);
            if (frame.kind == EventKind::Frame && frame.direction == record.direction
                && !session.frameHeader(f).isControl()) {
                last = f;
                ++counted;
            }
        }
        const QString kind = message.opcode == std::uint8_t(Opcode::Text) ? tr("text message")
                                                                          : tr("binary message");
        groups.insert(message.firstFrameEvent,
            {last,
                tr("%1 in %n frames, %2 bytes", int(message.frameCount))
                    .arg(kind)
                    .arg(message.size)});
    }
    return groups;
}

/// The TCP endpoints as client address and server address, whichever side we played.
std::optional<std::pair<QString, QString>> endpoints(const Session &session)
{
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind != EventKind::TcpConnected)
            continue;
        const auto &tcp = std::get<TcpDetail>(session.detail(i));
        // An IPv6 address in brackets, so its port stays apart (RFC 3986 §3.2.2).
        const auto endpoint = [](const QString &address, std::uint16_t port) {
            return (address.contains(u':') ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2"))
                .arg(address)
                .arg(port);
        };
        const QString local = endpoint(tcp.localAddress, tcp.localPort);
        const QString peer = endpoint(tcp.peerAddress, tcp.peerPort);
        return session.info().localRole == Role::Client ? std::pair {local, peer}
                                                        : std::pair {peer, local};
    }
    return std::nullopt;
}

QString participantTitle(const Session &session, Role role)
{
    const SessionInfo &info = session.info();
    if (role == info.localRole)
        return tr("%1 (this app)").arg(ExportLabels::side(role));
    if (role == Role::Server && !info.url.isEmpty()) {
        const QUrl url(info.url);
        return tr("Server %1").arg(url.authority());
    }
    if (const auto addresses = endpoints(session))
        return tr("%1 %2").arg(
            ExportLabels::side(role), role == Role::Client ? addresses->first : addresses->second);
    return ExportLabels::side(role);
}

} // namespace

QString mermaidEscape(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'#':
            out += QStringLiteral("#35;");
            break;
        case u';':
            out += QStringLiteral("#59;");
            break;
        case u'%':
            out += QStringLiteral("#37;");
            break;
        case u'&':
            // Labels are drawn as HTML: "&amp;" in a payload must not turn into "&".
            out += QStringLiteral("#38;");
            break;
        case u'<':
            out += QStringLiteral("#60;");
            break;
        case u'>':
            out += QStringLiteral("#62;");
            break;
        case u'\r':
        case u'\n':
        case u'\t':
        case u'\v':
        case u'\f':
            out += u' ';
            break;
        default:
            // Other control characters would not print; a visible stand-in does.
            out += c.category() == QChar::Other_Control ? QChar(u'·') : c;
        }
    }
    return out;
}

QByteArray mermaidSequenceDiagram(const Session &session, const MermaidOptions &options)
{
    QStringList lines {QStringLiteral("sequenceDiagram")};
    const auto add = [&lines](const QString &line) {
        lines.append(QStringLiteral("    ") + line);
    };
    add(QStringLiteral("participant C as %1").arg(label(participantTitle(session, Role::Client))));
    add(QStringLiteral("participant S as %1").arg(label(participantTitle(session, Role::Server))));

    const QHash<std::uint32_t, Group> groups = groupsOf(session);
    std::optional<std::uint32_t> openGroupEnd;
    int drawnFrames = 0;
    bool skipNoted = false;
    // How many arrows the limit will leave out, said once where they start.
    int drawable = 0;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        const EventRecord &record = session.event(i);
        if ((record.kind == EventKind::Frame
                && session.frameHeader(i).opcode != std::uint8_t(Opcode::Close))
            || (record.kind == EventKind::Message
                && std::get<MessageDetail>(session.detail(i)).frameCount == 0))
            ++drawable;
    }
    const auto skip = [&] {
        if (skipNoted)
            return;
        skipNoted = true;
        if (openGroupEnd) {
            add(QStringLiteral("end"));
            openGroupEnd.reset();
        }
        add(QStringLiteral("Note over C,S: %1")
                .arg(label(tr("… %n more frames not drawn", drawable - options.maxFrames))));
    };
    const Role local = session.info().localRole;
    const QString localLane = local == Role::Client ? QStringLiteral("C") : QStringLiteral("S");

    Phase phase = Phase::None;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        const EventRecord &record = session.event(i);
        // Phases only move forward: a data frame the peer sent before it saw our Close
        // is still part of the closing handshake.
        if (const Phase starts = phaseOf(session, i); starts > phase) {
            phase = starts;
            add(QStringLiteral("Note over C,S: %1").arg(label(phaseTitle(phase))));
        }
        const QString arrowFrom = record.direction == Direction::ServerToClient
            ? QStringLiteral("S")
            : QStringLiteral("C");
        const QString arrowTo = record.direction == Direction::ServerToClient ? QStringLiteral("C")
                                                                              : QStringLiteral("S");
        switch (record.kind) {
        case EventKind::DnsResolved: {
            const auto &dns = std::get<DnsDetail>(session.detail(i));
            add(QStringLiteral("Note over C: %1")
                    .arg(label(tr("DNS: %1 is %2")
                                   .arg(dns.host, dns.addresses.join(QStringLiteral(", "))))));
            break;
        }
        case EventKind::TcpConnected: {
            const auto addresses = endpoints(session);
            add(QStringLiteral("Note over C,S: %1")
                    .arg(label(tr("TCP connected (SYN, SYN-ACK, ACK) %1 to %2")
                                   .arg(addresses->first, addresses->second))));
            break;
        }
        case EventKind::TlsEstablished: {
            const auto &tls = std::get<TlsDetail>(session.detail(i));
            add(QStringLiteral("Note over C,S: %1")
                    .arg(label(tr("TLS established: %1, %2").arg(tls.protocol, tls.cipher))));
            break;
        }
        case EventKind::HandshakeRequest:
        case EventKind::HandshakeResponse:
            add(QStringLiteral("%1->>%2: %3")
                    .arg(arrowFrom, arrowTo, label(ExportLabels::startLine(session, i))));
            break;
        case EventKind::Frame: {
            const FrameHeader header = session.frameHeader(i);
            const bool close = header.opcode == std::uint8_t(Opcode::Close);
            if (!close && drawnFrames >= options.maxFrames) {
                skip();
                break;
            }
            if (!close)
                ++drawnFrames;
            const auto group = groups.constFind(i);
            if (group != groups.constEnd() && !openGroupEnd) {
                add(QStringLiteral("rect rgba(120, 120, 255, 0.12)"));
                add(QStringLiteral("Note over C,S: %1").arg(label(group->title)));
                openGroupEnd = group->last;
            }
            const QString arrow
                = header.isControl() && !close ? QStringLiteral("-->>") : QStringLiteral("->>");
            add(QStringLiteral("%1%2%3: %4")
                    .arg(arrowFrom, arrow, arrowTo,
                        label(ExportLabels::frame(session, i, options.previewBytes))));
            if (openGroupEnd && *openGroupEnd == i) {
                add(QStringLiteral("end"));
                openGroupEnd.reset();
            }
            break;
        }
        case EventKind::Message: {
            // A message known without its frames (imported from a HAR) is drawn itself.
            const auto &message = std::get<MessageDetail>(session.detail(i));
            if (message.frameCount > 0)
                break;
            if (drawnFrames >= options.maxFrames) {
                skip();
                break;
            }
            ++drawnFrames;
            const bool text = message.opcode == std::uint8_t(Opcode::Text);
            const QByteArray payload = session.messagePayload(i);
            add(QStringLiteral("%1->>%2: %3")
                    .arg(arrowFrom, arrowTo,
                        label(tr("%1 message, %2 bytes %3")
                                  .arg(text ? QStringLiteral("text") : QStringLiteral("binary"))
                                  .arg(message.size)
                                  .arg(payloadPreview(payload, text, options.previewBytes)))));
            break;
        }
        case EventKind::StateChanged: {
            const auto &state = std::get<StateDetail>(session.detail(i));
            if (state.to == WebSocketState::Open)
                add(QStringLiteral("Note over C,S: %1").arg(label(tr("WebSocket open"))));
            else
                add(QStringLiteral("Note over %1: %2")
                        .arg(localLane,
                            label(QStringLiteral("%1 → %2").arg(
                                QString::fromLatin1(stateName(state.from)),
                                QString::fromLatin1(stateName(state.to))))));
            break;
        }
        case EventKind::TcpState: {
            const auto &tcp = std::get<TcpStateDetail>(session.detail(i));
            add(QStringLiteral("Note over %1: %2")
                    .arg(tcp.side == Role::Client ? QStringLiteral("C") : QStringLiteral("S"),
                        label(ExportLabels::tcpState(tcp))));
            break;
        }
        case EventKind::Error: {
            const auto &error = std::get<ErrorDetail>(session.detail(i));
            const QString text = error.closeCode
                ? tr("Error (close code %1): %2").arg(error.closeCode).arg(error.message)
                : tr("Error: %1").arg(error.message);
            add(QStringLiteral("Note over C,S: %1").arg(label(text)));
            break;
        }
        case EventKind::Note: {
            const auto &note = std::get<NoteDetail>(session.detail(i));
            add(QStringLiteral("Note over %1: %2").arg(localLane, label(note.text)));
            break;
        }
        case EventKind::Close:
            break; // its Close frame's arrow says it
        }
    }
    if (openGroupEnd)
        add(QStringLiteral("end"));
    return lines.join(u'\n').toUtf8() + '\n';
}

} // namespace frameline
