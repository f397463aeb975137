#pragma once

#include "session.h"
#include "sessionjournal.h"

#include <QtCore/QString>

namespace frameline {

/// How reading a session file ended: Frameline's own journal, or a HAR imported.
struct SessionFileResult
{
    enum class Status : std::uint8_t {
        Complete,  ///< everything in the file was read
        Partial,   ///< read up to damage; the message says where it stops
        Refused,   ///< nothing read; the message says why
        Cancelled, ///< stopped by the progress callback; what was read is kept
    };
    Status status = Status::Refused;
    QString message; ///< a sentence for a person; may be set even when Complete (HAR notes)
    bool native = false; ///< Frameline's own format, not an import

    bool isUsable() const { return status != Status::Refused; }
};

/// Reads `path` into `out` (a fresh Session): a HAR by its name or its first bytes,
/// otherwise Frameline's journal. The one entry point the window and the CLI share.
SessionFileResult readSessionFile(const QString &path, Session &out, const SessionLoadProgress &progress = {});

} // namespace frameline
