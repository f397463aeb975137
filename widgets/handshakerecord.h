#pragma once

#include "session.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>

#include <cstdint>

namespace frameline {

enum class HandshakeSide : std::uint8_t { Request, Response };

/// One head of the opening handshake as the session recorded it: the event, its bytes
/// as on the wire, and its detail with the head parsed again from those bytes (so what
/// the views annotate is what was on the wire, not a summary of it).
struct RecordedHead
{
    qint64 event = -1; ///< -1: not recorded (yet)
    QByteArray raw;
    HandshakeDetail detail;
    bool reparsed = false; ///< detail.head was parsed from raw here (else: as recorded)

    bool present() const { return event >= 0; }
    static RecordedHead fromSession(const Session &session, std::uint32_t index);
};

/// The opening handshake of a session: its request and response (the first of each),
/// and the first error recorded before the response, which explains a missing answer
/// (connection refused, timeout). Found once, then kept up to date from appended
/// batches without rescanning the session.
struct RecordedHandshake
{
    RecordedHead request;
    RecordedHead response;
    qint64 errorEvent = -1;
    QString errorMessage;
    bool over = false; ///< a frame was seen: nothing appended later changes the handshake

    /// Scans `session` from the start (stopping at the first frame: the handshake is
    /// over by then).
    static RecordedHandshake find(const Session &session);
    /// Folds events [first, last] in; returns whether anything changed.
    bool update(const Session &session, std::uint32_t first, std::uint32_t last);

    const RecordedHead &head(HandshakeSide side) const
    {
        return side == HandshakeSide::Request ? request : response;
    }
    bool isEmpty() const { return !request.present() && !response.present(); }
    /// The failure reason recorded for the exchange (on the head that was checked, or
    /// copied onto the other), empty when none.
    QString failureReason() const;
    /// True when a head carries checks (a HAR import, for one, records none).
    bool hasChecks() const;

private:
    bool take(const Session &session, std::uint32_t index);
};

/// The Sec-WebSocket-Accept derivation of RFC 6455 §4.2.2 redone from the recorded
/// heads, step by step: the view shows each intermediate value and so proves, or
/// disproves, the server's answer instead of repeating the recorder's conclusion.
struct AcceptDerivation
{
    enum class Outcome : std::uint8_t {
        NoRequest, ///< no request recorded
        NoKey, ///< the request has no Sec-WebSocket-Key
        NoResponse, ///< no answer recorded (yet)
        NoAcceptHeader, ///< the answer has no Sec-WebSocket-Accept (a refusal, or a bad server)
        Match,
        Mismatch,
    };

    QList<QByteArray> keys; ///< every Sec-WebSocket-Key value of the request
    QByteArray key; ///< the one hashed: the only one, or the first of several
    QByteArray nonce; ///< the key decoded from base64 (empty when it does not decode)
    bool keyIsBase64 = false;
    bool keyValid = false; ///< one key, 24 characters, decoding to 16 bytes (§4.1)
    QByteArray concatenated; ///< key + GUID
    QByteArray sha1; ///< SHA-1 of concatenated, 20 bytes
    QByteArray computed; ///< base64 of sha1
    int statusCode = 0; ///< of the response, 0 when none
    QList<QByteArray> received; ///< every Sec-WebSocket-Accept value of the response
    Outcome outcome = Outcome::NoRequest;

    static AcceptDerivation derive(const RecordedHandshake &handshake);
};

} // namespace frameline
