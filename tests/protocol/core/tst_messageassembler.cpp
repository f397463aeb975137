// Tests of MessageAssembler and the close payload functions: the rules that span frames.
// RFC 6455 §5.4 fragmentation with control frames interleaved (Autobahn category 5),
// §8.1 UTF-8 failing at the first frame that cannot be valid (category 6), §5.5.1 / §7.4
// close payloads (category 7), and the message size limit (category 9).

#include "closecode.h"
#include "frameencoder.h"
#include "messageassembler.h"
#include "testbytes.h"

#include <QtTest/QtTest>

using namespace frameline;
using frameline::test::hex;
using frameline::test::toHex;

Q_DECLARE_METATYPE(frameline::ProtocolError)

namespace {

struct Step
{
    std::uint8_t opcode;
    bool fin;
    QByteArray payload;
};
using Steps = QList<Step>;

Step text(const QByteArray &payload, bool fin = true)
{
    return {std::uint8_t(Opcode::Text), fin, payload};
}
Step binary(const QByteArray &payload, bool fin = true)
{
    return {std::uint8_t(Opcode::Binary), fin, payload};
}
Step continuation(const QByteArray &payload, bool fin = true)
{
    return {std::uint8_t(Opcode::Continuation), fin, payload};
}
Step ping(const QByteArray &payload = {})
{
    return {std::uint8_t(Opcode::Ping), true, payload};
}
Step pong(const QByteArray &payload = {})
{
    return {std::uint8_t(Opcode::Pong), true, payload};
}
Step closeFrame(const QByteArray &payload = {})
{
    return {std::uint8_t(Opcode::Close), true, payload};
}

// A status code as the two big-endian bytes that start a close body (§5.5.1).
QByteArray codeBytes(int code)
{
    QByteArray bytes(2, Qt::Uninitialized);
    bytes[0] = char(code >> 8);
    bytes[1] = char(code & 0xFF);
    return bytes;
}

FrameHeader headerOf(const Step &step)
{
    FrameSpec spec;
    spec.fin = step.fin;
    spec.opcode = step.opcode;
    return headerFor(spec, std::uint64_t(step.payload.size()));
}

char letter(MessageAssembler::Outcome outcome)
{
    switch (outcome) {
    case MessageAssembler::Outcome::Fragment:
        return 'F';
    case MessageAssembler::Outcome::Message:
        return 'M';
    case MessageAssembler::Outcome::Control:
        return 'C';
    case MessageAssembler::Outcome::Violation:
        return 'V';
    }
    return '?';
}

struct Run
{
    QByteArray outcomes; // one letter per frame: Fragment, Message, Control, Violation
    QList<QByteArray> messages;
    QList<int> frameCounts;
    ProtocolError error = ProtocolError::NoError;
    std::uint64_t errorByteOffset = 0;
};

// Pushes frames until the first violation, as the protocol does.
Run assemble(const Steps &steps, AssemblerLimits limits = {})
{
    Run run;
    MessageAssembler assembler(limits);
    for (const Step &step : steps) {
        const MessageAssembler::Outcome outcome = assembler.push(headerOf(step), step.payload);
        run.outcomes.append(letter(outcome));
        if (outcome == MessageAssembler::Outcome::Message) {
            run.messages.append(assembler.message().toByteArray());
            run.frameCounts.append(assembler.messageFrameCount());
        }
        if (outcome == MessageAssembler::Outcome::Violation) {
            run.error = assembler.error();
            run.errorByteOffset = assembler.errorByteOffset();
            break;
        }
    }
    return run;
}

} // namespace

Q_DECLARE_METATYPE(Steps)

class TestMessageAssembler : public QObject
{
    Q_OBJECT

private slots:
    void fragmentation_data();
    void fragmentation();
    void utf8_data();
    void utf8();
    void messageSizeLimit_data();
    void messageSizeLimit();
    void unfragmentedMessageIsNotCopied();
    void controlFramesKeepTheMessageOpen();
    void resetForgetsTheOpenMessage();
    void parseClosePayload_data();
    void parseClosePayload();
    void closeFrameViolations_data();
    void closeFrameViolations();
    void buildClosePayload_data();
    void buildClosePayload();
};

void TestMessageAssembler::fragmentation_data()
{
    QTest::addColumn<Steps>("steps");
    QTest::addColumn<QByteArray>("outcomes");
    QTest::addColumn<QList<QByteArray>>("messages");
    QTest::addColumn<QList<int>>("frameCounts");
    QTest::addColumn<ProtocolError>("error");

    const auto none = ProtocolError::NoError;
    // RFC 6455 §5.4 and Autobahn 5.x, in order of the category.
    QTest::newRow("unfragmented text") << Steps {text("Hello")} << QByteArray("M")
                                       << QList<QByteArray> {"Hello"} << QList<int> {1} << none;
    QTest::newRow("empty unfragmented text")
        << Steps {text({})} << QByteArray("M") << QList<QByteArray> {""} << QList<int> {1} << none;
    QTest::newRow("text in two fragments")
        << Steps {text("Hel", false), continuation("lo")} << QByteArray("FM")
        << QList<QByteArray> {"Hello"} << QList<int> {2} << none;
    QTest::newRow("binary in three fragments, the middle one empty")
        << Steps {binary(hex("00 01"), false), continuation({}, false), continuation(hex("ff"))}
        << QByteArray("FFM") << QList<QByteArray> {hex("00 01 ff")} << QList<int> {3} << none;
    QTest::newRow("fragmented text with a ping between the fragments")
        << Steps {text("frag", false), ping("p"), continuation("ment")} << QByteArray("FCM")
        << QList<QByteArray> {"fragment"} << QList<int> {2} << none;
    QTest::newRow("fragmented binary with pings and pongs around every fragment")
        << Steps {ping(), binary("a", false), pong(), continuation("b", false), ping("x"),
               continuation("c"), pong("y")}
        << QByteArray("CFCFCMC") << QList<QByteArray> {"abc"} << QList<int> {3} << none;
    QTest::newRow("two fragmented messages back to back")
        << Steps {text("a", false), continuation("b"), binary("c", false), continuation("d")}
        << QByteArray("FMFM") << QList<QByteArray> {"ab", "cd"} << QList<int> {2, 2} << none;
    QTest::newRow("close between fragments is a control frame")
        << Steps {text("a", false), closeFrame(hex("03 e8"))} << QByteArray("FC")
        << QList<QByteArray> {} << QList<int> {} << none;
    QTest::newRow("continuation with nothing to continue (FIN = 1)")
        << Steps {continuation("x")} << QByteArray("V") << QList<QByteArray> {} << QList<int> {}
        << ProtocolError::UnexpectedContinuation;
    QTest::newRow("continuation with nothing to continue (FIN = 0)")
        << Steps {continuation("x", false), continuation("y")} << QByteArray("V")
        << QList<QByteArray> {} << QList<int> {} << ProtocolError::UnexpectedContinuation;
    QTest::newRow("continuation after the message finished")
        << Steps {text("a", false), continuation("b"), continuation("c")} << QByteArray("FMV")
        << QList<QByteArray> {"ab"} << QList<int> {2} << ProtocolError::UnexpectedContinuation;
    QTest::newRow("text frame inside a fragmented text message")
        << Steps {text("a", false), text("b")} << QByteArray("FV") << QList<QByteArray> {}
        << QList<int> {} << ProtocolError::ExpectedContinuation;
    QTest::newRow("binary frame inside a fragmented text message, after a ping")
        << Steps {text("a", false), ping(), binary("b", false)} << QByteArray("FCV")
        << QList<QByteArray> {} << QList<int> {} << ProtocolError::ExpectedContinuation;
}

void TestMessageAssembler::fragmentation()
{
    QFETCH(Steps, steps);
    QFETCH(QByteArray, outcomes);
    QFETCH(QList<QByteArray>, messages);
    QFETCH(QList<int>, frameCounts);
    QFETCH(ProtocolError, error);

    const Run run = assemble(steps);
    QCOMPARE(run.outcomes, outcomes);
    QCOMPARE(run.messages, messages);
    QCOMPARE(run.frameCounts, frameCounts);
    QCOMPARE(run.error, error);
}

void TestMessageAssembler::utf8_data()
{
    QTest::addColumn<Steps>("steps");
    QTest::addColumn<QByteArray>("outcomes");
    QTest::addColumn<std::uint64_t>("errorByteOffset");

    // RFC 6455 §8.1, Autobahn 6.x: valid text split anywhere is accepted.
    QTest::newRow("valid 2-byte character split across fragments")
        << Steps {text(hex("48 c3"), false), continuation(hex("a9"))} << QByteArray("FM")
        << std::uint64_t(0);
    QTest::newRow("valid 4-byte character, one byte per fragment") << Steps {text(hex("f0"), false),
        continuation(hex("9f"), false), continuation(hex("98"), false),
        continuation(hex("80"))} << QByteArray("FFFM") << std::uint64_t(0);
    QTest::newRow("'Hello-µ@ßöäüàá-UTF-8!!' in one frame") << Steps {
        text(QByteArray("Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4\xc3\xbc\xc3\xa0\xc3\xa1"
                        "-UTF-8!!"))} << QByteArray("M") << std::uint64_t(0);
    QTest::newRow("U+FFFF and U+10FFFF, the edges of the code space")
        << Steps {text(hex("ef bf bf f4 8f bf bf"))} << QByteArray("M") << std::uint64_t(0);
    QTest::newRow("binary messages are not checked") << Steps {binary(hex("ff fe"), false),
        continuation(hex("c0"))} << QByteArray("FM") << std::uint64_t(0);
    // §8.1: fail at the first frame holding a byte that cannot be valid, before FIN.
    QTest::newRow("frame 1 valid, frame 2 holds an invalid byte, frame 3 never needed")
        << Steps {text("ok", false), continuation(hex("41 ff 41"), false), continuation("more")}
        << QByteArray("FV") << std::uint64_t(3);
    QTest::newRow("invalid first fragment of an unfinished message")
        << Steps {text(hex("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80"), false), continuation("x")}
        << QByteArray("V") << std::uint64_t(12);
    QTest::newRow("surrogate U+D800 split across fragments fails at its second byte")
        << Steps {text(hex("41 ed"), false), continuation(hex("a0 80"))} << QByteArray("FV")
        << std::uint64_t(2);
    QTest::newRow("overlong NUL C0 80")
        << Steps {text(hex("c0 80"))} << QByteArray("V") << std::uint64_t(0);
    QTest::newRow("above U+10FFFF: F4 90 80 80")
        << Steps {text(hex("f4 90 80 80"))} << QByteArray("V") << std::uint64_t(1);
    QTest::newRow("invalid byte in a fragment after a ping") << Steps {text("a", false), ping("p"),
        continuation(hex("fe"))} << QByteArray("FCV") << std::uint64_t(1);
    // §8.1: a message may not end in the middle of a character.
    QTest::newRow("unfragmented message ending inside a character")
        << Steps {text(hex("41 e2 82"))} << QByteArray("V") << std::uint64_t(3);
    QTest::newRow("fragmented message whose last fragment ends inside a character") << Steps {
        text(hex("41"), false), continuation(hex("f0 9f"))} << QByteArray("FV") << std::uint64_t(3);
}

void TestMessageAssembler::utf8()
{
    QFETCH(Steps, steps);
    QFETCH(QByteArray, outcomes);
    QFETCH(std::uint64_t, errorByteOffset);

    const Run run = assemble(steps);
    QCOMPARE(run.outcomes, outcomes);
    if (outcomes.endsWith('V')) {
        QCOMPARE(run.error, ProtocolError::InvalidUtf8);
        QCOMPARE(closeCodeFor(run.error), CloseCode::InvalidPayload);
        QCOMPARE(run.errorByteOffset, errorByteOffset);
    } else {
        QCOMPARE(run.error, ProtocolError::NoError);
    }
}

void TestMessageAssembler::messageSizeLimit_data()
{
    QTest::addColumn<Steps>("steps");
    QTest::addColumn<QByteArray>("outcomes");
    QTest::addColumn<std::uint64_t>("errorByteOffset");

    // The configured limit is 10 bytes; over it the connection fails with 1009 (§7.4.1).
    QTest::newRow("unfragmented message exactly at the limit")
        << Steps {binary(QByteArray(10, 'a'))} << QByteArray("M") << std::uint64_t(0);
    QTest::newRow("unfragmented message one byte over the limit")
        << Steps {binary(QByteArray(11, 'a'))} << QByteArray("V") << std::uint64_t(0);
    QTest::newRow("fragments adding up to the limit") << Steps {text("01234", false),
        continuation("56789")} << QByteArray("FM") << std::uint64_t(0);
    QTest::newRow("fragments going over the limit fail at the frame that does")
        << Steps {text("012345", false), continuation("6789X", false), continuation("Y")}
        << QByteArray("FV") << std::uint64_t(6);
    QTest::newRow("control frames between fragments do not count")
        << Steps {text("01234", false), ping(QByteArray(100, 'p')), continuation("56789")}
        << QByteArray("FCM") << std::uint64_t(0);
}

void TestMessageAssembler::messageSizeLimit()
{
    QFETCH(Steps, steps);
    QFETCH(QByteArray, outcomes);
    QFETCH(std::uint64_t, errorByteOffset);

    const Run run = assemble(steps, AssemblerLimits {10});
    QCOMPARE(run.outcomes, outcomes);
    if (outcomes.endsWith('V')) {
        QCOMPARE(run.error, ProtocolError::MessageTooLarge);
        QCOMPARE(closeCodeFor(run.error), CloseCode::MessageTooBig);
        QCOMPARE(run.errorByteOffset, errorByteOffset);
    }
}

void TestMessageAssembler::unfragmentedMessageIsNotCopied()
{
    MessageAssembler assembler;
    const QByteArray payload("a whole message in one frame");
    QCOMPARE(assembler.push(headerOf(text(payload)), payload), MessageAssembler::Outcome::Message);
    QCOMPARE(assembler.message().data(), payload.constData());
    QCOMPARE(assembler.message().size(), payload.size());
    QCOMPARE(assembler.messageOpcode(), std::uint8_t(Opcode::Text));

    // A fragmented one is gathered into the assembler's own buffer.
    const QByteArray first("one "), second("two");
    assembler.push(headerOf(binary(first, false)), first);
    QCOMPARE(
        assembler.push(headerOf(continuation(second)), second), MessageAssembler::Outcome::Message);
    QCOMPARE(assembler.message(), QByteArrayView("one two"));
    QCOMPARE(assembler.messageOpcode(), std::uint8_t(Opcode::Binary));
    QVERIFY(assembler.message().data() != second.constData());
}

void TestMessageAssembler::controlFramesKeepTheMessageOpen()
{
    // RFC 6455 §5.4: control frames in the middle of a message are answered on their own.
    MessageAssembler assembler;
    QCOMPARE(
        assembler.push(headerOf(text("ab", false)), "ab"), MessageAssembler::Outcome::Fragment);
    QVERIFY(assembler.inMessage());
    QCOMPARE(assembler.push(headerOf(ping("hi")), "hi"), MessageAssembler::Outcome::Control);
    QCOMPARE(assembler.controlOpcode(), std::uint8_t(Opcode::Ping));
    QVERIFY(assembler.message().isNull());
    QVERIFY(assembler.inMessage());
    QCOMPARE(
        assembler.push(headerOf(continuation("cd")), "cd"), MessageAssembler::Outcome::Message);
    QCOMPARE(assembler.message(), QByteArrayView("abcd"));
    QVERIFY(!assembler.inMessage());
}

void TestMessageAssembler::resetForgetsTheOpenMessage()
{
    MessageAssembler assembler;
    assembler.push(headerOf(text(hex("e2"), false)), hex("e2"));
    QVERIFY(assembler.inMessage());
    assembler.reset();
    QVERIFY(!assembler.inMessage());
    QCOMPARE(assembler.error(), ProtocolError::NoError);
    // The half character is forgotten too: a new message starts clean.
    QCOMPARE(assembler.push(headerOf(text("A")), "A"), MessageAssembler::Outcome::Message);
    QCOMPARE(
        assembler.push(headerOf(continuation("B")), "B"), MessageAssembler::Outcome::Violation);
    QCOMPARE(assembler.error(), ProtocolError::UnexpectedContinuation);
}

void TestMessageAssembler::parseClosePayload_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<ProtocolError>("error");
    QTest::addColumn<int>("code"); // -1: no code

    // RFC 6455 §5.5.1: an empty body is a Close without a status code.
    QTest::newRow("no payload") << QByteArray() << ProtocolError::NoError << -1;
    QTest::newRow("one byte") << hex("03") << ProtocolError::CloseFrameLengthOne << -1;
    // §7.4.1, §7.4.2 and Autobahn 7.7.x: codes an endpoint may send.
    for (const int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
             3000, 3999, 4000, 4999}) {
        QTest::addRow("valid code %d", code) << codeBytes(code) << ProtocolError::NoError << code;
    }
    // Autobahn 7.9.x: reserved, local-only and unassigned codes fail with 1002.
    for (const int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
        QTest::addRow("invalid code %d", code)
            << codeBytes(code) << ProtocolError::InvalidCloseCode << code;
    }
    QTest::newRow("code with a UTF-8 reason")
        << hex("03 e8 48 c3 a9") << ProtocolError::NoError << 1000;
    QTest::newRow("125-byte payload: code and a 123-byte reason")
        << (hex("03 e8") + QByteArray(123, 'r')) << ProtocolError::NoError << 1000;
    QTest::newRow("reason that is not UTF-8")
        << hex("03 e8 ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80")
        << ProtocolError::InvalidCloseReasonUtf8 << 1000;
    QTest::newRow("reason ending inside a character")
        << hex("03 e8 41 e2 82") << ProtocolError::InvalidCloseReasonUtf8 << 1000;
}

void TestMessageAssembler::parseClosePayload()
{
    QFETCH(QByteArray, payload);
    QFETCH(ProtocolError, error);
    QFETCH(int, code);

    ClosePayload close;
    QCOMPARE(frameline::parseClosePayload(payload, close), error);
    if (error == ProtocolError::CloseFrameLengthOne)
        return;
    QCOMPARE(close.code.has_value(), code >= 0);
    if (code >= 0) {
        QCOMPARE(int(*close.code), code);
        QCOMPARE(close.reason, payload.mid(2));
    }
    if (error == ProtocolError::NoError && code >= 0) {
        // value → bytes: building it again gives the same body.
        QCOMPARE(toHex(frameline::buildClosePayload(*close.code, close.reason)), toHex(payload));
    }
}

void TestMessageAssembler::closeFrameViolations_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<ProtocolError>("error");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<std::uint64_t>("errorByteOffset");

    // Autobahn 7.3.2, 7.9.x, 7.5.1: what each bad close body fails the connection with.
    QTest::newRow("one-byte body fails with 1002")
        << hex("03") << ProtocolError::CloseFrameLengthOne << 1002 << std::uint64_t(0);
    QTest::newRow("code 1005 fails with 1002")
        << hex("03 ed") << ProtocolError::InvalidCloseCode << 1002 << std::uint64_t(0);
    QTest::newRow("reason with a surrogate fails with 1007 at the surrogate's second byte") << hex(
        "03 e8 41 ed a0 80") << ProtocolError::InvalidCloseReasonUtf8 << 1007 << std::uint64_t(4);
}

void TestMessageAssembler::closeFrameViolations()
{
    QFETCH(QByteArray, payload);
    QFETCH(ProtocolError, error);
    QFETCH(int, closeCode);
    QFETCH(std::uint64_t, errorByteOffset);

    MessageAssembler assembler;
    QCOMPARE(assembler.push(headerOf(closeFrame(payload)), payload),
        MessageAssembler::Outcome::Violation);
    QCOMPARE(assembler.error(), error);
    QCOMPARE(int(closeCodeFor(assembler.error())), closeCode);
    QCOMPARE(assembler.errorByteOffset(), errorByteOffset);
}

void TestMessageAssembler::buildClosePayload_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("1000 without a reason") << 1000 << QByteArray() << hex("03 e8");
    QTest::newRow("4999 with a short reason") << 4999 << QByteArray("bye") << hex("13 87 62 79 65");
    QTest::newRow("a 123-byte reason fits exactly")
        << 1001 << QByteArray(123, 'x') << (hex("03 e9") + QByteArray(123, 'x'));
    // RFC 6455 §5.5: at most 125 bytes in all; the cut falls on a character boundary.
    QTest::newRow("a 200-byte ASCII reason is cut to 123 bytes")
        << 1000 << QByteArray(200, 'y') << (hex("03 e8") + QByteArray(123, 'y'));
    const QByteArray euro("\xe2\x82\xac"); // 3 bytes; 41 of them are 123 bytes
    QTest::newRow("three-byte characters ending exactly at byte 123 are all kept")
        << 1000 << euro.repeated(42) << (hex("03 e8") + euro.repeated(41));
    QTest::newRow("a character straddling byte 123 is left out whole")
        << 1000 << (QByteArray("a") + euro.repeated(41))
        << (hex("03 e8") + QByteArray("a") + euro.repeated(40));
    const QByteArray emoji("\xf0\x9f\x98\x80"); // 4 bytes
    QTest::newRow("four-byte characters: 30 fit, the 31st is left out")
        << 1000 << emoji.repeated(40) << (hex("03 e8") + emoji.repeated(30));
}

void TestMessageAssembler::buildClosePayload()
{
    QFETCH(int, code);
    QFETCH(QByteArray, reason);
    QFETCH(QByteArray, expected);

    const QByteArray built = frameline::buildClosePayload(std::uint16_t(code), reason);
    QCOMPARE(toHex(built), toHex(expected));
    QVERIFY(built.size() <= 125);
    // bytes → value: what was built parses back as a valid close body.
    ClosePayload parsed;
    QCOMPARE(frameline::parseClosePayload(built, parsed), ProtocolError::NoError);
    QCOMPARE(int(parsed.code.value_or(0)), code);
    QVERIFY(reason.startsWith(parsed.reason));
}

QTEST_GUILESS_MAIN(TestMessageAssembler)
#include "tst_messageassembler.moc"
