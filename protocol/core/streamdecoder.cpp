#include "streamdecoder.h"

#include "closecode.h"
#include "session.h"

#include <QtCore/QCoreApplication>

namespace frameline {

StreamDecodeResult decodeStream(Role receiver, QByteArrayView bytes,
                                const StreamDecodeHandlers &handlers, StreamDecodeLimits limits)
{
    StreamDecodeResult result;
    FrameDecoder decoder(receiver, limits.decoder);
    MessageAssembler assembler(limits.assembler);
    decoder.feed(bytes);
    for (;;) {
        const DecodeStatus status = decoder.next();
        if (status == DecodeStatus::NeedMore)
            break;
        if (status == DecodeStatus::Violation) {
            result.ending = StreamDecodeResult::Ending::Violation;
            result.error = decoder.error();
            result.errorOffset = decoder.errorOffset();
            return result;
        }
        const DecodedFrame &frame = decoder.frame();
        ++result.frames;
        if (handlers.frame)
            handlers.frame(frame);
        const MessageAssembler::Outcome outcome = assembler.push(frame.header, frame.payload);
        if (outcome == MessageAssembler::Outcome::Violation) {
            result.ending = StreamDecodeResult::Ending::Violation;
            result.error = assembler.error();
            result.errorOffset = frame.streamOffset;
            return result;
        }
        if (outcome == MessageAssembler::Outcome::Message && handlers.message)
            handlers.message(assembler.messageOpcode(), assembler.message(),
                             assembler.messageFrameCount());
    }
    result.pendingBytes = decoder.pendingBytes();
    if (result.pendingBytes > 0)
        result.ending = StreamDecodeResult::Ending::Truncated;
    return result;
}

StreamDecodeResult recordStream(Session &session, Role receiver, QByteArrayView bytes,
                                StreamDecodeLimits limits)
{
    const Direction direction = directionFrom(peerOf(receiver));
    std::int64_t timeNs = 0;
    const auto tick = [&timeNs] { return timeNs += 1000; };
    std::uint32_t firstFrame = 0;
    bool inMessage = false;

    StreamDecodeHandlers handlers;
    handlers.frame = [&](const DecodedFrame &frame) {
        const std::uint32_t index = session.appendFrame(tick(), direction, frame.header, frame.wire,
                                                        frame.streamOffset);
        if (!frame.header.isControl() && !inMessage) {
            firstFrame = index;
            inMessage = true;
        }
    };
    handlers.message = [&](std::uint8_t opcode, QByteArrayView payload, int frameCount) {
        MessageDetail detail;
        detail.opcode = opcode;
        detail.size = std::uint64_t(payload.size());
        detail.firstFrameEvent = firstFrame;
        detail.frameCount = std::uint32_t(frameCount);
        session.appendEvent(tick(), EventKind::Message, direction, detail);
        inMessage = false;
    };

    const StreamDecodeResult result = decodeStream(receiver, bytes, handlers, limits);
    if (result.ending == StreamDecodeResult::Ending::Violation) {
        ErrorDetail error;
        error.error = result.error;
        error.closeCode = closeCodeFor(result.error);
        error.message = describe(result.error);
        error.streamOffset = result.errorOffset;
        session.appendEvent(tick(), EventKind::Error, direction, error);
    } else if (result.ending == StreamDecodeResult::Ending::Truncated) {
        NoteDetail note;
        note.text = QCoreApplication::translate("StreamDecoder",
                                                "The bytes end inside a frame: %n byte(s) of an "
                                                "unfinished frame were not decoded.",
                                                nullptr, int(result.pendingBytes));
        session.appendEvent(tick(), EventKind::Note, direction, note);
    }
    return result;
}

} // namespace frameline
