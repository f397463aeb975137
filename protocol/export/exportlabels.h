#pragma once

#include "session.h"

#include <QtCore/QString>

namespace frameline {

/// The short words the text exports (Mermaid, Markdown) write about events, so both
/// say the same thing the same way.
namespace ExportLabels {

/// "TEXT FIN len=5 masked "Hello"", "CONTINUATION FIN=0 len=3 "lo"", "CLOSE 1000 "bye"".
QString frame(const Session &session, std::uint32_t index, qsizetype previewBytes = 32);
/// "1000 Normal Closure "bye"", or "no status code".
QString close(const ClosePayload &close);
/// The first line of a handshake head: "GET /chat HTTP/1.1", "HTTP/1.1 101 Switching Protocols".
QString startLine(const Session &session, std::uint32_t index);
/// "Client" or "Server".
QString side(Role role);
/// "CLOSE-WAIT", with "(inferred)" or "(passed, not observed)" when it was not seen.
QString tcpState(const TcpStateDetail &detail);
/// Seconds since the session started, to the microsecond: "0.001234".
QString seconds(std::int64_t timeNs);

} // namespace ExportLabels

} // namespace frameline
