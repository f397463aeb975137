#pragma once

#include <QtCore/QStringList>

namespace frameline::cli {

/// `frameline-cli connect URL [options]`: opens a WebSocket connection, performs the
/// actions given on the command line in order, prints every event, and exits 0 only
/// after a clean close (1 when the connection failed or closed abnormally, 2 on a usage
/// error). With --echo it behaves as the Autobahn TestSuite's client: echoes every
/// message until the peer closes.
int runConnect(const QStringList &arguments);

} // namespace frameline::cli
