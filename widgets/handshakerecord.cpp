#include "handshakerecord.h"

#include <QtCore/QCryptographicHash>

namespace frameline {

RecordedHead RecordedHead::fromSession(const Session &session, std::uint32_t index)
{
    RecordedHead head;
    head.event = qint64(index);
    head.raw = session.bytes(index).toByteArray();
    if (const auto *detail = std::get_if<HandshakeDetail>(&session.detail(index)))
        head.detail = *detail;
    // The recorder parsed these bytes already; parsing them again here means the rows
    // and the Accept derivation come from the bytes shown next to them.
    const auto kind = session.event(index).kind == EventKind::HandshakeRequest
        ? HttpHeadParser::Kind::Request
        : HttpHeadParser::Kind::Response;
    HttpHeadParser parser(kind);
    qsizetype consumed = 0;
    if (!head.raw.isEmpty()
        && parser.feed(head.raw, consumed) == HttpHeadParser::Status::Complete) {
        head.detail.head = parser.head();
        head.detail.head.raw.clear();
        head.reparsed = true;
    }
    return head;
}

RecordedHandshake RecordedHandshake::find(const Session &session)
{
    RecordedHandshake handshake;
    for (std::uint32_t i = 0; i < session.eventCount() && !handshake.over; ++i) {
        handshake.take(session, i);
        if (handshake.request.present() && handshake.response.present())
            break;
    }
    return handshake;
}

bool RecordedHandshake::update(const Session &session, std::uint32_t first, std::uint32_t last)
{
    if (response.present() || over)
        return false;
    bool changed = false;
    for (std::uint32_t i = first; i <= last && i < session.eventCount() && !over; ++i)
        changed = take(session, i) || changed;
    return changed;
}

bool RecordedHandshake::take(const Session &session, std::uint32_t index)
{
    switch (session.event(index).kind) {
    case EventKind::Frame:
        // Frames only follow a completed handshake; nothing after them changes it.
        over = true;
        return false;
    case EventKind::HandshakeRequest:
        if (request.present())
            return false;
        request = RecordedHead::fromSession(session, index);
        return true;
    case EventKind::HandshakeResponse:
        if (response.present())
            return false;
        response = RecordedHead::fromSession(session, index);
        return true;
    case EventKind::Error:
        if (response.present() || errorEvent >= 0)
            return false;
        errorEvent = qint64(index);
        if (const auto *error = std::get_if<ErrorDetail>(&session.detail(index)))
            errorMessage = error->message;
        return true;
    default:
        return false;
    }
}

QString RecordedHandshake::failureReason() const
{
    if (!response.detail.failureReason.isEmpty())
        return response.detail.failureReason;
    return request.detail.failureReason;
}

bool RecordedHandshake::hasChecks() const
{
    return !request.detail.checks.isEmpty() || !response.detail.checks.isEmpty();
}

AcceptDerivation AcceptDerivation::derive(const RecordedHandshake &handshake)
{
    AcceptDerivation d;
    if (!handshake.request.present())
        return d;
    d.keys = handshake.request.detail.head.values("Sec-WebSocket-Key");
    if (d.keys.isEmpty()) {
        d.outcome = Outcome::NoKey;
        return d;
    }
    // RFC 6455 §4.1: the key is a base64-encoded (RFC 4648 §4, padded) 16-byte nonce.
    d.key = d.keys.first();
    const auto decoded
        = QByteArray::fromBase64Encoding(d.key, QByteArray::AbortOnBase64DecodingErrors);
    d.keyIsBase64 = decoded.decodingStatus == QByteArray::Base64DecodingStatus::Ok;
    if (d.keyIsBase64)
        d.nonce = decoded.decoded;
    d.keyValid = d.keys.size() == 1 && d.key.size() == 24 && d.keyIsBase64 && d.nonce.size() == 16;

    // RFC 6455 §4.2.2: Accept = base64(SHA-1(key + GUID)), the key taken as sent.
    d.concatenated = d.key + QByteArray(kWebSocketGuid);
    d.sha1 = QCryptographicHash::hash(d.concatenated, QCryptographicHash::Sha1);
    d.computed = d.sha1.toBase64();

    if (!handshake.response.present()) {
        d.outcome = Outcome::NoResponse;
        return d;
    }
    const HttpHead &response = handshake.response.detail.head;
    d.statusCode = response.statusCode;
    d.received = response.values("Sec-WebSocket-Accept");
    if (d.received.isEmpty())
        d.outcome = Outcome::NoAcceptHeader;
    else
        // RFC 6455 §4.1: exactly one field, equal byte for byte.
        d.outcome = d.received.size() == 1 && d.received.first() == d.computed ? Outcome::Match
                                                                               : Outcome::Mismatch;
    return d;
}

} // namespace frameline
