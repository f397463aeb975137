// Tests of the stable names of event kinds and TCP states: they are written to saved
// files and exports, so each must stay exactly as it is and be unique.

#include "sessionevent.h"

#include <QtCore/QSet>
#include <QtTest/QtTest>

using namespace frameline;

Q_DECLARE_METATYPE(frameline::EventKind)
Q_DECLARE_METATYPE(frameline::TcpState)

class TestSessionEvent : public QObject
{
    Q_OBJECT

private slots:
    void eventKindNames_data();
    void eventKindNames();
    void eventKindNamesAreUnique();
    void unknownEventKindIsNamedAsSuch();
    void tcpStateNames_data();
    void tcpStateNames();
    void tcpStateNamesAreUnique();
    void directionFromSender();
};

void TestSessionEvent::eventKindNames_data()
{
    QTest::addColumn<EventKind>("kind");
    QTest::addColumn<QByteArray>("name");
    QTest::newRow("DNS answer") << EventKind::DnsResolved << QByteArray("dns-resolved");
    QTest::newRow("TCP connected") << EventKind::TcpConnected << QByteArray("tcp-connected");
    QTest::newRow("TLS established") << EventKind::TlsEstablished << QByteArray("tls-established");
    QTest::newRow("opening handshake request")
        << EventKind::HandshakeRequest << QByteArray("handshake-request");
    QTest::newRow("opening handshake response")
        << EventKind::HandshakeResponse << QByteArray("handshake-response");
    QTest::newRow("frame") << EventKind::Frame << QByteArray("frame");
    QTest::newRow("message") << EventKind::Message << QByteArray("message");
    QTest::newRow("close") << EventKind::Close << QByteArray("close");
    QTest::newRow("WebSocket state change")
        << EventKind::StateChanged << QByteArray("state-changed");
    QTest::newRow("TCP state") << EventKind::TcpState << QByteArray("tcp-state");
    QTest::newRow("protocol error") << EventKind::Error << QByteArray("error");
    QTest::newRow("user note") << EventKind::Note << QByteArray("note");
}

void TestSessionEvent::eventKindNames()
{
    QFETCH(EventKind, kind);
    QFETCH(QByteArray, name);
    QCOMPARE(eventKindName(kind), name);
}

void TestSessionEvent::eventKindNamesAreUnique()
{
    QSet<QByteArray> names;
    for (int kind = int(EventKind::DnsResolved); kind <= int(EventKind::Note); ++kind)
        names.insert(eventKindName(EventKind(kind)));
    QCOMPARE(names.size(), int(EventKind::Note) - int(EventKind::DnsResolved) + 1);
}

void TestSessionEvent::unknownEventKindIsNamedAsSuch()
{
    // A value from a damaged file is shown for what it is, not as a real kind.
    QCOMPARE(eventKindName(EventKind(0)), QByteArray("unknown-0"));
    QCOMPARE(eventKindName(EventKind(200)), QByteArray("unknown-200"));
}

void TestSessionEvent::tcpStateNames_data()
{
    // RFC 9293 §3.3.2 spells the states this way.
    QTest::addColumn<TcpState>("state");
    QTest::addColumn<QByteArray>("name");
    QTest::newRow("closed") << TcpState::Closed << QByteArray("CLOSED");
    QTest::newRow("listening") << TcpState::Listen << QByteArray("LISTEN");
    QTest::newRow("SYN sent") << TcpState::SynSent << QByteArray("SYN-SENT");
    QTest::newRow("SYN received") << TcpState::SynReceived << QByteArray("SYN-RECEIVED");
    QTest::newRow("established") << TcpState::Established << QByteArray("ESTABLISHED");
    QTest::newRow("first FIN wait") << TcpState::FinWait1 << QByteArray("FIN-WAIT-1");
    QTest::newRow("second FIN wait") << TcpState::FinWait2 << QByteArray("FIN-WAIT-2");
    QTest::newRow("close wait") << TcpState::CloseWait << QByteArray("CLOSE-WAIT");
    QTest::newRow("simultaneous close") << TcpState::Closing << QByteArray("CLOSING");
    QTest::newRow("last ACK") << TcpState::LastAck << QByteArray("LAST-ACK");
    QTest::newRow("time wait") << TcpState::TimeWait << QByteArray("TIME-WAIT");
}

void TestSessionEvent::tcpStateNames()
{
    QFETCH(TcpState, state);
    QFETCH(QByteArray, name);
    QCOMPARE(tcpStateName(state), name);
}

void TestSessionEvent::tcpStateNamesAreUnique()
{
    QSet<QByteArray> names;
    for (int state = int(TcpState::Closed); state <= int(TcpState::TimeWait); ++state)
        names.insert(tcpStateName(TcpState(state)));
    QCOMPARE(names.size(), int(TcpState::TimeWait) + 1);
}

void TestSessionEvent::directionFromSender()
{
    QCOMPARE(directionFrom(Role::Client), Direction::ClientToServer);
    QCOMPARE(directionFrom(Role::Server), Direction::ServerToClient);
}

QTEST_APPLESS_MAIN(TestSessionEvent)
#include "tst_sessionevent.moc"
