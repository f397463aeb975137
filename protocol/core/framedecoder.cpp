#include "framedecoder.h"

#include "mask.h"

#include <cstring>

namespace frameline {
namespace {

std::uint64_t readBigEndian(const std::uint8_t *p, int bytes)
{
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i)
        value = (value << 8) | p[i];
    return value;
}

// Rules that the first two bytes of a frame already decide, checked before waiting for
// the rest so a bad frame is reported as early as possible.
ProtocolError checkFirstTwoBytes(std::uint8_t b0, std::uint8_t b1, Role receiver,
                                 std::uint8_t allowedRsv)
{
    const std::uint8_t rsv = (b0 >> 4) & 0x7;
    const std::uint8_t opcode = b0 & 0x0F;
    const bool fin = b0 & 0x80;
    const bool masked = b1 & 0x80;

    // RFC 6455 §5.2: RSV bits MUST be 0 unless an extension defines them.
    if (rsv & ~allowedRsv)
        return ProtocolError::ReservedBitsSet;
    // RFC 6455 §5.2: a reserved opcode MUST fail the connection.
    if (isReservedOpcode(opcode))
        return ProtocolError::ReservedOpcode;
    // RFC 6455 §5.5: control frames MUST NOT be fragmented.
    if (isControlOpcode(opcode) && !fin)
        return ProtocolError::FragmentedControlFrame;
    // RFC 6455 §5.1: a server MUST close on an unmasked frame, a client on a masked one.
    if (receiver == Role::Server && !masked)
        return ProtocolError::UnmaskedClientFrame;
    if (receiver == Role::Client && masked)
        return ProtocolError::MaskedServerFrame;
    return ProtocolError::NoError;
}

} // namespace

HeaderParseResult parseFrameHeader(QByteArrayView data, FrameHeader &out) noexcept
{
    HeaderParseResult result;
    if (data.size() < 2) {
        result.needed = 2;
        return result;
    }
    const auto *p = reinterpret_cast<const std::uint8_t *>(data.data());
    const std::uint8_t length7 = p[1] & 0x7F;
    const bool masked = p[1] & 0x80;
    const LengthEncoding encoding = length7 == 126 ? LengthEncoding::Bits16
                                    : length7 == 127 ? LengthEncoding::Bits64
                                                     : LengthEncoding::Bits7;
    const std::uint8_t extended = lengthFieldBytes(encoding);
    const std::uint8_t headerSize = std::uint8_t(2 + extended + (masked ? 4 : 0));
    if (data.size() < headerSize) {
        result.needed = headerSize;
        return result;
    }

    out.fin = p[0] & 0x80;
    out.rsv1 = p[0] & 0x40;
    out.rsv2 = p[0] & 0x20;
    out.rsv3 = p[0] & 0x10;
    out.opcode = p[0] & 0x0F;
    out.masked = masked;
    out.lengthEncoding = encoding;
    out.headerSize = headerSize;
    out.payloadLength = extended ? readBigEndian(p + 2, extended) : length7;
    // RFC 6455 §5.2: the minimal number of bytes MUST be used to encode the length.
    out.nonMinimalLength = minimalLengthEncoding(out.payloadLength) != encoding;
    if (masked)
        std::memcpy(out.maskKey.data(), p + 2 + extended, 4);
    else
        out.maskKey = {};

    result.needed = headerSize;
    // RFC 6455 §5.2: the most significant bit of a 64-bit length MUST be 0.
    if (encoding == LengthEncoding::Bits64 && (out.payloadLength >> 63)) {
        result.status = DecodeStatus::Violation;
        result.error = ProtocolError::LengthMostSignificantBit;
        return result;
    }
    result.status = DecodeStatus::Complete;
    return result;
}

FrameDecoder::FrameDecoder(Role receiver, DecoderLimits limits)
    : m_receiver(receiver)
    , m_limits(limits)
{
}

void FrameDecoder::feed(QByteArrayView chunk)
{
    if (chunk.isEmpty() || m_error != ProtocolError::NoError)
        return;
    if (m_readingChunk)
        keepTail(); // the previous chunk was not read to its end: keep its rest first
    if (m_bufferPos == m_buffer.size()) {
        // Nothing pending: read the caller's bytes in place and copy only what is left.
        m_buffer.resize(0);
        m_bufferPos = 0;
        m_chunk = chunk;
        m_chunkPos = 0;
        m_readingChunk = true;
        return;
    }
    if (m_bufferPos > 0) {
        m_buffer.remove(0, m_bufferPos);
        m_bufferPos = 0;
    }
    m_buffer.append(chunk.data(), chunk.size());
}

void FrameDecoder::feed(const QByteArray &chunk)
{
    feed(QByteArrayView(chunk));
    if (m_readingChunk && m_chunk.data() == chunk.constData())
        m_chunkOwner = chunk; // shares, not copies: the view stays valid after the caller's copy goes
}

std::size_t FrameDecoder::pendingBytes() const
{
    return m_readingChunk ? std::size_t(m_chunk.size() - m_chunkPos)
                          : std::size_t(m_buffer.size() - m_bufferPos);
}

void FrameDecoder::keepTail()
{
    if (!m_readingChunk)
        return;
    const QByteArrayView rest = m_chunk.sliced(m_chunkPos);
    m_buffer.resize(0);
    m_buffer.append(rest.data(), rest.size());
    m_bufferPos = 0;
    m_chunk = {};
    m_chunkOwner.clear();
    m_chunkPos = 0;
    m_readingChunk = false;
}

DecodeStatus FrameDecoder::fail(ProtocolError error)
{
    m_error = error;
    m_errorOffset = m_consumed;
    return DecodeStatus::Violation;
}

DecodeStatus FrameDecoder::next()
{
    if (m_error != ProtocolError::NoError)
        return DecodeStatus::Violation;

    const QByteArrayView available = m_readingChunk ? m_chunk.sliced(m_chunkPos)
                                                    : QByteArrayView(m_buffer).sliced(m_bufferPos);
    if (available.size() < 2) {
        keepTail();
        return DecodeStatus::NeedMore;
    }
    const auto *p = reinterpret_cast<const std::uint8_t *>(available.data());
    if (const ProtocolError early = checkFirstTwoBytes(p[0], p[1], m_receiver, m_allowedRsv);
        early != ProtocolError::NoError) {
        // Keep what the two bytes tell, so the error can show the offending header.
        FrameHeader &known = m_frame.header;
        known = FrameHeader {};
        known.fin = p[0] & 0x80;
        known.rsv1 = p[0] & 0x40;
        known.rsv2 = p[0] & 0x20;
        known.rsv3 = p[0] & 0x10;
        known.opcode = p[0] & 0x0F;
        known.masked = p[1] & 0x80;
        known.payloadLength = p[1] & 0x7F;
        return fail(early);
    }

    FrameHeader &header = m_frame.header;
    const HeaderParseResult parsed = parseFrameHeader(available, header);
    if (parsed.status == DecodeStatus::NeedMore) {
        keepTail();
        return DecodeStatus::NeedMore;
    }
    if (parsed.status == DecodeStatus::Violation)
        return fail(parsed.error);
    // RFC 6455 §5.5: a control frame's payload is at most 125 bytes. The length itself
    // is checked, not its field: a non-minimal 16-bit "5" is the sender's §5.2 fault,
    // reported on the frame, not a reason to fail.
    if (header.isControl() && header.payloadLength > 125)
        return fail(ProtocolError::ControlFrameTooLong);
    // Checked before the payload is buffered, so a huge announced length allocates nothing.
    if (header.payloadLength > m_limits.maxFramePayload)
        return fail(ProtocolError::FrameTooLarge);

    const std::uint64_t frameSize = header.headerSize + header.payloadLength;
    if (std::uint64_t(available.size()) < frameSize) {
        keepTail();
        if (std::uint64_t(m_buffer.capacity()) < frameSize)
            m_buffer.reserve(qsizetype(frameSize));
        return DecodeStatus::NeedMore;
    }

    const auto size = qsizetype(frameSize);
    m_frame.wire = available.first(size);
    m_frame.streamOffset = m_consumed;
    const auto payloadSize = qsizetype(header.payloadLength);
    const QByteArrayView maskedPayload = m_frame.wire.sliced(header.headerSize);
    if (header.masked && payloadSize > 0) {
        if (m_unmasked.size() < payloadSize)
            m_unmasked.resize(payloadSize);
        auto *out = reinterpret_cast<std::uint8_t *>(m_unmasked.data());
        copyMasked(out, reinterpret_cast<const std::uint8_t *>(maskedPayload.data()),
                   std::size_t(payloadSize), header.maskKey);
        m_frame.payload = QByteArrayView(m_unmasked.constData(), payloadSize);
    } else {
        m_frame.payload = maskedPayload;
    }

    if (m_readingChunk)
        m_chunkPos += size;
    else
        m_bufferPos += size;
    m_consumed += frameSize;
    return DecodeStatus::Complete;
}

} // namespace frameline
