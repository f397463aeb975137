// Tests of the FrameTableModel: each column of a frame row (RFC 6455 §5.2 fields as the
// table shows them), rows of frames, messages or both, filtering by text, regular
// expression, opcode and direction, the row ↔ event mapping, live appends arriving as
// one insertion per batch, and a 10^5-frame session. QAbstractItemModelTester watches
// the model in every test that changes it.

#include "framedecoder.h"
#include "frametablemodel.h"
#include "sessionbuilder.h"
#include "sessiondocument.h"
#include "testbytes.h"

#include <QtGui/QFontDatabase>
#include <QtGui/QTextDocument>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QtTest>

#include <memory>

using namespace frameline;
using frameline::test::hex;
using frameline::test::SessionBuilder;

Q_DECLARE_METATYPE(frameline::Direction)
Q_DECLARE_METATYPE(frameline::FrameFilter)
Q_DECLARE_METATYPE(frameline::FrameTableModel::RowKinds)

namespace {

constexpr auto C2S = Direction::ClientToServer;
constexpr auto S2C = Direction::ServerToClient;
constexpr auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

QList<qint64> eventsOf(const FrameTableModel &model)
{
    QList<qint64> events;
    for (int row = 0; row < model.rowCount(); ++row)
        events << model.eventAt(row);
    return events;
}

QString cell(const FrameTableModel &model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}

/// Frames 0–7, then two messages (8, 9):
///  0 C→S text "Hello"         4 C→S binary 00 ff 10          8 S→C message text (frame 1)
///  1 S→C text "Hello back"    5 S→C text {"price": 42}       9 C→S message binary (frame 4)
///  2 C→S ping "are you there" 6 C→S text "goodbye"
///  3 S→C pong "are you there" 7 C→S close 1000 "bye"
std::shared_ptr<Session> mixedSession()
{
    auto session = std::make_shared<Session>();
    SessionBuilder b(*session);
    b.text(C2S, "Hello");
    b.text(S2C, "Hello back");
    b.frame(C2S, Opcode::Ping, "are you there");
    b.frame(S2C, Opcode::Pong, "are you there");
    b.frame(C2S, Opcode::Binary, hex("00 ff 10"));
    b.text(S2C, R"({"price": 42})");
    b.text(C2S, "goodbye");
    b.frame(C2S, Opcode::Close, hex("03 e8") + "bye");
    b.message(S2C, Opcode::Text, 10, 1, 1);
    b.message(C2S, Opcode::Binary, 3, 4, 1);
    return session;
}

FrameFilter textFilter(const QString &text, bool regex = false)
{
    FrameFilter filter;
    filter.text = text;
    filter.textMode
        = regex ? FrameFilter::TextMode::RegularExpression : FrameFilter::TextMode::Substring;
    return filter;
}

std::uint16_t opcodeBits(std::initializer_list<Opcode> opcodes)
{
    std::uint16_t bits = 0;
    for (Opcode opcode : opcodes)
        bits |= std::uint16_t(1u << std::uint8_t(opcode));
    return bits;
}

} // namespace

class tst_FrameTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void columns_data();
    void columns();
    void eventTime_data();
    void eventTime();
    void rowKinds_data();
    void rowKinds();
    void filtering_data();
    void filtering();
    void invalidRegularExpressionKeepsFilter();
    void rowForEventAndEventAt();
    void liveAppendsInsertOneBatch();
    void filterChangesDuringLiveAppends();
    void sessionResetRebuilds();
    void toolTipShowsFullPreviewEscaped();
    void truncatedFramePreview();
    void controlAndProblemHints();
    void hundredThousandFrames();
};

void tst_FrameTableModel::columns_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<Direction>("direction");
    QTest::addColumn<QStringList>("expected"); // # to preview

    const QString none;
    QTest::newRow("masked text frame from the client (RFC 6455 §5.7)")
        << hex("81 85 37 fa 21 3d 7f 9f 4d 51 58") << C2S
        << QStringList {u"0"_qs, u"0.001000"_qs, u"C→S"_qs, u"text"_qs, u"1"_qs, u"···"_qs,
               u"37fa213d"_qs, u"5"_qs, u"\"Hello\""_qs};
    QTest::newRow("unmasked text frame from the server (§5.7)")
        << hex("81 05 48 65 6c 6c 6f") << S2C
        << QStringList {u"0"_qs, u"0.001000"_qs, u"S→C"_qs, u"text"_qs, u"1"_qs, u"···"_qs, none,
               u"5"_qs, u"\"Hello\""_qs};
    QTest::newRow(
        "compressed first fragment: RSV1, FIN = 0 (the deflated bytes of RFC 7692 §7.2.3.1)")
        << hex("41 07 f2 48 cd c9 c9 07 00") << S2C
        << QStringList {u"0"_qs, u"0.001000"_qs, u"S→C"_qs, u"text"_qs, u"0"_qs, u"1··"_qs, none,
               u"7"_qs, u"f2 48 cd c9 c9 07 00"_qs};
    QTest::newRow("ping with RSV2 and RSV3, payload shown as hex")
        << hex("b9 02 68 69") << S2C
        << QStringList {u"0"_qs, u"0.001000"_qs, u"S→C"_qs, u"ping"_qs, u"1"_qs, u"·11"_qs, none,
               u"2"_qs, u"68 69"_qs};
    QTest::newRow("empty frame with reserved opcode 0x3")
        << hex("83 00") << S2C
        << QStringList {u"0"_qs, u"0.001000"_qs, u"S→C"_qs, u"reserved 0x3"_qs, u"1"_qs, u"···"_qs,
               none, u"0"_qs, none};
    QTest::newRow("binary frame, 16-bit length")
        << hex("82 7e 00 7e") + QByteArray(126, '\x01') << S2C
        << QStringList {u"0"_qs, u"0.001000"_qs, u"S→C"_qs, u"binary"_qs, u"1"_qs, u"···"_qs, none,
               u"126"_qs, QString::fromLatin1(QByteArray(64, '\x01').toHex(' ')) + u" …"_qs};
}

void tst_FrameTableModel::columns()
{
    QFETCH(QByteArray, wire);
    QFETCH(Direction, direction);
    QFETCH(QStringList, expected);

    FrameHeader header;
    QCOMPARE(parseFrameHeader(wire, header).status, DecodeStatus::Complete);
    auto session = std::make_shared<Session>();
    session->appendFrame(1'000'000, direction, header, wire, 0);
    SessionDocument document;
    document.setSession(session);
    FrameTableModel model(&document);
    QAbstractItemModelTester tester(&model, kFatal);

    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), int(FrameTableModel::ColumnCount));
    QStringList actual;
    for (int column = 0; column < model.columnCount(); ++column)
        actual << cell(model, 0, column);
    QCOMPARE(actual, expected);
    QCOMPARE(model.data(model.index(0, 0), FrameTableModel::EventIndexRole).toLongLong(), 0);
}

void tst_FrameTableModel::eventTime_data()
{
    QTest::addColumn<qint64>("timeNs");
    QTest::addColumn<QString>("expected");
    QTest::newRow("start") << qint64(0) << u"0.000000"_qs;
    QTest::newRow("under a microsecond is cut, not rounded") << qint64(999) << u"0.000000"_qs;
    QTest::newRow("one microsecond") << qint64(1'000) << u"0.000001"_qs;
    QTest::newRow("twelve seconds and 345 µs") << qint64(12'000'345'678) << u"12.000345"_qs;
    QTest::newRow("an hour") << qint64(3'600'000'000'000) << u"3600.000000"_qs;
}

void tst_FrameTableModel::eventTime()
{
    QFETCH(qint64, timeNs);
    QFETCH(QString, expected);
    QCOMPARE(formatEventTime(timeNs), expected);
}

void tst_FrameTableModel::rowKinds_data()
{
    QTest::addColumn<FrameTableModel::RowKinds>("kinds");
    QTest::addColumn<QList<qint64>>("events");
    QTest::addColumn<QStringList>("opcodes");
    QTest::newRow("frames") << FrameTableModel::RowKinds::Frames
                            << QList<qint64> {0, 1, 2, 3, 4, 5, 6, 7}
                            << QStringList {u"text"_qs, u"text"_qs, u"ping"_qs, u"pong"_qs,
                                   u"binary"_qs, u"text"_qs, u"text"_qs, u"close"_qs};
    QTest::newRow("messages") << FrameTableModel::RowKinds::Messages << QList<qint64> {8, 9}
                              << QStringList {u"text message"_qs, u"binary message"_qs};
    QTest::newRow("both") << FrameTableModel::RowKinds::Both
                          << QList<qint64> {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
                          << QStringList {u"text"_qs, u"text"_qs, u"ping"_qs, u"pong"_qs,
                                 u"binary"_qs, u"text"_qs, u"text"_qs, u"close"_qs,
                                 u"text message"_qs, u"binary message"_qs};
}

void tst_FrameTableModel::rowKinds()
{
    QFETCH(FrameTableModel::RowKinds, kinds);
    QFETCH(QList<qint64>, events);
    QFETCH(QStringList, opcodes);

    SessionDocument document;
    document.setSession(mixedSession());
    FrameTableModel model(&document);
    QAbstractItemModelTester tester(&model, kFatal);
    QSignalSpy changed(&model, &FrameTableModel::rowKindsChanged);
    model.setRowKinds(kinds);
    QCOMPARE(changed.count(), kinds == FrameTableModel::RowKinds::Frames ? 0 : 1);
    QCOMPARE(eventsOf(model), events);
    QCOMPARE(model.unfilteredRowCount(), events.size());
    QStringList shown;
    for (int row = 0; row < model.rowCount(); ++row)
        shown << cell(model, row, FrameTableModel::OpcodeColumn);
    QCOMPARE(shown, opcodes);
    // A message row: its size, the message's payload, no frame bits.
    if (kinds == FrameTableModel::RowKinds::Messages) {
        QCOMPARE(cell(model, 0, FrameTableModel::LengthColumn), u"10"_qs);
        QCOMPARE(cell(model, 0, FrameTableModel::PreviewColumn), u"\"Hello back\""_qs);
        QCOMPARE(cell(model, 0, FrameTableModel::FinColumn), QString());
        QCOMPARE(cell(model, 1, FrameTableModel::PreviewColumn), u"00 ff 10"_qs);
    }
}

void tst_FrameTableModel::filtering_data()
{
    QTest::addColumn<FrameTableModel::RowKinds>("kinds");
    QTest::addColumn<FrameFilter>("filter");
    QTest::addColumn<QList<qint64>>("events");

    const auto frames = FrameTableModel::RowKinds::Frames;
    QTest::newRow("no filter") << frames << FrameFilter {}
                               << QList<qint64> {0, 1, 2, 3, 4, 5, 6, 7};
    QTest::newRow("substring, any case")
        << frames << textFilter(u"hello"_qs) << QList<qint64> {0, 1};
    QTest::newRow("substring with a space")
        << frames << textFilter(u"HELLO BACK"_qs) << QList<qint64> {1};
    QTest::newRow("substring matches the opcode name")
        << frames << textFilter(u"ping"_qs) << QList<qint64> {2};
    QTest::newRow("substring of JSON text")
        << frames << textFilter(u"price"_qs) << QList<qint64> {5};
    QTest::newRow("substring of a hex preview")
        << frames << textFilter(u"00 ff"_qs) << QList<qint64> {4};
    QTest::newRow("substring that nothing has")
        << frames << textFilter(u"zebra"_qs) << QList<qint64> {};
    QTest::newRow("regex anchored at the opening quote")
        << frames << textFilter(u"^\"h"_qs, true) << QList<qint64> {0, 1};
    QTest::newRow("regex over opcode names")
        << frames << textFilter(u"^p[io]ng$"_qs, true) << QList<qint64> {2, 3};
    QTest::newRow("regex: a close payload is hex, not text")
        << frames << textFilter(u"bye"_qs, true) << QList<qint64> {6};
    QTest::newRow("regex with alternatives")
        << frames << textFilter(u"good|price"_qs, true) << QList<qint64> {5, 6};

    FrameFilter control;
    control.opcodes = opcodeBits({Opcode::Close, Opcode::Ping, Opcode::Pong});
    QTest::newRow("control opcodes") << frames << control << QList<qint64> {2, 3, 7};
    FrameFilter textOnly;
    textOnly.opcodes = opcodeBits({Opcode::Text});
    QTest::newRow("text opcode") << frames << textOnly << QList<qint64> {0, 1, 5, 6};
    FrameFilter serverOnly;
    serverOnly.direction = S2C;
    QTest::newRow("server to client") << frames << serverOnly << QList<qint64> {1, 3, 5};
    FrameFilter clientHello = textFilter(u"hello"_qs);
    clientHello.direction = C2S;
    QTest::newRow("client to server and text") << frames << clientHello << QList<qint64> {0};
    FrameFilter serverBinary;
    serverBinary.direction = S2C;
    serverBinary.opcodes = opcodeBits({Opcode::Binary});
    QTest::newRow("server binary: none") << frames << serverBinary << QList<qint64> {};

    QTest::newRow("messages, substring")
        << FrameTableModel::RowKinds::Messages << textFilter(u"hello"_qs) << QList<qint64> {8};
    QTest::newRow("messages, opcode")
        << FrameTableModel::RowKinds::Messages << serverBinary << QList<qint64> {};
    FrameFilter binary;
    binary.opcodes = opcodeBits({Opcode::Binary});
    QTest::newRow("frames and messages, binary")
        << FrameTableModel::RowKinds::Both << binary << QList<qint64> {4, 9};
}

void tst_FrameTableModel::filtering()
{
    QFETCH(FrameTableModel::RowKinds, kinds);
    QFETCH(FrameFilter, filter);
    QFETCH(QList<qint64>, events);

    SessionDocument document;
    document.setSession(mixedSession());
    FrameTableModel model(&document);
    QAbstractItemModelTester tester(&model, kFatal);
    model.setRowKinds(kinds);
    const int unfiltered = model.rowCount();
    QSignalSpy changed(&model, &FrameTableModel::filterChanged);
    QVERIFY(model.setFilter(filter));
    QCOMPARE(changed.count(), filter == FrameFilter {} ? 0 : 1);
    QCOMPARE(model.filter(), filter);
    QCOMPARE(eventsOf(model), events);
    QCOMPARE(model.unfilteredRowCount(), unfiltered);

    // Clearing the filter brings every row back.
    QVERIFY(model.setFilter({}));
    QCOMPARE(model.rowCount(), unfiltered);
}

void tst_FrameTableModel::invalidRegularExpressionKeepsFilter()
{
    SessionDocument document;
    document.setSession(mixedSession());
    FrameTableModel model(&document);
    QVERIFY(model.setFilter(textFilter(u"hello"_qs)));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    QVERIFY(!model.setFilter(textFilter(u"(unclosed"_qs, true)));
    QVERIFY(model.filterError().contains(u"regular expression"_qs));
    QCOMPARE(model.filter().text, u"hello"_qs);
    QCOMPARE(eventsOf(model), (QList<qint64> {0, 1}));
    QCOMPARE(reset.count(), 0);

    // The same text as a substring is fine, and clears the error.
    QVERIFY(model.setFilter(textFilter(u"(unclosed"_qs)));
    QVERIFY(model.filterError().isEmpty());
    QCOMPARE(model.rowCount(), 0);
}

void tst_FrameTableModel::rowForEventAndEventAt()
{
    SessionDocument document;
    document.setSession(mixedSession());
    FrameTableModel model(&document);
    FrameFilter filter;
    filter.direction = C2S;
    model.setRowKinds(FrameTableModel::RowKinds::Both);
    QVERIFY(model.setFilter(filter));
    const QList<qint64> expected {0, 2, 4, 6, 7, 9};
    QCOMPARE(eventsOf(model), expected);

    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.rowForEvent(model.eventAt(row)), row);
        QCOMPARE(model.data(model.index(row, 3), FrameTableModel::EventIndexRole).toLongLong(),
            expected[row]);
    }
    for (qint64 filteredOut : {1, 3, 5, 8})
        QCOMPARE(model.rowForEvent(filteredOut), -1);
    QCOMPARE(model.rowForEvent(-1), -1);
    QCOMPARE(model.rowForEvent(10), -1);
    QCOMPARE(model.rowForEvent(qint64(1) << 40), -1);
    QCOMPARE(model.eventAt(-1), -1);
    QCOMPARE(model.eventAt(model.rowCount()), -1);
}

void tst_FrameTableModel::liveAppendsInsertOneBatch()
{
    SessionDocument document;
    auto session = std::make_shared<Session>();
    document.setSession(session);
    FrameTableModel model(&document);
    QAbstractItemModelTester tester(&model, kFatal);
    QVERIFY(model.setFilter(textFilter(u"keep"_qs)));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    SessionBuilder b(*session);
    for (int i = 0; i < 10; ++i)
        b.text(i % 2 ? C2S : S2C, (i % 2 ? "keep " : "drop ") + QByteArray::number(i));
    QCOMPARE(model.rowCount(), 0); // nothing announced before the event loop turns

    QTRY_COMPARE(inserted.count(), 1);
    QCOMPARE(inserted[0][1].toInt(), 0);
    QCOMPARE(inserted[0][2].toInt(), 4);
    QCOMPARE(eventsOf(model), (QList<qint64> {1, 3, 5, 7, 9}));
    QCOMPARE(model.unfilteredRowCount(), 10);

    // A batch whose events are all filtered out inserts nothing but is counted.
    b.text(S2C, "drop 10");
    b.message(S2C, Opcode::Text, 7, 10, 1); // not a row in Frames mode
    document.flushAppends();
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.unfilteredRowCount(), 11);

    b.text(C2S, "keep 12");
    document.flushAppends();
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted[1][1].toInt(), 5);
    QCOMPARE(inserted[1][2].toInt(), 5);
    QCOMPARE(model.eventAt(5), 12);
    QCOMPARE(cell(model, 5, FrameTableModel::PreviewColumn), u"\"keep 12\""_qs);
}

void tst_FrameTableModel::filterChangesDuringLiveAppends()
{
    SessionDocument document;
    auto session = std::make_shared<Session>();
    document.setSession(session);
    FrameTableModel model(&document);
    QAbstractItemModelTester tester(&model, kFatal);
    SessionBuilder b(*session);

    const QList<FrameFilter> filters {textFilter(u"odd"_qs), FrameFilter {},
        textFilter(u"^\"even [0-9]*5\"$"_qs, true), textFilter(u"1"_qs)};
    int round = 0;
    for (const FrameFilter &filter : filters) {
        // Events recorded but not yet announced when the filter changes: the rebuild
        // covers the announced ones, the next batch the rest, none twice or lost.
        for (int i = 0; i < 25; ++i, ++round)
            b.text(
                round % 3 ? C2S : S2C, (round % 2 ? "odd " : "even ") + QByteArray::number(round));
        QVERIFY(model.setFilter(filter));
        document.flushAppends();

        FrameTableModel fresh(&document);
        QVERIFY(fresh.setFilter(filter));
        QCOMPARE(eventsOf(model), eventsOf(fresh));
        QCOMPARE(model.unfilteredRowCount(), round);
    }
    QVERIFY(model.rowCount() > 0);
}

void tst_FrameTableModel::sessionResetRebuilds()
{
    SessionDocument document;
    document.setSession(mixedSession());
    FrameTableModel model(&document);
    QAbstractItemModelTester tester(&model, kFatal);
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(cell(model, 0, FrameTableModel::PreviewColumn), u"\"Hello\""_qs);

    auto other = std::make_shared<Session>();
    SessionBuilder(*other).text(S2C, "another session");
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    document.setSession(other);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    // The preview cache must not answer with the old session's row 0.
    QCOMPARE(cell(model, 0, FrameTableModel::PreviewColumn), u"\"another session\""_qs);

    document.setSession(nullptr);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.unfilteredRowCount(), 0);
}

void tst_FrameTableModel::toolTipShowsFullPreviewEscaped()
{
    auto session = std::make_shared<Session>();
    SessionBuilder b(*session);
    const QByteArray markup = "<b>bold</b> & " + QByteArray(200, 'x') + " end";
    b.text(S2C, markup);
    SessionDocument document;
    document.setSession(session);
    FrameTableModel model(&document);

    const QString shown = cell(model, 0, FrameTableModel::PreviewColumn);
    QVERIFY2(shown.endsWith(u"…\""_qs), qPrintable(shown));
    QVERIFY(!shown.contains(u"end"_qs));
    const QString tip
        = model.data(model.index(0, FrameTableModel::PreviewColumn), Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(u"&lt;b&gt;bold&lt;/b&gt; &amp; "_qs), qPrintable(tip));
    QVERIFY(!tip.contains(u"<b>"_qs));
    QVERIFY2(Qt::mightBeRichText(tip), "else QToolTip would show the entities themselves");
    QVERIFY(tip.contains(u"x end"_qs)); // the whole payload fits in the tooltip
    QCOMPARE(
        model.data(model.index(0, FrameTableModel::PreviewColumn), Qt::FontRole).value<QFont>(),
        QFontDatabase::systemFont(QFontDatabase::FixedFont));
}

void tst_FrameTableModel::truncatedFramePreview()
{
    SessionLimits limits;
    limits.captureBytesPerFrame = 9; // 6-byte masked header + 3 payload bytes
    auto session = std::make_shared<Session>(limits);
    SessionBuilder(*session).text(C2S, "Hello, world");
    SessionDocument document;
    document.setSession(session);
    FrameTableModel model(&document);

    QCOMPARE(cell(model, 0, FrameTableModel::LengthColumn), u"12"_qs);
    QCOMPARE(cell(model, 0, FrameTableModel::PreviewColumn), u"\"Hel\" …"_qs);
    const QString tip
        = model.data(model.index(0, FrameTableModel::PreviewColumn), Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(u"Only 9 of the frame's 18 bytes were captured."_qs), qPrintable(tip));
}

void tst_FrameTableModel::controlAndProblemHints()
{
    auto session = std::make_shared<Session>();
    SessionBuilder b(*session);
    b.text(C2S, "fine"); // 0: a normal data frame
    b.frame(S2C, Opcode::Ping, "p"); // 1: control frame
    b.setMaskClientFrames(false);
    b.text(C2S, "unmasked"); // 2: §5.1 broken
    FrameSpec nonMinimal;
    nonMinimal.opcode = std::uint8_t(Opcode::Binary);
    nonMinimal.lengthEncoding = LengthEncoding::Bits64;
    b.frame(S2C, nonMinimal, "abc"); // 3: §5.2 broken
    b.frame(S2C, Opcode::Ping, "x", false); // 4: fragmented control frame, §5.5
    SessionDocument document;
    document.setSession(session);
    FrameTableModel model(&document);
    QAbstractItemModelTester tester(&model, kFatal);

    const auto background = [&](int row) {
        return model.data(model.index(row, FrameTableModel::PreviewColumn), Qt::BackgroundRole);
    };
    const auto problems = [&](int row) {
        return model.data(model.index(row, 0), FrameTableModel::ProblemRole).toStringList();
    };
    QVERIFY(!background(0).isValid());
    QVERIFY(problems(0).isEmpty());
    QVERIFY(background(1).isValid());
    QVERIFY(problems(1).isEmpty());
    const QColor control = background(1).value<QColor>();
    QVERIFY2(control.alpha() < 255, "a tint, laid over any palette");

    QCOMPARE(problems(2).size(), 1);
    QVERIFY(problems(2).front().contains(u"§5.1"_qs));
    QCOMPARE(problems(3).size(), 1);
    QVERIFY(problems(3).front().contains(u"§5.2"_qs));
    QCOMPARE(problems(4).size(), 1);
    QVERIFY(problems(4).front().contains(u"§5.5"_qs));
    for (int row : {2, 3, 4}) {
        QVERIFY(background(row).isValid());
        QVERIFY(background(row).value<QColor>() != control);
        // Every column explains the tint in its tooltip.
        QVERIFY(model.data(model.index(row, FrameTableModel::OpcodeColumn), Qt::ToolTipRole)
                    .toString()
                    .contains(u"RFC 6455"_qs));
    }
}

void tst_FrameTableModel::hundredThousandFrames()
{
    constexpr int kFrames = 100'000;
    auto session = std::make_shared<Session>();
    SessionBuilder b(*session);
    for (int i = 0; i < kFrames; ++i) {
        if (i % 10 == 9)
            b.frame(i % 2 ? C2S : S2C, Opcode::Ping, QByteArray::number(i));
        else
            b.text(i % 2 ? C2S : S2C, "msg " + QByteArray::number(i));
    }
    SessionDocument document;
    document.setSession(session);
    FrameTableModel model(&document);
    QCOMPARE(model.rowCount(), kFrames);
    QCOMPARE(model.eventAt(kFrames - 1), kFrames - 1);
    QCOMPARE(cell(model, 12345, FrameTableModel::PreviewColumn), u"\"msg 12345\""_qs);

    // Expected rows, worked out from the payloads, not from the model's previews.
    QList<qint64> expected;
    for (int i = 0; i < kFrames; ++i) {
        if (i % 10 != 9 && (u"msg "_qs + QString::number(i)).contains(u"msg 9999"_qs))
            expected << i;
    }
    QVERIFY(model.setFilter(textFilter(u"msg 9999"_qs)));
    QCOMPARE(eventsOf(model), expected);

    FrameFilter clientPings;
    clientPings.direction = C2S;
    clientPings.opcodes = opcodeBits({Opcode::Ping});
    QVERIFY(model.setFilter(clientPings));
    QCOMPARE(model.rowCount(), kFrames / 10); // every 10th frame, i odd
    for (int row = 0; row < model.rowCount(); row += 997)
        QCOMPARE(model.eventAt(row), qint64(row) * 10 + 9);

    QVERIFY(model.setFilter(textFilter(u"^\"msg [0-9]*00\"$"_qs, true)));
    QCOMPARE(model.rowCount(), kFrames / 100 - 1); // 100, 200, …; frame 0 is "msg 0"
    QCOMPARE(model.rowForEvent(500), 4);
    QCOMPARE(model.rowForEvent(501), -1);

    QVERIFY(model.setFilter({}));
    QCOMPARE(model.rowCount(), kFrames);
}

QTEST_MAIN(tst_FrameTableModel)
#include "tst_frametablemodel.moc"
