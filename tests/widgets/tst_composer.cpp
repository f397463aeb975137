// Composer: what a person types becomes exactly the request sent, and a mistake is
// explained instead of sent.

#include "composer.h"

#include <QtTest/QSignalSpy>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QSpinBox>
#include <QtTest/QtTest>

using namespace frameline;

Q_DECLARE_METATYPE(std::optional<quint16>)
Q_DECLARE_METATYPE(frameline::FrameSpec)

class TestComposer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qRegisterMetaType<std::optional<quint16>>();
        qRegisterMetaType<FrameSpec>();
    }
    void parseHex_data();
    void parseHex();
    void textAndFragments();
    void binaryNeedsHex();
    void pingLimit();
    void close_data();
    void close();
    void rawFrame();
    void disabledSendsNothing();
};

void TestComposer::parseHex_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("spaced pairs") << QStringLiteral("00 01 fe FF") << true << QByteArray::fromHex("0001feff");
    QTest::newRow("0x prefix, no spaces") << QStringLiteral("0x81ff") << true << QByteArray::fromHex("81ff");
    QTest::newRow("colon and dash separators") << QStringLiteral("de:ad-be:ef") << true << QByteArray::fromHex("deadbeef");
    QTest::newRow("empty is no bytes") << QString() << true << QByteArray();
    QTest::newRow("odd digit count") << QStringLiteral("abc") << false << QByteArray();
    QTest::newRow("not a hex digit") << QStringLiteral("0g") << false << QByteArray();
    QTest::newRow("non-ASCII") << QStringLiteral("한글") << false << QByteArray();
}

void TestComposer::parseHex()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QByteArray, bytes);
    const std::optional<QByteArray> parsed = Composer::parseHex(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, bytes);
}

void TestComposer::textAndFragments()
{
    Composer composer;
    QSignalSpy text(&composer, &Composer::textRequested);
    composer.setKind(Composer::Kind::Text);
    composer.setPayloadText(QStringLiteral("안녕, WebSocket"));
    QVERIFY(composer.send());
    QCOMPARE(text.count(), 1);
    QCOMPARE(text[0][0].toByteArray(), QStringLiteral("안녕, WebSocket").toUtf8());
    QCOMPARE(text[0][1].toInt(), 0);
    composer.setFragmentSize(4);
    QVERIFY(composer.send());
    QCOMPARE(text[1][1].toInt(), 4);
}

void TestComposer::binaryNeedsHex()
{
    Composer composer;
    QSignalSpy binary(&composer, &Composer::binaryRequested);
    composer.setKind(Composer::Kind::Binary);
    composer.setPayloadText(QStringLiteral("hello"));
    QVERIFY(!composer.send());
    QCOMPARE(binary.count(), 0);
    composer.setPayloadText(QStringLiteral("68 65 6c 6c 6f"));
    QVERIFY(composer.send());
    QCOMPARE(binary.count(), 1);
    QCOMPARE(binary[0][0].toByteArray(), QByteArray("hello"));
}

void TestComposer::pingLimit()
{
    Composer composer;
    QSignalSpy ping(&composer, &Composer::pingRequested);
    QSignalSpy pong(&composer, &Composer::pongRequested);
    composer.setKind(Composer::Kind::Ping);
    composer.setPayloadText(QString(125, u'p'));
    QVERIFY(composer.send());
    // RFC 6455 §5.5: 126 bytes is too many for a control frame.
    composer.setPayloadText(QString(126, u'p'));
    QVERIFY(!composer.send());
    QCOMPARE(ping.count(), 1);
    QCOMPARE(ping[0][0].toByteArray().size(), 125);
    composer.setKind(Composer::Kind::Pong);
    composer.setPayloadText(QStringLiteral("unsolicited"));
    QVERIFY(composer.send());
    QCOMPARE(pong.count(), 1);
}

void TestComposer::close_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("sent");
    QTest::addColumn<int>("sentCode"); // -1: no code
    QTest::newRow("1000 from the list") << QStringLiteral("1000") << QStringLiteral("bye") << true << 1000;
    QTest::newRow("an application code typed in") << QStringLiteral("4321") << QString() << true << 4321;
    QTest::newRow("1005 may not be sent") << QStringLiteral("1005") << QString() << false << 0;
    QTest::newRow("999 is not a code") << QStringLiteral("999") << QString() << false << 0;
    QTest::newRow("2999 is unassigned") << QStringLiteral("2999") << QString() << false << 0;
    QTest::newRow("not a number") << QStringLiteral("soon") << QString() << false << 0;
    QTest::newRow("reason of 123 bytes fits") << QStringLiteral("1000") << QString(123, u'r') << true << 1000;
    QTest::newRow("reason of 124 bytes does not") << QStringLiteral("1000") << QString(124, u'r') << false << 0;
    QTest::newRow("no code") << QStringLiteral("none") << QString() << true << -1;
    QTest::newRow("no code but a reason") << QStringLiteral("none") << QStringLiteral("why") << false << 0;
}

void TestComposer::close()
{
    QFETCH(QString, code);
    QFETCH(QString, reason);
    QFETCH(bool, sent);
    QFETCH(int, sentCode);
    Composer composer;
    QSignalSpy close(&composer, &Composer::closeRequested);
    composer.setKind(Composer::Kind::Close);
    if (code == QLatin1String("none"))
        composer.setCloseCode(-1); // the "(no code)" entry of the list
    else if (code == QLatin1String("1000"))
        composer.setCloseCode(1000); // picked from the list
    else
        composer.setCloseCodeText(code); // typed in
    composer.setCloseReason(reason);
    QCOMPARE(composer.send(), sent);
    QCOMPARE(close.count(), sent ? 1 : 0);
    if (!sent)
        return;
    const auto sentValue = close[0][0].value<std::optional<quint16>>();
    QCOMPARE(sentValue.has_value(), sentCode >= 0);
    if (sentCode >= 0)
        QCOMPARE(int(*sentValue), sentCode);
    QCOMPARE(close[0][1].toByteArray(), reason.toUtf8());
}

void TestComposer::rawFrame()
{
    Composer composer;
    QSignalSpy raw(&composer, &Composer::rawFrameRequested);
    composer.setKind(Composer::Kind::RawFrame);
    // A reserved opcode with RSV2 set and no mask: three rules broken on purpose.
    const auto spins = composer.findChildren<QSpinBox *>();
    for (QSpinBox *spin : spins) {
        if (spin->maximum() == 15)
            spin->setValue(3);
    }
    const auto boxes = composer.findChildren<QCheckBox *>();
    for (QCheckBox *box : boxes) {
        if (box->text() == QLatin1String("RSV2"))
            box->setChecked(true);
        if (box->text() == QLatin1String("MASK"))
            box->setChecked(false);
        if (box->text().contains(QLatin1String("hex")))
            box->setChecked(true);
    }
    composer.setPayloadText(QStringLiteral("ff 00"));
    QVERIFY(composer.send());
    QCOMPARE(raw.count(), 1);
    const auto spec = raw[0][0].value<FrameSpec>();
    QCOMPARE(spec.opcode, std::uint8_t(3));
    QVERIFY(spec.fin);
    QVERIFY(!spec.rsv1);
    QVERIFY(spec.rsv2);
    QVERIFY(!spec.maskKey.has_value());
    QVERIFY(!spec.lengthEncoding.has_value());
    QCOMPARE(raw[0][1].toByteArray(), QByteArray::fromHex("ff00"));
}

void TestComposer::disabledSendsNothing()
{
    Composer composer;
    QSignalSpy text(&composer, &Composer::textRequested);
    composer.setSendingEnabled(false);
    composer.setPayloadText(QStringLiteral("x"));
    QVERIFY(!composer.send());
    QCOMPARE(text.count(), 0);
}

QTEST_MAIN(TestComposer)
#include "tst_composer.moc"
