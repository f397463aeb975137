#pragma once

#include "session.h"

namespace frameline {

struct MarkdownOptions
{
    /// Frame table rows at most; the rest are counted under the table.
    int maxFrameRows = 5000;
    /// Include the Mermaid diagram (GitHub and GitLab draw it).
    bool diagram = true;
};

/// A readable transcript of the session for a bug report or notes: a summary table,
/// the raw opening handshake with the Sec-WebSocket-Accept check, a table of every
/// frame, the closing handshake, the TCP teardown, errors, and the sequence diagram.
/// Text from the wire is escaped so it cannot break the tables or the code blocks.
QByteArray markdownTranscript(const Session &session, const MarkdownOptions &options = {});

} // namespace frameline
