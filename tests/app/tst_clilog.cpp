// Tests of `frameline-cli connect … --log FILE`: the real program against our own
// `serve`, then the file it wrote loaded back as a Session. The log is written while
// the connection runs, so even a killed client leaves a file that loads up to its
// last write.

#include "cliserve.h"
#include "sessionjournal.h"

#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace frameline;

namespace {

/// Events of one kind and direction, by index.
QList<std::uint32_t> eventsOf(const Session &session, EventKind kind, Direction direction)
{
    QList<std::uint32_t> found;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind == kind && session.event(i).direction == direction)
            found.append(i);
    }
    return found;
}

} // namespace

class TestCliLog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void logHoldsTheWholeSession();
    void killedClientLeavesALoadableLog();
    void unwritableLogIsAUsageError();

private:
    QProcess m_server;
    QString m_url;
    QTemporaryDir m_dir;
};

void TestCliLog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // `serve` prints its URL on the first line.
    m_url = frameline::test::startServe(m_server, QStringLiteral(FRAMELINE_CLI_PATH));
    QVERIFY2(m_url.startsWith(QStringLiteral("ws://")), qPrintable(m_url));
}

void TestCliLog::cleanupTestCase()
{
    m_server.kill();
    m_server.waitForFinished(5000);
}

void TestCliLog::logHoldsTheWholeSession()
{
    const QString path = m_dir.filePath(QStringLiteral("hello.jsonl"));
    QProcess client;
    client.start(QStringLiteral(FRAMELINE_CLI_PATH),
        {QStringLiteral("connect"), m_url, QStringLiteral("--send"), QStringLiteral("hello"),
            QStringLiteral("--close"), QStringLiteral("1000:bye"), QStringLiteral("--log"), path});
    QVERIFY(client.waitForFinished(30000));
    QCOMPARE(client.exitCode(), 0);
    // The printer still prints every event: the log did not take its place.
    QVERIFY(client.readAllStandardOutput().contains("\"hello\""));

    Session session;
    const SessionLoadResult result = loadSession(path, session);
    QVERIFY2(result.isComplete(), qPrintable(result.message));
    QCOMPARE(session.info().url, m_url);
    QCOMPARE(session.info().localRole, Role::Client);
    QCOMPARE(session.info().origin, QStringLiteral("live"));
    QVERIFY(session.info().startedAt.isValid());

    QCOMPARE(eventsOf(session, EventKind::HandshakeRequest, Direction::ClientToServer).size(), 1);
    const QList<std::uint32_t> responses
        = eventsOf(session, EventKind::HandshakeResponse, Direction::ServerToClient);
    QCOMPARE(responses.size(), 1);
    QVERIFY(std::get<HandshakeDetail>(session.detail(responses[0])).accepted);
    QVERIFY(session.bytes(responses[0]).startsWith("HTTP/1.1 101"));

    // The client's frames: "hello" then Close 1000 "bye", both masked (RFC 6455 §5.3).
    const QList<std::uint32_t> sent
        = eventsOf(session, EventKind::Frame, Direction::ClientToServer);
    QCOMPARE(sent.size(), 2);
    QCOMPARE(session.frameHeader(sent[0]).opcode, std::uint8_t(Opcode::Text));
    QVERIFY(session.frameHeader(sent[0]).masked);
    QCOMPARE(session.framePayload(sent[0]), QByteArray("hello"));
    QCOMPARE(session.frameHeader(sent[1]).opcode, std::uint8_t(Opcode::Close));
    QCOMPARE(session.framePayload(sent[1]),
        QByteArray("\x03\xe8"
                   "bye"));
    // The server's Close frame answers it.
    const QList<std::uint32_t> received
        = eventsOf(session, EventKind::Frame, Direction::ServerToClient);
    QVERIFY(!received.isEmpty());
    QCOMPARE(session.frameHeader(received.last()).opcode, std::uint8_t(Opcode::Close));
    QVERIFY(!session.frameHeader(received.last()).masked);

    for (const Direction direction : {Direction::ClientToServer, Direction::ServerToClient}) {
        const QList<std::uint32_t> closes = eventsOf(session, EventKind::Close, direction);
        QCOMPARE(closes.size(), 1);
        const auto &close = std::get<CloseDetail>(session.detail(closes[0]));
        QCOMPARE(close.close.code.value_or(0), 1000);
        QCOMPARE(close.close.reason, QByteArray("bye"));
    }
    const QList<std::uint32_t> states = eventsOf(session, EventKind::StateChanged, Direction::None);
    QVERIFY(!states.isEmpty());
    QCOMPARE(std::get<StateDetail>(session.detail(states.last())).to, WebSocketState::Closed);
}

void TestCliLog::killedClientLeavesALoadableLog()
{
    const QString path = m_dir.filePath(QStringLiteral("killed.jsonl"));
    QProcess client;
    client.start(QStringLiteral(FRAMELINE_CLI_PATH),
        {QStringLiteral("connect"), m_url, QStringLiteral("--send"), QStringLiteral("still here"),
            QStringLiteral("--linger"), QStringLiteral("20000"), QStringLiteral("--log"), path});
    QVERIFY(client.waitForStarted(10000));
    // Wait for the timer to write the frame, then kill the client without warning.
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 10000) {
        QTest::qWait(100);
        Session attempt;
        loadSession(path, attempt);
        if (!eventsOf(attempt, EventKind::Frame, Direction::ClientToServer).isEmpty())
            break;
    }
    client.kill();
    QVERIFY(client.waitForFinished(10000));

    Session session;
    const SessionLoadResult result = loadSession(path, session);
    QCOMPARE(result.status, SessionLoadResult::Status::Damaged);
    QVERIFY2(result.message.contains(QStringLiteral("without its end line")),
        qPrintable(result.message));
    QCOMPARE(result.line, qint64(session.eventCount()) + 2);
    const QList<std::uint32_t> sent
        = eventsOf(session, EventKind::Frame, Direction::ClientToServer);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(session.framePayload(sent[0]), QByteArray("still here"));
}

void TestCliLog::unwritableLogIsAUsageError()
{
    const QString path = m_dir.filePath(QStringLiteral("no/such/dir/x.jsonl"));
    QProcess client;
    client.start(QStringLiteral(FRAMELINE_CLI_PATH),
        {QStringLiteral("connect"), m_url, QStringLiteral("--log"), path});
    QVERIFY(client.waitForFinished(30000));
    QCOMPARE(client.exitCode(), 2);
    QVERIFY(QString::fromUtf8(client.readAllStandardError()).contains(path));
}

QTEST_GUILESS_MAIN(TestCliLog)
#include "tst_clilog.moc"
