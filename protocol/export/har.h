#pragma once

#include "session.h"

#include <QtCore/QString>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace frameline {

/// Writes the session as HAR 1.2 (W3C Web Performance draft "HTTP Archive") with one
/// entry: the Upgrade request and its answer, timings measured from the session's start,
/// and the messages in Chrome's `_webSocketMessages` list (type send/receive from the
/// client's side, time in seconds since the epoch, opcode 1 with the text or 2 with
/// base64), the shape Chrome's dev tools import. What Chrome does not record (the
/// control frames, the side Frameline played) goes in a `_frameline` object.
bool writeHar(const Session &session, QIODevice &device, QString *error = nullptr);

/// How importing a HAR went.
struct HarImportResult
{
    bool ok = false;
    /// Why it failed, or what the person should know (what a HAR cannot tell).
    QString message;
    int messages = 0; ///< WebSocket messages read
    /// Items of `_webSocketMessages` left out (bad data, control frames, the browser's
    /// error reports), each with a note in the session saying why.
    int entriesSkipped = 0;
};

/// Reads the WebSocket connection of a HAR saved by a browser (Chrome, Firefox, or
/// Frameline) into `out`, which must be empty: the upgrade request and response rebuilt
/// as HTTP heads (and checked again as a client would), and each message with its
/// direction, time, type and data. What a HAR does not hold (frame headers, masking
/// keys, fragmentation, TCP) is not invented: a note says it is unknown. `entryIndex`
/// picks an entry; -1 takes the first WebSocket one. When the result is not ok, `out`
/// is left as it was.
HarImportResult importHar(QIODevice &device, Session &out, int entryIndex = -1);

} // namespace frameline
