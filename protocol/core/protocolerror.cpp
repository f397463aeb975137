#include "protocolerror.h"

#include "closecode.h"

#include <QtCore/QCoreApplication>

#include <array>

namespace frameline {
namespace {

struct ErrorRule
{
    ProtocolError error;
    std::uint16_t closeCode;
    const char *section;
    const char *key;
    const char *sentence; // source text for translation
};

// One row per error, in enum order; the sentence names the rule a peer broke.
constexpr std::array kRules {
    ErrorRule {ProtocolError::NoError, CloseCode::Normal, "", "none",
               QT_TRANSLATE_NOOP("ProtocolError", "No error.")},
    ErrorRule {ProtocolError::ReservedOpcode, CloseCode::ProtocolError, "RFC 6455 §5.2",
               "reserved-opcode",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The frame uses a reserved opcode; opcodes 0x3-0x7 and 0xB-0xF "
                                 "have no meaning without an extension that defines them.")},
    ErrorRule {ProtocolError::ReservedBitsSet, CloseCode::ProtocolError, "RFC 6455 §5.2",
               "reserved-bits-set",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "A reserved bit (RSV1, RSV2 or RSV3) is set, but no negotiated "
                                 "extension gives it a meaning.")},
    ErrorRule {ProtocolError::FragmentedControlFrame, CloseCode::ProtocolError, "RFC 6455 §5.5",
               "fragmented-control-frame",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "A control frame (close, ping or pong) has FIN = 0; control frames "
                                 "must not be fragmented.")},
    ErrorRule {ProtocolError::ControlFrameTooLong, CloseCode::ProtocolError, "RFC 6455 §5.5",
               "control-frame-too-long",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "A control frame carries more than 125 bytes of payload.")},
    ErrorRule {ProtocolError::UnmaskedClientFrame, CloseCode::ProtocolError, "RFC 6455 §5.1",
               "unmasked-client-frame",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The client sent a frame without a mask; every frame from a "
                                 "client to a server must be masked.")},
    ErrorRule {ProtocolError::MaskedServerFrame, CloseCode::ProtocolError, "RFC 6455 §5.1",
               "masked-server-frame",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The server sent a masked frame; a server must never mask the "
                                 "frames it sends.")},
    ErrorRule {ProtocolError::LengthMostSignificantBit, CloseCode::ProtocolError, "RFC 6455 §5.2",
               "length-msb-set",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The 64-bit payload length has its most significant bit set, "
                                 "which the protocol forbids.")},
    ErrorRule {ProtocolError::FrameTooLarge, CloseCode::MessageTooBig, "RFC 6455 §7.4.1",
               "frame-too-large",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The frame's payload is larger than the configured frame size "
                                 "limit.")},
    ErrorRule {ProtocolError::UnexpectedContinuation, CloseCode::ProtocolError, "RFC 6455 §5.4",
               "unexpected-continuation",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "A continuation frame arrived, but no fragmented message was in "
                                 "progress.")},
    ErrorRule {ProtocolError::ExpectedContinuation, CloseCode::ProtocolError, "RFC 6455 §5.4",
               "expected-continuation",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "A new text or binary frame arrived while a fragmented message "
                                 "was still open; only continuation frames may follow.")},
    ErrorRule {ProtocolError::MessageTooLarge, CloseCode::MessageTooBig, "RFC 6455 §7.4.1",
               "message-too-large",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The message is larger than the configured message size limit.")},
    ErrorRule {ProtocolError::InvalidUtf8, CloseCode::InvalidPayload, "RFC 6455 §8.1",
               "invalid-utf8",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "A text message is not valid UTF-8.")},
    ErrorRule {ProtocolError::CloseFrameLengthOne, CloseCode::ProtocolError, "RFC 6455 §5.5.1",
               "close-length-one",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The close frame has a 1-byte payload; a close body is either "
                                 "empty or starts with a 2-byte status code.")},
    ErrorRule {ProtocolError::InvalidCloseCode, CloseCode::ProtocolError, "RFC 6455 §7.4",
               "invalid-close-code",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The close frame carries a status code that must never be sent "
                                 "on the wire.")},
    ErrorRule {ProtocolError::InvalidCloseReasonUtf8, CloseCode::InvalidPayload,
               "RFC 6455 §5.5.1", "invalid-close-reason",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The close frame's reason is not valid UTF-8.")},
    ErrorRule {ProtocolError::CompressedControlFrame, CloseCode::ProtocolError, "RFC 7692 §6.1",
               "compressed-control-frame",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "A control frame has RSV1 set; permessage-deflate only compresses "
                                 "data messages.")},
    ErrorRule {ProtocolError::CompressedContinuation, CloseCode::ProtocolError, "RFC 7692 §6.1",
               "compressed-continuation",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "A continuation frame has RSV1 set; only the first frame of a "
                                 "compressed message carries it.")},
    ErrorRule {ProtocolError::InflateFailed, CloseCode::InvalidPayload, "RFC 7692 §7.2.2",
               "inflate-failed",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The compressed message could not be decompressed.")},
    ErrorRule {ProtocolError::HandshakeRejected, CloseCode::ProtocolError, "RFC 6455 §4",
               "handshake-rejected",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The opening handshake failed its checks.")},
    ErrorRule {ProtocolError::HandshakeTooLarge, CloseCode::PolicyViolation, "RFC 6455 §4",
               "handshake-too-large",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The opening handshake exceeded a configured size limit.")},
    ErrorRule {ProtocolError::AbnormalClosure, CloseCode::AbnormalClosure, "RFC 6455 §7.1.5",
               "abnormal-closure",
               QT_TRANSLATE_NOOP("ProtocolError",
                                 "The TCP connection closed without a closing handshake.")},
};

const ErrorRule &ruleFor(ProtocolError error)
{
    const auto index = std::size_t(error);
    return index < kRules.size() ? kRules[index] : kRules[0];
}

} // namespace

constexpr bool rulesFollowEnumOrder()
{
    for (std::size_t i = 0; i < kRules.size(); ++i) {
        if (std::size_t(kRules[i].error) != i)
            return false;
    }
    return true;
}
static_assert(kRules.size() == std::size_t(ProtocolError::AbnormalClosure) + 1,
              "every ProtocolError needs a rule");
static_assert(rulesFollowEnumOrder(), "kRules must follow the order of ProtocolError");

std::uint16_t closeCodeFor(ProtocolError error)
{
    return ruleFor(error).closeCode;
}

QString rfcSectionFor(ProtocolError error)
{
    return QString::fromUtf8(ruleFor(error).section);
}

QString describe(ProtocolError error)
{
    return QCoreApplication::translate("ProtocolError", ruleFor(error).sentence);
}

QByteArray errorKey(ProtocolError error)
{
    return QByteArray(ruleFor(error).key);
}

} // namespace frameline
