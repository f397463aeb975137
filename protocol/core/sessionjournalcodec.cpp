#include "sessionjournalcodec.h"

#include "eventformat.h"
#include "utf8validator.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonDocument>

#include <array>
#include <cctype>

namespace frameline::journal {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SessionJournal", text);
}

// Numbers a double holds exactly; larger counts are written as strings.
constexpr std::uint64_t kMaxExactDouble = (std::uint64_t(1) << 53) - 1;

constexpr std::array kObservationNames {
    "observed", "inferred", "passed-unobserved", "not-observable"};

/// The enum value whose name (by `nameOf`) is `name`, trying values [0, count).
template<typename Enum, typename NameOf>
std::optional<Enum> enumFromName(QStringView name, int first, int count, NameOf nameOf)
{
    for (int i = first; i < first + count; ++i) {
        if (name == QLatin1StringView(nameOf(Enum(i))))
            return Enum(i);
    }
    return std::nullopt;
}

QJsonArray stringArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QString latin1(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes);
}

QJsonObject handshakeToJson(const HandshakeDetail &d)
{
    QJsonArray headers;
    for (const HttpHeader &header : d.head.headers)
        headers.append(QJsonArray {bytesToJson(header.name), bytesToJson(header.value)});
    QJsonObject head {
        {QStringLiteral("method"), bytesToJson(d.head.method)},
        {QStringLiteral("target"), bytesToJson(d.head.target)},
        {QStringLiteral("statusCode"), d.head.statusCode},
        {QStringLiteral("reasonPhrase"), bytesToJson(d.head.reasonPhrase)},
        {QStringLiteral("version"), bytesToJson(d.head.version)},
        {QStringLiteral("headers"), headers},
    };
    // Normally empty: the raw head is the event's bytes. Kept when a producer filled it.
    if (!d.head.raw.isEmpty())
        head[u"raw"] = bytesToJson(d.head.raw);

    QJsonArray checks;
    for (const HandshakeCheck &c : d.checks) {
        checks.append(QJsonObject {{QStringLiteral("name"), c.name},
            {QStringLiteral("expected"), c.expected}, {QStringLiteral("actual"), c.actual},
            {QStringLiteral("passed"), c.passed}, {QStringLiteral("required"), c.required},
            {QStringLiteral("rfcSection"), c.rfcSection}});
    }
    QJsonArray extensions;
    for (const ExtensionOffer &offer : d.extensions) {
        QJsonArray params;
        for (const auto &[name, value] : offer.params) {
            params.append(QJsonArray {bytesToJson(name),
                value.isNull() ? QJsonValue(QJsonValue::Null) : bytesToJson(value)});
        }
        extensions.append(QJsonObject {
            {QStringLiteral("name"), bytesToJson(offer.name)}, {QStringLiteral("params"), params}});
    }
    return QJsonObject {
        {QStringLiteral("type"), QStringLiteral("handshake")},
        {QStringLiteral("head"), head},
        {QStringLiteral("checks"), checks},
        {QStringLiteral("accepted"), d.accepted},
        {QStringLiteral("failureReason"), d.failureReason},
        {QStringLiteral("key"), bytesToJson(d.key)},
        {QStringLiteral("expectedAccept"), bytesToJson(d.expectedAccept)},
        {QStringLiteral("subprotocol"), bytesToJson(d.subprotocol)},
        {QStringLiteral("extensions"), extensions},
    };
}

struct DetailWriter
{
    QJsonObject operator()(std::monostate) const { return {}; }
    QJsonObject operator()(const DnsDetail &d) const
    {
        return {{QStringLiteral("type"), QStringLiteral("dns")}, {QStringLiteral("host"), d.host},
            {QStringLiteral("addresses"), stringArray(d.addresses)}};
    }
    QJsonObject operator()(const TcpDetail &d) const
    {
        return {{QStringLiteral("type"), QStringLiteral("tcp")},
            {QStringLiteral("localAddress"), d.localAddress},
            {QStringLiteral("localPort"), int(d.localPort)},
            {QStringLiteral("peerAddress"), d.peerAddress},
            {QStringLiteral("peerPort"), int(d.peerPort)}};
    }
    QJsonObject operator()(const TlsDetail &d) const
    {
        QJsonArray chain;
        for (const CertificateInfo &c : d.chain) {
            chain.append(QJsonObject {{QStringLiteral("subject"), c.subject},
                {QStringLiteral("issuer"), c.issuer},
                {QStringLiteral("notBefore"), dateTimeToJson(c.notBefore)},
                {QStringLiteral("notAfter"), dateTimeToJson(c.notAfter)},
                {QStringLiteral("sha256"), latin1(c.sha256.toHex())},
                {QStringLiteral("sha1"), latin1(c.sha1.toHex())}});
        }
        return {{QStringLiteral("type"), QStringLiteral("tls")},
            {QStringLiteral("protocol"), d.protocol}, {QStringLiteral("cipher"), d.cipher},
            {QStringLiteral("alpn"), bytesToJson(d.alpn)}, {QStringLiteral("chain"), chain},
            {QStringLiteral("verificationErrors"), stringArray(d.verificationErrors)},
            {QStringLiteral("errorsAccepted"), d.errorsAccepted}};
    }
    QJsonObject operator()(const HandshakeDetail &d) const { return handshakeToJson(d); }
    QJsonObject operator()(const MessageDetail &d) const
    {
        return {{QStringLiteral("type"), QStringLiteral("message")},
            {QStringLiteral("opcode"), int(d.opcode)},
            {QStringLiteral("size"), countToJson(d.size)},
            {QStringLiteral("firstFrameEvent"), qint64(d.firstFrameEvent)},
            {QStringLiteral("frameCount"), qint64(d.frameCount)}};
    }
    QJsonObject operator()(const CloseDetail &d) const
    {
        return {{QStringLiteral("type"), QStringLiteral("close")},
            {QStringLiteral("code"),
                d.close.code ? QJsonValue(int(*d.close.code)) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("reason"), bytesToJson(d.close.reason)},
            {QStringLiteral("initiatedLocally"), d.initiatedLocally}};
    }
    QJsonObject operator()(const StateDetail &d) const
    {
        return {{QStringLiteral("type"), QStringLiteral("state")},
            {QStringLiteral("from"), latin1(stateName(d.from))},
            {QStringLiteral("to"), latin1(stateName(d.to))}};
    }
    QJsonObject operator()(const TcpStateDetail &d) const
    {
        const auto observation = std::size_t(d.observation);
        return {{QStringLiteral("type"), QStringLiteral("tcp-state")},
            {QStringLiteral("side"), roleToJson(d.side)},
            {QStringLiteral("state"), latin1(tcpStateName(d.state))},
            {QStringLiteral("observation"),
                QLatin1StringView(observation < kObservationNames.size()
                        ? kObservationNames[observation]
                        : "observed")},
            {QStringLiteral("info"), d.info}};
    }
    QJsonObject operator()(const ErrorDetail &d) const
    {
        return {{QStringLiteral("type"), QStringLiteral("error")},
            {QStringLiteral("error"), latin1(errorKey(d.error))},
            {QStringLiteral("closeCode"), int(d.closeCode)}, {QStringLiteral("message"), d.message},
            {QStringLiteral("streamOffset"), countToJson(d.streamOffset)}};
    }
    QJsonObject operator()(const NoteDetail &d) const
    {
        return {{QStringLiteral("type"), QStringLiteral("note")}, {QStringLiteral("text"), d.text}};
    }
};

HandshakeDetail handshakeFromJson(const QJsonObject &o, JsonFields &f)
{
    HandshakeDetail d;
    const QJsonObject head = f.object(o, u"head");
    d.head.method = f.bytes(head, u"method");
    d.head.target = f.bytes(head, u"target");
    d.head.statusCode = int(f.integer(head, u"statusCode", 0, 999));
    d.head.reasonPhrase = f.bytes(head, u"reasonPhrase");
    d.head.version = f.bytes(head, u"version");
    d.head.raw = f.bytes(head, u"raw");
    const QJsonArray headers = f.array(head, u"headers");
    for (const QJsonValue &value : headers) {
        const QJsonArray pair = value.toArray();
        if (!value.isArray() || pair.size() != 2) {
            f.fail(tr("each of “headers” must be a [name, value] pair"));
            break;
        }
        d.head.headers.append(
            {f.nullableBytes(pair[0], u"headers"), f.nullableBytes(pair[1], u"headers")});
    }

    const QJsonArray checks = f.array(o, u"checks");
    for (qsizetype i = 0; i < checks.size() && f.ok(); ++i) {
        const QJsonObject c = f.objectAt(checks, i, u"checks");
        HandshakeCheck check;
        check.name = f.string(c, u"name");
        check.expected = f.string(c, u"expected");
        check.actual = f.string(c, u"actual");
        check.passed = f.boolean(c, u"passed");
        check.required = c.contains(u"required") ? f.boolean(c, u"required") : true;
        check.rfcSection = f.string(c, u"rfcSection");
        d.checks.append(check);
    }
    d.accepted = f.boolean(o, u"accepted");
    d.failureReason = f.string(o, u"failureReason");
    d.key = f.bytes(o, u"key");
    d.expectedAccept = f.bytes(o, u"expectedAccept");
    d.subprotocol = f.bytes(o, u"subprotocol");

    const QJsonArray extensions = f.array(o, u"extensions");
    for (qsizetype i = 0; i < extensions.size() && f.ok(); ++i) {
        const QJsonObject e = f.objectAt(extensions, i, u"extensions");
        ExtensionOffer offer;
        offer.name = f.bytes(e, u"name");
        for (const QJsonValue &value : f.array(e, u"params")) {
            const QJsonArray pair = value.toArray();
            if (!value.isArray() || pair.size() != 2) {
                f.fail(tr("each of “params” must be a [name, value] pair"));
                break;
            }
            offer.params.append(
                {f.nullableBytes(pair[0], u"params"), f.nullableBytes(pair[1], u"params")});
        }
        d.extensions.append(offer);
    }
    return d;
}

TlsDetail tlsFromJson(const QJsonObject &o, JsonFields &f)
{
    TlsDetail d;
    d.protocol = f.string(o, u"protocol");
    d.cipher = f.string(o, u"cipher");
    d.alpn = f.bytes(o, u"alpn");
    const QJsonArray chain = f.array(o, u"chain");
    for (qsizetype i = 0; i < chain.size() && f.ok(); ++i) {
        const QJsonObject c = f.objectAt(chain, i, u"chain");
        CertificateInfo certificate;
        certificate.subject = f.string(c, u"subject");
        certificate.issuer = f.string(c, u"issuer");
        certificate.notBefore = f.dateTime(c, u"notBefore");
        certificate.notAfter = f.dateTime(c, u"notAfter");
        certificate.sha256 = f.hex(c, u"sha256");
        certificate.sha1 = f.hex(c, u"sha1");
        d.chain.append(certificate);
    }
    d.verificationErrors = f.stringList(o, u"verificationErrors");
    d.errorsAccepted = f.boolean(o, u"errorsAccepted");
    return d;
}

/// An enum value named by `o[key]`, or a problem naming the key and the value.
template<typename Enum, typename NameOf>
Enum enumField(const QJsonObject &o, QStringView key, JsonFields &f, int count, NameOf nameOf)
{
    const QString name = f.string(o, key);
    if (!f.ok())
        return Enum(0);
    const std::optional<Enum> value = enumFromName<Enum>(name, 0, count, nameOf);
    if (!value)
        f.fail(tr("“%1” has an unknown value “%2”").arg(key, name));
    return value.value_or(Enum(0));
}

} // namespace

QJsonValue bytesToJson(const QByteArray &bytes)
{
    if (isValidUtf8(bytes))
        return QString::fromUtf8(bytes);
    return QJsonObject {{QStringLiteral("base64"), latin1(bytes.toBase64())}};
}

QJsonValue countToJson(std::uint64_t value)
{
    if (value <= kMaxExactDouble)
        return qint64(value);
    return QString::number(value);
}

QByteArray countToJsonText(std::uint64_t value)
{
    if (value <= kMaxExactDouble)
        return QByteArray::number(value);
    return '"' + QByteArray::number(value) + '"';
}

QJsonValue dateTimeToJson(const QDateTime &dateTime)
{
    if (!dateTime.isValid())
        return QJsonValue::Null;
    return dateTime.toUTC().toString(Qt::ISODateWithMs);
}

QJsonValue roleToJson(Role role)
{
    return role == Role::Client ? QStringLiteral("client") : QStringLiteral("server");
}

QJsonObject detailToJson(const EventDetail &detail)
{
    return std::visit(DetailWriter {}, detail);
}

QByteArray detailToJsonText(const EventDetail &detail)
{
    QJsonObject object = detailToJson(detail);
    const QByteArray type = object.take(u"type").toString().toUtf8();
    const QByteArray rest = QJsonDocument(object).toJson(QJsonDocument::Compact); // "{…}"
    return "{\"type\":\"" + type + '"' + (rest.size() > 2 ? ',' + rest.sliced(1) : rest.sliced(1));
}

std::optional<EventKind> eventKindFromName(QStringView name)
{
    return enumFromName<EventKind>(
        name, int(EventKind::DnsResolved), int(EventKind::Note), eventKindName);
}

std::optional<Direction> directionFromName(QStringView name)
{
    return enumFromName<Direction>(name, 0, 3, directionKey);
}

void JsonFields::fail(const QString &problem)
{
    if (m_problem.isEmpty())
        m_problem = problem;
}

void JsonFields::wrongType(QStringView key, const QString &expected)
{
    fail(tr("“%1” must be %2").arg(key, expected));
}

QString JsonFields::string(const QJsonObject &o, QStringView key)
{
    const QJsonValue value = o.value(key);
    if (value.isUndefined())
        return {};
    if (!value.isString())
        wrongType(key, tr("a string"));
    return value.toString();
}

QStringList JsonFields::stringList(const QJsonObject &o, QStringView key)
{
    QStringList list;
    for (const QJsonValue &value : array(o, key)) {
        if (!value.isString()) {
            wrongType(key, tr("an array of strings"));
            break;
        }
        list.append(value.toString());
    }
    return list;
}

QByteArray JsonFields::bytesValue(const QJsonValue &value, QStringView what)
{
    if (value.isString())
        return value.toString().toUtf8();
    const QJsonValue base64 = value.toObject().value(u"base64");
    if (value.isObject() && base64.isString()) {
        auto decoded = QByteArray::fromBase64Encoding(
            base64.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (decoded)
            return *decoded;
    }
    wrongType(what, tr("a string or {\"base64\": …}"));
    return {};
}

QByteArray JsonFields::bytes(const QJsonObject &o, QStringView key)
{
    const QJsonValue value = o.value(key);
    return value.isUndefined() ? QByteArray() : bytesValue(value, key);
}

QByteArray JsonFields::nullableBytes(const QJsonValue &value, QStringView what)
{
    if (value.isNull())
        return {};
    QByteArray bytes = bytesValue(value, what);
    // Present but empty is not the same as absent (`name=""` vs `name`).
    return bytes.isNull() ? QByteArray("", 0) : bytes;
}

QByteArray JsonFields::hex(const QJsonObject &o, QStringView key)
{
    const QString text = string(o, key);
    const QByteArray digits = text.toLatin1();
    for (const char c : digits) {
        if (!std::isxdigit(static_cast<unsigned char>(c)) || digits.size() % 2) {
            wrongType(key, tr("hex digits"));
            return {};
        }
    }
    return QByteArray::fromHex(digits);
}

bool JsonFields::boolean(const QJsonObject &o, QStringView key)
{
    const QJsonValue value = o.value(key);
    if (value.isUndefined())
        return false;
    if (!value.isBool())
        wrongType(key, tr("true or false"));
    return value.toBool();
}

std::int64_t JsonFields::integer(
    const QJsonObject &o, QStringView key, std::int64_t min, std::int64_t max)
{
    const QJsonValue value = o.value(key);
    if (value.isUndefined())
        return std::max<std::int64_t>(min, 0);
    // toInteger() gives its default for anything that is not a whole number a qint64
    // holds: asking with two defaults tells such a value from a real 0 or 1.
    const qint64 number = value.toInteger(0);
    const bool whole = value.isDouble() && value.toInteger(1) == number;
    if (!whole || number < min || number > max) {
        wrongType(key, tr("a whole number from %1 to %2").arg(min).arg(max));
        return std::max<std::int64_t>(min, 0);
    }
    return number;
}

std::uint64_t JsonFields::count(const QJsonObject &o, QStringView key)
{
    const QJsonValue value = o.value(key);
    if (value.isUndefined())
        return 0;
    bool ok = false;
    std::uint64_t number = 0;
    if (value.isString()) {
        number = value.toString().toULongLong(&ok);
    } else if (value.isDouble()) {
        const qint64 whole = value.toInteger(-1);
        ok = whole >= 0;
        number = std::uint64_t(whole);
    }
    if (!ok)
        wrongType(key, tr("a whole number of 0 or more"));
    return ok ? number : 0;
}

QDateTime JsonFields::dateTime(const QJsonObject &o, QStringView key)
{
    const QJsonValue value = o.value(key);
    if (value.isUndefined() || value.isNull())
        return {};
    QDateTime dateTime;
    if (value.isString())
        dateTime = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!dateTime.isValid())
        wrongType(key, tr("an ISO 8601 date and time, or null"));
    return dateTime;
}

Role JsonFields::role(const QJsonObject &o, QStringView key)
{
    const QString name = string(o, key);
    if (name == u"server")
        return Role::Server;
    if (!name.isEmpty() && name != u"client")
        wrongType(key, tr("\"client\" or \"server\""));
    return Role::Client;
}

QJsonObject JsonFields::object(const QJsonObject &o, QStringView key)
{
    const QJsonValue value = o.value(key);
    if (!value.isUndefined() && !value.isObject())
        wrongType(key, tr("an object"));
    return value.toObject();
}

QJsonArray JsonFields::array(const QJsonObject &o, QStringView key)
{
    const QJsonValue value = o.value(key);
    if (!value.isUndefined() && !value.isArray())
        wrongType(key, tr("an array"));
    return value.toArray();
}

QJsonObject JsonFields::objectAt(const QJsonArray &a, qsizetype i, QStringView arrayKey)
{
    if (!a.at(i).isObject())
        wrongType(arrayKey, tr("an array of objects"));
    return a.at(i).toObject();
}

EventDetail detailFromJson(const QJsonObject &o, JsonFields &f)
{
    const QString type = f.string(o, u"type");
    if (type == u"dns")
        return DnsDetail {f.string(o, u"host"), f.stringList(o, u"addresses")};
    if (type == u"tcp") {
        return TcpDetail {f.string(o, u"localAddress"),
            std::uint16_t(f.integer(o, u"localPort", 0, 65535)), f.string(o, u"peerAddress"),
            std::uint16_t(f.integer(o, u"peerPort", 0, 65535))};
    }
    if (type == u"tls")
        return tlsFromJson(o, f);
    if (type == u"handshake")
        return handshakeFromJson(o, f);
    if (type == u"message") {
        MessageDetail d;
        d.opcode = std::uint8_t(f.integer(o, u"opcode", 0, 15));
        d.size = f.count(o, u"size");
        d.firstFrameEvent = std::uint32_t(f.integer(o, u"firstFrameEvent", 0, 0xFFFFFFFFll));
        d.frameCount = std::uint32_t(f.integer(o, u"frameCount", 0, 0xFFFFFFFFll));
        return d;
    }
    if (type == u"close") {
        CloseDetail d;
        if (!o.value(u"code").isNull() && o.contains(u"code"))
            d.close.code = std::uint16_t(f.integer(o, u"code", 0, 65535));
        d.close.reason = f.bytes(o, u"reason");
        d.initiatedLocally = f.boolean(o, u"initiatedLocally");
        return d;
    }
    if (type == u"state") {
        return StateDetail {enumField<WebSocketState>(o, u"from", f, 4, stateName),
            enumField<WebSocketState>(o, u"to", f, 4, stateName)};
    }
    if (type == u"tcp-state") {
        TcpStateDetail d;
        d.side = f.role(o, u"side");
        d.state = enumField<TcpState>(o, u"state", f, int(TcpState::TimeWait) + 1, tcpStateName);
        d.observation = enumField<Observation>(o, u"observation", f, int(kObservationNames.size()),
            [](Observation v) { return kObservationNames[std::size_t(v)]; });
        d.info = f.string(o, u"info");
        return d;
    }
    if (type == u"error") {
        ErrorDetail d;
        d.error = enumField<ProtocolError>(
            o, u"error", f, int(ProtocolError::AbnormalClosure) + 1, errorKey);
        d.closeCode = std::uint16_t(f.integer(o, u"closeCode", 0, 65535));
        d.message = f.string(o, u"message");
        d.streamOffset = f.count(o, u"streamOffset");
        return d;
    }
    if (type == u"note")
        return NoteDetail {f.string(o, u"text")};
    f.fail(tr("the detail has an unknown type “%1”").arg(type));
    return std::monostate {};
}

} // namespace frameline::journal
