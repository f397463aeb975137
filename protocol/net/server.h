#pragma once

#include "channel.h"

#include <QtCore/QList>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

QT_BEGIN_NAMESPACE
class QTcpServer;
QT_END_NAMESPACE

namespace frameline {

/// What the built-in server does with each connection.
struct ServerOptions
{
    /// Loopback unless told otherwise: the server is for this machine's user.
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; ///< 0: any free port
    bool tls = false;
    QString certificateFile; ///< PEM; with tls and no files, a self-signed one is made
    QString keyFile;
    QList<QByteArray> subprotocols; ///< supported, in preference order
    bool echo = true;               ///< send every message back with its type
    int echoDelayMs = 0;
    /// > 0: start the closing handshake after this many messages.
    int closeAfterMessages = 0;
    std::uint16_t closeCode = CloseCode::Normal;
    QByteArray closeReason;
    bool autoPong = true;
    int closeTimeoutMs = 5000;
    /// After the closing handshake, wait for the client to close TCP first (instead of
    /// RFC 6455 §7.1.1's order): TIME-WAIT then lands on the client.
    bool clientClosesTcpFirst = false;
    DecoderLimits decoderLimits;
    AssemblerLimits assemblerLimits;
    /// Keep each connection's Session after it finishes (the GUI shows them).
    bool keepSessions = true;
};

/// The server side of one accepted connection, recorded into its own Session.
class ServerConnection : public Channel
{
    Q_OBJECT

public:
    ServerConnection(const ServerOptions &options, QAbstractSocket *socket, QObject *parent);

    /// Starts reading once the socket is ready (after TLS, for wss).
    void start();
    int messagesReceived() const { return m_messages; }

private:
    void handleMessage(std::uint8_t opcode, QByteArrayView payload) override;

    const ServerOptions &m_options;
    QAbstractSocket *m_socketToAttach;
    int m_messages = 0;
};

/// The built-in WebSocket server (plain and TLS), so a first connection works with no
/// network. Several clients at once, each recorded into its own Session.
class Server : public QObject
{
    Q_OBJECT

public:
    explicit Server(ServerOptions options, QObject *parent = nullptr);
    ~Server() override;

    /// Starts listening; on failure returns false with a sentence in `error`.
    bool listen(QString *error = nullptr);
    void close();
    bool isListening() const;
    quint16 port() const;
    /// ws://127.0.0.1:PORT/ (or wss://), with the address the server listens on.
    QUrl url() const;
    const ServerOptions &options() const { return m_options; }
    /// Which end closes TCP first, for connections accepted from now on.
    void setClientClosesTcpFirst(bool clientFirst) { m_options.clientClosesTcpFirst = clientFirst; }
    /// The certificate used for wss (made on first use when none was given).
    QSslCertificate certificate() const { return m_certificate; }

    QList<ServerConnection *> connections() const { return m_connections; }

Q_SIGNALS:
    void connectionAccepted(frameline::ServerConnection *connection);
    void connectionFinished(frameline::ServerConnection *connection);

private:
    class Listener;
    void accept(QAbstractSocket *socket);

    ServerOptions m_options;
    Listener *m_listener = nullptr;
    QSslCertificate m_certificate;
    QSslKey m_key;
    QList<ServerConnection *> m_connections;
};

} // namespace frameline
