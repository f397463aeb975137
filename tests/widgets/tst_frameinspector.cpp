// Tests of the FrameInspector, the field tree + hex view + payload pane of the current
// event: a clicked byte selects its field and marks the field's bytes, a selected field
// marks its bytes (also after moving to the next frame), the wire/unmasked switch, and
// the payload pane (text, pretty-printed JSON, hex, close codes; never markup).

#include "framedetailview.h"
#include "frameinspector.h"
#include "hexview.h"
#include "sessionbuilder.h"
#include "sessiondocument.h"
#include "testbytes.h"

#include <QtTest/QtTest>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>

#include <memory>

using namespace frameline;
using frameline::test::hex;
using frameline::test::SessionBuilder;

Q_DECLARE_METATYPE(frameline::PayloadText::Format)

namespace {

constexpr auto C2S = Direction::ClientToServer;
constexpr auto S2C = Direction::ServerToClient;

/// 0: C→S "Hello" (RFC 6455 §5.7 bytes), 1: S→C "Hi there" (unmasked),
/// 2: C→S "Hello, again" in a 16-bit length field.
std::shared_ptr<Session> threeFrames()
{
    auto session = std::make_shared<Session>();
    SessionBuilder b(*session);
    b.text(C2S, "Hello");
    b.text(S2C, "Hi there");
    FrameSpec wide;
    wide.lengthEncoding = LengthEncoding::Bits16;
    b.frame(C2S, wide, "Hello, again");
    return session;
}

} // namespace

class tst_FrameInspector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clickedByteSelectsAndMarksField_data();
    void clickedByteSelectsAndMarksField();
    void selectedFieldMarksBytesInNextFrame();
    void unmaskSwitch();
    void payloadPane_data();
    void payloadPane();
    void longPayloadIsCut();
    void noEvent();
};

void tst_FrameInspector::clickedByteSelectsAndMarksField_data()
{
    QTest::addColumn<qint64>("byte");
    QTest::addColumn<QString>("field");
    QTest::addColumn<qint64>("markStart");
    QTest::addColumn<qint64>("markLength");
    QTest::newRow("a byte of the masking key")
        << qint64(3) << u"masking key"_qs << qint64(2) << qint64(4);
    QTest::newRow("a payload byte") << qint64(9) << u"payload"_qs << qint64(6) << qint64(5);
    QTest::newRow("the first header byte") << qint64(0) << u"FIN"_qs << qint64(0) << qint64(1);
}

void tst_FrameInspector::clickedByteSelectsAndMarksField()
{
    QFETCH(qint64, byte);
    QFETCH(QString, field);
    QFETCH(qint64, markStart);
    QFETCH(qint64, markLength);

    SessionDocument document;
    document.setSession(threeFrames());
    FrameInspector inspector(&document);
    inspector.resize(1000, 700);
    inspector.show();
    QVERIFY(QTest::qWaitForWindowExposed(&inspector));
    document.setCurrentEvent(0);

    HexView *hexView = inspector.hexView();
    QCOMPARE(hexView->shownBytes(), hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
    const QRect cell = hexView->hexCellRect(byte);
    QVERIFY(hexView->viewport()->rect().contains(cell));
    QTest::mouseClick(hexView->viewport(), Qt::LeftButton, {}, cell.center());

    QCOMPARE(inspector.detailView()->currentIndex().data().toString(), field);
    QCOMPARE(hexView->markStart(), markStart);
    QCOMPARE(hexView->markLength(), markLength);
}

void tst_FrameInspector::selectedFieldMarksBytesInNextFrame()
{
    SessionDocument document;
    document.setSession(threeFrames());
    FrameInspector inspector(&document);
    document.setCurrentEvent(0);
    FrameDetailView *detail = inspector.detailView();
    const FieldTreeModel *model = detail->fieldModel();

    detail->setCurrentIndex(model->findByName(u"payload"_qs));
    QCOMPARE(inspector.hexView()->markStart(), 6);
    QCOMPARE(inspector.hexView()->markLength(), 5);

    // Frame 2 has a 16-bit length: its payload starts at byte 8. The mark must be made
    // on frame 2's bytes, not on frame 0's bytes before they are replaced.
    document.setCurrentEvent(2);
    QCOMPARE(inspector.hexView()->shownBytes().size(), 8 + 12);
    QCOMPARE(inspector.hexView()->markStart(), 8);
    QCOMPARE(inspector.hexView()->markLength(), 12);

    detail->setCurrentIndex(model->findByName(u"extended payload length"_qs));
    QCOMPARE(inspector.hexView()->markStart(), 2);
    QCOMPARE(inspector.hexView()->markLength(), 2);
}

void tst_FrameInspector::unmaskSwitch()
{
    SessionDocument document;
    document.setSession(threeFrames());
    FrameInspector inspector(&document);
    document.setCurrentEvent(0);
    QVERIFY(inspector.unmaskBox()->isEnabled());
    QVERIFY(!inspector.unmaskBox()->isChecked());

    inspector.unmaskBox()->setChecked(true);
    QVERIFY(inspector.hexView()->showUnmasked());
    QCOMPARE(inspector.hexView()->shownBytes(), hex("81 85 37 fa 21 3d") + "Hello");

    // The hex view's own switch (its context menu) moves the box too.
    inspector.hexView()->setShowUnmasked(false);
    QVERIFY(!inspector.unmaskBox()->isChecked());

    // A server frame has nothing to unmask.
    document.setCurrentEvent(1);
    QVERIFY(!inspector.unmaskBox()->isEnabled());
    QCOMPARE(inspector.hexView()->shownBytes(), hex("81 08") + "Hi there");
    QVERIFY(inspector.bytesLabel()->text().contains(u"10 bytes"_qs));
}

void tst_FrameInspector::payloadPane_data()
{
    QTest::addColumn<int>("opcode"); // -1: a two-frame JSON message, -2: a handshake
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<PayloadText::Format>("format");
    QTest::addColumn<QString>("shown");

    QTest::newRow("text") << int(Opcode::Text) << QByteArray("Hello") << PayloadText::Format::Text
                          << u"Hello"_qs;
    QTest::newRow("markup in text stays text")
        << int(Opcode::Text) << QByteArray("<b>not bold</b> &amp;") << PayloadText::Format::Text
        << u"<b>not bold</b> &amp;"_qs;
    QTest::newRow("JSON object, pretty-printed")
        << int(Opcode::Text) << QByteArray(R"({"a":1,"b":[true,null]})")
        << PayloadText::Format::Json
        << u"{\n    \"a\": 1,\n    \"b\": [\n        true,\n        null\n    ]\n}"_qs;
    QTest::newRow("JSON-looking text that does not parse")
        << int(Opcode::Text) << QByteArray(R"({"a":)") << PayloadText::Format::Text
        << u"{\"a\":"_qs;
    QTest::newRow("binary as hex") << int(Opcode::Binary) << hex("00 01 fe ff 41")
                                   << PayloadText::Format::Hex << u"0000  00 01 fe ff 41"_qs;
    QTest::newRow("binary that is valid UTF-8 is still hex")
        << int(Opcode::Binary) << QByteArray("abc") << PayloadText::Format::Hex
        << u"0000  61 62 63"_qs;
    QTest::newRow("18 binary bytes: two rows, a gap after eight")
        << int(Opcode::Binary) << QByteArray(18, 'A') << PayloadText::Format::Hex
        << u"0000  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41\n0010  41 41"_qs;
    QTest::newRow("ping with text") << int(Opcode::Ping) << QByteArray("are you there")
                                    << PayloadText::Format::Text << u"are you there"_qs;
    QTest::newRow("ping with bytes")
        << int(Opcode::Ping) << hex("00 07") << PayloadText::Format::Hex << u"0000  00 07"_qs;
    QTest::newRow("close with code and reason")
        << int(Opcode::Close) << hex("03 e8") + "bye" << PayloadText::Format::Text
        << u"Status code 1000 (Normal Closure)\nbye"_qs;
    QTest::newRow("text that is not UTF-8 is hex")
        << int(Opcode::Text) << hex("c3 28") << PayloadText::Format::Hex << u"0000  c3 28"_qs;
    QTest::newRow("JSON message of two frames")
        << -1 << QByteArray(R"([1,)") << PayloadText::Format::Json << u"[\n    1,\n    2\n]"_qs;
    QTest::newRow("handshake head as text")
        << -2 << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
        << PayloadText::Format::Text << u"HTTP/1.1 101 Switching Protocols\nUpgrade: websocket"_qs;
}

void tst_FrameInspector::payloadPane()
{
    QFETCH(int, opcode);
    QFETCH(QByteArray, payload);
    QFETCH(PayloadText::Format, format);
    QFETCH(QString, shown);

    auto session = std::make_shared<Session>();
    SessionBuilder b(*session);
    std::uint32_t event = 0;
    if (opcode == -1) {
        const std::uint32_t first = b.frame(S2C, Opcode::Text, payload, false);
        b.frame(S2C, Opcode::Continuation, "2]");
        event = b.message(S2C, Opcode::Text, std::uint64_t(payload.size() + 2), first, 2);
    } else if (opcode == -2) {
        event = b.event(EventKind::HandshakeResponse, S2C, HandshakeDetail {}, payload);
    } else {
        event = b.frame(S2C, Opcode(opcode), payload);
    }
    SessionDocument document;
    document.setSession(session);
    FrameInspector inspector(&document);
    document.setCurrentEvent(event);

    QCOMPARE(inspector.payloadFormat(), format);
    QCOMPARE(inspector.payloadView()->toPlainText(), shown);
    QCOMPARE(inspector.payloadView()->document()->toPlainText(), shown);
    const QString label = inspector.payloadLabel()->text();
    QVERIFY2(label.contains(format == PayloadText::Format::Json ? u"JSON"_qs
                     : format == PayloadText::Format::Hex       ? u"hex"_qs
                                                                : u"text"_qs),
        qPrintable(label));
}

void tst_FrameInspector::longPayloadIsCut()
{
    const QByteArray text = QByteArray(100, 'a') + "é" + QByteArray(100, 'b');
    PayloadText cut = PayloadText::from(text, PayloadText::Kind::Text, 101); // inside "é"
    QCOMPARE(cut.format, PayloadText::Format::Text);
    QVERIFY(cut.text.startsWith(QString(100, u'a') + u"\n\n"_qs));
    QVERIFY(cut.text.endsWith(u"102 more bytes not shown]"_qs));

    const QByteArray bytes(40, '\x01');
    PayloadText hexCut = PayloadText::from(bytes, PayloadText::Kind::Binary, 0, 32);
    QCOMPARE(hexCut.format, PayloadText::Format::Hex);
    QCOMPARE(hexCut.text.count(u'\n'), 1 + 2); // two rows, a blank line, the note
    QVERIFY(hexCut.text.endsWith(u"8 more bytes not shown]"_qs));

    // A cut payload is never parsed as JSON (it would not parse anyway).
    const QByteArray json = "[" + QByteArray(50, '1') + "]";
    QCOMPARE(
        PayloadText::from(json, PayloadText::Kind::Text, 20).format, PayloadText::Format::Text);
    QCOMPARE(PayloadText::from(json, PayloadText::Kind::Text).format, PayloadText::Format::Json);
}

void tst_FrameInspector::noEvent()
{
    SessionDocument document;
    document.setSession(threeFrames());
    FrameInspector inspector(&document);
    QVERIFY(inspector.hexView()->shownBytes().isEmpty());
    QVERIFY(inspector.payloadView()->toPlainText().isEmpty());
    QCOMPARE(inspector.payloadFormat(), PayloadText::Format::Empty);

    document.setCurrentEvent(1);
    QVERIFY(!inspector.hexView()->shownBytes().isEmpty());
    document.setSession(nullptr);
    QVERIFY(inspector.hexView()->shownBytes().isEmpty());
    QVERIFY(inspector.payloadView()->toPlainText().isEmpty());
    QCOMPARE(inspector.detailView()->fieldModel()->rowCount(), 0);
}

QTEST_MAIN(tst_FrameInspector)
#include "tst_frameinspector.moc"
