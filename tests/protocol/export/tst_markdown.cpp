// The Markdown transcript: the summary, the raw handshake in code blocks that nothing
// inside can close, a frame table with one row per frame and cells nothing inside can
// break, the teardown, errors, and the diagram.

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
};

void TestMarkdown::transcript()
{
    Session session;
    SessionInfo info;
    info.url = QStringLiteral("ws://127.0.0.1:9001/chat");
    info.startedAt = QDateTime(QDate(2026, 5, 6), QTime(7, 8, 9, 10), Qt::UTC);
    session.setInfo(info);
    SessionBuilder b(session);
    b.handshakeRequest(QByteArrayLiteral("GET /chat HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\n\r\n"));
    b.handshakeResponse(QByteArrayLiteral("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"));
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
    QVERIFY2(text.contains(QStringLiteral("| Client → server | 3 frame(s), ")), qPrintable(text.left(400)));
    // The raw heads, CR removed, in http code blocks.
    QVERIFY(text.contains(QLatin1String("```http\nGET /chat HTTP/1.1\nHost: 127.0.0.1:9001\nUpgrade: websocket\n")));
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

QTEST_GUILESS_MAIN(TestMarkdown)
#include "tst_markdown.moc"
