#pragma once

#include "fieldtreemodel.h"
#include "session.h"

#include <QtCore/QCoreApplication>

#include <vector>

namespace frameline {

/// Describes one Session event as a protocol analyzer's field tree.
///
/// A frame becomes every header field of RFC 6455 §5.2 with its bits, position, raw
/// value and meaning (and a close frame's status code and reason); a message its
/// opcode, size and frames; a handshake its start line, headers, checks and what was
/// negotiated; every other kind its detail as key/value rows. Byte ranges of the rows
/// point into bytesOf() of the same event, which is what the hex view shows.
class EventFields
{
    Q_DECLARE_TR_FUNCTIONS(frameline::EventFields)

public:
    /// The top-level rows for the event: a summary of the event, then its content.
    static std::vector<FieldNode> describe(const Session &session, std::uint32_t index);

    /// The bytes the rows' byte ranges refer to: a frame's wire bytes (masked as on the
    /// wire), a message's payload, the captured bytes of anything else (a handshake
    /// head).
    static QByteArray bytesOf(const Session &session, std::uint32_t index);
    /// bytesOf() with a masked frame's payload unmasked, offsets unchanged; empty when
    /// the event is not a masked frame.
    static QByteArray unmaskedBytesOf(const Session &session, std::uint32_t index);

    /// "frame", "handshake request", … translated, for people.
    static QString kindLabel(EventKind kind);
    static QString directionLabel(Direction direction);

private:
    static FieldNode eventNode(const Session &session, std::uint32_t index);
    static FieldNode frameNode(const Session &session, std::uint32_t index);
    static FieldNode headerField(
        const FieldSpan &span, const FrameHeader &header, const EventRecord &record);
    static FieldNode payloadField(const Session &session, std::uint32_t index,
        const FieldSpan &span, const FrameHeader &header);
    static FieldNode messageNode(
        const Session &session, std::uint32_t index, const MessageDetail &message);
    static FieldNode handshakeNode(
        const Session &session, std::uint32_t index, const HandshakeDetail &handshake);
    static FieldNode detailNode(const Session &session, std::uint32_t index);
    static QString opcodeMeaning(std::uint8_t opcode);
};

} // namespace frameline
