#include "closecode.h"

namespace frameline {

bool isValidWireCloseCode(std::uint16_t code)
{
    // RFC 6455 §7.4.1: 1004 is reserved, 1005, 1006 and 1015 MUST NOT be sent.
    if (code >= 1000 && code <= 1014)
        return code != 1004 && code != 1005 && code != 1006;
    // RFC 6455 §7.4.2: 3000-3999 registered with IANA, 4000-4999 private use.
    return code >= 3000 && code <= 4999;
}

QByteArray closeCodeName(std::uint16_t code)
{
    switch (code) {
    case CloseCode::Normal:
        return QByteArrayLiteral("Normal Closure");
    case CloseCode::GoingAway:
        return QByteArrayLiteral("Going Away");
    case CloseCode::ProtocolError:
        return QByteArrayLiteral("Protocol error");
    case CloseCode::UnsupportedData:
        return QByteArrayLiteral("Unsupported Data");
    case CloseCode::Reserved:
        return QByteArrayLiteral("Reserved");
    case CloseCode::NoStatusReceived:
        return QByteArrayLiteral("No Status Rcvd");
    case CloseCode::AbnormalClosure:
        return QByteArrayLiteral("Abnormal Closure");
    case CloseCode::InvalidPayload:
        return QByteArrayLiteral("Invalid frame payload data");
    case CloseCode::PolicyViolation:
        return QByteArrayLiteral("Policy Violation");
    case CloseCode::MessageTooBig:
        return QByteArrayLiteral("Message Too Big");
    case CloseCode::MandatoryExtension:
        return QByteArrayLiteral("Mandatory Ext.");
    case CloseCode::InternalError:
        return QByteArrayLiteral("Internal Error");
    case CloseCode::ServiceRestart:
        return QByteArrayLiteral("Service Restart");
    case CloseCode::TryAgainLater:
        return QByteArrayLiteral("Try Again Later");
    case CloseCode::BadGateway:
        return QByteArrayLiteral("Bad Gateway");
    case CloseCode::TlsHandshake:
        return QByteArrayLiteral("TLS handshake");
    default:
        break;
    }
    if (code < 1000)
        return QByteArrayLiteral("not used (0-999)");
    if (code < 3000)
        return QByteArrayLiteral("reserved for RFC 6455 extensions (1016-2999)");
    if (code < 4000)
        return QByteArrayLiteral("registered with IANA (3000-3999)");
    if (code < 5000)
        return QByteArrayLiteral("private use (4000-4999)");
    return QByteArrayLiteral("out of range (5000 and above)");
}

} // namespace frameline
