#pragma once

// The Autobahn-TestSuite-shaped cases (1 framing, 2 ping/pong, 3 reserved bits,
// 4 opcodes, 5 fragmentation, 6 UTF-8, 7 close, 9 limits) as Qt Test data rows, for
// either side under test. The scripted peer writes `bytes` (masked when the peer is a
// client, RFC 6455 §5.1), optionally `chop` bytes at a time, then a Close 1000 unless
// the case fails the connection or closes by itself; the side under test must answer
// with `expected` (echoes and pongs in order, as "text:…", "binary:<hex>",
// "pong:<hex>") and a Close frame with `closeCode` (0: a Close without a code).

#include "frameencoder.h"
#include "testbytes.h"

#include <QtCore/QStringList>
#include <QtTest/QTest>

namespace frameline::test {

/// Builds the scripted peer's frames: masked with a fixed key when the peer is a client.
class CaseFrames
{
public:
    explicit CaseFrames(Role peer)
        : m_peer(peer)
    {
    }

    QByteArray frame(std::uint8_t opcode, QByteArrayView payload, bool fin = true, int rsv = 0) const
    {
        FrameSpec spec;
        spec.opcode = opcode;
        spec.fin = fin;
        spec.rsv1 = rsv & 4;
        spec.rsv2 = rsv & 2;
        spec.rsv3 = rsv & 1;
        if (m_peer == Role::Client)
            spec.maskKey = MaskKey {0x37, 0xfa, 0x21, 0x3d};
        return encodeFrame(spec, payload);
    }
    QByteArray text(QByteArrayView payload, bool fin = true) const { return frame(0x1, payload, fin); }
    QByteArray binary(QByteArrayView payload, bool fin = true) const { return frame(0x2, payload, fin); }
    QByteArray continuation(QByteArrayView payload, bool fin = true) const { return frame(0x0, payload, fin); }
    QByteArray ping(QByteArrayView payload) const { return frame(0x9, payload); }
    QByteArray pong(QByteArrayView payload) const { return frame(0xA, payload); }
    /// code < 0: an empty Close frame.
    QByteArray close(int code, QByteArrayView reason = {}) const
    {
        QByteArray payload;
        if (code >= 0) {
            payload.append(char(code >> 8)).append(char(code & 0xFF));
            payload.append(reason.data(), reason.size());
        }
        return frame(0x8, payload);
    }

private:
    Role m_peer;
};

inline QByteArray pattern(qsizetype size, char first = 'a')
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(first + i % 26);
    return bytes;
}

/// What the side under test sent back, in the form the rows expect.
inline QString echoOf(std::uint8_t opcode, const QByteArray &payload)
{
    if (opcode == 0x1)
        return QStringLiteral("text:") + QString::fromUtf8(payload);
    if (opcode == 0x2)
        return QStringLiteral("binary:") + QString::fromLatin1(payload.toHex());
    return QStringLiteral("pong:") + QString::fromLatin1(payload.toHex());
}

/// Adds the columns bytes, chop, expected, closeCode, fails (the side under test must
/// fail the connection) and peerCloses (the peer sends Close 1000 after the bytes).
inline void addConformanceRows(Role peer)
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("chop");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<bool>("fails");
    QTest::addColumn<bool>("peerCloses");

    const CaseFrames f(peer);
    const auto t = [](const QByteArray &s) { return echoOf(0x1, s); };
    const auto b = [](const QByteArray &s) { return echoOf(0x2, s); };
    const auto p = [](const QByteArray &s) { return echoOf(0xA, s); };
    // A case that goes well ends with the peer's Close 1000, echoed.
    const auto ok = [](const char *name, const QByteArray &bytes, int chop, const QStringList &expected) {
        QTest::newRow(name) << bytes << chop << expected << 1000 << false << true;
    };
    // A case that must fail the connection with `code`, after answering `expected`.
    const auto fail = [](const char *name, const QByteArray &bytes, const QStringList &expected, int code) {
        QTest::newRow(name) << bytes << 0 << expected << code << true << false;
    };
    // A case that holds its own Close frame, answered with `code`.
    const auto closes = [](const char *name, const QByteArray &bytes, int code) {
        QTest::newRow(name) << bytes << 0 << QStringList {} << code << false << false;
    };

    // 1 Framing: echo of every length encoding boundary, whole and in chops.
    for (const int size : {0, 125, 126, 127, 128, 65535, 65536}) {
        QTest::addRow("1.1 text of %d bytes is echoed", size)
            << f.text(pattern(size)) << 0 << QStringList {t(pattern(size))} << 1000 << false << true;
        QTest::addRow("1.2 binary of %d bytes is echoed", size)
            << f.binary(pattern(size)) << 0 << QStringList {b(pattern(size))} << 1000 << false << true;
    }
    ok("1.1.8 text of 65535 bytes sent in 997-byte chops", f.text(pattern(65535)), 997, {t(pattern(65535))});
    ok("1.2.8 binary of 300 bytes sent 1 byte at a time", f.binary(pattern(300)), 1, {b(pattern(300))});

    // 2 Pings and pongs (§5.5.2, §5.5.3).
    ok("2.1 empty ping gets an empty pong", f.ping({}), 0, {p({})});
    ok("2.3 binary ping payload comes back", f.ping(hex("00 ff fe fd fc fb 00 ff")), 0,
       {p(hex("00 ff fe fd fc fb 00 ff"))});
    ok("2.4 125-byte ping gets a 125-byte pong", f.ping(pattern(125)), 0, {p(pattern(125))});
    fail("2.5 126-byte ping fails the connection (§5.5)", f.ping(pattern(126)), {}, 1002);
    ok("2.6 125-byte ping in 1-byte chops", f.ping(pattern(125)), 1, {p(pattern(125))});
    ok("2.7 unsolicited pong is ignored", f.pong("unsolicited"), 0, {});
    ok("2.8 unsolicited pong with payload, then ping", f.pong("unsolicited") + f.ping("ping"), 0, {p("ping")});
    {
        QByteArray tenPings;
        QStringList tenPongs;
        for (int i = 0; i < 10; ++i) {
            const QByteArray payload = QByteArray("payload-").append(QByteArray::number(i));
            tenPings += f.ping(payload);
            tenPongs += p(payload);
        }
        ok("2.10 ten pings get ten pongs in order", tenPings, 0, tenPongs);
    }

    // 3 Reserved bits without an extension fail with 1002 (§5.2), after echoing what came before.
    fail("3.1 text with RSV1 fails", f.frame(0x1, "Hello", true, 4), {}, 1002);
    fail("3.2 RSV2 after a good message", f.text("Hello") + f.frame(0x1, "Hello", true, 2) + f.ping({}),
         {t("Hello")}, 1002);
    fail("3.7 close with all RSV bits fails", f.frame(0x8, {}, true, 7), {}, 1002);

    // 4 Reserved opcodes fail the connection (§5.2).
    for (const int opcode : {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
        QTest::addRow("4 reserved opcode 0x%X after a good message", opcode)
            << (f.text("Hello") + f.frame(std::uint8_t(opcode), "x") + f.ping({})) << 0
            << QStringList {t("Hello")} << 1002 << true << false;
    }

    // 5 Fragmentation (§5.4).
    fail("5.1 fragmented ping fails", f.frame(0x9, "frag", false) + f.continuation("ment"), {}, 1002);
    ok("5.3 text in two fragments", f.text("frag", false) + f.continuation("ment"), 0, {t("fragment")});
    ok("5.6 ping between fragments is answered first",
       f.text("frag", false) + f.ping("ping") + f.continuation("ment"), 0, {p("ping"), t("fragment")});
    ok("5.8 the same, in 1-byte chops", f.text("frag", false) + f.ping("ping") + f.continuation("ment"), 1,
       {p("ping"), t("fragment")});
    fail("5.9 continuation with nothing to continue fails", f.continuation("x") + f.text("Hello"), {}, 1002);
    fail("5.15 text frame inside a fragmented message fails",
         f.text("frag", false) + f.continuation("ment", false) + f.text("x") + f.continuation("y"), {}, 1002);
    ok("5.19 pings between many fragments",
       f.text("a", false) + f.continuation("b", false) + f.ping("1") + f.continuation("c", false) + f.ping("2")
           + f.continuation("d"),
       0, {p("1"), p("2"), t("abcd")});

    // 6 UTF-8 (§8.1): valid text echoed; invalid fails with 1007, as soon as it is invalid.
    ok("6.2 valid UTF-8 (Hangul) split mid-character across fragments",
       f.text(QByteArray("안녕").left(4), false) + f.continuation(QByteArray("안녕").mid(4)), 0, {t("안녕")});
    fail("6.3 invalid UTF-8 (surrogate inside) fails with 1007",
         f.text(hex("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64")), {}, 1007);
    fail("6.4 invalid byte in the first fragment fails before the rest arrives",
         f.text(hex("ce ba e1 bd b9 cf 83 ce bc ce b5 f4 90 80 80"), false) + f.ping({}), {}, 1007);
    fail("6.6 surrogate U+D800 fails", f.text(hex("ed a0 80")), {}, 1007);
    fail("6.x truncated sequence at the end of the message fails", f.text(hex("e2 82")), {}, 1007);
    {
        // The peer goes on sending after its broken frame: the Close frame must still
        // reach it intact (no reset that would destroy it in flight).
        QByteArray flood = f.text(hex("ed a0 80"));
        for (int i = 0; i < 64; ++i)
            flood += f.binary(pattern(16384));
        fail("6.y invalid text followed by 1 MiB more: the Close 1007 still arrives", flood, {}, 1007);
    }

    // 7 Close (§5.5.1, §7.4).
    ok("7.1.1 echo, then the peer's close is answered", f.text("Hello"), 0, {t("Hello")});
    closes("7.1.2 close answered, later frames ignored", f.close(1000) + f.text("after close"), 1000);
    closes("7.3.1 close without a body is answered without a code", f.close(-1), 0);
    fail("7.3.2 close with a 1-byte body fails", f.frame(0x8, "\x03"), {}, 1002);
    closes("7.3.4 close with a reason is answered", f.close(1000, "a reason"), 1000);
    fail("7.5.1 close reason that is not UTF-8 fails with 1007",
         f.close(1000, hex("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64")), {}, 1007);
    for (const int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}) {
        QTest::addRow("7.7 valid close code %d is echoed", code)
            << f.close(code) << 0 << QStringList {} << code << false << false;
    }
    for (const int code : {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999}) {
        QTest::addRow("7.9 invalid close code %d fails with 1002", code)
            << f.close(code) << 0 << QStringList {} << 1002 << true << false;
    }

    // 9 Limits: big messages, and big messages in many small frames.
    ok("9.1.6 16 MiB text message", f.text(pattern(16 << 20)), 0, {t(pattern(16 << 20))});
    {
        QByteArray fragments;
        const QByteArray whole = pattern(4 << 20);
        for (qsizetype at = 0; at < whole.size(); at += 4096)
            fragments += f.frame(at == 0 ? 0x2 : 0x0, whole.mid(at, 4096), at + 4096 >= whole.size());
        ok("9.3 4 MiB binary message in 1024 fragments", fragments, 65536, {b(whole)});
    }
}

} // namespace frameline::test
