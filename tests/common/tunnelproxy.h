#pragma once

// A proxy for tests of connecting through one: HTTP CONNECT or SOCKS5 on loopback,
// recording what the client asked for.

#include <QtCore/QtEndian>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

namespace frameline::test {

/// A tunnelling proxy on loopback, just enough of HTTP CONNECT (RFC 9110 §9.3.6) or
/// SOCKS5 (RFC 1928, with RFC 1929 user/password) to carry one connection, remembering
/// what it was asked for.
class TunnelProxy : public QObject
{
public:
    enum class Kind { HttpConnect, Socks5 };
    explicit TunnelProxy(Kind kind) : m_kind(kind)
    {
        connect(&m_listener, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *downstream = m_listener.nextPendingConnection())
                accept(downstream);
        });
    }
    bool listen() { return m_listener.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_listener.serverPort(); }
    QByteArray target;      ///< "host:port" the client asked for
    QByteArray credentials; ///< "user:password" when it sent any
    bool requireCredentials = false; ///< HTTP: answer 407 until they come
    int tunnels = 0;

private:
    void accept(QTcpSocket *downstream)
    {
        auto *buffer = new QByteArray;
        connect(downstream, &QObject::destroyed, this, [buffer] { delete buffer; });
        connect(downstream, &QTcpSocket::disconnected, downstream, &QObject::deleteLater);
        connect(downstream, &QTcpSocket::readyRead, this, [this, downstream, buffer] {
            if (downstream->property("tunnel").toBool())
                return;
            buffer->append(downstream->readAll());
            if (m_kind == Kind::HttpConnect)
                httpStep(downstream, *buffer);
            else
                socksStep(downstream, *buffer);
        });
    }
    void httpStep(QTcpSocket *downstream, QByteArray &buffer)
    {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        const QList<QByteArray> start = lines.first().trimmed().split(' ');
        if (start.size() != 3 || start[0] != "CONNECT") {
            downstream->write("HTTP/1.1 405 Method Not Allowed\r\n\r\n");
            downstream->disconnectFromHost();
            return;
        }
        target = start[1];
        for (const QByteArray &line : lines) {
            if (line.toLower().startsWith("proxy-authorization: basic "))
                credentials = QByteArray::fromBase64(line.mid(27).trimmed());
        }
        if (requireCredentials && credentials.isEmpty()) {
            downstream->write("HTTP/1.1 407 Proxy Authentication Required\r\n"
                              "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n");
            buffer.remove(0, end + 4);
            return;
        }
        const qsizetype colon = target.lastIndexOf(':');
        tunnel(downstream, buffer.mid(end + 4), QString::fromLatin1(target.left(colon)),
               quint16(target.mid(colon + 1).toUInt()),
               "HTTP/1.1 200 Connection established\r\n\r\n");
    }
    void socksStep(QTcpSocket *downstream, QByteArray &buffer)
    {
        const int stage = downstream->property("stage").toInt();
        if (stage == 0 && buffer.size() >= 2 && buffer.size() >= 2 + quint8(buffer[1])) {
            const QByteArray methods = buffer.mid(2, quint8(buffer[1]));
            buffer.remove(0, 2 + methods.size());
            const bool password = methods.contains('\x02');
            downstream->write(QByteArray("\x05") + (password ? '\x02' : '\x00'));
            downstream->setProperty("stage", password ? 1 : 2);
            return socksStep(downstream, buffer);
        }
        if (stage == 1 && buffer.size() >= 2) {
            const int userLength = quint8(buffer[1]);
            if (buffer.size() < 3 + userLength || buffer.size() < 3 + userLength + quint8(buffer[2 + userLength]))
                return;
            const int passwordLength = quint8(buffer[2 + userLength]);
            credentials = buffer.mid(2, userLength) + ':' + buffer.mid(3 + userLength, passwordLength);
            buffer.remove(0, 3 + userLength + passwordLength);
            downstream->write(QByteArray("\x01\x00", 2));
            downstream->setProperty("stage", 2);
            return socksStep(downstream, buffer);
        }
        if (stage == 2 && buffer.size() >= 5) {
            QString host;
            qsizetype at = 4;
            if (buffer[3] == '\x03') {
                const int length = quint8(buffer[4]);
                if (buffer.size() < 5 + length + 2)
                    return;
                host = QString::fromLatin1(buffer.mid(5, length));
                at = 5 + length;
            } else if (buffer[3] == '\x01') {
                if (buffer.size() < 10)
                    return;
                host = QHostAddress(qFromBigEndian<quint32>(buffer.constData() + 4)).toString();
                at = 8;
            } else {
                downstream->disconnectFromHost();
                return;
            }
            const quint16 port = qFromBigEndian<quint16>(buffer.constData() + at);
            target = host.toLatin1() + ':' + QByteArray::number(port);
            tunnel(downstream, buffer.mid(at + 2), host, port,
                   QByteArray("\x05\x00\x00\x01\x7f\x00\x00\x01\x00\x00", 10));
        }
    }
    void tunnel(QTcpSocket *downstream, const QByteArray &early, const QString &host, quint16 port,
                const QByteArray &reply)
    {
        downstream->setProperty("tunnel", true);
        ++tunnels;
        auto *upstream = new QTcpSocket(downstream);
        upstream->setProxy(QNetworkProxy::NoProxy);
        connect(upstream, &QTcpSocket::connected, downstream, [=] {
            downstream->write(reply);
            if (!early.isEmpty())
                upstream->write(early);
            const auto pipe = [](QTcpSocket *from, QTcpSocket *to) {
                connect(from, &QTcpSocket::readyRead, to, [from, to] { to->write(from->readAll()); });
                connect(from, &QTcpSocket::disconnected, to, [to] { to->disconnectFromHost(); });
            };
            pipe(upstream, downstream);
            pipe(downstream, upstream);
            if (downstream->bytesAvailable())
                upstream->write(downstream->readAll());
        });
        upstream->connectToHost(host, port);
    }

    Kind m_kind;
    QTcpServer m_listener;
};

} // namespace frameline::test
