#pragma once

#include "httphead.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <functional>

namespace frameline {

/// The GUID of RFC 6455 §1.3 appended to the key before hashing.
inline constexpr char kWebSocketGuid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// One check made on a handshake: what the RFC expects, what was there, whether it
/// passed. The UI lists them; the handshake fails if any check with `required` fails.
struct HandshakeCheck
{
    QString name;       ///< e.g. "Sec-WebSocket-Accept"
    QString expected;   ///< e.g. "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    QString actual;     ///< what the peer sent ("(missing)" when absent)
    bool passed = false;
    bool required = true; ///< false for advice (SHOULD) that does not fail the handshake
    QString rfcSection; ///< e.g. "RFC 6455 §4.1"
};

/// One extension in a Sec-WebSocket-Extensions header (RFC 6455 §9.1), with its
/// parameters in order; a parameter without a value has a null value.
struct ExtensionOffer
{
    QByteArray name;
    QList<std::pair<QByteArray, QByteArray>> params;
};

/// Parses a Sec-WebSocket-Extensions value (tokens, quoted strings allowed as values).
/// Returns false on a syntax error, with `error` saying where.
bool parseExtensionList(QByteArrayView value, QList<ExtensionOffer> &out, QString *error = nullptr);
/// The canonical header text for a list of extensions.
QByteArray formatExtensionList(const QList<ExtensionOffer> &extensions);

/// A fresh Sec-WebSocket-Key: 16 random bytes, base64 (§4.1). `randomBytes` fills the
/// 16 bytes (injected for repeatable tests); the default uses a secure generator.
QByteArray generateWebSocketKey(const std::function<void(std::uint8_t *, std::size_t)> &randomBytes = {});

/// base64(SHA-1(key + GUID)), the Sec-WebSocket-Accept value for `key` (§4.2.2).
QByteArray computeAcceptKey(QByteArrayView key);

/// What a client asks for in its opening handshake.
struct ClientHandshakeOptions
{
    QByteArray host;         ///< Host header value: host, with ":port" when not the default
    QByteArray resourceName; ///< path and query, "/" when empty
    QByteArray origin;       ///< empty: no Origin header
    QList<QByteArray> subprotocols;       ///< offered, in preference order
    QList<ExtensionOffer> extensions;     ///< offered
    QList<HttpHeader> extraHeaders;       ///< added as given (after the standard ones)
};

/// The client's request bytes for `options` with this key (§4.1).
QByteArray buildClientRequest(const ClientHandshakeOptions &options, QByteArrayView key);

/// Outcome of validating the server's answer on the client side.
struct ClientHandshakeResult
{
    bool accepted = false;
    QList<HandshakeCheck> checks;
    QByteArray subprotocol;            ///< negotiated, empty when none
    QList<ExtensionOffer> extensions;  ///< accepted by the server
    QString failureReason;             ///< first failed required check, as a sentence
};

/// Checks the server's response against the request the client sent (§4.1 steps
/// 1–6 of the client's validation): status 101, Upgrade, Connection,
/// Sec-WebSocket-Accept, extensions and subprotocol among those offered.
ClientHandshakeResult validateServerResponse(const HttpHead &response, QByteArrayView key,
                                             const ClientHandshakeOptions &options);

/// What the server side supports when it answers a client.
struct ServerHandshakeOptions
{
    QList<QByteArray> subprotocols; ///< supported, in the server's preference order
    QList<HttpHeader> extraHeaders; ///< added to a 101 answer
    /// Chooses the extensions to accept from the client's offers; empty = accept none.
    std::function<QList<ExtensionOffer>(const QList<ExtensionOffer> &offers)> negotiateExtensions;
};

/// Outcome of reading a client's request on the server side.
struct ServerHandshakeResult
{
    bool accepted = false;
    QList<HandshakeCheck> checks;
    QByteArray response;      ///< the bytes to send: 101, or 400 / 426 with a reason
    int statusCode = 0;
    QByteArray subprotocol;
    QList<ExtensionOffer> extensions;
    QString failureReason;
};

/// Validates a client's opening handshake (§4.2.1: GET, HTTP/1.1, Host, Upgrade,
/// Connection, a 16-byte base64 Sec-WebSocket-Key, version 13) and builds the answer:
/// 101 Switching Protocols, 426 Upgrade Required with Sec-WebSocket-Version: 13 for an
/// unsupported version, 400 Bad Request otherwise.
ServerHandshakeResult answerClientRequest(const HttpHead &request,
                                          const ServerHandshakeOptions &options);

} // namespace frameline
