#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <cstdint>

namespace frameline {

/// Status codes of RFC 6455 §7.4.1 and the IANA registry.
namespace CloseCode {
inline constexpr std::uint16_t Normal = 1000;
inline constexpr std::uint16_t GoingAway = 1001;
inline constexpr std::uint16_t ProtocolError = 1002;
inline constexpr std::uint16_t UnsupportedData = 1003;
inline constexpr std::uint16_t Reserved = 1004;
inline constexpr std::uint16_t NoStatusReceived = 1005; ///< never on the wire
inline constexpr std::uint16_t AbnormalClosure = 1006;  ///< never on the wire
inline constexpr std::uint16_t InvalidPayload = 1007;
inline constexpr std::uint16_t PolicyViolation = 1008;
inline constexpr std::uint16_t MessageTooBig = 1009;
inline constexpr std::uint16_t MandatoryExtension = 1010;
inline constexpr std::uint16_t InternalError = 1011;
inline constexpr std::uint16_t ServiceRestart = 1012;
inline constexpr std::uint16_t TryAgainLater = 1013;
inline constexpr std::uint16_t BadGateway = 1014;
inline constexpr std::uint16_t TlsHandshake = 1015; ///< never on the wire
} // namespace CloseCode

/// True when an endpoint may put this code in a Close frame (RFC 6455 §7.4.1, §7.4.2):
/// 1000–1003 and 1007–1014 as registered, 3000–4999 for libraries and applications.
/// 1004–1006 and 1015 are reserved or only reported locally, 0–999 and 1016–2999 are
/// not used.
bool isValidWireCloseCode(std::uint16_t code);

/// English protocol name of a code ("Normal Closure", "Protocol error"); for codes
/// without a registered name, a description of their range.
QByteArray closeCodeName(std::uint16_t code);

} // namespace frameline
