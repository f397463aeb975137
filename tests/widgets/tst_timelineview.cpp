// Tests of the TimelineView on the offscreen platform: it follows its SessionDocument
// (appends, resets, the current event both ways), selects by click and keyboard,
// follows a live session only while at the bottom, zooms around a fixed point, and
// paints arrows that really go from the sender's lane to the receiver's.

#include "sessionbuilder.h"
#include "sessiondocument.h"
#include "timelineview.h"

#include <QtGui/QPainter>
#include <QtTest/QtTest>
#include <QtWidgets/QScrollBar>

#include <memory>

using namespace frameline;
using frameline::test::SessionBuilder;

Q_DECLARE_METATYPE(frameline::Direction)
Q_DECLARE_METATYPE(frameline::TimelineMode)

namespace {

/// `count` text messages, alternating client and server; returns the session.
std::shared_ptr<Session> chat(int count)
{
    auto session = std::make_shared<Session>();
    SessionBuilder build(*session);
    for (int i = 0; i < count; ++i) {
        const Direction direction = i % 2 ? Direction::ServerToClient : Direction::ClientToServer;
        build.textMessage(direction, "message " + QByteArray::number(i));
    }
    return session;
}

/// Appends `count` more messages at the session's end, as a live connection does.
void talk(Session &session, int count)
{
    SessionBuilder build(session);
    for (int i = 0; i < count; ++i)
        build.textMessage(Direction::ServerToClient, "more");
}

struct Fixture
{
    explicit Fixture(std::shared_ptr<Session> session, QSize size = {720, 420})
    {
        document.setSession(std::move(session));
        view.setDocument(&document);
        view.resize(size);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
    }

    QScrollBar *bar() const { return view.verticalScrollBar(); }
    /// The viewport point on an item's arrow line, between the lanes.
    QPoint pointOn(std::uint32_t item) const
    {
        const QRect rect = view.itemRect(item);
        const TimelineGeometry &g = view.diagramGeometry();
        return QPoint((g.clientX + g.serverX) / 2, rect.center().y());
    }
    bool fullyShown(std::uint32_t item) const
    {
        const QRect rect = view.itemRect(item);
        return rect.top() >= view.diagramGeometry().headerHeight
            && rect.bottom() < view.viewport()->height();
    }

    SessionDocument document;
    TimelineView view;
};

bool near(QRgb pixel, const QColor &color, int tolerance = 40)
{
    return std::abs(qRed(pixel) - color.red()) + std::abs(qGreen(pixel) - color.green())
        + std::abs(qBlue(pixel) - color.blue()) <= tolerance;
}

/// Pixels of `color` in the rectangle.
int countNear(const QImage &image, const QRect &rect, const QColor &color)
{
    int count = 0;
    const QRect area = rect.intersected(image.rect());
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x)
            count += near(image.pixel(x, y), color) ? 1 : 0;
    }
    return count;
}

} // namespace

class TestTimelineView : public QObject
{
    Q_OBJECT

private slots:
    void followsTheDocumentsSession();
    void clickSelectsTheEvent();
    void currentEventIsScrolledIntoView();
    void keyboardMovesTheSelection();
    void followsLiveOnlyAtTheBottom();
    void modesAndZoom();
    void zoomKeepsThePointUnderThePointer();
    void arrowsGoFromSenderToReceiver_data();
    void arrowsGoFromSenderToReceiver();
    void lanesAreToldApart();
    void renderToImageCoversTheDiagram();
};

void TestTimelineView::followsTheDocumentsSession()
{
    Fixture f(chat(10));
    QCOMPARE(f.view.timelineLayout().itemCount(), 20u); // a frame and a message each
    QCOMPARE(f.view.timelineLayout().session(), f.document.session());

    // Appends arrive in one batch per event-loop turn.
    talk(*f.document.sharedSession(), 3);
    QCOMPARE(f.view.timelineLayout().itemCount(), 20u);
    f.document.flushAppends();
    QCOMPARE(f.view.timelineLayout().itemCount(), 26u);

    f.document.setCurrentEvent(4);
    QCOMPARE(f.view.selectedItem(), 4);
    f.document.setSession(chat(2));
    QCOMPARE(f.view.timelineLayout().itemCount(), 4u);
    QCOMPARE(f.view.selectedItem(), -1);
    QCOMPARE(f.bar()->value(), 0);

    // The view keeps the session it shows alive even if the document goes first.
    auto document = std::make_unique<SessionDocument>();
    document->setSession(chat(3));
    TimelineView orphan;
    orphan.setDocument(document.get());
    document.reset();
    orphan.resize(600, 300);
    QVERIFY(!orphan.grab().isNull());
    QCOMPARE(orphan.timelineLayout().itemCount(), 6u);
}

void TestTimelineView::clickSelectsTheEvent()
{
    Fixture f(chat(6));
    // Event 6 is the fourth frame (server to client); 7 is its Message event, folded in.
    QVERIFY(f.fullyShown(6));
    QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, f.pointOn(6));
    QCOMPARE(f.document.currentEvent(), 6);
    QCOMPARE(f.view.selectedItem(), 6);
    QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, f.pointOn(2));
    QCOMPARE(f.document.currentEvent(), 2);

    // The row's first and last pixel belong to it; the header and the empty space
    // below the last item select nothing.
    const QRect rect = f.view.itemRect(8);
    QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, QPoint(f.pointOn(8).x(), rect.top()));
    QCOMPARE(f.document.currentEvent(), 8);
    QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, QPoint(f.pointOn(8).x(), rect.bottom()));
    QCOMPARE(f.document.currentEvent(), 8);
    QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, QPoint(f.pointOn(8).x(), 3));
    QCOMPARE(f.document.currentEvent(), 8);
    const QRect last = f.view.itemRect(10);
    QVERIFY(last.bottom() + 10 < f.view.viewport()->height());
    QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, QPoint(f.pointOn(8).x(), last.bottom() + 8));
    QCOMPARE(f.document.currentEvent(), 8);
    QCOMPARE(f.view.eventAt(QPoint(f.pointOn(8).x(), last.bottom() + 8)), -1);
}

void TestTimelineView::currentEventIsScrolledIntoView()
{
    Fixture f(chat(500));
    QCOMPARE(f.bar()->value(), 0); // a session opened whole reads from its start
    QVERIFY(!f.fullyShown(801));

    f.document.setCurrentEvent(801); // a Message event: shown by its frame, 800
    QCOMPARE(f.view.selectedItem(), 800);
    QVERIFY(f.fullyShown(800));
    f.document.setCurrentEvent(12);
    QVERIFY(f.fullyShown(12));
    QVERIFY(!f.fullyShown(800));

    // A selection already in view does not move the view.
    const int before = f.bar()->value();
    f.document.setCurrentEvent(14);
    QVERIFY(f.fullyShown(14));
    QCOMPARE(f.bar()->value(), before);
}

void TestTimelineView::keyboardMovesTheSelection()
{
    Fixture f(chat(300));
    f.bar()->setValue(0);
    f.view.setFocus();
    // Nothing selected: Down takes the first item in view.
    QTest::keyClick(&f.view, Qt::Key_Down);
    QCOMPARE(f.document.currentEvent(), 0);
    // Message events are folded into their frames: the keys step from frame to frame.
    QTest::keyClick(&f.view, Qt::Key_Down);
    QCOMPARE(f.document.currentEvent(), 2);
    QTest::keyClick(&f.view, Qt::Key_Down);
    QCOMPARE(f.document.currentEvent(), 4);
    QTest::keyClick(&f.view, Qt::Key_Up);
    QCOMPARE(f.document.currentEvent(), 2);
    QTest::keyClick(&f.view, Qt::Key_End);
    QCOMPARE(f.document.currentEvent(), 598);
    QVERIFY(f.fullyShown(598));
    QTest::keyClick(&f.view, Qt::Key_Down); // nothing below: stays
    QCOMPARE(f.document.currentEvent(), 598);
    QTest::keyClick(&f.view, Qt::Key_Home);
    QCOMPARE(f.document.currentEvent(), 0);
    QCOMPARE(f.bar()->value(), 0);
}

void TestTimelineView::followsLiveOnlyAtTheBottom()
{
    Fixture f(chat(100));
    Session &session = *f.document.sharedSession();
    QVERIFY(f.bar()->maximum() > 0);
    f.bar()->setValue(f.bar()->maximum());
    std::vector<qint64> tops;
    for (std::uint32_t i = 0; i < f.view.timelineLayout().itemCount(); ++i)
        tops.push_back(f.view.timelineLayout().item(i).y);

    talk(session, 20);
    f.document.flushAppends();
    QCOMPARE(f.bar()->value(), f.bar()->maximum());
    QVERIFY(f.fullyShown(session.eventCount() - 2)); // the newest frame
    for (std::uint32_t i = 0; i < tops.size(); ++i)
        QCOMPARE(f.view.timelineLayout().item(i).y, tops[i]); // nothing laid out again

    // Scrolled up to read something: new items do not pull the view away.
    f.bar()->setValue(100);
    talk(session, 20);
    f.document.flushAppends();
    QCOMPARE(f.bar()->value(), 100);
    // Back at the bottom, following resumes.
    f.bar()->setValue(f.bar()->maximum());
    talk(session, 5);
    f.document.flushAppends();
    QCOMPARE(f.bar()->value(), f.bar()->maximum());

    // Off: the view stays where it is even at the bottom.
    QSignalSpy followSpy(&f.view, &TimelineView::followLiveChanged);
    f.view.setFollowLive(false);
    QCOMPARE(followSpy.count(), 1);
    QVERIFY(!f.view.followLive());
    const int bottom = f.bar()->value();
    talk(session, 5);
    f.document.flushAppends();
    QCOMPARE(f.bar()->value(), bottom);
    QVERIFY(f.bar()->maximum() > bottom);
    f.view.setFollowLive(true); // turning it on jumps to the newest
    QCOMPARE(f.bar()->value(), f.bar()->maximum());
}

void TestTimelineView::modesAndZoom()
{
    Fixture f(chat(20));
    QCOMPARE(f.view.mode(), TimelineMode::Compact);
    QSignalSpy modeSpy(&f.view, &TimelineView::modeChanged);
    QSignalSpy zoomSpy(&f.view, &TimelineView::zoomChanged);
    const double scale = f.view.pixelsPerSecond();

    // Compact mode has no time scale: zooming in switches to time-proportional.
    f.view.zoomIn();
    QCOMPARE(f.view.mode(), TimelineMode::TimeProportional);
    QCOMPARE(modeSpy.count(), 1);
    QCOMPARE(f.view.pixelsPerSecond(), scale);
    f.view.zoomIn();
    QCOMPARE(f.view.pixelsPerSecond(), scale * TimelineView::kZoomStep);
    QCOMPARE(zoomSpy.count(), 1);
    QCOMPARE(zoomSpy.at(0).at(0).toDouble(), scale * TimelineView::kZoomStep);
    f.view.zoomOut();
    QCOMPARE(f.view.pixelsPerSecond(), scale);

    // Ctrl+wheel zooms; a plain wheel scrolls.
    const QPoint at = f.pointOn(4);
    QWheelEvent zoomWheel(at, f.view.viewport()->mapToGlobal(at), {}, QPoint(0, 120), Qt::NoButton,
                          Qt::ControlModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(f.view.viewport(), &zoomWheel);
    QCOMPARE(f.view.pixelsPerSecond(), scale * TimelineView::kZoomStep);
    f.view.resetZoom();
    QCOMPARE(f.view.pixelsPerSecond(), TimelineLayout::kDefaultPixelsPerSecond);
    f.view.setPixelsPerSecond(1e12);
    QCOMPARE(f.view.pixelsPerSecond(), TimelineView::kMaxPixelsPerSecond);

    f.view.setTimeProportional(false);
    QCOMPARE(f.view.mode(), TimelineMode::Compact);
    QCOMPARE(modeSpy.count(), 2);
    QCOMPARE(modeSpy.at(1).at(0).value<TimelineMode>(), TimelineMode::Compact);
}

void TestTimelineView::zoomKeepsThePointUnderThePointer()
{
    // Events a second apart: time-proportional spacing is set by the clock.
    auto session = std::make_shared<Session>();
    for (int i = 0; i < 40; ++i) {
        FrameHeader header;
        header.payloadLength = 2;
        session->appendFrame(std::int64_t(i) * 1'000'000'000, Direction::ClientToServer, header,
                             QByteArrayLiteral("\x81\x02hi"), std::uint64_t(i) * 4);
    }
    Fixture f(session);
    f.view.setMode(TimelineMode::TimeProportional);
    f.view.scrollToEvent(20);
    const int y = f.view.itemRect(20).center().y();
    QVERIFY(y > 0 && y < f.view.viewport()->height());
    for (int step = 0; step < 3; ++step) {
        const QPoint at(f.pointOn(20).x(), y);
        QWheelEvent wheel(at, f.view.viewport()->mapToGlobal(at), {}, QPoint(0, 120), Qt::NoButton,
                          Qt::ControlModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(f.view.viewport(), &wheel);
        QVERIFY2(std::abs(f.view.itemRect(20).center().y() - y) <= 2,
                 qPrintable(QString::number(f.view.itemRect(20).center().y())));
    }
    QVERIFY(f.view.itemRect(21).top() - f.view.itemRect(20).top() > 300);
}

void TestTimelineView::arrowsGoFromSenderToReceiver_data()
{
    QTest::addColumn<Direction>("direction");
    QTest::newRow("client to server") << Direction::ClientToServer;
    QTest::newRow("server to client") << Direction::ServerToClient;
}

void TestTimelineView::arrowsGoFromSenderToReceiver()
{
    QFETCH(Direction, direction);
    auto session = std::make_shared<Session>();
    SessionBuilder build(*session);
    const std::uint32_t frame = build.text(direction, "hi");
    build.text(direction == Direction::ClientToServer ? Direction::ServerToClient
                                                      : Direction::ClientToServer, "there");
    Fixture f(session);
    const QImage image = f.view.viewport()->grab().toImage();
    QVERIFY(!image.isNull());

    const TimelineGeometry &g = f.view.diagramGeometry();
    const QColor mine = f.view.colors().arrow(direction);
    const QColor other = f.view.colors().arrow(direction == Direction::ClientToServer
                                                   ? Direction::ServerToClient
                                                   : Direction::ClientToServer);
    QVERIFY(!near(mine.rgb(), other));
    const QRect row = f.view.itemRect(frame);
    // The arrow's colour runs the whole way between the lanes, in this row only.
    const QRect between(g.clientX + 20, row.top(), g.serverX - g.clientX - 40, row.height());
    QVERIFY(countNear(image, between, mine) > (g.serverX - g.clientX) / 2);
    QCOMPARE(countNear(image, between, other), 0);
    // The head is at the receiver: within 16 pixels of the receiver's lifeline the
    // colour spans several rows (a triangle), at the sender's only the line's one or two.
    auto tallColumns = [&](int from) {
        int columns = 0;
        for (int x = from; x < from + 16; ++x)
            columns += countNear(image, QRect(x, row.top(), 1, row.height()), mine) >= 4 ? 1 : 0;
        return columns;
    };
    const int atClient = tallColumns(g.clientX + 2);
    const int atServer = tallColumns(g.serverX - 18);
    const QByteArray counts = QStringLiteral("client %1, server %2").arg(atClient).arg(atServer).toLatin1();
    if (direction == Direction::ClientToServer)
        QVERIFY2(atServer >= 4 && atClient == 0, counts.constData());
    else
        QVERIFY2(atClient >= 4 && atServer == 0, counts.constData());
}

void TestTimelineView::lanesAreToldApart()
{
    auto session = chat(4);
    SessionInfo info;
    info.localRole = Role::Server;
    info.url = QStringLiteral("ws://0.0.0.0:9001/");
    session->setInfo(info);
    Fixture f(session);
    // The whole widget, frame and all; viewport coordinates are shifted by the frame.
    const QImage image = f.view.grab().toImage();
    const QPoint origin = f.view.viewport()->mapTo(&f.view, QPoint(0, 0));
    auto pixel = [&](int x, int y) { return image.pixel(origin.x() + x, origin.y() + y); };
    const TimelineGeometry &g = f.view.diagramGeometry();
    // Not a blank image: many colours (text, arrows, bands).
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY(colours.size() > 20);
    // The header marks the lane Frameline plays (here the server's): its box is filled
    // with the local-lane colour, the other one's is not. Sampled just inside each
    // box's top edge, above the title.
    const int y = 6;
    const QColor local = f.view.colors().localLane;
    QVERIFY(near(pixel(g.serverX - 3, y), local, 12));
    QVERIFY(!near(pixel(g.clientX - 3, y), local, 12));
    // The local lane's lifeline is the heavier one.
    const int row = f.view.itemRect(0).bottom() + 3;
    const QColor lifeline = f.view.colors().lifeline;
    auto width = [&](int x) {
        int w = 0;
        for (int dx = -3; dx <= 3; ++dx)
            w += near(pixel(x + dx, row), lifeline, 60) ? 1 : 0;
        return w;
    };
    QVERIFY2(width(g.serverX) > width(g.clientX),
             qPrintable(QStringLiteral("%1 vs %2").arg(width(g.serverX)).arg(width(g.clientX))));
}

void TestTimelineView::renderToImageCoversTheDiagram()
{
    Fixture f(chat(8));
    const TimelineLayout &layout = f.view.timelineLayout();
    const QImage image = f.view.renderToImage(0, -1, 640);
    const int expectedHeight = f.view.diagramGeometry().headerHeight + int(layout.totalHeight())
        + layout.metrics().rowHeight / 2;
    QCOMPARE(image.size(), QSize(640, expectedHeight));
    // Every frame's arrow is in the image, in its colour, at its row.
    const TimelineGeometry g = TimelineGeometry::compute(640, QFontMetrics(f.view.font()));
    for (std::uint32_t i = 0; i < layout.itemCount(); i += 2) {
        const Direction direction = f.document.session()->event(i).direction;
        const QRect row(g.clientX + 20, g.headerHeight + int(layout.item(i).y), g.serverX - g.clientX - 40,
                        layout.item(i).height);
        QVERIFY2(countNear(image, row, f.view.colors().arrow(direction)) > (g.serverX - g.clientX) / 2,
                 qPrintable(QString::number(i)));
    }
    // High-DPI: twice the pixels, the same picture.
    const QImage sharp = f.view.renderToImage(0, -1, 640, 2.0);
    QCOMPARE(sharp.size(), image.size() * 2);
    QCOMPARE(sharp.devicePixelRatio(), 2.0);
    // A range: only those rows, under the header.
    const QImage part = f.view.renderToImage(layout.item(4).y, layout.item(6).y, 640);
    QCOMPARE(part.height(), f.view.diagramGeometry().headerHeight + int(layout.item(6).y - layout.item(4).y));
}

QTEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
