#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

#include <array>
#include <cstdint>
#include <vector>

namespace frameline {

/// Which end of a connection a piece of code acts for. Masking rules and the close
/// handshake depend on it (RFC 6455 §5.1, §7.1.1).
enum class Role : std::uint8_t { Client, Server };

inline constexpr Role peerOf(Role role)
{
    return role == Role::Client ? Role::Server : Role::Client;
}

/// Opcodes defined by RFC 6455 §5.2. Frames keep the raw 4-bit value, so reserved
/// values (0x3–0x7, 0xB–0xF) can be decoded, shown and sent on purpose.
enum class Opcode : std::uint8_t {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

inline constexpr bool isControlOpcode(std::uint8_t opcode)
{
    return (opcode & 0x8) != 0;
}

inline constexpr bool isReservedOpcode(std::uint8_t opcode)
{
    return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB;
}

/// Short English name of an opcode ("text", "close", "reserved 0x3"); not translated,
/// it is a protocol term used in exports and the CLI.
QByteArray opcodeName(std::uint8_t opcode);

/// The width of the payload length field used on the wire (RFC 6455 §5.2).
enum class LengthEncoding : std::uint8_t { Bits7 = 7, Bits16 = 16, Bits64 = 64 };

/// The smallest encoding that can carry this length; the one a conformant sender uses.
inline constexpr LengthEncoding minimalLengthEncoding(std::uint64_t length)
{
    return length <= 125 ? LengthEncoding::Bits7
                         : (length <= 0xFFFF ? LengthEncoding::Bits16 : LengthEncoding::Bits64);
}

inline constexpr std::uint8_t lengthFieldBytes(LengthEncoding encoding)
{
    return encoding == LengthEncoding::Bits7 ? 0 : (encoding == LengthEncoding::Bits16 ? 2 : 8);
}

using MaskKey = std::array<std::uint8_t, 4>;

/// Every field of a WebSocket frame header as it was on the wire (RFC 6455 §5.2).
struct FrameHeader
{
    bool fin = true;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    std::uint8_t opcode = 0; ///< raw 4-bit value
    bool masked = false;
    LengthEncoding lengthEncoding = LengthEncoding::Bits7;
    /// The length field was wider than needed (a sender MUST use the minimal one, §5.2).
    /// Reported, not fatal: the RFC puts no duty on the receiver.
    bool nonMinimalLength = false;
    std::uint8_t headerSize = 2; ///< 2 to 14 bytes
    MaskKey maskKey {};
    std::uint64_t payloadLength = 0;

    bool isControl() const { return isControlOpcode(opcode); }
    std::uint8_t rsvBits() const { return std::uint8_t((rsv1 ? 4 : 0) | (rsv2 ? 2 : 0) | (rsv3 ? 1 : 0)); }
    /// First byte on the wire: FIN, RSV1-3, opcode.
    std::uint8_t firstByte() const;
    /// Second byte on the wire: MASK and the 7-bit length (126/127 for extended lengths).
    std::uint8_t secondByte() const;
    std::uint64_t frameSize() const { return headerSize + payloadLength; }
};

/// A named field of a frame, for the field tree and the hex view.
enum class FrameField : std::uint8_t {
    Fin,
    Rsv1,
    Rsv2,
    Rsv3,
    Opcode,
    Mask,
    PayloadLength,         ///< the 7-bit length in byte 1
    ExtendedPayloadLength, ///< the 16- or 64-bit length after byte 1
    MaskingKey,
    Payload,
};

/// Where a field sits in a frame: bytes [byteOffset, byteOffset + byteLength) from the
/// frame's first byte; for fields inside one byte, bitOffset counts from the most
/// significant bit (as RFC 6455 §5.2 draws it) and bitLength is the field's width.
struct FieldSpan
{
    FrameField field;
    std::uint64_t byteOffset;
    std::uint64_t byteLength;
    std::uint8_t bitOffset;
    std::uint8_t bitLength;
};

/// All fields present in a frame with this header, in wire order. Fields a frame does
/// not have (extended length, masking key, an empty payload) are left out.
std::vector<FieldSpan> frameLayout(const FrameHeader &header);

/// Short English name of a field ("FIN", "masking key").
QByteArray fieldName(FrameField field);

} // namespace frameline
