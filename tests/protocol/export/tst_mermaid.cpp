// The Mermaid sequence diagram: its structure (participants, one arrow per frame the
// right way, control frames dashed, fragmented messages boxed, the teardown on the
// lanes), a line grammar every line must follow whatever the payloads hold, and the
// frame limit.

#include "connection.h"
#include "mermaid.h"
#include "server.h"
#include "sessionbuilder.h"

#include <QtCore/QRegularExpression>
#include <QtTest/QtTest>

using namespace frameline;
using frameline::test::SessionBuilder;

namespace {

constexpr Direction kToServer = Direction::ClientToServer;
constexpr Direction kToClient = Direction::ServerToClient;

QStringList linesOf(const Session &session, const MermaidOptions &options = {})
{
    return QString::fromUtf8(mermaidSequenceDiagram(session, options))
        .split(u'\n', Qt::SkipEmptyParts);
}

/// The grammar this exporter promises: every line one of these statements, labels
/// free of the characters Mermaid reads as syntax, rects balanced.
QString grammarProblem(const QStringList &lines)
{
    if (lines.value(0) != QLatin1String("sequenceDiagram"))
        return QStringLiteral("first line: %1").arg(lines.value(0));
    static const QRegularExpression statement(QStringLiteral(
        R"(^    (participant [CS] as (?<alias>.+)|Note over (C|S|C,S): (?<note>.+)|(C|S)(->>|-->>)(C|S): (?<message>.+)|rect rgba\(\d+, \d+, \d+, [0-9.]+\)|end)$)"));
    int depth = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QRegularExpressionMatch match = statement.match(lines[i]);
        if (!match.hasMatch())
            return QStringLiteral("line %1 is no statement: %2").arg(i + 1).arg(lines[i]);
        for (const char *group : {"alias", "note", "message"}) {
            // Entity codes (#59;) are how the syntax characters are written; anything
            // else of them is raw.
            static const QRegularExpression entity(QStringLiteral(R"(#\d+;)"));
            static const QRegularExpression forbidden(QStringLiteral(R"([;<>%#\r\n])"));
            if (match.captured(QLatin1String(group)).remove(entity).contains(forbidden))
                return QStringLiteral("line %1 has an unescaped character: %2")
                    .arg(i + 1)
                    .arg(lines[i]);
        }
        if (lines[i].startsWith(QLatin1String("    rect")))
            ++depth;
        if (lines[i] == QLatin1String("    end") && --depth < 0)
            return QStringLiteral("line %1 ends a rect never opened").arg(i + 1);
        if (depth > 1)
            return QStringLiteral("line %1 nests rects").arg(i + 1);
    }
    return depth == 0 ? QString() : QStringLiteral("a rect is never ended");
}

int count(const QStringList &lines, const QString &needle)
{
    return int(std::count_if(
        lines.begin(), lines.end(), [&](const QString &l) { return l.contains(needle); }));
}

void handshake(SessionBuilder &b)
{
    b.handshakeRequest(QByteArrayLiteral("GET /chat HTTP/1.1\r\nHost: x\r\n\r\n"));
    b.handshakeResponse(QByteArrayLiteral("HTTP/1.1 101 Switching Protocols\r\n\r\n"));
}

} // namespace

class TestMermaid : public QObject
{
    Q_OBJECT

private slots:
    void structure();
    void labelsNeverBreakTheGrammar_data();
    void labelsNeverBreakTheGrammar();
    void frameLimit();
    void messagesWithoutFrames();
    void phasesAreNamedOnceInOrder();
    void longAndTrickyLabels_data();
    void longAndTrickyLabels();
    void aHundredThousandFrames();
    void liveSessionArrowsFollowTheFrames();
    void serverSideParticipants_data();
    void serverSideParticipants();
};

void TestMermaid::structure()
{
    Session session;
    SessionInfo info;
    info.url = QStringLiteral("ws://127.0.0.1:9001/chat");
    session.setInfo(info);
    SessionBuilder b(session);
    handshake(b);
    b.text(kToServer, "hello");
    b.text(kToClient, "hello");
    const std::uint32_t first = b.frame(kToServer, Opcode::Text, "one ", false);
    b.frame(kToServer, Opcode::Ping, "p");
    b.frame(kToServer, Opcode::Continuation, "two ", false);
    b.frame(kToServer, Opcode::Continuation, "three");
    b.message(kToServer, Opcode::Text, 13, first, 3);
    b.frame(kToClient, Opcode::Pong, "p");
    b.frame(kToServer, Opcode::Close, QByteArray::fromHex("03e8") + "bye");
    b.frame(kToClient, Opcode::Close, QByteArray::fromHex("03e8") + "bye");
    b.tcpState(Role::Client, TcpState::CloseWait, Observation::Observed);
    b.tcpState(Role::Server, TcpState::FinWait2, Observation::Inferred);

    const QStringList lines = linesOf(session);
    const QString problem = grammarProblem(lines);
    QVERIFY2(problem.isEmpty(), qPrintable(problem + u'\n' + lines.join(u'\n')));
    QVERIFY(lines[1].contains(QLatin1String("participant C as Client (this app)")));
    QVERIFY(lines[2].contains(QLatin1String("participant S as Server 127.0.0.1:9001")));
    // The handshake, both ways.
    QVERIFY(lines.contains(QStringLiteral("    C->>S: GET /chat HTTP/1.1")));
    QVERIFY(lines.contains(QStringLiteral("    S->>C: HTTP/1.1 101 Switching Protocols")));
    // One arrow per frame.
    QCOMPARE(count(lines, QStringLiteral("->>")), 11); // 9 frames and 2 heads; "-->>" counts too
    QVERIFY(lines.contains(QStringLiteral("    C->>S: TEXT FIN len=5 masked \"hello\"")));
    QVERIFY(lines.contains(QStringLiteral("    S->>C: TEXT FIN len=5 \"hello\"")));
    // Control frames dashed; Close solid, with its code and reason.
    QVERIFY(lines.contains(QStringLiteral("    C-->>S: PING FIN len=1 masked \"p\"")));
    QVERIFY(lines.contains(QStringLiteral("    S-->>C: PONG FIN len=1 \"p\"")));
    QVERIFY(lines.contains(
        QStringLiteral("    C->>S: CLOSE FIN len=5 masked 1000 Normal Closure \"bye\"")));
    // The fragmented message in one box with its summary, the ping inside it.
    const qsizetype rect = lines.indexOf(QRegularExpression(QStringLiteral("    rect .*")));
    QVERIFY(rect > 0);
    QVERIFY(lines[rect + 1].contains(QLatin1String("text message in 3 frames, 13 bytes")));
    QVERIFY(lines[rect + 2].contains(QLatin1String("TEXT FIN=0 len=4")));
    QVERIFY(lines[rect + 3].contains(QLatin1String("PING")));
    QVERIFY(lines[rect + 5].contains(QLatin1String("CONTINUATION FIN len=5")));
    QCOMPARE(lines[rect + 6], QStringLiteral("    end"));
    // The teardown on each lane, saying how it is known.
    QVERIFY(lines.contains(QStringLiteral("    Note over C: CLOSE-WAIT")));
    QVERIFY(lines.contains(QStringLiteral("    Note over S: FIN-WAIT-2 (inferred)")));
}

void TestMermaid::labelsNeverBreakTheGrammar_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("semicolon") << QByteArray("a; b");
    QTest::newRow("hash and entity") << QByteArray("#35; #quot; #");
    QTest::newRow("colon and arrow") << QByteArray("C->>S: fake -->> arrow");
    QTest::newRow("comment") << QByteArray("%% not a comment");
    QTest::newRow("newlines") << QByteArray("line one\nNote over C: injected\r\nend");
    QTest::newRow("html") << QByteArray("<br/><script>x</script>");
    QTest::newRow("korean") << QByteArray("안녕하세요; 세계 #1");
    QTest::newRow("control characters") << QByteArray("a\x01\x02\x1b[0mb");
    QTest::newRow("keyword") << QByteArray("end");
}

void TestMermaid::labelsNeverBreakTheGrammar()
{
    QFETCH(QByteArray, payload);
    Session session;
    SessionInfo info;
    info.url
        = QStringLiteral("ws://h;o#st:1/%1").arg(QString::fromUtf8(payload.toPercentEncoding()));
    session.setInfo(info);
    SessionBuilder b(session);
    handshake(b);
    b.text(kToServer, payload);
    b.frame(kToServer, Opcode::Close, QByteArray::fromHex("0fa0") + payload.left(100));
    b.note(QString::fromUtf8(payload));
    const QStringList lines = linesOf(session);
    const QString problem = grammarProblem(lines);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // The text survives as entity codes, not dropped.
    if (payload.contains(';'))
        QVERIFY(lines.join(u'\n').contains(QLatin1String("#59;")));
    if (payload.startsWith("안녕"))
        QVERIFY(lines.join(u'\n').contains(QStringLiteral("안녕하세요")));
}

void TestMermaid::frameLimit()
{
    Session session;
    SessionBuilder b(session);
    handshake(b);
    for (int i = 0; i < 40; ++i)
        b.text(i % 2 ? kToClient : kToServer, QByteArray::number(i));
    b.frame(kToServer, Opcode::Close, QByteArray::fromHex("03e8"));
    MermaidOptions options;
    options.maxFrames = 10;
    const QStringList lines = linesOf(session, options);
    QVERIFY(grammarProblem(lines).isEmpty());
    QCOMPARE(count(lines, QStringLiteral("TEXT FIN")), 10);
    QCOMPARE(count(lines, QStringLiteral("30 more frames not drawn")), 1);
    // The close is always drawn.
    QCOMPARE(count(lines, QStringLiteral("CLOSE FIN")), 1);
}

void TestMermaid::messagesWithoutFrames()
{
    // A session imported from a HAR has messages and no frames: each is an arrow.
    Session session;
    SessionBuilder b(session);
    handshake(b);
    MessageDetail detail;
    detail.opcode = std::uint8_t(Opcode::Text);
    detail.size = 5;
    session.appendEvent(5'000'000, EventKind::Message, kToClient, detail, QByteArrayView("hello"));
    const QStringList lines = linesOf(session);
    QVERIFY(grammarProblem(lines).isEmpty());
    QVERIFY(lines.contains(QStringLiteral("    S->>C: text message, 5 bytes \"hello\"")));
}

namespace {

/// Reverses mermaidEscape's entity codes, to compare a label with the text it shows.
QString unescaped(QString text)
{
    static const QRegularExpression entity(QStringLiteral(R"(#(\d+);)"));
    QRegularExpressionMatch match;
    qsizetype from = 0;
    while ((match = entity.match(text, from)).hasMatch()) {
        const QString character = QChar(char16_t(match.captured(1).toInt()));
        text.replace(match.capturedStart(), match.capturedLength(), character);
        from = match.capturedStart() + 1;
    }
    return text;
}

QStringList arrowsOf(const QStringList &lines)
{
    static const QRegularExpression arrow(QStringLiteral(R"(^    [CS]-{1,2}>>[CS]: )"));
    QStringList arrows;
    for (const QString &line : lines) {
        if (arrow.match(line).hasMatch())
            arrows << line;
    }
    return arrows;
}

} // namespace

void TestMermaid::phasesAreNamedOnceInOrder()
{
    Session session;
    session.setInfo({QStringLiteral("ws://127.0.0.1:9001/chat"), Role::Client, {}, {}});
    SessionBuilder b(session);
    b.event(EventKind::TcpConnected, Direction::None,
        TcpDetail {QStringLiteral("127.0.0.1"), 50000, QStringLiteral("127.0.0.1"), 9001});
    handshake(b);
    b.text(kToServer, "one");
    b.text(kToClient, "two");
    b.frame(kToServer, Opcode::Close, QByteArray::fromHex("03e8"));
    b.text(kToClient, "sent before the server saw our Close");
    b.frame(kToClient, Opcode::Close, QByteArray::fromHex("03e8"));
    b.tcpState(Role::Server, TcpState::FinWait1);
    b.tcpState(Role::Client, TcpState::CloseWait, Observation::Inferred);

    const QStringList lines = linesOf(session);
    QVERIFY(grammarProblem(lines).isEmpty());
    const QStringList phases {QStringLiteral("Opening handshake"), QStringLiteral("Data transfer"),
        QStringLiteral("Closing handshake"), QStringLiteral("TCP teardown")};
    qsizetype previous = -1;
    for (const QString &phase : phases) {
        QCOMPARE(count(lines, QStringLiteral("Note over C,S: ") + phase), 1);
        const qsizetype at = lines.indexOf(QRegularExpression(
            QStringLiteral("    Note over C,S: ") + phase + QStringLiteral(".*")));
        QVERIFY2(at > previous, qPrintable(phase));
        previous = at;
    }
    // Each phase note comes right before the event that starts it.
    const qsizetype opening = lines.indexOf(
        QRegularExpression(QStringLiteral("    Note over C,S: Opening handshake.*")));
    QCOMPARE(lines[opening + 1], QStringLiteral("    C->>S: GET /chat HTTP/1.1"));
    const qsizetype closing = lines.indexOf(
        QRegularExpression(QStringLiteral("    Note over C,S: Closing handshake.*")));
    QVERIFY(lines[closing + 1].startsWith(QLatin1String("    C->>S: CLOSE")));
    // The TCP connect, with the client's end first.
    QVERIFY(lines.contains(QStringLiteral(
        "    Note over C,S: TCP connected (SYN, SYN-ACK, ACK) 127.0.0.1:50000 to 127.0.0.1:9001")));
}

void TestMermaid::longAndTrickyLabels_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("ampersand entities") << QStringLiteral("&amp; &lt;b&gt; & #38;");
    QTest::newRow("emoji at the cut") << QString(118, u'a')
            + QString::fromUtf8("\xF0\x9F\x98\x80\xF0\x9F\x98\x80") + QStringLiteral("tail");
    QTest::newRow("Korean, long")
        << QString::fromUtf8("웹소켓 연결을 닫습니다; 이유: 점검 #2 ").repeated(8);
    QTest::newRow("directive") << QStringLiteral("%%{init: {\"theme\": \"dark\"}}%%");
    QTest::newRow("wrap prefix") << QStringLiteral("wrap:this is no directive");
}

void TestMermaid::longAndTrickyLabels()
{
    QFETCH(QString, text);
    Session session;
    SessionBuilder b(session);
    b.note(text);
    ErrorDetail error;
    error.message = text;
    b.event(EventKind::Error, Direction::None, error);
    const QStringList lines = linesOf(session);
    const QString problem = grammarProblem(lines);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const qsizetype note = lines.indexOf(QRegularExpression(QStringLiteral("    Note over C: .*")));
    QVERIFY(note > 0);
    // Labels are drawn as HTML: a raw "&" would turn "&amp;" into "&".
    QVERIFY(!lines[note].contains(u'&'));
    const QString shown = unescaped(lines[note].mid(QStringLiteral("    Note over C: ").size()));
    // What the label shows is the text, or its start and an ellipsis: never half a
    // character (the UTF-8 would not survive a lone surrogate).
    if (shown.endsWith(u'…')) {
        QVERIFY(text.startsWith(shown.chopped(1)));
        QVERIFY(shown.size() <= 120);
    } else {
        QCOMPARE(shown, text);
    }
    for (qsizetype i = 0; i < shown.size(); ++i) {
        if (shown[i].isHighSurrogate())
            QVERIFY(i + 1 < shown.size() && shown[i + 1].isLowSurrogate());
    }
}

void TestMermaid::aHundredThousandFrames()
{
    Session session;
    SessionBuilder b(session);
    handshake(b);
    for (int i = 0; i < 100'000; ++i)
        b.text(i % 2 ? kToClient : kToServer, "tick " + QByteArray::number(i));
    b.frame(kToServer, Opcode::Close, QByteArray::fromHex("03e8"));
    b.frame(kToClient, Opcode::Close, QByteArray::fromHex("03e8"));
    const QStringList lines = linesOf(session);
    QVERIFY(grammarProblem(lines).isEmpty());
    // The default limit: 500 data frames drawn, the rest counted honestly, the close drawn.
    QCOMPARE(count(lines, QStringLiteral("TEXT FIN")), MermaidOptions {}.maxFrames);
    QCOMPARE(count(lines, QStringLiteral("99500 more frames not drawn")), 1);
    QCOMPARE(count(lines, QStringLiteral("CLOSE FIN")), 2);
    QVERIFY(lines.size() < 600);
}

void TestMermaid::liveSessionArrowsFollowTheFrames()
{
    Server server(ServerOptions {});
    QVERIFY(server.listen());
    ConnectionOptions options;
    options.url = server.url();
    Connection client(options);
    int echoes = 0;
    connect(&client, &Channel::opened, this, [&] {
        client.sendText("hello; #1 <b>");
        client.sendBinary(QByteArray::fromHex("00ff10"));
        client.sendFragmented(Opcode::Text, QByteArray("안녕하세요, 여러 프레임"), 7);
        client.sendPing("are you there");
    });
    connect(&client, &Channel::messageReceived, this, [&](quint8, const QByteArray &) {
        if (++echoes == 3)
            client.sendClose(CloseCode::Normal, "bye");
    });
    QSignalSpy finished(&client, &Channel::finished);
    client.open();
    QVERIFY(finished.wait(15000) || finished.count() > 0);

    const Session &session = client.session();
    const QStringList lines = linesOf(session);
    const QString problem = grammarProblem(lines);
    QVERIFY2(problem.isEmpty(), qPrintable(problem + u'\n' + lines.join(u'\n')));
    // One arrow per handshake head and per frame, in the session's order, each the way
    // its frame went.
    QStringList expected;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        const EventRecord &record = session.event(i);
        const bool toServer = record.direction == kToServer;
        if (record.kind == EventKind::Frame || record.kind == EventKind::HandshakeRequest
            || record.kind == EventKind::HandshakeResponse)
            expected << (toServer ? QStringLiteral("C") : QStringLiteral("S"));
    }
    const QStringList arrows = arrowsOf(lines);
    QCOMPARE(arrows.size(), expected.size());
    for (qsizetype i = 0; i < arrows.size(); ++i) {
        QCOMPARE(arrows[i].mid(4, 1), expected[i]);
        QCOMPARE(arrows[i].section(QLatin1String(": "), 0, 0).right(1),
            expected[i] == QLatin1String("C") ? QStringLiteral("S") : QStringLiteral("C"));
    }
    QVERIFY(lines.join(u'\n').contains(QStringLiteral("hello#59; #35;1 #60;b#62;")));
}

void TestMermaid::serverSideParticipants_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("server");
    QTest::newRow("IPv4") << "127.0.0.1"
                          << "127.0.0.1:50123"
                          << "127.0.0.1:9001";
    QTest::newRow("IPv6, in brackets") << "::1"
                                       << "[::1]:50123"
                                       << "[::1]:9001";
}

void TestMermaid::serverSideParticipants()
{
    QFETCH(QString, address);
    QFETCH(QString, client);
    QFETCH(QString, server);
    Session session;
    session.setInfo({QStringLiteral("ws://localhost:9001/"), Role::Server, {}, {}});
    SessionBuilder b(session);
    b.event(EventKind::TcpConnected, Direction::None, TcpDetail {address, 9001, address, 50123});
    const QStringList lines = linesOf(session);
    QVERIFY(grammarProblem(lines).isEmpty());
    // The side Frameline did not play is named by its address.
    QCOMPARE(lines[1], QStringLiteral("    participant C as Client ") + client);
    QCOMPARE(lines[2], QStringLiteral("    participant S as Server (this app)"));
    QVERIFY(lines.contains(
        QStringLiteral("    Note over C,S: TCP connected (SYN, SYN-ACK, ACK) %1 to %2")
            .arg(client, server)));
}

QTEST_GUILESS_MAIN(TestMermaid)
#include "tst_mermaid.moc"
