#pragma once

// Reads a pcapng capture back, independently of any writer: blocks, options, and the
// Ethernet/IP/TCP headers of each packet, with checksums checked. For the pcapng
// exporter's tests.

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>

#include <cstdint>

namespace frameline::test {

// --- Reading a capture back, independently of the writer -----------------------------

inline std::uint16_t le16(const QByteArray &b, qsizetype at)
{
    return std::uint16_t(std::uint8_t(b[at]) | std::uint8_t(b[at + 1]) << 8);
}

inline std::uint32_t le32(const QByteArray &b, qsizetype at)
{
    return std::uint32_t(le16(b, at)) | std::uint32_t(le16(b, at + 2)) << 16;
}

inline std::uint16_t be16(const QByteArray &b, qsizetype at)
{
    return std::uint16_t(std::uint8_t(b[at]) << 8 | std::uint8_t(b[at + 1]));
}

inline std::uint32_t be32(const QByteArray &b, qsizetype at)
{
    return std::uint32_t(be16(b, at)) << 16 | be16(b, at + 2);
}

/// RFC 1071: summing data that includes its own checksum gives 0xFFFF.
inline std::uint16_t onesComplementSum(const QByteArray &data)
{
    std::uint32_t sum = 0;
    for (qsizetype i = 0; i < data.size(); i += 2) {
        sum += std::uint32_t(std::uint8_t(data[i])) << 8;
        if (i + 1 < data.size())
            sum += std::uint8_t(data[i + 1]);
    }
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return std::uint16_t(sum);
}

struct Packet
{
    std::uint64_t timeNs = 0;
    std::uint32_t capturedLength = 0;
    std::uint32_t originalLength = 0;
    std::uint32_t epbFlags = 0;
    QByteArray comment;
    bool v6 = false;
    QByteArray source; ///< address bytes
    QByteArray destination;
    std::uint16_t sourcePort = 0;
    std::uint16_t destinationPort = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    QByteArray payload; ///< the captured part
    std::uint32_t payloadLength = 0; ///< on the wire
    bool ipChecksumValid = true; ///< IPv4 only
    std::optional<bool> tcpChecksumValid; ///< unknown when the packet was not kept whole

    bool syn() const { return flags & 0x02; }
    bool fin() const { return flags & 0x01; }
    bool hasAck() const { return flags & 0x10; }
};

struct Capture
{
    QString problem; ///< the first thing wrong with the file, empty when none
    std::uint32_t byteOrderMagic = 0;
    QByteArray userApplication;
    QByteArray sectionComment;
    std::optional<std::uint16_t> linkType;
    std::optional<std::uint8_t> tsresol;
    QList<Packet> packets;
};

/// Options of a block from `at` to `end`: code → value (the last of each code).
inline QHash<std::uint16_t, QByteArray> readOptions(
    const QByteArray &b, qsizetype at, qsizetype end, QString &problem)
{
    QHash<std::uint16_t, QByteArray> options;
    while (at + 4 <= end) {
        const std::uint16_t code = le16(b, at);
        const std::uint16_t length = le16(b, at + 2);
        if (code == 0)
            return options;
        if (at + 4 + length > end) {
            problem = QStringLiteral("option %1 runs past its block").arg(code);
            return options;
        }
        options.insert(code, b.mid(at + 4, length));
        at += 4 + (length + 3) / 4 * 4;
    }
    if (at != end)
        problem = QStringLiteral("options do not end on a 32-bit boundary");
    return options;
}

inline void decodePacket(const QByteArray &data, Packet &p, QString &problem)
{
    const std::uint16_t etherType = be16(data, 12);
    qsizetype tcpAt = 0;
    std::uint32_t tcpLength = 0;
    QByteArray pseudo;
    if (etherType == 0x0800) {
        const int headerLength = (std::uint8_t(data[14]) & 0x0F) * 4;
        if (std::uint8_t(data[14]) >> 4 != 4 || headerLength != 20 || std::uint8_t(data[23]) != 6) {
            problem = QStringLiteral("not an IPv4 header without options carrying TCP");
            return;
        }
        const std::uint16_t total = be16(data, 16);
        if (total != p.originalLength - 14) {
            problem = QStringLiteral("IPv4 total length %1 for a %2-byte frame")
                          .arg(total)
                          .arg(p.originalLength);
            return;
        }
        p.ipChecksumValid = onesComplementSum(data.mid(14, 20)) == 0xFFFF;
        p.source = data.mid(26, 4);
        p.destination = data.mid(30, 4);
        tcpAt = 34;
        tcpLength = total - 20u;
        pseudo = p.source + p.destination + QByteArray::fromHex("0006");
        pseudo.append(char(tcpLength >> 8)).append(char(tcpLength & 0xFF));
    } else if (etherType == 0x86DD) {
        p.v6 = true;
        if (std::uint8_t(data[14]) >> 4 != 6 || std::uint8_t(data[20]) != 6) {
            problem = QStringLiteral("not an IPv6 header carrying TCP");
            return;
        }
        const std::uint16_t payloadLength = be16(data, 18);
        if (payloadLength != p.originalLength - 54) {
            problem = QStringLiteral("IPv6 payload length %1 for a %2-byte frame")
                          .arg(payloadLength)
                          .arg(p.originalLength);
            return;
        }
        p.source = data.mid(22, 16);
        p.destination = data.mid(38, 16);
        tcpAt = 54;
        tcpLength = payloadLength;
        pseudo = p.source + p.destination;
        for (int shift = 24; shift >= 0; shift -= 8)
            pseudo.append(char((tcpLength >> shift) & 0xFF));
        pseudo.append(QByteArray::fromHex("00000006"));
    } else {
        problem = QStringLiteral("EtherType 0x%1").arg(etherType, 4, 16, QLatin1Char('0'));
        return;
    }
    p.sourcePort = be16(data, tcpAt);
    p.destinationPort = be16(data, tcpAt + 2);
    p.seq = be32(data, tcpAt + 4);
    p.ack = be32(data, tcpAt + 8);
    const int dataOffset = (std::uint8_t(data[tcpAt + 12]) >> 4) * 4;
    p.flags = std::uint8_t(data[tcpAt + 13]);
    p.payload = data.mid(tcpAt + dataOffset);
    p.payloadLength = tcpLength - std::uint32_t(dataOffset);
    if (p.capturedLength == p.originalLength)
        p.tcpChecksumValid = onesComplementSum(pseudo + data.mid(tcpAt)) == 0xFFFF;
}

inline Capture readCapture(const QByteArray &b)
{
    Capture capture;
    QString &problem = capture.problem;
    qsizetype at = 0;
    bool first = true;
    while (problem.isEmpty() && at < b.size()) {
        if (at + 12 > b.size()) {
            problem = QStringLiteral("a block header is cut at byte %1").arg(at);
            break;
        }
        const std::uint32_t type = le32(b, at);
        const std::uint32_t length = le32(b, at + 4);
        if (length < 12 || length % 4 != 0 || at + length > b.size()
            || le32(b, at + length - 4) != length) {
            problem = QStringLiteral("block of type %1 at byte %2 has a bad length %3")
                          .arg(type)
                          .arg(at)
                          .arg(length);
            break;
        }
        const qsizetype end = at + length - 4;
        if (first && type != 0x0A0D0D0A)
            problem = QStringLiteral("the file does not start with a Section Header Block");
        first = false;
        if (type == 0x0A0D0D0A) {
            capture.byteOrderMagic = le32(b, at + 8);
            if (le16(b, at + 12) != 1 || le16(b, at + 14) != 0)
                problem = QStringLiteral("pcapng version is not 1.0");
            const auto options = readOptions(b, at + 24, end, problem);
            capture.userApplication = options.value(4);
            capture.sectionComment = options.value(1);
        } else if (type == 1) {
            capture.linkType = le16(b, at + 8);
            const auto options = readOptions(b, at + 16, end, problem);
            if (options.contains(9) && options.value(9).size() == 1)
                capture.tsresol = std::uint8_t(options.value(9)[0]);
        } else if (type == 6) {
            Packet p;
            if (le32(b, at + 8) != 0)
                problem = QStringLiteral("a packet names an interface that was not described");
            p.timeNs = std::uint64_t(le32(b, at + 12)) << 32 | le32(b, at + 16);
            p.capturedLength = le32(b, at + 20);
            p.originalLength = le32(b, at + 24);
            const qsizetype dataEnd = at + 28 + (qsizetype(p.capturedLength) + 3) / 4 * 4;
            if (p.capturedLength > p.originalLength || dataEnd > end || p.capturedLength < 54) {
                problem
                    = QStringLiteral("packet %1 has bad lengths").arg(capture.packets.size() + 1);
                break;
            }
            const auto options = readOptions(b, dataEnd, end, problem);
            p.comment = options.value(1);
            if (options.contains(2))
                p.epbFlags = le32(options.value(2), 0);
            decodePacket(b.mid(at + 28, p.capturedLength), p, problem);
            capture.packets.append(p);
        } else {
            problem = QStringLiteral("unexpected block type %1").arg(type);
        }
        at += length;
    }
    return capture;
}

// --- What the session says the capture must hold ---------------------------------------

} // namespace frameline::test
