#pragma once

#include "exportformat.h"
#include "session.h"

namespace frameline {

/// Writes `session` to `path` in `format`. Atomic: the file is replaced only once
/// every byte was written, so a failed export leaves what was there. False with a
/// sentence in `error` when it could not be written.
bool exportSession(const Session &session, ExportFormat format, const QString &path, QString *error = nullptr);

} // namespace frameline
