// Tests of `frameline-cli connect` as a person runs it: against `frameline-cli serve`
// in another process, the whole lifecycle readable in the output (text and JSON
// Lines), exit statuses, usage errors, pings of our own.

#include "cliserve.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtNetwork/QTcpServer>
#include <QtTest/QtTest>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runCli(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(FRAMELINE_CLI_PATH), arguments);
    Run run;
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        run.err = QStringLiteral("timed out");
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

/// The index of the first line at or after `from` containing all of `words`, or -1.
qsizetype lineWith(const QStringList &lines, const QStringList &words, qsizetype from = 0)
{
    for (qsizetype i = from; i < lines.size(); ++i) {
        if (std::all_of(words.begin(), words.end(), [&](const QString &w) { return lines[i].contains(w); }))
            return i;
    }
    return -1;
}

} // namespace

class TestCliConnect : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void wholeLifecycleInText();
    void wholeLifecycleInJson();
    void pingsOfOurOwn();
    void tcpTeardownInJson_data();
    void tcpTeardownInJson();
    void usageErrors_data();
    void usageErrors();
    void refusedConnectionFails();

private:
    QProcess m_server;
    QString m_url;
};

void TestCliConnect::initTestCase()
{
    m_url = frameline::test::startServe(m_server, QStringLiteral(FRAMELINE_CLI_PATH));
    QVERIFY2(m_url.startsWith(QStringLiteral("ws://127.0.0.1:")), qPrintable(m_url));
}

void TestCliConnect::cleanupTestCase()
{
    m_server.kill();
    m_server.waitForFinished(5000);
}

void TestCliConnect::wholeLifecycleInText()
{
    const Run run = runCli({QStringLiteral("connect"), m_url, QStringLiteral("--send"), QStringLiteral("hello"),
        QStringLiteral("--close"), QStringLiteral("1000:bye")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    const QStringList lines = run.out.split(u'\n', Qt::SkipEmptyParts);
    // Each step, in the order it happened.
    qsizetype at = 0;
    for (const QStringList &step : QList<QStringList> {
             {QStringLiteral("tcp"), QStringLiteral("connected")},
             {QStringLiteral("C→S"), QStringLiteral("GET / HTTP/1.1")},
             {QStringLiteral("S→C"), QStringLiteral("101 Switching Protocols"), QStringLiteral("checks passed")},
             {QStringLiteral("CONNECTING → OPEN")},
             {QStringLiteral("C→S"), QStringLiteral("text"), QStringLiteral("mask="), QStringLiteral("\"hello\"")},
             {QStringLiteral("C→S"), QStringLiteral("close"), QStringLiteral("1000"), QStringLiteral("\"bye\"")},
             {QStringLiteral("OPEN → CLOSING")},
             {QStringLiteral("S→C"), QStringLiteral("close"), QStringLiteral("1000"), QStringLiteral("\"bye\"")},
             {QStringLiteral("CLOSING → CLOSED")},
         }) {
        const qsizetype found = lineWith(lines, step, at);
        QVERIFY2(found >= 0, qPrintable(step.join(u' ') + QStringLiteral(" after line ") + QString::number(at)
                                         + u'\n' + run.out));
        at = found + 1;
    }
    // The echo came back, unmasked (RFC 6455 §5.1: a server never masks).
    const qsizetype echo = lineWith(lines, {QStringLiteral("S→C"), QStringLiteral("frame"), QStringLiteral("\"hello\"")});
    QVERIFY(echo >= 0);
    QVERIFY(!lines[echo].contains(QStringLiteral("mask=")));
}

void TestCliConnect::wholeLifecycleInJson()
{
    const Run run = runCli({QStringLiteral("connect"), m_url, QStringLiteral("--json"), QStringLiteral("--send-hex"),
        QStringLiteral("00ff"), QStringLiteral("--close"), QStringLiteral("4000:done")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QStringList kinds;
    for (const QString &line : run.out.split(u'\n', Qt::SkipEmptyParts)) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError && document.isObject(), qPrintable(line));
        QVERIFY2(document.object().contains(QStringLiteral("timeNs")), qPrintable(line));
        kinds.append(document.object().value(QStringLiteral("kind")).toString());
    }
    QVERIFY2(kinds.contains(QStringLiteral("tcp-connected")), qPrintable(kinds.join(u',')));
    QVERIFY(kinds.contains(QStringLiteral("handshake-request")));
    QVERIFY(kinds.contains(QStringLiteral("handshake-response")));
    QVERIFY(kinds.count(QStringLiteral("close")) == 2);
    QVERIFY(kinds.indexOf(QStringLiteral("handshake-request")) < kinds.indexOf(QStringLiteral("frame")));
}

void TestCliConnect::pingsOfOurOwn()
{
    // No --close: the connection stays open for the quiet period, pinging every 50 ms.
    const Run run = runCli({QStringLiteral("connect"), m_url, QStringLiteral("--ping-interval"), QStringLiteral("0.05"),
        QStringLiteral("--linger"), QStringLiteral("400")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    const QStringList lines = run.out.split(u'\n', Qt::SkipEmptyParts);
    const auto count = [&](const QStringList &words) {
        return std::count_if(lines.begin(), lines.end(), [&](const QString &line) {
            return std::all_of(words.begin(), words.end(), [&](const QString &w) { return line.contains(w); });
        });
    };
    QVERIFY2(count({QStringLiteral("C→S"), QStringLiteral("frame"), QStringLiteral("ping")}) >= 2, qPrintable(run.out));
    QVERIFY2(count({QStringLiteral("S→C"), QStringLiteral("frame"), QStringLiteral("pong")}) >= 2, qPrintable(run.out));
}

void TestCliConnect::tcpTeardownInJson_data()
{
    QTest::addColumn<bool>("clientFirst");
    QTest::newRow("server closes TCP first") << false;
    QTest::newRow("client closes TCP first") << true;
}

void TestCliConnect::tcpTeardownInJson()
{
    QFETCH(bool, clientFirst);
    QString url = m_url;
    QProcess waitingServer;
    if (clientFirst) {
        // A server that waits for the client to close TCP.
        url = frameline::test::startServe(waitingServer, QStringLiteral(FRAMELINE_CLI_PATH),
                                          {QStringLiteral("--client-closes-tcp-first")});
        QVERIFY(!url.isEmpty());
    }
    QStringList arguments {QStringLiteral("connect"), url, QStringLiteral("--json"), QStringLiteral("--close"),
        QStringLiteral("1000")};
    if (clientFirst)
        arguments << QStringLiteral("--close-tcp-first");
    const Run run = runCli(arguments);
    waitingServer.kill();
    waitingServer.waitForFinished();
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QStringList ours;
    QStringList theirs;
    for (const QString &line : run.out.split(u'\n', Qt::SkipEmptyParts)) {
        const QJsonObject event = QJsonDocument::fromJson(line.toUtf8()).object();
        if (event.value(QStringLiteral("kind")).toString() != QLatin1String("tcp-state"))
            continue;
        const QString step = event.value(QStringLiteral("state")).toString() + u'/'
            + event.value(QStringLiteral("observation")).toString();
        (event.value(QStringLiteral("side")).toString() == QLatin1String("client") ? ours : theirs) << step;
    }
    QVERIFY2(!ours.isEmpty(), qPrintable(run.out));
    QCOMPARE(ours.first(), QStringLiteral("ESTABLISHED/observed"));
    // The client's own end is observed to its last state; the server's only inferred.
    QCOMPARE(ours.last(), clientFirst ? QStringLiteral("TIME-WAIT/observed") : QStringLiteral("CLOSED/observed"));
    for (const QString &step : std::as_const(theirs))
        QVERIFY2(step.endsWith(QLatin1String("/inferred")), qPrintable(step));
    QVERIFY2(theirs.contains(clientFirst ? QStringLiteral("CLOSE-WAIT/inferred") : QStringLiteral("FIN-WAIT-2/inferred")),
             qPrintable(theirs.join(u' ')));
}

void TestCliConnect::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("says");
    QTest::newRow("no URL") << QStringList {} << "URL";
    QTest::newRow("http URL") << QStringList {QStringLiteral("http://127.0.0.1/")} << "ws://";
    QTest::newRow("fragment") << QStringList {QStringLiteral("ws://127.0.0.1/#x")} << "fragment";
    QTest::newRow("bad proxy") << QStringList {QStringLiteral("ws://127.0.0.1/"), QStringLiteral("--proxy"),
        QStringLiteral("ftp://p:1")} << "ftp://p:1";
    QTest::newRow("bad ping interval") << QStringList {QStringLiteral("ws://127.0.0.1/"),
        QStringLiteral("--ping-interval"), QStringLiteral("often")} << "often";
    QTest::newRow("negative timeout") << QStringList {QStringLiteral("ws://127.0.0.1/"), QStringLiteral("--timeout"),
        QStringLiteral("-1")} << "--timeout";
    QTest::newRow("bad close code") << QStringList {QStringLiteral("ws://127.0.0.1/"), QStringLiteral("--close"),
        QStringLiteral("abc")} << "abc";
    QTest::newRow("bad header") << QStringList {QStringLiteral("ws://127.0.0.1/"), QStringLiteral("--header"),
        QStringLiteral("NoColon")} << "NoColon";
    QTest::newRow("bad hex") << QStringList {QStringLiteral("ws://127.0.0.1/"), QStringLiteral("--send-hex"),
        QStringLiteral("zz")} << "zz";
}

void TestCliConnect::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, says);
    const Run run = runCli(QStringList {QStringLiteral("connect")} + arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(says), qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
}

void TestCliConnect::refusedConnectionFails()
{
    // A port nobody listens on: the failure is printed and the exit status is 1.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    const Run run = runCli({QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(port)});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2((run.out + run.err).contains(QStringLiteral("refused"), Qt::CaseInsensitive), qPrintable(run.out + run.err));
}

QTEST_GUILESS_MAIN(TestCliConnect)
#include "tst_cliconnect.moc"
