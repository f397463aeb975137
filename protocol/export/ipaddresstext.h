#pragma once

// IP addresses written as text, read without Qt Network (the export library uses
// Qt Core only): dotted IPv4, IPv6 with "::" and an embedded IPv4 tail, and the
// IPv4-mapped form. Used by the pcapng writer for the addresses it puts in headers.

#include <QtCore/QStringView>

#include <array>
#include <cstdint>
#include <optional>

namespace frameline {

struct IpAddress
{
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes {}; ///< IPv4: the first 4
};

/// Dotted-quad IPv4 ("192.0.2.7"), four decimal parts of at most 255.
std::optional<IpAddress> parseIpv4(QStringView text);
/// IPv6 text (RFC 4291 §2.2), with "::" and an IPv4 tail allowed.
std::optional<IpAddress> parseIpv6(QStringView text);
/// An IPv4 or IPv6 address from its text; nothing when it is neither.
std::optional<IpAddress> parseAddress(QStringView text);
/// 127.0.0.1 or ::1.
IpAddress loopback(bool v6);
/// ::ffff:a.b.c.d (RFC 4291 §2.5.5.2).
bool isV4Mapped(const IpAddress &address);
/// The IPv4 address inside an IPv4-mapped one.
IpAddress unmapped(const IpAddress &address);
/// An IPv4 address as IPv4-mapped IPv6.
IpAddress mapped(const IpAddress &address);

} // namespace frameline
