// The Markdown transcript: the summary, the raw handshake in code blocks that nothing
// inside can close, a frame table with one row per frame and cells nothing inside can
// break, the teardown, errors, and the diagram.

#include "har.h"
#include "markdown.h"
#include "sessionbuilder.h"

#include <QtCore/QRegularExpression>
#include <QtTest/QtTest>

using namespace frameline;
using frameline::test::SessionBuilder;

namespace {

constexpr Direction kToServer = Direction::ClientToServer;
constexpr Direction kToClient = Direction::ServerToClient;

/// The rows of the table under `heading` (header and separator rows left out).
QStringList tableRows(const QString &text, const QString &heading)
{
    const QStringList lines = text.split(u'\n');
    qsizetype at = lines.indexOf(heading);
    if (at < 0)
        return {};
    while (at < lines.size() && !lines[at].startsWith(u'|'))
        ++at;
    QStringList rows;
    for (at += 2; at < lines.size() && lines[at].startsWith(u'|'); ++at)
        rows << lines[at];
    return rows;
}

/// Cells split on the pipes that are not escaped.
QStringList cells(const QString &row)
{
    static const QRegularExpression pipe(QStringLiteral(R"((?<!\\)\|)"));
    QStringList parts = row.split(pipe);
    return parts.mid(1, parts.size() - 2);
}

} // namespace

class TestMarkdown : public QObject
{
    Q_OBJECT

private slots:
    void transcript();
    void wireTextCannotBreakOut();
    void emptySession();
    void acceptCheckIsSpelledOut_data();
    void acceptCheckIsSpelledOut();
    void headsKeepTheirText();
    void importedHarShowsItsMessages();
    void closingHandshakeAndLimits();
};

void TestMarkdown::transcript()
{
    Session session;
    SessionInfo info;
    info.url = QStringLiteral("ws://127.0.0.1:9001/chat");
    info.startedAt = QDateTime(QDate(2026, 5, 6), QTime(7, 8, 9, 10), Qt::UTC);
    session.setInfo(info);
    SessionBuilder b(session);
    b.handshakeRequest(QByteArrayLiteral(
        "GET /chat HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\n\r\n"));
    b.handshakeResponse(
        QByteArrayLiteral("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"));
    b.text(kToServer, "hello");
    b.text(kToClient, "안녕하세요");
    b.frame(kToServer, Opcode::Binary, QByteArray::fromHex("00ff"));
    b.frame(kToServer, Opcode::Close, QByteArray::fromHex("03e8") + "bye");
    b.tcpState(Role::Client, TcpState::FinWait1);
    b.tcpState(Role::Server, TcpState::CloseWait, Observation::Inferred);
    ErrorDetail error;
    error.closeCode = 1002;
    error.message = QStringLiteral("The server sent a masked frame.");
    b.event(EventKind::Error, Direction::None, error);

    const QString text = QString::fromUtf8(markdownTranscript(session));
    QVERIFY(text.startsWith(QLatin1String("# WebSocket session: ws://127.0.0.1:9001/chat\n")));
    QVERIFY(text.contains(QLatin1String("| Started | 2026-05-06T07:08:09.010Z |")));
    QVERIFY2(text.contains(QStringLiteral("| Client → server | 3 frame(s), ")),
        qPrintable(text.left(400)));
    // The raw heads, CR removed, in http code blocks.
    QVERIFY(text.contains(
        QLatin1String("```http\nGET /chat HTTP/1.1\nHost: 127.0.0.1:9001\nUpgrade: websocket\n")));
    QVERIFY(text.contains(QLatin1String("```http\nHTTP/1.1 101 Switching Protocols\n")));
    // One row per frame, in order, with the fields of the frame.
    const QStringList rows = tableRows(text, QStringLiteral("## Frames"));
    QCOMPARE(rows.size(), 4);
    QCOMPARE(cells(rows[0]).size(), 9);
    QCOMPARE(cells(rows[0])[2].trimmed(), QStringLiteral("C→S"));
    QCOMPARE(cells(rows[0])[3].trimmed(), QStringLiteral("text"));
    QCOMPARE(cells(rows[0])[6].trimmed(), QStringLiteral("37fa213d")); // the builder's mask key
    QCOMPARE(cells(rows[1])[6].trimmed(), QStringLiteral("—"));
    QVERIFY(cells(rows[1])[8].contains(QStringLiteral("안녕하세요")));
    QCOMPARE(cells(rows[2])[8].trimmed(), QStringLiteral("00 ff"));
    QVERIFY(cells(rows[3])[8].contains(QLatin1String("1000 Normal Closure \"bye\"")));
    // The teardown and the error.
    const QStringList teardown = tableRows(text, QStringLiteral("## TCP teardown"));
    QCOMPARE(teardown.size(), 2);
    QVERIFY(teardown[1].contains(QLatin1String("CLOSE-WAIT (inferred)")));
    QVERIFY(text.contains(QLatin1String("The server sent a masked frame. (close code 1002)")));
    // The diagram, in a mermaid block.
    QVERIFY(text.contains(QLatin1String("```mermaid\nsequenceDiagram\n")));
}

void TestMarkdown::wireTextCannotBreakOut()
{
    Session session;
    SessionBuilder b(session);
    // A head with a run of backticks, and payloads with table and inline syntax.
    b.handshakeRequest(QByteArrayLiteral("GET /```` HTTP/1.1\r\nX-Test: ```\r\n\r\n"));
    b.text(kToServer, "a | b | c");
    b.text(kToServer, "line\nbreak | `code` *bold* [link](x) <b>");
    const QString text = QString::fromUtf8(markdownTranscript(session));
    // The code block's fence is longer than any run inside it.
    QVERIFY(text.contains(QLatin1String("`````http\nGET /```` HTTP/1.1\n")));
    const QStringList rows = tableRows(text, QStringLiteral("## Frames"));
    QCOMPARE(rows.size(), 2);
    for (const QString &row : rows)
        QCOMPARE(cells(row).size(), 9);
    QVERIFY(rows[0].contains(QLatin1String("a \\| b \\| c")));
    QVERIFY(rows[1].contains(QLatin1String("\\`code\\`")));
    QVERIFY(!rows[1].contains(u'\n'));
}

void TestMarkdown::emptySession()
{
    Session session;
    const QString text = QString::fromUtf8(markdownTranscript(session));
    QVERIFY(text.contains(QLatin1String("No opening handshake was recorded.")));
    QVERIFY(text.contains(QLatin1String("no frames")));
}

void TestMarkdown::acceptCheckIsSpelledOut_data()
{
    QTest::addColumn<QByteArray>("accept");
    QTest::addColumn<QString>("verdict");
    // RFC 6455 §1.3: this key's Accept is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.
    QTest::newRow("the right Accept") << QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") << "**match**";
    QTest::newRow("a wrong Accept") << QByteArray("AAAAAAAAAAAAAAAAAAAAAAAAAAA=") << "**no match**";
}

void TestMarkdown::acceptCheckIsSpelledOut()
{
    QFETCH(QByteArray, accept);
    QFETCH(QString, verdict);
    Session session;
    SessionBuilder b(session);
    const QByteArray key = "dGhlIHNhbXBsZSBub25jZQ==";
    b.handshakeRequest("GET /chat HTTP/1.1\r\nHost: x\r\nSec-WebSocket-Key: " + key + "\r\n\r\n");
    const QByteArray raw
        = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Accept: "
        + accept + "\r\n\r\n";
    HttpHeadParser parser(HttpHeadParser::Kind::Response);
    qsizetype consumed = 0;
    QCOMPARE(parser.feed(raw, consumed), HttpHeadParser::Status::Complete);
    HandshakeDetail detail;
    detail.head = parser.head();
    detail.key = key;
    detail.expectedAccept = computeAcceptKey(key);
    detail.checks.append({QStringLiteral("Sec-WebSocket-Accept"),
        QString::fromLatin1(detail.expectedAccept), QString::fromLatin1(accept),
        accept == detail.expectedAccept, true, QStringLiteral("RFC 6455 §4.1")});
    b.event(EventKind::HandshakeResponse, Direction::ServerToClient, detail, raw);

    const QString text = QString::fromUtf8(markdownTranscript(session));
    const QString line = QStringLiteral(
        "Sec-WebSocket-Accept (RFC 6455 §4.2.2): base64(SHA-1(`dGhlIHNhbXBsZSBub25jZQ==` + "
        "`258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)) = `s3pPLMBiTxaQ9kYGzzhZRbK+xOo=`; "
        "the server sent `%1`: %2.")
                             .arg(QString::fromLatin1(accept), verdict);
    QVERIFY2(text.contains(line), qPrintable(text));
    const QStringList rows = tableRows(text, QStringLiteral("Checks on the response:"));
    QCOMPARE(rows.size(), 1);
    QCOMPARE(cells(rows[0])[3].trimmed(),
        verdict == QLatin1String("**match**") ? QStringLiteral("pass")
                                              : QStringLiteral("**FAIL**"));
}

void TestMarkdown::headsKeepTheirText()
{
    Session session;
    SessionBuilder b(session);
    // A UTF-8 header value stays readable; a stray control character stays visible.
    b.handshakeRequest(QByteArray(
        "GET /%EC%B1%84%ED%8C%85 HTTP/1.1\r\nHost: x\r\nX-Name: 홍길동\r\nX-Odd: a\x01z\r\n\r\n"));
    const QString text = QString::fromUtf8(markdownTranscript(session));
    QVERIFY(text.contains(QStringLiteral(
        "```http\nGET /%EC%B1%84%ED%8C%85 HTTP/1.1\nHost: x\nX-Name: 홍길동\nX-Odd: a␁z\n```\n")));
}

void TestMarkdown::importedHarShowsItsMessages()
{
    QFile file(QStringLiteral(
        FRAMELINE_TEST_SOURCE_DIR "/tests/protocol/export/data/chrome-websocket.har"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    Session session;
    QVERIFY(importHar(file, session).ok);
    const QString text = QString::fromUtf8(markdownTranscript(session));
    // No frames are made up; the messages the HAR holds are listed, Korean intact.
    QVERIFY(text.contains(QLatin1String("There are no frames in this session.")));
    const QStringList rows = tableRows(text, QStringLiteral("## Messages"));
    QCOMPARE(rows.size(), 6);
    QCOMPARE(cells(rows[0])[2].trimmed(), QStringLiteral("C→S"));
    QCOMPARE(cells(rows[2])[3].trimmed(), QStringLiteral("binary"));
    QCOMPARE(cells(rows[2])[5].trimmed(), QStringLiteral("00 01 02 03 fd fe ff"));
    QVERIFY(cells(rows[4])[5].contains(QStringLiteral("안녕하세요 \\| {\"n\": 1}")));
    // The import's own words about what a HAR lacks are in the notes.
    QVERIFY(text.contains(QLatin1String("## Notes\n\n- 0.000000 s: Imported from a HAR file")));
    // The handshake was checked again on the rebuilt heads.
    QVERIFY(text.contains(QLatin1String("**match**")));
}

void TestMarkdown::closingHandshakeAndLimits()
{
    Session session;
    session.setInfo({QStringLiteral("ws://h/"), Role::Client, {}, {}});
    SessionBuilder b(session);
    for (int i = 0; i < 30; ++i)
        b.text(kToServer, QByteArray::number(i));
    CloseDetail sent;
    sent.close.code = 1000;
    sent.close.reason = "fertig";
    sent.initiatedLocally = true;
    b.event(EventKind::Close, kToServer, sent);
    CloseDetail received = sent;
    received.initiatedLocally = true;
    b.event(EventKind::Close, kToClient, received);
    MarkdownOptions options;
    options.maxFrameRows = 10;
    options.diagram = false;
    const QString text = QString::fromUtf8(markdownTranscript(session, options));
    QCOMPARE(tableRows(text, QStringLiteral("## Frames")).size(), 10);
    QVERIFY(text.contains(QStringLiteral("… and 20 more frames.")));
    QVERIFY(!text.contains(QLatin1String("```mermaid")));
    QVERIFY(text.contains(QStringLiteral(
        "## Closing handshake\n\n- 0.031000 s, C→S: Close sent, 1000 Normal Closure \"fertig\" "
        "(Frameline started the closing handshake)\n"
        "- 0.032000 s, S→C: Close received, 1000 Normal Closure \"fertig\"\n")));
}

QTEST_GUILESS_MAIN(TestMarkdown)
#include "tst_markdown.moc"
