// `frameline-cli connect --echo` against a scripted raw server, case by case, in the
// shapes of the Autobahn TestSuite's client cases (1 framing, 2 ping/pong, 3 reserved
// bits, 4 opcodes, 5 fragmentation, 6 UTF-8, 7 close, 9 limits). The server writes the
// case's bytes (optionally a few bytes at a time), closes with 1000, and checks what
// the client sent back: the echoes, the pongs, and the close code it failed with.

#include "conformancepeer.h"
#include "handshake.h"

#include <QtCore/QProcess>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QtTest>

using namespace frameline;
using namespace frameline::test;

namespace {

struct Outcome
{
    Reply reply;
    int exitCode = -1;
};

/// Plays one case against a fresh `frameline-cli connect --echo` process.
Outcome playCase(const QByteArray &bytes, int chop, bool serverCloses)
{
    QTcpServer server;
    Outcome outcome;
    if (!server.listen(QHostAddress::LocalHost))
        return outcome;
    QProcess client;
    client.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    client.setStandardOutputFile(QProcess::nullDevice());
    client.start(QStringLiteral(FRAMELINE_CLI_PATH),
                 {QStringLiteral("connect"), QStringLiteral("--echo"), QStringLiteral("--json"),
                  QStringLiteral("ws://127.0.0.1:%1/runCase").arg(server.serverPort())});
    if (!server.waitForNewConnection(10000))
        return outcome;
    QTcpSocket *socket = server.nextPendingConnection();

    // The opening handshake, answered by hand.
    QByteArray request;
    while (!request.contains("\r\n\r\n") && socket->waitForReadyRead(5000))
        request += socket->readAll();
    QByteArray key;
    for (const QByteArray &line : request.split('\n')) {
        if (line.toLower().startsWith("sec-websocket-key:"))
            key = line.mid(18).trimmed();
    }
    socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: " + computeAcceptKey(key) + "\r\n\r\n");
    socket->waitForBytesWritten(5000);

    writeCase(*socket, bytes, chop, serverCloses, Role::Server);
    outcome.reply = readReply(*socket, Role::Server);
    // The server closes TCP first, as RFC 6455 §7.1.1 recommends.
    socket->disconnectFromHost();
    if (client.waitForFinished(15000))
        outcome.exitCode = client.exitCode();
    else
        client.kill();
    return outcome;
}

} // namespace

class TestCliConformance : public QObject
{
    Q_OBJECT

private slots:
    void cases_data();
    void cases();
};

void TestCliConformance::cases_data()
{
    addConformanceRows(Role::Server);
}

void TestCliConformance::cases()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, chop);
    QFETCH(QStringList, expected);
    QFETCH(int, closeCode);
    QFETCH(bool, fails);
    QFETCH(bool, peerCloses);

    const Outcome outcome = playCase(bytes, chop, peerCloses);
    const Reply &reply = outcome.reply;
    QCOMPARE(reply.items.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QVERIFY2(reply.items[i] == expected[i], qPrintable(QStringLiteral("item %1").arg(i)));
    QVERIFY2(!reply.tcpClosedWithoutClose, "the client sends a Close frame before closing TCP");
    QCOMPARE(reply.closeCode, closeCode);
    QCOMPARE(outcome.exitCode, fails ? 1 : 0);
}

QTEST_GUILESS_MAIN(TestCliConformance)
#include "tst_cliconformance.moc"
