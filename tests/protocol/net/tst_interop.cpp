// Frameline against WebSocket implementations nobody here wrote: python-websockets
// (Debian python3-websockets) and Node `ws` (npm), over ws:// and wss://, in both
// roles. The peers live in tests/peers/.

#include "connection.h"
#include "server.h"

#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace frameline;

namespace {

QString sourceDir()
{
    return qEnvironmentVariable("FRAMELINE_SOURCE_DIR", QStringLiteral(FRAMELINE_TEST_SOURCE_DIR));
}

struct Peer
{
    QString program;
    QStringList script;
};

Peer peerNamed(const QString &name)
{
    const QString peers = sourceDir() + QStringLiteral("/tests/peers/");
    if (name == QLatin1String("python"))
        return {QStringLiteral("/usr/bin/python3"), {peers + QStringLiteral("python_peer.py")}};
    return {QStringLiteral("node"), {peers + QStringLiteral("node_peer.js")}};
}

/// A peer server process; the port comes from its first line.
class PeerServer
{
public:
    bool start(const Peer &peer, const QStringList &arguments)
    {
        m_process.setWorkingDirectory(sourceDir() + QStringLiteral("/tests/peers"));
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(peer.program, peer.script + QStringList {QStringLiteral("server")} + arguments);
        if (!m_process.waitForStarted(10000))
            return false;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 20000) {
            if (m_process.canReadLine() || m_process.waitForReadyRead(500)) {
                const QByteArray line = m_process.readLine().trimmed();
                if (line.startsWith("PORT ")) {
                    m_port = quint16(line.mid(5).toUInt());
                    return true;
                }
            }
            if (m_process.state() == QProcess::NotRunning)
                return false;
        }
        return false;
    }
    ~PeerServer()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    quint16 port() const { return m_port; }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char('a' + i % 26);
    return bytes;
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

bool runToEnd(Connection &connection, int timeoutMs = 60000)
{
    QSignalSpy finished(&connection, &Channel::finished);
    connection.open();
    return finished.wait(timeoutMs) || finished.count() > 0;
}

} // namespace

class TestInterop : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void ourClientAgainstPeerServer_data();
    void ourClientAgainstPeerServer();
    void peerServerClosesFirst_data() { ourClientAgainstPeerServer_data(); }
    void peerServerClosesFirst();
    void peerServerRefusesUpgrade_data() { ourClientAgainstPeerServer_data(); }
    void peerServerRefusesUpgrade();
    void peerClientAgainstOurServer_data() { ourClientAgainstPeerServer_data(); }
    void peerClientAgainstOurServer();
    void ourServerClosesFirst_data() { ourClientAgainstPeerServer_data(); }
    void ourServerClosesFirst();

private:
    QStringList tlsServerArguments(bool secure) const;
    QUrl peerUrl(bool secure, quint16 port, const QString &path) const;

    QTemporaryDir m_dir;
    QString m_cert;
    QString m_key;
};

void TestInterop::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_cert = m_dir.filePath(QStringLiteral("cert.pem"));
    m_key = m_dir.filePath(QStringLiteral("key.pem"));
    // A test certificate for 127.0.0.1, made with the openssl command.
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                   QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                   QStringLiteral("-keyout"), m_key, QStringLiteral("-out"), m_cert,
                   QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")});
    QVERIFY(openssl.waitForFinished(30000));
    QCOMPARE(openssl.exitCode(), 0);
    QVERIFY2(QFile::exists(sourceDir() + QStringLiteral("/tests/peers/node_modules/ws")),
             "npm install in tests/peers first (scripts/run-tests.sh does)");
}

void TestInterop::ourClientAgainstPeerServer_data()
{
    QTest::addColumn<QString>("peer");
    QTest::addColumn<bool>("secure");
    QTest::newRow("python websockets, ws://") << QStringLiteral("python") << false;
    QTest::newRow("python websockets, wss://") << QStringLiteral("python") << true;
    QTest::newRow("node ws, ws://") << QStringLiteral("node") << false;
    QTest::newRow("node ws, wss://") << QStringLiteral("node") << true;
}

QStringList TestInterop::tlsServerArguments(bool secure) const
{
    if (!secure)
        return {};
    return {QStringLiteral("--tls-cert"), m_cert, QStringLiteral("--tls-key"), m_key};
}

QUrl TestInterop::peerUrl(bool secure, quint16 port, const QString &path) const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                    .arg(secure ? QStringLiteral("wss") : QStringLiteral("ws"))
                    .arg(port)
                    .arg(path));
}

void TestInterop::ourClientAgainstPeerServer()
{
    QFETCH(QString, peer);
    QFETCH(bool, secure);
    PeerServer server;
    QVERIFY(server.start(peerNamed(peer), tlsServerArguments(secure)));

    ConnectionOptions options;
    options.url = peerUrl(secure, server.port(), QStringLiteral("/"));
    options.subprotocols = {"chat", "superchat"}; // both peers then agree on "chat"
    options.caFile = m_cert;
    options.assemblerLimits.maxMessageSize = 64ull << 20;
    Connection client(options);

    QList<std::pair<quint8, QByteArray>> sent;
    for (const char *text : {"hello", "", "안녕하세요 WebSocket"})
        sent.append({quint8(Opcode::Text), QByteArray(text)});
    for (const qsizetype size : {0, 1, 125, 126, 65535, 65536, 16 * 1024 * 1024})
        sent.append({quint8(Opcode::Binary), pattern(size)});
    QList<std::pair<quint8, QByteArray>> received;
    QByteArray pong;
    connect(&client, &Channel::pongReceived, this, [&](const QByteArray &payload) { pong = payload; });
    connect(&client, &Channel::messageReceived, this, [&](quint8 opcode, const QByteArray &payload) {
        received.append({opcode, payload});
        if (received.size() == sent.size() + 1)
            client.sendPing("ping payload");
    });
    connect(&client, &Channel::pongReceived, this, [&] { client.sendClose(1000, "bye"); });
    connect(&client, &Channel::opened, this, [&] {
        for (const auto &[opcode, payload] : std::as_const(sent)) {
            if (opcode == quint8(Opcode::Text))
                client.sendText(payload);
            else
                client.sendBinary(payload);
        }
        client.sendFragmented(Opcode::Text, "fragmented", 3);
    });
    QVERIFY(runToEnd(client));

    QCOMPARE(client.protocol().handshake().subprotocol, QByteArray("chat"));
    QCOMPARE(received.size(), sent.size() + 1);
    for (qsizetype i = 0; i < sent.size(); ++i) {
        QCOMPARE(received[i].first, sent[i].first);
        QVERIFY2(received[i].second == sent[i].second, qPrintable(QStringLiteral("message %1").arg(i)));
    }
    QCOMPARE(received.last().second, QByteArray("fragmented"));
    QCOMPARE(pong, QByteArray("ping payload"));
    QCOMPARE(client.protocol().closeCode(), std::uint16_t(1000));
    QVERIFY(detailsOf<ErrorDetail>(client.session(), EventKind::Error).isEmpty());
    if (secure) {
        const QList<TlsDetail> tls = detailsOf<TlsDetail>(client.session(), EventKind::TlsEstablished);
        QCOMPARE(tls.size(), 1);
        QVERIFY(tls.first().verificationErrors.isEmpty());
    }
}

void TestInterop::peerServerClosesFirst()
{
    QFETCH(QString, peer);
    QFETCH(bool, secure);
    PeerServer server;
    QVERIFY(server.start(peerNamed(peer), tlsServerArguments(secure)));
    ConnectionOptions options;
    options.url = peerUrl(secure, server.port(), QStringLiteral("/close/4001/2/done"));
    options.caFile = m_cert;
    Connection client(options);
    connect(&client, &Channel::opened, this, [&] {
        client.sendText("one");
        client.sendText("two");
    });
    QVERIFY(runToEnd(client));
    const QList<CloseDetail> closes = detailsOf<CloseDetail>(client.session(), EventKind::Close);
    QCOMPARE(closes.size(), 2);
    QVERIFY(!closes[0].initiatedLocally);
    QCOMPARE(closes[0].close.code, std::optional<std::uint16_t>(4001));
    QCOMPARE(closes[0].close.reason, QByteArray("done"));
    QCOMPARE(client.protocol().closeCode(), std::uint16_t(4001));
    QVERIFY(detailsOf<ErrorDetail>(client.session(), EventKind::Error).isEmpty());
}

void TestInterop::peerServerRefusesUpgrade()
{
    QFETCH(QString, peer);
    QFETCH(bool, secure);
    PeerServer server;
    QVERIFY(server.start(peerNamed(peer), tlsServerArguments(secure)));
    ConnectionOptions options;
    options.url = peerUrl(secure, server.port(), QStringLiteral("/refuse"));
    options.caFile = m_cert;
    Connection client(options);
    QSignalSpy failed(&client, &Channel::failed);
    QVERIFY(runToEnd(client));
    QVERIFY(failed.count() >= 1);
    const QList<HandshakeDetail> responses
        = detailsOf<HandshakeDetail>(client.session(), EventKind::HandshakeResponse);
    QCOMPARE(responses.size(), 1);
    QVERIFY(!responses.first().accepted);
    QVERIFY2(responses.first().failureReason.contains(QLatin1String("403")),
             qPrintable(responses.first().failureReason));
    QCOMPARE(client.state(), WebSocketState::Closed);
}

void TestInterop::peerClientAgainstOurServer()
{
    QFETCH(QString, peer);
    QFETCH(bool, secure);
    ServerOptions serverOptions;
    serverOptions.tls = secure;
    serverOptions.certificateFile = secure ? m_cert : QString();
    serverOptions.keyFile = secure ? m_key : QString();
    serverOptions.subprotocols = {"chat"};
    Server server(serverOptions);
    QString error;
    QVERIFY2(server.listen(&error), qPrintable(error));

    const Peer p = peerNamed(peer);
    QProcess client;
    client.setWorkingDirectory(sourceDir() + QStringLiteral("/tests/peers"));
    client.setProcessChannelMode(QProcess::MergedChannels);
    client.start(p.program, p.script + QStringList {QStringLiteral("client"), QStringLiteral("--url"),
                                                    server.url().toString(), QStringLiteral("--cafile"),
                                                    m_cert, QStringLiteral("--expect-subprotocol"),
                                                    QStringLiteral("chat")});
    QSignalSpy done(&client, &QProcess::finished);
    QVERIFY(done.wait(90000) || done.count() > 0);
    const QByteArray output = client.readAll();
    QVERIFY2(client.exitStatus() == QProcess::NormalExit && client.exitCode() == 0, output.constData());
    QVERIFY(!output.contains("FAIL"));

    QTRY_COMPARE(server.connections().size(), 1);
    ServerConnection *connection = server.connections().first();
    QTRY_COMPARE(connection->state(), WebSocketState::Closed);
    const Session &session = connection->session();
    QVERIFY(detailsOf<ErrorDetail>(session, EventKind::Error).isEmpty());
    const QList<CloseDetail> closes = detailsOf<CloseDetail>(session, EventKind::Close);
    QCOMPARE(closes.size(), 2);
    QVERIFY(!closes[0].initiatedLocally);
    QCOMPARE(closes[0].close.code, std::optional<std::uint16_t>(1000));
    // Every message the peer sent came back, fragmented ones reassembled: 3 texts and
    // 7 binaries, then one fragmented text (and, from python, one fragmented binary).
    // The echoes are recorded as the server's own messages, as many.
    const qsizetype messages = peer.startsWith(QLatin1String("python")) ? 12 : 11;
    QCOMPARE(detailsOf<MessageDetail>(session, EventKind::Message).size(), 2 * messages);
}

void TestInterop::ourServerClosesFirst()
{
    QFETCH(QString, peer);
    QFETCH(bool, secure);
    ServerOptions serverOptions;
    serverOptions.tls = secure;
    serverOptions.certificateFile = secure ? m_cert : QString();
    serverOptions.keyFile = secure ? m_key : QString();
    serverOptions.subprotocols = {"chat"}; // node ws rejects a 101 that ignores its offer
    serverOptions.closeAfterMessages = 2;
    serverOptions.closeCode = 4001;
    serverOptions.closeReason = "server says bye";
    Server server(serverOptions);
    QVERIFY(server.listen());

    const Peer p = peerNamed(peer);
    QProcess client;
    client.setWorkingDirectory(sourceDir() + QStringLiteral("/tests/peers"));
    client.setProcessChannelMode(QProcess::MergedChannels);
    client.start(p.program, p.script + QStringList {QStringLiteral("client"), QStringLiteral("--url"),
                                                    server.url().toString(), QStringLiteral("--cafile"),
                                                    m_cert, QStringLiteral("--server-closes"),
                                                    QStringLiteral("4001:2:server says bye")});
    QSignalSpy done(&client, &QProcess::finished);
    QVERIFY(done.wait(60000) || done.count() > 0);
    const QByteArray output = client.readAll();
    QVERIFY2(client.exitStatus() == QProcess::NormalExit && client.exitCode() == 0, output.constData());

    QTRY_COMPARE(server.connections().size(), 1);
    ServerConnection *connection = server.connections().first();
    QTRY_COMPARE(connection->state(), WebSocketState::Closed);
    const QList<CloseDetail> closes = detailsOf<CloseDetail>(connection->session(), EventKind::Close);
    QCOMPARE(closes.size(), 2);
    QVERIFY(closes[0].initiatedLocally);
    QCOMPARE(closes[1].close.code, std::optional<std::uint16_t>(4001));
}

QTEST_GUILESS_MAIN(TestInterop)
#include "tst_interop.moc"
