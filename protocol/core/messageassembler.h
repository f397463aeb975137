#pragma once

#include "frame.h"
#include "protocolerror.h"
#include "utf8validator.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

#include <optional>

namespace frameline {

/// The payload of a Close frame (RFC 6455 §5.5.1).
struct ClosePayload
{
    std::optional<std::uint16_t> code; ///< absent: the frame had no body
    QByteArray reason;                 ///< UTF-8
};

/// Parses and checks a close payload: length 1 is invalid, the code must be one that
/// may be sent on the wire, the reason must be UTF-8 (§5.5.1, §7.4).
ProtocolError parseClosePayload(QByteArrayView payload, ClosePayload &out);

/// The body of a Close frame with this code and reason (reason truncated to fit the
/// 125-byte control frame limit at a character boundary).
QByteArray buildClosePayload(std::uint16_t code, QByteArrayView reason = {});

struct AssemblerLimits
{
    std::uint64_t maxMessageSize = 64ull * 1024 * 1024;
};

/// Turns a receiver's sequence of valid frames into messages and control events,
/// enforcing the rules that span frames: continuation order with control frames
/// interleaved (§5.4), UTF-8 of text validated frame by frame so it fails as soon as a
/// byte cannot be valid (§8.1), the message size limit, and close payloads (§5.5.1).
///
/// Frames come from FrameDecoder (per-frame rules already checked), in order.
class MessageAssembler
{
public:
    enum class Outcome : std::uint8_t {
        Fragment, ///< a data frame of a message that is not finished yet
        Message,  ///< a data message is complete: see message()
        Control,  ///< a valid control frame: see controlOpcode(), closePayload()
        Violation ///< see error()
    };

    explicit MessageAssembler(AssemblerLimits limits = {});

    /// Takes the next frame; `payload` is the unmasked payload (after any extension
    /// has transformed it).
    Outcome push(const FrameHeader &header, QByteArrayView payload);

    /// After Message: the whole message. Valid until the next push().
    QByteArrayView message() const { return m_messageView; }
    std::uint8_t messageOpcode() const { return m_opcode; }
    int messageFrameCount() const { return m_messageFrames; }

    /// After Control.
    std::uint8_t controlOpcode() const { return m_controlOpcode; }
    const ClosePayload &closePayload() const { return m_close; }

    /// After Violation.
    ProtocolError error() const { return m_error; }
    /// Offset inside the message (data) or payload (close reason) of the first bad
    /// byte, for UTF-8 errors.
    std::uint64_t errorByteOffset() const { return m_errorByteOffset; }

    bool inMessage() const { return m_inMessage; }
    void setLimits(AssemblerLimits limits) { m_limits = limits; }
    void reset();

private:
    Outcome fail(ProtocolError error, std::uint64_t byteOffset = 0);

    AssemblerLimits m_limits;
    bool m_inMessage = false;
    std::uint8_t m_opcode = 0;
    int m_messageFrames = 0;
    std::uint64_t m_messageSize = 0;
    QByteArray m_buffer;
    QByteArrayView m_messageView;
    Utf8Validator m_utf8;
    std::uint8_t m_controlOpcode = 0;
    ClosePayload m_close;
    ProtocolError m_error = ProtocolError::NoError;
    std::uint64_t m_errorByteOffset = 0;
};

} // namespace frameline
