#include "sessiondocument.h"

#include <QtCore/QMetaObject>

namespace frameline {

SessionDocument::SessionDocument(QObject *parent)
    : QObject(parent)
{
}

SessionDocument::~SessionDocument()
{
    if (m_session)
        m_session->setAppendObserver({});
}

void SessionDocument::setSession(std::shared_ptr<Session> session)
{
    if (m_session)
        m_session->setAppendObserver({});
    m_session = std::move(session);
    m_announced = m_session ? m_session->eventCount() : 0;
    m_current = -1;
    if (m_session)
        m_session->setAppendObserver([this](std::uint32_t) { scheduleAnnouncement(); });
    Q_EMIT sessionReset();
    Q_EMIT currentEventChanged(m_current);
}

void SessionDocument::setCurrentEvent(qint64 index)
{
    if (index < -1 || index >= qint64(m_announced))
        index = -1;
    if (index == m_current)
        return;
    m_current = index;
    Q_EMIT currentEventChanged(index);
}

void SessionDocument::scheduleAnnouncement()
{
    if (m_announcementQueued)
        return;
    m_announcementQueued = true;
    // One announcement per event-loop turn: a flood of frames becomes one batch insert.
    QMetaObject::invokeMethod(this, &SessionDocument::flushAppends, Qt::QueuedConnection);
}

void SessionDocument::flushAppends()
{
    m_announcementQueued = false;
    if (!m_session)
        return;
    const std::uint32_t count = m_session->eventCount();
    if (count <= m_announced)
        return;
    const std::uint32_t first = m_announced;
    m_announced = count;
    Q_EMIT eventsAppended(first, count - 1);
}

} // namespace frameline
