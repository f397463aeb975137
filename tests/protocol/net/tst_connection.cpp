// Our client (Connection) against our built-in server (Server) on loopback: the whole
// lifecycle as Session events, both close orders, subprotocols, a refused upgrade,
// connection failures, and wss with a self-signed certificate.

#include "connection.h"
#include "server.h"
#include "tunnelproxy.h"

#include <QtCore/QTemporaryFile>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QtTest>

using namespace frameline;
using frameline::test::TunnelProxy;

namespace {

QList<EventKind> kindsOf(const Session &session)
{
    QList<EventKind> kinds;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i)
        kinds.append(session.event(i).kind);
    return kinds;
}

template<typename Detail>
QList<Detail> detailsOf(const Session &session, EventKind kind)
{
    QList<Detail> out;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind == kind)
            out.append(std::get<Detail>(session.detail(i)));
    }
    return out;
}

QList<WebSocketState> statesOf(const Session &session)
{
    QList<WebSocketState> states;
    for (const StateDetail &d : detailsOf<StateDetail>(session, EventKind::StateChanged))
        states.append(d.to);
    return states;
}

/// Runs a connection until it finishes; returns false on a time-out.
bool runToEnd(Connection &connection, int timeoutMs = 15000)
{
    QSignalSpy finished(&connection, &Channel::finished);
    connection.open();
    return finished.wait(timeoutMs) || finished.count() > 0;
}

} // namespace

Q_DECLARE_METATYPE(frameline::test::TunnelProxy::Kind)

class TestConnection : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void clientClosesFirst();
    void serverClosesFirst();
    void bigAndFragmentedMessages();
    void subprotocolChosenByServerPreference();
    void refusedUpgrade();
    void connectionRefused();
    void badUrls_data();
    void badUrls();
    void secureWithSelfSignedCertificate();
    void headerInjectionRefused_data();
    void headerInjectionRefused();
    void abortAtEveryStage_data();
    void abortAtEveryStage();
    void throughAProxy_data();
    void throughAProxy();
    void proxyTextIsChecked_data();
    void proxyTextIsChecked();
    void pingsOfOurOwn();
};

void TestConnection::clientClosesFirst()
{
    Server server(ServerOptions {});
    QVERIFY(server.listen());
    ConnectionOptions options;
    options.url = server.url();
    Connection client(options);
    QList<QByteArray> echoes;
    connect(&client, &Channel::messageReceived, this,
            [&](quint8, const QByteArray &payload) {
                echoes.append(payload);
                if (echoes.size() == 2)
                    client.sendClose(CloseCode::Normal, "bye");
            });
    connect(&client, &Channel::opened, this, [&] {
        client.sendText("hello");
        client.sendBinary(QByteArray::fromHex("00ff10"));
        client.sendPing("are you there");
    });
    QVERIFY(runToEnd(client));

    QCOMPARE(echoes, (QList<QByteArray> {"hello", QByteArray::fromHex("00ff10")}));
    const Session &session = client.session();
    QCOMPARE(statesOf(session), (QList<WebSocketState> {WebSocketState::Open, WebSocketState::Closing,
                                                        WebSocketState::Closed}));
    const QList<EventKind> kinds = kindsOf(session);
    QCOMPARE(kinds.first(), EventKind::TcpConnected);
    QVERIFY(kinds.indexOf(EventKind::HandshakeRequest) < kinds.indexOf(EventKind::HandshakeResponse));
    const QList<HandshakeDetail> handshakes = detailsOf<HandshakeDetail>(session, EventKind::HandshakeResponse);
    QCOMPARE(handshakes.size(), 1);
    QVERIFY(handshakes.first().accepted);
    QVERIFY(!handshakes.first().checks.isEmpty());

    // The client's Close went first; the server echoed its code (RFC 6455 §5.5.1).
    const QList<CloseDetail> closes = detailsOf<CloseDetail>(session, EventKind::Close);
    QCOMPARE(closes.size(), 2);
    QVERIFY(closes[0].initiatedLocally);
    QCOMPARE(closes[0].close.code, std::optional<std::uint16_t>(1000));
    QCOMPARE(closes[0].close.reason, QByteArray("bye"));
    QCOMPARE(closes[1].close.code, std::optional<std::uint16_t>(1000));
    QCOMPARE(client.protocol().closeCode(), std::uint16_t(1000));
    QVERIFY(detailsOf<ErrorDetail>(session, EventKind::Error).isEmpty());

    // A pong answered the ping, with its payload.
    bool pongSeen = false;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind == EventKind::Frame
            && session.frameHeader(i).opcode == std::uint8_t(Opcode::Pong)) {
            QCOMPARE(session.framePayload(i), QByteArray("are you there"));
            pongSeen = true;
        }
    }
    QVERIFY(pongSeen);

    // The server recorded the same connection from its side.
    QTRY_COMPARE(server.connections().size(), 1);
    const Session &serverSession = server.connections().first()->session();
    QTRY_COMPARE(statesOf(serverSession).last(), WebSocketState::Closed);
    QCOMPARE(serverSession.info().localRole, Role::Server);
}

void TestConnection::serverClosesFirst()
{
    ServerOptions serverOptions;
    serverOptions.closeAfterMessages = 2;
    serverOptions.closeCode = 4000;
    serverOptions.closeReason = "enough";
    Server server(serverOptions);
    QVERIFY(server.listen());
    ConnectionOptions options;
    options.url = server.url();
    Connection client(options);
    connect(&client, &Channel::opened, this, [&] {
        client.sendText("one");
        client.sendText("two");
    });
    QVERIFY(runToEnd(client));

    const QList<CloseDetail> closes = detailsOf<CloseDetail>(client.session(), EventKind::Close);
    QCOMPARE(closes.size(), 2);
    QVERIFY(!closes[0].initiatedLocally);
    QCOMPARE(closes[0].close.code, std::optional<std::uint16_t>(4000));
    QCOMPARE(closes[0].close.reason, QByteArray("enough"));
    QCOMPARE(client.protocol().closeCode(), std::uint16_t(4000));
    QCOMPARE(statesOf(client.session()).last(), WebSocketState::Closed);
}

void TestConnection::bigAndFragmentedMessages()
{
    Server server(ServerOptions {});
    QVERIFY(server.listen());
    ConnectionOptions options;
    options.url = server.url();
    Connection client(options);
    QByteArray big(16 * 1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char('a' + i % 26);
    QList<QByteArray> echoes;
    connect(&client, &Channel::messageReceived, this, [&](quint8, const QByteArray &payload) {
        echoes.append(payload);
        if (echoes.size() == 3)
            client.sendClose();
    });
    connect(&client, &Channel::opened, this, [&] {
        client.sendBinary(big);
        client.sendFragmented(Opcode::Text, "fragmented hello", 3);
        client.sendText(QByteArray());
    });
    QVERIFY(runToEnd(client, 60000));
    QCOMPARE(echoes.size(), 3);
    QVERIFY(echoes[0] == big);
    QCOMPARE(echoes[1], QByteArray("fragmented hello"));
    QCOMPARE(echoes[2], QByteArray());

    // The fragmented message went out as ceil(16 / 3) = 6 frames, one message event
    // recorded for the echo of each.
    int sentFragments = 0;
    const Session &session = client.session();
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind == EventKind::Frame
            && session.event(i).direction == Direction::ClientToServer && session.event(i).length <= 3
            && session.frameHeader(i).opcode <= 1 && session.event(i).length > 0)
            ++sentFragments;
    }
    QCOMPARE(sentFragments, 6);
}

void TestConnection::subprotocolChosenByServerPreference()
{
    ServerOptions serverOptions;
    serverOptions.subprotocols = {"chat", "superchat"};
    Server server(serverOptions);
    QVERIFY(server.listen());
    ConnectionOptions options;
    options.url = server.url();
    options.subprotocols = {"superchat", "chat"};
    Connection client(options);
    connect(&client, &Channel::opened, this, [&] { client.sendClose(); });
    QVERIFY(runToEnd(client));
    QCOMPARE(client.protocol().handshake().subprotocol, QByteArray("chat"));
}

void TestConnection::refusedUpgrade()
{
    // A plain HTTP server that answers 200 instead of 101.
    QTcpServer http;
    QVERIFY(http.listen(QHostAddress::LocalHost));
    connect(&http, &QTcpServer::newConnection, this, [&http] {
        QTcpSocket *socket = http.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            socket->readAll();
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
            socket->disconnectFromHost();
        });
    });
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(http.serverPort()));
    Connection client(options);
    QSignalSpy failed(&client, &Channel::failed);
    QVERIFY(runToEnd(client));
    QVERIFY(failed.count() >= 1);
    QCOMPARE(client.state(), WebSocketState::Closed);
    const QList<HandshakeDetail> responses = detailsOf<HandshakeDetail>(client.session(), EventKind::HandshakeResponse);
    QCOMPARE(responses.size(), 1);
    QVERIFY(!responses.first().accepted);
    QVERIFY(responses.first().failureReason.contains(QLatin1String("200")));
    QVERIFY(!statesOf(client.session()).contains(WebSocketState::Open));
}

void TestConnection::connectionRefused()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    Connection client(options);
    QSignalSpy failed(&client, &Channel::failed);
    QVERIFY(runToEnd(client));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(client.state(), WebSocketState::Closed);
    const QList<ErrorDetail> errors = detailsOf<ErrorDetail>(client.session(), EventKind::Error);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().closeCode, std::uint16_t(1006));
    QVERIFY(!errors.first().message.isEmpty());
}

void TestConnection::badUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("http scheme") << QStringLiteral("http://127.0.0.1/");
    QTest::newRow("no host") << QStringLiteral("ws:///path");
    QTest::newRow("a fragment (RFC 6455 §3)") << QStringLiteral("ws://127.0.0.1/#frag");
}

void TestConnection::badUrls()
{
    QFETCH(QString, url);
    QVERIFY(!checkWebSocketUrl(QUrl(url)).isEmpty());
    ConnectionOptions options;
    options.url = QUrl(url);
    Connection client(options);
    QSignalSpy failed(&client, &Channel::failed);
    QVERIFY(runToEnd(client, 2000));
    QCOMPARE(failed.count(), 1);
}

void TestConnection::headerInjectionRefused_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("origin");
    QTest::newRow("CRLF in a header value") << QByteArray("X-Test") << QByteArray("a\r\nX-Evil: 1") << QByteArray();
    QTest::newRow("LF in a header name") << QByteArray("X\nEvil") << QByteArray("v") << QByteArray();
    QTest::newRow("NUL in a header value") << QByteArray("X-Test") << QByteArray("a\0b", 3) << QByteArray();
    QTest::newRow("CR in the Origin") << QByteArray() << QByteArray() << QByteArray("https://a\rb");
}

void TestConnection::headerInjectionRefused()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, origin);
    // Nothing may be sent: a server that accepted a connection would fail the test.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort()));
    if (!name.isEmpty())
        options.headers.append({name, value});
    options.origin = origin;
    Connection client(options);
    QSignalSpy failed(&client, &Channel::failed);
    QVERIFY(runToEnd(client, 2000));
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.first().first().toString().contains(QLatin1String("line break")));
    QVERIFY(!server.hasPendingConnections());
    QVERIFY(detailsOf<HandshakeDetail>(client.session(), EventKind::HandshakeRequest).isEmpty());
}

void TestConnection::abortAtEveryStage_data()
{
    QTest::addColumn<bool>("afterRequest");
    QTest::newRow("right after open(), before TCP is up") << false;
    QTest::newRow("waiting for a 101 that never comes") << true;
}

void TestConnection::abortAtEveryStage()
{
    QFETCH(bool, afterRequest);
    // A server that accepts TCP and never answers the opening handshake.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(silent.serverPort()));
    Connection client(options);
    QSignalSpy finished(&client, &Channel::finished);
    client.open();
    if (afterRequest)
        QTRY_VERIFY(!detailsOf<HandshakeDetail>(client.session(), EventKind::HandshakeRequest).isEmpty());
    client.abort();
    QVERIFY(finished.count() == 1 || finished.wait(5000));
    QCOMPARE(client.state(), WebSocketState::Closed);
    QCoreApplication::processEvents();
    QCOMPARE(finished.count(), 1);
}

void TestConnection::secureWithSelfSignedCertificate()
{
    ServerOptions serverOptions;
    serverOptions.tls = true;
    Server server(serverOptions);
    QString error;
    QVERIFY2(server.listen(&error), qPrintable(error));
    QCOMPARE(server.url().scheme(), QStringLiteral("wss"));

    // Verification is on by default: a self-signed certificate is refused, with reasons.
    {
        ConnectionOptions options;
        options.url = server.url();
        Connection client(options);
        QSignalSpy failed(&client, &Channel::failed);
        QVERIFY(runToEnd(client));
        QVERIFY(failed.count() >= 1);
        QVERIFY(!statesOf(client.session()).contains(WebSocketState::Open));
        const QList<ErrorDetail> errors = detailsOf<ErrorDetail>(client.session(), EventKind::Error);
        QVERIFY(!errors.isEmpty());
        QVERIFY(errors.first().message.contains(QLatin1String("certificate")));
    }
    // --insecure goes on, and the session says so.
    {
        ConnectionOptions options;
        options.url = server.url();
        options.insecure = true;
        Connection client(options);
        connect(&client, &Channel::opened, this, [&] { client.sendClose(); });
        QVERIFY(runToEnd(client));
        const QList<TlsDetail> tls = detailsOf<TlsDetail>(client.session(), EventKind::TlsEstablished);
        QCOMPARE(tls.size(), 1);
        QVERIFY(tls.first().errorsAccepted);
        QVERIFY(!tls.first().verificationErrors.isEmpty());
        QVERIFY(!tls.first().chain.isEmpty());
        QCOMPARE(client.protocol().closeCode(), std::uint16_t(1000));
    }
    // Trusting the server's certificate as a CA verifies cleanly.
    {
        QTemporaryFile ca;
        QVERIFY(ca.open());
        ca.write(server.certificate().toPem());
        ca.close();
        ConnectionOptions options;
        options.url = server.url();
        options.caFile = ca.fileName();
        Connection client(options);
        connect(&client, &Channel::opened, this, [&] { client.sendClose(); });
        QVERIFY(runToEnd(client));
        const QList<TlsDetail> tls = detailsOf<TlsDetail>(client.session(), EventKind::TlsEstablished);
        QCOMPARE(tls.size(), 1);
        QVERIFY2(tls.first().verificationErrors.isEmpty(),
                 qPrintable(tls.first().verificationErrors.join(u';')));
        QCOMPARE(client.protocol().closeCode(), std::uint16_t(1000));
    }
}

void TestConnection::throughAProxy_data()
{
    QTest::addColumn<TunnelProxy::Kind>("kind");
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("credentials");
    QTest::newRow("HTTP CONNECT") << TunnelProxy::Kind::HttpConnect << "http" << "";
    QTest::newRow("HTTP CONNECT with a password") << TunnelProxy::Kind::HttpConnect << "http" << "ann:s3cret";
    QTest::newRow("SOCKS5") << TunnelProxy::Kind::Socks5 << "socks5" << "";
    QTest::newRow("SOCKS5 with a password") << TunnelProxy::Kind::Socks5 << "socks5" << "ann:s3cret";
}

void TestConnection::throughAProxy()
{
    QFETCH(TunnelProxy::Kind, kind);
    QFETCH(QString, scheme);
    QFETCH(QString, credentials);
    Server server(ServerOptions {});
    QVERIFY(server.listen());
    TunnelProxy proxy(kind);
    proxy.requireCredentials = !credentials.isEmpty();
    QVERIFY(proxy.listen());

    QString error;
    const QString at = credentials.isEmpty() ? QString() : credentials + u'@';
    const std::optional<QNetworkProxy> parsed
        = parseProxy(QStringLiteral("%1://%2%3:%4").arg(scheme, at, QStringLiteral("127.0.0.1")).arg(proxy.port()), error);
    QVERIFY2(parsed.has_value(), qPrintable(error));
    ConnectionOptions options;
    options.url = server.url();
    options.proxy = parsed;
    Connection client(options);
    QList<QByteArray> echoes;
    connect(&client, &Channel::opened, this, [&] { client.sendText("through the tunnel"); });
    connect(&client, &Channel::messageReceived, this, [&](quint8, const QByteArray &payload) {
        echoes.append(payload);
        client.sendClose(CloseCode::Normal, "done");
    });
    QVERIFY(runToEnd(client));

    QCOMPARE(echoes, QList<QByteArray> {"through the tunnel"});
    QCOMPARE(proxy.tunnels, 1);
    QCOMPARE(proxy.target, QStringLiteral("127.0.0.1:%1").arg(server.url().port()).toLatin1());
    QCOMPARE(proxy.credentials, credentials.toLatin1());
    QCOMPARE(client.protocol().closeCode(), std::uint16_t(1000));
    // The timeline says the connection went through the proxy, before the TCP step.
    const QList<NoteDetail> notes = detailsOf<NoteDetail>(client.session(), EventKind::Note);
    QVERIFY(!notes.isEmpty());
    QVERIFY2(notes.first().text.contains(QString::number(proxy.port())), qPrintable(notes.first().text));
    const QList<EventKind> kinds = kindsOf(client.session());
    QVERIFY(kinds.indexOf(EventKind::Note) < kinds.indexOf(EventKind::TcpConnected));
    QVERIFY(!kinds.contains(EventKind::DnsResolved));
}

void TestConnection::proxyTextIsChecked_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("type"); // -1: refused
    QTest::newRow("http") << "http://proxy.example:3128" << int(QNetworkProxy::HttpProxy);
    QTest::newRow("socks5") << "socks5://[::1]:1080" << int(QNetworkProxy::Socks5Proxy);
    QTest::newRow("system") << "system" << int(QNetworkProxy::DefaultProxy);
    QTest::newRow("none") << "None" << int(QNetworkProxy::NoProxy);
    QTest::newRow("no port") << "http://proxy.example" << -1;
    QTest::newRow("no scheme") << "proxy.example:3128" << -1;
    QTest::newRow("https proxy") << "https://proxy.example:443" << -1;
    QTest::newRow("a path") << "http://proxy.example:3128/x" << -1;
    QTest::newRow("empty") << "" << -1;
}

void TestConnection::proxyTextIsChecked()
{
    QFETCH(QString, text);
    QFETCH(int, type);
    QString error;
    const std::optional<QNetworkProxy> proxy = parseProxy(text, error);
    if (type < 0) {
        QVERIFY(!proxy);
        QVERIFY(error.contains(text));
        return;
    }
    QVERIFY2(proxy.has_value(), qPrintable(error));
    QCOMPARE(int(proxy->type()), type);
}

void TestConnection::pingsOfOurOwn()
{
    Server server(ServerOptions {});
    QVERIFY(server.listen());
    ConnectionOptions options;
    options.url = server.url();
    options.pingIntervalMs = 40;
    Connection client(options);
    int pongs = 0;
    connect(&client, &Channel::pongReceived, this, [&] {
        if (++pongs == 3)
            client.sendClose();
    });
    QVERIFY(runToEnd(client));
    QCOMPARE(pongs, 3);
    int pings = 0;
    for (std::uint32_t i = 0; i < client.session().eventCount(); ++i) {
        if (client.session().event(i).kind == EventKind::Frame
            && client.session().event(i).direction == Direction::ClientToServer
            && client.session().frameHeader(i).opcode == std::uint8_t(Opcode::Ping))
            ++pings;
    }
    QVERIFY(pings >= 3);
    QCOMPARE(client.protocol().closeCode(), std::uint16_t(1000));
}

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
