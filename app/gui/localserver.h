#pragma once

#include "server.h"

#include <QtCore/QObject>

#include <memory>

namespace frameline {

/// The built-in server as the window uses it: started and stopped by the local-server
/// switch, over ws or wss (with the self-signed certificate kept between runs).
class LocalServer : public QObject
{
    Q_OBJECT

public:
    explicit LocalServer(QObject *parent = nullptr);
    ~LocalServer() override;

    /// Starts (or restarts, when the scheme changes) listening on a free loopback port.
    bool start(bool tls, QString *error);
    void stop();
    bool isRunning() const;
    bool isTls() const;
    QUrl url() const;
    /// The wss certificate, so the window's own client can trust it.
    QSslCertificate certificate() const;
    Server *server() const { return m_server.get(); }
    /// After the closing handshake, wait for the client to close TCP first (TIME-WAIT
    /// then lands on the client) instead of closing first as RFC 6455 §7.1.1 asks.
    void setClientClosesTcpFirst(bool clientFirst);
    bool clientClosesTcpFirst() const { return m_clientClosesTcpFirst; }

Q_SIGNALS:
    void runningChanged(bool running);

private:
    std::unique_ptr<Server> m_server;
    bool m_clientClosesTcpFirst = false;
};

} // namespace frameline
