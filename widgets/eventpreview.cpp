#include "eventpreview.h"

#include "eventformat.h"
#include "mask.h"

#include <algorithm>

namespace frameline {

QByteArray framePayloadHead(const Session &session, std::uint32_t index, qsizetype maxBytes)
{
    const FrameHeader header = session.frameHeader(index);
    const QByteArrayView wire = session.bytes(index);
    if (session.event(index).kind != EventKind::Frame || wire.size() <= header.headerSize)
        return {};
    const auto captured = std::min<std::uint64_t>(
        std::uint64_t(wire.size() - header.headerSize), header.payloadLength);
    const auto size = qsizetype(std::min<std::uint64_t>(captured, std::uint64_t(maxBytes)));
    QByteArray head = wire.sliced(header.headerSize, size).toByteArray();
    if (header.masked)
        applyMask(reinterpret_cast<std::uint8_t *>(head.data()), std::size_t(head.size()),
            header.maskKey);
    return head;
}

QString eventPayloadPreview(const Session &session, std::uint32_t index, qsizetype maxBytes)
{
    const EventRecord &record = session.event(index);
    if (record.kind == EventKind::Frame) {
        if (record.length == 0)
            return {};
        // One byte more than shown, so payloadPreview() knows to add its ellipsis.
        const QByteArray head = framePayloadHead(session, index, maxBytes + 1);
        QString text = payloadPreview(head, previewsAsText(record.frameByte0 & 0x0F), maxBytes);
        if (head.size() <= maxBytes && session.frameTruncated(index))
            text += QStringLiteral(" …");
        return text;
    }
    if (record.kind == EventKind::Message) {
        const auto *message = std::get_if<MessageDetail>(&session.detail(index));
        const bool text = message && message->opcode == std::uint8_t(Opcode::Text);
        return payloadPreview(session.messagePayload(index), text, maxBytes);
    }
    return {};
}

} // namespace frameline
