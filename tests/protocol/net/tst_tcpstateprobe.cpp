// TcpStateProbe against real kernel sockets on loopback: a connection is taken through
// its teardown step by step with shutdown() and close(), and every state the kernel
// reports is checked, through the descriptor while it is held and by the 4-tuple
// (NETLINK_SOCK_DIAG) once it is gone. IPv4 and IPv6.

#include "tcpstateprobe.h"

#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QtTest>

#include <sys/socket.h>
#include <unistd.h>

using namespace frameline;

namespace {

/// Polls until the sampler reports `state` (loopback is fast, but not instantaneous).
template<typename Sampler>
bool reaches(Sampler sample, TcpState state, int timeoutMs = 3000)
{
    QElapsedTimer timer;
    timer.start();
    do {
        const std::optional<TcpSample> now = sample();
        if (now && now->state == state)
            return true;
        QTest::qWait(2);
    } while (timer.elapsed() < timeoutMs);
    return false;
}

QByteArray describe(const std::optional<TcpSample> &sample)
{
    return sample ? tcpStateName(sample->state) : QByteArray("(none)");
}

} // namespace

class TestTcpStateProbe : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void kernelNumbers();
    void teardownSeenFromBothEnds_data();
    void teardownSeenFromBothEnds();
    void unknownConnectionIsNothing();
};

void TestTcpStateProbe::initTestCase()
{
    QVERIFY2(TcpStateProbe::isSupported(), "this test runs on Linux");
}

void TestTcpStateProbe::kernelNumbers()
{
    QCOMPARE(TcpStateProbe::stateFromKernel(1), std::optional<TcpState>(TcpState::Established));
    QCOMPARE(TcpStateProbe::stateFromKernel(4), std::optional<TcpState>(TcpState::FinWait1));
    QCOMPARE(TcpStateProbe::stateFromKernel(6), std::optional<TcpState>(TcpState::TimeWait));
    QCOMPARE(TcpStateProbe::stateFromKernel(9), std::optional<TcpState>(TcpState::LastAck));
    QCOMPARE(TcpStateProbe::stateFromKernel(11), std::optional<TcpState>(TcpState::Closing));
    QVERIFY(!TcpStateProbe::stateFromKernel(0));
    QVERIFY(!TcpStateProbe::stateFromKernel(12));
}

void TestTcpStateProbe::teardownSeenFromBothEnds_data()
{
    QTest::addColumn<QHostAddress>("address");
    QTest::newRow("IPv4") << QHostAddress(QHostAddress::LocalHost);
    QTest::newRow("IPv6") << QHostAddress(QHostAddress::LocalHostIPv6);
}

void TestTcpStateProbe::teardownSeenFromBothEnds()
{
    QFETCH(QHostAddress, address);
    QTcpServer listener;
    if (!listener.listen(address))
        QSKIP("this address family is not available here");
    QTcpSocket client;
    client.connectToHost(address, listener.serverPort());
    QVERIFY(client.waitForConnected(5000));
    QVERIFY(listener.waitForNewConnection(5000));
    QTcpSocket *server = listener.nextPendingConnection();
    QVERIFY(server);
    // Duplicates of Qt's descriptors: Qt closes its own on end of stream, these keep
    // the sockets open so the test drives the teardown with plain system calls.
    const int clientFd = ::dup(int(client.socketDescriptor()));
    const int serverFd = ::dup(int(server->socketDescriptor()));
    QVERIFY(clientFd >= 0 && serverFd >= 0);
    const auto atClient = [&] { return TcpStateProbe::sampleDescriptor(clientFd); };
    const auto atServer = [&] { return TcpStateProbe::sampleDescriptor(serverFd); };

    QCOMPARE(describe(atClient()), QByteArray("ESTABLISHED"));
    QCOMPARE(describe(atServer()), QByteArray("ESTABLISHED"));
    QVERIFY(atClient()->rttMicroseconds.has_value());

    const std::optional<TcpFourTuple> tuple = TcpStateProbe::tupleOf(clientFd);
    QVERIFY(tuple);
    QCOMPARE(tuple->localPort, client.localPort());
    QCOMPARE(tuple->peerPort, listener.serverPort());
    // The same socket, looked up by its addresses, is in the same state.
    QCOMPARE(describe(TcpStateProbe::sampleConnection(*tuple)), QByteArray("ESTABLISHED"));

    // The client closes first: it sends FIN and, once acknowledged, waits in FIN-WAIT-2
    // while the server sits in CLOSE-WAIT (RFC 9293 §3.6).
    QCOMPARE(::shutdown(clientFd, SHUT_WR), 0);
    QVERIFY2(reaches(atClient, TcpState::FinWait2), describe(atClient()).constData());
    QVERIFY2(reaches(atServer, TcpState::CloseWait), describe(atServer()).constData());

    // The server closes its side: the client goes to TIME-WAIT. Linux hands a
    // connection in TIME-WAIT to a small socket of its own: the descriptor's socket
    // then reads CLOSED, and only the lookup by addresses finds TIME-WAIT.
    QCOMPARE(::shutdown(serverFd, SHUT_WR), 0);
    const auto byTuple = [&] { return TcpStateProbe::sampleConnection(*tuple); };
    QVERIFY2(reaches(byTuple, TcpState::TimeWait), describe(byTuple()).constData());
    QCOMPARE(describe(atClient()), QByteArray("CLOSED"));
    // The server, which closed second, passed LAST-ACK and is closed.
    QVERIFY2(reaches(atServer, TcpState::Closed), describe(atServer()).constData());

    // With the client's descriptor closed too, the kernel's table still knows the
    // TIME-WAIT socket, and for how much longer (2 × MSL: 60 s on Linux).
    client.abort();
    ::close(clientFd);
    const std::optional<TcpSample> timeWait = TcpStateProbe::sampleConnection(*tuple);
    QCOMPARE(describe(timeWait), QByteArray("TIME-WAIT"));
    QVERIFY(timeWait->timerRemainingMs.has_value());
    QVERIFY2(*timeWait->timerRemainingMs > 1000 && *timeWait->timerRemainingMs <= 60000,
             QByteArray::number(*timeWait->timerRemainingMs).constData());
    server->abort();
    ::close(serverFd);
}

void TestTcpStateProbe::unknownConnectionIsNothing()
{
    TcpFourTuple tuple;
    tuple.localAddress = QHostAddress(QHostAddress::LocalHost);
    tuple.localPort = 1;
    tuple.peerAddress = QHostAddress(QHostAddress::LocalHost);
    tuple.peerPort = 2;
    QVERIFY(!TcpStateProbe::sampleConnection(tuple));
    QVERIFY(!TcpStateProbe::sampleDescriptor(-1));
    // A connection that is gone is not confused with the listening socket on its port
    // (the kernel's lookup falls back to the listener).
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost));
    tuple.localPort = listener.serverPort();
    QVERIFY(!TcpStateProbe::sampleConnection(tuple));
    // Mixed families cannot name one socket.
    tuple.peerAddress = QHostAddress(QHostAddress::LocalHostIPv6);
    QVERIFY(!TcpStateProbe::sampleConnection(tuple));
}

QTEST_GUILESS_MAIN(TestTcpStateProbe)
#include "tst_tcpstateprobe.moc"
