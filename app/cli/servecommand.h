#pragma once

#include <QtCore/QStringList>

namespace frameline::cli {

/// `frameline-cli serve [--host ADDR] --port P [--tls] [--tls-cert F --tls-key F]
/// [--json]`: runs the built-in echo server, prints its URL on the first line, then
/// each connection's events, until interrupted.
int runServe(const QStringList &arguments);

} // namespace frameline::cli
