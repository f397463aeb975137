#pragma once

#include "sessionjournal.h"

#include <QtCore/QFile>
#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <memory>
#include <optional>

namespace frameline {

/// Writes a live session to a journal file in the application's data folder while it
/// runs (four times a second, and once at the end), so a crash or a kill loses at
/// most the last quarter second; the person saves it elsewhere when they want to keep
/// it. Old journals are pruned to the newest kKeep.
class LiveJournal : public QObject
{
    Q_OBJECT

public:
    static constexpr int kKeep = 20;
    static constexpr int kIntervalMs = 250;

    explicit LiveJournal(QObject *parent = nullptr);
    ~LiveJournal() override;

    /// Starts journaling `session`, finishing any previous one. False (with a reason in
    /// errorString()) when the file cannot be created; the connection goes on anyway.
    bool start(std::shared_ptr<Session> session);
    /// Writes the rest and the end line; the file stays.
    void finish();

    QString path() const { return m_file.fileName(); }
    QString errorString() const { return m_error; }
    /// Where journals go (created on demand).
    static QString directory();

private:
    void writePending();
    void prune() const;

    std::shared_ptr<Session> m_session;
    QFile m_file;
    std::optional<SessionJournalWriter> m_writer;
    QTimer m_timer;
    QString m_error;
};

} // namespace frameline
