// Tests of the FrameDetailView and its field tree: every header field of the RFC 6455
// §5.7 masked "Hello" frame with its value, bits and position, fieldSelected() giving
// each field's bytes when its row is clicked, byte → field lookup, length encodings
// (7/16/64-bit, non-minimal), close payloads, messages and their frames, handshakes
// with byte ranges per header line, and the key/value trees of the other event kinds.

#include "eventfields.h"
#include "framedetailview.h"
#include "sessionbuilder.h"
#include "sessiondocument.h"
#include "streamdecoder.h"
#include "testbytes.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QtTest>

#include <memory>

using namespace frameline;
using frameline::test::hex;
using frameline::test::SessionBuilder;

namespace {

constexpr auto C2S = Direction::ClientToServer;
constexpr auto S2C = Direction::ServerToClient;
constexpr auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

// RFC 6455 §5.7: a single-frame masked text message containing "Hello".
const char *const kMaskedHello = "81 85 37 fa 21 3d 7f 9f 4d 51 58";

std::shared_ptr<Session> helloSession()
{
    auto session = std::make_shared<Session>();
    const StreamDecodeResult result = recordStream(*session, Role::Server, hex(kMaskedHello));
    Q_ASSERT(result.ending == StreamDecodeResult::Ending::Complete);
    return session; // 0: the frame, 1: its message
}

QString text(const FieldTreeModel *model, const QModelIndex &row, int column)
{
    return model->index(row.row(), column, row.parent()).data().toString();
}

/// The row `name` below the top-level row `top`.
QModelIndex fieldOf(const FieldTreeModel *model, const QString &top, const QString &name)
{
    return model->findByName(name, model->findByName(top));
}

struct Shown
{
    SessionDocument document;
    FrameDetailView view {&document};
    QAbstractItemModelTester tester {view.fieldModel(), kFatal};
};

} // namespace

class tst_FrameDetailView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helloFrameFields_data();
    void helloFrameFields();
    void clickingFieldEmitsItsBytes_data();
    void clickingFieldEmitsItsBytes();
    void fieldForByte_data();
    void fieldForByte();
    void lengthEncodings_data();
    void lengthEncodings();
    void closeFramePayload();
    void messageAndItsFrames();
    void handshakeHeadersAndChecks();
    void otherKinds_data();
    void otherKinds();
    void selectedFieldKeptAcrossEvents();
    void noEventNoRows();
};

void tst_FrameDetailView::helloFrameFields_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("bits");
    QTest::addColumn<QString>("position");
    QTest::addColumn<QString>("meaningPart");

    QTest::newRow("FIN") << u"FIN"_qs << u"1"_qs << u"1··· ····"_qs << u"byte 0, bit 0"_qs
                         << u"final frame"_qs;
    QTest::newRow("RSV1") << u"RSV1"_qs << u"0"_qs << u"·0·· ····"_qs << u"byte 0, bit 1"_qs
                          << u"not set"_qs;
    QTest::newRow("RSV2") << u"RSV2"_qs << u"0"_qs << u"··0· ····"_qs << u"byte 0, bit 2"_qs
                          << u"not set"_qs;
    QTest::newRow("RSV3") << u"RSV3"_qs << u"0"_qs << u"···0 ····"_qs << u"byte 0, bit 3"_qs
                          << u"not set"_qs;
    QTest::newRow("opcode") << u"opcode"_qs << u"0x1 (text)"_qs << u"···· 0001"_qs
                            << u"byte 0, bits 4–7"_qs << u"data frame"_qs;
    QTest::newRow("MASK") << u"MASK"_qs << u"1"_qs << u"1··· ····"_qs << u"byte 1, bit 0"_qs
                          << u"masked"_qs;
    QTest::newRow("7-bit payload length") << u"payload length"_qs << u"5"_qs << u"·000 0101"_qs
                                          << u"byte 1, bits 1–7"_qs << u"7-bit"_qs;
    QTest::newRow("masking key") << u"masking key"_qs << u"37 fa 21 3d"_qs << QString()
                                 << u"bytes 2–5"_qs << u"§5.3"_qs;
    QTest::newRow("payload") << u"payload"_qs << u"5 byte(s)"_qs << QString() << u"bytes 6–10"_qs
                             << u"unmasked: \"Hello\""_qs;
}

void tst_FrameDetailView::helloFrameFields()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, bits);
    QFETCH(QString, position);
    QFETCH(QString, meaningPart);

    Shown shown;
    shown.document.setSession(helloSession());
    shown.document.setCurrentEvent(0);
    const FieldTreeModel *model = shown.view.fieldModel();
    QCOMPARE(shown.view.shownEvent(), 0);

    const QModelIndex frame = model->findByName(u"WebSocket frame"_qs);
    QVERIFY(frame.isValid());
    QCOMPARE(model->rowCount(frame), 9); // no extended length: 7 header fields, key, payload
    const QModelIndex row = model->findByName(field, frame);
    QVERIFY(row.isValid());
    QCOMPARE(row.parent(), frame);
    QCOMPARE(text(model, row, FieldTreeModel::ValueColumn), value);
    QCOMPARE(text(model, row, FieldTreeModel::BitsColumn), bits);
    QCOMPARE(text(model, row, FieldTreeModel::PositionColumn), position);
    const QString meaning = text(model, row, FieldTreeModel::MeaningColumn);
    QVERIFY2(meaning.contains(meaningPart), qPrintable(meaning));
    QVERIFY(!model->node(row)->problem);
    QVERIFY(!model->findByName(u"problems"_qs).isValid());
}

void tst_FrameDetailView::clickingFieldEmitsItsBytes_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("length");
    QTest::newRow("masking key") << u"masking key"_qs << qint64(2) << qint64(4);
    QTest::newRow("payload") << u"payload"_qs << qint64(6) << qint64(5);
    QTest::newRow("FIN bit") << u"FIN"_qs << qint64(0) << qint64(1);
    QTest::newRow("opcode") << u"opcode"_qs << qint64(0) << qint64(1);
    QTest::newRow("7-bit length") << u"payload length"_qs << qint64(1) << qint64(1);
    QTest::newRow("whole frame") << u"WebSocket frame"_qs << qint64(0) << qint64(11);
    QTest::newRow("a row without bytes") << u"time"_qs << qint64(-1) << qint64(0);
}

void tst_FrameDetailView::clickingFieldEmitsItsBytes()
{
    QFETCH(QString, field);
    QFETCH(qint64, offset);
    QFETCH(qint64, length);

    Shown shown;
    shown.document.setSession(helloSession());
    shown.document.setCurrentEvent(0);
    shown.view.resize(900, 700);
    shown.view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&shown.view));

    QSignalSpy selected(&shown.view, &FrameDetailView::fieldSelected);
    const QModelIndex row = shown.view.fieldModel()->findByName(field);
    QVERIFY(row.isValid());
    const QRect rect = shown.view.visualRect(row);
    QVERIFY2(shown.view.viewport()->rect().contains(rect.center()), "the row is on screen");
    QTest::mouseClick(shown.view.viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(shown.view.currentIndex().siblingAtColumn(0), row);
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected[0][0].toLongLong(), offset);
    QCOMPARE(selected[0][1].toLongLong(), length);
}

void tst_FrameDetailView::fieldForByte_data()
{
    QTest::addColumn<qint64>("byte");
    QTest::addColumn<QString>("field");
    // Several fields share byte 0 and byte 1; the first of the narrowest wins.
    QTest::newRow("byte 0: FIN") << qint64(0) << u"FIN"_qs;
    QTest::newRow("byte 1: MASK") << qint64(1) << u"MASK"_qs;
    QTest::newRow("byte 2: masking key") << qint64(2) << u"masking key"_qs;
    QTest::newRow("byte 5: masking key") << qint64(5) << u"masking key"_qs;
    QTest::newRow("byte 6: payload") << qint64(6) << u"payload"_qs;
    QTest::newRow("byte 10: payload") << qint64(10) << u"payload"_qs;
    QTest::newRow("past the end: none") << qint64(11) << QString();
    QTest::newRow("negative: none") << qint64(-1) << QString();
}

void tst_FrameDetailView::fieldForByte()
{
    QFETCH(qint64, byte);
    QFETCH(QString, field);

    Shown shown;
    shown.document.setSession(helloSession());
    shown.document.setCurrentEvent(0);
    QSignalSpy selected(&shown.view, &FrameDetailView::fieldSelected);
    shown.view.selectFieldAt(byte);
    if (field.isEmpty()) {
        QVERIFY(!shown.view.selectionModel()->hasSelection());
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected[0][0].toLongLong(), -1);
        return;
    }
    const QModelIndex current = shown.view.currentIndex();
    QCOMPARE(current.data().toString(), field);
    QCOMPARE(current.parent().data().toString(), u"WebSocket frame"_qs);
    QCOMPARE(selected.count(), 1);
    const FieldNode *node = shown.view.fieldModel()->node(current);
    QCOMPARE(selected[0][0].toLongLong(), node->byteOffset);
    QCOMPARE(selected[0][1].toLongLong(), node->byteLength);
}

void tst_FrameDetailView::lengthEncodings_data()
{
    QTest::addColumn<int>("payloadSize");
    QTest::addColumn<int>("encoding"); // forced, 0: minimal
    QTest::addColumn<QString>("length7");
    QTest::addColumn<QString>("extendedPosition"); // empty: no extended length field
    QTest::addColumn<QString>("payloadPosition");
    QTest::addColumn<bool>("nonMinimal");

    QTest::newRow("125 bytes, 7-bit")
        << 125 << 0 << u"125"_qs << QString() << u"bytes 2–126"_qs << false;
    QTest::newRow("126 bytes, 16-bit")
        << 126 << 0 << u"126"_qs << u"bytes 2–3"_qs << u"bytes 4–129"_qs << false;
    QTest::newRow("65536 bytes, 64-bit")
        << 65536 << 0 << u"127"_qs << u"bytes 2–9"_qs << u"bytes 10–65545"_qs << false;
    QTest::newRow("5 bytes in a 16-bit field (non-minimal)")
        << 5 << 16 << u"126"_qs << u"bytes 2–3"_qs << u"bytes 4–8"_qs << true;
    QTest::newRow("300 bytes in a 64-bit field (non-minimal)")
        << 300 << 64 << u"127"_qs << u"bytes 2–9"_qs << u"bytes 10–309"_qs << true;
}

void tst_FrameDetailView::lengthEncodings()
{
    QFETCH(int, payloadSize);
    QFETCH(int, encoding);
    QFETCH(QString, length7);
    QFETCH(QString, extendedPosition);
    QFETCH(QString, payloadPosition);
    QFETCH(bool, nonMinimal);

    auto session = std::make_shared<Session>();
    FrameSpec spec;
    spec.opcode = std::uint8_t(Opcode::Binary);
    if (encoding)
        spec.lengthEncoding = LengthEncoding(encoding);
    SessionBuilder(*session).frame(S2C, spec, QByteArray(payloadSize, 'z'));
    Shown shown;
    shown.document.setSession(session);
    shown.document.setCurrentEvent(0);
    const FieldTreeModel *model = shown.view.fieldModel();

    const QModelIndex seven = fieldOf(model, u"WebSocket frame"_qs, u"payload length"_qs);
    QCOMPARE(text(model, seven, FieldTreeModel::ValueColumn), length7);
    const QModelIndex extended
        = fieldOf(model, u"WebSocket frame"_qs, u"extended payload length"_qs);
    QCOMPARE(extended.isValid(), !extendedPosition.isEmpty());
    if (extended.isValid()) {
        QCOMPARE(text(model, extended, FieldTreeModel::ValueColumn), QString::number(payloadSize));
        QCOMPARE(text(model, extended, FieldTreeModel::PositionColumn), extendedPosition);
        const QString meaning = text(model, extended, FieldTreeModel::MeaningColumn);
        QVERIFY2(meaning.contains(u"%1-bit"_qs.arg(length7 == u"126"_qs ? 16 : 64)),
            qPrintable(meaning));
        QCOMPARE(meaning.contains(u"non-minimal"_qs), nonMinimal);
        QCOMPARE(model->node(extended)->problem, nonMinimal);
    }
    const QModelIndex payload = fieldOf(model, u"WebSocket frame"_qs, u"payload"_qs);
    QCOMPARE(text(model, payload, FieldTreeModel::PositionColumn), payloadPosition);
    // A rule broken is also listed on its own, with its section.
    const QModelIndex problems = model->findByName(u"problems"_qs);
    QCOMPARE(problems.isValid(), nonMinimal);
    if (nonMinimal)
        QVERIFY(text(model, model->index(0, 0, problems), FieldTreeModel::MeaningColumn)
                    .contains(u"RFC 6455 §5.2"_qs));
}

void tst_FrameDetailView::closeFramePayload()
{
    auto session = std::make_shared<Session>();
    SessionBuilder b(*session);
    b.frame(C2S, Opcode::Close, hex("03 e8") + "bye"); // masked: 6-byte header
    b.frame(S2C, Opcode::Close, hex("03 ed")); // 1005 is never sent (§7.4.1)
    Shown shown;
    shown.document.setSession(session);
    shown.document.setCurrentEvent(0);
    const FieldTreeModel *model = shown.view.fieldModel();

    const QModelIndex code = model->findByName(u"status code"_qs);
    QCOMPARE(text(model, code, FieldTreeModel::ValueColumn), u"1000"_qs);
    QCOMPARE(text(model, code, FieldTreeModel::MeaningColumn), u"Normal Closure"_qs);
    QCOMPARE(model->node(code)->byteOffset, 6);
    QCOMPARE(model->node(code)->byteLength, 2);
    const QModelIndex reason = model->findByName(u"reason"_qs);
    QCOMPARE(text(model, reason, FieldTreeModel::ValueColumn), u"\"bye\""_qs);
    QCOMPARE(model->node(reason)->byteOffset, 8);
    QCOMPARE(model->node(reason)->byteLength, 3);
    QCOMPARE(model->indexForByte(9), reason);

    shown.document.setCurrentEvent(1);
    const QModelIndex bad = model->findByName(u"status code"_qs);
    QCOMPARE(text(model, bad, FieldTreeModel::ValueColumn), u"1005"_qs);
    QVERIFY(model->node(bad)->problem);
    QCOMPARE(model->node(bad)->byteOffset, 2);
}

void tst_FrameDetailView::messageAndItsFrames()
{
    auto session = std::make_shared<Session>();
    SessionBuilder b(*session);
    b.frame(S2C, Opcode::Text, "Hel", false); // 0
    b.frame(S2C, Opcode::Ping, "p"); // 1: between fragments (§5.4)
    b.text(C2S, "other direction"); // 2
    b.frame(S2C, Opcode::Continuation, "lo"); // 3
    b.message(S2C, Opcode::Text, 5, 0, 2); // 4
    Shown shown;
    shown.document.setSession(session);
    shown.document.setCurrentEvent(4);
    const FieldTreeModel *model = shown.view.fieldModel();

    const QModelIndex message = model->findByName(u"WebSocket message"_qs);
    QVERIFY(message.isValid());
    QCOMPARE(text(model, model->findByName(u"opcode"_qs, message), FieldTreeModel::ValueColumn),
        u"0x1 (text)"_qs);
    QCOMPARE(
        text(model, model->findByName(u"size"_qs, message), FieldTreeModel::ValueColumn), u"5"_qs);
    QCOMPARE(
        text(model, model->findByName(u"frame count"_qs, message), FieldTreeModel::ValueColumn),
        u"2"_qs);
    const QModelIndex frames = model->findByName(u"frames"_qs, message);
    QCOMPARE(model->rowCount(frames), 2);
    const FieldNode *first = model->node(model->index(0, 0, frames));
    const FieldNode *second = model->node(model->index(1, 0, frames));
    QCOMPARE(first->name, u"frame #0"_qs);
    QCOMPARE(first->linkedEvent, 0);
    QCOMPARE(first->byteOffset, 0);
    QCOMPARE(first->byteLength, 3);
    QCOMPARE(second->name, u"frame #3"_qs);
    QCOMPARE(second->linkedEvent, 3);
    QCOMPARE(second->byteOffset, 3);
    QCOMPARE(second->byteLength, 2);
    QCOMPARE(EventFields::bytesOf(*session, 4), QByteArray("Hello"));
    QVERIFY(text(model, model->findByName(u"payload"_qs, message), FieldTreeModel::MeaningColumn)
                .contains(u"\"Hello\""_qs));

    // Activating a frame row makes that frame the current event.
    Q_EMIT shown.view.activated(model->index(1, 0, frames));
    QCOMPARE(shown.document.currentEvent(), 3);
    QCOMPARE(shown.view.shownEvent(), 3);
    QVERIFY(model->findByName(u"WebSocket frame"_qs).isValid());
}

void tst_FrameDetailView::handshakeHeadersAndChecks()
{
    const QByteArray raw("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Accept: wrong=\r\n\r\n");
    HttpHeadParser parser(HttpHeadParser::Kind::Response);
    qsizetype consumed = 0;
    QCOMPARE(parser.feed(raw, consumed), HttpHeadParser::Status::Complete);
    HandshakeDetail detail;
    detail.head = parser.head();
    detail.checks = {{u"Status"_qs, u"101"_qs, u"101"_qs, true, true, u"RFC 6455 §4.1"_qs},
        {u"Sec-WebSocket-Accept"_qs, u"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="_qs, u"wrong="_qs, false, true,
            u"RFC 6455 §4.1"_qs}};
    detail.failureReason = u"Sec-WebSocket-Accept does not match"_qs;
    detail.key = "dGhlIHNhbXBsZSBub25jZQ==";
    auto session = std::make_shared<Session>();
    SessionBuilder(*session).event(EventKind::HandshakeResponse, S2C, detail, raw);
    Shown shown;
    shown.document.setSession(session);
    shown.document.setCurrentEvent(0);
    const FieldTreeModel *model = shown.view.fieldModel();

    const QModelIndex head = model->findByName(u"HTTP response"_qs);
    QCOMPARE(
        text(model, head, FieldTreeModel::ValueColumn), u"HTTP/1.1 101 Switching Protocols"_qs);
    const QModelIndex status = model->findByName(u"status line"_qs, head);
    QCOMPARE(model->node(status)->byteOffset, 0);
    QCOMPARE(model->node(status)->byteLength, 32);
    const QModelIndex upgrade = model->findByName(u"Upgrade"_qs, head);
    QCOMPARE(text(model, upgrade, FieldTreeModel::ValueColumn), u"websocket"_qs);
    QCOMPARE(model->node(upgrade)->byteOffset, 34);
    QCOMPARE(model->node(upgrade)->byteLength, qint64(sizeof("Upgrade: websocket") - 1));
    const QModelIndex accept
        = model->findByName(u"Sec-WebSocket-Accept"_qs, model->findByName(u"headers"_qs, head));
    QCOMPARE(raw.mid(model->node(accept)->byteOffset, model->node(accept)->byteLength),
        QByteArray("Sec-WebSocket-Accept: wrong="));
    QVERIFY(text(model, accept, FieldTreeModel::MeaningColumn).contains(u"SHA-1"_qs));

    const QModelIndex checks = model->findByName(u"checks"_qs, head);
    QCOMPARE(text(model, checks, FieldTreeModel::ValueColumn), u"1 of 2 passed"_qs);
    const QModelIndex failed = model->index(1, 0, checks);
    QCOMPARE(text(model, failed, FieldTreeModel::ValueColumn), u"failed"_qs);
    QVERIFY(model->node(failed)->problem);
    QVERIFY(!model->node(model->index(0, 0, checks))->problem);
    const QModelIndex accepted = model->findByName(u"accepted"_qs, head);
    QCOMPARE(text(model, accepted, FieldTreeModel::ValueColumn), u"no"_qs);
    QCOMPARE(text(model, accepted, FieldTreeModel::MeaningColumn), detail.failureReason);
}

void tst_FrameDetailView::otherKinds_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("top");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");

    QTest::newRow("close") << int(EventKind::Close) << u"close"_qs << u"code"_qs << u"1001"_qs;
    QTest::newRow("protocol error")
        << int(EventKind::Error) << u"protocol error"_qs << u"close code"_qs << u"1002"_qs;
    QTest::newRow("state change") << int(EventKind::StateChanged) << u"state change"_qs << u"to"_qs
                                  << u"CLOSING"_qs;
    QTest::newRow("TCP state") << int(EventKind::TcpState) << u"TCP state"_qs << u"state"_qs
                               << u"TIME-WAIT"_qs;
    QTest::newRow("TCP connected") << int(EventKind::TcpConnected) << u"TCP connected"_qs
                                   << u"peer"_qs << u"127.0.0.1:9001"_qs;
    QTest::newRow("DNS") << int(EventKind::DnsResolved) << u"DNS resolved"_qs << u"address"_qs
                         << u"::1"_qs;
    QTest::newRow("TLS") << int(EventKind::TlsEstablished) << u"TLS established"_qs << u"issuer"_qs
                         << u"CN=Test CA"_qs;
    QTest::newRow("note") << int(EventKind::Note) << u"note"_qs << u"text"_qs
                          << u"<i>not markup</i>"_qs;
}

void tst_FrameDetailView::otherKinds()
{
    QFETCH(int, kind);
    QFETCH(QString, top);
    QFETCH(QString, field);
    QFETCH(QString, value);

    EventDetail detail;
    switch (EventKind(kind)) {
    case EventKind::Close:
        detail = CloseDetail {ClosePayload {1001, "going"}, true};
        break;
    case EventKind::Error: {
        ErrorDetail error;
        error.error = ProtocolError::ReservedOpcode;
        error.closeCode = 1002;
        error.message = u"reserved opcode 0x3"_qs;
        detail = error;
        break;
    }
    case EventKind::StateChanged:
        detail = StateDetail {WebSocketState::Open, WebSocketState::Closing};
        break;
    case EventKind::TcpState:
        detail = TcpStateDetail {Role::Client, TcpState::TimeWait, Observation::Observed, {}};
        break;
    case EventKind::TcpConnected:
        detail = TcpDetail {u"127.0.0.1"_qs, 50000, u"127.0.0.1"_qs, 9001};
        break;
    case EventKind::DnsResolved:
        detail = DnsDetail {u"localhost"_qs, {u"::1"_qs}};
        break;
    case EventKind::TlsEstablished: {
        TlsDetail tls;
        tls.protocol = u"TLSv1.3"_qs;
        tls.cipher = u"TLS_AES_128_GCM_SHA256"_qs;
        tls.chain
            = {CertificateInfo {u"CN=localhost"_qs, u"CN=Test CA"_qs, {}, {}, "\x01\x02", {}}};
        tls.verificationErrors = {u"self-signed"_qs};
        detail = tls;
        break;
    }
    default:
        detail = NoteDetail {u"<i>not markup</i>"_qs};
        break;
    }
    auto session = std::make_shared<Session>();
    SessionBuilder(*session).event(EventKind(kind), Direction::None, detail);
    Shown shown;
    shown.document.setSession(session);
    shown.document.setCurrentEvent(0);
    const FieldTreeModel *model = shown.view.fieldModel();

    QCOMPARE(model->rowCount(), 2); // the event, its detail
    QCOMPARE(text(model, model->index(0, 0), FieldTreeModel::ValueColumn), u"#0"_qs);
    const QModelIndex detailRow = model->index(1, 0);
    QCOMPARE(detailRow.data().toString(), top);
    const QModelIndex row = model->findByName(field, detailRow);
    QVERIFY(row.isValid());
    QCOMPARE(text(model, row, FieldTreeModel::ValueColumn), value);
    if (EventKind(kind) == EventKind::Error || EventKind(kind) == EventKind::TlsEstablished)
        QVERIFY(model
                    ->node(EventKind(kind) == EventKind::Error
                            ? detailRow
                            : model->findByName(u"verification errors"_qs))
                    ->problem);
}

void tst_FrameDetailView::selectedFieldKeptAcrossEvents()
{
    auto session = std::make_shared<Session>();
    SessionBuilder b(*session);
    b.text(C2S, "Hello"); // 0: masking key at bytes 2–5
    b.text(S2C, "unmasked"); // 1: no masking key
    FrameSpec wide;
    wide.lengthEncoding = LengthEncoding::Bits16;
    b.frame(C2S, wide, "Hello"); // 2: masking key at bytes 4–7
    Shown shown;
    shown.document.setSession(session);
    shown.document.setCurrentEvent(0);
    const FieldTreeModel *model = shown.view.fieldModel();
    shown.view.setCurrentIndex(fieldOf(model, u"WebSocket frame"_qs, u"masking key"_qs));

    QSignalSpy selected(&shown.view, &FrameDetailView::fieldSelected);
    shown.document.setCurrentEvent(2);
    QCOMPARE(shown.view.currentIndex().data().toString(), u"masking key"_qs);
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected[0][0].toLongLong(), 4);
    QCOMPARE(selected[0][1].toLongLong(), 4);

    // A frame without that field: nothing is marked ...
    shown.document.setCurrentEvent(1);
    QCOMPARE(selected.count(), 2);
    QCOMPARE(selected[1][0].toLongLong(), -1);
    QVERIFY(!shown.view.selectionModel()->hasSelection());
    // ... but the choice is remembered for the next frame that has it.
    shown.document.setCurrentEvent(0);
    QCOMPARE(shown.view.currentIndex().data().toString(), u"masking key"_qs);
    QCOMPARE(selected.last()[0].toLongLong(), 2);
}

void tst_FrameDetailView::noEventNoRows()
{
    Shown shown;
    shown.document.setSession(helloSession());
    QCOMPARE(shown.view.fieldModel()->rowCount(), 0);
    shown.document.setCurrentEvent(0);
    QVERIFY(shown.view.fieldModel()->rowCount() > 0);
    shown.document.setSession(nullptr);
    QCOMPARE(shown.view.shownEvent(), -1);
    QCOMPARE(shown.view.fieldModel()->rowCount(), 0);
}

QTEST_MAIN(tst_FrameDetailView)
#include "tst_framedetailview.moc"
