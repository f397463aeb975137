#include "ipaddresstext.h"

#include <QtCore/QList>

#include <algorithm>

namespace frameline {

std::optional<IpAddress> parseIpv4(QStringView text)
{
    const QList<QStringView> parts = text.split(u'.');
    if (parts.size() != 4)
        return std::nullopt;
    IpAddress address;
    for (int i = 0; i < 4; ++i) {
        const QStringView part = parts[i];
        if (part.isEmpty() || part.size() > 3)
            return std::nullopt;
        int value = 0;
        for (const QChar c : part) {
            if (c < u'0' || c > u'9')
                return std::nullopt;
            value = value * 10 + (c.unicode() - u'0');
        }
        if (value > 255)
            return std::nullopt;
        address.bytes[std::size_t(i)] = std::uint8_t(value);
    }
    return address;
}

namespace {

void putBe16(std::uint8_t *out, std::uint16_t value)
{
    out[0] = std::uint8_t(value >> 8);
    out[1] = std::uint8_t(value);
}

int hexDigit(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

/// Groups of up to four hex digits separated by ':'; the last may be dotted IPv4 when
/// `lastMayBeIpv4` (RFC 4291 §2.2, form 3).

} // namespace

namespace {

bool parseIpv6Groups(QStringView text, bool lastMayBeIpv4, QList<std::uint16_t> &groups)
{
    if (text.isEmpty())
        return true;
    const QList<QStringView> parts = text.split(u':');
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QStringView part = parts[i];
        if (lastMayBeIpv4 && i == parts.size() - 1 && part.contains(u'.')) {
            const std::optional<IpAddress> v4 = parseIpv4(part);
            if (!v4)
                return false;
            groups.append(std::uint16_t(v4->bytes[0] << 8 | v4->bytes[1]));
            groups.append(std::uint16_t(v4->bytes[2] << 8 | v4->bytes[3]));
            continue;
        }
        if (part.isEmpty() || part.size() > 4)
            return false;
        std::uint16_t value = 0;
        for (const QChar c : part) {
            const int digit = hexDigit(c);
            if (digit < 0)
                return false;
            value = std::uint16_t(value << 4 | digit);
        }
        groups.append(value);
    }
    return true;
}

/// RFC 4291 §2.2 text: eight groups, at most one "::" standing for a run of zero groups.

} // namespace

std::optional<IpAddress> parseIpv6(QStringView text)
{
    const qsizetype gap = text.indexOf(u"::");
    if (gap >= 0 && text.indexOf(u"::", gap + 1) >= 0)
        return std::nullopt;
    QList<std::uint16_t> head;
    QList<std::uint16_t> tail;
    if (gap < 0) {
        if (!parseIpv6Groups(text, true, head) || head.size() != 8)
            return std::nullopt;
    } else if (!parseIpv6Groups(text.first(gap), false, head)
        || !parseIpv6Groups(text.sliced(gap + 2), true, tail) || head.size() + tail.size() > 7) {
        return std::nullopt;
    }
    IpAddress address;
    address.v6 = true;
    for (qsizetype i = 0; i < head.size(); ++i)
        putBe16(&address.bytes[std::size_t(2 * i)], head[i]);
    for (qsizetype i = 0; i < tail.size(); ++i)
        putBe16(&address.bytes[std::size_t(16 - 2 * (tail.size() - i))], tail[i]);
    return address;
}

/// An address as QHostAddress and URLs write it: "192.0.2.1", "::1", "[::1]",
/// "fe80::1%eth0" (the scope has no place in a packet and is dropped).
std::optional<IpAddress> parseAddress(QStringView text)
{
    text = text.trimmed();
    if (text.startsWith(u'[') && text.endsWith(u']'))
        text = text.sliced(1, text.size() - 2);
    if (const qsizetype scope = text.indexOf(u'%'); scope >= 0)
        text = text.first(scope);
    return text.contains(u':') ? parseIpv6(text) : parseIpv4(text);
}

IpAddress loopback(bool v6)
{
    IpAddress address;
    address.v6 = v6;
    if (v6)
        address.bytes[15] = 1;
    else
        address.bytes = {127, 0, 0, 1};
    return address;
}

bool isV4Mapped(const IpAddress &address)
{
    static constexpr std::array<std::uint8_t, 12> prefix {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    return address.v6 && std::equal(prefix.begin(), prefix.end(), address.bytes.begin());
}

IpAddress unmapped(const IpAddress &address)
{
    IpAddress v4;
    std::copy_n(address.bytes.begin() + 12, 4, v4.bytes.begin());
    return v4;
}

IpAddress mapped(const IpAddress &address)
{
    IpAddress v6;
    v6.v6 = true;
    v6.bytes[10] = v6.bytes[11] = 0xFF;
    std::copy_n(address.bytes.begin(), 4, v6.bytes.begin() + 12);
    return v6;
}

} // namespace frameline
