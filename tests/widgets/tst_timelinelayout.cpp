// Tests of the TimelineLayout, the sequence diagram's geometry without painting: a
// session recorded from a real client/server exchange (our WebSocketProtocol on both
// ends, the client's side recorded by a SessionRecorder with an injected clock) must
// come out with every item on the right lane, in order, in the right phase; message
// groups must span exactly their frames; both modes must stack items without overlap;
// appends must extend the layout without moving what was laid out; range lookups must
// find exactly the items in a range, also at 10^5 frames.

#include "sessionrecorder.h"
#include "timelinelayout.h"
#include "timelinetext.h"

#include <QtTest/QtTest>

#include <cstring>
#include <memory>

using namespace frameline;

Q_DECLARE_METATYPE(frameline::Role)
Q_DECLARE_METATYPE(frameline::TimelineMode)

namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;

/// A client and a server WebSocketProtocol wired to each other; the client's side is
/// recorded, as the app records the side it plays.
class Conversation
{
public:
    Conversation()
        : session(std::make_shared<Session>())
        , recorder(*session, Role::Client, [this] { return now; })
        , client(options(Role::Client), &recorder)
        , server(options(Role::Server))
    {
        SessionInfo info;
        info.url = QStringLiteral("wss://server.example.com:8443/chat");
        info.localRole = Role::Client;
        session->setInfo(info);
    }

    void advance(std::int64_t ns) { now += ns; }

    /// Delivers what each side queued until both are quiet, 100 µs per hop.
    void pump()
    {
        for (;;) {
            const QByteArray toServer = client.takeOutgoing();
            const QByteArray toClient = server.takeOutgoing();
            if (toServer.isEmpty() && toClient.isEmpty())
                return;
            advance(100'000);
            server.receiveData(toServer);
            client.receiveData(toClient);
        }
    }

    void serverSends(std::uint8_t opcode, QByteArrayView payload, bool fin = true)
    {
        FrameSpec spec;
        spec.opcode = opcode;
        spec.fin = fin;
        server.sendRawFrame(spec, payload);
        pump();
        advance(2 * kMs);
    }

    void tcpState(Role side, TcpState state, Observation observation)
    {
        advance(kMs);
        recorder.record(EventKind::TcpState, Direction::None, TcpStateDetail {side, state, observation, {}});
    }

    /// Everything a wss:// session shows, up to the start of the closing handshake:
    /// TCP, TLS, the Upgrade, a text each way, a 3-frame message from the server with
    /// a ping between its frames (answered by our pong), a 3-frame message of ours.
    void openAndTalk()
    {
        recorder.record(EventKind::TcpConnected, Direction::None,
                        TcpDetail {QStringLiteral("127.0.0.1"), 54321, QStringLiteral("127.0.0.1"), 8443});
        advance(3 * kMs);
        TlsDetail tls;
        tls.protocol = QStringLiteral("TLSv1.3");
        tls.cipher = QStringLiteral("TLS_AES_256_GCM_SHA384");
        recorder.record(EventKind::TlsEstablished, Direction::None, tls);
        advance(kMs);
        client.startHandshake();
        pump();
        advance(kSecond);
        client.sendText("Hello");
        pump();
        server.sendText("Hello back");
        pump();
        advance(kSecond);
        serverSends(std::uint8_t(Opcode::Text), "Hel", false);
        serverSends(std::uint8_t(Opcode::Ping), "are you there?");
        serverSends(std::uint8_t(Opcode::Continuation), "lo, ", false);
        serverSends(std::uint8_t(Opcode::Continuation), "world");
        advance(kSecond);
        client.sendFragmented(Opcode::Binary, "0123456789", 4);
        pump();
        advance(kSecond);
    }

    /// A closing handshake started by `initiator`, then the TCP teardown: the server
    /// closes TCP first (RFC 6455 §7.1.1), so its states are inferred from ours.
    void close(Role initiator)
    {
        if (initiator == Role::Client)
            client.sendClose(CloseCode::Normal, "bye");
        else
            server.sendClose(CloseCode::GoingAway, "restarting");
        pump();
        tcpState(Role::Server, TcpState::FinWait1, Observation::Inferred);
        tcpState(Role::Client, TcpState::CloseWait, Observation::Observed);
        advance(kMs);
        client.receiveEof();
        tcpState(Role::Server, TcpState::FinWait2, Observation::Inferred);
        tcpState(Role::Client, TcpState::LastAck, Observation::Observed);
        tcpState(Role::Server, TcpState::TimeWait, Observation::Inferred);
        tcpState(Role::Client, TcpState::Closed, Observation::PassedUnobserved);
    }

    std::shared_ptr<Session> session;
    std::int64_t now = 0;
    SessionRecorder recorder;
    WebSocketProtocol client;
    WebSocketProtocol server;

private:
    static ProtocolOptions options(Role role)
    {
        ProtocolOptions o;
        o.role = role;
        o.client.host = "server.example.com";
        o.client.resourceName = "/chat";
        o.maskKeys = [] { return MaskKey {0x37, 0xfa, 0x21, 0x3d}; };
        o.randomBytes = [](std::uint8_t *out, std::size_t size) {
            std::memset(out, 0x42, size);
        };
        return o;
    }
};

std::shared_ptr<Session> conversation(Role closer = Role::Client)
{
    Conversation c;
    c.openAndTalk();
    c.close(closer);
    return c.session;
}

TimelineLayout layoutOf(const Session &session, TimelineMode mode = TimelineMode::Compact)
{
    TimelineLayout layout;
    layout.setMode(mode);
    layout.reset(&session, session.eventCount());
    return layout;
}

std::uint8_t opcodeOf(const Session &session, std::uint32_t i)
{
    return session.event(i).frameByte0 & 0x0F;
}

/// One line per event: kind, placement and the flags that matter, for a readable diff.
QString describe(const Session &session, const TimelineLayout &layout, std::uint32_t i)
{
    static const char *const placements[] = {"hidden", "C->S", "S->C", "client", "server", "both"};
    const TimelineItem &item = layout.item(i);
    QString line = QString::fromLatin1(eventKindName(session.event(i).kind));
    if (session.event(i).kind == EventKind::Frame)
        line += u' ' + QString::fromLatin1(opcodeName(opcodeOf(session, i)));
    line += u' ' + QString::fromLatin1(placements[int(item.placement)]);
    if (item.has(TimelineItem::Grouped))
        line += QStringLiteral(" grouped");
    if (item.has(TimelineItem::CloseInitiator))
        line += QStringLiteral(" initiator");
    if (item.has(TimelineItem::CloseReply))
        line += QStringLiteral(" reply");
    if (item.has(TimelineItem::Failure))
        line += QStringLiteral(" failure");
    if (item.has(TimelineItem::Uncertain))
        line += QStringLiteral(" uncertain");
    return line;
}

QStringList describeAll(const Session &session, const TimelineLayout &layout)
{
    QStringList lines;
    for (std::uint32_t i = 0; i < layout.itemCount(); ++i)
        lines << describe(session, layout, i);
    return lines;
}

std::uint32_t findEvent(const Session &session, EventKind kind, int nth = 0,
                        std::uint8_t opcode = 0xFF)
{
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind != kind)
            continue;
        if (opcode != 0xFF && opcodeOf(session, i) != opcode)
            continue;
        if (nth-- == 0)
            return i;
    }
    return TimelineItem::kNoLink;
}

/// The brute-force answer to itemsIn(): every visible item that meets [top, bottom).
std::vector<std::uint32_t> itemsMeeting(const TimelineLayout &layout, qint64 top, qint64 bottom)
{
    std::vector<std::uint32_t> found;
    for (std::uint32_t i = 0; i < layout.itemCount(); ++i) {
        const TimelineItem &item = layout.item(i);
        if (item.height > 0 && item.y < bottom && item.bottom() > top)
            found.push_back(i);
    }
    return found;
}

std::vector<std::uint32_t> visibleIn(const TimelineLayout &layout, qint64 top, qint64 bottom)
{
    std::vector<std::uint32_t> found;
    const auto [first, end] = layout.itemsIn(top, bottom);
    for (std::uint32_t i = first; i < end; ++i) {
        if (layout.item(i).height > 0)
            found.push_back(i);
    }
    return found;
}

} // namespace

class TestTimelineLayout : public QObject
{
    Q_OBJECT

private slots:
    void itemsInOrderOnTheirLanes();
    void phasesFollowTheConnection();
    void messageGroupSpansExactlyItsFrames();
    void whoClosedFirst_data();
    void whoClosedFirst();
    void refusedHandshakeIsAFailure();
    void labelsSayWhatTheWireSaid();
    void itemsNeverOverlap_data();
    void itemsNeverOverlap();
    void timeProportionalFollowsTheClock();
    void appendsExtendWithoutMovingEarlierItems_data();
    void appendsExtendWithoutMovingEarlierItems();
    void rangeLookupIsExact_data();
    void rangeLookupIsExact();
    void groupLookupIsExact();
    void hundredThousandFrames();
};

void TestTimelineLayout::itemsInOrderOnTheirLanes()
{
    const auto session = conversation(Role::Client);
    const TimelineLayout layout = layoutOf(*session);
    QCOMPARE(layout.itemCount(), session->eventCount());
    const QStringList expected = {
        QStringLiteral("tcp-connected C->S"), // drawn as SYN, SYN-ACK, ACK
        QStringLiteral("tls-established both"),
        QStringLiteral("handshake-request C->S"),
        QStringLiteral("handshake-response S->C"),
        QStringLiteral("state-changed both"), // "WebSocket connection open"
        QStringLiteral("frame text C->S"),
        QStringLiteral("message hidden"), // the message sent, folded into its frame
        QStringLiteral("frame text S->C"),
        QStringLiteral("message hidden"), // folded into its frame
        QStringLiteral("frame text S->C grouped"),
        QStringLiteral("frame ping S->C"),
        QStringLiteral("frame pong C->S"), // our automatic answer, between the fragments
        QStringLiteral("frame continuation S->C grouped"),
        QStringLiteral("frame continuation S->C grouped"),
        QStringLiteral("message hidden"),
        QStringLiteral("frame binary C->S grouped"),
        QStringLiteral("frame continuation C->S grouped"),
        QStringLiteral("frame continuation C->S grouped"),
        QStringLiteral("message hidden"),
        QStringLiteral("frame close C->S initiator"),
        QStringLiteral("close hidden"), // folded into its Close frame
        QStringLiteral("state-changed client"), // OPEN → CLOSING on our lane
        QStringLiteral("frame close S->C reply"),
        QStringLiteral("close hidden"),
        QStringLiteral("tcp-state server uncertain"), // FIN-WAIT-1, inferred
        QStringLiteral("tcp-state client"),           // CLOSE-WAIT, observed
        QStringLiteral("state-changed both"),         // "WebSocket connection closed"
        QStringLiteral("tcp-state server uncertain"), // FIN-WAIT-2
        QStringLiteral("tcp-state client"),           // LAST-ACK
        QStringLiteral("tcp-state server uncertain"), // TIME-WAIT
        QStringLiteral("tcp-state client uncertain"), // CLOSED, passed unobserved
    };
    QCOMPARE(describeAll(*session, layout), expected);

    // Every shown item below the one before; hidden items take no room.
    for (std::uint32_t i = 1; i < layout.itemCount(); ++i)
        QVERIFY(layout.item(i).y >= layout.item(i - 1).bottom());
    for (std::uint32_t i = 0; i < layout.itemCount(); ++i)
        QCOMPARE(layout.item(i).height == 0, layout.item(i).placement == TimelinePlacement::Hidden);

    // The connect step is three rows, the handshake heads two, a frame one.
    const int row = layout.metrics().rowHeight;
    const int title = layout.metrics().titleHeight;
    QCOMPARE(int(layout.item(0).height), 3 * row + title);
    QCOMPARE(int(layout.item(3).height), 2 * row);
    QCOMPARE(int(layout.item(7).height), row);

    // A hidden event is shown by the item it is folded into.
    QCOMPARE(layout.shownItemFor(8), 7);
    QCOMPARE(layout.shownItemFor(20), 19);
    QCOMPARE(layout.shownItemFor(23), 22);
    QCOMPARE(layout.shownItemFor(5), 5);
    QCOMPARE(layout.shownItemFor(-1), -1);
    QCOMPARE(layout.shownItemFor(layout.itemCount()), -1);
}

void TestTimelineLayout::phasesFollowTheConnection()
{
    const auto session = conversation(Role::Client);
    const TimelineLayout layout = layoutOf(*session);
    const std::vector<TimelinePhaseBand> &phases = layout.phases();
    QCOMPARE(phases.size(), std::size_t(5));
    // Setup from the TCP connect, the opening handshake from the GET, data transfer
    // from OPEN, the closing handshake from the first Close frame, TCP teardown from
    // the first teardown state.
    const std::uint32_t starts[] = {0, findEvent(*session, EventKind::HandshakeRequest),
                                    findEvent(*session, EventKind::StateChanged),
                                    findEvent(*session, EventKind::Frame, 0, std::uint8_t(Opcode::Close)),
                                    findEvent(*session, EventKind::TcpState)};
    const TimelinePhase order[] = {TimelinePhase::Setup, TimelinePhase::OpeningHandshake,
                                   TimelinePhase::DataTransfer, TimelinePhase::ClosingHandshake,
                                   TimelinePhase::TcpTeardown};
    for (std::size_t b = 0; b < phases.size(); ++b) {
        QCOMPARE(phases[b].phase, order[b]);
        QCOMPARE(phases[b].firstItem, starts[b]);
    }
    QCOMPARE(starts[1], 2u);
    QCOMPARE(starts[2], 4u);
    QCOMPARE(starts[3], 19u);
    QCOMPARE(starts[4], 24u);

    // The title sits on exactly the items that start a phase; bands tile the diagram.
    for (std::uint32_t i = 0; i < layout.itemCount(); ++i) {
        const bool starts_ = std::find(std::begin(starts), std::end(starts), i) != std::end(starts);
        QCOMPARE(layout.item(i).has(TimelineItem::PhaseStart), starts_);
        QCOMPARE(layout.contentTop(i), layout.item(i).y + (starts_ ? layout.metrics().titleHeight : 0));
    }
    QCOMPARE(layout.phaseOf(1), TimelinePhase::Setup);
    QCOMPARE(layout.phaseOf(12), TimelinePhase::DataTransfer);
    QCOMPARE(layout.phaseOf(19), TimelinePhase::ClosingHandshake);
    QCOMPARE(layout.phaseOf(28), TimelinePhase::TcpTeardown);
    QCOMPARE(layout.phaseExtent(0).first, 0);
    for (std::size_t b = 1; b < phases.size(); ++b)
        QCOMPARE(layout.phaseExtent(b).first, layout.phaseExtent(b - 1).second);
    QCOMPARE(layout.phaseExtent(phases.size() - 1).second, layout.totalHeight());
}

void TestTimelineLayout::messageGroupSpansExactlyItsFrames()
{
    const auto session = conversation(Role::Client);
    const TimelineLayout layout = layoutOf(*session);
    QCOMPARE(layout.groupCount(), 2u);

    // The server's message: text + 2 continuations, with its ping and our pong inside
    // the span but not members (RFC 6455 §5.4).
    const std::uint32_t message = findEvent(*session, EventKind::Message, 2);
    const auto &detail = std::get<MessageDetail>(session->detail(message));
    QCOMPARE(detail.frameCount, 3u);
    const TimelineGroup &received = layout.group(0);
    QCOMPARE(received.direction, Direction::ServerToClient);
    QCOMPARE(received.firstItem, detail.firstFrameEvent);
    QCOMPARE(received.firstItem, 9u);
    QCOMPARE(received.lastItem, 13u);
    QCOMPARE(received.frameCount, 3u);
    QCOMPARE(received.messageEvent, message);
    QCOMPARE(received.size, std::uint64_t(strlen("Hello, world")));
    QVERIFY(received.complete);
    std::vector<std::uint32_t> members;
    for (std::uint32_t i = received.firstItem; i <= received.lastItem; ++i) {
        if (layout.item(i).has(TimelineItem::Grouped) && layout.item(i).link == 0)
            members.push_back(i);
    }
    QCOMPARE(members, (std::vector<std::uint32_t> {9, 12, 13}));
    QCOMPARE(layout.groupFor(message), 0);
    QCOMPARE(layout.groupFor(10), -1); // the ping
    QCOMPARE(layout.groupFor(11), -1); // the pong
    QCOMPARE(layout.shownItemFor(message), 9);

    // Our own message: its FIN bits make the group, and its Message event (recorded
    // once the last frame went) belongs to it.
    const TimelineGroup &sent = layout.group(1);
    QCOMPARE(sent.direction, Direction::ClientToServer);
    QCOMPARE(sent.firstItem, 15u);
    QCOMPARE(sent.lastItem, 17u);
    QCOMPARE(sent.frameCount, 3u);
    QCOMPARE(sent.messageEvent, findEvent(*session, EventKind::Message, 3));
    QCOMPARE(sent.size, 10u);
    QVERIFY(sent.complete);

    // A message in one frame is no group: its Message event folds into the frame.
    const std::uint32_t single = findEvent(*session, EventKind::Message, 1);
    QCOMPARE(layout.shownItemFor(single), 7);
    QCOMPARE(layout.groupFor(single), -1);
    QVERIFY(!layout.item(8).has(TimelineItem::Grouped));
}

void TestTimelineLayout::whoClosedFirst_data()
{
    QTest::addColumn<Role>("closer");
    QTest::newRow("client closes first") << Role::Client;
    QTest::newRow("server closes first") << Role::Server;
}

void TestTimelineLayout::whoClosedFirst()
{
    QFETCH(Role, closer);
    const auto session = conversation(closer);
    const TimelineLayout layout = layoutOf(*session);
    const auto close = std::uint8_t(Opcode::Close);
    const std::uint32_t first = findEvent(*session, EventKind::Frame, 0, close);
    const std::uint32_t second = findEvent(*session, EventKind::Frame, 1, close);
    QVERIFY(second < session->eventCount());
    QCOMPARE(session->event(first).direction, directionFrom(closer));
    QVERIFY(layout.item(first).has(TimelineItem::CloseInitiator));
    QVERIFY(!layout.item(first).has(TimelineItem::CloseReply));
    QVERIFY(layout.item(second).has(TimelineItem::CloseReply));
    QVERIFY(!layout.item(second).has(TimelineItem::CloseInitiator));
    QCOMPARE(layout.phases()[3].firstItem, first);

    // Each Close event is folded into its own frame, in its direction.
    for (int nth = 0; nth < 2; ++nth) {
        const std::uint32_t event = findEvent(*session, EventKind::Close, nth);
        const qint64 shown = layout.shownItemFor(event);
        QVERIFY(shown == first || shown == second);
        QCOMPARE(session->event(std::uint32_t(shown)).direction, session->event(event).direction);
    }
    const QString initiator = TimelineText::label(*session, layout, first).lines[0];
    QVERIFY2(initiator.contains(closer == Role::Client ? QStringLiteral("1000 Normal Closure \"bye\"")
                                                       : QStringLiteral("1001 Going Away \"restarting\"")),
             qPrintable(initiator));
    QVERIFY(initiator.endsWith(QStringLiteral(" — closes first")));
    QVERIFY(TimelineText::label(*session, layout, second).lines[0].endsWith(QStringLiteral(" — answers")));
}

void TestTimelineLayout::refusedHandshakeIsAFailure()
{
    Conversation c;
    c.client.startHandshake();
    c.client.takeOutgoing();
    c.advance(kMs);
    c.client.receiveData("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    const Session &session = *c.session;
    const TimelineLayout layout = layoutOf(session);
    const QStringList expected = {
        QStringLiteral("handshake-request C->S"),
        QStringLiteral("handshake-response S->C failure"),
        QStringLiteral("error S->C failure"), // the server broke the handshake rules
        QStringLiteral("state-changed both"), // CONNECTING → CLOSED
    };
    QCOMPARE(describeAll(session, layout), expected);
    QCOMPARE(layout.phases().size(), std::size_t(2));
    QCOMPARE(layout.phases()[0].phase, TimelinePhase::OpeningHandshake);
    QCOMPARE(layout.phases()[1].phase, TimelinePhase::TcpTeardown);
    const TimelineText::Label response = TimelineText::label(session, layout, 1);
    QVERIFY(response.failure);
    QCOMPARE(response.lines[0], QStringLiteral("HTTP/1.1 403 Forbidden"));
    QVERIFY2(response.lines[1].startsWith(QStringLiteral("✕ refused")), qPrintable(response.lines[1]));
    const TimelineText::Label error = TimelineText::label(session, layout, 2);
    QCOMPARE(error.count, 2);
    QVERIFY2(error.lines[0].contains(QStringLiteral("1002")), qPrintable(error.lines[0]));
}

void TestTimelineLayout::labelsSayWhatTheWireSaid()
{
    const auto session = conversation(Role::Client);
    const TimelineLayout layout = layoutOf(*session);
    auto line = [&](std::uint32_t item, int n = 0) {
        return TimelineText::label(*session, layout, item).lines[n];
    };
    QCOMPARE(line(0), QStringLiteral("TCP SYN  127.0.0.1:54321 → 127.0.0.1:8443"));
    QCOMPARE(TimelineText::label(*session, layout, 0).count, 3);
    QCOMPARE(line(1), QStringLiteral("TLS handshake · TLSv1.3 · TLS_AES_256_GCM_SHA384"));
    QCOMPARE(line(2), QStringLiteral("GET /chat HTTP/1.1"));
    QVERIFY(line(2, 1).startsWith(QStringLiteral("Upgrade: websocket · Sec-WebSocket-Key: ")));
    QCOMPARE(line(3), QStringLiteral("HTTP/1.1 101 Switching Protocols"));
    // The client checked the Accept against its key: the answer shows it passed.
    QVERIFY(line(3, 1).startsWith(QStringLiteral("Sec-WebSocket-Accept: ")));
    QVERIFY(line(3, 1).contains(QStringLiteral("= ✓ · Upgrade: websocket")));
    QVERIFY(line(4).startsWith(QStringLiteral("WebSocket connection open")));
    // Client frames are masked (RFC 6455 §5.1), the server's are not.
    QCOMPARE(line(5), QStringLiteral("TEXT FIN len=5 masked \"Hello\""));
    QCOMPARE(line(7), QStringLiteral("TEXT FIN len=10 \"Hello back\""));
    QCOMPARE(line(9), QStringLiteral("TEXT FIN=0 len=3 \"Hel\""));
    QCOMPARE(line(10), QStringLiteral("PING FIN len=14 \"are you there?\""));
    QCOMPARE(line(13), QStringLiteral("CONTINUATION FIN len=5 \"world\""));
    QCOMPARE(line(21), QStringLiteral("OPEN → CLOSING"));
    QCOMPARE(line(24), QStringLiteral("FIN-WAIT-1 (inferred)"));
    QCOMPARE(line(25), QStringLiteral("CLOSE-WAIT"));
    QCOMPARE(line(30), QStringLiteral("CLOSED (passed, not observed)"));
    // Plural forms come from the translation; without one "%n frame(s)" stays as is.
    const QString group = TimelineText::groupTitle(*session, layout.group(0), true);
    QVERIFY2(group.startsWith(QStringLiteral("text message in 3 frame")) && group.endsWith(QStringLiteral(", 12 bytes")),
             qPrintable(group));
    QVERIFY(TimelineText::groupTitle(*session, layout.group(1)).startsWith(QStringLiteral("binary message: 3 frame")));
    QCOMPARE(TimelineText::laneSubtitle(*session, Role::Client), QStringLiteral("this app"));
    QCOMPARE(TimelineText::laneSubtitle(*session, Role::Server), QStringLiteral("127.0.0.1:8443"));
}

void TestTimelineLayout::itemsNeverOverlap_data()
{
    QTest::addColumn<TimelineMode>("mode");
    QTest::newRow("compact") << TimelineMode::Compact;
    QTest::newRow("time-proportional") << TimelineMode::TimeProportional;
}

void TestTimelineLayout::itemsNeverOverlap()
{
    QFETCH(TimelineMode, mode);
    const auto session = conversation(Role::Server);
    const TimelineLayout layout = layoutOf(*session, mode);
    QCOMPARE(layout.item(0).y, 0);
    for (std::uint32_t i = 1; i < layout.itemCount(); ++i) {
        const qint64 gap = layout.item(i).y - layout.item(i - 1).bottom();
        QVERIFY2(gap >= 0, qPrintable(QStringLiteral("item %1 overlaps the one before").arg(i)));
        // Compact: nothing but the rows themselves.
        if (mode == TimelineMode::Compact)
            QCOMPARE(gap, 0);
    }
    QCOMPARE(layout.totalHeight(), layout.item(layout.itemCount() - 1).bottom());
}

void TestTimelineLayout::timeProportionalFollowsTheClock()
{
    const auto session = conversation(Role::Client);
    TimelineLayout layout = layoutOf(*session, TimelineMode::TimeProportional);
    const double scale = layout.pixelsPerSecond();
    // Between "Hello back" (6) and the next frame a second passed: the gap shows it.
    const qint64 secondGap = layout.item(9).y - layout.item(7).y;
    const double seconds = double(session->event(9).timeNs - session->event(7).timeNs) / 1e9;
    QVERIFY(seconds > 1.0);
    QVERIFY2(std::abs(double(secondGap) - seconds * scale) <= 2.0 + layout.item(7).height,
             qPrintable(QString::number(secondGap)));
    // Events a fraction of a millisecond apart are still a whole row apart.
    QCOMPARE(layout.item(3).y - layout.item(2).y, qint64(layout.item(2).height));

    // Zooming in stretches time-driven gaps and leaves row-bound ones alone.
    const qint64 rowGap = layout.item(3).y - layout.item(2).y;
    layout.setPixelsPerSecond(scale * 2);
    const qint64 zoomedGap = layout.item(9).y - layout.item(7).y;
    QVERIFY2(std::abs(double(zoomedGap) - seconds * scale * 2) <= 2.0 + layout.item(7).height,
             qPrintable(QString::number(zoomedGap)));
    QCOMPARE(layout.item(3).y - layout.item(2).y, rowGap);
    for (std::uint32_t i = 1; i < layout.itemCount(); ++i)
        QVERIFY(layout.item(i).y >= layout.item(i - 1).bottom());

    // The ruler's mapping: monotonic, and a whole second after an event lands a
    // second's worth of pixels below it when nothing happened in between.
    double previous = -1;
    for (std::int64_t t = 0; t < session->event(layout.itemCount() - 1).timeNs; t += 50 * kMs) {
        const double y = layout.yForTime(t);
        QVERIFY(y >= previous);
        previous = y;
    }
    // Half a second after the Message event folded under "Hello back" (8), nothing
    // else happened: half a second of pixels below it.
    const std::int64_t t7 = session->event(8).timeNs;
    QVERIFY(std::abs(layout.yForTime(t7 + kSecond / 2) - (double(layout.item(8).y) + 0.5 * scale * 2)) < 1.0);
    QCOMPARE(layout.yForTime(-1), 0.0);
    QCOMPARE(layout.yForTime(t7), double(layout.item(8).y));
}

void TestTimelineLayout::appendsExtendWithoutMovingEarlierItems_data()
{
    QTest::addColumn<TimelineMode>("mode");
    QTest::newRow("compact") << TimelineMode::Compact;
    QTest::newRow("time-proportional") << TimelineMode::TimeProportional;
}

void TestTimelineLayout::appendsExtendWithoutMovingEarlierItems()
{
    QFETCH(TimelineMode, mode);
    // The session grows while the layout follows it, one event at a time (the
    // document announces batches of any size).
    Conversation c;
    TimelineLayout live;
    live.setMode(mode);
    live.reset(c.session.get(), 0);
    std::vector<TimelineItem> seen;
    auto follow = [&] {
        live.append(c.session->eventCount());
        QCOMPARE(live.itemCount(), c.session->eventCount());
        for (std::uint32_t i = 0; i < seen.size(); ++i) {
            QCOMPARE(live.item(i).y, seen[i].y);
            QCOMPARE(live.item(i).height, seen[i].height);
            QCOMPARE(live.item(i).placement, seen[i].placement);
        }
        seen.assign(&live.item(0), &live.item(0) + live.itemCount());
    };
    c.session->setAppendObserver([&](std::uint32_t) { follow(); });
    c.openAndTalk();
    c.close(Role::Client);
    c.session->setAppendObserver({});

    // Built in steps or at once, the result is the same.
    const TimelineLayout whole = layoutOf(*c.session, mode);
    QCOMPARE(describeAll(*c.session, live), describeAll(*c.session, whole));
    for (std::uint32_t i = 0; i < whole.itemCount(); ++i) {
        QCOMPARE(live.item(i).y, whole.item(i).y);
        QCOMPARE(live.item(i).link, whole.item(i).link);
    }
    QCOMPARE(live.groupCount(), whole.groupCount());
    QCOMPARE(live.phases().size(), whole.phases().size());
}

void TestTimelineLayout::rangeLookupIsExact_data()
{
    QTest::addColumn<TimelineMode>("mode");
    QTest::newRow("compact") << TimelineMode::Compact;
    QTest::newRow("time-proportional") << TimelineMode::TimeProportional;
}

void TestTimelineLayout::rangeLookupIsExact()
{
    QFETCH(TimelineMode, mode);
    const auto session = conversation(Role::Client);
    const TimelineLayout layout = layoutOf(*session, mode);
    const qint64 total = layout.totalHeight();
    // Windows of several heights at every offset, including ones that start or end
    // exactly on item edges and ones past either end.
    for (qint64 height : {1, 7, 30, 100, 333}) {
        for (qint64 top = -height; top <= total + 10; top += 3) {
            QCOMPARE(visibleIn(layout, top, top + height), itemsMeeting(layout, top, top + height));
        }
    }
    for (std::uint32_t i = 0; i < layout.itemCount(); ++i) {
        const TimelineItem &item = layout.item(i);
        if (item.height == 0)
            continue;
        QCOMPARE(visibleIn(layout, item.y, item.bottom()), std::vector<std::uint32_t> {i});
        QCOMPARE(layout.itemAt(item.y), qint64(i));
        QCOMPARE(layout.itemAt(item.bottom() - 1), qint64(i));
    }
    QCOMPARE(layout.itemAt(-1), -1);
    QCOMPARE(layout.itemAt(total), -1);
}

void TestTimelineLayout::groupLookupIsExact()
{
    const auto session = conversation(Role::Client);
    const TimelineLayout layout = layoutOf(*session);
    for (qint64 top = -50; top < layout.totalHeight() + 50; top += 5) {
        std::vector<std::uint32_t> expected;
        for (std::uint32_t g = 0; g < layout.groupCount(); ++g) {
            const TimelineGroup &group = layout.group(g);
            if (layout.item(group.firstItem).y < top + 40 && layout.item(group.lastItem).bottom() > top)
                expected.push_back(g);
        }
        QCOMPARE(layout.groupsIn(top, top + 40), expected);
    }
}

void TestTimelineLayout::hundredThousandFrames()
{
    // Correctness at size, not speed: a text each way, and every tenth message of ours
    // sent in three frames.
    Session session;
    constexpr int kFrames = 100'000;
    std::uint64_t offset = 0;
    FrameHeader header;
    header.payloadLength = 4;
    const QByteArray wire = QByteArrayLiteral("\x81\x04ping");
    for (int i = 0; i < kFrames; ++i) {
        const Direction direction = i % 2 ? Direction::ServerToClient : Direction::ClientToServer;
        // Even frames are ours: every 30th opens a text message that the next but one
        // (a continuation) ends; the server's frame between them is a whole message.
        const int phase = i % 30;
        header.opcode = std::uint8_t(phase == 2 ? Opcode::Continuation : Opcode::Text);
        header.fin = phase != 0;
        session.appendFrame(std::int64_t(i) * 1000, direction, header, wire, offset);
        offset += 6;
    }
    TimelineLayout layout;
    layout.reset(&session, session.eventCount());
    QCOMPARE(layout.itemCount(), std::uint32_t(kFrames));
    // Every 30 frames: frame 0 (ours, FIN=0) and frame 2 (ours, continuation) form a
    // message across the server's frame 1.
    QCOMPARE(layout.groupCount(), std::uint32_t((kFrames + 29) / 30));
    const TimelineGroup &g = layout.group(7);
    QCOMPARE(g.firstItem, 210u);
    QCOMPARE(g.lastItem, 212u);
    QCOMPARE(g.frameCount, 2u);
    QCOMPARE(layout.totalHeight(), qint64(kFrames) * layout.metrics().rowHeight
                                       + layout.metrics().titleHeight);
    for (std::uint32_t i = 1; i < layout.itemCount(); ++i)
        QCOMPARE(layout.item(i).y, layout.item(i - 1).bottom());
    // Lookups deep inside.
    for (qint64 top : {qint64(0), qint64(1234567), layout.totalHeight() - 500}) {
        const auto [first, end] = layout.itemsIn(top, top + 500);
        QVERIFY(first < end);
        QVERIFY(layout.item(first).bottom() > top);
        QVERIFY(first == 0 || layout.item(first - 1).bottom() <= top);
        QVERIFY(layout.item(end - 1).y < top + 500);
        QVERIFY(end == layout.itemCount() || layout.item(end).y >= top + 500);
        for (std::uint32_t gid : layout.groupsIn(top, top + 500))
            QVERIFY(layout.item(layout.group(gid).lastItem).bottom() > top);
    }
    layout.setMode(TimelineMode::TimeProportional);
    for (std::uint32_t i = 1; i < layout.itemCount(); ++i)
        QVERIFY(layout.item(i).y >= layout.item(i - 1).bottom());
}

QTEST_GUILESS_MAIN(TestTimelineLayout)
#include "tst_timelinelayout.moc"
