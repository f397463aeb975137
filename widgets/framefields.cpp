// The frame and message half of EventFields: header fields bit by bit (RFC 6455 §5.2)
// and a message's frames. The other kinds are in eventfields.cpp.

#include "closecode.h"
#include "eventfields.h"
#include "eventformat.h"
#include "eventpreview.h"
#include "mask.h"

#include <algorithm>

namespace frameline {
namespace {

// Payload bytes previewed in the tree; a frame's whole payload is in the payload pane.
constexpr qsizetype kPreviewBytes = 96;
// Frames listed under a message; a message of a million fragments lists this many.
constexpr std::uint32_t kMaxListedFrames = 1000;

QString hex(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toHex(' '));
}

/// The byte a field lives in as Wireshark draws it: the field's bits as 0/1, the
/// others as dots, a space between the nibbles ("1··· ····", "···· 0001").
QString bitPattern(std::uint8_t byte, std::uint8_t bitOffset, std::uint8_t bitLength)
{
    QString pattern;
    for (int bit = 0; bit < 8; ++bit) {
        if (bit == 4)
            pattern += u' ';
        if (bit >= bitOffset && bit < bitOffset + bitLength)
            pattern += (byte & (0x80 >> bit)) ? u'1' : u'0';
        else
            pattern += QChar(u'\u00B7');
    }
    return pattern;
}

QString bytePosition(qint64 offset, qint64 length)
{
    if (length == 1)
        return EventFields::tr("byte %1").arg(offset);
    return EventFields::tr("bytes %1–%2").arg(offset).arg(offset + length - 1);
}

QString bitPosition(const FieldSpan &span)
{
    if (span.bitLength == 1)
        return EventFields::tr("byte %1, bit %2").arg(span.byteOffset).arg(span.bitOffset);
    return EventFields::tr("byte %1, bits %2–%3")
        .arg(span.byteOffset)
        .arg(span.bitOffset)
        .arg(span.bitOffset + span.bitLength - 1);
}

QString opcodeValue(std::uint8_t opcode)
{
    return EventFields::tr("0x%1 (%2)")
        .arg(QString::number(opcode, 16).toUpper(), QString::fromLatin1(opcodeName(opcode)));
}

QString bitValue(bool set)
{
    return set ? QStringLiteral("1") : QStringLiteral("0");
}

} // namespace

QString EventFields::opcodeMeaning(std::uint8_t opcode)
{
    switch (opcode) {
    case 0x0:
        return tr("data frame: continues a fragmented message");
    case 0x1:
        return tr("data frame: UTF-8 text");
    case 0x2:
        return tr("data frame: binary data");
    case 0x8:
        return tr("control frame: close the connection (RFC 6455 §5.5.1)");
    case 0x9:
        return tr("control frame: ping, to be answered by a pong (RFC 6455 §5.5.2)");
    case 0xA:
        return tr("control frame: pong (RFC 6455 §5.5.3)");
    default:
        break;
    }
    return isControlOpcode(opcode) ? tr("control frame, reserved: not defined (RFC 6455 §5.2)")
                                   : tr("data frame, reserved: not defined (RFC 6455 §5.2)");
}

FieldNode EventFields::frameNode(const Session &session, std::uint32_t index)
{
    const EventRecord &record = session.event(index);
    const FrameHeader header = session.frameHeader(index);
    FieldNode frame;
    frame.name = tr("WebSocket frame");
    frame.value = tr("%1%2, %3 payload byte(s)")
                      .arg(QString::fromLatin1(opcodeName(header.opcode)),
                          header.fin ? tr(", FIN") : QString())
                      .arg(header.payloadLength);
    frame.meaning = tr("%1 bytes on the wire (%2-byte header), %3 captured")
                        .arg(header.frameSize())
                        .arg(header.headerSize)
                        .arg(record.bytesLength);
    frame.byteOffset = 0;
    frame.byteLength = qint64(header.frameSize());
    for (const FieldSpan &span : frameLayout(header)) {
        if (span.field == FrameField::Payload)
            frame.add(payloadField(session, index, span, header));
        else
            frame.add(headerField(span, header, record));
    }
    return frame;
}

FieldNode EventFields::headerField(
    const FieldSpan &span, const FrameHeader &header, const EventRecord &record)
{
    FieldNode field;
    field.name = QString::fromLatin1(fieldName(span.field));
    field.byteOffset = qint64(span.byteOffset);
    field.byteLength = qint64(span.byteLength);
    const bool inOneByte = span.byteOffset < 2;
    if (inOneByte) {
        const std::uint8_t byte = span.byteOffset == 0 ? record.frameByte0 : record.frameByte1;
        field.bits = bitPattern(byte, span.bitOffset, span.bitLength);
        field.position = bitPosition(span);
    } else {
        field.position = bytePosition(field.byteOffset, field.byteLength);
    }

    const auto rsvMeaning = [&](bool set, bool isRsv1) {
        if (!set)
            return tr("not set");
        if (isRsv1 && (header.opcode == 0x1 || header.opcode == 0x2))
            return tr("set: the message is compressed (permessage-deflate, RFC 7692 §6); "
                      "allowed only when that extension was negotiated");
        return tr("set: reserved for a negotiated extension, otherwise a protocol error "
                  "(RFC 6455 §5.2)");
    };

    switch (span.field) {
    case FrameField::Fin:
        field.value = bitValue(header.fin);
        field.meaning = header.fin ? tr("final frame of its message")
                                   : tr("more frames of this message follow");
        // §5.5: control frames must not be fragmented.
        field.problem = header.isControl() && !header.fin;
        break;
    case FrameField::Rsv1:
        field.value = bitValue(header.rsv1);
        field.meaning = rsvMeaning(header.rsv1, true);
        break;
    case FrameField::Rsv2:
        field.value = bitValue(header.rsv2);
        field.meaning = rsvMeaning(header.rsv2, false);
        break;
    case FrameField::Rsv3:
        field.value = bitValue(header.rsv3);
        field.meaning = rsvMeaning(header.rsv3, false);
        break;
    case FrameField::Opcode:
        field.value = opcodeValue(header.opcode);
        field.meaning = opcodeMeaning(header.opcode);
        // §5.2: reserved opcodes are not to be sent.
        field.problem = isReservedOpcode(header.opcode);
        break;
    case FrameField::Mask:
        field.value = bitValue(header.masked);
        field.meaning = header.masked
            ? tr("the payload is masked with the key below (RFC 6455 §5.3)")
            : tr("the payload is not masked");
        // §5.1: clients mask every frame, servers none.
        field.problem = (record.direction == Direction::ClientToServer && !header.masked)
            || (record.direction == Direction::ServerToClient && header.masked);
        break;
    case FrameField::PayloadLength: {
        const int length7 = record.frameByte1 & 0x7F;
        field.value = QString::number(length7);
        if (header.lengthEncoding == LengthEncoding::Bits7)
            field.meaning = tr("7-bit length encoding: the payload is %1 byte(s)").arg(length7);
        else if (header.lengthEncoding == LengthEncoding::Bits16)
            field.meaning = tr("126: 16-bit length encoding, the length is in the next 2 bytes");
        else
            field.meaning = tr("127: 64-bit length encoding, the length is in the next 8 bytes");
        // §5.5: control frames carry at most 125 bytes, so always a 7-bit length.
        field.problem = header.isControl() && header.payloadLength > 125;
        break;
    }
    case FrameField::ExtendedPayloadLength:
        field.value = QString::number(header.payloadLength);
        field.meaning = tr("%1-bit length encoding: the payload is %2 byte(s)")
                            .arg(int(header.lengthEncoding))
                            .arg(header.payloadLength);
        // §5.2: "the minimal number of bytes MUST be used to encode the length".
        if (header.nonMinimalLength) {
            field.meaning += tr("; non-minimal: the %1-bit encoding would do (RFC 6455 §5.2)")
                                 .arg(int(minimalLengthEncoding(header.payloadLength)));
            field.problem = true;
        }
        break;
    case FrameField::MaskingKey:
        field.value = hex(QByteArrayView(header.maskKey.data(), 4));
        field.meaning = tr("XORed with the payload, byte i with key byte i mod 4 (RFC 6455 §5.3)");
        break;
    case FrameField::Payload:
        break;
    }
    return field;
}

FieldNode EventFields::payloadField(
    const Session &session, std::uint32_t index, const FieldSpan &span, const FrameHeader &header)
{
    FieldNode field;
    field.name = QString::fromLatin1(fieldName(span.field));
    field.byteOffset = qint64(span.byteOffset);
    field.byteLength = qint64(span.byteLength);
    field.position = bytePosition(field.byteOffset, field.byteLength);
    field.value = tr("%1 byte(s)").arg(header.payloadLength);
    const QString preview = eventPayloadPreview(session, index, kPreviewBytes);
    field.meaning = header.masked ? tr("unmasked: %1").arg(preview) : preview;
    const bool truncated = session.frameTruncated(index);
    if (truncated) {
        const std::uint64_t captured = std::uint64_t(
            std::max<qsizetype>(0, session.bytes(index).size() - header.headerSize));
        field.meaning = tr("truncated: %1 of %2 bytes captured; %3")
                            .arg(captured)
                            .arg(header.payloadLength)
                            .arg(field.meaning);
    }

    // A close frame's payload is a status code and a UTF-8 reason (RFC 6455 §5.5.1).
    if (header.opcode == std::uint8_t(Opcode::Close) && !truncated) {
        const QByteArray payload = session.framePayload(index);
        ClosePayload close;
        const ProtocolError error = parseClosePayload(payload, close);
        if (payload.size() >= 2) {
            const std::uint16_t code
                = std::uint16_t((std::uint8_t(payload[0]) << 8) | std::uint8_t(payload[1]));
            FieldNode &codeField = field.add({});
            codeField.name = tr("status code");
            codeField.value = QString::number(code);
            codeField.meaning = QString::fromLatin1(closeCodeName(code));
            codeField.byteOffset = field.byteOffset;
            codeField.byteLength = 2;
            codeField.position = bytePosition(codeField.byteOffset, 2);
            codeField.problem = error == ProtocolError::InvalidCloseCode;
        }
        if (payload.size() > 2) {
            FieldNode &reason = field.add({});
            reason.name = tr("reason");
            reason.value = payloadPreview(payload.sliced(2), true, kPreviewBytes);
            reason.byteOffset = field.byteOffset + 2;
            reason.byteLength = payload.size() - 2;
            reason.position = bytePosition(reason.byteOffset, reason.byteLength);
            reason.problem = error == ProtocolError::InvalidCloseReasonUtf8;
            if (reason.problem)
                reason.meaning = frameline::describe(error);
        }
        // §5.5.1: a body, if present, starts with a two-byte code.
        if (error == ProtocolError::CloseFrameLengthOne) {
            field.problem = true;
            field.meaning = frameline::describe(error);
        } else if (error == ProtocolError::InvalidCloseCode && !field.children.empty()) {
            field.children.front().meaning += u' ' + frameline::describe(error);
        }
    }
    return field;
}

FieldNode EventFields::messageNode(
    const Session &session, std::uint32_t index, const MessageDetail &message)
{
    const EventRecord &record = session.event(index);
    // A message with bytes of its own was compressed (RFC 7692): its frames carry
    // deflated data, so their byte ranges do not map onto the payload shown.
    const bool compressed = record.bytesLength > 0;

    FieldNode node;
    node.name = tr("WebSocket message");
    node.value = tr("%1, %2 byte(s)")
                     .arg(QString::fromLatin1(opcodeName(message.opcode)))
                     .arg(message.size);
    node.meaning = tr("reassembled from %n frame(s)", nullptr, int(message.frameCount));
    node.byteOffset = 0;
    node.byteLength = qint64(message.size);

    FieldNode &opcode = node.add({});
    opcode.name = tr("opcode");
    opcode.value = opcodeValue(message.opcode);
    opcode.meaning = opcodeMeaning(message.opcode);

    FieldNode &size = node.add({});
    size.name = tr("size");
    size.value = QString::number(message.size);
    size.meaning = compressed ? tr("bytes after inflating (permessage-deflate, RFC 7692)")
                              : tr("bytes of all its frames' payloads together");

    FieldNode &frameCount = node.add({});
    frameCount.name = tr("frame count");
    frameCount.value = QString::number(message.frameCount);
    frameCount.meaning
        = message.frameCount > 1 ? tr("fragmented (RFC 6455 §5.4)") : tr("not fragmented");

    FieldNode &frames = node.add({});
    frames.name = tr("frames");
    frames.value = QString::number(message.frameCount);
    frames.meaning = tr("double-click a frame to select it");
    // The message's frames are its first frame and the next data frames of the same
    // direction; control frames may come between them (RFC 6455 §5.4), as
    // Session::messagePayload() walks them.
    std::uint32_t taken = 0;
    qint64 offset = 0;
    const std::uint32_t eventCount = session.eventCount();
    for (std::uint32_t i = message.firstFrameEvent; i < eventCount && taken < message.frameCount;
         ++i) {
        const EventRecord &frameRecord = session.event(i);
        if (frameRecord.kind != EventKind::Frame || frameRecord.direction != record.direction
            || isControlOpcode(frameRecord.frameByte0 & 0x0F))
            continue;
        ++taken;
        if (taken > kMaxListedFrames)
            continue;
        FieldNode &frame = frames.add({});
        frame.name = tr("frame #%1").arg(i);
        frame.value = tr("%1%2, %3 byte(s)")
                          .arg(QString::fromLatin1(opcodeName(frameRecord.frameByte0 & 0x0F)),
                              (frameRecord.frameByte0 & 0x80) ? tr(", FIN") : QString())
                          .arg(frameRecord.length);
        frame.linkedEvent = i;
        if (!compressed) {
            frame.byteOffset = offset;
            frame.byteLength = qint64(frameRecord.length);
            frame.position
                = frame.byteLength > 0 ? bytePosition(offset, frame.byteLength) : QString();
            offset += qint64(frameRecord.length);
        }
    }
    if (taken > kMaxListedFrames) {
        FieldNode &more = frames.add({});
        more.name = tr("… %n more frame(s)", nullptr, int(taken - kMaxListedFrames));
    }

    if (message.size > 0) {
        FieldNode &payload = node.add({});
        payload.name = tr("payload");
        payload.value = tr("%1 byte(s)").arg(message.size);
        payload.meaning = eventPayloadPreview(session, index, kPreviewBytes);
        payload.byteOffset = 0;
        payload.byteLength = qint64(message.size);
        payload.position = bytePosition(0, payload.byteLength);
    }
    return node;
}

QByteArray EventFields::bytesOf(const Session &session, std::uint32_t index)
{
    if (session.event(index).kind == EventKind::Message)
        return session.messagePayload(index);
    return session.bytes(index).toByteArray();
}

QByteArray EventFields::unmaskedBytesOf(const Session &session, std::uint32_t index)
{
    const EventRecord &record = session.event(index);
    if (record.kind != EventKind::Frame)
        return {};
    const FrameHeader header = session.frameHeader(index);
    if (!header.masked)
        return {};
    QByteArray bytes = session.bytes(index).toByteArray();
    if (bytes.size() > header.headerSize)
        applyMask(reinterpret_cast<std::uint8_t *>(bytes.data()) + header.headerSize,
            std::size_t(bytes.size() - header.headerSize), header.maskKey);
    return bytes;
}

} // namespace frameline
