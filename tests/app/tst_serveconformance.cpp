// `frameline-cli serve` (the built-in echo server) against a scripted raw client, case
// by case, in the shapes of the Autobahn TestSuite's server cases (1 framing, 2
// ping/pong, 3 reserved bits, 4 opcodes, 5 fragmentation, 6 UTF-8, 7 close, 9 limits).
// The client sends the case's masked bytes, closes with 1000 unless the case fails or
// closes by itself, and checks the server's answers, its close code, and that the
// server then closes TCP (RFC 6455 §7.1.1: the server closes first).

#include "conformancepeer.h"
#include "handshake.h"

#include <QtCore/QProcess>
#include <QtTest/QtTest>

using namespace frameline;
using namespace frameline::test;

class TestServeConformance : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cases_data();
    void cases();
    void unmaskedClientFrameFails();

private:
    /// Connects and completes the opening handshake; nullptr on failure.
    std::unique_ptr<QTcpSocket> openWebSocket();

    QProcess m_server;
    quint16 m_port = 0;
};

void TestServeConformance::initTestCase()
{
    m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_server.start(QStringLiteral(FRAMELINE_CLI_PATH),
                   {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
                    QStringLiteral("--quiet")});
    QVERIFY(m_server.waitForStarted(10000));
    // The first line of output is the server's URL.
    while (!m_server.canReadLine())
        QVERIFY(m_server.waitForReadyRead(10000));
    const QUrl url(QString::fromUtf8(m_server.readLine().trimmed()));
    QCOMPARE(url.scheme(), QStringLiteral("ws"));
    m_port = quint16(url.port());
    QVERIFY(m_port != 0);
}

void TestServeConformance::cleanupTestCase()
{
    m_server.terminate();
    QVERIFY(m_server.waitForFinished(10000));
    // SIGTERM is a normal way to stop the server.
    QCOMPARE(m_server.exitStatus(), QProcess::NormalExit);
}

std::unique_ptr<QTcpSocket> TestServeConformance::openWebSocket()
{
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(QHostAddress::LocalHost, m_port);
    if (!socket->waitForConnected(5000))
        return nullptr;
    const QByteArray key = "dGhlIHNhbXBsZSBub25jZQ==";
    socket->write("GET /runCase HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray response;
    // Read the head only, byte by byte: frames may follow it in the same segment.
    while (!response.endsWith("\r\n\r\n")) {
        if (socket->bytesAvailable() == 0 && !socket->waitForReadyRead(5000))
            return nullptr;
        response += socket->read(1);
    }
    if (!response.startsWith("HTTP/1.1 101 ") || !response.contains(computeAcceptKey(key)))
        return nullptr;
    return socket;
}

void TestServeConformance::cases_data()
{
    addConformanceRows(Role::Client);
}

void TestServeConformance::cases()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, chop);
    QFETCH(QStringList, expected);
    QFETCH(int, closeCode);
    QFETCH(bool, peerCloses);

    const std::unique_ptr<QTcpSocket> socket = openWebSocket();
    QVERIFY(socket);
    writeCase(*socket, bytes, chop, peerCloses, Role::Client);
    const Reply reply = readReply(*socket, Role::Client);
    QCOMPARE(reply.items.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QVERIFY2(reply.items[i] == expected[i], qPrintable(QStringLiteral("item %1").arg(i)));
    QVERIFY2(!reply.tcpClosedWithoutClose, "the server sends a Close frame before closing TCP");
    QCOMPARE(reply.closeCode, closeCode);
    // The closing handshake is over (or the connection failed): the server closes TCP.
    if (socket->state() == QAbstractSocket::ConnectedState) {
        // After failing the connection the server waits for our Close answer (or our FIN).
        if (!peerCloses)
            socket->write(CaseFrames(Role::Client).close(1000));
        QElapsedTimer timer;
        timer.start();
        while (socket->state() == QAbstractSocket::ConnectedState && timer.elapsed() < 10000) {
            socket->waitForReadyRead(200);
            socket->readAll();
        }
    }
    QVERIFY2(socket->state() != QAbstractSocket::ConnectedState, "the server closes TCP");
}

void TestServeConformance::unmaskedClientFrameFails()
{
    // RFC 6455 §5.1: a server MUST close the connection on an unmasked client frame.
    const std::unique_ptr<QTcpSocket> socket = openWebSocket();
    QVERIFY(socket);
    socket->write(CaseFrames(Role::Server).text("Hello"));
    const Reply reply = readReply(*socket, Role::Client);
    QCOMPARE(reply.items, QStringList {});
    QCOMPARE(reply.closeCode, 1002);
}

QTEST_GUILESS_MAIN(TestServeConformance)
#include "tst_serveconformance.moc"
