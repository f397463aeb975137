#pragma once

#include <QtCore/QString>

#include <cstdint>

namespace frameline {

/// Every way a peer can break RFC 6455 / RFC 7692 that Frameline detects. Each value
/// maps to the close code the connection is failed with, the RFC section holding the
/// rule, and a sentence a person can read.
enum class ProtocolError : std::uint8_t {
    NoError,
    // Framing, RFC 6455 §5.2
    ReservedOpcode,           ///< opcode 0x3–0x7 or 0xB–0xF
    ReservedBitsSet,          ///< RSV1–3 set without an extension that defines them
    FragmentedControlFrame,   ///< control frame with FIN = 0 (§5.5)
    ControlFrameTooLong,      ///< control frame payload over 125 bytes (§5.5)
    UnmaskedClientFrame,      ///< a server received an unmasked frame (§5.1)
    MaskedServerFrame,        ///< a client received a masked frame (§5.1)
    LengthMostSignificantBit, ///< 64-bit length with the top bit set (§5.2)
    FrameTooLarge,            ///< payload over the configured frame limit
    // Fragmentation, §5.4
    UnexpectedContinuation,   ///< continuation frame with no message in progress
    ExpectedContinuation,     ///< new data frame while a fragmented message is open
    MessageTooLarge,          ///< reassembled message over the configured limit
    // Payload, §5.6 / §8.1
    InvalidUtf8,              ///< text message is not valid UTF-8
    // Close frames, §5.5.1 / §7.4
    CloseFrameLengthOne,      ///< a close payload of exactly one byte
    InvalidCloseCode,         ///< a close code that is never sent on the wire
    InvalidCloseReasonUtf8,   ///< close reason is not valid UTF-8
    // permessage-deflate, RFC 7692
    CompressedControlFrame,   ///< RSV1 on a control frame (§6.1)
    CompressedContinuation,   ///< RSV1 on a continuation frame (§6.1)
    InflateFailed,            ///< compressed data could not be inflated (§7.2.2)
    // Opening handshake, §4
    HandshakeRejected,        ///< the handshake did not pass its checks
    HandshakeTooLarge,        ///< the HTTP head broke a configured limit
    // Transport
    AbnormalClosure,          ///< TCP closed without a Close frame (§7.1.5)
};

/// The close code a connection is failed with for this error (RFC 6455 §7.4.1).
std::uint16_t closeCodeFor(ProtocolError error);

/// The RFC section that states the rule, e.g. "RFC 6455 §5.2".
QString rfcSectionFor(ProtocolError error);

/// A translated sentence naming the rule that was broken.
QString describe(ProtocolError error);

/// A stable identifier for exports and the CLI ("reserved-opcode").
QByteArray errorKey(ProtocolError error);

} // namespace frameline
