#pragma once

#include "session.h"

#include <QtCore/QString>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace frameline {

/// Writes the session as HAR 1.2 (W3C Web Performance draft "HTTP Archive") with one
/// entry: the Upgrade request and its answer, and the messages in Chrome's
/// `_webSocketMessages` list (type send/receive, time in seconds since the epoch,
/// opcode 1 with the text or 2 with base64), the shape Chrome and Firefox dev tools
/// import. Frame-level detail that HAR has no place for goes in `_frameline` fields.
bool writeHar(const Session &session, QIODevice &device, QString *error = nullptr);

/// How importing a HAR went.
struct HarImportResult
{
    bool ok = false;
    /// Why it failed, or what the person should know (what a HAR cannot tell).
    QString message;
    int messages = 0;       ///< WebSocket messages read
    int entriesSkipped = 0; ///< messages that could not be read (bad data), noted in the session
};

/// Reads the WebSocket connection of a HAR saved by a browser (Chrome, Firefox, or
/// Frameline) into `out`, a fresh Session: the upgrade request and response rebuilt as
/// HTTP heads, and each message with its direction, time, type and data. What a HAR
/// does not hold (frame headers, masking keys, fragmentation, TCP) is not invented: a
/// note says it is unknown. `entryIndex` picks an entry; -1 takes the first WebSocket one.
HarImportResult importHar(QIODevice &device, Session &out, int entryIndex = -1);

} // namespace frameline
