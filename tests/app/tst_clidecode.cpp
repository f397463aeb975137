// Tests of `frameline-cli decode`: runs the real program and reads its JSON lines and
// exit status (0 complete, 1 protocol error, 3 ends inside a frame, 2 usage).

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryFile>
#include <QtTest/QtTest>

namespace {

struct CliRun
{
    int exitCode = -1;
    QList<QJsonObject> lines;
    QByteArray out;
    QByteArray err;
};

CliRun runCli(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(FRAMELINE_CLI_PATH), arguments);
    CliRun run;
    if (!process.waitForFinished(30000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    for (const QByteArray &line : run.out.split('\n')) {
        if (!line.isEmpty())
            run.lines.append(QJsonDocument::fromJson(line).object());
    }
    return run;
}

} // namespace

class TestCliDecode : public QObject
{
    Q_OBJECT

private slots:
    void helpAndVersion();
    void exitStatus_data();
    void exitStatus();
    void frameFields();
    void maskedClientFrame();
    void errorLine();
    void readsAFile();
};

void TestCliDecode::helpAndVersion()
{
    const CliRun help = runCli({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("decode"));
    const CliRun version = runCli({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.contains(FRAMELINE_VERSION));
    const CliRun decodeHelp = runCli({QStringLiteral("decode"), QStringLiteral("--help")});
    QCOMPARE(decodeHelp.exitCode, 0);
    QVERIFY(decodeHelp.out.contains("--role"));
}

void TestCliDecode::exitStatus_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<int>("lineCount");

    const auto decode = [](const char *role, const char *hexText) {
        return QStringList {QStringLiteral("decode"), QStringLiteral("--role"),
                            QString::fromLatin1(role), QStringLiteral("--hex"),
                            QString::fromLatin1(hexText)};
    };
    QTest::newRow("RFC 6455 §5.7 fragmented text, complete")
        << decode("client", "01 03 48 65 6c 80 02 6c 6f") << 0 << 2;
    QTest::newRow("empty stream is complete") << decode("client", "") << 0 << 0;
    QTest::newRow("stream ends inside a frame") << decode("client", "81 05 48 65") << 3 << 0;
    QTest::newRow("a frame, then a truncated header") << decode("client", "81 00 82 7e 01")
                                                       << 3 << 1;
    QTest::newRow("reserved opcode is a protocol error") << decode("client", "81 00 83 00") << 1
                                                         << 2;
    QTest::newRow("server rejects an unmasked frame") << decode("server", "81 00") << 1 << 1;
    QTest::newRow("invalid UTF-8 text is a protocol error")
        << decode("client", "81 02 c0 af") << 1 << 2;
    QTest::newRow("unknown role is a usage error") << decode("proxy", "81 00") << 2 << 0;
    QTest::newRow("bad hex is a usage error") << decode("client", "81 zz") << 2 << 0;
    QTest::newRow("odd hex digits are a usage error") << decode("client", "81 0") << 2 << 0;
    QTest::newRow("no bytes given is a usage error")
        << QStringList {QStringLiteral("decode"), QStringLiteral("--role"),
                        QStringLiteral("client")}
        << 2 << 0;
    QTest::newRow("unknown command is a usage error") << QStringList {QStringLiteral("frobnicate")}
                                                      << 2 << 0;
}

void TestCliDecode::exitStatus()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(int, lineCount);
    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QCOMPARE(run.lines.size(), lineCount);
    if (exitCode == 2 || exitCode == 3)
        QVERIFY2(!run.err.trimmed().isEmpty(), "a reason is printed on stderr");
}

void TestCliDecode::frameFields()
{
    // RFC 6455 §5.7: 256 bytes in one unmasked binary frame, with a 16-bit length.
    const QString payload = QString::fromLatin1(QByteArray(256, 'a').toHex());
    const CliRun run = runCli({QStringLiteral("decode"), QStringLiteral("--role"),
                               QStringLiteral("client"), QStringLiteral("--hex"),
                               QStringLiteral("89 00 82 7e 01 00") + payload});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.lines.size(), 2);
    const QJsonObject ping = run.lines[0];
    QCOMPARE(ping[u"offset"].toInt(), 0);
    QCOMPARE(ping[u"opcode"].toInt(), 9);
    QCOMPARE(ping[u"payloadLength"].toInt(), 0);
    const QJsonObject binary = run.lines[1];
    QCOMPARE(binary[u"offset"].toInt(), 2);
    QCOMPARE(binary[u"fin"].toBool(), true);
    QCOMPARE(binary[u"rsv1"].toBool(), false);
    QCOMPARE(binary[u"rsv2"].toBool(), false);
    QCOMPARE(binary[u"rsv3"].toBool(), false);
    QCOMPARE(binary[u"opcode"].toInt(), 2);
    QCOMPARE(binary[u"masked"].toBool(), false);
    QVERIFY(binary[u"maskKey"].isNull());
    QCOMPARE(binary[u"lengthEncoding"].toInt(), 16);
    QCOMPARE(binary[u"payloadLength"].toInt(), 256);
    QCOMPARE(binary[u"payloadHex"].toString(), payload);
}

void TestCliDecode::maskedClientFrame()
{
    // RFC 6455 §5.7: a masked "Hello", as a server receives it.
    const CliRun run = runCli({QStringLiteral("decode"), QStringLiteral("--role"),
                               QStringLiteral("server"), QStringLiteral("--hex"),
                               QStringLiteral("81 85 37 fa 21 3d 7f 9f 4d 51 58")});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.lines.size(), 1);
    QCOMPARE(run.lines[0][u"masked"].toBool(), true);
    QCOMPARE(run.lines[0][u"maskKey"].toString(), QStringLiteral("37fa213d"));
    QCOMPARE(run.lines[0][u"lengthEncoding"].toInt(), 7);
    QCOMPARE(run.lines[0][u"payloadHex"].toString(), QStringLiteral("48656c6c6f"));
}

void TestCliDecode::errorLine()
{
    // A 2^63 length breaks RFC 6455 §5.2 → 1002, at the offset of the offending frame.
    const CliRun run = runCli({QStringLiteral("decode"), QStringLiteral("--role"),
                               QStringLiteral("client"), QStringLiteral("--hex"),
                               QStringLiteral("81 01 41 82 7f 80 00 00 00 00 00 00 00")});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.lines.size(), 2);
    const QJsonObject error = run.lines[1];
    QCOMPARE(error[u"closeCode"].toInt(), 1002);
    QCOMPARE(error[u"offset"].toInt(), 3);
    QVERIFY(error[u"error"].toString().contains(QLatin1String("most significant bit")));
    QCOMPARE(error[u"rule"].toString(), QStringLiteral("RFC 6455 §5.2"));
}

void TestCliDecode::readsAFile()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(QByteArray::fromHex("880203e8"));
    file.close();
    const CliRun run = runCli({QStringLiteral("decode"), QStringLiteral("--role"),
                               QStringLiteral("client"), QStringLiteral("--file"),
                               file.fileName()});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.lines.size(), 1);
    QCOMPARE(run.lines[0][u"opcode"].toInt(), 8);
    QCOMPARE(run.lines[0][u"payloadHex"].toString(), QStringLiteral("03e8"));

    const CliRun missing = runCli({QStringLiteral("decode"), QStringLiteral("--role"),
                                   QStringLiteral("client"), QStringLiteral("--file"),
                                   QStringLiteral("/nonexistent/frames.bin")});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY(missing.err.contains("/nonexistent/frames.bin"));
}

QTEST_GUILESS_MAIN(TestCliDecode)
#include "tst_clidecode.moc"
