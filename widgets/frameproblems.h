#pragma once

#include "session.h"

#include <QtCore/QStringList>

namespace frameline {

/// The RFC 6455 rules a frame's header alone shows it broke: reserved opcode,
/// fragmented or oversized control frame, non-minimal length, masking in the wrong
/// direction. A frame normally reaches the Session only after the decoder accepted it,
/// but the ones we send may be hand-built to break rules on purpose, and a loaded file
/// may hold anything; the table tints such rows and the field tree names the rule.
/// RSV bits are not judged: whether they are allowed depends on the extensions the
/// handshake negotiated. Each entry is one translated sentence ending in its section.
QStringList frameProblems(const FrameHeader &header, Direction direction);

} // namespace frameline
