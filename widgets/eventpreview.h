#pragma once

#include "session.h"

#include <QtCore/QString>

namespace frameline {

/// The payload preview of a Frame or Message event (payloadPreview(): text as quoted
/// text, anything else as hex, cut to `maxBytes` with an ellipsis); empty for other
/// kinds. A frame's payload is unmasked only as far as the preview reaches, so a
/// preview costs the same for a 10-byte and a 10-megabyte frame; a frame cut short by
/// the capture limit ends in an ellipsis too.
QString eventPayloadPreview(const Session &session, std::uint32_t index, qsizetype maxBytes);

/// The first `maxBytes` bytes of a frame's payload, unmasked (fewer when fewer were
/// captured).
QByteArray framePayloadHead(const Session &session, std::uint32_t index, qsizetype maxBytes);

/// Whether a frame with this opcode is previewed as text: text frames, and
/// continuation frames (shown as text when their bytes are valid UTF-8, as hex else).
inline bool previewsAsText(std::uint8_t opcode)
{
    return opcode == std::uint8_t(Opcode::Text) || opcode == std::uint8_t(Opcode::Continuation);
}

} // namespace frameline
