#pragma once

#include "session.h"

namespace frameline {

struct MermaidOptions
{
    /// Data frames drawn at most; the rest are counted in a note. Close frames, the
    /// handshake and the TCP teardown are always drawn.
    int maxFrames = 500;
    /// Payload bytes previewed per arrow.
    int previewBytes = 24;
};

/// The session's timeline as a Mermaid `sequenceDiagram` (renders in GitHub, GitLab and
/// most Markdown viewers): Client and Server participants, the TCP connect and TLS as
/// notes, a note where each phase starts (opening handshake, data transfer, closing
/// handshake, TCP teardown), the Upgrade request and the 101 answer, one arrow per frame
/// (control frames dashed, a fragmented message boxed with its summary), the close
/// frames, the TCP states of each end, errors where they happened. Every label is
/// escaped so no payload can break the diagram's grammar.
QByteArray mermaidSequenceDiagram(const Session &session, const MermaidOptions &options = {});

/// Text made safe for one Mermaid label: no line breaks, and the characters Mermaid
/// reads as syntax (`;`, `#`, `%`, and `<`, `>`, `&` of the HTML labels are drawn as)
/// written as entity codes.
QString mermaidEscape(const QString &text);

} // namespace frameline
