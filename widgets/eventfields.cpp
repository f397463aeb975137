#include "eventfields.h"

#include "closecode.h"
#include "frameproblems.h"
#include "frametablemodel.h"

namespace frameline {
namespace {

FieldNode row(const QString &name, const QString &value, const QString &meaning = {})
{
    FieldNode node;
    node.name = name;
    node.value = value;
    node.meaning = meaning;
    return node;
}

QString yesNo(bool value)
{
    return value ? EventFields::tr("yes") : EventFields::tr("no");
}

QString roleLabel(Role role)
{
    return role == Role::Client ? EventFields::tr("client") : EventFields::tr("server");
}

/// Lines of an HTTP head as (offset, length) without their CRLF, up to the empty line.
std::vector<std::pair<qint64, qint64>> headLines(QByteArrayView raw)
{
    std::vector<std::pair<qint64, qint64>> lines;
    qint64 at = 0;
    while (at < raw.size()) {
        const qsizetype end = raw.indexOf("\r\n", at);
        const qint64 length = (end < 0 ? raw.size() : end) - at;
        if (length == 0)
            break;
        lines.emplace_back(at, length);
        if (end < 0)
            break;
        at = end + 2;
    }
    return lines;
}

QString headerMeaning(const QByteArray &name)
{
    const QByteArray key = name.toLower();
    if (key == "host")
        return EventFields::tr("the server's host (and port); required (RFC 6455 §4.1)");
    if (key == "upgrade")
        return EventFields::tr("must name \"websocket\" (RFC 6455 §4.1, §4.2.2)");
    if (key == "connection")
        return EventFields::tr("must include \"Upgrade\" (RFC 6455 §4.1, §4.2.2)");
    if (key == "sec-websocket-key")
        return EventFields::tr("16 random bytes in base64; the server proves it read the "
                               "request by hashing them (RFC 6455 §4.1)");
    if (key == "sec-websocket-accept")
        return EventFields::tr("base64(SHA-1(key + \"%1\")) (RFC 6455 §4.2.2)")
            .arg(QLatin1StringView(kWebSocketGuid));
    if (key == "sec-websocket-version")
        return EventFields::tr("protocol version; 13 is RFC 6455 (§4.1)");
    if (key == "sec-websocket-protocol")
        return EventFields::tr("subprotocols offered, or the one chosen (RFC 6455 §4.1)");
    if (key == "sec-websocket-extensions")
        return EventFields::tr("extensions offered, or the ones accepted (RFC 6455 §9.1)");
    if (key == "origin")
        return EventFields::tr("the origin of the page, sent by browsers (RFC 6455 §10.2)");
    return {};
}

QString observationLabel(Observation observation)
{
    switch (observation) {
    case Observation::Observed:
        return EventFields::tr("observed: read from the kernel for a socket we own");
    case Observation::Inferred:
        return EventFields::tr("inferred: implied by what was observed, not seen");
    case Observation::PassedUnobserved:
        return EventFields::tr("passed unobserved: must have happened, too fast to be seen");
    case Observation::NotObservable:
        return EventFields::tr("not observable on this platform");
    }
    return {};
}

/// Rows for the details that are plain key/value data (everything but frames,
/// messages and handshakes, which have their own builders).
struct DetailRows
{
    FieldNode &node;
    using Tr = EventFields;

    void operator()(std::monostate) const { }
    void operator()(const HandshakeDetail &) const { }
    void operator()(const MessageDetail &) const { }

    void operator()(const DnsDetail &d) const
    {
        node.value = d.host;
        node.add(row(Tr::tr("host"), d.host));
        FieldNode &addresses
            = node.add(row(Tr::tr("addresses"), QString::number(d.addresses.size())));
        for (const QString &address : d.addresses)
            addresses.add(row(Tr::tr("address"), address));
    }

    void operator()(const TcpDetail &d) const
    {
        const QString local = QStringLiteral("%1:%2").arg(d.localAddress).arg(d.localPort);
        const QString peer = QStringLiteral("%1:%2").arg(d.peerAddress).arg(d.peerPort);
        node.value = Tr::tr("%1 ⇄ %2").arg(local, peer);
        node.add(row(Tr::tr("local"), local, Tr::tr("our end of the connection")));
        node.add(row(Tr::tr("peer"), peer, Tr::tr("the other end")));
    }

    void operator()(const TlsDetail &d) const
    {
        node.value = Tr::tr("%1, %2").arg(d.protocol, d.cipher);
        node.add(row(Tr::tr("protocol"), d.protocol));
        node.add(row(Tr::tr("cipher"), d.cipher));
        if (!d.alpn.isEmpty())
            node.add(
                row(Tr::tr("ALPN"), QString::fromLatin1(d.alpn), Tr::tr("application protocol")));
        FieldNode &chain = node.add(row(Tr::tr("certificates"), QString::number(d.chain.size())));
        for (const CertificateInfo &certificate : d.chain) {
            FieldNode &cert = chain.add(row(Tr::tr("certificate"), certificate.subject));
            cert.add(row(Tr::tr("subject"), certificate.subject));
            cert.add(row(Tr::tr("issuer"), certificate.issuer));
            cert.add(row(Tr::tr("valid from"), certificate.notBefore.toString(Qt::ISODate)));
            cert.add(row(Tr::tr("valid until"), certificate.notAfter.toString(Qt::ISODate)));
            cert.add(row(Tr::tr("SHA-256"), QString::fromLatin1(certificate.sha256.toHex(':'))));
        }
        if (!d.verificationErrors.isEmpty()) {
            FieldNode &errors = node.add(
                row(Tr::tr("verification errors"), QString::number(d.verificationErrors.size())));
            errors.problem = true;
            for (const QString &error : d.verificationErrors)
                errors.add(row(Tr::tr("error"), error)).problem = true;
            node.add(row(Tr::tr("errors accepted"), yesNo(d.errorsAccepted),
                Tr::tr("the person chose to continue despite the errors")));
        }
    }

    void operator()(const CloseDetail &d) const
    {
        const QString code = d.close.code ? QString::number(*d.close.code) : Tr::tr("(none)");
        node.value = code;
        node.add(row(Tr::tr("code"), code,
            QString::fromLatin1(
                closeCodeName(d.close.code.value_or(CloseCode::NoStatusReceived)))));
        node.add(row(Tr::tr("reason"), QString::fromUtf8(d.close.reason)));
        node.add(row(Tr::tr("initiated by"),
            d.initiatedLocally ? Tr::tr("this side") : Tr::tr("the peer"),
            d.initiatedLocally ? Tr::tr("this side sent the first Close frame")
                               : Tr::tr("the peer sent the first Close frame")));
    }

    void operator()(const StateDetail &d) const
    {
        const QString from = QString::fromLatin1(stateName(d.from));
        const QString to = QString::fromLatin1(stateName(d.to));
        node.value = Tr::tr("%1 → %2").arg(from, to);
        node.add(row(Tr::tr("from"), from));
        node.add(row(Tr::tr("to"), to));
    }

    void operator()(const TcpStateDetail &d) const
    {
        const QString state = QString::fromLatin1(tcpStateName(d.state));
        node.value = Tr::tr("%1 end: %2").arg(roleLabel(d.side), state);
        node.add(row(Tr::tr("side"), roleLabel(d.side)));
        node.add(row(Tr::tr("state"), state, Tr::tr("TCP state (RFC 9293 §3.3.2)")));
        node.add(row(Tr::tr("observation"), observationLabel(d.observation)));
        if (!d.info.isEmpty())
            node.add(row(Tr::tr("info"), d.info));
    }

    void operator()(const ErrorDetail &d) const
    {
        node.value = QString::fromLatin1(errorKey(d.error));
        node.problem = true;
        node.add(row(Tr::tr("error"), QString::fromLatin1(errorKey(d.error)), describe(d.error)));
        if (!d.message.isEmpty())
            node.add(row(Tr::tr("message"), d.message));
        node.add(row(Tr::tr("close code"), QString::number(d.closeCode),
            QString::fromLatin1(closeCodeName(d.closeCode))));
        node.add(row(Tr::tr("rule"), rfcSectionFor(d.error)));
        node.add(row(Tr::tr("stream offset"), QString::number(d.streamOffset),
            Tr::tr("where in the stream the offending bytes start")));
    }

    void operator()(const NoteDetail &d) const
    {
        node.value = d.text;
        node.add(row(Tr::tr("text"), d.text));
    }
};

} // namespace

QString EventFields::kindLabel(EventKind kind)
{
    switch (kind) {
    case EventKind::DnsResolved:
        return tr("DNS resolved");
    case EventKind::TcpConnected:
        return tr("TCP connected");
    case EventKind::TlsEstablished:
        return tr("TLS established");
    case EventKind::HandshakeRequest:
        return tr("handshake request");
    case EventKind::HandshakeResponse:
        return tr("handshake response");
    case EventKind::Frame:
        return tr("frame");
    case EventKind::Message:
        return tr("message");
    case EventKind::Close:
        return tr("close");
    case EventKind::StateChanged:
        return tr("state change");
    case EventKind::TcpState:
        return tr("TCP state");
    case EventKind::Error:
        return tr("protocol error");
    case EventKind::Note:
        return tr("note");
    }
    return {};
}

QString EventFields::directionLabel(Direction direction)
{
    switch (direction) {
    case Direction::ClientToServer:
        return tr("C→S (client to server)");
    case Direction::ServerToClient:
        return tr("S→C (server to client)");
    case Direction::None:
        break;
    }
    return tr("none (local)");
}

std::vector<FieldNode> EventFields::describe(const Session &session, std::uint32_t index)
{
    std::vector<FieldNode> rows;
    if (index >= session.eventCount())
        return rows;
    rows.push_back(eventNode(session, index));
    const EventRecord &record = session.event(index);
    const EventDetail &detail = session.detail(index);
    if (record.kind == EventKind::Frame) {
        rows.push_back(frameNode(session, index));
        const QStringList problems = frameProblems(session.frameHeader(index), record.direction);
        if (!problems.isEmpty()) {
            FieldNode &node
                = rows.emplace_back(row(tr("problems"), QString::number(problems.size())));
            node.problem = true;
            for (const QString &problem : problems) {
                FieldNode &rule = node.add(row(tr("rule broken"), QString(), problem));
                rule.problem = true;
            }
        }
    } else if (const auto *message = std::get_if<MessageDetail>(&detail)) {
        rows.push_back(messageNode(session, index, *message));
    } else if (const auto *handshake = std::get_if<HandshakeDetail>(&detail)) {
        rows.push_back(handshakeNode(session, index, *handshake));
    } else if (!std::holds_alternative<std::monostate>(detail)) {
        rows.push_back(detailNode(session, index));
    } else if (record.bytesLength > 0) {
        FieldNode &bytes
            = rows.emplace_back(row(tr("bytes"), tr("%1 byte(s)").arg(record.bytesLength)));
        bytes.byteOffset = 0;
        bytes.byteLength = record.bytesLength;
    }
    return rows;
}

FieldNode EventFields::eventNode(const Session &session, std::uint32_t index)
{
    const EventRecord &record = session.event(index);
    FieldNode node = row(tr("event"), QStringLiteral("#%1").arg(index), kindLabel(record.kind));
    node.add(row(tr("time"), tr("%1 s").arg(formatEventTime(record.timeNs)),
        tr("since the session started")));
    node.add(row(tr("direction"), directionLabel(record.direction)));
    if (record.kind == EventKind::Frame || record.kind == EventKind::HandshakeRequest
        || record.kind == EventKind::HandshakeResponse)
        node.add(row(tr("stream offset"), QString::number(record.streamOffset),
            tr("position of the first byte in this direction's byte stream")));
    if (record.bytesLength > 0 && record.kind != EventKind::Message)
        node.add(row(tr("captured bytes"), QString::number(record.bytesLength)));
    return node;
}

FieldNode EventFields::handshakeNode(
    const Session &session, std::uint32_t index, const HandshakeDetail &handshake)
{
    const bool request = session.event(index).kind == EventKind::HandshakeRequest;
    const QByteArrayView raw = session.bytes(index);
    const auto lines = headLines(raw);

    FieldNode node;
    node.name = request ? tr("HTTP request") : tr("HTTP response");
    node.meaning = request ? tr("opening handshake: asks the server to switch to WebSocket "
                                "(RFC 6455 §4.1)")
                           : tr("opening handshake: the server's answer (RFC 6455 §4.2.2)");
    node.byteOffset = 0;
    node.byteLength = raw.size();
    if (!lines.empty()) {
        const auto [offset, length] = lines.front();
        node.value = QString::fromLatin1(raw.sliced(offset, length));
        FieldNode &start
            = node.add(row(request ? tr("request line") : tr("status line"), node.value));
        start.byteOffset = offset;
        start.byteLength = length;
        if (!request) {
            start.meaning = handshake.head.statusCode == 101
                ? tr("101 Switching Protocols: the connection becomes a WebSocket")
                : tr("not 101: the server did not switch protocols (RFC 6455 §4.1)");
        }
    }

    FieldNode &headers
        = node.add(row(tr("headers"), QString::number(handshake.head.headers.size())));
    // The parsed headers are the head's lines in order (after the start line); if the
    // counts differ (a folded line), rows are shown without byte ranges.
    const bool mapped = lines.size() == std::size_t(handshake.head.headers.size()) + 1;
    for (qsizetype i = 0; i < handshake.head.headers.size(); ++i) {
        const HttpHeader &header = handshake.head.headers[i];
        FieldNode &field = headers.add(row(QString::fromLatin1(header.name),
            QString::fromLatin1(header.value), headerMeaning(header.name)));
        if (mapped) {
            field.byteOffset = lines[std::size_t(i) + 1].first;
            field.byteLength = lines[std::size_t(i) + 1].second;
        }
    }

    if (!handshake.checks.isEmpty()) {
        qsizetype passed = 0;
        for (const HandshakeCheck &check : handshake.checks)
            passed += check.passed ? 1 : 0;
        FieldNode &checks = node.add(
            row(tr("checks"), tr("%1 of %2 passed").arg(passed).arg(handshake.checks.size())));
        for (const HandshakeCheck &check : handshake.checks) {
            const QString verdict = check.passed
                ? tr("passed")
                : (check.required ? tr("failed") : tr("advice not followed"));
            FieldNode &field = checks.add(row(check.name, verdict,
                tr("expected %1, got %2 (%3)")
                    .arg(check.expected, check.actual, check.rfcSection)));
            field.problem = !check.passed && check.required;
        }
        FieldNode &accepted
            = node.add(row(tr("accepted"), yesNo(handshake.accepted), handshake.failureReason));
        accepted.problem = !handshake.accepted;
    }
    if (!handshake.key.isEmpty())
        node.add(row(tr("key"), QString::fromLatin1(handshake.key),
            tr("Sec-WebSocket-Key of this exchange")));
    if (!handshake.expectedAccept.isEmpty())
        node.add(row(tr("expected accept"), QString::fromLatin1(handshake.expectedAccept),
            tr("base64(SHA-1(key + GUID)): what Sec-WebSocket-Accept must be")));
    if (!handshake.subprotocol.isEmpty())
        node.add(
            row(tr("subprotocol"), QString::fromLatin1(handshake.subprotocol), tr("negotiated")));
    if (!handshake.extensions.isEmpty())
        node.add(row(tr("extensions"),
            QString::fromLatin1(formatExtensionList(handshake.extensions)), tr("negotiated")));
    return node;
}

FieldNode EventFields::detailNode(const Session &session, std::uint32_t index)
{
    FieldNode node;
    node.name = kindLabel(session.event(index).kind);
    std::visit(DetailRows {node}, session.detail(index));
    return node;
}

} // namespace frameline
