#pragma once

#include <QtCore/QStringList>

namespace frameline::cli {

/// `frameline-cli decode --role client|server (--hex HEX | --file PATH)`: prints one
/// JSON object per frame; exit 0 when valid and complete, 1 on a protocol error, 3
/// when the stream ends inside a frame, 2 on a usage error. `arguments[0]` is the
/// program and command name.
int runDecode(const QStringList &arguments);

} // namespace frameline::cli
