// Tests of the frame encoder: it writes any header a sender asks for, valid or not
// (RFC 6455 §5.2), so the composer can probe how a peer reacts.

#include "frameencoder.h"
#include "testbytes.h"

#include <QtTest/QtTest>

using namespace frameline;
using frameline::test::hex;
using frameline::test::toHex;

Q_DECLARE_METATYPE(frameline::FrameSpec)

class TestFrameEncoder : public QObject
{
    Q_OBJECT

private slots:
    void encodes_data();
    void encodes();
    void tooNarrowEncodingIsWidened();
    void headerOnly();
};

void TestFrameEncoder::encodes_data()
{
    QTest::addColumn<FrameSpec>("spec");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("wire");

    const MaskKey key {0x37, 0xfa, 0x21, 0x3d};
    FrameSpec spec;

    spec = {};
    QTest::newRow("empty unmasked text") << spec << QByteArray() << hex("81 00");
    spec.maskKey = key;
    QTest::newRow("empty masked text keeps its key") << spec << QByteArray()
                                                     << hex("81 80 37 fa 21 3d");
    spec = {};
    spec.opcode = 0x3;
    QTest::newRow("reserved opcode 0x3, on purpose") << spec << QByteArray() << hex("83 00");
    spec = {};
    spec.rsv1 = spec.rsv2 = spec.rsv3 = true;
    spec.opcode = 0x2;
    QTest::newRow("all three RSV bits, on purpose") << spec << QByteArray("x") << hex("f2 01 78");
    spec = {};
    spec.fin = false;
    spec.opcode = 0x9;
    QTest::newRow("fragmented ping, on purpose") << spec << QByteArray() << hex("09 00");
    spec = {};
    spec.lengthEncoding = LengthEncoding::Bits16;
    QTest::newRow("5 bytes in a 16-bit length (non-minimal, on purpose)")
        << spec << QByteArray("Hello") << hex("81 7e 00 05 48 65 6c 6c 6f");
    spec.lengthEncoding = LengthEncoding::Bits64;
    spec.maskKey = key;
    QTest::newRow("masked 5 bytes in a 64-bit length")
        << spec << QByteArray("Hello")
        << hex("81 ff 00 00 00 00 00 00 00 05 37 fa 21 3d 7f 9f 4d 51 58");
    spec = {};
    spec.opcode = 0x2;
    spec.declaredLength = 0x8000000000000000ull;
    QTest::newRow("a lying 2^63 length, on purpose")
        << spec << QByteArray("ab") << hex("82 7f 80 00 00 00 00 00 00 00 61 62");
    spec = {};
    spec.opcode = 0x8;
    QTest::newRow("close 1000 unmasked") << spec << hex("03 e8") << hex("88 02 03 e8");
}

void TestFrameEncoder::encodes()
{
    QFETCH(FrameSpec, spec);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, wire);
    QCOMPARE(toHex(encodeFrame(spec, payload)), toHex(wire));

    // appendFrame appends after what the buffer holds.
    QByteArray out("prefix");
    appendFrame(out, spec, payload);
    QCOMPARE(toHex(out), toHex(QByteArray(QByteArray("prefix") + wire)));
}

void TestFrameEncoder::tooNarrowEncodingIsWidened()
{
    FrameSpec spec;
    spec.opcode = 0x2;
    spec.lengthEncoding = LengthEncoding::Bits7;
    const FrameHeader header = headerFor(spec, 70000);
    QCOMPARE(header.lengthEncoding, LengthEncoding::Bits64);
    QVERIFY(!header.nonMinimalLength);
    QCOMPARE(int(header.headerSize), 10);
}

void TestFrameEncoder::headerOnly()
{
    FrameSpec spec;
    spec.opcode = 0x2;
    spec.maskKey = MaskKey {1, 2, 3, 4};
    const FrameHeader header = headerFor(spec, 300);
    std::uint8_t out[14] = {};
    QCOMPARE(writeFrameHeader(out, header), std::size_t(8));
    QCOMPARE(toHex(QByteArrayView(out, 8)), toHex(hex("82 fe 01 2c 01 02 03 04")));
}

QTEST_GUILESS_MAIN(TestFrameEncoder)
#include "tst_frameencoder.moc"
