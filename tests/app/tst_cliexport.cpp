// Tests of `frameline-cli export`: a session recorded by `connect --log` against
// `serve`, written in every format; standard output; usage errors; a damaged file
// still exported up to the damage; a HAR read back in.

#include "cliserve.h"
#include "sessionjournal.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace frameline;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QString err;
};

Run runCli(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(FRAMELINE_CLI_PATH), arguments);
    Run run;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCliExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyFormat_data();
    void everyFormat();
    void formatFromTheFileName();
    void toStandardOutput();
    void jsonlRoundTripIsLossless();
    void harComesBackIn();
    void damagedFileIsExportedUpToTheDamage();
    void usageErrors_data();
    void usageErrors();
    void unreadableSession();

private:
    QTemporaryDir m_dir;
    QString m_session;
};

void TestCliExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QProcess server;
    const QString url = frameline::test::startServe(server, QStringLiteral(FRAMELINE_CLI_PATH));
    QVERIFY2(url.startsWith(QStringLiteral("ws://")), qPrintable(url));
    m_session = m_dir.filePath(QStringLiteral("session.jsonl"));
    const Run run = runCli({QStringLiteral("connect"), url, QStringLiteral("--send"), QStringLiteral("hello | world"),
        QStringLiteral("--send-hex"), QStringLiteral("00ff10"), QStringLiteral("--ping"), QStringLiteral("p"),
        QStringLiteral("--close"), QStringLiteral("1000:bye"), QStringLiteral("--log"), m_session});
    server.kill();
    server.waitForFinished(5000);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
}

void TestCliExport::everyFormat_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QByteArray>("starts");
    QTest::addColumn<QByteArray>("holds");
    QTest::newRow("jsonl") << "jsonl" << QByteArray("{") << QByteArray("frameline-session");
    QTest::newRow("har") << "har" << QByteArray("{") << QByteArray("_webSocketMessages");
    QTest::newRow("pcapng") << "pcapng" << QByteArray::fromHex("0a0d0d0a") << QByteArray("hello | world");
    QTest::newRow("mermaid") << "mermaid" << QByteArray("sequenceDiagram") << QByteArray("Switching Protocols");
    QTest::newRow("markdown") << "markdown" << QByteArray("#") << QByteArray("hello \\| world");
}

void TestCliExport::everyFormat()
{
    QFETCH(QString, format);
    QFETCH(QByteArray, starts);
    QFETCH(QByteArray, holds);
    const QString out = m_dir.filePath(QStringLiteral("out.") + format);
    const Run run = runCli({QStringLiteral("export"), m_session, QStringLiteral("--format"), format,
        QStringLiteral("-o"), out});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QByteArray bytes = readAll(out);
    QVERIFY2(bytes.startsWith(starts), bytes.left(40).constData());
    QVERIFY2(bytes.contains(holds), holds.constData());
}

void TestCliExport::formatFromTheFileName()
{
    const QString out = m_dir.filePath(QStringLiteral("named.har"));
    const Run run = runCli({QStringLiteral("export"), m_session, QStringLiteral("-o"), out});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonDocument har = QJsonDocument::fromJson(readAll(out));
    QCOMPARE(har.object().value(QStringLiteral("log")).toObject().value(QStringLiteral("version")).toString(),
             QStringLiteral("1.2"));
}

void TestCliExport::toStandardOutput()
{
    const Run run = runCli({QStringLiteral("export"), m_session, QStringLiteral("--format"), QStringLiteral("mermaid"),
        QStringLiteral("-o"), QStringLiteral("-")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.startsWith("sequenceDiagram"));
    QVERIFY(run.out.contains("bye"));
}

void TestCliExport::jsonlRoundTripIsLossless()
{
    const QString out = m_dir.filePath(QStringLiteral("again.jsonl"));
    const Run run = runCli({QStringLiteral("export"), m_session, QStringLiteral("-o"), out});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(readAll(out), readAll(m_session));
}

void TestCliExport::harComesBackIn()
{
    // Our HAR, imported again: the messages survive; what a HAR lacks is not invented.
    const QString har = m_dir.filePath(QStringLiteral("back.har"));
    QCOMPARE(runCli({QStringLiteral("export"), m_session, QStringLiteral("-o"), har}).exitCode, 0);
    const QString jsonl = m_dir.filePath(QStringLiteral("from-har.jsonl"));
    const Run run = runCli({QStringLiteral("export"), har, QStringLiteral("-o"), jsonl});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    Session session;
    QVERIFY(loadSession(jsonl, session).isComplete());
    QStringList messages;
    int frames = 0;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind == EventKind::Message)
            messages << QString::fromUtf8(session.messagePayload(i).toHex());
        frames += session.event(i).kind == EventKind::Frame ? 1 : 0;
    }
    QCOMPARE(frames, 0);
    QVERIFY2(messages.contains(QString::fromLatin1(QByteArray("hello | world").toHex())), qPrintable(messages.join(u',')));
    QVERIFY(messages.contains(QStringLiteral("00ff10")));
}

void TestCliExport::damagedFileIsExportedUpToTheDamage()
{
    QByteArray bytes = readAll(m_session);
    const QString damaged = m_dir.filePath(QStringLiteral("damaged.jsonl"));
    QFile file(damaged);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes.left(bytes.size() * 2 / 3));
    file.close();
    const QString out = m_dir.filePath(QStringLiteral("damaged.md"));
    const Run run = runCli({QStringLiteral("export"), damaged, QStringLiteral("-o"), out});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("line")), qPrintable(run.err));
    QVERIFY(readAll(out).contains("101"));
}

void TestCliExport::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("says");
    QTest::newRow("no session") << QStringList {QStringLiteral("-o"), QStringLiteral("x.har")} << "session";
    QTest::newRow("no output") << QStringList {QStringLiteral("s.jsonl")} << "-o";
    QTest::newRow("unknown format") << QStringList {QStringLiteral("s.jsonl"), QStringLiteral("--format"),
        QStringLiteral("pdf"), QStringLiteral("-o"), QStringLiteral("x")} << "pdf";
    QTest::newRow("format not guessable") << QStringList {QStringLiteral("s.jsonl"), QStringLiteral("-o"),
        QStringLiteral("x.bin")} << "--format";
}

void TestCliExport::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, says);
    const Run run = runCli(QStringList {QStringLiteral("export")} + arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(says), qPrintable(run.err));
}

void TestCliExport::unreadableSession()
{
    const Run missing = runCli({QStringLiteral("export"), m_dir.filePath(QStringLiteral("nope.jsonl")),
        QStringLiteral("-o"), m_dir.filePath(QStringLiteral("nope.har"))});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(!missing.err.isEmpty());
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("nope.har"))));
}

QTEST_GUILESS_MAIN(TestCliExport)
#include "tst_cliexport.moc"
