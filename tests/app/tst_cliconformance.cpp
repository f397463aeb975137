// `frameline-cli connect --echo` against a scripted raw server, case by case, in the
// shapes of the Autobahn TestSuite's client cases (1 framing, 2 ping/pong, 3 reserved
// bits, 4 opcodes, 5 fragmentation, 6 UTF-8, 7 close, 9 limits). The server writes the
// case's bytes (optionally a few bytes at a time), closes with 1000, and checks what
// the client sent back: the echoes, the pongs, and the close code it failed with.

#include "framedecoder.h"
#include "frameencoder.h"
#include "handshake.h"
#include "testbytes.h"

#include <QtCore/QProcess>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QtTest>

using namespace frameline;
using frameline::test::hex;

namespace {

/// What the client sent back in one case: data messages and pongs in order, as
/// "text:…", "binary:<hex>", "pong:<hex>"; and the code of its Close frame.
struct Reply
{
    QStringList items;
    int closeCode = -1; ///< -1: no Close frame; 0: a Close frame without a code
    bool tcpClosedWithoutClose = false;
    int exitCode = -1;
};

QByteArray frame(std::uint8_t opcode, QByteArrayView payload, bool fin = true, int rsv = 0)
{
    FrameSpec spec;
    spec.opcode = opcode;
    spec.fin = fin;
    spec.rsv1 = rsv & 4;
    spec.rsv2 = rsv & 2;
    spec.rsv3 = rsv & 1;
    return encodeFrame(spec, payload);
}

QByteArray text(QByteArrayView payload, bool fin = true) { return frame(0x1, payload, fin); }
QByteArray binary(QByteArrayView payload, bool fin = true) { return frame(0x2, payload, fin); }
QByteArray continuation(QByteArrayView payload, bool fin = true) { return frame(0x0, payload, fin); }
QByteArray ping(QByteArrayView payload) { return frame(0x9, payload); }
QByteArray pong(QByteArrayView payload) { return frame(0xA, payload); }
QByteArray closeFrame(int code, QByteArrayView reason = {})
{
    QByteArray payload;
    if (code >= 0) {
        payload.append(char(code >> 8)).append(char(code & 0xFF));
        payload.append(reason.data(), reason.size());
    }
    return frame(0x8, payload);
}

QByteArray pattern(qsizetype size, char first = 'a')
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(first + i % 26);
    return bytes;
}

QString echoOf(std::uint8_t opcode, const QByteArray &payload)
{
    if (opcode == 0x1)
        return QStringLiteral("text:") + QString::fromUtf8(payload);
    if (opcode == 0x2)
        return QStringLiteral("binary:") + QString::fromLatin1(payload.toHex());
    return QStringLiteral("pong:") + QString::fromLatin1(payload.toHex());
}

/// Plays one case against a fresh `frameline-cli connect --echo` process.
Reply playCase(const QByteArray &bytes, int chop, bool serverCloses)
{
    QTcpServer server;
    Reply reply;
    if (!server.listen(QHostAddress::LocalHost))
        return reply;
    QProcess client;
    client.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    client.setStandardOutputFile(QProcess::nullDevice());
    client.start(QStringLiteral(FRAMELINE_CLI_PATH),
                 {QStringLiteral("connect"), QStringLiteral("--echo"), QStringLiteral("--json"),
                  QStringLiteral("ws://127.0.0.1:%1/runCase").arg(server.serverPort())});
    if (!server.waitForNewConnection(10000))
        return reply;
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

    QByteArray script = bytes;
    if (serverCloses)
        script += closeFrame(1000);
    for (qsizetype at = 0; at < script.size();) {
        const qsizetype n = chop > 0 ? std::min<qsizetype>(chop, script.size() - at) : script.size();
        socket->write(script.constData() + at, n);
        socket->waitForBytesWritten(5000);
        at += n;
        if (chop > 0)
            QTest::qWait(1);
    }

    // Read what the client sends until its Close frame, or until it drops TCP.
    FrameDecoder decoder(Role::Server, DecoderLimits {256ull << 20});
    QByteArray message;
    std::uint8_t messageOpcode = 0;
    QElapsedTimer timer;
    timer.start();
    bool done = false;
    while (!done && timer.elapsed() < 15000) {
        if (socket->bytesAvailable() == 0 && !socket->waitForReadyRead(200)) {
            if (socket->state() != QAbstractSocket::ConnectedState) {
                reply.tcpClosedWithoutClose = true;
                break;
            }
            continue;
        }
        decoder.feed(socket->readAll());
        while (!done && decoder.next() == DecodeStatus::Complete) {
            const DecodedFrame &f = decoder.frame();
            const std::uint8_t opcode = f.header.opcode;
            if (opcode == 0x8) {
                reply.closeCode = f.payload.size() >= 2
                    ? (std::uint8_t(f.payload[0]) << 8 | std::uint8_t(f.payload[1]))
                    : 0;
                done = true;
            } else if (opcode == 0xA) {
                reply.items.append(echoOf(opcode, f.payload.toByteArray()));
            } else if (opcode == 0x9) {
                reply.items.append(QStringLiteral("ping"));
            } else {
                if (opcode != 0x0)
                    messageOpcode = opcode;
                message += f.payload.toByteArray();
                if (f.header.fin) {
                    reply.items.append(echoOf(messageOpcode, message));
                    message.clear();
                }
            }
        }
    }
    // The server closes TCP first, as RFC 6455 §7.1.1 recommends.
    socket->disconnectFromHost();
    if (client.waitForFinished(15000))
        reply.exitCode = client.exitCode();
    else
        client.kill();
    return reply;
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
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("chop");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<bool>("fails");

    const auto t = [](const QByteArray &s) { return QStringLiteral("text:") + QString::fromUtf8(s); };
    const auto b = [](const QByteArray &s) { return QStringLiteral("binary:") + QString::fromLatin1(s.toHex()); };
    const auto p = [](const QByteArray &s) { return QStringLiteral("pong:") + QString::fromLatin1(s.toHex()); };

    // 1 Framing: echo of every length encoding boundary, whole and in 1-byte chops.
    for (const int size : {0, 125, 126, 127, 128, 65535, 65536}) {
        QTest::addRow("1.1 text of %d bytes is echoed", size)
            << text(pattern(size)) << 0 << QStringList {t(pattern(size))} << 1000 << false;
        QTest::addRow("1.2 binary of %d bytes is echoed", size)
            << binary(pattern(size)) << 0 << QStringList {b(pattern(size))} << 1000 << false;
    }
    QTest::newRow("1.1.8 text of 65535 bytes sent in 997-byte chops")
        << text(pattern(65535)) << 997 << QStringList {t(pattern(65535))} << 1000 << false;
    QTest::newRow("1.2.8 binary of 300 bytes sent 1 byte at a time")
        << binary(pattern(300)) << 1 << QStringList {b(pattern(300))} << 1000 << false;

    // 2 Pings and pongs.
    QTest::newRow("2.1 empty ping gets an empty pong") << ping({}) << 0 << QStringList {p({})} << 1000 << false;
    QTest::newRow("2.3 binary ping payload comes back")
        << ping(hex("00 ff fe fd fc fb 00 ff")) << 0 << QStringList {p(hex("00 ff fe fd fc fb 00 ff"))} << 1000 << false;
    QTest::newRow("2.4 125-byte ping gets a 125-byte pong")
        << ping(pattern(125)) << 0 << QStringList {p(pattern(125))} << 1000 << false;
    QTest::newRow("2.5 126-byte ping fails the connection (§5.5)")
        << (hex("89 7e 00 7e") + pattern(126)) << 0 << QStringList {} << 1002 << true;
    QTest::newRow("2.6 125-byte ping in 1-byte chops")
        << ping(pattern(125)) << 1 << QStringList {p(pattern(125))} << 1000 << false;
    QTest::newRow("2.7 unsolicited pong is ignored") << pong("unsolicited") << 0 << QStringList {} << 1000 << false;
    QTest::newRow("2.8 unsolicited pong with payload, then ping")
        << (pong("unsolicited") + ping("ping")) << 0 << QStringList {p("ping")} << 1000 << false;
    {
        QByteArray tenPings;
        QStringList tenPongs;
        for (int i = 0; i < 10; ++i) {
            const QByteArray payload = QByteArray("payload-").append(QByteArray::number(i));
            tenPings += ping(payload);
            tenPongs += p(payload);
        }
        QTest::newRow("2.10 ten pings get ten pongs in order") << tenPings << 0 << tenPongs << 1000 << false;
    }

    // 3 Reserved bits: fail with 1002 (§5.2), after echoing what came before.
    QTest::newRow("3.1 text with RSV1 fails") << frame(0x1, "Hello", true, 4) << 0 << QStringList {} << 1002 << true;
    QTest::newRow("3.2 RSV2 after a good message")
        << (text("Hello") + frame(0x1, "Hello", true, 2) + ping({})) << 0
        << QStringList {t("Hello")} << 1002 << true;
    QTest::newRow("3.7 close with all RSV bits fails") << frame(0x8, {}, true, 7) << 0 << QStringList {} << 1002 << true;

    // 4 Opcodes: reserved ones fail the connection (§5.2).
    for (const int opcode : {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
        QTest::addRow("4 reserved opcode 0x%X after a good message", opcode)
            << (text("Hello") + frame(std::uint8_t(opcode), "x") + ping({})) << 0
            << QStringList {t("Hello")} << 1002 << true;
    }

    // 5 Fragmentation (§5.4).
    QTest::newRow("5.1 fragmented ping fails") << (frame(0x9, "frag", false) + continuation("ment"))
                                               << 0 << QStringList {} << 1002 << true;
    QTest::newRow("5.3 text in two fragments") << (text("frag", false) + continuation("ment")) << 0
                                               << QStringList {t("fragment")} << 1000 << false;
    QTest::newRow("5.6 ping between fragments is answered first")
        << (text("frag", false) + ping("ping") + continuation("ment")) << 0
        << QStringList {p("ping"), t("fragment")} << 1000 << false;
    QTest::newRow("5.8 the same, in 1-byte chops")
        << (text("frag", false) + ping("ping") + continuation("ment")) << 1
        << QStringList {p("ping"), t("fragment")} << 1000 << false;
    QTest::newRow("5.9 continuation with nothing to continue fails")
        << (continuation("x") + text("Hello")) << 0 << QStringList {} << 1002 << true;
    QTest::newRow("5.15 text frame inside a fragmented message fails")
        << (text("frag", false) + continuation("ment", false) + text("x") + continuation("y"))
        << 0 << QStringList {} << 1002 << true;
    QTest::newRow("5.19 pings between many fragments")
        << (text("a", false) + continuation("b", false) + ping("1") + continuation("c", false)
            + ping("2") + continuation("d"))
        << 0 << QStringList {p("1"), p("2"), t("abcd")} << 1000 << false;

    // 6 UTF-8 (§8.1): valid text echoed; invalid fails with 1007, fast.
    QTest::newRow("6.2 valid UTF-8 (Hangul) split mid-character across fragments")
        << (text(QByteArray("안녕").left(4), false) + continuation(QByteArray("안녕").mid(4)))
        << 0 << QStringList {t("안녕")} << 1000 << false;
    QTest::newRow("6.3 invalid UTF-8 (overlong) fails with 1007")
        << text(hex("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64")) << 0
        << QStringList {} << 1007 << true;
    QTest::newRow("6.4 invalid byte in the first fragment fails before the rest arrives")
        << (text(hex("ce ba e1 bd b9 cf 83 ce bc ce b5 f4 90 80 80"), false) + ping({})) << 0
        << QStringList {} << 1007 << true;
    QTest::newRow("6.6 surrogate U+D800 fails") << text(hex("ed a0 80")) << 0 << QStringList {} << 1007 << true;
    QTest::newRow("6.x truncated sequence at the end of the message fails")
        << text(hex("e2 82")) << 0 << QStringList {} << 1007 << true;

    // 7 Close (§5.5.1, §7.4).
    QTest::newRow("7.1.1 echo, then the server's close is answered")
        << text("Hello") << 0 << QStringList {t("Hello")} << 1000 << false;
    QTest::newRow("7.1.2 close answered, later frames ignored")
        << (closeFrame(1000) + text("after close")) << 0 << QStringList {} << 1000 << false;
    QTest::newRow("7.3.1 close without a body is answered without a code")
        << closeFrame(-1) << 0 << QStringList {} << 0 << false;
    QTest::newRow("7.3.2 close with a 1-byte body fails") << frame(0x8, "\x03") << 0
                                                          << QStringList {} << 1002 << true;
    QTest::newRow("7.3.4 close with a reason is echoed")
        << closeFrame(1000, "a reason") << 0 << QStringList {} << 1000 << false;
    QTest::newRow("7.5.1 close reason that is not UTF-8 fails with 1007")
        << closeFrame(1000, hex("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64"))
        << 0 << QStringList {} << 1007 << true;
    for (const int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}) {
        QTest::addRow("7.7 valid close code %d is echoed", code)
            << closeFrame(code) << 0 << QStringList {} << code << false;
    }
    for (const int code : {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999}) {
        QTest::addRow("7.9 invalid close code %d fails with 1002", code)
            << closeFrame(code) << 0 << QStringList {} << 1002 << true;
    }

    // 9 Limits: big messages, and big messages in many small frames.
    QTest::newRow("9.1.6 16 MiB text message")
        << text(pattern(16 << 20)) << 0 << QStringList {t(pattern(16 << 20))} << 1000 << false;
    {
        QByteArray fragments;
        const QByteArray whole = pattern(4 << 20);
        for (qsizetype at = 0; at < whole.size(); at += 4096)
            fragments += frame(at == 0 ? 0x2 : 0x0, whole.mid(at, 4096), at + 4096 >= whole.size());
        QTest::newRow("9.3 4 MiB binary message in 1024 fragments")
            << fragments << 65536 << QStringList {b(whole)} << 1000 << false;
    }
}

void TestCliConformance::cases()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, chop);
    QFETCH(QStringList, expected);
    QFETCH(int, closeCode);
    QFETCH(bool, fails);

    // Cases that fail the connection must not be closed by the server first.
    const bool failure = fails;
    const bool closesItself = bytes.size() >= 2 && (std::uint8_t(bytes[0]) & 0x0F) == 0x8;
    const Reply reply = playCase(bytes, chop, !failure && !closesItself && !bytes.contains(closeFrame(1000)));

    QCOMPARE(reply.items.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QVERIFY2(reply.items[i] == expected[i], qPrintable(QStringLiteral("item %1").arg(i)));
    QVERIFY2(!reply.tcpClosedWithoutClose, "the client sends a Close frame before closing TCP");
    QCOMPARE(reply.closeCode, closeCode);
    QCOMPARE(reply.exitCode, failure ? 1 : 0);
}

QTEST_GUILESS_MAIN(TestCliConformance)
#include "tst_cliconformance.moc"
