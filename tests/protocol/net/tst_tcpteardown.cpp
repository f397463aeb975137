// The TCP teardown recorded into Sessions on loopback, in both orders: our client
// against our server (both ends observed, each in its own Session) and our client
// against Python `websockets` (only our end observed, the server's inferred).

#include "connection.h"
#include "server.h"

#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtTest/QtTest>

using namespace frameline;

namespace {

struct Step
{
    Role side;
    TcpState state;
    Observation how;
};

QList<Step> teardownOf(const Session &session)
{
    QList<Step> steps;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind != EventKind::TcpState)
            continue;
        const auto &d = std::get<TcpStateDetail>(session.detail(i));
        steps.append({d.side, d.state, d.observation});
    }
    return steps;
}

QString describe(const QList<Step> &steps)
{
    QStringList out;
    for (const Step &s : steps) {
        const char *how = s.how == Observation::Observed ? "seen"
            : s.how == Observation::Inferred             ? "inferred"
                                                         : "passed";
        out << QStringLiteral("%1:%2(%3)")
                   .arg(s.side == Role::Client ? QStringLiteral("C") : QStringLiteral("S"),
                        QString::fromLatin1(tcpStateName(s.state)), QLatin1String(how));
    }
    return out.join(u' ');
}

/// The states one side went through (observed or passed), in order.
QList<TcpState> path(const QList<Step> &steps, Role side)
{
    QList<TcpState> states;
    for (const Step &s : steps) {
        if (s.side == side && s.how != Observation::Inferred)
            states.append(s.state);
    }
    return states;
}

bool has(const QList<Step> &steps, Role side, TcpState state, Observation how)
{
    return std::any_of(steps.begin(), steps.end(),
                       [&](const Step &s) { return s.side == side && s.state == state && s.how == how; });
}

bool settled(const Session &session, Role side)
{
    const QList<TcpState> states = path(teardownOf(session), side);
    return !states.isEmpty() && (states.last() == TcpState::TimeWait || states.last() == TcpState::Closed);
}

const QList<TcpState> kActive {TcpState::Established, TcpState::FinWait1, TcpState::FinWait2, TcpState::TimeWait};
const QList<TcpState> kPassive {TcpState::Established, TcpState::CloseWait, TcpState::LastAck, TcpState::Closed};

} // namespace

class TestTcpTeardown : public QObject
{
    Q_OBJECT

private slots:
    void bothEndsObserved_data();
    void bothEndsObserved();
    void againstAnIndependentServer();
};

void TestTcpTeardown::bothEndsObserved_data()
{
    QTest::addColumn<bool>("clientFirst");
    QTest::newRow("server closes TCP first (RFC 6455 §7.1.1)") << false;
    QTest::newRow("client closes TCP first") << true;
}

void TestTcpTeardown::bothEndsObserved()
{
    QFETCH(bool, clientFirst);
    ServerOptions serverOptions;
    serverOptions.clientClosesTcpFirst = clientFirst;
    Server server(serverOptions);
    QVERIFY(server.listen());
    ConnectionOptions options;
    options.url = server.url();
    options.closeTcpFirst = clientFirst;
    Connection client(options);
    connect(&client, &Channel::opened, this, [&] { client.sendClose(1000, "bye"); });
    QSignalSpy finished(&client, &Channel::finished);
    client.open();
    QVERIFY(finished.wait(15000));
    QTRY_COMPARE(server.connections().size(), 1);
    const Session &clientSession = client.session();
    const Session &serverSession = server.connections().first()->session();
    QTRY_VERIFY2_WITH_TIMEOUT(settled(clientSession, Role::Client), qPrintable(describe(teardownOf(clientSession))), 5000);
    QTRY_VERIFY2_WITH_TIMEOUT(settled(serverSession, Role::Server), qPrintable(describe(teardownOf(serverSession))), 5000);

    const QList<Step> atClient = teardownOf(clientSession);
    const QList<Step> atServer = teardownOf(serverSession);
    const QString story = describe(atClient) + QStringLiteral(" | ") + describe(atServer);
    // Each Session follows its own end; the first state was seen, not assumed.
    QVERIFY2(!atClient.isEmpty() && atClient.first().side == Role::Client, qPrintable(story));
    QCOMPARE(atClient.first().state, TcpState::Established);
    QCOMPARE(atClient.first().how, Observation::Observed);
    QCOMPARE(atServer.first().state, TcpState::Established);

    // The end that closes first walks the active path and ends in TIME-WAIT (seen in
    // the kernel's table); the other walks the passive path to CLOSED.
    const Role active = clientFirst ? Role::Client : Role::Server;
    const Role passive = clientFirst ? Role::Server : Role::Client;
    const Session &activeSession = clientFirst ? clientSession : serverSession;
    const Session &passiveSession = clientFirst ? serverSession : clientSession;
    QVERIFY2(has(teardownOf(activeSession), active, TcpState::TimeWait, Observation::Observed), qPrintable(story));
    QCOMPARE(path(teardownOf(activeSession), active), kActive);
    QVERIFY2(path(teardownOf(passiveSession), passive) == kPassive, qPrintable(story));
    QVERIFY2(has(teardownOf(passiveSession), passive, TcpState::Closed, Observation::Observed), qPrintable(story));
    QVERIFY2(!has(teardownOf(passiveSession), passive, TcpState::TimeWait, Observation::Observed), qPrintable(story));
    // The peer's states are only ever inferred, and they match what it really did.
    for (const Step &s : teardownOf(activeSession)) {
        if (s.side == passive) {
            QCOMPARE(s.how, Observation::Inferred);
            QVERIFY2(kPassive.contains(s.state), qPrintable(story));
        }
    }
    for (const Step &s : teardownOf(passiveSession)) {
        if (s.side == active) {
            QCOMPARE(s.how, Observation::Inferred);
            QVERIFY2(kActive.contains(s.state), qPrintable(story));
        }
    }
    QVERIFY2(has(teardownOf(activeSession), passive, TcpState::CloseWait, Observation::Inferred), qPrintable(story));
}

void TestTcpTeardown::againstAnIndependentServer()
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"), {QStringLiteral("/usr/bin")});
    QVERIFY2(!python.isEmpty(), "python3 with the websockets package is installed by scripts/install-deps.sh");
    QProcess peer;
    peer.setProcessChannelMode(QProcess::MergedChannels);
    peer.start(python, {QStringLiteral(FRAMELINE_TEST_SOURCE_DIR "/tests/peers/python_peer.py"), QStringLiteral("server")});
    QVERIFY(peer.waitForStarted(10000));
    QElapsedTimer waited;
    waited.start();
    QByteArray line;
    while (!line.startsWith("PORT ") && waited.elapsed() < 15000) {
        if (peer.canReadLine())
            line = peer.readLine().trimmed();
        else
            peer.waitForReadyRead(500);
    }
    QVERIFY2(line.startsWith("PORT "), line.constData());

    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(QString::fromLatin1(line.mid(5))));
    Connection client(options);
    connect(&client, &Channel::opened, this, [&] { client.sendClose(1000, "bye"); });
    QSignalSpy finished(&client, &Channel::finished);
    client.open();
    QVERIFY(finished.wait(15000));
    const Session &session = client.session();
    QTRY_VERIFY2_WITH_TIMEOUT(settled(session, Role::Client), qPrintable(describe(teardownOf(session))), 5000);
    // websockets closes TCP first, as RFC 6455 asks of a server: our end is passive.
    const QList<Step> steps = teardownOf(session);
    QVERIFY2(path(steps, Role::Client) == kPassive, qPrintable(describe(steps)));
    for (const Step &s : steps) {
        if (s.side == Role::Server)
            QCOMPARE(s.how, Observation::Inferred);
    }
    peer.kill();
    peer.waitForFinished(5000);
}

QTEST_GUILESS_MAIN(TestTcpTeardown)
#include "tst_tcpteardown.moc"
