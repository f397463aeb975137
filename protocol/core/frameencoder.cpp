#include "frameencoder.h"

#include "mask.h"

#include <cstring>

namespace frameline {

FrameHeader headerFor(const FrameSpec &spec, std::uint64_t payloadSize)
{
    FrameHeader header;
    header.fin = spec.fin;
    header.rsv1 = spec.rsv1;
    header.rsv2 = spec.rsv2;
    header.rsv3 = spec.rsv3;
    header.opcode = spec.opcode & 0x0F;
    header.masked = spec.maskKey.has_value();
    if (header.masked)
        header.maskKey = *spec.maskKey;
    header.payloadLength = spec.declaredLength.value_or(payloadSize);

    const LengthEncoding minimal = minimalLengthEncoding(header.payloadLength);
    LengthEncoding encoding = spec.lengthEncoding.value_or(minimal);
    // A requested encoding too narrow for the length is widened: it cannot hold it.
    if (std::uint8_t(encoding) < std::uint8_t(minimal))
        encoding = minimal;
    header.lengthEncoding = encoding;
    header.nonMinimalLength = encoding != minimal;
    header.headerSize = std::uint8_t(2 + lengthFieldBytes(encoding) + (header.masked ? 4 : 0));
    return header;
}

std::size_t writeFrameHeader(std::uint8_t *out, const FrameHeader &header) noexcept
{
    std::size_t n = 0;
    out[n++] = header.firstByte();
    out[n++] = header.secondByte();
    const std::uint8_t extended = lengthFieldBytes(header.lengthEncoding);
    for (int shift = (extended - 1) * 8; shift >= 0; shift -= 8)
        out[n++] = std::uint8_t(header.payloadLength >> shift);
    if (header.masked) {
        for (const std::uint8_t byte : header.maskKey)
            out[n++] = byte;
    }
    return n;
}

void appendFrame(QByteArray &out, const FrameSpec &spec, QByteArrayView payload)
{
    const FrameHeader header = headerFor(spec, std::uint64_t(payload.size()));
    const qsizetype start = out.size();
    out.resize(start + header.headerSize + payload.size());
    auto *dst = reinterpret_cast<std::uint8_t *>(out.data()) + start;
    const std::size_t written = writeFrameHeader(dst, header);
    dst += written;
    if (payload.isEmpty())
        return;
    const auto *src = reinterpret_cast<const std::uint8_t *>(payload.data());
    if (header.masked)
        copyMasked(dst, src, std::size_t(payload.size()), header.maskKey);
    else
        std::memcpy(dst, src, std::size_t(payload.size()));
}

} // namespace frameline
