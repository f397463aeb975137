#pragma once

#include "frame.h"
#include "protocolerror.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

#include <cstdint>

namespace frameline {

/// Outcome of looking at the bytes at the front of a stream.
enum class DecodeStatus : std::uint8_t {
    NeedMore, ///< not a whole unit yet; nothing consumed
    Complete, ///< one whole unit decoded
    Violation ///< the bytes break a rule; see the error
};

struct HeaderParseResult
{
    DecodeStatus status = DecodeStatus::NeedMore;
    ProtocolError error = ProtocolError::NoError;
    /// With NeedMore: how many bytes the header needs in total, as far as known.
    std::size_t needed = 2;
};

/// Parses the frame header at the front of `data` without consuming or role checks:
/// FIN, RSV, opcode, MASK, length (any encoding, non-minimal ones flagged), masking
/// key. The only Violation is a 64-bit length with its top bit set (RFC 6455 §5.2).
HeaderParseResult parseFrameHeader(QByteArrayView data, FrameHeader &out) noexcept;

struct DecoderLimits
{
    /// Largest payload accepted in one frame; checked as soon as the header is
    /// complete, before any buffer grows for the payload.
    std::uint64_t maxFramePayload = 64ull * 1024 * 1024;
};

/// One decoded frame. The views point into the decoder and stay valid until the next
/// call to feed() or next().
struct DecodedFrame
{
    FrameHeader header;
    /// Offset of the frame's first byte in the stream (0 = first byte ever fed).
    std::uint64_t streamOffset = 0;
    QByteArrayView wire;    ///< header + payload exactly as received (masked if masked)
    QByteArrayView payload; ///< the payload, unmasked
};

/// Incremental frame decoder for one direction of a connection, as received by
/// `receiver` (a server receives masked client frames, a client unmasked server
/// frames). Feed bytes split anywhere; next() yields a frame only when all of it is
/// there, and checks every per-frame rule of RFC 6455 §5 before keeping the payload.
/// Rules that span frames (fragmentation, UTF-8, close payloads) belong to
/// MessageAssembler.
///
/// Call order: feed(chunk), then next() until it returns NeedMore; then feed again.
/// A chunk given as a view is read in place during those next() calls (what remains
/// is copied before the following feed), so it must outlive them; a QByteArray chunk
/// (a temporary included) is kept alive by the decoder itself, without a copy.
class FrameDecoder
{
public:
    explicit FrameDecoder(Role receiver, DecoderLimits limits = {});

    /// RSV bits an extension negotiated for this connection gives meaning to
    /// (bit 2 = RSV1, 1 = RSV2, 0 = RSV3). Others are violations (§5.2).
    void setAllowedRsvBits(std::uint8_t bits) { m_allowedRsv = bits; }
    void setLimits(DecoderLimits limits) { m_limits = limits; }
    Role receiver() const { return m_receiver; }

    void feed(QByteArrayView chunk);
    void feed(const QByteArray &chunk);
    DecodeStatus next();

    /// The frame of the last Complete.
    const DecodedFrame &frame() const { return m_frame; }
    /// After Violation: the rule broken and the stream offset of the frame breaking it.
    ProtocolError error() const { return m_error; }
    std::uint64_t errorOffset() const { return m_errorOffset; }
    /// Header of the offending frame as far as it was parsed (after Violation).
    const FrameHeader &errorHeader() const { return m_frame.header; }

    /// Bytes fed but not yet part of a complete frame.
    std::size_t pendingBytes() const;
    /// Offset of the next undecoded byte in the stream.
    std::uint64_t streamPosition() const { return m_consumed; }

private:
    DecodeStatus fail(ProtocolError error);
    void keepTail();

    Role m_receiver;
    DecoderLimits m_limits;
    std::uint8_t m_allowedRsv = 0;

    QByteArray m_buffer;    // bytes kept between feeds
    qsizetype m_bufferPos = 0;
    QByteArrayView m_chunk; // the caller's chunk while it is read without copying
    QByteArray m_chunkOwner; // holds a QByteArray chunk's data while m_chunk views it
    qsizetype m_chunkPos = 0;
    bool m_readingChunk = false;

    QByteArray m_unmasked; // scratch for unmasked payloads
    DecodedFrame m_frame;
    std::uint64_t m_consumed = 0;
    ProtocolError m_error = ProtocolError::NoError;
    std::uint64_t m_errorOffset = 0;
};

} // namespace frameline
