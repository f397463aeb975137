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

Q_SIGNALS:
    void runningChanged(bool running);

private:
    std::unique_ptr<Server> m_server;
};

} // namespace frameline
