#pragma once

#include "framedecoder.h"
#include "messageassembler.h"

#include <QtCore/QString>

#include <functional>

namespace frameline {

class Session;

/// How a recorded stream of frames ended.
struct StreamDecodeResult
{
    enum class Ending : std::uint8_t {
        Complete,  ///< every byte belonged to a valid frame
        Violation, ///< a frame broke a rule; decoding stopped there
        Truncated, ///< the bytes ended inside a frame
    };
    Ending ending = Ending::Complete;
    ProtocolError error = ProtocolError::NoError;
    std::uint64_t errorOffset = 0; ///< stream offset of the offending frame
    std::uint32_t frames = 0;
    std::uint64_t pendingBytes = 0; ///< with Truncated: bytes of the unfinished frame
};

struct StreamDecodeHandlers
{
    std::function<void(const DecodedFrame &frame)> frame;
    std::function<void(std::uint8_t opcode, QByteArrayView payload, int frameCount)> message;
};

struct StreamDecodeLimits
{
    DecoderLimits decoder;
    AssemblerLimits assembler;
};

/// Decodes a byte stream of frames exactly as `receiver` would receive it: per-frame
/// rules (FrameDecoder), then the rules across frames (MessageAssembler). Stops at the
/// first violation.
StreamDecodeResult decodeStream(Role receiver, QByteArrayView bytes,
                                const StreamDecodeHandlers &handlers,
                                StreamDecodeLimits limits = {});

/// decodeStream() into a Session: a Frame event per frame, a Message event per
/// message, an Error event at a violation, a Note when the stream ends inside a frame.
/// Events are one microsecond apart (the stream carries no times).
StreamDecodeResult recordStream(Session &session, Role receiver, QByteArrayView bytes,
                                StreamDecodeLimits limits = {});

} // namespace frameline
