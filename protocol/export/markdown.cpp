#include "markdown.h"

#include "eventformat.h"
#include "exportlabels.h"
#include "mermaid.h"

#include <QtCore/QCoreApplication>

namespace frameline {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("Markdown", text, nullptr, n);
}

/// Text for a table cell: one line, `|` and backslashes escaped, Markdown's inline
/// syntax neutralised.
QString cell(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'\\':
        case u'|':
        case u'`':
        case u'*':
        case u'_':
        case u'[':
        case u']':
        case u'<':
        case u'>':
            out += u'\\';
            out += c;
            break;
        case u'\r':
        case u'\n':
        case u'\t':
            out += u' ';
            break;
        default:
            out += c;
        }
    }
    return out;
}

/// A fenced block that its content cannot close: the fence is longer than any run of
/// backticks inside.
QString fenced(const QString &content, const QString &language = {})
{
    int longest = 0;
    int run = 0;
    for (const QChar c : content) {
        run = c == u'`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const QString fence(std::max(3, longest + 1), u'`');
    QString body = content;
    if (!body.endsWith(u'\n'))
        body += u'\n';
    return fence + language + u'\n' + body + fence + u'\n';
}

QString arrow(Direction direction)
{
    return direction == Direction::ClientToServer ? QStringLiteral("C→S")
        : direction == Direction::ServerToClient  ? QStringLiteral("S→C")
                                                  : QString();
}

struct Totals
{
    int frames[2] {};
    std::uint64_t bytes[2] {};
};

} // namespace

QByteArray markdownTranscript(const Session &session, const MarkdownOptions &options)
{
    const SessionInfo &info = session.info();
    QString out;
    out += tr("# WebSocket session: %1\n\n").arg(cell(info.url.isEmpty() ? tr("(no URL)") : info.url));

    // What the rest of the page details, at a glance.
    Totals totals;
    std::optional<HandshakeDetail> response;
    std::optional<std::uint32_t> requestIndex;
    std::optional<std::uint32_t> responseIndex;
    std::optional<TlsDetail> tls;
    QList<std::uint32_t> closes;
    QList<std::uint32_t> teardown;
    QList<std::uint32_t> errors;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        const EventRecord &record = session.event(i);
        switch (record.kind) {
        case EventKind::Frame: {
            const int d = record.direction == Direction::ClientToServer ? 0 : 1;
            ++totals.frames[d];
            totals.bytes[d] += session.frameHeader(i).frameSize();
            break;
        }
        case EventKind::HandshakeRequest:
            requestIndex = i;
            break;
        case EventKind::HandshakeResponse:
            responseIndex = i;
            response = std::get<HandshakeDetail>(session.detail(i));
            break;
        case EventKind::TlsEstablished:
            tls = std::get<TlsDetail>(session.detail(i));
            break;
        case EventKind::Close:
            closes.append(i);
            break;
        case EventKind::TcpState:
            teardown.append(i);
            break;
        case EventKind::Error:
            errors.append(i);
            break;
        default:
            break;
        }
    }

    out += tr("| | |\n|---|---|\n");
    out += tr("| Started | %1 |\n").arg(cell(info.startedAt.toUTC().toString(Qt::ISODateWithMs)));
    out += tr("| Frameline was the | %1 |\n").arg(ExportLabels::side(info.localRole));
    if (response) {
        out += tr("| Opening handshake | %1 |\n")
                   .arg(response->accepted ? tr("accepted") : cell(tr("refused: %1").arg(response->failureReason)));
        if (!response->subprotocol.isEmpty())
            out += tr("| Subprotocol | %1 |\n").arg(cell(QString::fromUtf8(response->subprotocol)));
        QStringList extensions;
        for (const ExtensionOffer &extension : response->extensions)
            extensions << QString::fromUtf8(extension.name);
        if (!extensions.isEmpty())
            out += tr("| Extensions | %1 |\n").arg(cell(extensions.join(QStringLiteral(", "))));
    }
    if (tls)
        out += tr("| TLS | %1, %2 |\n").arg(cell(tls->protocol), cell(tls->cipher));
    out += tr("| Client → server | %n frame(s), %1 bytes |\n", totals.frames[0]).arg(totals.bytes[0]);
    out += tr("| Server → client | %n frame(s), %1 bytes |\n", totals.frames[1]).arg(totals.bytes[1]);
    for (const std::uint32_t i : std::as_const(closes)) {
        const auto &close = std::get<CloseDetail>(session.detail(i));
        out += tr("| Close %1 | %2 |\n").arg(arrow(session.event(i).direction), cell(ExportLabels::close(close.close)));
    }
    out += u'\n';

    out += tr("## Opening handshake\n\n");
    if (requestIndex) {
        out += tr("Request (%1 s):\n\n").arg(ExportLabels::seconds(session.event(*requestIndex).timeNs));
        out += fenced(QString::fromLatin1(session.bytes(*requestIndex)).remove(u'\r'), QStringLiteral("http"));
        out += u'\n';
    }
    if (responseIndex) {
        out += tr("Response (%1 s):\n\n").arg(ExportLabels::seconds(session.event(*responseIndex).timeNs));
        out += fenced(QString::fromLatin1(session.bytes(*responseIndex)).remove(u'\r'), QStringLiteral("http"));
        out += u'\n';
    }
    if (response && !response->checks.isEmpty()) {
        out += tr("| Check | Expected | Actual | Result | Rule |\n|---|---|---|---|---|\n");
        for (const HandshakeCheck &check : response->checks) {
            out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n")
                       .arg(cell(check.name), cell(check.expected), cell(check.actual),
                            check.passed ? tr("pass") : tr("**FAIL**"), cell(check.rfcSection));
        }
        out += u'\n';
    }
    if (!requestIndex && !responseIndex)
        out += tr("No opening handshake was recorded.\n\n");

    out += tr("## Frames\n\n");
    out += tr("| # | Time (s) | Dir | Opcode | FIN | RSV | MASK | Length | Payload |\n"
              "|---:|---:|:---:|---|:---:|:---:|---|---:|---|\n");
    int rows = 0;
    int left = 0;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        const EventRecord &record = session.event(i);
        if (record.kind != EventKind::Frame)
            continue;
        if (rows >= options.maxFrameRows) {
            ++left;
            continue;
        }
        ++rows;
        const FrameHeader header = session.frameHeader(i);
        const QByteArray payload = session.framePayload(i);
        QString preview;
        if (header.opcode == std::uint8_t(Opcode::Close) && payload.size() >= 2) {
            ClosePayload body;
            body.code = std::uint16_t((std::uint8_t(payload[0]) << 8) | std::uint8_t(payload[1]));
            body.reason = payload.mid(2);
            preview = ExportLabels::close(body);
        } else if (!payload.isEmpty()) {
            preview = payloadPreview(payload, header.opcode != std::uint8_t(Opcode::Binary), 64);
        }
        out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 | %9 |\n")
                   .arg(i)
                   .arg(ExportLabels::seconds(record.timeNs), arrow(record.direction),
                        QString::fromLatin1(opcodeName(header.opcode)), header.fin ? QStringLiteral("1") : QStringLiteral("0"),
                        QStringLiteral("%1").arg(header.rsvBits(), 3, 2, QLatin1Char('0')),
                        header.masked ? QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(header.maskKey.data()), 4).toHex())
                                      : QStringLiteral("—"),
                        QString::number(header.payloadLength), cell(preview));
    }
    if (rows == 0)
        out += tr("| | | | | | | | | no frames |\n");
    if (left > 0)
        out += tr("\n… and %n more frames.\n", left);
    out += u'\n';

    if (!teardown.isEmpty()) {
        out += tr("## TCP teardown\n\n| Time (s) | End | State | Detail |\n|---:|---|---|---|\n");
        for (const std::uint32_t i : std::as_const(teardown)) {
            const auto &tcp = std::get<TcpStateDetail>(session.detail(i));
            out += QStringLiteral("| %1 | %2 | %3 | %4 |\n")
                       .arg(ExportLabels::seconds(session.event(i).timeNs), ExportLabels::side(tcp.side),
                            cell(ExportLabels::tcpState(tcp)), cell(tcp.info));
        }
        out += u'\n';
    }
    if (!errors.isEmpty()) {
        out += tr("## Errors\n\n");
        for (const std::uint32_t i : std::as_const(errors)) {
            const auto &error = std::get<ErrorDetail>(session.detail(i));
            out += tr("- %1 s: %2").arg(ExportLabels::seconds(session.event(i).timeNs), cell(error.message));
            if (error.closeCode)
                out += tr(" (close code %1)").arg(error.closeCode);
            out += u'\n';
        }
        out += u'\n';
    }
    if (options.diagram) {
        out += tr("## Sequence diagram\n\n");
        out += fenced(QString::fromUtf8(mermaidSequenceDiagram(session)), QStringLiteral("mermaid"));
    }
    return out.toUtf8();
}

} // namespace frameline
