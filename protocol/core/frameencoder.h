#pragma once

#include "frame.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

#include <optional>

namespace frameline {

/// Everything about a frame a sender chooses. Any value is allowed, including ones
/// RFC 6455 forbids (reserved opcodes, RSV bits, unmasked client frames, non-minimal
/// lengths), so the composer can test how a peer reacts to them.
struct FrameSpec
{
    bool fin = true;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    std::uint8_t opcode = std::uint8_t(Opcode::Text); ///< raw 4-bit value
    /// Present: MASK = 1 and the payload is masked with this key.
    std::optional<MaskKey> maskKey;
    /// Present: use this length encoding even when it is not the minimal one. A
    /// too-small encoding for the payload is widened to the minimal one.
    std::optional<LengthEncoding> lengthEncoding;
    /// Present: write this payload length in the header instead of the real one
    /// (a lying length, for hostile-peer tests). The payload bytes are still written.
    std::optional<std::uint64_t> declaredLength;
};

/// The header this spec produces for a payload of `payloadSize` bytes.
FrameHeader headerFor(const FrameSpec &spec, std::uint64_t payloadSize);

/// Appends the frame's header and (masked, if a key is set) payload to `out`.
void appendFrame(QByteArray &out, const FrameSpec &spec, QByteArrayView payload);

/// Writes only the header into `out` (at most 14 bytes); returns its size.
std::size_t writeFrameHeader(std::uint8_t *out, const FrameHeader &header) noexcept;

inline QByteArray encodeFrame(const FrameSpec &spec, QByteArrayView payload)
{
    QByteArray out;
    appendFrame(out, spec, payload);
    return out;
}

} // namespace frameline
