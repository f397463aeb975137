#include "markdown.h"

#include "eventformat.h"
#include "exportlabels.h"
#include "mermaid.h"
#include "utf8validator.h"

#include <QtCore/QCoreApplication>

namespace frameline {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("Markdown", text, nullptr, n);
}

/// Text for a table cell or a list item: one line, `|` and backslashes escaped,
/// Markdown's inline syntax (code, emphasis, links, HTML, entities) neutralised.
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
        case u'~':
        case u'[':
        case u']':
        case u'<':
        case u'>':
        case u'&':
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

/// An inline code span its text cannot close: delimited by more backticks than any run
/// inside (backslashes do not escape in code spans), on one line.
QString code(QString text)
{
    text.replace(u'\r', u' ').replace(u'\n', u' ');
    int longest = 0;
    int run = 0;
    for (const QChar c : std::as_const(text)) {
        run = c == u'`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const QString ticks(longest + 1, u'`');
    const bool pad = text.startsWith(u'`') || text.endsWith(u'`');
    const QString inner = pad ? QString(u' ' + text + u' ') : text;
    return ticks + inner + ticks;
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

/// A handshake head as text: UTF-8 where it is UTF-8 (header values may be), Latin-1
/// otherwise; line ends as plain newlines, the empty line that ends the head left out,
/// other control characters shown as their Unicode pictures so they stay visible.
QString headText(QByteArrayView bytes)
{
    QString text = isValidUtf8(bytes) ? QString::fromUtf8(bytes) : QString::fromLatin1(bytes);
    text.remove(u'\r');
    while (text.endsWith(QLatin1String("\n\n")))
        text.chop(1);
    for (QChar &c : text) {
        if (c.unicode() < 0x20 && c != u'\n' && c != u'\t')
            c = QChar(0x2400 + c.unicode());
    }
    return text;
}

QString arrow(Direction direction)
{
    return direction == Direction::ClientToServer ? QStringLiteral("C→S")
        : direction == Direction::ServerToClient  ? QStringLiteral("S→C")
                                                  : QString();
}

/// What the page summarises and lists, found in one pass.
struct Contents
{
    int frames[2] {};
    std::uint64_t bytes[2] {};
    std::optional<std::uint32_t> request;
    std::optional<std::uint32_t> response;
    std::optional<TlsDetail> tls;
    QList<std::uint32_t> frameEvents;
    QList<std::uint32_t> framelessMessages;
    QList<std::uint32_t> closes;
    QList<std::uint32_t> teardown;
    QList<std::uint32_t> errors;
    QList<std::uint32_t> notes;
};

Contents contentsOf(const Session &session)
{
    Contents contents;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        const EventRecord &record = session.event(i);
        switch (record.kind) {
        case EventKind::Frame: {
            const int d = record.direction == Direction::ClientToServer ? 0 : 1;
            ++contents.frames[d];
            contents.bytes[d] += session.frameHeader(i).frameSize();
            contents.frameEvents.append(i);
            break;
        }
        case EventKind::Message:
            if (std::get<MessageDetail>(session.detail(i)).frameCount == 0)
                contents.framelessMessages.append(i);
            break;
        case EventKind::HandshakeRequest:
            contents.request = contents.request.value_or(i);
            break;
        case EventKind::HandshakeResponse:
            contents.response = contents.response.value_or(i);
            break;
        case EventKind::TlsEstablished:
            contents.tls = std::get<TlsDetail>(session.detail(i));
            break;
        case EventKind::Close:
            contents.closes.append(i);
            break;
        case EventKind::TcpState:
            contents.teardown.append(i);
            break;
        case EventKind::Error:
            contents.errors.append(i);
            break;
        case EventKind::Note:
            contents.notes.append(i);
            break;
        default:
            break;
        }
    }
    return contents;
}

QString summary(const Session &session, const Contents &contents)
{
    const SessionInfo &info = session.info();
    QString out = tr("| | |\n|---|---|\n");
    out += tr("| Started | %1 |\n")
               .arg(info.startedAt.isValid()
                       ? cell(info.startedAt.toUTC().toString(Qt::ISODateWithMs))
                       : tr("unknown"));
    out += tr("| Frameline was the | %1 |\n").arg(ExportLabels::side(info.localRole));
    if (!info.origin.isEmpty())
        out += tr("| Recorded from | %1 |\n").arg(cell(info.origin));
    if (contents.response) {
        const auto &response = std::get<HandshakeDetail>(session.detail(*contents.response));
        out += tr("| Opening handshake | %1 |\n")
                   .arg(response.accepted ? tr("accepted")
                                          : cell(tr("refused: %1").arg(response.failureReason)));
        if (!response.subprotocol.isEmpty())
            out += tr("| Subprotocol | %1 |\n").arg(cell(QString::fromUtf8(response.subprotocol)));
        QStringList extensions;
        for (const ExtensionOffer &extension : response.extensions)
            extensions << QString::fromUtf8(extension.name);
        if (!extensions.isEmpty())
            out += tr("| Extensions | %1 |\n").arg(cell(extensions.join(QStringLiteral(", "))));
    }
    if (contents.tls)
        out += tr("| TLS | %1, %2 |\n")
                   .arg(cell(contents.tls->protocol), cell(contents.tls->cipher));
    out += tr("| Client → server | %n frame(s), %1 bytes |\n", contents.frames[0])
               .arg(contents.bytes[0]);
    out += tr("| Server → client | %n frame(s), %1 bytes |\n", contents.frames[1])
               .arg(contents.bytes[1]);
    for (const std::uint32_t i : contents.closes) {
        const auto &close = std::get<CloseDetail>(session.detail(i));
        out += tr("| Close %1 | %2 |\n")
                   .arg(arrow(session.event(i).direction), cell(ExportLabels::close(close.close)));
    }
    return out + u'\n';
}

/// The checks one side made on the other's head (a client checks the answer, a server
/// the request), with the Sec-WebSocket-Accept derivation spelled out.
QString checks(const Session &session, std::uint32_t index)
{
    const auto &detail = std::get<HandshakeDetail>(session.detail(index));
    QString out;
    if (session.event(index).kind == EventKind::HandshakeResponse && !detail.key.isEmpty()) {
        const QByteArray sent = detail.head.value("Sec-WebSocket-Accept");
        const QByteArray expected = detail.expectedAccept;
        out += tr("Sec-WebSocket-Accept (RFC 6455 §4.2.2): base64(SHA-1(%1 + %2)) = %3; the server "
                  "sent %4: %5.\n\n")
                   .arg(code(QString::fromLatin1(detail.key)),
                       code(QString::fromLatin1(kWebSocketGuid)),
                       code(QString::fromLatin1(expected)),
                       sent.isNull() ? tr("none") : code(QString::fromLatin1(sent)),
                       !expected.isEmpty() && sent == expected ? tr("**match**")
                                                               : tr("**no match**"));
    }
    if (detail.checks.isEmpty())
        return out;
    out += session.event(index).kind == EventKind::HandshakeResponse
        ? tr("Checks on the response:\n\n")
        : tr("Checks on the request:\n\n");
    out += tr("| Check | Expected | Actual | Result | Rule |\n|---|---|---|---|---|\n");
    for (const HandshakeCheck &check : detail.checks) {
        out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n")
                   .arg(cell(check.name), cell(check.expected), cell(check.actual),
                       check.passed ? tr("pass")
                                    : (check.required ? tr("**FAIL**") : tr("advice not followed")),
                       cell(check.rfcSection));
    }
    return out + u'\n';
}

QString openingHandshake(const Session &session, const Contents &contents)
{
    QString out = tr("## Opening handshake\n\n");
    if (!contents.request && !contents.response)
        return out + tr("No opening handshake was recorded.\n\n");
    for (const auto &[index, title] : {std::pair {contents.request, tr("Request")},
             std::pair {contents.response, tr("Response")}}) {
        if (!index)
            continue;
        out += tr("%1 (%2 s):\n\n").arg(title, ExportLabels::seconds(session.event(*index).timeNs));
        out += fenced(headText(session.bytes(*index)), QStringLiteral("http"));
        out += u'\n';
    }
    for (const std::optional<std::uint32_t> index : {contents.request, contents.response}) {
        if (index)
            out += checks(session, *index);
    }
    return out;
}

QString framePreview(const Session &session, std::uint32_t index)
{
    const FrameHeader header = session.frameHeader(index);
    const QByteArray payload = session.framePayload(index);
    if (header.opcode == std::uint8_t(Opcode::Close) && payload.size() >= 2) {
        ClosePayload body;
        body.code = std::uint16_t((std::uint8_t(payload[0]) << 8) | std::uint8_t(payload[1]));
        body.reason = payload.mid(2);
        return ExportLabels::close(body);
    }
    return payload.isEmpty()
        ? QString()
        : payloadPreview(payload, header.opcode != std::uint8_t(Opcode::Binary), 64);
}

QString frameTable(const Session &session, const Contents &contents, int maxRows)
{
    QString out = tr("## Frames\n\n");
    if (contents.frameEvents.isEmpty())
        return out + tr("There are no frames in this session.\n\n");
    out += tr("| # | Time (s) | Dir | Opcode | FIN | RSV | MASK | Length | Payload |\n"
              "|---:|---:|:---:|---|:---:|:---:|---|---:|---|\n");
    const qsizetype rows = std::min<qsizetype>(contents.frameEvents.size(), std::max(0, maxRows));
    for (qsizetype row = 0; row < rows; ++row) {
        const std::uint32_t i = contents.frameEvents[row];
        const FrameHeader header = session.frameHeader(i);
        const QString mask = header.masked
            ? QString::fromLatin1(
                QByteArray(reinterpret_cast<const char *>(header.maskKey.data()), 4).toHex())
            : QStringLiteral("—");
        out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 | %9 |\n")
                   .arg(i)
                   .arg(ExportLabels::seconds(session.event(i).timeNs),
                       arrow(session.event(i).direction),
                       QString::fromLatin1(opcodeName(header.opcode)),
                       header.fin ? QStringLiteral("1") : QStringLiteral("0"),
                       QStringLiteral("%1").arg(header.rsvBits(), 3, 2, QLatin1Char('0')), mask,
                       QString::number(header.payloadLength), cell(framePreview(session, i)));
    }
    if (rows < contents.frameEvents.size())
        out += tr("\n… and %n more frames.\n", int(contents.frameEvents.size() - rows));
    return out + u'\n';
}

/// Messages known without their frames (read from a HAR): what is known of them.
QString messageTable(const Session &session, const Contents &contents, int maxRows)
{
    if (contents.framelessMessages.isEmpty())
        return {};
    QString out
        = tr("## Messages\n\nThese messages are known without their frames (FIN, RSV, masking and "
             "fragmentation are unknown).\n\n");
    out += tr("| # | Time (s) | Dir | Type | Size | Payload |\n|---:|---:|:---:|---|---:|---|\n");
    const qsizetype rows
        = std::min<qsizetype>(contents.framelessMessages.size(), std::max(0, maxRows));
    for (qsizetype row = 0; row < rows; ++row) {
        const std::uint32_t i = contents.framelessMessages[row];
        const auto &message = std::get<MessageDetail>(session.detail(i));
        const bool text = message.opcode == std::uint8_t(Opcode::Text);
        out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
                   .arg(i)
                   .arg(ExportLabels::seconds(session.event(i).timeNs),
                       arrow(session.event(i).direction),
                       QString::fromLatin1(opcodeName(message.opcode)),
                       QString::number(message.size),
                       cell(payloadPreview(session.messagePayload(i), text, 64)));
    }
    if (rows < contents.framelessMessages.size())
        out += tr("\n… and %n more messages.\n", int(contents.framelessMessages.size() - rows));
    return out + u'\n';
}

QString closingHandshake(const Session &session, const Contents &contents)
{
    if (contents.closes.isEmpty())
        return {};
    QString out = tr("## Closing handshake\n\n");
    for (const std::uint32_t i : contents.closes) {
        const auto &close = std::get<CloseDetail>(session.detail(i));
        const bool sent = session.event(i).direction == directionFrom(session.info().localRole);
        out += (sent ? tr("- %1 s, %2: Close sent, %3") : tr("- %1 s, %2: Close received, %3"))
                   .arg(ExportLabels::seconds(session.event(i).timeNs),
                       arrow(session.event(i).direction), cell(ExportLabels::close(close.close)));
        if (close.initiatedLocally && sent)
            out += tr(" (Frameline started the closing handshake)");
        out += u'\n';
    }
    return out + u'\n';
}

QString teardown(const Session &session, const Contents &contents)
{
    if (contents.teardown.isEmpty())
        return {};
    QString out
        = tr("## TCP teardown\n\n| Time (s) | End | State | Detail |\n|---:|---|---|---|\n");
    for (const std::uint32_t i : contents.teardown) {
        const auto &tcp = std::get<TcpStateDetail>(session.detail(i));
        out += QStringLiteral("| %1 | %2 | %3 | %4 |\n")
                   .arg(ExportLabels::seconds(session.event(i).timeNs),
                       ExportLabels::side(tcp.side), cell(ExportLabels::tcpState(tcp)),
                       cell(tcp.info));
    }
    return out + u'\n';
}

QString errorsAndNotes(const Session &session, const Contents &contents)
{
    QString out;
    if (!contents.errors.isEmpty()) {
        out += tr("## Errors\n\n");
        for (const std::uint32_t i : contents.errors) {
            const auto &error = std::get<ErrorDetail>(session.detail(i));
            out += tr("- %1 s: %2")
                       .arg(ExportLabels::seconds(session.event(i).timeNs), cell(error.message));
            if (error.closeCode)
                out += tr(" (close code %1)").arg(error.closeCode);
            out += u'\n';
        }
        out += u'\n';
    }
    if (!contents.notes.isEmpty()) {
        out += tr("## Notes\n\n");
        for (const std::uint32_t i : contents.notes) {
            out += tr("- %1 s: %2\n")
                       .arg(ExportLabels::seconds(session.event(i).timeNs),
                           cell(std::get<NoteDetail>(session.detail(i)).text));
        }
        out += u'\n';
    }
    return out;
}

} // namespace

QByteArray markdownTranscript(const Session &session, const MarkdownOptions &options)
{
    const SessionInfo &info = session.info();
    const Contents contents = contentsOf(session);
    QString out = tr("# WebSocket session: %1\n\n")
                      .arg(cell(info.url.isEmpty() ? tr("(no URL)") : info.url));
    out += summary(session, contents);
    out += openingHandshake(session, contents);
    out += frameTable(session, contents, options.maxFrameRows);
    out += messageTable(session, contents, options.maxFrameRows);
    out += closingHandshake(session, contents);
    out += teardown(session, contents);
    out += errorsAndNotes(session, contents);
    if (options.diagram) {
        out += tr("## Sequence diagram\n\n");
        out += fenced(
            QString::fromUtf8(mermaidSequenceDiagram(session)), QStringLiteral("mermaid"));
    }
    return out.toUtf8();
}

} // namespace frameline
