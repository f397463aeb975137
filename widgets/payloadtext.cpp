#include "payloadtext.h"

#include "utf8validator.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonParseError>

namespace frameline {
namespace {

bool hasControlCharacters(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 && c != u'\t' && c != u'\n' && c != u'\r')
            return true;
        if (c.unicode() == 0x7F)
            return true;
    }
    return false;
}

/// The first `maxBytes` bytes, moved back to a UTF-8 character boundary.
QByteArrayView cutAtCharacter(QByteArrayView bytes, qsizetype maxBytes)
{
    if (bytes.size() <= maxBytes)
        return bytes;
    qsizetype end = maxBytes;
    // Back over continuation bytes (10xxxxxx) to the lead byte, and leave it out too.
    while (end > 0 && (std::uint8_t(bytes[end]) & 0xC0) == 0x80)
        --end;
    return bytes.first(end);
}

} // namespace

QString PayloadText::hexDump(QByteArrayView bytes)
{
    QString dump;
    const int digits = bytes.size() > 0x10000 ? 8 : 4;
    dump.reserve(bytes.size() * 3 + (bytes.size() / 16 + 1) * (digits + 4));
    for (qsizetype row = 0; row < bytes.size(); row += 16) {
        if (row > 0)
            dump += u'\n';
        dump += QStringLiteral("%1 ").arg(row, digits, 16, QLatin1Char('0'));
        const qsizetype end = std::min<qsizetype>(row + 16, bytes.size());
        for (qsizetype i = row; i < end; ++i) {
            if (i - row == 8)
                dump += u' ';
            dump += u' ';
            dump += QString::number(std::uint8_t(bytes[i]), 16).rightJustified(2, u'0');
        }
    }
    return dump;
}

PayloadText PayloadText::from(
    QByteArrayView payload, Kind kind, qsizetype maxTextBytes, qsizetype maxHexBytes)
{
    PayloadText result;
    if (payload.isEmpty())
        return result;

    if (kind != Kind::Binary) {
        const QByteArrayView shown = cutAtCharacter(payload, maxTextBytes);
        if (isValidUtf8(shown)) {
            QString text = QString::fromUtf8(shown);
            if (kind == Kind::Text || !hasControlCharacters(text)) {
                result.format = Format::Text;
                // Only a whole payload can be JSON; a cut one is shown as it is.
                if (shown.size() == payload.size()) {
                    QJsonParseError error;
                    const QJsonDocument json
                        = QJsonDocument::fromJson(payload.toByteArray(), &error);
                    if (error.error == QJsonParseError::NoError
                        && (json.isObject() || json.isArray())) {
                        result.format = Format::Json;
                        text = QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed();
                    }
                } else {
                    text += QStringLiteral("\n\n")
                        + tr("[… %1 more bytes not shown]").arg(payload.size() - shown.size());
                }
                result.text = text;
                return result;
            }
        }
    }

    result.format = Format::Hex;
    const QByteArrayView shown = payload.first(std::min(payload.size(), maxHexBytes));
    result.text = hexDump(shown);
    if (shown.size() < payload.size())
        result.text += QStringLiteral("\n\n")
            + tr("[… %1 more bytes not shown]").arg(payload.size() - shown.size());
    return result;
}

} // namespace frameline
