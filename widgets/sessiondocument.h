#pragma once

#include "session.h"

#include <QtCore/QObject>

#include <cstdint>
#include <memory>

namespace frameline {

/// The Session as every view sees it: the one shared log, a notification when events
/// were appended (batched: at most once per event-loop turn, however fast a live
/// connection appends), and the current event, so a selection made in one view is
/// the selection of all. Views hold a pointer to the document, never their own copy
/// of protocol state.
class SessionDocument : public QObject
{
    Q_OBJECT

public:
    explicit SessionDocument(QObject *parent = nullptr);
    ~SessionDocument() override;

    /// Shows `session` (live or loaded); views reset. The document becomes the
    /// session's append observer while it shows it.
    void setSession(std::shared_ptr<Session> session);
    const Session *session() const { return m_session.get(); }
    std::shared_ptr<Session> sharedSession() const { return m_session; }

    /// Events the views have been told about (appends are announced in batches).
    std::uint32_t eventCount() const { return m_announced; }

    /// The selected event, or -1.
    qint64 currentEvent() const { return m_current; }
    void setCurrentEvent(qint64 index);

    /// Announces pending appends now rather than on the next event-loop turn.
    void flushAppends();

Q_SIGNALS:
    /// A different session is shown (or none); views rebuild from scratch.
    void sessionReset();
    /// Events [first, last] were appended since the last announcement.
    void eventsAppended(quint32 first, quint32 last);
    void currentEventChanged(qint64 index);

private:
    void scheduleAnnouncement();

    std::shared_ptr<Session> m_session;
    std::uint32_t m_announced = 0;
    qint64 m_current = -1;
    bool m_announcementQueued = false;
};

} // namespace frameline
