#include "sessionjournal.h"

#include "eventformat.h"
#include "sessionjournalcodec.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonDocument>
#include <QtCore/QSaveFile>

namespace frameline {
namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("SessionJournal", text, nullptr, n);
}

// Lines are gathered and written in batches of about this size.
constexpr qsizetype kWriteBatch = 4 * 1024 * 1024;

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray headerLine(const Session &session)
{
    const SessionInfo &info = session.info();
    const QJsonObject sessionObject {
        {QStringLiteral("url"), info.url},
        {QStringLiteral("localRole"), journal::roleToJson(info.localRole)},
        {QStringLiteral("startedAt"), journal::dateTimeToJson(info.startedAt)},
        {QStringLiteral("origin"), info.origin},
    };
    // Keys in a fixed order with "format" first, so the file names itself in its
    // first bytes.
    return QByteArrayLiteral("{\"format\":\"") + kSessionFormatName + "\",\"version\":"
        + QByteArray::number(kSessionFormatVersion) + ",\"writer\":\"Frameline " FRAMELINE_VERSION
        + "\",\"session\":" + compact(sessionObject) + ",\"limits\":{\"captureBytesPerFrame\":"
        + QByteArray::number(session.limits().captureBytesPerFrame) + "}}\n";
}

QByteArray eventLine(const Session &session, std::uint32_t index)
{
    const EventRecord &r = session.event(index);
    QByteArray line = "{\"index\":" + QByteArray::number(index)
        + ",\"timeNs\":" + QByteArray::number(r.timeNs) + ",\"kind\":\"" + eventKindName(r.kind)
        + "\",\"direction\":\"" + directionKey(r.direction)
        + "\",\"streamOffset\":" + journal::countToJsonText(r.streamOffset)
        + ",\"length\":" + journal::countToJsonText(r.length);
    if (r.kind == EventKind::Frame) {
        line += ",\"frame\":{\"byte0\":" + QByteArray::number(r.frameByte0)
            + ",\"byte1\":" + QByteArray::number(r.frameByte1);
        if (r.frameByte1 & 0x80) {
            line += ",\"maskKey\":\""
                + QByteArray::fromRawData(reinterpret_cast<const char *>(r.maskKey.data()), 4)
                      .toHex()
                + '"';
        }
        line += '}';
    }
    if (r.detailIndex != EventRecord::kNoDetail)
        line += ",\"detail\":" + journal::detailToJsonText(session.detail(index));
    const QByteArrayView bytes = session.bytes(index);
    if (!bytes.isEmpty()) {
        line.append(journal::kBytesMember)
            .append(QByteArray::fromRawData(bytes.data(), bytes.size()).toBase64())
            .append('"');
    }
    line += "}\n";
    return line;
}

} // namespace

SessionJournalWriter::SessionJournalWriter(QIODevice &device)
    : m_device(device)
{ }

bool SessionJournalWriter::write(const QByteArray &bytes)
{
    if (m_device.write(bytes) == bytes.size())
        return true;
    m_error = tr("Cannot write the session log: %1").arg(m_device.errorString());
    return false;
}

bool SessionJournalWriter::flush()
{
    auto *file = qobject_cast<QFileDevice *>(&m_device);
    if (!file || file->flush())
        return true;
    m_error = tr("Cannot write the session log: %1").arg(file->errorString());
    return false;
}

bool SessionJournalWriter::writePending(const Session &session)
{
    if (!m_error.isEmpty() || m_finished)
        return m_error.isEmpty();
    QByteArray batch;
    if (!m_headerWritten) {
        batch = headerLine(session);
        m_headerWritten = true;
    }
    const std::uint32_t count = session.eventCount();
    for (; m_written < count; ++m_written) {
        batch += eventLine(session, m_written);
        if (batch.size() >= kWriteBatch) {
            if (!write(batch))
                return false;
            batch.clear();
        }
    }
    // Whole lines only reach the device, so a crash between calls leaves a journal
    // that loads up to its last complete event.
    return (batch.isEmpty() || write(batch)) && flush();
}

bool SessionJournalWriter::finish(const Session &session)
{
    if (!writePending(session))
        return false;
    if (m_finished)
        return true;
    m_finished = true;
    return write("{\"end\":true,\"eventCount\":" + QByteArray::number(m_written) + "}\n")
        && flush();
}

bool saveSession(const Session &session, const QString &path, QString *error)
{
    QSaveFile file(path);
    QString problem;
    if (!file.open(QIODevice::WriteOnly)) {
        problem = file.errorString();
    } else {
        SessionJournalWriter writer(file);
        if (!writer.finish(session))
            problem = file.errorString();
        else if (!file.commit())
            problem = file.errorString();
    }
    if (problem.isEmpty())
        return true;
    if (error)
        *error = tr("Cannot save the session to “%1”: %2").arg(path, problem);
    return false;
}

} // namespace frameline
