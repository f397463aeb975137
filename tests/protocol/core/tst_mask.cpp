// Tests of applyMask and copyMasked: the RFC 6455 §5.7 masked "Hello", and agreement with
// a plain byte loop for every phase, size and alignment, whole or in pieces.

#include "mask.h"
#include "testbytes.h"

#include <QtCore/QRandomGenerator>
#include <QtTest/QtTest>

using namespace frameline;
using frameline::test::hex;
using frameline::test::toHex;

Q_DECLARE_METATYPE(frameline::MaskKey)

namespace {

// RFC 6455 §5.3, written as literally as possible: octet i XOR key octet (i modulo 4).
QByteArray referenceMask(const QByteArray &data, const MaskKey &key, std::size_t phase)
{
    QByteArray out = data;
    for (qsizetype i = 0; i < out.size(); ++i)
        out[i] = char(std::uint8_t(out[i]) ^ key[(phase + std::size_t(i)) % 4]);
    return out;
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator random(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(random.bounded(256));
    return bytes;
}

std::uint8_t *bytesOf(QByteArray &bytes)
{
    return reinterpret_cast<std::uint8_t *>(bytes.data());
}

constexpr MaskKey kRfcKey {0x37, 0xfa, 0x21, 0x3d};
constexpr MaskKey kOtherKey {0x01, 0x80, 0xff, 0x5a};

} // namespace

class TestMask : public QObject
{
    Q_OBJECT

private slots:
    void rfcExample_data();
    void rfcExample();
    void matchesReference_data();
    void matchesReference();
    void bigUnalignedBuffers_data();
    void bigUnalignedBuffers();
    void splitContinuesPhase_data();
    void splitContinuesPhase();
    void leavesNeighboursAlone();
};

void TestMask::rfcExample_data()
{
    QTest::addColumn<QByteArray>("masked");
    QTest::addColumn<QByteArray>("plain");

    // RFC 6455 §5.7: "A single-frame masked text message" carries key 37 fa 21 3d.
    QTest::newRow("masked \"Hello\" from RFC 6455 section 5.7")
        << hex("7f 9f 4d 51 58") << QByteArrayLiteral("Hello");
}

void TestMask::rfcExample()
{
    QFETCH(QByteArray, masked);
    QFETCH(QByteArray, plain);

    QByteArray inPlace = masked;
    QCOMPARE(applyMask(bytesOf(inPlace), std::size_t(inPlace.size()), kRfcKey), std::size_t(1));
    QCOMPARE(inPlace, plain);

    // And back: masking is its own inverse (§5.3 uses the same algorithm both ways).
    QByteArray again(plain.size(), Qt::Uninitialized);
    copyMasked(bytesOf(again), reinterpret_cast<const std::uint8_t *>(plain.constData()),
        std::size_t(plain.size()), kRfcKey);
    QCOMPARE(toHex(again), toHex(masked));
}

void TestMask::matchesReference_data()
{
    QTest::addColumn<MaskKey>("key");
    QTest::addColumn<int>("phase");
    QTest::addColumn<int>("offset");

    // Every phase with several start alignments, so heads and tails of all lengths occur.
    for (int phase = 0; phase < 4; ++phase) {
        for (int offset : {0, 1, 3, 7, 15, 31}) {
            QTest::addRow("RFC key, phase %d, start %d bytes past alignment", phase, offset)
                << kRfcKey << phase << offset;
        }
        QTest::addRow("key with high bits, phase %d", phase) << kOtherKey << phase << 5;
    }
}

void TestMask::matchesReference()
{
    QFETCH(MaskKey, key);
    QFETCH(int, phase);
    QFETCH(int, offset);

    for (int size = 0; size <= 200; ++size) {
        const QByteArray input = randomBytes(size, quint32(size * 7 + phase));
        const QByteArray expected = referenceMask(input, key, std::size_t(phase));
        const std::size_t expectedPhase = std::size_t(phase + size) % 4;

        // In place, from `offset` bytes into a fresh buffer.
        QByteArray inPlace = QByteArray(offset, '\0') + input;
        QCOMPARE(applyMask(bytesOf(inPlace) + offset, std::size_t(size), key, std::size_t(phase)),
            expectedPhase);
        QCOMPARE(toHex(inPlace.mid(offset)), toHex(expected));

        // Copying from a source aligned differently from the destination.
        const QByteArray source = QByteArray(3, '\0') + input;
        QByteArray copy(offset + size, '\0');
        QCOMPARE(copyMasked(bytesOf(copy) + offset,
                     reinterpret_cast<const std::uint8_t *>(source.constData()) + 3,
                     std::size_t(size), key, std::size_t(phase)),
            expectedPhase);
        QCOMPARE(toHex(copy.mid(offset)), toHex(expected));

        // Twice is identity.
        applyMask(bytesOf(inPlace) + offset, std::size_t(size), key, std::size_t(phase));
        QCOMPARE(inPlace.mid(offset), input);
    }
}

void TestMask::bigUnalignedBuffers_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("offset");
    QTest::addColumn<int>("phase");

    QTest::newRow("4 KiB, one byte past alignment, phase 1") << 4096 << 1 << 1;
    QTest::newRow("64 KiB + 3 bytes, phase 2") << 65539 << 13 << 2;
    QTest::newRow("1 MiB, aligned, phase 0") << (1 << 20) << 0 << 0;
    QTest::newRow("1 MiB - 1 byte, 9 bytes past alignment, phase 3") << (1 << 20) - 1 << 9 << 3;
}

void TestMask::bigUnalignedBuffers()
{
    QFETCH(int, size);
    QFETCH(int, offset);
    QFETCH(int, phase);

    const QByteArray input = randomBytes(size, quint32(size));
    const QByteArray expected = referenceMask(input, kRfcKey, std::size_t(phase));

    QByteArray inPlace = QByteArray(offset, '\0') + input;
    applyMask(bytesOf(inPlace) + offset, std::size_t(size), kRfcKey, std::size_t(phase));
    QVERIFY(inPlace.mid(offset) == expected);

    QByteArray copy(size + 1, '\0');
    const std::size_t end
        = copyMasked(bytesOf(copy) + 1, reinterpret_cast<const std::uint8_t *>(input.constData()),
            std::size_t(size), kRfcKey, std::size_t(phase));
    QCOMPARE(end, std::size_t(phase + size) % 4);
    QVERIFY(copy.mid(1) == expected);
    QVERIFY(copy.mid(1) == inPlace.mid(offset));
}

void TestMask::splitContinuesPhase_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<QList<int>>("pieces");

    QTest::newRow("three pieces of odd lengths") << 301 << QList<int> {1, 150, 150};
    QTest::newRow("byte at a time") << 40 << QList<int>(40, 1);
    QTest::newRow("pieces around vector widths") << 1000 << QList<int> {63, 65, 31, 33, 808};
    QTest::newRow("empty pieces in between") << 100 << QList<int> {0, 50, 0, 50, 0};
}

void TestMask::splitContinuesPhase()
{
    QFETCH(int, size);
    QFETCH(QList<int>, pieces);

    const QByteArray input = randomBytes(size, 42);
    const QByteArray whole = referenceMask(input, kRfcKey, 0);

    // In place, each piece starting at the phase the previous one returned.
    QByteArray inPlace = input;
    std::size_t phase = 0;
    qsizetype at = 0;
    for (int piece : pieces) {
        phase = applyMask(bytesOf(inPlace) + at, std::size_t(piece), kRfcKey, phase);
        at += piece;
    }
    QCOMPARE(at, qsizetype(size));
    QCOMPARE(toHex(inPlace), toHex(whole));

    QByteArray copy(size, '\0');
    phase = 0;
    at = 0;
    for (int piece : pieces) {
        phase = copyMasked(bytesOf(copy) + at,
            reinterpret_cast<const std::uint8_t *>(input.constData()) + at, std::size_t(piece),
            kRfcKey, phase);
        at += piece;
    }
    QCOMPARE(toHex(copy), toHex(whole));
}

void TestMask::leavesNeighboursAlone()
{
    // Bytes just before and after the masked range stay untouched for every size and offset.
    for (int offset = 0; offset < 32; ++offset) {
        for (int size : {0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 200}) {
            QByteArray buffer(offset + size + 32, char(0x55));
            applyMask(bytesOf(buffer) + offset, std::size_t(size), kOtherKey, 2);
            QCOMPARE(buffer.left(offset), QByteArray(offset, char(0x55)));
            QCOMPARE(buffer.mid(offset + size), QByteArray(32, char(0x55)));
        }
    }
}

QTEST_APPLESS_MAIN(TestMask)
#include "tst_mask.moc"
