// Tests of Utf8Validator and isValidUtf8: the well-formed sequences of RFC 3629 §4 along
// the lines of Markus Kuhn's decoder stress test, the byte where validation fails, that
// every split of the input gives the same answer, and a randomized cross-check against a
// reference built from the definition (UTF-8 = the encodings of Unicode scalar values).

#include "testbytes.h"
#include "utf8validator.h"

#include <QtCore/QRandomGenerator>
#include <QtCore/QSet>
#include <QtTest/QtTest>

using namespace frameline;
using frameline::test::hex;
using frameline::test::toHex;

using Status = Utf8Validator::Status;
Q_DECLARE_METATYPE(frameline::Utf8Validator::Status)

namespace {

struct Verdict
{
    Status status = Status::Complete;
    qint64 invalidOffset = -1;
};

Verdict validate(const QList<QByteArrayView> &pieces)
{
    Utf8Validator validator;
    Status last = Status::Complete;
    for (QByteArrayView piece : pieces)
        last = validator.feed(piece);
    if (last != validator.status())
        return {Status::Invalid, -2}; // feed() and status() disagree: never expected
    Verdict verdict;
    verdict.status = last;
    if (last == Status::Invalid)
        verdict.invalidOffset = qint64(validator.invalidOffset());
    return verdict;
}

QByteArray statusName(Status status)
{
    switch (status) {
    case Status::Complete:
        return QByteArrayLiteral("Complete");
    case Status::Incomplete:
        return QByteArrayLiteral("Incomplete");
    case Status::Invalid:
        return QByteArrayLiteral("Invalid");
    }
    return QByteArrayLiteral("?");
}

QByteArray describe(const Verdict &v)
{
    return statusName(v.status) + ' ' + QByteArray::number(v.invalidOffset);
}

// RFC 3629 §3: the bit layout, in `length` bytes, applied without any range check (so it
// can also write overlong forms).
QByteArray encodeIn(char32_t cp, int length)
{
    static const std::uint8_t leads[] = {0x00, 0x00, 0xC0, 0xE0, 0xF0};
    QByteArray out(length, Qt::Uninitialized);
    for (int i = length - 1; i > 0; --i) {
        out[i] = char(0x80 | (cp & 0x3F));
        cp >>= 6;
    }
    out[0] = char(leads[length] | cp);
    return out;
}

// The shortest form, the only one RFC 3629 §3 allows.
QByteArray encode(char32_t cp)
{
    return encodeIn(cp, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
}

bool isScalarValue(char32_t cp)
{
    return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

// Up to three bytes and their count in one word; 0 (no bytes) for anything longer.
quint32 packPrefix(QByteArrayView bytes)
{
    if (bytes.size() > 3)
        return 0;
    quint32 packed = quint32(bytes.size()) << 24;
    for (qsizetype i = 0; i < bytes.size(); ++i)
        packed |= quint32(std::uint8_t(bytes[i])) << (8 * (2 - i));
    return packed;
}

/// A validator built from the definition alone: a string is valid UTF-8 when it is a
/// concatenation of encodings of scalar values, and its first invalid byte is the first
/// one after which no continuation could make it so. It knows no byte ranges: it
/// enumerates every scalar value once and remembers the proper prefixes of their
/// encodings.
class ReferenceValidator
{
public:
    ReferenceValidator()
    {
        for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
            if (!isScalarValue(cp))
                continue;
            const QByteArray e = encode(cp);
            for (qsizetype n = 1; n < e.size(); ++n)
                m_properPrefixes.insert(packPrefix(QByteArrayView(e).first(n)));
        }
    }

    Verdict check(QByteArrayView bytes) const
    {
        qsizetype start = 0; // first byte of the character being read
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            const QByteArrayView candidate = bytes.sliced(start, i - start + 1);
            if (isEncoding(candidate))
                start = i + 1;
            else if (!m_properPrefixes.contains(packPrefix(candidate)))
                return {Status::Invalid, qint64(i)};
        }
        return {start == bytes.size() ? Status::Complete : Status::Incomplete, -1};
    }

private:
    static bool isEncoding(QByteArrayView candidate)
    {
        const std::uint8_t lead = std::uint8_t(candidate[0]);
        char32_t cp = 0;
        if (candidate.size() == 1)
            return lead < 0x80;
        if (candidate.size() == 2)
            cp = lead & 0x1F;
        else if (candidate.size() == 3)
            cp = lead & 0x0F;
        else
            cp = lead & 0x07;
        for (qsizetype i = 1; i < candidate.size(); ++i)
            cp = (cp << 6) | (std::uint8_t(candidate[i]) & 0x3F);
        // Re-encoding gives back the same bytes only for the shortest form with the right
        // lead and continuation bits.
        return isScalarValue(cp) && encode(cp) == candidate;
    }

    QSet<quint32> m_properPrefixes;
};

// Valid text with at most one flaw: half the inputs are valid (some cut short at the
// end), the others hold one bad element somewhere among valid characters, so a failure
// can come late and after every kind of character.
QByteArray randomInput(QRandomGenerator &random)
{
    static const char32_t interesting[] = {0x0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF,
        0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000, 0x10FFFF, 0xAC00,
        0xD55C, 0xC548, 0x1F600, 0x3B1, 0x20AC};
    const auto validPart = [&]() -> QByteArray {
        switch (random.bounded(3)) {
        case 0:
            return QByteArray(int(random.bounded(1, 40)), char('a' + random.bounded(26)));
        case 1:
            return encode(interesting[random.bounded(int(std::size(interesting)))]);
        default: {
            const char32_t cp = char32_t(random.bounded(0x110000));
            return encode(isScalarValue(cp) ? cp : 0xFFFD);
        }
        }
    };
    const auto truncated = [&]() {
        const QByteArray e = encode(char32_t(random.bounded(0x80, 0x110000)));
        return e.left(random.bounded(1, int(e.size())));
    };
    const auto badPart = [&]() -> QByteArray {
        switch (random.bounded(5)) {
        case 0:
            return QByteArray(1, char(random.bounded(0x80, 0x100)));
        case 1:
            return truncated();
        case 2:
            // RFC 3629 §3: the encoder can write surrogates, UTF-8 forbids them.
            return encode(char32_t(random.bounded(0xD800, 0xE000)));
        case 3: {
            // RFC 3629 §3: a longer form than needed (overlong) is not UTF-8.
            const int length = int(random.bounded(2, 5));
            const char32_t limit = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
            return encodeIn(char32_t(random.bounded(int(limit))), length);
        }
        default:
            // RFC 3629 §3: nothing above U+10FFFF.
            return encode(char32_t(random.bounded(0x110000, 0x200000)));
        }
    };

    const int parts = int(random.bounded(1, 12));
    const bool flawed = random.bounded(2) == 1;
    const int flawAt = int(random.bounded(parts));
    QByteArray out;
    for (int p = 0; p < parts; ++p)
        out.append(flawed && p == flawAt ? badPart() : validPart());
    if (!flawed && random.bounded(3) == 0)
        out.append(truncated());
    return out;
}

} // namespace

class TestUtf8Validator : public QObject
{
    Q_OBJECT

private slots:
    void wholeInput_data();
    void wholeInput();
    void everySplit_data();
    void everySplit();
    void invalidStaysUntilReset();
    void offsetCountsEveryFeed();
    void randomAgainstReference();

private:
    void addRows();
};

void TestUtf8Validator::addRows()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Status>("status");
    QTest::addColumn<qint64>("invalidOffset");

    const QByteArray longAscii(37, 'x');
    const QByteArray kosme = hex("ce ba e1 bd b9 cf 83 ce bc ce b5"); // "κόσμε"
    const QByteArray hangul = hex("ec 95 88 eb 85 95 ed 95 98 ec 84 b8 ec 9a 94");

    // Valid text (RFC 3629 §4).
    QTest::newRow("empty input") << QByteArray() << Status::Complete << qint64(-1);
    QTest::newRow("ASCII sentence")
        << QByteArrayLiteral("Hello, WebSocket world!") << Status::Complete << qint64(-1);
    QTest::newRow("NUL byte (U+0000)") << hex("00") << Status::Complete << qint64(-1);
    QTest::newRow("Greek kosme from Kuhn's test") << kosme << Status::Complete << qint64(-1);
    QTest::newRow("Hangul greeting, including ED 95") << hangul << Status::Complete << qint64(-1);
    QTest::newRow("long ASCII run then an emoji")
        << QByteArray(longAscii + hex("f0 9f 98 80")) << Status::Complete << qint64(-1);

    // Boundaries of each sequence length (Kuhn §2).
    QTest::newRow("U+007F, last one-byte") << hex("7f") << Status::Complete << qint64(-1);
    QTest::newRow("U+0080, first two-byte") << hex("c2 80") << Status::Complete << qint64(-1);
    QTest::newRow("U+07FF, last two-byte") << hex("df bf") << Status::Complete << qint64(-1);
    QTest::newRow("U+0800, first three-byte") << hex("e0 a0 80") << Status::Complete << qint64(-1);
    QTest::newRow("U+D7FF, just below the surrogates")
        << hex("ed 9f bf") << Status::Complete << qint64(-1);
    QTest::newRow("U+E000, just above the surrogates")
        << hex("ee 80 80") << Status::Complete << qint64(-1);
    QTest::newRow("U+FFFD replacement character")
        << hex("ef bf bd") << Status::Complete << qint64(-1);
    QTest::newRow("U+FFFF, last three-byte (a noncharacter, still valid)")
        << hex("ef bf bf") << Status::Complete << qint64(-1);
    QTest::newRow("U+10000, first four-byte")
        << hex("f0 90 80 80") << Status::Complete << qint64(-1);
    QTest::newRow("U+10FFFF, last code point")
        << hex("f4 8f bf bf") << Status::Complete << qint64(-1);

    // RFC 3629 §3: a continuation byte cannot start a character (Kuhn §3.1).
    QTest::newRow("lone continuation byte 80") << hex("80") << Status::Invalid << qint64(0);
    QTest::newRow("lone continuation byte BF") << hex("bf") << Status::Invalid << qint64(0);
    QTest::newRow("continuation byte after ASCII") << hex("41 80") << Status::Invalid << qint64(1);
    QTest::newRow("extra continuation after U+0080")
        << hex("c2 80 80") << Status::Invalid << qint64(2);
    QTest::newRow("continuation byte deep in a long ASCII run")
        << QByteArray(longAscii + hex("9f")) << Status::Invalid << qint64(37);

    // RFC 3629 §4: C0 and C1 would only start overlong forms (Kuhn §4).
    QTest::newRow("overlong '/' in two bytes (C0 AF)")
        << hex("c0 af") << Status::Invalid << qint64(0);
    QTest::newRow("overlong NUL in two bytes (C0 80)")
        << hex("c0 80") << Status::Invalid << qint64(0);
    QTest::newRow("largest overlong two-byte (C1 BF)")
        << hex("c1 bf") << Status::Invalid << qint64(0);
    QTest::newRow("C1 after valid Greek")
        << QByteArray(kosme + hex("c1")) << Status::Invalid << qint64(11);
    QTest::newRow("overlong '/' in three bytes (E0 80 AF)")
        << hex("e0 80 af") << Status::Invalid << qint64(1);
    QTest::newRow("largest overlong three-byte (E0 9F BF)")
        << hex("e0 9f bf") << Status::Invalid << qint64(1);
    QTest::newRow("overlong '/' in four bytes (F0 80 80 AF)")
        << hex("f0 80 80 af") << Status::Invalid << qint64(1);
    QTest::newRow("largest overlong four-byte (F0 8F BF BF)")
        << hex("f0 8f bf bf") << Status::Invalid << qint64(1);

    // RFC 3629 §3: surrogate code points are not characters (Kuhn §5).
    QTest::newRow("surrogate U+D800") << hex("ed a0 80") << Status::Invalid << qint64(1);
    QTest::newRow("surrogate U+DBFF") << hex("ed af bf") << Status::Invalid << qint64(1);
    QTest::newRow("surrogate U+DC00") << hex("ed b0 80") << Status::Invalid << qint64(1);
    QTest::newRow("surrogate U+DFFF") << hex("ed bf bf") << Status::Invalid << qint64(1);
    QTest::newRow("surrogate pair U+D800 U+DC00 (CESU-8)")
        << hex("ed a0 80 ed b0 80") << Status::Invalid << qint64(1);
    QTest::newRow("truncated surrogate ED A0 fails at A0")
        << hex("ed a0") << Status::Invalid << qint64(1);
    QTest::newRow("surrogate after a long ASCII run")
        << QByteArray(longAscii + hex("ed bf bf")) << Status::Invalid << qint64(38);

    // RFC 3629 §3: nothing above U+10FFFF; F5–FF never appear (Kuhn §2.3, §3.5).
    QTest::newRow("U+110000 (F4 90 80 80)") << hex("f4 90 80 80") << Status::Invalid << qint64(1);
    QTest::newRow("truncated F4 90 fails at 90") << hex("f4 90") << Status::Invalid << qint64(1);
    QTest::newRow("F5, would start U+140000") << hex("f5 80 80 80") << Status::Invalid << qint64(0);
    QTest::newRow("F7 BF BF BF, old U+1FFFFF")
        << hex("f7 bf bf bf") << Status::Invalid << qint64(0);
    QTest::newRow("five-byte form F8 88 80 80 80")
        << hex("f8 88 80 80 80") << Status::Invalid << qint64(0);
    QTest::newRow("six-byte form FC 84 80 80 80 80")
        << hex("fc 84 80 80 80 80") << Status::Invalid << qint64(0);
    QTest::newRow("byte FE") << hex("fe") << Status::Invalid << qint64(0);
    QTest::newRow("byte FF after ASCII") << hex("61 62 ff") << Status::Invalid << qint64(2);

    // A sequence cut short by something else fails at the intruder (Kuhn §3.2, §3.3).
    QTest::newRow("two-byte start then ASCII") << hex("c2 41") << Status::Invalid << qint64(1);
    QTest::newRow("three-byte start, one continuation, then ASCII")
        << hex("e1 80 41") << Status::Invalid << qint64(2);
    QTest::newRow("four-byte start, two continuations, then a new start")
        << hex("f1 80 80 e1 80 80") << Status::Invalid << qint64(3);
    QTest::newRow("three-byte start then space") << hex("e1 20") << Status::Invalid << qint64(1);

    // Truncated at the end: valid so far, waiting for more (RFC 6455 §8.1 fragments).
    QTest::newRow("two-byte start at the end") << hex("c2") << Status::Incomplete << qint64(-1);
    QTest::newRow("E0 alone") << hex("e0") << Status::Incomplete << qint64(-1);
    QTest::newRow("E0 A0, one byte short") << hex("e0 a0") << Status::Incomplete << qint64(-1);
    QTest::newRow("ED 9F, one byte short") << hex("ed 9f") << Status::Incomplete << qint64(-1);
    QTest::newRow("F0 90 80, one byte short")
        << hex("f0 90 80") << Status::Incomplete << qint64(-1);
    QTest::newRow("F4 alone") << hex("f4") << Status::Incomplete << qint64(-1);
    QTest::newRow("F4 8F BF, one byte short")
        << hex("f4 8f bf") << Status::Incomplete << qint64(-1);
    QTest::newRow("Hangul cut after two bytes of the last syllable")
        << hangul.chopped(1) << Status::Incomplete << qint64(-1);
    QTest::newRow("long ASCII run then half an emoji")
        << QByteArray(longAscii + hex("f0 9f")) << Status::Incomplete << qint64(-1);
}

void TestUtf8Validator::wholeInput_data()
{
    addRows();
}

void TestUtf8Validator::wholeInput()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Status, status);
    QFETCH(qint64, invalidOffset);

    const Verdict v = validate({bytes});
    QCOMPARE(describe(v), describe({status, invalidOffset}));
    QCOMPARE(isValidUtf8(bytes), status == Status::Complete);
}

void TestUtf8Validator::everySplit_data()
{
    addRows();
}

void TestUtf8Validator::everySplit()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Status, status);
    QFETCH(qint64, invalidOffset);
    const QByteArray expected = describe({status, invalidOffset});
    const QByteArrayView all(bytes);

    // Any two cut points, empty pieces included: three pieces, fed one after another.
    for (qsizetype a = 0; a <= all.size(); ++a) {
        for (qsizetype b = a; b <= all.size(); ++b) {
            const Verdict v = validate({all.first(a), all.sliced(a, b - a), all.sliced(b)});
            if (describe(v) != expected) {
                QFAIL(qPrintable(
                    QStringLiteral("cuts at %1 and %2 gave %3, expected %4")
                        .arg(a)
                        .arg(b)
                        .arg(QString::fromLatin1(describe(v)), QString::fromLatin1(expected))));
            }
        }
    }

    // One byte at a time.
    QList<QByteArrayView> bytewise;
    for (qsizetype i = 0; i < all.size(); ++i)
        bytewise.append(all.sliced(i, 1));
    QCOMPARE(describe(validate(bytewise)), expected);
}

void TestUtf8Validator::invalidStaysUntilReset()
{
    Utf8Validator validator;
    QCOMPARE(validator.feed(hex("41 c0 af")), Status::Invalid);
    QCOMPARE(validator.invalidOffset(), std::uint64_t(1));
    // Valid bytes after the failure change nothing.
    QCOMPARE(validator.feed(QByteArrayLiteral("plain text")), Status::Invalid);
    QCOMPARE(validator.status(), Status::Invalid);
    QCOMPARE(validator.invalidOffset(), std::uint64_t(1));

    validator.reset();
    QCOMPARE(validator.status(), Status::Complete);
    QCOMPARE(validator.feed(hex("e0")), Status::Incomplete);
    QCOMPARE(validator.feed(hex("a0 80")), Status::Complete);
    QCOMPARE(validator.feed(hex("ff")), Status::Invalid);
    QCOMPARE(validator.invalidOffset(), std::uint64_t(3));

    // A reset in the middle of a sequence forgets it.
    validator.reset();
    QCOMPARE(validator.feed(hex("f0 90")), Status::Incomplete);
    validator.reset();
    QCOMPARE(validator.feed(hex("80")), Status::Invalid);
    QCOMPARE(validator.invalidOffset(), std::uint64_t(0));
}

void TestUtf8Validator::offsetCountsEveryFeed()
{
    // RFC 6455 §8.1: a text message may be validated fragment by fragment; the offset is
    // counted over the whole message, past long ASCII pieces and empty ones.
    Utf8Validator validator;
    const QByteArray ascii(1000, 'q');
    QCOMPARE(validator.feed(ascii), Status::Complete);
    QCOMPARE(validator.feed(QByteArray()), Status::Complete);
    QCOMPARE(validator.feed(QByteArray(ascii + hex("f4"))), Status::Incomplete);
    QCOMPARE(validator.feed(hex("8f bf")), Status::Incomplete);
    QCOMPARE(validator.feed(hex("bf ed")), Status::Incomplete);
    QCOMPARE(validator.feed(QByteArray(hex("a0") + ascii.left(20))), Status::Invalid);
    QCOMPARE(validator.invalidOffset(), std::uint64_t(2005));
}

void TestUtf8Validator::randomAgainstReference()
{
    const ReferenceValidator reference;
    QRandomGenerator random(20240611);

    // The reference itself, on rows whose answer is known without it.
    QCOMPARE(describe(reference.check(hex("ed a0 80"))), describe({Status::Invalid, 1}));
    QCOMPARE(describe(reference.check(hex("f4 8f bf"))), describe({Status::Incomplete, -1}));
    QCOMPARE(describe(reference.check(hex("f4 8f bf bf"))), describe({Status::Complete, -1}));

    constexpr int kRounds = 20000;
    int invalid = 0;
    int incomplete = 0;
    for (int round = 0; round < kRounds; ++round) {
        const QByteArray bytes = randomInput(random);
        const QByteArrayView all(bytes);
        const Verdict expected = reference.check(bytes);
        invalid += expected.status == Status::Invalid;
        incomplete += expected.status == Status::Incomplete;

        const Verdict whole = validate({all});
        if (describe(whole) != describe(expected)) {
            QFAIL(qPrintable(
                QStringLiteral("%1: got %2, reference %3")
                    .arg(QString::fromLatin1(toHex(bytes)), QString::fromLatin1(describe(whole)),
                        QString::fromLatin1(describe(expected)))));
        }

        // Random pieces give the same answer.
        QList<QByteArrayView> pieces;
        for (qsizetype at = 0; at < all.size();) {
            const qsizetype n = qMin(all.size() - at, qsizetype(random.bounded(0, 20)));
            pieces.append(all.sliced(at, n));
            at += n;
        }
        QCOMPARE(describe(validate(pieces)), describe(expected));

        // The status after every byte matches the reference on that prefix.
        if (round % 8 == 0) {
            Utf8Validator validator;
            for (qsizetype i = 0; i < all.size(); ++i) {
                validator.feed(all.sliced(i, 1));
                const Verdict prefix = reference.check(all.first(i + 1));
                QCOMPARE(validator.status(), prefix.status);
            }
        }
    }
    // The generator reaches every outcome often enough to mean something.
    QVERIFY2(invalid > kRounds / 5, QByteArray::number(invalid).constData());
    QVERIFY2(incomplete > kRounds / 10, QByteArray::number(incomplete).constData());
    QVERIFY2(kRounds - invalid - incomplete > kRounds / 5, "too few valid inputs");
}

QTEST_APPLESS_MAIN(TestUtf8Validator)
#include "tst_utf8validator.moc"
