#include "handshake.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QCryptographicHash>
#include <QtCore/QRandomGenerator>

#include <algorithm>
#include <cstring>

namespace frameline {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Handshake", text);
}

const QString kRfc41 = QStringLiteral("RFC 6455 §4.1");
const QString kRfc421 = QStringLiteral("RFC 6455 §4.2.1");
const QString kMissing = QStringLiteral("(missing)");

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool hasToken(const QList<QByteArray> &elements, QByteArrayView token)
{
    for (const QByteArray &element : elements) {
        if (element.compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString text(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes);
}

/// Records a check; returns whether it passed.
bool check(QList<HandshakeCheck> &checks, const QString &name, const QString &expected,
           const QString &actual, bool passed, const QString &section, bool required = true)
{
    checks.append({name, expected, actual, passed, required, section});
    return passed;
}

QString firstFailure(const QList<HandshakeCheck> &checks)
{
    for (const HandshakeCheck &c : checks) {
        if (c.required && !c.passed)
            return tr("%1: expected %2, got %3 (%4).").arg(c.name, c.expected, c.actual, c.rfcSection);
    }
    return {};
}

QByteArray errorResponse(int status, const QByteArray &reason, const QString &why, bool upgradeRequired)
{
    const QByteArray body = why.toUtf8() + '\n';
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    // RFC 9110 §15.5.22: a 426 MUST name the protocol to upgrade to in Upgrade, and
    // RFC 9110 §7.8: whoever sends Upgrade MUST also list "Upgrade" in Connection.
    if (upgradeRequired)
        out += "Sec-WebSocket-Version: 13\r\nUpgrade: websocket\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\nConnection: "
        + (upgradeRequired ? "Upgrade, close" : "close") + "\r\n\r\n" + body;
    return out;
}

} // namespace

bool parseExtensionList(QByteArrayView value, QList<ExtensionOffer> &out, QString *error)
{
    // RFC 6455 §9.1: extension-list = 1#extension; extension = token *( ";" param );
    // param = token [ "=" (token | quoted-string) ].
    out.clear();
    qsizetype i = 0;
    const qsizetype n = value.size();
    const auto skipSpace = [&] {
        while (i < n && (value[i] == ' ' || value[i] == '\t'))
            ++i;
    };
    const auto readToken = [&] {
        const qsizetype start = i;
        while (i < n && isTokenChar(value[i]))
            ++i;
        return value.sliced(start, i - start).toByteArray();
    };
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        out.clear();
        return false;
    };
    for (;;) {
        skipSpace();
        if (i < n && value[i] == ',') { // empty list elements are allowed (RFC 9110 §5.6.1)
            ++i;
            continue;
        }
        if (i >= n)
            break;
        ExtensionOffer offer;
        offer.name = readToken();
        if (offer.name.isEmpty())
            return fail(tr("Expected an extension name at position %1.").arg(i + 1));
        skipSpace();
        while (i < n && value[i] == ';') {
            ++i;
            skipSpace();
            QByteArray name = readToken();
            if (name.isEmpty())
                return fail(tr("Expected a parameter name at position %1.").arg(i + 1));
            skipSpace();
            QByteArray paramValue;
            if (i < n && value[i] == '=') {
                ++i;
                skipSpace();
                if (i < n && value[i] == '"') {
                    ++i;
                    while (i < n && value[i] != '"') {
                        if (value[i] == '\\' && i + 1 < n)
                            ++i;
                        paramValue.append(value[i++]);
                    }
                    if (i >= n)
                        return fail(tr("A quoted parameter value is not closed."));
                    ++i;
                    // RFC 6455 §9.1: a quoted value must still be a token once unquoted.
                    for (const char c : paramValue) {
                        if (!isTokenChar(c))
                            return fail(tr("The quoted value of '%1' is not a token.").arg(text(name)));
                    }
                } else {
                    paramValue = readToken();
                }
                if (paramValue.isEmpty())
                    return fail(tr("Parameter '%1' has an empty value.").arg(text(name)));
            }
            offer.params.append({name, paramValue});
            skipSpace();
        }
        out.append(offer);
        if (i < n && value[i] != ',')
            return fail(tr("Unexpected '%1' at position %2.").arg(QChar::fromLatin1(value[i])).arg(i + 1));
    }
    if (out.isEmpty())
        return fail(tr("The extension list is empty."));
    return true;
}

QByteArray formatExtensionList(const QList<ExtensionOffer> &extensions)
{
    QByteArray out;
    for (const ExtensionOffer &offer : extensions) {
        if (!out.isEmpty())
            out += ", ";
        out += offer.name;
        for (const auto &[name, value] : offer.params) {
            out += "; " + name;
            if (!value.isNull())
                out += '=' + value;
        }
    }
    return out;
}

QByteArray generateWebSocketKey(const std::function<void(std::uint8_t *, std::size_t)> &randomBytes)
{
    // RFC 6455 §4.1: a randomly selected 16-byte nonce, base64-encoded.
    std::uint8_t nonce[16];
    if (randomBytes) {
        randomBytes(nonce, sizeof nonce);
    } else {
        quint32 words[4];
        QRandomGenerator::system()->fillRange(words);
        std::memcpy(nonce, words, sizeof nonce);
    }
    return QByteArray(reinterpret_cast<const char *>(nonce), sizeof nonce).toBase64();
}

QByteArray computeAcceptKey(QByteArrayView key)
{
    // RFC 6455 §4.2.2: base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(QByteArrayView(kWebSocketGuid));
    return sha1.result().toBase64();
}

QByteArray buildClientRequest(const ClientHandshakeOptions &options, QByteArrayView key)
{
    const QByteArray resource = options.resourceName.isEmpty() ? QByteArray("/") : options.resourceName;
    QByteArray out = "GET " + resource + " HTTP/1.1\r\n";
    out += "Host: " + options.host + "\r\n";
    out += "Upgrade: websocket\r\n";
    out += "Connection: Upgrade\r\n";
    out += "Sec-WebSocket-Key: " + key.toByteArray() + "\r\n";
    out += "Sec-WebSocket-Version: 13\r\n";
    if (!options.origin.isEmpty())
        out += "Origin: " + options.origin + "\r\n";
    if (!options.subprotocols.isEmpty())
        out += "Sec-WebSocket-Protocol: " + options.subprotocols.join(", ") + "\r\n";
    if (!options.extensions.isEmpty())
        out += "Sec-WebSocket-Extensions: " + formatExtensionList(options.extensions) + "\r\n";
    for (const HttpHeader &header : options.extraHeaders)
        out += header.name + ": " + header.value + "\r\n";
    out += "\r\n";
    return out;
}

ClientHandshakeResult validateServerResponse(const HttpHead &response, QByteArrayView key,
                                             const ClientHandshakeOptions &options)
{
    ClientHandshakeResult result;
    QList<HandshakeCheck> &checks = result.checks;
    check(checks, tr("HTTP version"), QStringLiteral("HTTP/1.1"), text(response.version),
          response.version == "HTTP/1.1", QStringLiteral("RFC 6455 §4.1, RFC 9112 §2.3"));
    // RFC 6455 §4.1: any status other than 101 means the handshake has not completed.
    check(checks, tr("Status"), QStringLiteral("101 Switching Protocols"),
          QStringLiteral("%1 %2").arg(response.statusCode).arg(text(response.reasonPhrase)),
          response.statusCode == 101, kRfc41);
    // RFC 6455 §4.1: Upgrade must be "websocket" (case-insensitive).
    const QByteArray upgrade = response.value("Upgrade");
    check(checks, QStringLiteral("Upgrade"), QStringLiteral("websocket"),
          response.has("Upgrade") ? text(upgrade) : kMissing,
          upgrade.trimmed().compare("websocket", Qt::CaseInsensitive) == 0, kRfc41);
    // RFC 6455 §4.1: Connection must contain the token "Upgrade" (case-insensitive).
    check(checks, QStringLiteral("Connection"), QStringLiteral("Upgrade"),
          response.has("Connection") ? text(response.value("Connection")) : kMissing,
          hasToken(response.listValues("Connection"), "Upgrade"), kRfc41);
    // RFC 6455 §4.1: Sec-WebSocket-Accept must be base64(SHA-1(key + GUID)).
    const QByteArray expectedAccept = computeAcceptKey(key);
    const QList<QByteArray> accepts = response.values("Sec-WebSocket-Accept");
    check(checks, QStringLiteral("Sec-WebSocket-Accept"), text(expectedAccept),
          accepts.isEmpty() ? kMissing : text(accepts.join(", ")),
          accepts.size() == 1 && accepts.first() == expectedAccept, kRfc41);

    // RFC 6455 §4.1: only extensions the client asked for may be in use.
    const QList<QByteArray> extensionValues = response.values("Sec-WebSocket-Extensions");
    if (!extensionValues.isEmpty()) {
        QList<ExtensionOffer> accepted;
        QString syntaxError;
        const bool parsed = parseExtensionList(extensionValues.join(", "), accepted, &syntaxError);
        bool allOffered = parsed;
        QStringList names;
        for (const ExtensionOffer &extension : std::as_const(accepted)) {
            names.append(text(extension.name));
            bool offered = false;
            for (const ExtensionOffer &offer : options.extensions)
                offered = offered || offer.name == extension.name;
            allOffered = allOffered && offered;
        }
        QStringList offeredNames;
        for (const ExtensionOffer &offer : options.extensions)
            offeredNames.append(text(offer.name));
        check(checks, QStringLiteral("Sec-WebSocket-Extensions"),
              offeredNames.isEmpty() ? tr("(none: none were offered)") : tr("among: %1").arg(offeredNames.join(QStringLiteral(", "))),
              parsed ? names.join(QStringLiteral(", ")) : syntaxError, allOffered, kRfc41);
        if (allOffered)
            result.extensions = accepted;
    }

    // RFC 6455 §4.1: a subprotocol must be one the client offered (none if none offered).
    const QList<QByteArray> protocols = response.values("Sec-WebSocket-Protocol");
    if (!protocols.isEmpty() || !options.subprotocols.isEmpty()) {
        const QByteArray chosen = protocols.isEmpty() ? QByteArray() : protocols.join(", ").trimmed();
        const bool ok = protocols.isEmpty() || (protocols.size() == 1 && options.subprotocols.contains(chosen));
        check(checks, QStringLiteral("Sec-WebSocket-Protocol"),
              options.subprotocols.isEmpty() ? tr("(none: none were offered)")
                                             : tr("absent, or one of: %1").arg(text(options.subprotocols.join(", "))),
              protocols.isEmpty() ? kMissing : text(chosen), ok, kRfc41);
        if (ok)
            result.subprotocol = chosen;
    }

    result.failureReason = firstFailure(checks);
    result.accepted = result.failureReason.isEmpty();
    if (!result.accepted && response.statusCode != 101) {
        result.failureReason = tr("The server answered %1 %2 instead of 101 Switching Protocols.")
                                   .arg(response.statusCode)
                                   .arg(text(response.reasonPhrase));
    }
    return result;
}

ServerHandshakeResult answerClientRequest(const HttpHead &request, const ServerHandshakeOptions &options)
{
    ServerHandshakeResult result;
    QList<HandshakeCheck> &checks = result.checks;
    // RFC 6455 §4.2.1: the method must be GET, the version HTTP/1.1 or higher.
    check(checks, tr("Method"), QStringLiteral("GET"), text(request.method), request.method == "GET", kRfc421);
    const bool versionOk = request.version == "HTTP/1.1" || request.version.startsWith("HTTP/2")
        || request.version.startsWith("HTTP/3");
    check(checks, tr("HTTP version"), QStringLiteral("HTTP/1.1"), text(request.version), versionOk, kRfc421);
    // RFC 9112 §3.2: a request with no Host, or with more than one, gets 400.
    const QList<QByteArray> hosts = request.values("Host");
    check(checks, QStringLiteral("Host"), tr("present once"),
          hosts.isEmpty() ? kMissing : text(hosts.join(", ")), hosts.size() == 1,
          kRfc421);
    const QByteArray upgrade = request.value("Upgrade");
    check(checks, QStringLiteral("Upgrade"), QStringLiteral("websocket"),
          request.has("Upgrade") ? text(upgrade) : kMissing,
          hasToken(request.listValues("Upgrade"), "websocket"), kRfc421);
    check(checks, QStringLiteral("Connection"), QStringLiteral("Upgrade"),
          request.has("Connection") ? text(request.value("Connection")) : kMissing,
          hasToken(request.listValues("Connection"), "Upgrade"), kRfc421);
    // RFC 6455 §4.2.1: the key must be base64 (RFC 4648 §4, so padded: 24 characters)
    // of exactly 16 bytes.
    const QList<QByteArray> keys = request.values("Sec-WebSocket-Key");
    const QByteArray key = keys.size() == 1 ? keys.first() : QByteArray();
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    check(checks, QStringLiteral("Sec-WebSocket-Key"), tr("base64 of a 16-byte nonce"),
          keys.isEmpty() ? kMissing : text(keys.join(", ")),
          key.size() == 24 && decoded.decodingStatus == QByteArray::Base64DecodingStatus::Ok
              && decoded.decoded.size() == 16,
          kRfc421);
    const QByteArray version = request.value("Sec-WebSocket-Version");
    const bool versionSupported = version.trimmed() == "13";
    check(checks, QStringLiteral("Sec-WebSocket-Version"), QStringLiteral("13"),
          request.has("Sec-WebSocket-Version") ? text(version) : kMissing, versionSupported, kRfc421);

    result.failureReason = firstFailure(checks);
    if (!result.failureReason.isEmpty()) {
        // RFC 6455 §4.4: an unsupported version is answered with 426 and the versions we speak.
        const bool upgradeRequired = !versionSupported && request.has("Sec-WebSocket-Version")
            && checks.size() >= 6 && std::all_of(checks.cbegin(), checks.cend() - 1,
                                                  [](const HandshakeCheck &c) { return c.passed; });
        result.statusCode = upgradeRequired ? 426 : 400;
        result.response = errorResponse(result.statusCode,
                                        upgradeRequired ? "Upgrade Required" : "Bad Request",
                                        result.failureReason, upgradeRequired);
        return result;
    }

    // RFC 6455 §4.2.2: choose at most one subprotocol, by the server's preference.
    const QList<QByteArray> offered = request.listValues("Sec-WebSocket-Protocol");
    for (const QByteArray &supported : options.subprotocols) {
        if (offered.contains(supported)) {
            result.subprotocol = supported;
            break;
        }
    }
    const QList<QByteArray> extensionValues = request.values("Sec-WebSocket-Extensions");
    if (!extensionValues.isEmpty() && options.negotiateExtensions) {
        QList<ExtensionOffer> offers;
        if (parseExtensionList(extensionValues.join(", "), offers))
            result.extensions = options.negotiateExtensions(offers);
    }

    QByteArray out = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    out += "Sec-WebSocket-Accept: " + computeAcceptKey(key) + "\r\n";
    if (!result.subprotocol.isEmpty())
        out += "Sec-WebSocket-Protocol: " + result.subprotocol + "\r\n";
    if (!result.extensions.isEmpty())
        out += "Sec-WebSocket-Extensions: " + formatExtensionList(result.extensions) + "\r\n";
    for (const HttpHeader &header : options.extraHeaders)
        out += header.name + ": " + header.value + "\r\n";
    out += "\r\n";
    result.response = out;
    result.statusCode = 101;
    result.accepted = true;
    return result;
}

} // namespace frameline
