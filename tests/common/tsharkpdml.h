#pragma once

// Reads tshark's PDML output (`tshark -T pdml`) into the WebSocket frames it decoded,
// for tests that compare them with what Frameline recorded.

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QString>
#include <QtCore/QXmlStreamReader>

#include <cstdint>

namespace frameline::test {

/// One WebSocket frame as tshark decoded it (from its PDML): each field's `show` text
/// and `value` bytes, the TCP source port, and the fragments it reassembled.
struct TsharkFrame
{
    int packet = 0;
    std::uint16_t sourcePort = 0;
    QHash<QString, QString> show;
    QHash<QString, QByteArray> value;
    QList<QPair<int, QByteArray>> fragments; ///< packet number, unmasked fragment payload
};

inline QList<TsharkFrame> readPdml(const QByteArray &xml, QString &problem)
{
    QList<TsharkFrame> frames;
    QXmlStreamReader reader(xml);
    int packet = 0;
    std::uint16_t sourcePort = 0;
    qsizetype firstOfPacket = 0;
    while (!reader.atEnd()) {
        if (reader.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QXmlStreamAttributes a = reader.attributes();
        const QString name = a.value(QLatin1String("name")).toString();
        if (reader.name() == u"packet") {
            firstOfPacket = frames.size();
        } else if (reader.name() == u"proto" && name == u"websocket") {
            frames.append(TsharkFrame {packet, sourcePort, {}, {}, {}});
        } else if (reader.name() == u"field") {
            if (name == u"frame.number")
                packet = a.value(QLatin1String("show")).toInt();
            else if (name == u"tcp.srcport")
                sourcePort = std::uint16_t(a.value(QLatin1String("show")).toUInt());
            if (frames.size() == firstOfPacket)
                continue; // before the packet's first WebSocket frame
            TsharkFrame &frame = frames.last();
            const QByteArray value
                = QByteArray::fromHex(a.value(QLatin1String("value")).toLatin1());
            if (name == u"websocket.fragment")
                frame.fragments.append(qMakePair(a.value(QLatin1String("show")).toInt(), value));
            if (!frame.show.contains(name)) {
                frame.show.insert(name, a.value(QLatin1String("show")).toString());
                frame.value.insert(name, value);
            }
        }
    }
    if (reader.hasError())
        problem = QStringLiteral("tshark's PDML does not parse: %1").arg(reader.errorString());
    return frames;
}

} // namespace frameline::test
