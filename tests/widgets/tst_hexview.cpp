// Tests of the HexView: markField() ranges (clipped, cleared), byteClicked() for clicks
// on the hex and the ASCII column (and none for clicks beside the bytes), the mapping
// after scrolling, the wire/unmasked switch, copying, and that the marked range is
// painted in the palette's highlight colour.

#include "hexview.h"
#include "testbytes.h"

#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>
#include <QtTest/QtTest>
#include <QtWidgets/QScrollBar>

using namespace frameline;
using frameline::test::hex;

namespace {

// RFC 6455 §5.7: a masked "Hello" from the client, and the same with its payload unmasked.
const QByteArray kWire = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
const QByteArray kUnmasked = hex("81 85 37 fa 21 3d") + "Hello";

QByteArray counting(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        bytes[i] = char(i & 0xFF);
    return bytes;
}

} // namespace

class tst_HexView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void markField_data();
    void markField();
    void clickingBytes_data();
    void clickingBytes();
    void clicksBesideBytes();
    void markScrollsIntoViewAndClicksFollow();
    void unmaskedSwitch();
    void copyAsHex();
    void paintsMarkWithHighlight();
};

void tst_HexView::markField_data()
{
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("length");
    QTest::addColumn<qint64>("markStart");
    QTest::addColumn<qint64>("markLength");
    QTest::newRow("masking key") << qint64(2) << qint64(4) << qint64(2) << qint64(4);
    QTest::newRow("payload") << qint64(6) << qint64(5) << qint64(6) << qint64(5);
    QTest::newRow("past the end is clipped") << qint64(6) << qint64(1000) << qint64(6) << qint64(5);
    QTest::newRow("starting past the end clears")
        << qint64(11) << qint64(1) << qint64(-1) << qint64(0);
    QTest::newRow("negative start clears") << qint64(-1) << qint64(4) << qint64(-1) << qint64(0);
    QTest::newRow("zero length clears") << qint64(3) << qint64(0) << qint64(-1) << qint64(0);
}

void tst_HexView::markField()
{
    QFETCH(qint64, start);
    QFETCH(qint64, length);
    QFETCH(qint64, markStart);
    QFETCH(qint64, markLength);

    HexView view;
    view.setBytes(kWire);
    view.markField(0, 1); // something to replace or clear
    view.markField(start, length);
    QCOMPARE(view.markStart(), markStart);
    QCOMPARE(view.markLength(), markLength);

    // New bytes drop the old mark.
    view.setBytes(kUnmasked);
    QCOMPARE(view.markStart(), -1);
    QCOMPARE(view.markLength(), 0);
}

void tst_HexView::clickingBytes_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<qint64>("offset");
    QTest::newRow("first byte") << 40 << qint64(0);
    QTest::newRow("last of the first half") << 40 << qint64(7);
    QTest::newRow("first of the second half") << 40 << qint64(8);
    QTest::newRow("end of a row") << 40 << qint64(15);
    QTest::newRow("second row") << 40 << qint64(16);
    QTest::newRow("last byte, short row") << 40 << qint64(39);
}

void tst_HexView::clickingBytes()
{
    QFETCH(int, size);
    QFETCH(qint64, offset);

    HexView view;
    view.resize(view.sizeHint().width() + 20, 300);
    view.setBytes(counting(size));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy clicked(&view, &HexView::byteClicked);

    const QRect hexCell = view.hexCellRect(offset);
    QVERIFY(view.viewport()->rect().contains(hexCell));
    QCOMPARE(view.offsetAt(hexCell.center()), offset);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, hexCell.center());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked[0][0].toLongLong(), offset);

    const QRect asciiCell = view.asciiCellRect(offset);
    QVERIFY(asciiCell.left() > hexCell.right());
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, asciiCell.center());
    QCOMPARE(clicked.count(), 2);
    QCOMPARE(clicked[1][0].toLongLong(), offset);

    // The cells of neighbouring bytes are different places.
    if (offset + 1 < size)
        QCOMPARE(view.offsetAt(view.hexCellRect(offset + 1).center()), offset + 1);
}

void tst_HexView::clicksBesideBytes()
{
    HexView view;
    view.resize(view.sizeHint().width() + 20, 300);
    view.setBytes(counting(20)); // one full row, one row of 4
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy clicked(&view, &HexView::byteClicked);

    const int y = view.hexCellRect(0).center().y();
    const QPoint offsetColumn(
        view.hexCellRect(0).left() - 3 * view.fontMetrics().horizontalAdvance(u'0'), y);
    // The extra space between the two halves of a row belongs to no byte.
    const QPoint middleGap(
        view.hexCellRect(8).left() - view.fontMetrics().horizontalAdvance(u'0') / 2, y);
    const QPoint pastLastByte(
        view.hexCellRect(19).right() + 3 * view.fontMetrics().horizontalAdvance(u'0'),
        view.hexCellRect(19).center().y());
    const QPoint belowLastRow(view.hexCellRect(0).center().x(), view.hexCellRect(19).bottom() + 40);
    for (const QPoint &point : {offsetColumn, middleGap, pastLastByte, belowLastRow}) {
        QCOMPARE(view.offsetAt(point), -1);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, point);
    }
    QCOMPARE(clicked.count(), 0);
    // No bytes at all: no cells.
    view.clear();
    QVERIFY(view.hexCellRect(0).isNull());
    QCOMPARE(view.offsetAt(QPoint(50, 5)), -1);
}

void tst_HexView::markScrollsIntoViewAndClicksFollow()
{
    HexView view;
    view.resize(view.sizeHint().width() + 20, 10 * view.fontMetrics().height());
    view.setBytes(counting(4096)); // 256 rows
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.verticalScrollBar()->value(), 0);

    view.markField(3000, 4); // row 187
    const int first = view.verticalScrollBar()->value();
    QVERIFY2(first > 150 && first <= 187, qPrintable(QString::number(first)));
    const QRect cell = view.hexCellRect(3000);
    QVERIFY(view.viewport()->rect().contains(cell));

    QSignalSpy clicked(&view, &HexView::byteClicked);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked[0][0].toLongLong(), 3000);

    // A mark already in view does not scroll.
    view.markField(3001, 1);
    QCOMPARE(view.verticalScrollBar()->value(), first);
}

void tst_HexView::unmaskedSwitch()
{
    HexView view;
    QSignalSpy toggled(&view, &HexView::showUnmaskedChanged);
    view.setBytes(kWire, kUnmasked);
    QVERIFY(view.canUnmask());
    QCOMPARE(view.shownBytes(), kWire);

    view.setShowUnmasked(true);
    QCOMPARE(toggled.count(), 1);
    QCOMPARE(view.shownBytes(), kUnmasked);
    view.markField(6, 5);
    QCOMPARE(view.shownBytes().mid(view.markStart(), view.markLength()), QByteArray("Hello"));

    // Unmasked bytes of another size are not an alternative of these bytes.
    view.setBytes(kWire, QByteArray("Hello"));
    QVERIFY(!view.canUnmask());
    QCOMPARE(view.shownBytes(), kWire);

    // Bytes without a masked payload: the wire bytes, whatever the switch says.
    view.setBytes(hex("81 05") + "Hello");
    QVERIFY(!view.canUnmask());
    QVERIFY(view.showUnmasked());
    QCOMPARE(view.shownBytes(), hex("81 05") + "Hello");

    view.setShowUnmasked(false);
    QCOMPARE(toggled.count(), 2);
    view.setShowUnmasked(false);
    QCOMPARE(toggled.count(), 2);
}

void tst_HexView::copyAsHex()
{
    HexView view;
    view.setBytes(kWire, kUnmasked);
    view.copyAsHex();
    QCOMPARE(QGuiApplication::clipboard()->text(), u"81 85 37 fa 21 3d 7f 9f 4d 51 58"_qs);
    view.markField(2, 4);
    view.copyAsHex();
    QCOMPARE(QGuiApplication::clipboard()->text(), u"37 fa 21 3d"_qs);
    view.setShowUnmasked(true);
    view.markField(6, 5);
    view.copyAsHex();
    QCOMPARE(QGuiApplication::clipboard()->text(), u"48 65 6c 6c 6f"_qs);
}

void tst_HexView::paintsMarkWithHighlight()
{
    HexView view;
    QPalette palette = view.palette();
    palette.setColor(QPalette::Highlight, QColor(10, 200, 30));
    palette.setColor(QPalette::Base, QColor(250, 250, 250));
    view.setPalette(palette);
    view.resize(view.sizeHint().width() + 20, 200);
    view.setBytes(kWire);
    view.markField(2, 4);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    const QImage image = view.viewport()->grab().toImage();
    const qreal ratio = image.devicePixelRatio();
    const auto colourAt = [&](QPoint point) {
        return image.pixelColor((QPointF(point) * ratio).toPoint());
    };
    // The space between two marked bytes is filled (the field reads as one block) and
    // holds no glyph; the space between two unmarked bytes shows the base colour.
    const auto gapAfter = [&](qint64 offset) {
        const QRect cell = view.hexCellRect(offset);
        return QPoint(
            (cell.right() + view.hexCellRect(offset + 1).left()) / 2 + 1, cell.center().y());
    };
    QCOMPARE(colourAt(gapAfter(3)), QColor(10, 200, 30));
    QCOMPARE(colourAt(gapAfter(7)), QColor(250, 250, 250));
    QCOMPARE(colourAt(gapAfter(0)), QColor(250, 250, 250));

    view.markField(-1, 0);
    const QImage cleared = view.viewport()->grab().toImage();
    QCOMPARE(cleared.pixelColor((QPointF(gapAfter(3)) * ratio).toPoint()), QColor(250, 250, 250));
}

QTEST_MAIN(tst_HexView)
#include "tst_hexview.moc"
