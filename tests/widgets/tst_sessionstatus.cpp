// SessionStatus and SessionDocument: totals folded in batch by batch match a count
// from scratch, and the strip says what the session says.

#include "frameencoder.h"
#include "sessiondocument.h"
#include "sessionstatus.h"
#include "testbytes.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QtTest>
#include <QtWidgets/QLabel>

using namespace frameline;
using frameline::test::hex;

namespace {

void appendFrame(Session &session, Direction direction, const QByteArray &wire)
{
    FrameHeader header;
    QCOMPARE(parseFrameHeader(wire, header).status, DecodeStatus::Complete);
    session.appendFrame(std::int64_t(session.eventCount()) * 1000, direction, header, wire, 0);
}

QStringList labelTexts(const QWidget &widget)
{
    QStringList texts;
    const auto labels = widget.findChildren<QLabel *>();
    for (const QLabel *label : labels) {
        if (!label->isHidden())
            texts << label->text();
    }
    return texts;
}

} // namespace

class TestSessionStatus : public QObject
{
    Q_OBJECT

private slots:
    void documentBatchesAppends();
    void currentEventStaysInRange();
    void summaryCountsEachWay();
    void statusFollowsTheDocument();
};

void TestSessionStatus::documentBatchesAppends()
{
    auto session = std::make_shared<Session>();
    SessionDocument document;
    document.setSession(session);
    QSignalSpy appended(&document, &SessionDocument::eventsAppended);
    for (int i = 0; i < 50; ++i)
        appendFrame(*session, Direction::ServerToClient, hex("81 02 68 69"));
    // Nothing until the event loop turns; then one batch for all fifty.
    QCOMPARE(appended.count(), 0);
    QCOMPARE(document.eventCount(), 0u);
    QVERIFY(appended.wait(1000));
    QCOMPARE(appended.count(), 1);
    QCOMPARE(appended[0][0].toUInt(), 0u);
    QCOMPARE(appended[0][1].toUInt(), 49u);
    QCOMPARE(document.eventCount(), 50u);
    appendFrame(*session, Direction::ServerToClient, hex("81 00"));
    document.flushAppends();
    QCOMPARE(appended.count(), 2);
    QCOMPARE(appended[1][0].toUInt(), 50u);
    // A different session: views reset, the old one no longer reports to the document.
    QSignalSpy reset(&document, &SessionDocument::sessionReset);
    document.setSession(std::make_shared<Session>());
    QCOMPARE(reset.count(), 1);
    appendFrame(*session, Direction::ServerToClient, hex("81 00"));
    QCoreApplication::processEvents();
    QCOMPARE(appended.count(), 2);
    QCOMPARE(document.eventCount(), 0u);
}

void TestSessionStatus::currentEventStaysInRange()
{
    auto session = std::make_shared<Session>();
    appendFrame(*session, Direction::ServerToClient, hex("81 00"));
    appendFrame(*session, Direction::ServerToClient, hex("81 00"));
    SessionDocument document;
    document.setSession(session);
    QSignalSpy changed(&document, &SessionDocument::currentEventChanged);
    document.setCurrentEvent(1);
    QCOMPARE(document.currentEvent(), 1);
    document.setCurrentEvent(1); // no change, no signal
    document.setCurrentEvent(7); // out of range: nothing selected
    QCOMPARE(document.currentEvent(), -1);
    QCOMPARE(changed.count(), 2);
}

void TestSessionStatus::summaryCountsEachWay()
{
    Session session;
    SessionInfo info;
    info.localRole = Role::Client;
    session.setInfo(info);
    session.appendEvent(0, EventKind::TlsEstablished, Direction::None, TlsDetail {QStringLiteral("TLSv1.3")});
    HandshakeDetail response;
    response.accepted = true;
    response.subprotocol = "chat";
    session.appendEvent(1, EventKind::HandshakeResponse, Direction::ServerToClient, response);
    session.appendEvent(2, EventKind::StateChanged, Direction::None,
                        StateDetail {WebSocketState::Connecting, WebSocketState::Open});
    appendFrame(session, Direction::ClientToServer, hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")); // 11 bytes
    appendFrame(session, Direction::ServerToClient, hex("81 05 48 65 6c 6c 6f"));             // 7 bytes
    appendFrame(session, Direction::ServerToClient, hex("89 00"));                            // 2 bytes
    session.appendEvent(9, EventKind::TcpState, Direction::None,
                        TcpStateDetail {Role::Server, TcpState::CloseWait, Observation::Inferred, {}});
    session.appendEvent(10, EventKind::TcpState, Direction::None,
                        TcpStateDetail {Role::Client, TcpState::FinWait2, Observation::Observed, {}});

    SessionSummary whole;
    whole.add(session, 0, session.eventCount() - 1);
    QCOMPARE(whole.framesSent, 1u);
    QCOMPARE(whole.bytesSent, 11u);
    QCOMPARE(whole.framesReceived, 2u);
    QCOMPARE(whole.bytesReceived, 9u);
    QCOMPARE(whole.subprotocol, QByteArray("chat"));
    QCOMPARE(whole.tlsProtocol, QStringLiteral("TLSv1.3"));
    QVERIFY(whole.stateKnown);
    QCOMPARE(whole.state, WebSocketState::Open);
    // Only this side's TCP state is ours to show.
    QCOMPARE(whole.localTcpState, std::optional<TcpState>(TcpState::FinWait2));

    // Folding one event at a time gives the same totals.
    SessionSummary stepwise;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i)
        stepwise.add(session, i, i);
    QCOMPARE(stepwise.framesSent, whole.framesSent);
    QCOMPARE(stepwise.bytesReceived, whole.bytesReceived);
    QCOMPARE(stepwise.localTcpState, whole.localTcpState);
}

void TestSessionStatus::statusFollowsTheDocument()
{
    auto session = std::make_shared<Session>();
    SessionDocument document;
    SessionStatus status;
    status.setDocument(&document);
    QVERIFY(labelTexts(status).contains(QStringLiteral("No connection")));
    document.setSession(session);
    session->appendEvent(0, EventKind::StateChanged, Direction::None,
                         StateDetail {WebSocketState::Connecting, WebSocketState::Open});
    appendFrame(*session, Direction::ServerToClient, hex("81 05 48 65 6c 6c 6f"));
    document.flushAppends();
    const QStringList texts = labelTexts(status);
    QVERIFY2(texts.contains(QStringLiteral("WebSocket: OPEN")), qPrintable(texts.join(u'|')));
    QCOMPARE(status.summary().framesReceived, 1u);
    QVERIFY(texts.join(u'|').contains(QStringLiteral("↓ 1 frames")));
}

QTEST_MAIN(TestSessionStatus)
#include "tst_sessionstatus.moc"
