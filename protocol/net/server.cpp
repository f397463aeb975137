#include "server.h"

#include "selfsignedcertificate.h"
#include "sessionrecorder.h"

#include <QtCore/QPointer>
#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

namespace frameline {
namespace {

ProtocolOptions protocolOptionsFor(const ServerOptions &options)
{
    ProtocolOptions protocol;
    protocol.role = Role::Server;
    protocol.tcpCloseOrder = options.clientClosesTcpFirst ? TcpCloseOrder::ClientFirst : TcpCloseOrder::ServerFirst;
    protocol.decoder = options.decoderLimits;
    protocol.assembler = options.assemblerLimits;
    protocol.autoPong = options.autoPong;
    protocol.server.subprotocols = options.subprotocols;
    return protocol;
}

} // namespace

/// Accepts TCP connections and, for wss, starts TLS on them before handing them over.
class Server::Listener : public QTcpServer
{
public:
    explicit Listener(Server &server)
        : QTcpServer(&server)
        , m_server(server)
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        if (!m_server.m_options.tls) {
            auto *socket = new QTcpSocket(&m_server);
            if (socket->setSocketDescriptor(descriptor))
                m_server.accept(socket);
            else
                socket->deleteLater();
            return;
        }
        auto *socket = new QSslSocket(&m_server);
        if (!socket->setSocketDescriptor(descriptor)) {
            socket->deleteLater();
            return;
        }
        socket->setLocalCertificate(m_server.m_certificate);
        socket->setPrivateKey(m_server.m_key);
        QSslConfiguration tls = socket->sslConfiguration();
        tls.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
        socket->setSslConfiguration(tls);
        socket->setPeerVerifyMode(QSslSocket::VerifyNone);
        QObject::connect(socket, &QSslSocket::encrypted, &m_server, [this, socket] {
            QObject::disconnect(socket, &QAbstractSocket::disconnected, socket,
                                &QObject::deleteLater);
            m_server.accept(socket);
        });
        // A client that never finishes TLS (or fails it) is dropped, not kept forever.
        QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(m_server.m_options.closeTimeoutMs * 2, socket, [socket] {
            if (!socket->isEncrypted())
                socket->abort();
        });
        socket->startServerEncryption();
    }

private:
    Server &m_server;
};

ServerConnection::ServerConnection(const ServerOptions &options, QAbstractSocket *socket,
                                   QObject *parent)
    : Channel(protocolOptionsFor(options), {}, parent)
    , m_options(options)
    , m_socketToAttach(socket)
{
    setCloseTimeout(options.closeTimeoutMs);
    socket->setParent(this);
}

void ServerConnection::start()
{
    QAbstractSocket *socket = m_socketToAttach;
    SessionInfo info;
    const bool secure = qobject_cast<QSslSocket *>(socket) != nullptr;
    info.url = QStringLiteral("%1://%2:%3/")
                   .arg(secure ? QStringLiteral("wss") : QStringLiteral("ws"),
                        socket->localAddress().toString())
                   .arg(socket->localPort());
    info.localRole = Role::Server;
    info.startedAt = QDateTime::currentDateTimeUtc();
    info.origin = QStringLiteral("built-in server");
    session().setInfo(info);
    startClock();

    TcpDetail tcp;
    tcp.localAddress = socket->localAddress().toString();
    tcp.localPort = socket->localPort();
    tcp.peerAddress = socket->peerAddress().toString();
    tcp.peerPort = socket->peerPort();
    recorder().record(EventKind::TcpConnected, Direction::None, tcp);
    if (auto *tls = qobject_cast<QSslSocket *>(socket)) {
        TlsDetail detail;
        detail.protocol = tls->sessionProtocol() == QSsl::TlsV1_3 ? QStringLiteral("TLS 1.3")
                                                                   : QStringLiteral("TLS 1.2");
        detail.cipher = tls->sessionCipher().name();
        detail.alpn = tls->sslConfiguration().nextNegotiatedProtocol();
        recorder().record(EventKind::TlsEstablished, Direction::None, detail);
    }
    attachSocket(socket);
}

void ServerConnection::handleMessage(std::uint8_t opcode, QByteArrayView payload)
{
    Channel::handleMessage(opcode, payload);
    ++m_messages;
    if (m_options.echo) {
        if (m_options.echoDelayMs > 0) {
            QTimer::singleShot(m_options.echoDelayMs, this,
                               [this, opcode, copy = payload.toByteArray()] {
                                   if (opcode == std::uint8_t(Opcode::Text))
                                       sendText(copy);
                                   else
                                       sendBinary(copy);
                               });
        } else if (opcode == std::uint8_t(Opcode::Text)) {
            sendText(payload);
        } else {
            sendBinary(payload);
        }
    }
    if (m_options.closeAfterMessages > 0 && m_messages == m_options.closeAfterMessages) {
        const int delay = m_options.echoDelayMs;
        QTimer::singleShot(delay, this,
                           [this] { sendClose(m_options.closeCode, m_options.closeReason); });
    }
}

Server::Server(ServerOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

Server::~Server() = default;

bool Server::listen(QString *error)
{
    if (m_options.tls) {
        QString problem;
        if (!loadOrCreateServerCertificate(m_options.certificateFile, m_options.keyFile,
                                           m_certificate, m_key, &problem)) {
            if (error)
                *error = problem;
            return false;
        }
    }
    if (!m_listener)
        m_listener = new Listener(*this);
    if (!m_listener->listen(m_options.address, m_options.port)) {
        if (error)
            *error = tr("Cannot listen on %1 port %2: %3")
                         .arg(m_options.address.toString())
                         .arg(m_options.port)
                         .arg(m_listener->errorString());
        return false;
    }
    return true;
}

void Server::close()
{
    if (m_listener)
        m_listener->close();
}

bool Server::isListening() const
{
    return m_listener && m_listener->isListening();
}

quint16 Server::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

QUrl Server::url() const
{
    QUrl url;
    url.setScheme(m_options.tls ? QStringLiteral("wss") : QStringLiteral("ws"));
    const QHostAddress address = m_listener ? m_listener->serverAddress() : m_options.address;
    url.setHost(address == QHostAddress::AnyIPv4 || address == QHostAddress::Any
                    ? QStringLiteral("127.0.0.1")
                    : address.toString());
    url.setPort(port());
    url.setPath(QStringLiteral("/"));
    return url;
}

void Server::accept(QAbstractSocket *socket)
{
    auto *connection = new ServerConnection(m_options, socket, this);
    m_connections.append(connection);
    connect(connection, &Channel::finished, this, [this, connection] {
        Q_EMIT connectionFinished(connection);
        if (!m_options.keepSessions) {
            m_connections.removeOne(connection);
            connection->deleteLater();
        }
    });
    Q_EMIT connectionAccepted(connection);
    connection->start();
}

} // namespace frameline
