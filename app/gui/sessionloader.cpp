#include "sessionloader.h"

#include "sessionfile.h"

#include <QtCore/QFileInfo>
#include <QtCore/QThread>

namespace frameline {

SessionLoader::SessionLoader(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Outcome>();
}

SessionLoader::~SessionLoader()
{
    if (m_thread) {
        m_cancel = true;
        m_thread->wait();
        delete m_thread;
    }
}

SessionLoader::Outcome SessionLoader::load(const QString &path, const std::function<bool(qint64, qint64)> &progress)
{
    Outcome outcome;
    outcome.path = path;
    auto session = std::make_shared<Session>();
    const SessionFileResult result = readSessionFile(path, *session, progress);
    outcome.message = result.message;
    outcome.native = result.native;
    switch (result.status) {
    case SessionFileResult::Status::Complete:
        outcome.status = Outcome::Status::Complete;
        break;
    case SessionFileResult::Status::Partial:
        outcome.status = Outcome::Status::Partial;
        break;
    case SessionFileResult::Status::Cancelled:
        outcome.status = Outcome::Status::Cancelled;
        break;
    case SessionFileResult::Status::Refused:
        outcome.status = Outcome::Status::Refused;
        return outcome;
    }
    outcome.session = std::move(session);
    return outcome;
}

bool SessionLoader::start(const QString &path)
{
    if (m_thread)
        return false;
    m_cancel = false;
    m_done = 0;
    m_total = QFileInfo(path).size();
    m_thread = QThread::create([this, path] {
        m_outcome = load(path, [this](qint64 done, qint64 total) {
            m_done = done;
            if (total >= 0)
                m_total = total;
            return !m_cancel.load();
        });
    });
    connect(m_thread, &QThread::finished, this, [this] {
        m_thread->deleteLater();
        m_thread = nullptr;
        Outcome outcome = std::move(m_outcome);
        m_outcome = {};
        // The Session now belongs to this thread: the worker is gone.
        Q_EMIT finished(outcome);
    });
    m_thread->start();
    return true;
}

} // namespace frameline
