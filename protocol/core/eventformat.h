#pragma once

#include "session.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace frameline {

struct EventFormatOptions
{
    /// Most payload bytes written per frame or message; -1 writes them all.
    qsizetype maxPayloadBytes = 256;
};

/// "client-to-server", "server-to-client" or "none".
QByteArray directionKey(Direction direction);

/// One event as a JSON object: index, time, kind, direction and the fields of its
/// kind (frame header bits, handshake head and checks, close code, states, …).
QJsonObject eventToJson(const Session &session, std::uint32_t index,
                        const EventFormatOptions &options = {});

/// One event as one readable line, e.g.
/// "   0.001234 C→S frame  text FIN len=5 (7-bit) mask=37fa213d \"Hello\"".
QString eventToText(const Session &session, std::uint32_t index);

/// A short preview of payload bytes: text as quoted text when it is valid UTF-8,
/// otherwise hex; cut to `maxBytes` with an ellipsis.
QString payloadPreview(QByteArrayView payload, bool text, qsizetype maxBytes = 48);

} // namespace frameline
