#include "localserver.h"

namespace frameline {

LocalServer::LocalServer(QObject *parent)
    : QObject(parent)
{
}

LocalServer::~LocalServer() = default;

bool LocalServer::start(bool tls, QString *error)
{
    if (m_server && m_server->isListening() && m_server->options().tls == tls)
        return true;
    stop();
    ServerOptions options;
    options.tls = tls;
    options.clientClosesTcpFirst = m_clientClosesTcpFirst;
    auto server = std::make_unique<Server>(options);
    if (!server->listen(error))
        return false;
    m_server = std::move(server);
    Q_EMIT runningChanged(true);
    return true;
}

void LocalServer::setClientClosesTcpFirst(bool clientFirst)
{
    m_clientClosesTcpFirst = clientFirst;
    if (m_server)
        m_server->setClientClosesTcpFirst(clientFirst);
}

void LocalServer::stop()
{
    if (!m_server)
        return;
    m_server->close();
    m_server.reset();
    Q_EMIT runningChanged(false);
}

bool LocalServer::isRunning() const
{
    return m_server && m_server->isListening();
}

bool LocalServer::isTls() const
{
    return m_server && m_server->options().tls;
}

QUrl LocalServer::url() const
{
    return m_server ? m_server->url() : QUrl();
}

QSslCertificate LocalServer::certificate() const
{
    return m_server ? m_server->certificate() : QSslCertificate();
}

} // namespace frameline
