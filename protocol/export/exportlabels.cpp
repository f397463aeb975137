#include "exportlabels.h"

#include "closecode.h"
#include "eventformat.h"

#include <QtCore/QCoreApplication>

namespace frameline::ExportLabels {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ExportLabels", text);
}

} // namespace

QString close(const ClosePayload &payload)
{
    if (!payload.code)
        return tr("no status code");
    QString text = QStringLiteral("%1 %2").arg(*payload.code).arg(QString::fromLatin1(closeCodeName(*payload.code)));
    if (!payload.reason.isEmpty())
        text += QStringLiteral(" \"%1\"").arg(QString::fromUtf8(payload.reason));
    return text;
}

QString frame(const Session &session, std::uint32_t index, qsizetype previewBytes)
{
    const FrameHeader header = session.frameHeader(index);
    QString text = QString::fromLatin1(opcodeName(header.opcode)).toUpper();
    text += header.fin ? QStringLiteral(" FIN") : QStringLiteral(" FIN=0");
    if (header.rsvBits() != 0)
        text += QStringLiteral(" RSV=%1").arg(header.rsvBits(), 3, 2, QLatin1Char('0'));
    text += QStringLiteral(" len=%1").arg(header.payloadLength);
    if (header.masked)
        text += QStringLiteral(" masked");
    const QByteArray payload = session.framePayload(index);
    if (header.opcode == std::uint8_t(Opcode::Close)) {
        if (payload.size() >= 2) {
            ClosePayload body;
            body.code = std::uint16_t((std::uint8_t(payload[0]) << 8) | std::uint8_t(payload[1]));
            body.reason = payload.mid(2);
            text += u' ' + close(body);
        }
        return text;
    }
    if (!payload.isEmpty())
        text += u' ' + payloadPreview(payload, header.opcode != std::uint8_t(Opcode::Binary), previewBytes);
    return text;
}

QString startLine(const Session &session, std::uint32_t index)
{
    const QByteArrayView bytes = session.bytes(index);
    const qsizetype end = bytes.indexOf('\r');
    return QString::fromLatin1(end < 0 ? bytes : bytes.first(end));
}

QString side(Role role)
{
    return role == Role::Client ? tr("Client") : tr("Server");
}

QString tcpState(const TcpStateDetail &detail)
{
    const QString state = QString::fromLatin1(tcpStateName(detail.state));
    switch (detail.observation) {
    case Observation::Observed:
        return state;
    case Observation::Inferred:
        return tr("%1 (inferred)").arg(state);
    case Observation::PassedUnobserved:
        return tr("%1 (passed, not observed)").arg(state);
    case Observation::NotObservable:
        return tr("%1 (not observable here)").arg(state);
    }
    return state;
}

QString seconds(std::int64_t timeNs)
{
    return QString::number(double(timeNs) / 1e9, 'f', 6);
}

} // namespace frameline::ExportLabels
