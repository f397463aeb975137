#pragma once

// The JSON shapes of the session journal (docs/session-format.md): the pieces of one
// line, both ways. Used by sessionjournal.cpp; kept apart so each file reads as one
// thing.

#include "sessionevent.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

#include <optional>

namespace frameline::journal {

/// Every event line ends with its "bytes" member, so a reader can take the base64 text
/// straight from the line instead of through a UTF-16 QString (a 64 MiB frame would
/// cost hundreds of MiB that way).
inline constexpr QByteArrayView kBytesMember = ",\"bytes\":\"";

/// A byte string: a JSON string when the bytes are valid UTF-8 (readable, and exact
/// both ways), otherwise {"base64": "…"}. A null array is written as an empty string.
QJsonValue bytesToJson(const QByteArray &bytes);
/// An unsigned 64-bit count: a JSON number up to 2^53 - 1, a decimal string above, so
/// readers that hold numbers as doubles (JavaScript, jq) never round it.
QJsonValue countToJson(std::uint64_t value);
/// The same, as JSON text for a line written by hand.
QByteArray countToJsonText(std::uint64_t value);
/// An instant as ISO 8601 UTC with milliseconds, or null when invalid.
QJsonValue dateTimeToJson(const QDateTime &dateTime);
QJsonValue roleToJson(Role role);

/// The detail object of an event line, with its "type"; empty for std::monostate.
QJsonObject detailToJson(const EventDetail &detail);
/// The same as compact JSON text, "type" first so a person reading the line sees it
/// before the fields it decides.
QByteArray detailToJsonText(const EventDetail &detail);

std::optional<EventKind> eventKindFromName(QStringView name);
std::optional<Direction> directionFromName(QStringView name);

/// Reads typed values out of JSON objects. An absent key gives the type's empty value
/// (writers may leave defaults out); a key holding the wrong type is a problem, and
/// the first one is kept as a sentence naming the key.
class JsonFields
{
public:
    bool ok() const { return m_problem.isEmpty(); }
    const QString &problem() const { return m_problem; }
    /// Records a problem of the caller's own (the first one wins).
    void fail(const QString &problem);

    QString string(const QJsonObject &o, QStringView key);
    QStringList stringList(const QJsonObject &o, QStringView key);
    QByteArray bytes(const QJsonObject &o, QStringView key);
    /// A byte string where null is a value of its own (a parameter without a value).
    QByteArray nullableBytes(const QJsonValue &value, QStringView what);
    QByteArray hex(const QJsonObject &o, QStringView key);
    bool boolean(const QJsonObject &o, QStringView key);
    std::int64_t integer(const QJsonObject &o, QStringView key, std::int64_t min, std::int64_t max);
    std::uint64_t count(const QJsonObject &o, QStringView key);
    QDateTime dateTime(const QJsonObject &o, QStringView key);
    Role role(const QJsonObject &o, QStringView key);
    QJsonObject object(const QJsonObject &o, QStringView key);
    QJsonArray array(const QJsonObject &o, QStringView key);
    /// An element of an array that must be an object.
    QJsonObject objectAt(const QJsonArray &a, qsizetype i, QStringView arrayKey);

private:
    QByteArray bytesValue(const QJsonValue &value, QStringView what);
    void wrongType(QStringView key, const QString &expected);

    QString m_problem;
};

/// The detail described by `o` (a "detail" object with its "type"); problems go to
/// `fields`.
EventDetail detailFromJson(const QJsonObject &o, JsonFields &fields);

} // namespace frameline::journal
