#include "eventprinter.h"

#include "eventformat.h"
#include "session.h"

#include <QtCore/QJsonDocument>

namespace frameline::cli {

EventPrinter::EventPrinter(Format format, QFile &out)
    : m_format(format)
    , m_out(out)
{
}

void EventPrinter::attach(Session &session, const QString &label, bool framesToo)
{
    session.setAppendObserver([this, &session, label, framesToo](std::uint32_t index) {
        const EventKind kind = session.event(index).kind;
        if (!framesToo && (kind == EventKind::Frame || kind == EventKind::Message))
            return;
        print(session, index, label);
    });
}

void EventPrinter::print(const Session &session, std::uint32_t index, const QString &label)
{
    QByteArray line;
    if (m_format == Format::Json) {
        QJsonObject o = eventToJson(session, index);
        if (!label.isEmpty())
            o[u"connection"] = label;
        line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    } else {
        line = (label.isEmpty() ? QString() : u'[' + label + QStringLiteral("] "))
                   .toUtf8()
                   .append(eventToText(session, index).toUtf8());
    }
    line.append('\n');
    m_out.write(line);
    m_out.flush();
}

void EventPrinter::printInfo(const QString &key, const QString &value)
{
    QByteArray line;
    if (m_format == Format::Json)
        line = QJsonDocument(QJsonObject {{key, value}}).toJson(QJsonDocument::Compact);
    else
        line = value.toUtf8();
    line.append('\n');
    m_out.write(line);
    m_out.flush();
}

} // namespace frameline::cli
