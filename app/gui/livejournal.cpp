#include "livejournal.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QStandardPaths>

namespace frameline {

LiveJournal::LiveJournal(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LiveJournal::writePending);
}

LiveJournal::~LiveJournal()
{
    finish();
}

QString LiveJournal::directory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
        + QStringLiteral("/journal");
}

bool LiveJournal::start(std::shared_ptr<Session> session)
{
    finish();
    m_error.clear();
    const QDir dir(directory());
    if (!dir.mkpath(QStringLiteral("."))) {
        m_error = QCoreApplication::translate("LiveJournal", "Cannot create the journal folder %1.")
                      .arg(QDir::toNativeSeparators(dir.path()));
        return false;
    }
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    m_file.setFileName(dir.filePath(QStringLiteral("session-%1.jsonl").arg(stamp)));
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        m_error = QCoreApplication::translate("LiveJournal", "Cannot write the journal %1: %2")
                      .arg(QDir::toNativeSeparators(m_file.fileName()), m_file.errorString());
        return false;
    }
    m_session = std::move(session);
    m_writer.emplace(m_file);
    m_timer.start();
    prune();
    return true;
}

void LiveJournal::writePending()
{
    if (!m_writer || !m_session)
        return;
    if (!m_writer->writePending(*m_session)) {
        m_error = m_writer->errorString();
        m_timer.stop();
    }
}

void LiveJournal::finish()
{
    m_timer.stop();
    if (m_writer && m_session && !m_writer->isFinished() && m_error.isEmpty()) {
        if (!m_writer->finish(*m_session))
            m_error = m_writer->errorString();
    }
    m_writer.reset();
    if (m_file.isOpen())
        m_file.close();
    m_session.reset();
}

void LiveJournal::prune() const
{
    QDir dir(directory());
    const QFileInfoList journals = dir.entryInfoList({QStringLiteral("session-*.jsonl")}, QDir::Files,
                                                     QDir::Name | QDir::Reversed);
    for (qsizetype i = kKeep; i < journals.size(); ++i)
        QFile::remove(journals[i].filePath());
}

} // namespace frameline
