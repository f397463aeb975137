#include "decodecommand.h"

#include "closecode.h"
#include "streamdecoder.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTextStream>

#include <cstdio>

namespace frameline::cli {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DecodeCommand", text);
}

/// Hex digits with any whitespace, ':' or "0x" prefixes between bytes.
bool parseHex(const QString &text, QByteArray &out, QString &error)
{
    QByteArray digits;
    digits.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace() || c == u':' || c == u',')
            continue;
        if (c == u'0' && i + 1 < text.size() && (text.at(i + 1) == u'x' || text.at(i + 1) == u'X')) {
            ++i;
            continue;
        }
        const char16_t u = c.unicode();
        if (!((u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F'))) {
            error = tr("'%1' at position %2 is not a hex digit.").arg(c).arg(i + 1);
            return false;
        }
        digits.append(char(c.unicode()));
    }
    if (digits.size() % 2) {
        error = tr("The hex text has an odd number of digits (%1).").arg(digits.size());
        return false;
    }
    out = QByteArray::fromHex(digits);
    return true;
}

QJsonObject frameJson(const DecodedFrame &frame)
{
    const FrameHeader &h = frame.header;
    QJsonObject o;
    o[u"offset"] = qint64(frame.streamOffset);
    o[u"fin"] = h.fin;
    o[u"rsv1"] = h.rsv1;
    o[u"rsv2"] = h.rsv2;
    o[u"rsv3"] = h.rsv3;
    o[u"opcode"] = int(h.opcode);
    o[u"opcodeName"] = QString::fromLatin1(opcodeName(h.opcode));
    o[u"masked"] = h.masked;
    o[u"maskKey"] = h.masked ? QJsonValue(QString::fromLatin1(
                                   QByteArray(reinterpret_cast<const char *>(h.maskKey.data()), 4).toHex()))
                             : QJsonValue(QJsonValue::Null);
    o[u"lengthEncoding"] = int(h.lengthEncoding);
    o[u"nonMinimalLength"] = h.nonMinimalLength;
    o[u"headerLength"] = int(h.headerSize);
    o[u"payloadLength"] = qint64(h.payloadLength);
    o[u"payloadHex"] = QString::fromLatin1(frame.payload.toByteArray().toHex());
    return o;
}

} // namespace

int runDecode(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Decodes a byte stream of WebSocket frames as the given role receives it (a client "
           "receives unmasked server frames, a server receives masked client frames) and prints "
           "one JSON object per frame. Exit status: 0 valid and complete, 1 protocol error, "
           "3 the bytes end inside a frame."));
    parser.addHelpOption();
    const QCommandLineOption roleOption(QStringLiteral("role"),
                                        tr("The receiving role: client or server."),
                                        QStringLiteral("client|server"));
    const QCommandLineOption hexOption(QStringLiteral("hex"), tr("The bytes, as hex text."),
                                       QStringLiteral("HEX"));
    const QCommandLineOption fileOption(QStringLiteral("file"),
                                        tr("Read the bytes from a file ('-' for standard input)."),
                                        QStringLiteral("PATH"));
    const QCommandLineOption maxFrameOption(QStringLiteral("max-frame-size"),
                                            tr("Largest frame payload accepted, in bytes."),
                                            QStringLiteral("BYTES"));
    parser.addOptions({roleOption, hexOption, fileOption, maxFrameOption});
    QTextStream err(stderr);
    if (!parser.parse(arguments)) {
        err << parser.errorText() << u'\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }

    const QString roleText = parser.value(roleOption);
    if (roleText != QLatin1String("client") && roleText != QLatin1String("server")) {
        err << tr("--role must be 'client' or 'server'.") << u'\n';
        return 2;
    }
    const Role role = roleText == QLatin1String("client") ? Role::Client : Role::Server;
    if (parser.isSet(hexOption) == parser.isSet(fileOption)) {
        err << tr("Give the bytes with exactly one of --hex or --file.") << u'\n';
        return 2;
    }

    QByteArray bytes;
    if (parser.isSet(hexOption)) {
        QString error;
        if (!parseHex(parser.value(hexOption), bytes, error)) {
            err << error << u'\n';
            return 2;
        }
    } else {
        const QString path = parser.value(fileOption);
        QFile file;
        const bool opened = path == QLatin1String("-") ? file.open(stdin, QIODevice::ReadOnly)
                                                       : (file.setFileName(path),
                                                          file.open(QIODevice::ReadOnly));
        if (!opened) {
            err << tr("Cannot read %1: %2").arg(path, file.errorString()) << u'\n';
            return 2;
        }
        bytes = file.readAll();
    }

    StreamDecodeLimits limits;
    if (parser.isSet(maxFrameOption)) {
        bool ok = false;
        limits.decoder.maxFramePayload = parser.value(maxFrameOption).toULongLong(&ok);
        if (!ok) {
            err << tr("--max-frame-size takes a number of bytes.") << u'\n';
            return 2;
        }
    }

    QFile out;
    out.open(stdout, QIODevice::WriteOnly);
    StreamDecodeHandlers handlers;
    handlers.frame = [&out](const DecodedFrame &frame) {
        out.write(QJsonDocument(frameJson(frame)).toJson(QJsonDocument::Compact));
        out.write("\n", 1);
    };
    const StreamDecodeResult result = decodeStream(role, bytes, handlers, limits);

    switch (result.ending) {
    case StreamDecodeResult::Ending::Complete:
        return 0;
    case StreamDecodeResult::Ending::Violation: {
        QJsonObject o;
        o[u"error"] = describe(result.error);
        o[u"errorKey"] = QString::fromLatin1(errorKey(result.error));
        o[u"rule"] = rfcSectionFor(result.error);
        o[u"closeCode"] = int(closeCodeFor(result.error));
        o[u"offset"] = qint64(result.errorOffset);
        out.write(QJsonDocument(o).toJson(QJsonDocument::Compact));
        out.write("\n", 1);
        return 1;
    }
    case StreamDecodeResult::Ending::Truncated:
        out.flush();
        err << tr("The bytes end inside a frame at offset %1: %2 byte(s) of an unfinished frame.")
                   .arg(bytes.size() - qint64(result.pendingBytes))
                   .arg(result.pendingBytes)
            << u'\n';
        return 3;
    }
    return 1;
}

} // namespace frameline::cli
