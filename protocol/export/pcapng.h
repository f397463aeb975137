#pragma once

#include "session.h"

#include <QtCore/QString>

#include <cstdint>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace frameline {

/// What a pcapng export may write differently from the session. Every field left empty
/// (or 0) takes the session's value, or a placeholder when the session has none.
struct PcapngOptions
{
    /// IPv4 or IPv6 text ("192.0.2.7", "2001:db8::7"). When the two ends end up in
    /// different families, the IPv4 one is written as an IPv4-mapped IPv6 address.
    QString clientAddress;
    QString serverAddress;
    std::uint16_t clientPort = 0;
    /// A wss:// session is written as its decrypted plaintext on its real port (443, …);
    /// another port here (80) spares a reader Wireshark's warning about plain HTTP on
    /// an encrypted port.
    std::uint16_t serverPort = 0;
};

/// Writes `session` as a pcapng capture to `device` (open for writing): one TCP
/// connection over Ethernet and IPv4 or IPv6, whose byte streams are the recorded
/// handshake heads and frame bytes, so that Wireshark and tshark decode the same
/// WebSocket frames Frameline shows.
///
/// The headers are made up around the real bytes: a three-way handshake when the
/// connection was made, segments of at most 65,495 bytes with consistent sequence and
/// acknowledgement numbers, every write acknowledged by the receiver, FIN segments
/// only where the session's TCP states show them, timestamps from the session's clock
/// in nanoseconds. A frame cut short by the capture limit keeps its place in the
/// sequence space, its segments captured only in part (as with a snap length).
///
/// Returns false on a write error or bad options, with a sentence in `*error`.
bool writePcapng(const Session &session, QIODevice &device, QString *error = nullptr,
    const PcapngOptions &options = {});

} // namespace frameline
