#include "frame.h"

namespace frameline {

QByteArray opcodeName(std::uint8_t opcode)
{
    switch (opcode) {
    case 0x0:
        return QByteArrayLiteral("continuation");
    case 0x1:
        return QByteArrayLiteral("text");
    case 0x2:
        return QByteArrayLiteral("binary");
    case 0x8:
        return QByteArrayLiteral("close");
    case 0x9:
        return QByteArrayLiteral("ping");
    case 0xA:
        return QByteArrayLiteral("pong");
    default:
        return QByteArrayLiteral("reserved 0x").append(QByteArray::number(opcode & 0xF, 16).toUpper());
    }
}

std::uint8_t FrameHeader::firstByte() const
{
    return std::uint8_t((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (rsv2 ? 0x20 : 0) | (rsv3 ? 0x10 : 0)
                        | (opcode & 0x0F));
}

std::uint8_t FrameHeader::secondByte() const
{
    std::uint8_t length7;
    switch (lengthEncoding) {
    case LengthEncoding::Bits7:
        length7 = std::uint8_t(payloadLength & 0x7F);
        break;
    case LengthEncoding::Bits16:
        length7 = 126;
        break;
    case LengthEncoding::Bits64:
    default:
        length7 = 127;
        break;
    }
    return std::uint8_t((masked ? 0x80 : 0) | length7);
}

std::vector<FieldSpan> frameLayout(const FrameHeader &header)
{
    std::vector<FieldSpan> spans;
    spans.reserve(10);
    spans.push_back({FrameField::Fin, 0, 1, 0, 1});
    spans.push_back({FrameField::Rsv1, 0, 1, 1, 1});
    spans.push_back({FrameField::Rsv2, 0, 1, 2, 1});
    spans.push_back({FrameField::Rsv3, 0, 1, 3, 1});
    spans.push_back({FrameField::Opcode, 0, 1, 4, 4});
    spans.push_back({FrameField::Mask, 1, 1, 0, 1});
    spans.push_back({FrameField::PayloadLength, 1, 1, 1, 7});
    std::uint64_t offset = 2;
    if (const auto extended = lengthFieldBytes(header.lengthEncoding)) {
        spans.push_back({FrameField::ExtendedPayloadLength, offset, extended, 0, std::uint8_t(extended * 8)});
        offset += extended;
    }
    if (header.masked) {
        spans.push_back({FrameField::MaskingKey, offset, 4, 0, 32});
        offset += 4;
    }
    if (header.payloadLength > 0)
        spans.push_back({FrameField::Payload, offset, header.payloadLength, 0, 0});
    return spans;
}

QByteArray fieldName(FrameField field)
{
    switch (field) {
    case FrameField::Fin:
        return QByteArrayLiteral("FIN");
    case FrameField::Rsv1:
        return QByteArrayLiteral("RSV1");
    case FrameField::Rsv2:
        return QByteArrayLiteral("RSV2");
    case FrameField::Rsv3:
        return QByteArrayLiteral("RSV3");
    case FrameField::Opcode:
        return QByteArrayLiteral("opcode");
    case FrameField::Mask:
        return QByteArrayLiteral("MASK");
    case FrameField::PayloadLength:
        return QByteArrayLiteral("payload length");
    case FrameField::ExtendedPayloadLength:
        return QByteArrayLiteral("extended payload length");
    case FrameField::MaskingKey:
        return QByteArrayLiteral("masking key");
    case FrameField::Payload:
        return QByteArrayLiteral("payload");
    }
    return {};
}

} // namespace frameline
