// Tests of FrameDecoder and parseFrameHeader: RFC 6455 §5.2 framing, §5.7 examples,
// every per-frame rule in both roles, and that any split of the bytes decodes alike.

#include "frameencoder.h"
#include "framedecoder.h"
#include "testbytes.h"

#include <QtCore/QRandomGenerator>
#include <QtTest/QtTest>

using namespace frameline;
using frameline::test::hex;

Q_DECLARE_METATYPE(frameline::Role)
Q_DECLARE_METATYPE(frameline::ProtocolError)

namespace {

struct Decoded
{
    FrameHeader header;
    std::uint64_t offset;
    QByteArray wire;
    QByteArray payload;
};

struct Run
{
    QList<Decoded> frames;
    DecodeStatus last = DecodeStatus::NeedMore;
    ProtocolError error = ProtocolError::NoError;
    std::uint64_t errorOffset = 0;
};

// Feeds the chunks in order, draining next() after each, as the I/O layer does.
Run decodeChunks(Role receiver, const QList<QByteArray> &chunks, DecoderLimits limits = {})
{
    Run run;
    FrameDecoder decoder(receiver, limits);
    for (const QByteArray &chunk : chunks) {
        decoder.feed(chunk);
        for (;;) {
            run.last = decoder.next();
            if (run.last != DecodeStatus::Complete)
                break;
            const DecodedFrame &f = decoder.frame();
            run.frames.append({f.header, f.streamOffset, f.wire.toByteArray(), f.payload.toByteArray()});
        }
        if (run.last == DecodeStatus::Violation) {
            run.error = decoder.error();
            run.errorOffset = decoder.errorOffset();
            break;
        }
    }
    return run;
}

Run decodeAll(Role receiver, const QByteArray &bytes, DecoderLimits limits = {})
{
    return decodeChunks(receiver, {bytes}, limits);
}

bool sameFrames(const Run &a, const Run &b)
{
    if (a.frames.size() != b.frames.size() || a.last != b.last || a.error != b.error)
        return false;
    for (qsizetype i = 0; i < a.frames.size(); ++i) {
        if (a.frames[i].wire != b.frames[i].wire || a.frames[i].payload != b.frames[i].payload
            || a.frames[i].offset != b.frames[i].offset)
            return false;
    }
    return true;
}

QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char('a' + i % 26);
    return bytes;
}

} // namespace

class TestFrameDecoder : public QObject
{
    Q_OBJECT

private slots:
    void rfcExamples_data();
    void rfcExamples();
    void lengthEncodings_data();
    void lengthEncodings();
    void violations_data();
    void violations();
    void needMoreConsumesNothing();
    void everySplitDecodesAlike();
    void byteAtATime();
    void oversizedLengthAllocatesNothing();
    void allowedRsvBits();
    void nonMinimalControlFrameIsReportedNotFatal();
    void randomRoundTrips();
    void frameLayoutOffsets_data();
    void frameLayoutOffsets();
};

void TestFrameDecoder::rfcExamples_data()
{
    QTest::addColumn<Role>("receiver");
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("fin");
    QTest::addColumn<int>("opcode");
    QTest::addColumn<bool>("masked");
    QTest::addColumn<QByteArray>("payload");

    // RFC 6455 §5.7, the examples in order.
    QTest::newRow("unmasked text 'Hello' (server to client)")
        << Role::Client << hex("81 05 48 65 6c 6c 6f") << true << 0x1 << false
        << QByteArray("Hello");
    QTest::newRow("masked text 'Hello' (client to server)")
        << Role::Server << hex("81 85 37 fa 21 3d 7f 9f 4d 51 58") << true << 0x1 << true
        << QByteArray("Hello");
    QTest::newRow("first fragment 'Hel' of an unmasked text message")
        << Role::Client << hex("01 03 48 65 6c") << false << 0x1 << false << QByteArray("Hel");
    QTest::newRow("last fragment 'lo' of an unmasked text message")
        << Role::Client << hex("80 02 6c 6f") << true << 0x0 << false << QByteArray("lo");
    QTest::newRow("unmasked ping 'Hello'")
        << Role::Client << hex("89 05 48 65 6c 6c 6f") << true << 0x9 << false
        << QByteArray("Hello");
    QTest::newRow("masked pong 'Hello'")
        << Role::Server << hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58") << true << 0xA << true
        << QByteArray("Hello");
    const QByteArray bytes256 = pattern(256);
    QTest::newRow("256-byte unmasked binary, 16-bit length")
        << Role::Client << (hex("82 7e 01 00") + bytes256) << true << 0x2 << false << bytes256;
    const QByteArray bytes64k = pattern(65536);
    QTest::newRow("64 KiB unmasked binary, 64-bit length")
        << Role::Client << (hex("82 7f 00 00 00 00 00 01 00 00") + bytes64k) << true << 0x2
        << false << bytes64k;
}

void TestFrameDecoder::rfcExamples()
{
    QFETCH(Role, receiver);
    QFETCH(QByteArray, wire);
    QFETCH(bool, fin);
    QFETCH(int, opcode);
    QFETCH(bool, masked);
    QFETCH(QByteArray, payload);

    // Bytes → frame.
    const Run run = decodeAll(receiver, wire);
    QCOMPARE(run.last, DecodeStatus::NeedMore);
    QCOMPARE(run.frames.size(), 1);
    const Decoded &frame = run.frames.first();
    QCOMPARE(frame.header.fin, fin);
    QCOMPARE(int(frame.header.opcode), opcode);
    QCOMPARE(frame.header.masked, masked);
    QCOMPARE(frame.header.payloadLength, std::uint64_t(payload.size()));
    QVERIFY(!frame.header.nonMinimalLength);
    QCOMPARE(frame.wire, wire);
    QCOMPARE(frame.payload, payload);

    // Frame → bytes: the encoder writes the same wire bytes.
    FrameSpec spec;
    spec.fin = fin;
    spec.opcode = std::uint8_t(opcode);
    if (masked)
        spec.maskKey = MaskKey {0x37, 0xfa, 0x21, 0x3d};
    QCOMPARE(frameline::test::toHex(encodeFrame(spec, payload)), frameline::test::toHex(wire));
}

void TestFrameDecoder::lengthEncodings_data()
{
    QTest::addColumn<int>("encoding");
    QTest::addColumn<int>("length");
    QTest::addColumn<bool>("nonMinimal");
    QTest::addColumn<int>("headerSize");

    QTest::newRow("0 bytes, 7-bit") << 7 << 0 << false << 2;
    QTest::newRow("125 bytes, 7-bit") << 7 << 125 << false << 2;
    QTest::newRow("126 bytes, 16-bit") << 16 << 126 << false << 4;
    QTest::newRow("65535 bytes, 16-bit") << 16 << 65535 << false << 4;
    QTest::newRow("65536 bytes, 64-bit") << 64 << 65536 << false << 10;
    QTest::newRow("5 bytes in a 16-bit length (non-minimal)") << 16 << 5 << true << 4;
    QTest::newRow("5 bytes in a 64-bit length (non-minimal)") << 64 << 5 << true << 10;
    QTest::newRow("300 bytes in a 64-bit length (non-minimal)") << 64 << 300 << true << 10;
}

void TestFrameDecoder::lengthEncodings()
{
    QFETCH(int, encoding);
    QFETCH(int, length);
    QFETCH(bool, nonMinimal);
    QFETCH(int, headerSize);

    FrameSpec spec;
    spec.opcode = 0x2;
    spec.maskKey = MaskKey {1, 2, 3, 4};
    spec.lengthEncoding = LengthEncoding(encoding);
    const QByteArray payload = pattern(length);
    const QByteArray wire = encodeFrame(spec, payload);
    QCOMPARE(wire.size(), headerSize + 4 + length);

    // RFC 6455 §5.2: a non-minimal length is a sender's fault; the receiver reports it
    // and goes on.
    const Run run = decodeAll(Role::Server, wire);
    QCOMPARE(run.frames.size(), 1);
    QCOMPARE(int(run.frames[0].header.lengthEncoding), encoding);
    QCOMPARE(run.frames[0].header.nonMinimalLength, nonMinimal);
    QCOMPARE(int(run.frames[0].header.headerSize), headerSize + 4);
    QCOMPARE(run.frames[0].payload, payload);
}

void TestFrameDecoder::violations_data()
{
    QTest::addColumn<Role>("receiver");
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<ProtocolError>("error");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<int>("errorOffset");

    // A valid frame first where the offset matters, so the error offset is not trivially 0.
    const QByteArray ok = hex("81 02 68 69");
    const QByteArray okMasked = hex("81 82 00 00 00 00 68 69");

    // RFC 6455 §5.2: reserved opcodes.
    QTest::newRow("client receives opcode 0x3") << Role::Client << (ok + hex("83 00"))
                                                << ProtocolError::ReservedOpcode << 1002 << 4;
    QTest::newRow("server receives opcode 0xB") << Role::Server << hex("8b 80 00 00 00 00")
                                                << ProtocolError::ReservedOpcode << 1002 << 0;
    QTest::newRow("client receives opcode 0xF") << Role::Client << hex("8f 00")
                                                << ProtocolError::ReservedOpcode << 1002 << 0;
    // RFC 6455 §5.2: RSV bits without an extension.
    QTest::newRow("client receives RSV1") << Role::Client << hex("c1 00")
                                          << ProtocolError::ReservedBitsSet << 1002 << 0;
    QTest::newRow("server receives RSV2")
        << Role::Server << (okMasked + hex("a1 80 00 00 00 00"))
        << ProtocolError::ReservedBitsSet << 1002 << 8;
    QTest::newRow("client receives RSV3") << Role::Client << hex("91 00")
                                          << ProtocolError::ReservedBitsSet << 1002 << 0;
    // RFC 6455 §5.5: control frames.
    QTest::newRow("client receives a ping with FIN = 0") << Role::Client << hex("09 00")
                                                         << ProtocolError::FragmentedControlFrame
                                                         << 1002 << 0;
    QTest::newRow("server receives a close with FIN = 0")
        << Role::Server << hex("08 80 00 00 00 00") << ProtocolError::FragmentedControlFrame
        << 1002 << 0;
    QTest::newRow("client receives a 126-byte ping")
        << Role::Client << (hex("89 7e 00 7e") + pattern(126))
        << ProtocolError::ControlFrameTooLong << 1002 << 0;
    QTest::newRow("server receives a 126-byte pong")
        << Role::Server << (hex("8a fe 00 7e 00 00 00 00") + pattern(126))
        << ProtocolError::ControlFrameTooLong << 1002 << 0;
    // RFC 6455 §5.1: masking by role.
    QTest::newRow("server receives an unmasked frame")
        << Role::Server << (okMasked + ok) << ProtocolError::UnmaskedClientFrame << 1002 << 8;
    QTest::newRow("client receives a masked frame")
        << Role::Client << okMasked << ProtocolError::MaskedServerFrame << 1002 << 0;
    // RFC 6455 §5.2: 64-bit length with its most significant bit set.
    QTest::newRow("client receives a 2^63-byte length")
        << Role::Client << hex("82 7f 80 00 00 00 00 00 00 00")
        << ProtocolError::LengthMostSignificantBit << 1002 << 0;
    QTest::newRow("server receives a 2^64-1-byte length")
        << Role::Server << hex("82 ff ff ff ff ff ff ff ff ff 00 00 00 00")
        << ProtocolError::LengthMostSignificantBit << 1002 << 0;
    // The configured frame limit (64 MiB by default) → 1009.
    QTest::newRow("client receives a 2^62-byte length")
        << Role::Client << hex("82 7f 40 00 00 00 00 00 00 00") << ProtocolError::FrameTooLarge
        << 1009 << 0;
}

void TestFrameDecoder::violations()
{
    QFETCH(Role, receiver);
    QFETCH(QByteArray, wire);
    QFETCH(ProtocolError, error);
    QFETCH(int, closeCode);
    QFETCH(int, errorOffset);

    const Run run = decodeAll(receiver, wire);
    QCOMPARE(run.last, DecodeStatus::Violation);
    QCOMPARE(run.error, error);
    QCOMPARE(int(closeCodeFor(run.error)), closeCode);
    QCOMPARE(run.errorOffset, std::uint64_t(errorOffset));
    QVERIFY(!describe(run.error).isEmpty());
    QVERIFY(rfcSectionFor(run.error).startsWith(QLatin1String("RFC ")));

    // Fed a byte at a time the same violation is found at the same place.
    QList<QByteArray> bytes;
    for (char c : wire)
        bytes.append(QByteArray(1, c));
    const Run slow = decodeChunks(receiver, bytes);
    QCOMPARE(slow.error, error);
    QCOMPARE(slow.errorOffset, std::uint64_t(errorOffset));
}

void TestFrameDecoder::needMoreConsumesNothing()
{
    const QByteArray wire = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    FrameDecoder decoder(Role::Server);
    for (qsizetype i = 0; i + 1 < wire.size(); ++i) {
        decoder.feed(wire.sliced(i, 1));
        QCOMPARE(decoder.next(), DecodeStatus::NeedMore);
        QCOMPARE(decoder.streamPosition(), std::uint64_t(0));
        QCOMPARE(decoder.pendingBytes(), std::size_t(i + 1));
    }
    decoder.feed(wire.sliced(wire.size() - 1));
    QCOMPARE(decoder.next(), DecodeStatus::Complete);
    QCOMPARE(decoder.frame().payload.toByteArray(), QByteArray("Hello"));
    QCOMPARE(decoder.streamPosition(), std::uint64_t(wire.size()));
    QCOMPARE(decoder.next(), DecodeStatus::NeedMore);
}

void TestFrameDecoder::everySplitDecodesAlike()
{
    // A stream with every length encoding, masks, a control frame between fragments.
    QByteArray stream;
    FrameSpec spec;
    spec.maskKey = MaskKey {0x37, 0xfa, 0x21, 0x3d};
    spec.opcode = 0x1;
    spec.fin = false;
    appendFrame(stream, spec, "Hel");
    spec.opcode = 0x9;
    spec.fin = true;
    appendFrame(stream, spec, "ping");
    spec.opcode = 0x0;
    appendFrame(stream, spec, "lo");
    spec.opcode = 0x2;
    appendFrame(stream, spec, pattern(300));
    appendFrame(stream, spec, pattern(70000));
    spec.opcode = 0x8;
    appendFrame(stream, spec, hex("03 e8"));

    const Run whole = decodeAll(Role::Server, stream);
    QCOMPARE(whole.frames.size(), 6);
    QCOMPARE(whole.frames[4].payload, pattern(70000));
    QCOMPARE(whole.frames[5].offset, std::uint64_t(stream.size() - 8));

    // Two pieces, split at every byte.
    for (qsizetype split = 1; split < stream.size(); split += (split < 400 ? 1 : 997)) {
        const Run run = decodeChunks(Role::Server, {stream.first(split), stream.sliced(split)});
        QVERIFY2(sameFrames(whole, run), qPrintable(QStringLiteral("split at %1").arg(split)));
    }
    // Three pieces around the small frames.
    for (qsizetype a = 1; a < 40; ++a) {
        for (qsizetype b = a + 1; b < 60; ++b) {
            const Run run = decodeChunks(
                Role::Server, {stream.first(a), stream.sliced(a, b - a), stream.sliced(b)});
            QVERIFY(sameFrames(whole, run));
        }
    }
}

void TestFrameDecoder::byteAtATime()
{
    QByteArray stream = hex("01 03 48 65 6c 89 05 48 65 6c 6c 6f 80 02 6c 6f");
    stream += hex("82 7e 01 00") + pattern(256);
    QList<QByteArray> bytes;
    for (char c : stream)
        bytes.append(QByteArray(1, c));
    QVERIFY(sameFrames(decodeAll(Role::Client, stream), decodeChunks(Role::Client, bytes)));
    QCOMPARE(decodeChunks(Role::Client, bytes).frames.size(), 4);
}

void TestFrameDecoder::oversizedLengthAllocatesNothing()
{
    DecoderLimits limits;
    limits.maxFramePayload = 1000;
    FrameDecoder decoder(Role::Client, limits);
    decoder.feed(hex("82 7e 03 e9")); // 1001 bytes announced
    QCOMPARE(decoder.next(), DecodeStatus::Violation);
    QCOMPARE(decoder.error(), ProtocolError::FrameTooLarge);
    QCOMPARE(decoder.errorHeader().payloadLength, std::uint64_t(1001));

    FrameDecoder exact(Role::Client, limits);
    exact.feed(QByteArray(hex("82 7e 03 e8") + pattern(1000)));
    QCOMPARE(exact.next(), DecodeStatus::Complete);

    // After a violation nothing more is decoded, whatever is fed.
    decoder.feed(hex("81 00"));
    QCOMPARE(decoder.next(), DecodeStatus::Violation);
}

void TestFrameDecoder::allowedRsvBits()
{
    FrameDecoder decoder(Role::Client);
    decoder.setAllowedRsvBits(0x4); // RSV1, as permessage-deflate defines it
    decoder.feed(hex("c1 00"));
    QCOMPARE(decoder.next(), DecodeStatus::Complete);
    QVERIFY(decoder.frame().header.rsv1);
    decoder.feed(hex("e1 00"));
    QCOMPARE(decoder.next(), DecodeStatus::Violation);
    QCOMPARE(decoder.error(), ProtocolError::ReservedBitsSet);
}

void TestFrameDecoder::nonMinimalControlFrameIsReportedNotFatal()
{
    // RFC 6455 §5.5 limits a control frame's payload length (5 ≤ 125 here); the
    // non-minimal field is the sender's §5.2 fault, flagged on the frame.
    const Run run = decodeAll(Role::Client, hex("89 7e 00 05 48 65 6c 6c 6f"));
    QCOMPARE(run.last, DecodeStatus::NeedMore);
    QCOMPARE(run.frames.size(), 1);
    QVERIFY(run.frames[0].header.nonMinimalLength);
    QCOMPARE(run.frames[0].payload, QByteArray("Hello"));
}

void TestFrameDecoder::randomRoundTrips()
{
    QRandomGenerator random(20261125);
    for (int round = 0; round < 300; ++round) {
        const Role receiver = random.bounded(2) ? Role::Client : Role::Server;
        QByteArray stream;
        QList<std::pair<FrameSpec, QByteArray>> sent;
        const int count = 1 + int(random.bounded(8));
        for (int i = 0; i < count; ++i) {
            FrameSpec spec;
            const bool control = random.bounded(4) == 0;
            spec.opcode = control ? std::uint8_t(0x8 + random.bounded(3))
                                  : std::uint8_t(random.bounded(3));
            spec.fin = control || random.bounded(2);
            if (receiver == Role::Server) {
                const quint32 key = random.generate();
                spec.maskKey = MaskKey {std::uint8_t(key), std::uint8_t(key >> 8),
                                        std::uint8_t(key >> 16), std::uint8_t(key >> 24)};
            }
            const int sizes[] = {0, 1, 7, 125, 126, 127, 1000, 65535, 65536, 70001};
            int size = sizes[random.bounded(10)];
            if (control)
                size = std::min(size, 125);
            QByteArray payload(size, Qt::Uninitialized);
            for (char &c : payload)
                c = char(random.bounded(256));
            if (random.bounded(5) == 0 && size <= 0xFFFF)
                spec.lengthEncoding = LengthEncoding::Bits64;
            appendFrame(stream, spec, payload);
            sent.append({spec, payload});
        }
        // Decode in random pieces.
        QList<QByteArray> chunks;
        for (qsizetype at = 0; at < stream.size();) {
            const qsizetype n = std::min<qsizetype>(stream.size() - at, 1 + random.bounded(5000));
            chunks.append(stream.sliced(at, n));
            at += n;
        }
        const Run run = decodeChunks(receiver, chunks);
        QCOMPARE(run.last, DecodeStatus::NeedMore);
        QCOMPARE(run.frames.size(), sent.size());
        for (qsizetype i = 0; i < sent.size(); ++i) {
            const FrameHeader expected = headerFor(sent[i].first, std::uint64_t(sent[i].second.size()));
            const FrameHeader &got = run.frames[i].header;
            QCOMPARE(got.fin, expected.fin);
            QCOMPARE(got.opcode, expected.opcode);
            QCOMPARE(got.masked, expected.masked);
            QCOMPARE(got.maskKey, expected.maskKey);
            QCOMPARE(got.lengthEncoding, expected.lengthEncoding);
            QCOMPARE(got.nonMinimalLength, expected.nonMinimalLength);
            QCOMPARE(run.frames[i].payload, sent[i].second);
            QCOMPARE(run.frames[i].wire, encodeFrame(sent[i].first, sent[i].second));
        }
    }
}

void TestFrameDecoder::frameLayoutOffsets_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("extendedOffset");
    QTest::addColumn<int>("extendedLength");
    QTest::addColumn<int>("keyOffset");
    QTest::addColumn<int>("payloadOffset");

    QTest::newRow("unmasked, 7-bit length") << hex("81 05 48 65 6c 6c 6f") << -1 << 0 << -1 << 2;
    QTest::newRow("masked, 7-bit length") << hex("81 85 37 fa 21 3d 7f 9f 4d 51 58") << -1 << 0
                                          << 2 << 6;
    QTest::newRow("masked, 16-bit length")
        << (hex("82 fe 00 7e 01 02 03 04") + pattern(126)) << 2 << 2 << 4 << 8;
    QTest::newRow("masked, 64-bit length")
        << (hex("82 ff 00 00 00 00 00 00 00 7e 01 02 03 04") + pattern(126)) << 2 << 8 << 10
        << 14;
}

void TestFrameDecoder::frameLayoutOffsets()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, extendedOffset);
    QFETCH(int, extendedLength);
    QFETCH(int, keyOffset);
    QFETCH(int, payloadOffset);

    FrameHeader header;
    QCOMPARE(parseFrameHeader(QByteArrayView(wire), header).status, DecodeStatus::Complete);
    int extOffsetSeen = -1, extLengthSeen = 0, keySeen = -1, payloadSeen = -1;
    std::uint64_t payloadLengthSeen = 0;
    for (const FieldSpan &span : frameLayout(header)) {
        switch (span.field) {
        case FrameField::ExtendedPayloadLength:
            extOffsetSeen = int(span.byteOffset);
            extLengthSeen = int(span.byteLength);
            break;
        case FrameField::MaskingKey:
            keySeen = int(span.byteOffset);
            QCOMPARE(span.byteLength, std::uint64_t(4));
            break;
        case FrameField::Payload:
            payloadSeen = int(span.byteOffset);
            payloadLengthSeen = span.byteLength;
            break;
        case FrameField::Opcode:
            QCOMPARE(span.bitOffset, std::uint8_t(4));
            QCOMPARE(span.bitLength, std::uint8_t(4));
            break;
        default:
            break;
        }
    }
    QCOMPARE(extOffsetSeen, extendedOffset);
    QCOMPARE(extLengthSeen, extendedLength);
    QCOMPARE(keySeen, keyOffset);
    QCOMPARE(payloadSeen, payloadOffset);
    QCOMPARE(payloadLengthSeen + std::uint64_t(payloadOffset), std::uint64_t(wire.size()));
}

QTEST_GUILESS_MAIN(TestFrameDecoder)
#include "tst_framedecoder.moc"
