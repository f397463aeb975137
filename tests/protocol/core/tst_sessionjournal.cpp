// Tests of the native session file (docs/session-format.md): a session saved and loaded
// again is identical, record by record, detail field by detail field, byte by byte; a
// journal written in steps while the session grows equals a one-shot save; a file cut
// anywhere loads up to the cut and says at which line it stopped; files of a newer
// version or of another kind are refused with a sentence saying why.

#include "sessionjournal.h"
#include "sessionjournalfixture.h"

#include <QtCore/QBuffer>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace frameline;
using namespace frameline::test;

using SessionBuilder = std::function<void(Session &)>;
Q_DECLARE_METATYPE(SessionBuilder)

namespace {

constexpr SessionLimits kSmallCapture {1024};

QByteArray journalOf(const Session &session)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    SessionJournalWriter writer(buffer);
    if (!writer.finish(session))
        qWarning("%s", qPrintable(writer.errorString()));
    return buffer.data();
}

SessionLoadResult load(
    const QByteArray &journal, Session &out, const SessionLoadProgress &progress = {})
{
    QBuffer buffer;
    buffer.setData(journal);
    buffer.open(QIODevice::ReadOnly);
    return loadSession(buffer, out, progress);
}

/// Offsets where each line starts, plus the end of the data.
QList<qsizetype> lineStarts(const QByteArray &data)
{
    QList<qsizetype> starts {0};
    for (qsizetype i = data.indexOf('\n'); i >= 0; i = data.indexOf('\n', i + 1))
        starts.append(i + 1);
    return starts;
}

/// Appends `source`'s events [from, to) to `live`, as a connection would have.
void replay(const Session &source, Session &live, std::uint32_t from, std::uint32_t to)
{
    for (std::uint32_t i = from; i < to; ++i) {
        const EventRecord &r = source.event(i);
        if (r.kind == EventKind::Frame) {
            live.appendFrame(
                r.timeNs, r.direction, source.frameHeader(i), source.bytes(i), r.streamOffset);
        } else {
            live.appendEvent(
                r.timeNs, r.kind, r.direction, source.detail(i), source.bytes(i), r.streamOffset);
        }
    }
}

QByteArray replaceLine(const QByteArray &journal, int lineNumber, const QByteArray &line)
{
    QList<QByteArray> lines = journal.split('\n');
    lines[lineNumber - 1] = line;
    return lines.join('\n');
}

} // namespace

class TestSessionJournal : public QObject
{
    Q_OBJECT

private slots:
    void realisticSessionRoundTrips();
    void eachEventRoundTrips_data();
    void eachEventRoundTrips();
    void stepsEqualOneShotSave();
    void cutAtALineBoundaryLoadsUpToIt();
    void cutInsideALineLoadsUpToIt();
    void newerVersionIsRefused();
    void otherFilesAreRefused_data();
    void otherFilesAreRefused();
    void damagedEventLineStopsThere_data();
    void damagedEventLineStopsThere();
    void toleratesCrlfAndAMissingLastNewline();
    void progressReportsAndCancels();
    void refusesANonEmptySession();
    void writeErrorsAreReported();
};

void TestSessionJournal::realisticSessionRoundTrips()
{
    Session original(kSmallCapture);
    buildRealisticSession(original);
    QVERIFY(original.frameTruncated(16)); // the 5000-byte frame, cut at 1 KiB

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("session.frameline.jsonl"));
    QString error;
    QVERIFY2(saveSession(original, path, &error), qPrintable(error));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readLine().startsWith(R"({"format":"frameline-session","version":1,)"));

    Session loaded;
    const SessionLoadResult result = loadSession(path, loaded);
    QVERIFY2(result.isComplete(), qPrintable(result.message));
    QCOMPARE(result.eventsLoaded, original.eventCount());
    QCOMPARE(result.version, 1);
    QCOMPARE(result.line, 0);
    QVERIFY(result.message.isEmpty());
    compareSessions(original, loaded);
    if (QTest::currentTestFailed())
        return;
    // What the views read back is the same too.
    for (std::uint32_t i = 0; i < original.eventCount(); ++i) {
        QCOMPARE(loaded.framePayload(i), original.framePayload(i));
        QCOMPARE(loaded.messagePayload(i), original.messagePayload(i));
    }
    // Loaded into a session with the same capture limit, it saves to the same bytes.
    Session again(kSmallCapture);
    QCOMPARE(load(journalOf(original), again).status, SessionLoadResult::Status::Complete);
    QCOMPARE(journalOf(again), journalOf(original));
}

void TestSessionJournal::eachEventRoundTrips_data()
{
    QTest::addColumn<SessionBuilder>("build");
    const auto C2S = Direction::ClientToServer;
    const auto S2C = Direction::ServerToClient;

    QTest::newRow("DNS answer with IPv4 and IPv6 addresses") << SessionBuilder([](Session &s) {
        s.appendEvent(1, EventKind::DnsResolved, Direction::None,
            DnsDetail {QStringLiteral("example.test"),
                {QStringLiteral("192.0.2.7"), QStringLiteral("::1")}});
    });
    QTest::newRow("TCP connection between two ports") << SessionBuilder([C2S](Session &s) {
        s.appendEvent(1, EventKind::TcpConnected, C2S,
            TcpDetail {QStringLiteral("::1"), 65535, QStringLiteral("::1"), 0});
    });
    QTest::newRow("TLS chain of two certificates, one with no end date, errors accepted")
        << SessionBuilder([](Session &s) {
               s.appendEvent(1, EventKind::TlsEstablished, Direction::None, tlsDetail());
           });
    QTest::newRow("request head with a Latin-1 header value and an empty one")
        << SessionBuilder([C2S](Session &s) {
               s.appendEvent(1, EventKind::HandshakeRequest, C2S, requestDetail(),
                   "GET / HTTP/1.1\r\n\r\n", 0);
           });
    QTest::newRow("response with failed checks, a subprotocol and extension parameters")
        << SessionBuilder([S2C](Session &s) {
               HandshakeDetail d = responseDetail();
               d.head.raw = "HTTP/1.1 101 \xff\r\n\r\n"; // not UTF-8: written as base64
               s.appendEvent(1, EventKind::HandshakeResponse, S2C, d, d.head.raw, 0);
           });
    QTest::newRow("masked text frame of RFC 6455 §5.7")
        << SessionBuilder([C2S](Session &s) { addFrame(s, 1, C2S, spec(0x1, true), "Hello", 0); });
    QTest::newRow("masked binary frame of every byte value, 16-bit length") << SessionBuilder(
        [C2S](Session &s) { addFrame(s, 1, C2S, spec(0x2, true), allByteValues(), 0); });
    QTest::newRow("unmasked continuation with RSV2 and a non-minimal 64-bit length")
        << SessionBuilder([S2C](Session &s) {
               FrameSpec f = spec(0x0, false);
               f.rsv2 = true;
               f.lengthEncoding = LengthEncoding::Bits64;
               addFrame(s, 1, S2C, f, "x", 0);
           });
    QTest::newRow("frame cut short by the 1 KiB capture limit") << SessionBuilder(
        [S2C](Session &s) { addFrame(s, 1, S2C, spec(0x2, false), QByteArray(70000, 'z'), 0); });
    QTest::newRow("message of two fragments") << SessionBuilder([S2C](Session &s) {
        addFrame(s, 1, S2C, spec(0x1, false, false), "Hel", 0);
        addFrame(s, 2, S2C, spec(0x0, false), "lo", 5);
        s.appendEvent(3, EventKind::Message, S2C, MessageDetail {0x1, 5, 0, 2});
    });
    QTest::newRow("close with code 1000 and a Hangul reason") << SessionBuilder([C2S](Session &s) {
        s.appendEvent(1, EventKind::Close, C2S, CloseDetail {ClosePayload {1000, "안녕"}, true});
    });
    QTest::newRow("close without a code") << SessionBuilder([S2C](Session &s) {
        s.appendEvent(1, EventKind::Close, S2C, CloseDetail {ClosePayload {}, false});
    });
    QTest::newRow("close reason that is not UTF-8") << SessionBuilder([S2C](Session &s) {
        s.appendEvent(1, EventKind::Close, S2C,
            CloseDetail {ClosePayload {1002, QByteArray("\xc3\x28", 2)}, false});
    });
    QTest::newRow("state change CLOSING to CLOSED") << SessionBuilder([](Session &s) {
        s.appendEvent(1, EventKind::StateChanged, Direction::None,
            StateDetail {WebSocketState::Closing, WebSocketState::Closed});
    });
    QTest::newRow("server's LAST-ACK, inferred, with a note") << SessionBuilder([](Session &s) {
        s.appendEvent(1, EventKind::TcpState, Direction::None,
            TcpStateDetail {
                Role::Server, TcpState::LastAck, Observation::Inferred, QStringLiteral("µs")});
    });
    QTest::newRow("protocol error at a stream offset past 2^53") << SessionBuilder(
        [S2C](Session &s) {
            s.appendEvent(-5, EventKind::Error, S2C,
                ErrorDetail {ProtocolError::AbnormalClosure, 1006, QStringLiteral("gone"), ~0ull});
        });
    QTest::newRow("note in Hangul with quotes, a backslash and an emoji")
        << SessionBuilder([](Session &s) {
               s.appendEvent(1, EventKind::Note, Direction::None,
                   NoteDetail {QStringLiteral("한글 메모 \"인용\" \\ 🎉")});
           });
    QTest::newRow("note without a detail or bytes") << SessionBuilder([](Session &s) {
        s.appendEvent(std::numeric_limits<std::int64_t>::max(), EventKind::Note, Direction::None,
            std::monostate {});
    });
}

void TestSessionJournal::eachEventRoundTrips()
{
    QFETCH(SessionBuilder, build);
    Session original(kSmallCapture);
    build(original);
    Session loaded;
    const SessionLoadResult result = load(journalOf(original), loaded);
    QVERIFY2(result.isComplete(), qPrintable(result.message));
    compareSessions(original, loaded);
}

void TestSessionJournal::stepsEqualOneShotSave()
{
    Session source(kSmallCapture);
    buildRealisticSession(source);
    const QByteArray oneShot = journalOf(source);

    // The live session grows between the writer's calls, as under the owner's timer.
    Session live(kSmallCapture);
    live.setInfo(source.info());
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    SessionJournalWriter writer(buffer);
    std::uint32_t done = 0;
    for (const std::uint32_t upTo : {0u, 1u, 2u, 6u, 7u, 7u, 15u, source.eventCount()}) {
        replay(source, live, done, upTo);
        done = upTo;
        QVERIFY(writer.writePending(live));
        QCOMPARE(writer.writtenEvents(), upTo);
        QVERIFY(buffer.data().endsWith('\n'));
        // A crash now would leave this much: it loads up to the last event written.
        Session crashed;
        const SessionLoadResult result = load(buffer.data(), crashed);
        QCOMPARE(result.status, SessionLoadResult::Status::Damaged);
        QCOMPARE(result.eventsLoaded, upTo);
        QCOMPARE(result.line, qint64(upTo) + 2);
        QVERIFY2(result.message.contains(QStringLiteral("without its end line")),
            qPrintable(result.message));
    }
    QVERIFY(writer.finish(live));
    QVERIFY(writer.isFinished());
    QVERIFY(writer.finish(live)); // a second finish adds nothing
    QCOMPARE(buffer.data(), oneShot);
}

void TestSessionJournal::cutAtALineBoundaryLoadsUpToIt()
{
    Session original(kSmallCapture);
    buildRealisticSession(original);
    const QByteArray journal = journalOf(original);
    const QList<qsizetype> starts = lineStarts(journal);
    const auto lineCount = int(starts.size() - 1); // header, events, end line
    QCOMPARE(lineCount, int(original.eventCount()) + 2);

    for (int kept = 0; kept <= lineCount; ++kept) {
        const QByteArray context = "first " + QByteArray::number(kept) + " lines";
        Session loaded;
        const SessionLoadResult result = load(journal.first(starts[kept]), loaded);
        if (kept == 0) {
            QCOMPARE(result.status, SessionLoadResult::Status::Refused);
            QVERIFY2(result.message.contains(QStringLiteral("empty")), qPrintable(result.message));
            continue;
        }
        if (kept == lineCount) {
            QVERIFY2(result.isComplete(), qPrintable(result.message));
            continue;
        }
        QVERIFY2(result.status == SessionLoadResult::Status::Damaged, context.constData());
        QVERIFY2(result.line == kept + 1, context.constData());
        QVERIFY2(result.eventsLoaded == std::uint32_t(kept - 1), context.constData());
        QVERIFY2(result.message.contains(QStringLiteral("line %1:").arg(kept + 1)),
            qPrintable(result.message));
        compareSessions(original, loaded, result.eventsLoaded);
        if (QTest::currentTestFailed())
            return;
    }
}

void TestSessionJournal::cutInsideALineLoadsUpToIt()
{
    Session original(kSmallCapture);
    buildRealisticSession(original);
    const QByteArray journal = journalOf(original);
    const QList<qsizetype> starts = lineStarts(journal);
    const auto lineCount = int(starts.size() - 1);

    for (int line = 1; line <= lineCount; ++line) {
        const qsizetype start = starts[line - 1];
        const qsizetype length = starts[line] - start - 1; // without its '\n'
        // In the middle, and just before the closing brace.
        for (const qsizetype cut : {start + length / 2, start + length - 1}) {
            const QByteArray context = "line " + QByteArray::number(line) + " cut at byte "
                + QByteArray::number(cut - start);
            Session loaded;
            const SessionLoadResult result = load(journal.first(cut), loaded);
            const auto before = std::uint32_t(std::max(0, line - 2));
            QVERIFY2(result.status == SessionLoadResult::Status::Damaged, context.constData());
            QVERIFY2(result.line == line, context.constData());
            QVERIFY2(result.eventsLoaded == before, context.constData());
            QVERIFY2(result.message.startsWith(QStringLiteral("Stopped at line %1:").arg(line)),
                qPrintable(result.message));
            if (line > 1) // a damaged header leaves even the session info unread
                compareSessions(original, loaded, before);
            if (QTest::currentTestFailed())
                return;
        }
    }
}

void TestSessionJournal::newerVersionIsRefused()
{
    Session original;
    buildRealisticSession(original);
    QByteArray journal = journalOf(original);
    journal.replace(R"("version":1,)", R"("version":2,)");
    Session loaded;
    const SessionLoadResult result = load(journal, loaded);
    QCOMPARE(result.status, SessionLoadResult::Status::Refused);
    QCOMPARE(result.version, 2);
    QCOMPARE(result.eventsLoaded, 0u);
    QVERIFY2(result.message.contains(QStringLiteral("version 2")), qPrintable(result.message));
    QVERIFY2(
        result.message.contains(QStringLiteral("newer Frameline")), qPrintable(result.message));
}

void TestSessionJournal::otherFilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("binary bytes with no newline") << QByteArray(3 * 1024 * 1024, '\x89');
    QTest::newRow("a PNG signature") << hex("89 50 4e 47 0d 0a 1a 0a 00 00 00 0d");
    QTest::newRow("a CSV file") << QByteArray("time,kind\n0,frame\n");
    QTest::newRow("JSON Lines of another tool") << QByteArray(R"({"format":"har","version":1})"
                                                              "\n"
                                                              R"({"index":0})"
                                                              "\n");
    QTest::newRow("a JSON array") << QByteArray(R"([{"format":"frameline-session"}])");
    QTest::newRow("only a newline") << QByteArray("\n");
}

void TestSessionJournal::otherFilesAreRefused()
{
    QFETCH(QByteArray, data);
    Session loaded;
    const SessionLoadResult result = load(data, loaded);
    QCOMPARE(result.status, SessionLoadResult::Status::Refused);
    QCOMPARE(loaded.eventCount(), 0u);
    QVERIFY2(result.message.startsWith(QStringLiteral("This is not a Frameline session file")),
        qPrintable(result.message));
}

void TestSessionJournal::damagedEventLineStopsThere_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("reason");

    const QByteArray frame
        = R"({"index":1,"timeNs":2,"kind":"frame","direction":"client-to-server",)";
    QTest::newRow("event out of order") << QByteArray(R"({"index":7,"timeNs":2,"kind":"note"})")
                                        << QStringLiteral("event 7 where event 1");
    QTest::newRow("unknown event kind")
        << QByteArray(R"({"index":1,"timeNs":2,"kind":"smoke-signal"})")
        << QStringLiteral("“smoke-signal” is unknown");
    QTest::newRow("no time") << QByteArray(R"({"index":1,"kind":"note"})")
                             << QStringLiteral("no “timeNs”");
    QTest::newRow("time that is not a whole number") << QByteArray(
        R"({"index":1,"timeNs":1.5,"kind":"note"})") << QStringLiteral("“timeNs” must be");
    QTest::newRow("masked frame without a masking key")
        << frame + R"("length":0,"frame":{"byte0":129,"byte1":128}})"
        << QStringLiteral("4-byte “maskKey”");
    QTest::newRow("7-bit length that disagrees with the length")
        << frame + R"("length":6,"frame":{"byte0":129,"byte1":5}})"
        << QStringLiteral("second byte 0x05");
    QTest::newRow("captured bytes longer than the frame")
        << frame + R"("length":0,"frame":{"byte0":129,"byte1":0},"bytes":"gQAA"})"
        << QStringLiteral("more captured bytes");
    QTest::newRow("bytes that are not base64")
        << QByteArray(R"({"index":1,"timeNs":2,"kind":"note","length":3,"bytes":"a*b"})")
        << QStringLiteral("not valid base64");
    QTest::newRow("a frame with a detail")
        << frame + R"("frame":{"byte0":129,"byte1":0},"detail":{"type":"note"}})"
        << QStringLiteral("cannot have a detail");
    QTest::newRow("detail of an unknown type")
        << QByteArray(R"({"index":1,"timeNs":2,"kind":"note","detail":{"type":"poem"}})")
        << QStringLiteral("unknown type “poem”");
    QTest::newRow("TCP port out of range") << QByteArray(
        R"({"index":1,"timeNs":2,"kind":"tcp-connected","detail":{"type":"tcp","peerPort":70000}})")
                                           << QStringLiteral("“peerPort” must be a whole number "
                                                             "from 0 to 65535");
    QTest::newRow("TCP state with an unknown name") << QByteArray(
        R"({"index":1,"timeNs":2,"kind":"tcp-state","detail":{"type":"tcp-state","state":"NAPPING"}})")
                                                    << QStringLiteral("“state” has an unknown "
                                                                      "value “NAPPING”");
    QTest::newRow("message whose length is not its size") << QByteArray(
        R"({"index":1,"timeNs":2,"kind":"message","length":9,"detail":{"type":"message","size":5}})")
                                                          << QStringLiteral(
                                                                 "length 9 does not match");
    QTest::newRow("a JSON array instead of an object")
        << QByteArray("[1,2,3]") << QStringLiteral("not a JSON object");
}

void TestSessionJournal::damagedEventLineStopsThere()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, reason);
    Session original;
    original.appendEvent(1, EventKind::Note, Direction::None, NoteDetail {QStringLiteral("one")});
    original.appendEvent(2, EventKind::Note, Direction::None, NoteDetail {QStringLiteral("two")});
    original.appendEvent(3, EventKind::Note, Direction::None, NoteDetail {QStringLiteral("three")});
    Session loaded;
    const SessionLoadResult result = load(replaceLine(journalOf(original), 3, line), loaded);
    QCOMPARE(result.status, SessionLoadResult::Status::Damaged);
    QCOMPARE(result.line, 3);
    QCOMPARE(result.eventsLoaded, 1u);
    QVERIFY2(result.message.startsWith(QStringLiteral("Stopped at line 3: ")),
        qPrintable(result.message));
    QVERIFY2(result.message.contains(reason), qPrintable(result.message));
    QVERIFY2(result.message.endsWith(QStringLiteral("The 1 event(s) before it were loaded.")),
        qPrintable(result.message));
}

void TestSessionJournal::toleratesCrlfAndAMissingLastNewline()
{
    Session original(kSmallCapture);
    buildRealisticSession(original);
    QByteArray journal = journalOf(original);
    journal.chop(1);
    journal.replace("\n", "\r\n");
    Session loaded;
    const SessionLoadResult result = load(journal + "\r\n\r\n", loaded);
    QVERIFY2(result.isComplete(), qPrintable(result.message));
    compareSessions(original, loaded);
    Session again;
    QVERIFY(load(journal, again).isComplete());
}

void TestSessionJournal::progressReportsAndCancels()
{
    // About 8 MiB of journal: big frames go through the reader's base64 fast path.
    Session original;
    original.setInfo({QStringLiteral("ws://localhost/"), Role::Client, {}, QStringLiteral("live")});
    for (int i = 0; i < 24; ++i) {
        QByteArray payload(256 * 1024, Qt::Uninitialized);
        for (qsizetype j = 0; j < payload.size(); ++j)
            payload[j] = char((j * 7 + i) & 0xFF);
        addFrame(original, i, Direction::ServerToClient, spec(0x2, false), payload, 0);
    }
    const QByteArray journal = journalOf(original);

    QList<std::pair<qint64, qint64>> calls;
    Session loaded;
    const SessionLoadResult complete = load(journal, loaded, [&calls](qint64 done, qint64 total) {
        calls.append({done, total});
        return true;
    });
    QVERIFY2(complete.isComplete(), qPrintable(complete.message));
    compareSessions(original, loaded);
    QVERIFY(calls.size() >= 4);
    for (qsizetype i = 1; i < calls.size(); ++i)
        QVERIFY(calls[i].first >= calls[i - 1].first);
    QCOMPARE(calls.last().first, journal.size());
    QCOMPARE(calls.last().second, journal.size());

    Session halfway;
    const SessionLoadResult cancelled
        = load(journal, halfway, [](qint64 done, qint64 total) { return done < total / 2; });
    QCOMPARE(cancelled.status, SessionLoadResult::Status::Cancelled);
    QVERIFY(cancelled.eventsLoaded > 0 && cancelled.eventsLoaded < original.eventCount());
    QCOMPARE(halfway.eventCount(), cancelled.eventsLoaded);
    QVERIFY2(
        cancelled.message.contains(QStringLiteral("cancelled")), qPrintable(cancelled.message));
    compareSessions(original, halfway, halfway.eventCount());

    Session none;
    const SessionLoadResult atOnce = load(journal, none, [](qint64, qint64) { return false; });
    QCOMPARE(atOnce.status, SessionLoadResult::Status::Cancelled);
    QCOMPARE(atOnce.eventsLoaded, 0u);
}

void TestSessionJournal::refusesANonEmptySession()
{
    Session original;
    buildRealisticSession(original);
    Session busy;
    busy.appendEvent(1, EventKind::Note, Direction::None, NoteDetail {QStringLiteral("mine")});
    const SessionLoadResult result = load(journalOf(original), busy);
    QCOMPARE(result.status, SessionLoadResult::Status::Refused);
    QCOMPARE(busy.eventCount(), 1u);
    QVERIFY(!result.message.isEmpty());
}

void TestSessionJournal::writeErrorsAreReported()
{
    Session session;
    buildRealisticSession(session);
    QBuffer readOnly;
    readOnly.open(QIODevice::ReadOnly);
    SessionJournalWriter writer(readOnly);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("ReadOnly device")));
    QVERIFY(!writer.writePending(session));
    QVERIFY(!writer.errorString().isEmpty());
    QVERIFY(!writer.finish(session)); // stays failed

    QString error;
    QVERIFY(!saveSession(session, QStringLiteral("/nonexistent-frameline-dir/s.jsonl"), &error));
    QVERIFY2(
        error.contains(QStringLiteral("/nonexistent-frameline-dir/s.jsonl")), qPrintable(error));

    Session loaded;
    const SessionLoadResult missing
        = loadSession(QStringLiteral("/nonexistent-frameline-dir/s.jsonl"), loaded);
    QCOMPARE(missing.status, SessionLoadResult::Status::Refused);
    QVERIFY2(
        missing.message.startsWith(QStringLiteral("Cannot open")), qPrintable(missing.message));
}

QTEST_GUILESS_MAIN(TestSessionJournal)
#include "tst_sessionjournal.moc"
