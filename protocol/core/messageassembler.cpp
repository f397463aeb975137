#include "messageassembler.h"

#include "closecode.h"

#include <cstring>

namespace frameline {
namespace {

// Buffers of fragmented messages keep their capacity between messages, up to this much;
// one huge message should not pin its memory for the rest of the connection.
constexpr qsizetype kRetainedBufferCapacity = 1024 * 1024;

constexpr qsizetype kMaxCloseReason = 125 - 2;

bool isContinuationByte(char byte)
{
    return (std::uint8_t(byte) & 0xC0) == 0x80;
}

} // namespace

ProtocolError parseClosePayload(QByteArrayView payload, ClosePayload &out)
{
    out = ClosePayload {};
    if (payload.isEmpty())
        return ProtocolError::NoError;
    // RFC 6455 §5.5.1: a close body, if present, starts with a 2-byte status code.
    if (payload.size() == 1)
        return ProtocolError::CloseFrameLengthOne;
    const auto *bytes = reinterpret_cast<const std::uint8_t *>(payload.data());
    const auto code = std::uint16_t((bytes[0] << 8) | bytes[1]);
    out.code = code;
    out.reason = payload.sliced(2).toByteArray();
    // RFC 6455 §7.4: only registered and 3000-4999 codes may appear in a Close frame.
    if (!isValidWireCloseCode(code))
        return ProtocolError::InvalidCloseCode;
    // RFC 6455 §5.5.1: the reason is UTF-8.
    if (!isValidUtf8(out.reason))
        return ProtocolError::InvalidCloseReasonUtf8;
    return ProtocolError::NoError;
}

QByteArray buildClosePayload(std::uint16_t code, QByteArrayView reason)
{
    qsizetype length = reason.size();
    if (length > kMaxCloseReason) {
        // RFC 6455 §5.5: a control frame carries at most 125 bytes; cut before the
        // character that does not fit, so the reason stays UTF-8.
        length = kMaxCloseReason;
        while (length > 0 && isContinuationByte(reason[length]))
            --length;
    }
    QByteArray payload(2 + length, Qt::Uninitialized);
    payload[0] = char(code >> 8);
    payload[1] = char(code & 0xFF);
    if (length > 0)
        std::memcpy(payload.data() + 2, reason.data(), std::size_t(length));
    return payload;
}

MessageAssembler::MessageAssembler(AssemblerLimits limits)
    : m_limits(limits)
{ }

void MessageAssembler::reset()
{
    m_inMessage = false;
    m_opcode = 0;
    m_messageFrames = 0;
    m_messageSize = 0;
    m_buffer.clear();
    m_messageView = {};
    m_utf8.reset();
    m_controlOpcode = 0;
    m_close = ClosePayload {};
    m_error = ProtocolError::NoError;
    m_errorByteOffset = 0;
}

MessageAssembler::Outcome MessageAssembler::fail(ProtocolError error, std::uint64_t byteOffset)
{
    m_error = error;
    m_errorByteOffset = byteOffset;
    return Outcome::Violation;
}

MessageAssembler::Outcome MessageAssembler::push(const FrameHeader &header, QByteArrayView payload)
{
    m_messageView = {};
    if (header.isControl()) {
        m_controlOpcode = header.opcode;
        if (header.opcode == std::uint8_t(Opcode::Close)) {
            const ProtocolError error = parseClosePayload(payload, m_close);
            if (error == ProtocolError::InvalidCloseReasonUtf8) {
                Utf8Validator reason;
                reason.feed(payload.sliced(2));
                return fail(error, 2 + reason.invalidOffset());
            }
            if (error != ProtocolError::NoError)
                return fail(error);
        }
        // RFC 6455 §5.4: control frames may be injected between fragments; the message
        // in progress is left as it is.
        return Outcome::Control;
    }

    if (header.opcode == std::uint8_t(Opcode::Continuation)) {
        // RFC 6455 §5.4: a continuation frame only continues a message that was started.
        if (!m_inMessage)
            return fail(ProtocolError::UnexpectedContinuation);
    } else {
        // RFC 6455 §5.4: fragments of one message are not interleaved with another.
        if (m_inMessage)
            return fail(ProtocolError::ExpectedContinuation);
        m_opcode = header.opcode;
        m_messageFrames = 0;
        m_messageSize = 0;
        m_utf8.reset();
        if (m_buffer.capacity() > kRetainedBufferCapacity)
            m_buffer = QByteArray();
        else
            m_buffer.resize(0);
    }

    const auto size = std::uint64_t(payload.size());
    // Checked before anything is appended, so an oversized message never grows the buffer.
    if (size > m_limits.maxMessageSize || m_messageSize > m_limits.maxMessageSize - size)
        return fail(ProtocolError::MessageTooLarge, m_messageSize);

    if (m_opcode == std::uint8_t(Opcode::Text)) {
        const Utf8Validator::Status status = m_utf8.feed(payload);
        // RFC 6455 §8.1: fail as soon as the text cannot be valid UTF-8.
        if (status == Utf8Validator::Status::Invalid)
            return fail(ProtocolError::InvalidUtf8, m_utf8.invalidOffset());
        // RFC 6455 §8.1: a finished message must end on a character boundary.
        if (header.fin && status == Utf8Validator::Status::Incomplete)
            return fail(ProtocolError::InvalidUtf8, m_messageSize + size);
    }

    ++m_messageFrames;
    if (header.fin && m_messageFrames == 1) {
        // An unfragmented message is the frame's payload itself: no copy.
        m_inMessage = false;
        m_messageSize = size;
        m_messageView = payload;
        return Outcome::Message;
    }

    m_buffer.append(payload.data(), payload.size());
    m_messageSize += size;
    if (!header.fin) {
        m_inMessage = true;
        return Outcome::Fragment;
    }
    m_inMessage = false;
    m_messageView = m_buffer;
    return Outcome::Message;
}

} // namespace frameline
