#include "pcapng.h"

#include "ipaddresstext.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QIODevice>
#include <QtCore/QList>
#include <QtCore/QUrl>

#include <algorithm>
#include <array>
#include <optional>

namespace frameline {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Pcapng", text);
}

// Block types and option codes of pcapng (draft-ietf-opsawg-pcapng §3.5, §4).
constexpr std::uint32_t kSectionHeaderBlock = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescriptionBlock = 0x00000001;
constexpr std::uint32_t kEnhancedPacketBlock = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kOptEndOfOpt = 0;
constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kShbUserAppl = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfDescription = 3;
constexpr std::uint16_t kIfTsresol = 9;
constexpr std::uint16_t kEpbFlags = 2;
constexpr std::uint16_t kLinkTypeEthernet = 1;

// TCP (RFC 9293 §3.1).
constexpr std::uint8_t kFin = 0x01;
constexpr std::uint8_t kSyn = 0x02;
constexpr std::uint8_t kPsh = 0x08;
constexpr std::uint8_t kAck = 0x10;
/// The largest segment payload: an IPv4 packet's total length is a 16-bit field
/// (RFC 791 §3.1), and 20 bytes each go to the IP and TCP headers. IPv6 uses it too.
constexpr std::uint32_t kMaxSegmentPayload = 65535 - 20 - 20;
/// Window scale shift in the SYNs (RFC 7323 §2.3 allows up to 14): the advertised window,
/// 65535 << 14, then exceeds the biggest write between two ACKs (a 64 MiB frame), so no
/// sender ever looks window-limited.
constexpr std::uint8_t kWindowShift = 14;
/// How long a receiver waits for data of its own to carry an ACK before it sends one
/// alone: the usual delayed-ACK timer (RFC 9293 §3.8.6.3 allows at most 0.5 s).
constexpr std::int64_t kDelayedAckNs = 200'000'000;
/// Fixed initial sequence numbers, so that one session always exports to the same bytes.
constexpr std::uint32_t kClientIsn = 0x6A09E667;
constexpr std::uint32_t kServerIsn = 0xBB67AE85;
/// When the session has no client port: the first of the dynamic ports (RFC 6335 §6).
constexpr std::uint16_t kPlaceholderClientPort = 49152;

void appendLe16(QByteArray &out, std::uint16_t value)
{
    out.append(char(value & 0xFF)).append(char(value >> 8));
}

void appendLe32(QByteArray &out, std::uint32_t value)
{
    for (int shift = 0; shift < 32; shift += 8)
        out.append(char((value >> shift) & 0xFF));
}

void putBe16(std::uint8_t *out, std::uint16_t value)
{
    out[0] = std::uint8_t(value >> 8);
    out[1] = std::uint8_t(value);
}

void putBe32(std::uint8_t *out, std::uint32_t value)
{
    for (int i = 0; i < 4; ++i)
        out[i] = std::uint8_t(value >> (24 - 8 * i));
}

/// The Internet checksum (RFC 1071): the one's complement of the one's complement sum
/// of the data as 16-bit big-endian words, fed in pieces of any length.
class InternetChecksum
{
public:
    void add(const std::uint8_t *data, std::size_t size)
    {
        std::size_t i = 0;
        if (m_odd && size > 0) {
            m_sum += data[i++];
            m_odd = false;
        }
        for (; i + 1 < size; i += 2)
            m_sum += std::uint32_t(data[i]) << 8 | data[i + 1];
        if (i < size) {
            m_sum += std::uint32_t(data[i]) << 8;
            m_odd = true;
        }
    }
    std::uint16_t value() const
    {
        std::uint64_t sum = m_sum;
        while (sum >> 16)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return std::uint16_t(~sum);
    }

private:
    std::uint64_t m_sum = 0;
    bool m_odd = false;
};

/// One end of the made-up TCP connection.
struct TcpEnd
{
    IpAddress address;
    std::uint16_t port = 0;
    std::array<std::uint8_t, 6> mac {};
    std::uint32_t nextSeq = 0; ///< the next sequence number this end sends
    std::uint32_t ackSent = 0; ///< the acknowledgement number of its last segment
    std::uint16_t ipId = 1;
};

/// Which ends' FINs a TCP state of one end proves were sent, in the order they were
/// (RFC 9293 §3.3.2, Figure 5): FIN-WAIT-1/2 follow our own FIN, CLOSE-WAIT the
/// peer's; LAST-ACK answers the peer's FIN with ours, TIME-WAIT and CLOSING come after
/// both, ours first.
QList<Role> finsProvenBy(Role side, TcpState state)
{
    switch (state) {
    case TcpState::FinWait1:
    case TcpState::FinWait2:
        return {side};
    case TcpState::CloseWait:
        return {peerOf(side)};
    case TcpState::LastAck:
        return {peerOf(side), side};
    case TcpState::Closing:
    case TcpState::TimeWait:
        return {side, peerOf(side)};
    default:
        return {};
    }
}

std::size_t indexOf(Role role)
{
    return role == Role::Client ? 0 : 1;
}

bool carriesStreamBytes(const EventRecord &record)
{
    return (record.kind == EventKind::Frame || record.kind == EventKind::HandshakeRequest
               || record.kind == EventKind::HandshakeResponse)
        && record.direction != Direction::None;
}

Role senderOf(Direction direction)
{
    return direction == Direction::ClientToServer ? Role::Client : Role::Server;
}

/// What one pass over the session learns before anything is written: where the
/// connection starts, and after which event each end's FIN goes.
struct Plan
{
    std::optional<std::uint32_t> synAfter; ///< the three-way handshake, before this event's bytes
    std::array<std::optional<std::uint32_t>, 2> finAfter; ///< by end (client, server)
    QList<Role> finOrder;
    const TcpDetail *tcp = nullptr;
    bool tls = false;
};

Plan planFor(const Session &session)
{
    Plan plan;
    std::array<std::optional<std::uint32_t>, 2> lastData;
    std::optional<std::uint32_t> firstData;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        const EventRecord &record = session.event(i);
        const EventDetail &detail = session.detail(i);
        if (record.kind == EventKind::TcpConnected && !plan.tcp) {
            plan.tcp = std::get_if<TcpDetail>(&detail);
            if (!plan.synAfter)
                plan.synAfter = i;
        } else if (record.kind == EventKind::TlsEstablished) {
            plan.tls = true;
        } else if (carriesStreamBytes(record)) {
            if (!firstData)
                firstData = i;
            lastData[indexOf(senderOf(record.direction))] = i;
        } else if (const auto *state = std::get_if<TcpStateDetail>(&detail); state
                   && record.kind == EventKind::TcpState
                   && state->observation != Observation::NotObservable) {
            for (const Role side : finsProvenBy(state->side, state->state)) {
                if (!plan.finAfter[indexOf(side)]) {
                    plan.finAfter[indexOf(side)] = i;
                    plan.finOrder.append(side);
                }
            }
        }
    }
    if (firstData && (!plan.synAfter || *firstData < *plan.synAfter))
        plan.synAfter = firstData;
    // wss: the session holds the plaintext Frameline had after decryption, not the TLS
    // records, so the capture carries that plaintext as plain TCP, on the real ports: a
    // person matches a capture with logs and firewall rules by them. Wireshark 4.0 copes
    // without help: on 443 its TLS dissector declines bytes that are not TLS records and
    // HTTP takes them (warning that HTTP travels unencrypted on an encrypted port); on
    // other ports its HTTP heuristics find the request. Either way the Upgrade hands the
    // stream to the WebSocket dissector. The file's comments say the bytes were decrypted
    // and name the Decode As for other versions; PcapngOptions::serverPort moves it.
    if (QUrl(session.info().url).scheme().compare(u"wss", Qt::CaseInsensitive) == 0)
        plan.tls = true;
    // A FIN follows every byte its end sent, even when the kernel's state was read
    // before the bytes were (a peer's Close frame still unread when CLOSE-WAIT was seen),
    // and keeps the order the states showed.
    std::optional<std::uint32_t> previousFin;
    for (const Role side : std::as_const(plan.finOrder)) {
        std::optional<std::uint32_t> &fin = plan.finAfter[indexOf(side)];
        fin = std::max({*fin, lastData[indexOf(side)].value_or(0), previousFin.value_or(0),
            plan.synAfter.value_or(0)});
        previousFin = fin;
    }
    return plan;
}

/// Builds pcapng blocks in little-endian byte order: fields, options, then finish().
class Block
{
public:
    explicit Block(std::uint32_t type)
    {
        appendLe32(m_bytes, type);
        appendLe32(m_bytes, 0); // total length, patched by finish()
    }
    QByteArray &bytes() { return m_bytes; }
    void pad() { m_bytes.append((4 - m_bytes.size() % 4) % 4, '\0'); }
    void option(std::uint16_t code, QByteArrayView value)
    {
        value = value.first(std::min<qsizetype>(value.size(), 0xFFFF)); // a 16-bit length
        appendLe16(m_bytes, code);
        appendLe16(m_bytes, std::uint16_t(value.size()));
        m_bytes.append(value);
        pad();
        m_hasOptions = true;
    }
    const QByteArray &finish()
    {
        if (m_hasOptions)
            option(kOptEndOfOpt, {});
        const auto total = std::uint32_t(m_bytes.size() + 4);
        appendLe32(m_bytes, total);
        for (int i = 0; i < 4; ++i)
            m_bytes[4 + i] = char((total >> (8 * i)) & 0xFF);
        return m_bytes;
    }

private:
    QByteArray m_bytes;
    bool m_hasOptions = false;
};

/// Writes the session's TCP connection, packet by packet, in the order of its events.
class Exporter
{
public:
    Exporter(const Session &session, QIODevice &device, const Plan &plan)
        : m_session(session)
        , m_device(device)
        , m_plan(plan)
    { }

    bool resolveEndpoints(const PcapngOptions &options);
    bool write();
    const QString &error() const { return m_error; }

private:
    TcpEnd &end(Role role) { return m_ends[indexOf(role)]; }
    std::uint64_t timestampOf(const EventRecord &record) const;
    QByteArray sectionComment() const;
    bool writeBlock(const QByteArray &block);
    bool writeHeaderBlocks();
    bool writeEventBytes(std::uint32_t index, std::uint64_t time);
    /// Sends the ACK a receiver owes before `sender` writes at `time`.
    bool settleAcks(Role sender, std::uint64_t time);
    bool segment(Role sender, std::uint8_t flags, QByteArrayView captured, std::uint32_t wireLength,
        std::uint64_t time, QByteArrayView comment = {});

    const Session &m_session;
    QIODevice &m_device;
    const Plan &m_plan;
    std::array<TcpEnd, 2> m_ends;
    /// By direction: where the next frame starts in the stream, after the last frame.
    std::array<std::optional<std::uint64_t>, 2> m_frameEnd;
    std::int64_t m_startNs = 0;
    std::uint64_t m_lastTime = 0;
    bool m_placeholderAddresses = false;
    QString m_error;
};

bool Exporter::resolveEndpoints(const PcapngOptions &options)
{
    const Role local = m_session.info().localRole;
    const TcpDetail *tcp = m_plan.tcp;
    const auto sessionAddress = [&](Role role) -> std::optional<IpAddress> {
        if (!tcp)
            return std::nullopt;
        return parseAddress(role == local ? tcp->localAddress : tcp->peerAddress);
    };
    const auto sessionPort = [&](Role role) -> std::uint16_t {
        return tcp ? (role == local ? tcp->localPort : tcp->peerPort) : 0;
    };

    std::array<std::optional<IpAddress>, 2> addresses;
    const std::array<const QString *, 2> given {&options.clientAddress, &options.serverAddress};
    for (const Role role : {Role::Client, Role::Server}) {
        const QString &text = *given[indexOf(role)];
        if (text.isEmpty()) {
            addresses[indexOf(role)] = sessionAddress(role);
            continue;
        }
        addresses[indexOf(role)] = parseAddress(text);
        if (!addresses[indexOf(role)]) {
            m_error = (role == Role::Client
                    ? tr("The client address “%1” is not an IPv4 or IPv6 address.")
                    : tr("The server address “%1” is not an IPv4 or IPv6 address."))
                          .arg(text);
            return false;
        }
    }
    // Without recorded addresses (a session from a HAR file): the URL's host when it is
    // an address, else loopback — placeholders, and the capture's comment says so.
    const QUrl url(m_session.info().url);
    std::optional<IpAddress> &server = addresses[1];
    std::optional<IpAddress> &client = addresses[0];
    if (!server || !client)
        m_placeholderAddresses = true;
    if (!server)
        server = parseAddress(url.host());
    if (!server)
        server = loopback(client && client->v6);
    if (!client)
        client = loopback(server->v6);
    // One packet has one family: IPv4-mapped addresses become IPv4 when the other end
    // allows it; otherwise the IPv4 end is written mapped into IPv6.
    if (isV4Mapped(*client) && (isV4Mapped(*server) || !server->v6))
        client = unmapped(*client);
    if (isV4Mapped(*server) && !client->v6)
        server = unmapped(*server);
    if (client->v6 != server->v6) {
        if (!client->v6)
            client = mapped(*client);
        else
            server = mapped(*server);
    }

    const bool secure = url.scheme().compare(u"wss", Qt::CaseInsensitive) == 0;
    std::uint16_t serverPort = options.serverPort ? options.serverPort : sessionPort(Role::Server);
    if (!serverPort)
        serverPort = std::uint16_t(url.port(secure ? 443 : 80));
    std::uint16_t clientPort = options.clientPort ? options.clientPort : sessionPort(Role::Client);
    if (!clientPort) {
        clientPort = kPlaceholderClientPort;
        m_placeholderAddresses = true;
    }

    end(Role::Client) = TcpEnd {*client, clientPort, {0x02, 'F', 'L', 0, 0, 1}, kClientIsn, 0, 1};
    end(Role::Server) = TcpEnd {*server, serverPort, {0x02, 'F', 'L', 0, 0, 2}, kServerIsn, 0, 1};
    return true;
}

std::uint64_t Exporter::timestampOf(const EventRecord &record) const
{
    // Never backwards: Wireshark analyses packets in file order, and times that go back
    // (a session edited by hand) would only confuse its time columns.
    const std::int64_t time = std::max<std::int64_t>(0, m_startNs + record.timeNs);
    return std::max(m_lastTime, std::uint64_t(time));
}

// The comments are part of a file people share and other tools read, so they stay in
// English like the protocol terms, whatever the interface language.
QByteArray Exporter::sectionComment() const
{
    const SessionInfo &info = m_session.info();
    QString text = QStringLiteral("WebSocket session %1, recorded by Frameline as the %2%3.")
                       .arg(info.url.isEmpty() ? QStringLiteral("(no URL)") : info.url,
                           info.localRole == Role::Client ? QStringLiteral("client")
                                                          : QStringLiteral("server"),
                           info.startedAt.isValid()
                               ? QStringLiteral(", started %1")
                                     .arg(info.startedAt.toUTC().toString(Qt::ISODateWithMs))
                               : QString());
    text += QStringLiteral(
        " Frameline records the WebSocket byte streams, not packets: the Ethernet, IP and TCP "
        "headers here are made up around the recorded bytes (MAC addresses, sequence numbers, "
        "windows and ACK segments); payload bytes and timestamps are real.");
    if (!info.startedAt.isValid())
        text += QStringLiteral(" The session's start time is unknown, so times count from 1970.");
    if (m_placeholderAddresses)
        text += QStringLiteral(" The session did not record the TCP addresses and ports; some "
                               "written here are placeholders.");
    if (m_plan.tls)
        text += QStringLiteral(
            " The connection used TLS: the bytes are the decrypted plaintext Frameline "
            "saw, written as plain TCP on the real ports. Wireshark may warn about "
            "unencrypted HTTP on an encrypted port; if it shows the bytes as TLS, use "
            "Decode As… to decode TCP port %1 as HTTP.")
                    .arg(m_ends[1].port);
    if (m_plan.finOrder.isEmpty())
        text += QStringLiteral(" The session did not record the TCP teardown, so no FIN segments "
                               "are written.");
    return text.toUtf8();
}

bool Exporter::writeBlock(const QByteArray &block)
{
    if (m_device.write(block) == block.size())
        return true;
    m_error = tr("The capture could not be written: %1").arg(m_device.errorString());
    return false;
}

bool Exporter::writeHeaderBlocks()
{
    // Section Header Block (§4.1): byte-order magic, version 1.0, section length unknown.
    Block section(kSectionHeaderBlock);
    appendLe32(section.bytes(), kByteOrderMagic);
    appendLe16(section.bytes(), 1);
    appendLe16(section.bytes(), 0);
    appendLe32(section.bytes(), 0xFFFFFFFF);
    appendLe32(section.bytes(), 0xFFFFFFFF);
    section.option(kOptComment, sectionComment());
    section.option(kShbUserAppl, QByteArrayLiteral("Frameline " FRAMELINE_VERSION));

    // Interface Description Block (§4.2): Ethernet, no snap length, nanosecond times.
    Block interface(kInterfaceDescriptionBlock);
    appendLe16(interface.bytes(), kLinkTypeEthernet);
    appendLe16(interface.bytes(), 0);
    appendLe32(interface.bytes(), 0);
    interface.option(kIfName, "frameline");
    interface.option(kIfDescription, "WebSocket connection rebuilt from a Frameline session");
    interface.option(kIfTsresol, QByteArrayView("\x09", 1));
    return writeBlock(section.finish()) && writeBlock(interface.finish());
}

bool Exporter::segment(Role sender, std::uint8_t flags, QByteArrayView captured,
    std::uint32_t wireLength, std::uint64_t time, QByteArrayView comment)
{
    TcpEnd &from = end(sender);
    const TcpEnd &to = end(peerOf(sender));
    const bool v6 = from.address.v6;
    const bool synOptions = flags & kSyn;
    const std::size_t tcpHeader = synOptions ? 28 : 20;
    const std::size_t ipHeader = v6 ? 40 : 20;
    const std::size_t headers = 14 + ipHeader + tcpHeader;
    const std::uint32_t ack = (flags & kAck) ? to.nextSeq : 0;

    std::array<std::uint8_t, 14 + 40 + 28> h {};
    std::copy(to.mac.begin(), to.mac.end(), h.begin());
    std::copy(from.mac.begin(), from.mac.end(), h.begin() + 6);
    putBe16(&h[12], v6 ? 0x86DD : 0x0800);
    std::uint8_t *ip = &h[14];
    const std::size_t addressSize = v6 ? 16 : 4;
    if (v6) {
        // RFC 8200 §3: version 6, no traffic class or flow label, TCP next, hop limit 64.
        ip[0] = 0x60;
        putBe16(&ip[4], std::uint16_t(tcpHeader + wireLength));
        ip[6] = 6;
        ip[7] = 64;
        std::copy_n(from.address.bytes.begin(), 16, ip + 8);
        std::copy_n(to.address.bytes.begin(), 16, ip + 24);
    } else {
        // RFC 791 §3.1: version 4, 5-word header, Don't Fragment, TTL 64, TCP.
        ip[0] = 0x45;
        putBe16(&ip[2], std::uint16_t(ipHeader + tcpHeader + wireLength));
        putBe16(&ip[4], from.ipId++);
        putBe16(&ip[6], 0x4000);
        ip[8] = 64;
        ip[9] = 6;
        std::copy_n(from.address.bytes.begin(), 4, ip + 12);
        std::copy_n(to.address.bytes.begin(), 4, ip + 16);
        InternetChecksum sum;
        sum.add(ip, ipHeader);
        putBe16(&ip[10], sum.value());
    }
    std::uint8_t *tcp = ip + ipHeader;
    putBe16(&tcp[0], from.port);
    putBe16(&tcp[2], to.port);
    putBe32(&tcp[4], from.nextSeq);
    putBe32(&tcp[8], ack);
    tcp[12] = std::uint8_t((tcpHeader / 4) << 4);
    tcp[13] = flags;
    putBe16(&tcp[14], 0xFFFF);
    if (synOptions) {
        // MSS (kind 2), NOP, window scale (kind 3): RFC 9293 §3.2, RFC 7323 §2.2.
        const std::uint8_t options[8] = {2, 4, 0, 0, 1, 3, 3, kWindowShift};
        std::copy_n(options, 8, tcp + 20);
        putBe16(&tcp[22], std::uint16_t(kMaxSegmentPayload));
    }
    // The checksum covers the pseudo-header (RFC 9293 §3.1, RFC 8200 §8.1), the header
    // and the whole payload; for a payload not kept in full it cannot be computed and is
    // left 0 (Wireshark reports it unverified, as for any packet cut by a snap length).
    if (std::uint32_t(captured.size()) == wireLength) {
        InternetChecksum sum;
        sum.add(ip + (v6 ? 8 : 12), 2 * addressSize);
        const auto tcpLength = std::uint32_t(tcpHeader + wireLength);
        std::uint8_t pseudo[8] = {};
        if (v6) { // 32-bit upper-layer length, three zero bytes, next header
            putBe32(&pseudo[0], tcpLength);
            pseudo[7] = 6;
            sum.add(pseudo, 8);
        } else { // zero, protocol, 16-bit TCP length
            pseudo[1] = 6;
            putBe16(&pseudo[2], std::uint16_t(tcpLength));
            sum.add(pseudo, 4);
        }
        sum.add(tcp, tcpHeader);
        sum.add(
            reinterpret_cast<const std::uint8_t *>(captured.data()), std::size_t(captured.size()));
        putBe16(&tcp[16], sum.value());
    }

    // Enhanced Packet Block (§4.3): interface 0, time in ns, captured and original length.
    Block packet(kEnhancedPacketBlock);
    QByteArray &out = packet.bytes();
    out.reserve(
        qsizetype(64 + headers + std::size_t(captured.size()) + std::size_t(comment.size())));
    appendLe32(out, 0);
    appendLe32(out, std::uint32_t(time >> 32));
    appendLe32(out, std::uint32_t(time));
    appendLe32(out, std::uint32_t(headers + std::size_t(captured.size())));
    appendLe32(out, std::uint32_t(headers + wireLength));
    out.append(reinterpret_cast<const char *>(h.data()), qsizetype(headers));
    out.append(captured);
    packet.pad();
    if (!comment.isEmpty())
        packet.option(kOptComment, comment);
    // epb_flags direction (§4.3.1): outbound for what Frameline's side sent.
    QByteArray direction;
    appendLe32(direction, sender == m_session.info().localRole ? 2 : 1);
    packet.option(kEpbFlags, direction);

    from.nextSeq += wireLength + ((flags & (kSyn | kFin)) ? 1 : 0);
    if (flags & kAck)
        from.ackSent = ack;
    m_lastTime = std::max(m_lastTime, time);
    return writeBlock(packet.finish());
}

bool Exporter::settleAcks(Role sender, std::uint64_t time)
{
    const Role receiver = peerOf(sender);
    // The receiver owes an ACK for what the sender wrote before: it acknowledges at once,
    // having had nothing to send in between (each write is acknowledged, so the bytes in
    // flight never exceed one write).
    if (end(receiver).ackSent != end(sender).nextSeq)
        return segment(receiver, kAck, {}, 0, m_lastTime);
    // The sender owes one: it rides on this segment unless the delayed-ACK timer ran out.
    if (end(sender).ackSent != end(receiver).nextSeq
        && time - m_lastTime > std::uint64_t(kDelayedAckNs))
        return segment(sender, kAck, {}, 0, m_lastTime);
    return true;
}

bool Exporter::writeEventBytes(std::uint32_t index, std::uint64_t time)
{
    const EventRecord &record = m_session.event(index);
    const Role sender = senderOf(record.direction);
    const QByteArrayView captured = m_session.bytes(index);
    std::uint64_t wireLength = std::uint64_t(captured.size());
    QByteArray comment;
    std::uint64_t missed = 0;
    if (record.kind == EventKind::Frame) {
        wireLength = std::max(wireLength, m_session.frameHeader(index).frameSize());
        if (m_session.frameTruncated(index))
            comment = QStringLiteral("Frameline kept %1 of this WebSocket frame's %2 bytes "
                                     "(the session's capture limit).")
                          .arg(captured.size())
                          .arg(wireLength)
                          .toUtf8();
        // Frame offsets count from the first frame of their direction. One past where the
        // previous frame ended means bytes went by that the session does not hold: they
        // keep their place in the sequence space, and Wireshark reports them as not
        // captured. (An offset before that end is a session that did not keep offsets.)
        std::optional<std::uint64_t> &frameEnd = m_frameEnd[indexOf(sender)];
        if (frameEnd && record.streamOffset > *frameEnd) {
            missed = record.streamOffset - *frameEnd;
            comment.prepend(QStringLiteral("The session did not record the %1 bytes sent before "
                                           "this WebSocket frame. ")
                                .arg(missed)
                                .toUtf8());
        }
        frameEnd = record.streamOffset + wireLength;
    }
    if (wireLength == 0)
        return true;
    if (!settleAcks(sender, time))
        return false;
    end(sender).nextSeq += std::uint32_t(missed);
    // Segments of at most kMaxSegmentPayload; PSH on the last one of each write, as a
    // stack sets it when its send buffer empties (RFC 9293 §3.9.1.2). Bytes past the
    // captured ones still take their place in the sequence space.
    const auto capturedSize = std::uint64_t(captured.size());
    for (std::uint64_t done = 0; done < wireLength;) {
        const auto length
            = std::uint32_t(std::min<std::uint64_t>(kMaxSegmentPayload, wireLength - done));
        const std::uint64_t from = std::min(done, capturedSize);
        const std::uint64_t kept = std::min<std::uint64_t>(length, capturedSize - from);
        const bool last = done + length == wireLength;
        if (!segment(sender, kAck | (last ? kPsh : 0),
                captured.sliced(qsizetype(from), qsizetype(kept)), length, time,
                done == 0 ? QByteArrayView(comment) : QByteArrayView()))
            return false;
        done += length;
    }
    return true;
}

bool Exporter::write()
{
    const QDateTime startedAt = m_session.info().startedAt;
    m_startNs = startedAt.isValid() ? startedAt.toMSecsSinceEpoch() * 1'000'000 : 0;
    if (!writeHeaderBlocks())
        return false;
    if (!m_plan.synAfter)
        return true; // no connection was made: an empty capture says so
    for (std::uint32_t i = *m_plan.synAfter; i < m_session.eventCount(); ++i) {
        const EventRecord &record = m_session.event(i);
        const std::uint64_t time = timestampOf(record);
        if (i == *m_plan.synAfter) {
            // The three-way handshake (RFC 9293 §3.5) at the time the connection was
            // known to be up: Frameline sees it complete, not its three segments.
            const QByteArray comment = m_plan.tls
                ? QStringLiteral("TLS decrypted by Frameline: the TCP payload is the plaintext. "
                                 "If Wireshark shows it as TLS, decode TCP port %1 as HTTP.")
                      .arg(end(Role::Server).port)
                      .toUtf8()
                : QByteArray();
            if (!segment(Role::Client, kSyn, {}, 0, time, comment)
                || !segment(Role::Server, kSyn | kAck, {}, 0, time)
                || !segment(Role::Client, kAck, {}, 0, time))
                return false;
        }
        if (carriesStreamBytes(record) && !writeEventBytes(i, time))
            return false;
        for (const Role side : m_plan.finOrder) {
            if (m_plan.finAfter[indexOf(side)] == i
                && (!settleAcks(side, time) || !segment(side, kFin | kAck, {}, 0, time)))
                return false;
        }
    }
    // The last write is acknowledged too (a FIN included: TIME-WAIT follows that ACK).
    for (const Role side : {Role::Client, Role::Server}) {
        if (end(side).ackSent != end(peerOf(side)).nextSeq
            && !segment(side, kAck, {}, 0, m_lastTime))
            return false;
    }
    return true;
}

} // namespace

bool writePcapng(
    const Session &session, QIODevice &device, QString *error, const PcapngOptions &options)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (!device.isWritable())
        return fail(tr("The capture could not be written: the file is not open for writing."));
    const Plan plan = planFor(session);
    Exporter exporter(session, device, plan);
    if (!exporter.resolveEndpoints(options) || !exporter.write())
        return fail(exporter.error());
    return true;
}

} // namespace frameline
