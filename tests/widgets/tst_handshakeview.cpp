// Tests of the HandshakeView: the Sec-WebSocket-Accept derivation shown step by step with
// the RFC 6455 §1.3 example values, computed from the recorded bytes; a wrong Accept shown
// as a failure with expected and actual; a meaning on every header row; a failing check
// colouring its row (a missing header getting a row of its own); refused upgrades (426 to
// our client, 400 from our server); no handshake at all; the response arriving after the
// view was built; the current event highlighted; heads shown byte for byte; colours that
// follow a dark palette. Checks are made by the real core (validateServerResponse,
// answerClientRequest), so the verdicts shown are the ones a live session records.

#include "handshakeheadermodel.h"
#include "handshakerawtext.h"
#include "handshakeview.h"
#include "sessionbuilder.h"
#include "sessiondocument.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QtTest>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTreeView>

#include <memory>

using namespace frameline;
using frameline::test::SessionBuilder;

namespace {

constexpr auto C2S = Direction::ClientToServer;
constexpr auto S2C = Direction::ServerToClient;
constexpr auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

// RFC 6455 §1.3: the example key and the Accept value derived from it.
const QByteArray kRfcKey = "dGhlIHNhbXBsZSBub25jZQ==";
const QByteArray kRfcAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
const QString kRfcSha1Hex = u"b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea"_qs;

using Model = HandshakeHeaderModel;

ClientHandshakeOptions clientOptions()
{
    ClientHandshakeOptions options;
    options.host = "server.example.com";
    options.resourceName = "/chat";
    options.origin = "http://example.com";
    options.subprotocols = {"chat", "superchat"};
    options.extraHeaders = {{"User-Agent", "frameline-test/1"}, {"Cookie", "session=42"}};
    return options;
}

HttpHead parseHead(const QByteArray &raw, HttpHeadParser::Kind kind)
{
    HttpHeadParser parser(kind);
    qsizetype consumed = 0;
    const auto status = parser.feed(raw, consumed);
    Q_ASSERT(status == HttpHeadParser::Status::Complete);
    HttpHead head = parser.head();
    head.raw.clear();
    return head;
}

QByteArray answer(const QByteArray &accept, const QByteArray &extra = {})
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: "
        + accept + "\r\nSec-WebSocket-Protocol: chat\r\nServer: test-server/2\r\n"
        + "Date: Wed, 01 May 2024 10:00:00 GMT\r\n" + extra + "\r\n";
}

/// A client session (Frameline played the client) as the recorder would log it: the
/// request, then `response` with the checks the client made on it.
class ClientExchange
{
public:
    ClientExchange()
        : session(std::make_shared<Session>())
        , builder(*session)
    {
        SessionInfo info;
        info.url = u"ws://server.example.com/chat"_qs;
        info.localRole = Role::Client;
        info.startedAt = QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC);
        session->setInfo(info);
        builder.event(EventKind::TcpConnected, Direction::None, TcpDetail {});
    }

    std::uint32_t sendRequest(const QByteArray &key = kRfcKey)
    {
        m_key = key;
        request = buildClientRequest(clientOptions(), key);
        HandshakeDetail detail;
        detail.head = parseHead(request, HttpHeadParser::Kind::Request);
        detail.key = key;
        return builder.event(EventKind::HandshakeRequest, C2S, detail, request);
    }

    std::uint32_t receive(const QByteArray &response)
    {
        const HttpHead head = parseHead(response, HttpHeadParser::Kind::Response);
        const ClientHandshakeResult result = validateServerResponse(head, m_key, clientOptions());
        HandshakeDetail detail;
        detail.head = head;
        detail.checks = result.checks;
        detail.accepted = result.accepted;
        detail.failureReason = result.failureReason;
        detail.key = m_key;
        detail.expectedAccept = computeAcceptKey(m_key);
        detail.subprotocol = result.subprotocol;
        return builder.event(EventKind::HandshakeResponse, S2C, detail, response);
    }

    std::shared_ptr<Session> session;
    SessionBuilder builder;
    QByteArray request;

private:
    QByteArray m_key;
};

/// A dark theme's palette, every role set (as a desktop's dark theme does).
QPalette darkPalette()
{
    const QColor text(0xe0, 0xe0, 0xe0);
    QPalette dark(QColor(0x35, 0x35, 0x35), QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, text);
    dark.setColor(QPalette::ButtonText, text);
    dark.setColor(QPalette::Text, text);
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    dark.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    dark.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    return dark;
}

/// A view on a document, with the header model watched by QAbstractItemModelTester
/// from before the first session is shown.
struct Shown
{
    SessionDocument document;
    HandshakeView view {&document};
    QAbstractItemModelTester tester {view.headerModel(), kFatal};

    explicit Shown(std::shared_ptr<Session> session = {})
    {
        view.resize(1100, 650);
        if (session)
            document.setSession(std::move(session));
    }

    QString step(HandshakeView::Step s) const { return view.stepValueLabel(s)->text(); }
    QString note(HandshakeView::Step s) const { return view.stepNoteLabel(s)->text(); }
    int row(HandshakeSide side, const QString &name) const
    {
        return view.headerModel()->findRow(side, name);
    }
    QVariant data(int row, int column, int role = Qt::DisplayRole) const
    {
        const Model *model = view.headerModel();
        return model->data(model->index(row, column), role);
    }
    VerdictColors colors() const { return VerdictColors::fromPalette(view.palette()); }
};

} // namespace

class tst_HandshakeView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfcExampleSteps();
    void derivationComesFromTheRecordedBytes();
    void wrongAcceptShowsExpectedAndActual();
    void everyHeaderRowHasAMeaning_data();
    void everyHeaderRowHasAMeaning();
    void failingCheckColoursItsRow_data();
    void failingCheckColoursItsRow();
    void malformedKey();
    void refusedByTheServer();
    void refusedByOurServer();
    void noHandshake_data();
    void noHandshake();
    void responseArrivesAfterTheViewWasBuilt();
    void handshakeWithoutChecks();
    void currentEventIsHighlighted();
    void rawHeadsShownByteForByte();
    void rawHeadText_data();
    void rawHeadText();
    void followsADarkPalette();
};

void tst_HandshakeView::rfcExampleSteps()
{
    ClientExchange exchange;
    exchange.sendRequest();
    exchange.receive(answer(kRfcAccept));
    Shown shown(exchange.session);

    QCOMPARE(shown.view.state(), HandshakeView::State::Accepted);
    QCOMPARE(shown.step(HandshakeView::KeyStep), QString::fromLatin1(kRfcKey));
    // "the sample nonce": the 16 bytes the RFC's key encodes.
    QVERIFY2(shown.note(HandshakeView::KeyStep)
                 .contains(u"74 68 65 20 73 61 6d 70 6c 65 20 6e 6f 6e 63 65"_qs),
        qPrintable(shown.note(HandshakeView::KeyStep)));
    QVERIFY(shown.note(HandshakeView::KeyStep).contains(u"16 bytes"_qs));
    QCOMPARE(shown.step(HandshakeView::ConcatenationStep),
        u"dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"_qs);
    QCOMPARE(shown.step(HandshakeView::Sha1Step), kRfcSha1Hex);
    QCOMPARE(shown.step(HandshakeView::Base64Step), QString::fromLatin1(kRfcAccept));
    QCOMPARE(shown.step(HandshakeView::ComparisonStep), QString::fromLatin1(kRfcAccept));
    QVERIFY(shown.note(HandshakeView::ComparisonStep).startsWith(u"✓"_qs));
    QCOMPARE(shown.view.derivation().outcome, AcceptDerivation::Outcome::Match);
    QVERIFY(shown.view.bannerTitle()->text().contains(u"101 Switching Protocols"_qs));
    QVERIFY(shown.view.bannerDetail()->text().contains(u"Subprotocol: chat"_qs));

    const int accept = shown.row(HandshakeSide::Response, u"Sec-WebSocket-Accept"_qs);
    QVERIFY(accept >= 0);
    QCOMPARE(shown.data(accept, 0, Model::VerdictRole).toInt(), int(Model::Verdict::Passed));
    QCOMPARE(shown.data(accept, Model::VerdictColumn, Qt::ForegroundRole).value<QColor>(),
        shown.colors().success);
}

void tst_HandshakeView::derivationComesFromTheRecordedBytes()
{
    // Details that say nothing (no parsed head, a bogus expected Accept): the view must
    // read the key and the answer from the bytes themselves.
    auto session = std::make_shared<Session>();
    SessionBuilder builder(*session);
    HandshakeDetail empty;
    empty.expectedAccept = "bogus";
    builder.event(
        EventKind::HandshakeRequest, C2S, empty, buildClientRequest(clientOptions(), kRfcKey));
    builder.event(EventKind::HandshakeResponse, S2C, empty, answer(kRfcAccept));
    Shown shown(session);

    QCOMPARE(shown.step(HandshakeView::KeyStep), QString::fromLatin1(kRfcKey));
    QCOMPARE(shown.step(HandshakeView::Sha1Step), kRfcSha1Hex);
    QCOMPARE(shown.step(HandshakeView::Base64Step), QString::fromLatin1(kRfcAccept));
    QCOMPARE(shown.view.derivation().outcome, AcceptDerivation::Outcome::Match);
    QVERIFY(shown.row(HandshakeSide::Request, u"Sec-WebSocket-Key"_qs) >= 0);
}

void tst_HandshakeView::wrongAcceptShowsExpectedAndActual()
{
    const QByteArray wrong = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    ClientExchange exchange;
    exchange.sendRequest();
    exchange.receive(answer(wrong));
    Shown shown(exchange.session);

    QCOMPARE(shown.view.state(), HandshakeView::State::Rejected);
    QCOMPARE(shown.view.derivation().outcome, AcceptDerivation::Outcome::Mismatch);
    // Steps 1–4 still show the right derivation; step 5 what came and why it is wrong.
    QCOMPARE(shown.step(HandshakeView::Base64Step), QString::fromLatin1(kRfcAccept));
    QCOMPARE(shown.step(HandshakeView::ComparisonStep), QString::fromLatin1(wrong));
    const QString note = shown.note(HandshakeView::ComparisonStep);
    QVERIFY2(note.startsWith(u"✗"_qs), qPrintable(note));
    QVERIFY(note.contains(QString::fromLatin1(kRfcAccept)));
    QVERIFY(note.contains(QString::fromLatin1(wrong)));
    QCOMPARE(shown.view.stepNoteLabel(HandshakeView::ComparisonStep)
                 ->palette()
                 .color(QPalette::WindowText),
        shown.colors().error);

    // The banner carries the client's reason, and the header row the recorded check.
    QVERIFY2(shown.view.bannerDetail()->text().contains(u"Sec-WebSocket-Accept"_qs),
        qPrintable(shown.view.bannerDetail()->text()));
    const int row = shown.row(HandshakeSide::Response, u"Sec-WebSocket-Accept"_qs);
    QVERIFY(row >= 0);
    const QString verdict = shown.data(row, Model::VerdictColumn).toString();
    QVERIFY2(verdict.contains(QString::fromLatin1(kRfcAccept))
            && verdict.contains(QString::fromLatin1(wrong)) && verdict.contains(u"§4.1"_qs),
        qPrintable(verdict));

    // Selecting the row shows its meaning and verdict whole, in the error colour.
    QVERIFY(!shown.view.headerDetail()->isVisibleTo(&shown.view));
    shown.view.headerView()->setCurrentIndex(shown.view.headerModel()->index(row, 0));
    QVERIFY(shown.view.headerDetail()->isVisibleTo(&shown.view));
    const QString detail = shown.view.headerDetail()->text();
    QVERIFY2(detail.contains(shown.data(row, Model::MeaningColumn).toString())
            && detail.contains(verdict),
        qPrintable(detail));
    QCOMPARE(
        shown.view.headerDetail()->palette().color(QPalette::WindowText), shown.colors().error);
}

void tst_HandshakeView::everyHeaderRowHasAMeaning_data()
{
    QTest::addColumn<int>("side");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("meaningPart");
    const int request = int(HandshakeSide::Request);
    const int response = int(HandshakeSide::Response);
    QTest::newRow("Host") << request << u"Host"_qs << u"host and port"_qs;
    QTest::newRow("Upgrade in the request") << request << u"Upgrade"_qs << u"websocket"_qs;
    QTest::newRow("Connection") << request << u"Connection"_qs << u"Upgrade"_qs;
    QTest::newRow("the key") << request << u"Sec-WebSocket-Key"_qs << u"16 random bytes"_qs;
    QTest::newRow("the version") << request << u"Sec-WebSocket-Version"_qs << u"13"_qs;
    QTest::newRow("subprotocols offered")
        << request << u"Sec-WebSocket-Protocol"_qs << u"offers"_qs;
    QTest::newRow("Origin") << request << u"Origin"_qs << u"browsers"_qs;
    QTest::newRow("User-Agent, outside the handshake")
        << request << u"User-Agent"_qs << u"not part of the WebSocket handshake"_qs;
    QTest::newRow("Cookie, outside the handshake")
        << request << u"Cookie"_qs << u"not part of the WebSocket handshake"_qs;
    QTest::newRow("the accept") << response << u"Sec-WebSocket-Accept"_qs << u"SHA-1"_qs;
    QTest::newRow("subprotocol chosen") << response << u"Sec-WebSocket-Protocol"_qs << u"chose"_qs;
    QTest::newRow("Server, outside the handshake")
        << response << u"Server"_qs << u"not part of the WebSocket handshake"_qs;
    QTest::newRow("Date, outside the handshake")
        << response << u"Date"_qs << u"not part of the WebSocket handshake"_qs;
    QTest::newRow("the status line") << response << u"status line"_qs << u"101"_qs;
}

void tst_HandshakeView::everyHeaderRowHasAMeaning()
{
    QFETCH(int, side);
    QFETCH(QString, name);
    QFETCH(QString, meaningPart);
    ClientExchange exchange;
    exchange.sendRequest();
    exchange.receive(answer(kRfcAccept));
    Shown shown(exchange.session);

    const Model *model = shown.view.headerModel();
    // 1 request line + 9 request headers, 1 status line + 6 response headers.
    QCOMPARE(model->rowCount(), 17);
    for (int row = 0; row < model->rowCount(); ++row)
        QVERIFY2(!shown.data(row, Model::MeaningColumn).toString().isEmpty(),
            qPrintable(shown.data(row, Model::NameColumn).toString()));
    const int row = shown.row(HandshakeSide(side), name);
    QVERIFY(row >= 0);
    QVERIFY2(shown.data(row, Model::MeaningColumn).toString().contains(meaningPart),
        qPrintable(shown.data(row, Model::MeaningColumn).toString()));
}

void tst_HandshakeView::failingCheckColoursItsRow_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QString>("header");
    QTest::addColumn<bool>("missing");
    const QByteArray accept = "Sec-WebSocket-Accept: " + kRfcAccept + "\r\n";
    QTest::newRow("a wrong Accept")
        << answer("AAAAAAAAAAAAAAAAAAAAAAAAAAA=") << u"Sec-WebSocket-Accept"_qs << false;
    QTest::newRow("Connection without the Upgrade token") << QByteArray(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        "Connection: keep-alive\r\n"
        + accept + "\r\n") << u"Connection"_qs << false;
    QTest::newRow("no Upgrade header") << QByteArray(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n" + accept + "\r\n")
                                       << u"Upgrade"_qs << true;
    QTest::newRow("a subprotocol that was not offered")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\n"
               + accept + "Sec-WebSocket-Protocol: mqtt\r\n\r\n")
        << u"Sec-WebSocket-Protocol"_qs << false;
}

void tst_HandshakeView::failingCheckColoursItsRow()
{
    QFETCH(QByteArray, response);
    QFETCH(QString, header);
    QFETCH(bool, missing);
    ClientExchange exchange;
    exchange.sendRequest();
    exchange.receive(response);
    Shown shown(exchange.session);
    const VerdictColors colors = shown.colors();

    const int row = shown.row(HandshakeSide::Response, header);
    QVERIFY(row >= 0);
    QCOMPARE(shown.view.headerModel()->headerRow(row).kind == HandshakeHeaderRow::Kind::Missing,
        missing);
    QCOMPARE(shown.data(row, 0, Model::VerdictRole).toInt(), int(Model::Verdict::Failed));
    for (int column = 0; column < Model::ColumnCount; ++column) {
        QCOMPARE(shown.data(row, column, Qt::ForegroundRole).value<QColor>(), colors.error);
        QCOMPARE(shown.data(row, column, Qt::BackgroundRole).value<QColor>(), colors.errorTint);
    }
    QVERIFY(shown.data(row, Model::VerdictColumn).toString().contains(u"expected"_qs));
    if (missing)
        QVERIFY(shown.data(row, Model::NameColumn).toString().contains(u"missing"_qs));

    // Rows whose checks passed are not coloured as errors.
    const int status = shown.row(HandshakeSide::Response, u"status line"_qs);
    QCOMPARE(shown.data(status, 0, Model::VerdictRole).toInt(), int(Model::Verdict::Passed));
    QVERIFY(
        shown.data(status, Model::NameColumn, Qt::ForegroundRole).value<QColor>() != colors.error);
    QVERIFY(!shown.data(status, Model::NameColumn, Qt::BackgroundRole).isValid());
    // Headers of the request were not checked by the client; they say so, uncoloured.
    const int host = shown.row(HandshakeSide::Request, u"Host"_qs);
    QCOMPARE(shown.data(host, 0, Model::VerdictRole).toInt(), int(Model::Verdict::NotChecked));
    QCOMPARE(shown.data(host, Model::VerdictColumn).toString(), u"not checked"_qs);
}

void tst_HandshakeView::malformedKey()
{
    // A 12-byte nonce: RFC 6455 §4.1 wants 16. The derivation still runs (a server
    // that does not check would answer this), but step 1 says what is wrong.
    const QByteArray shortKey = QByteArray("twelve bytes").toBase64();
    ClientExchange exchange;
    exchange.sendRequest(shortKey);
    Shown shown(exchange.session);

    QCOMPARE(shown.step(HandshakeView::KeyStep), QString::fromLatin1(shortKey));
    const QString note = shown.note(HandshakeView::KeyStep);
    QVERIFY2(note.startsWith(u"✗"_qs) && note.contains(u"12 byte"_qs), qPrintable(note));
    QCOMPARE(
        shown.step(HandshakeView::Base64Step), QString::fromLatin1(computeAcceptKey(shortKey)));
    QVERIFY(!shown.view.derivation().keyValid);
}

void tst_HandshakeView::refusedByTheServer()
{
    ClientExchange exchange;
    exchange.sendRequest();
    exchange.receive("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n"
                     "Upgrade: websocket\r\nConnection: Upgrade, close\r\n"
                     "Content-Length: 0\r\n\r\n");
    Shown shown(exchange.session);

    QCOMPARE(shown.view.state(), HandshakeView::State::Refused);
    QCOMPARE(shown.view.bannerTitle()->text(), u"Upgrade refused: 426 Upgrade Required"_qs);
    QVERIFY(shown.view.bannerDetail()->isVisibleTo(&shown.view));
    QVERIFY2(shown.view.bannerDetail()->text().contains(u"426"_qs),
        qPrintable(shown.view.bannerDetail()->text()));
    QCOMPARE(shown.view.derivation().outcome, AcceptDerivation::Outcome::NoAcceptHeader);
    QVERIFY(shown.note(HandshakeView::ComparisonStep).contains(u"426 Upgrade Required"_qs));
    const int status = shown.row(HandshakeSide::Response, u"status line"_qs);
    QVERIFY(shown.data(status, Model::MeaningColumn).toString().contains(u"426"_qs));
    QCOMPARE(shown.data(status, 0, Model::VerdictRole).toInt(), int(Model::Verdict::Failed));
    const int version = shown.row(HandshakeSide::Response, u"Sec-WebSocket-Version"_qs);
    QVERIFY(shown.data(version, Model::MeaningColumn).toString().contains(u"refuses"_qs));
}

void tst_HandshakeView::refusedByOurServer()
{
    // Frameline played the server: it checked the request (no key) and answered 400.
    QByteArray request = "GET /chat HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n";
    const HttpHead head = parseHead(request, HttpHeadParser::Kind::Request);
    const ServerHandshakeResult result = answerClientRequest(head, {});
    QCOMPARE(result.statusCode, 400);

    auto session = std::make_shared<Session>();
    SessionBuilder builder(*session);
    HandshakeDetail requestDetail;
    requestDetail.head = head;
    requestDetail.checks = result.checks;
    requestDetail.failureReason = result.failureReason;
    builder.event(EventKind::HandshakeRequest, C2S, requestDetail, request);
    HandshakeDetail responseDetail;
    responseDetail.head = parseHead(result.response, HttpHeadParser::Kind::Response);
    builder.event(EventKind::HandshakeResponse, S2C, responseDetail, result.response);
    Shown shown(session);

    QCOMPARE(shown.view.state(), HandshakeView::State::Refused);
    QCOMPARE(shown.view.bannerTitle()->text(), u"Upgrade refused: 400 Bad Request"_qs);
    QCOMPARE(shown.view.bannerDetail()->text(), result.failureReason);
    const int key = shown.row(HandshakeSide::Request, u"Sec-WebSocket-Key"_qs);
    QVERIFY(key >= 0);
    QCOMPARE(shown.view.headerModel()->headerRow(key).kind, HandshakeHeaderRow::Kind::Missing);
    QCOMPARE(shown.data(key, 0, Model::VerdictRole).toInt(), int(Model::Verdict::Failed));
    // Method, HTTP version: checks on the request line.
    const int line = shown.row(HandshakeSide::Request, u"request line"_qs);
    QCOMPARE(shown.view.headerModel()->headerRow(line).checks.size(), 2);
    QCOMPARE(shown.view.derivation().outcome, AcceptDerivation::Outcome::NoKey);
    QVERIFY(shown.note(HandshakeView::KeyStep).startsWith(u"✗"_qs));
}

void tst_HandshakeView::noHandshake_data()
{
    QTest::addColumn<QString>("error");
    QTest::addColumn<bool>("frames");
    QTest::addColumn<QString>("title");
    QTest::newRow("nothing yet") << QString() << false << u"No opening handshake yet"_qs;
    QTest::newRow("connection refused")
        << u"Cannot connect to ws://localhost:1/: Connection refused"_qs << false
        << u"No opening handshake"_qs;
    QTest::newRow("frames decoded without their handshake")
        << QString() << true << u"No opening handshake recorded"_qs;
}

void tst_HandshakeView::noHandshake()
{
    QFETCH(QString, error);
    QFETCH(bool, frames);
    QFETCH(QString, title);
    auto session = std::make_shared<Session>();
    SessionBuilder builder(*session);
    builder.event(EventKind::DnsResolved, Direction::None, DnsDetail {u"localhost"_qs, {}});
    if (!error.isEmpty())
        builder.event(EventKind::Error, Direction::None,
            ErrorDetail {ProtocolError::AbnormalClosure, 1006, error, 0});
    if (frames)
        builder.text(S2C, "hello");
    Shown shown(session);

    QCOMPARE(shown.view.state(), HandshakeView::State::NoHandshake);
    QCOMPARE(shown.view.bannerTitle()->text(), title);
    if (!error.isEmpty())
        QVERIFY(shown.view.bannerDetail()->text().contains(error));
    QCOMPARE(shown.view.headerModel()->rowCount(), 0);
    QCOMPARE(shown.step(HandshakeView::KeyStep), u"—"_qs);
    QVERIFY(shown.view.rawView(HandshakeSide::Request)->toPlainText().isEmpty());
    QVERIFY(!shown.view.rawView(HandshakeSide::Request)->placeholderText().isEmpty());

    // No session at all.
    shown.document.setSession({});
    QCOMPARE(shown.view.state(), HandshakeView::State::NoSession);
}

void tst_HandshakeView::responseArrivesAfterTheViewWasBuilt()
{
    ClientExchange exchange;
    exchange.sendRequest();
    Shown shown(exchange.session);
    QCOMPARE(shown.view.state(), HandshakeView::State::WaitingForResponse);
    QCOMPARE(shown.view.derivation().outcome, AcceptDerivation::Outcome::NoResponse);
    QCOMPARE(shown.view.headerModel()->rowCount(), 10);
    QVERIFY(shown.view.rawView(HandshakeSide::Response)->toPlainText().isEmpty());
    QCOMPARE(shown.step(HandshakeView::Base64Step), QString::fromLatin1(kRfcAccept));

    QSignalSpy inserted(shown.view.headerModel(), &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(shown.view.headerModel(), &QAbstractItemModel::modelReset);
    exchange.receive(answer(kRfcAccept));
    // Appends are announced on the next event-loop turn.
    QTRY_COMPARE(shown.view.state(), HandshakeView::State::Accepted);
    QCOMPARE(inserted.size(), 1); // the answer's rows, below the request's
    QCOMPARE(reset.size(), 0);
    QCOMPARE(shown.view.headerModel()->rowCount(), 17);
    QCOMPARE(shown.step(HandshakeView::ComparisonStep), QString::fromLatin1(kRfcAccept));
    QVERIFY(shown.view.rawView(HandshakeSide::Response)
                ->toPlainText()
                .startsWith(u"HTTP/1.1 101 Switching Protocols\\r\\n\n"_qs));

    // Frames after the handshake change nothing.
    exchange.builder.text(S2C, "hello");
    shown.document.flushAppends();
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(reset.size(), 0);
}

void tst_HandshakeView::handshakeWithoutChecks()
{
    // Rebuilt heads (a HAR import) carry no checks: the view shows what there is and
    // says that only the derivation was computed.
    auto session = std::make_shared<Session>();
    SessionBuilder builder(*session);
    const QByteArray request = buildClientRequest(clientOptions(), kRfcKey);
    HandshakeDetail requestDetail;
    requestDetail.head = parseHead(request, HttpHeadParser::Kind::Request);
    builder.event(EventKind::HandshakeRequest, C2S, requestDetail, request);
    HandshakeDetail responseDetail;
    responseDetail.head = parseHead(answer(kRfcAccept), HttpHeadParser::Kind::Response);
    responseDetail.accepted = true;
    builder.event(EventKind::HandshakeResponse, S2C, responseDetail, answer(kRfcAccept));
    Shown shown(session);

    QCOMPARE(shown.view.state(), HandshakeView::State::Accepted);
    QVERIFY(shown.view.bannerDetail()->text().contains(u"No RFC checks"_qs));
    for (int row = 0; row < shown.view.headerModel()->rowCount(); ++row)
        QCOMPARE(shown.data(row, 0, Model::VerdictRole).toInt(), int(Model::Verdict::NotChecked));
    QCOMPARE(shown.view.derivation().outcome, AcceptDerivation::Outcome::Match);
}

void tst_HandshakeView::currentEventIsHighlighted()
{
    ClientExchange exchange;
    const std::uint32_t request = exchange.sendRequest();
    const std::uint32_t response = exchange.receive(answer(kRfcAccept));
    const std::uint32_t frame = exchange.builder.text(S2C, "hello");
    Shown shown(exchange.session);
    const Model *model = shown.view.headerModel();
    const int requestRow = shown.row(HandshakeSide::Request, u"Host"_qs);
    const int responseRow = shown.row(HandshakeSide::Response, u"Server"_qs);

    QCOMPARE(shown.view.highlightedEvent(), -1);
    shown.document.setCurrentEvent(request);
    QCOMPARE(shown.view.highlightedEvent(), qint64(request));
    QCOMPARE(model->highlightedSide(), HandshakeSide::Request);
    QVERIFY(shown.data(requestRow, 0, Qt::FontRole).value<QFont>().bold());
    QVERIFY(!shown.data(responseRow, 0, Qt::FontRole).value<QFont>().bold());
    QVERIFY(shown.view.rawTitle(HandshakeSide::Request)->autoFillBackground());
    QVERIFY(!shown.view.rawTitle(HandshakeSide::Response)->autoFillBackground());

    shown.document.setCurrentEvent(response);
    QCOMPARE(shown.view.highlightedEvent(), qint64(response));
    QVERIFY(shown.data(responseRow, 0, Qt::FontRole).value<QFont>().bold());
    QVERIFY(!shown.view.rawTitle(HandshakeSide::Request)->autoFillBackground());

    shown.document.setCurrentEvent(frame);
    QCOMPARE(shown.view.highlightedEvent(), -1);
    QVERIFY(!model->highlightedSide().has_value());
}

void tst_HandshakeView::rawHeadsShownByteForByte()
{
    ClientExchange exchange;
    exchange.sendRequest();
    // A header value with a byte above 0x7E (obs-text, RFC 9110 §5.5).
    exchange.receive(answer(kRfcAccept, "X-Note: caf\xe9\r\n"));
    Shown shown(exchange.session);

    const QString request = shown.view.rawView(HandshakeSide::Request)->toPlainText();
    QCOMPARE(request, RawHeadText::plain(exchange.request));
    QVERIFY(request.startsWith(u"GET /chat HTTP/1.1\\r\\n\nHost: server.example.com\\r\\n\n"_qs));
    QVERIFY(request.endsWith(u"\\r\\n\n\\r\\n\n"_qs)); // the empty line that ends the head
    const QString response = shown.view.rawView(HandshakeSide::Response)->toPlainText();
    QVERIFY2(response.contains(u"X-Note: caf\\xE9\\r\\n"_qs), qPrintable(response));
    QVERIFY(shown.view.rawView(HandshakeSide::Request)->isReadOnly());
    QVERIFY(shown.view.rawTitle(HandshakeSide::Request)
                ->text()
                .contains(QString::number(exchange.request.size())));
}

void tst_HandshakeView::rawHeadText_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("escapes");
    QTest::newRow("CRLF line ends")
        << QByteArray("A: b\r\n\r\n") << u"A: b\\r\\n\n\\r\\n\n"_qs << 0;
    QTest::newRow("a bare LF") << QByteArray("A: b\nC: d") << u"A: b\\n\nC: d"_qs << 0;
    QTest::newRow("a lone CR") << QByteArray("A: b\rC") << u"A: b\\rC"_qs << 1;
    QTest::newRow("NUL and TAB") << QByteArray("a\0\tb", 4) << u"a\\x00\\tb"_qs << 1;
    QTest::newRow("DEL and a Latin-1 byte") << QByteArray("\x7f\xe9") << u"\\x7F\\xE9"_qs << 1;
    QTest::newRow("a backslash, doubled") << QByteArray("a\\x41") << u"a\\\\x41"_qs << 0;
}

void tst_HandshakeView::rawHeadText()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, text);
    QFETCH(int, escapes);
    QCOMPARE(RawHeadText::plain(bytes), text);
    int escapeRuns = 0;
    for (const RawHeadText::Run &run : RawHeadText::runs(bytes))
        escapeRuns += run.kind == RawHeadText::RunKind::Escape ? 1 : 0;
    QCOMPARE(escapeRuns, escapes);
}

void tst_HandshakeView::followsADarkPalette()
{
    ClientExchange exchange;
    exchange.sendRequest();
    exchange.receive(answer("AAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    Shown shown(exchange.session);
    const int row = shown.row(HandshakeSide::Response, u"Sec-WebSocket-Accept"_qs);
    const QColor lightError = shown.data(row, 0, Qt::ForegroundRole).value<QColor>();

    const QPalette dark = darkPalette();
    shown.view.setPalette(dark);

    // Error text turns light on the dark base; tints stay dark (no white boxes).
    const QColor darkError = shown.data(row, 0, Qt::ForegroundRole).value<QColor>();
    QVERIFY(darkError != lightError);
    QVERIFY(darkError.lightness() > 128);
    QVERIFY(shown.data(row, 0, Qt::BackgroundRole).value<QColor>().lightness() < 100);
    QVERIFY(shown.view.bannerTitle()->parentWidget()->palette().color(QPalette::Window).lightness()
        < 100);

    // FRAMELINE_GRAB_DIR=dir saves the tabs in both palettes, to look at them.
    if (qEnvironmentVariableIsSet("FRAMELINE_GRAB_DIR")) {
        const QString dir = qEnvironmentVariable("FRAMELINE_GRAB_DIR");
        shown.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&shown.view));
        shown.view.headerView()->setCurrentIndex(shown.view.headerModel()->index(row, 0));
        for (const int palette : {0, 1}) {
            shown.view.setPalette(palette ? dark : QPalette());
            for (int tab = 0; tab < shown.view.tabs()->count(); ++tab) {
                shown.view.tabs()->setCurrentIndex(tab);
                QTest::qWait(50); // let the tab lay itself out
                shown.view.grab().save(u"%1/handshake-%2-%3.png"_qs.arg(dir).arg(tab).arg(
                    palette ? u"dark"_qs : u"light"_qs));
            }
        }
    }
}

QTEST_MAIN(tst_HandshakeView)
#include "tst_handshakeview.moc"
