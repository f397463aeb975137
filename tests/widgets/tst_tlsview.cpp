// Tests of the TlsView and its certificate chain model: the chain as rows (one per
// certificate, its fields below, issuers linked), fingerprints as colon hex, the
// verification result and the warning when certificate errors were accepted, validity
// judged at the session's start (expired and not-yet-valid certificates highlighted, a
// certificate that expired only after the session not), ws:// shown as not encrypted, a
// failed TLS handshake showing its error, and the TLS event arriving after the view was
// built.

#include "sessionbuilder.h"
#include "sessiondocument.h"
#include "tlsview.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QtTest>
#include <QtWidgets/QLabel>
#include <QtWidgets/QTreeView>

#include <memory>

using namespace frameline;
using frameline::test::SessionBuilder;

namespace {

constexpr auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;
using Chain = TlsChainModel;

const QDateTime kSessionStart(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC);

QDateTime utc(int year, int month, int day)
{
    return QDateTime(QDate(year, month, day), QTime(0, 0), Qt::UTC);
}

/// Digest bytes first, first + 1, …: easy to spell as hex.
QByteArray counting(int size, int first)
{
    QByteArray bytes;
    for (int i = 0; i < size; ++i)
        bytes.append(char(first + i));
    return bytes;
}

CertificateInfo certificate(const QString &subject, const QString &issuer,
    const QDateTime &notBefore, const QDateTime &notAfter, int digestSeed = 0)
{
    CertificateInfo info;
    info.subject = subject;
    info.issuer = issuer;
    info.notBefore = notBefore;
    info.notAfter = notAfter;
    info.sha256 = counting(32, digestSeed);
    info.sha1 = counting(20, 0xa0 + digestSeed);
    return info;
}

/// Leaf, intermediate, self-signed root; all valid on the session's start.
QList<CertificateInfo> validChain()
{
    return {
        certificate(u"echo.example.com"_qs, u"Example Intermediate CA"_qs, utc(2024, 1, 1),
            utc(2024, 12, 31), 0),
        certificate(u"Example Intermediate CA"_qs, u"Example Root CA"_qs, utc(2020, 1, 1),
            utc(2030, 1, 1), 0x40),
        certificate(
            u"Example Root CA"_qs, u"Example Root CA"_qs, utc(2015, 1, 1), utc(2035, 1, 1), 0x80),
    };
}

std::shared_ptr<Session> makeSession(const QString &url)
{
    auto session = std::make_shared<Session>();
    SessionInfo info;
    info.url = url;
    info.localRole = Role::Client;
    info.startedAt = kSessionStart;
    session->setInfo(info);
    return session;
}

/// A wss:// session whose TLS handshake completed with `tls`, then the WebSocket one.
std::shared_ptr<Session> tlsSession(const TlsDetail &tls)
{
    auto session = makeSession(u"wss://echo.example.com/"_qs);
    SessionBuilder builder(*session);
    builder.event(EventKind::TcpConnected, Direction::None, TcpDetail {});
    builder.event(EventKind::TlsEstablished, Direction::None, tls);
    builder.event(EventKind::HandshakeRequest, Direction::ClientToServer, HandshakeDetail {},
        QByteArray("GET / HTTP/1.1\r\n\r\n"));
    return session;
}

TlsDetail tls13(const QList<CertificateInfo> &chain = validChain())
{
    TlsDetail tls;
    tls.protocol = u"TLS 1.3"_qs;
    tls.cipher = u"TLS_AES_256_GCM_SHA384"_qs;
    tls.alpn = "http/1.1";
    tls.chain = chain;
    return tls;
}

struct Shown
{
    SessionDocument document;
    TlsView view {&document};
    QAbstractItemModelTester tester {view.chainModel(), kFatal};

    explicit Shown(std::shared_ptr<Session> session = {})
    {
        view.resize(1000, 600);
        if (session)
            document.setSession(std::move(session));
    }

    QString text(const QModelIndex &index) const { return index.data().toString(); }
    QString field(int certificate, Chain::Field field, int column = Chain::ValueColumn) const
    {
        return text(view.chainModel()->fieldIndex(certificate, field, column));
    }
    VerdictColors colors() const { return VerdictColors::fromPalette(view.palette()); }
};

} // namespace

class tst_TlsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void establishedSummary();
    void chainRows();
    void fingerprintsAreColonHex();
    void acceptedErrorsWarning_data();
    void acceptedErrorsWarning();
    void validityAtSessionStart_data();
    void validityAtSessionStart();
    void plainWebSocketIsNotEncrypted();
    void failedTlsHandshake_data();
    void failedTlsHandshake();
    void tlsArrivesAfterTheViewWasBuilt();
    void wssWithoutTlsEvent();
    void serverSideHasNoPeerChain();
    void followsADarkPalette();
};

void tst_TlsView::establishedSummary()
{
    Shown shown(tlsSession(tls13()));
    QCOMPARE(shown.view.state(), TlsView::State::Established);
    QCOMPARE(shown.view.bannerTitle()->text(), u"Encrypted with TLS 1.3"_qs);
    QCOMPARE(shown.view.protocolLabel()->text(), u"TLS 1.3"_qs);
    QCOMPARE(shown.view.cipherLabel()->text(), u"TLS_AES_256_GCM_SHA384"_qs);
    QCOMPARE(shown.view.alpnLabel()->text(), u"http/1.1"_qs);
    QVERIFY(shown.view.verificationLabel()->text().contains(u"OK"_qs));
    QCOMPARE(shown.view.verificationLabel()->palette().color(QPalette::WindowText),
        shown.colors().success);
    QVERIFY(!shown.view.warningLabel()->isVisibleTo(&shown.view));
    QVERIFY(shown.view.chainView()->isVisibleTo(&shown.view));
    QCOMPARE(shown.view.referenceTime(), kSessionStart);
    QVERIFY(shown.view.referenceLabel()->text().contains(u"2024-05-01 10:00:00 UTC"_qs));

    TlsDetail noAlpn = tls13();
    noAlpn.alpn.clear();
    shown.document.setSession(tlsSession(noAlpn));
    QCOMPARE(shown.view.alpnLabel()->text(), u"none negotiated"_qs);
}

void tst_TlsView::chainRows()
{
    Shown shown(tlsSession(tls13()));
    const Chain *model = shown.view.chainModel();
    QCOMPARE(model->rowCount(), 3);
    for (int c = 0; c < 3; ++c)
        QCOMPARE(model->rowCount(model->certificateIndex(c)), int(Chain::FieldCount));

    QCOMPARE(shown.text(model->certificateIndex(0)), u"#1, the server's own"_qs);
    QCOMPARE(shown.text(model->certificateIndex(0, Chain::ValueColumn)), u"echo.example.com"_qs);
    QCOMPARE(shown.text(model->certificateIndex(1)), u"#2, issuer of #1"_qs);
    QCOMPARE(shown.text(model->certificateIndex(2)), u"#3, root (self-signed)"_qs);
    QCOMPARE(shown.field(0, Chain::SubjectField), u"echo.example.com"_qs);
    QCOMPARE(shown.field(0, Chain::IssuerField), u"Example Intermediate CA"_qs);
    QCOMPARE(
        shown.field(0, Chain::IssuerField, Chain::NoteColumn), u"certificate #2 of this chain"_qs);
    QCOMPARE(shown.field(2, Chain::IssuerField, Chain::NoteColumn),
        u"itself: the certificate is self-signed"_qs);
    QCOMPARE(shown.field(0, Chain::NotBeforeField), u"2024-01-01 00:00:00 UTC"_qs);
    QCOMPARE(shown.field(0, Chain::NotAfterField), u"2024-12-31 00:00:00 UTC"_qs);
    QCOMPARE(shown.field(0, Chain::SubjectField, Chain::FieldColumn), u"Subject"_qs);
    QVERIFY(shown.text(model->certificateIndex(0, Chain::NoteColumn)).contains(u"valid"_qs));
    for (int c = 0; c < 3; ++c)
        QVERIFY(!model->certificateIndex(c).data(Chain::ProblemRole).toBool());
    // The tree is expanded, so the fields are on screen without a click.
    QVERIFY(shown.view.chainView()->isExpanded(model->certificateIndex(0)));
    QCOMPARE(shown.view.bannerDetail()->text(), u"3 certificate(s) in the chain."_qs);
}

void tst_TlsView::fingerprintsAreColonHex()
{
    Shown shown(tlsSession(tls13()));
    QCOMPARE(shown.field(0, Chain::Sha256Field),
        u"00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:"
        "10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F"_qs);
    QCOMPARE(shown.field(0, Chain::Sha1Field),
        u"A0:A1:A2:A3:A4:A5:A6:A7:A8:A9:AA:AB:AC:AD:AE:AF:B0:B1:B2:B3"_qs);
    QCOMPARE(shown.field(1, Chain::Sha256Field).left(11), u"40:41:42:43"_qs);
    QCOMPARE(TlsChainModel::fingerprint(QByteArray("\xde\xad\xbe\xef")), u"DE:AD:BE:EF"_qs);
}

void tst_TlsView::acceptedErrorsWarning_data()
{
    QTest::addColumn<QStringList>("errors");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<bool>("warningShown");
    const QStringList errors {u"The certificate is self-signed, and untrusted"_qs,
        u"The host name did not match any of the valid hosts for this certificate"_qs};
    QTest::newRow("errors the person accepted") << errors << true << true;
    QTest::newRow("errors, not accepted") << errors << false << false;
    QTest::newRow("no errors") << QStringList() << false << false;
}

void tst_TlsView::acceptedErrorsWarning()
{
    QFETCH(QStringList, errors);
    QFETCH(bool, accepted);
    QFETCH(bool, warningShown);
    TlsDetail tls = tls13();
    tls.verificationErrors = errors;
    tls.errorsAccepted = accepted;
    Shown shown(tlsSession(tls));

    QCOMPARE(shown.view.warningLabel()->isVisibleTo(&shown.view), warningShown);
    if (warningShown) {
        QCOMPARE(shown.view.warningLabel()->text(),
            u"You accepted this certificate despite: %1"_qs.arg(errors.join(u"; "_qs)));
    }
    const QString verification = shown.view.verificationLabel()->text();
    for (const QString &error : errors)
        QVERIFY2(verification.contains(error), qPrintable(verification));
    QCOMPARE(shown.view.verificationLabel()->palette().color(QPalette::WindowText),
        errors.isEmpty() ? shown.colors().success : shown.colors().error);
}

void tst_TlsView::validityAtSessionStart_data()
{
    QTest::addColumn<QDateTime>("notBefore");
    QTest::addColumn<QDateTime>("notAfter");
    QTest::addColumn<int>("problemField");
    QTest::addColumn<QString>("note");
    QTest::newRow("expired a month before the session")
        << utc(2023, 4, 1) << utc(2024, 4, 1) << int(Chain::NotAfterField)
        << u"expired 30 day(s) before the session started"_qs;
    QTest::newRow("not yet valid when the session started")
        << utc(2024, 5, 11) << utc(2025, 5, 11) << int(Chain::NotBeforeField)
        << u"not yet valid: starts 10 day(s) after the session started"_qs;
    // Expired by now, but not when the session was recorded: not a problem.
    QTest::newRow("expired only after the session") << utc(
        2024, 1, 1) << utc(2024, 6, 1) << -1 << u"31 day(s) left when the session started"_qs;
}

void tst_TlsView::validityAtSessionStart()
{
    QFETCH(QDateTime, notBefore);
    QFETCH(QDateTime, notAfter);
    QFETCH(int, problemField);
    QFETCH(QString, note);
    QList<CertificateInfo> chain = validChain();
    chain[0].notBefore = notBefore;
    chain[0].notAfter = notAfter;
    Shown shown(tlsSession(tls13(chain)));
    const Chain *model = shown.view.chainModel();
    const VerdictColors colors = shown.colors();

    const QModelIndex top = model->certificateIndex(0);
    QCOMPARE(top.data(Chain::ProblemRole).toBool(), problemField >= 0);
    for (const Chain::Field field : {Chain::NotBeforeField, Chain::NotAfterField}) {
        const QModelIndex value = model->fieldIndex(0, field);
        const bool problem = int(field) == problemField;
        QCOMPARE(value.data(Chain::ProblemRole).toBool(), problem);
        if (problem) {
            QCOMPARE(value.data(Qt::ForegroundRole).value<QColor>(), colors.error);
            QCOMPARE(value.data(Qt::BackgroundRole).value<QColor>(), colors.errorTint);
            QCOMPARE(top.data(Qt::ForegroundRole).value<QColor>(), colors.error);
        } else {
            QVERIFY(value.data(Qt::ForegroundRole).value<QColor>() != colors.error);
        }
    }
    const Chain::Field noted
        = problemField == Chain::NotBeforeField ? Chain::NotBeforeField : Chain::NotAfterField;
    QCOMPARE(shown.field(0, noted, Chain::NoteColumn), note);
    // The other certificates are fine either way.
    QVERIFY(!model->certificateIndex(1).data(Chain::ProblemRole).toBool());
}

void tst_TlsView::plainWebSocketIsNotEncrypted()
{
    auto session = makeSession(u"ws://localhost:9001/"_qs);
    SessionBuilder builder(*session);
    builder.event(EventKind::TcpConnected, Direction::None, TcpDetail {});
    builder.event(EventKind::HandshakeRequest, Direction::ClientToServer, HandshakeDetail {},
        QByteArray("GET / HTTP/1.1\r\n\r\n"));
    Shown shown(session);

    QCOMPARE(shown.view.state(), TlsView::State::NotEncrypted);
    QCOMPARE(shown.view.bannerTitle()->text(),
        u"Not encrypted: ws:// sends everything in clear text"_qs);
    QVERIFY(!shown.view.chainView()->isVisibleTo(&shown.view));
    QVERIFY(!shown.view.warningLabel()->isVisibleTo(&shown.view));
    QCOMPARE(shown.view.chainModel()->rowCount(), 0);

    shown.document.setSession({});
    QCOMPARE(shown.view.state(), TlsView::State::NoSession);
}

void tst_TlsView::failedTlsHandshake_data()
{
    QTest::addColumn<bool>("tcpConnected");
    QTest::addColumn<QString>("title");
    QTest::newRow("certificate refused") << true << u"The TLS handshake failed"_qs;
    QTest::newRow("no TCP connection") << false << u"No TLS: the TCP connection failed first"_qs;
}

void tst_TlsView::failedTlsHandshake()
{
    QFETCH(bool, tcpConnected);
    QFETCH(QString, title);
    const QString message = u"The server's certificate failed verification: "
                            "The certificate has expired"_qs;
    auto session = makeSession(u"wss://expired.example.com/"_qs);
    SessionBuilder builder(*session);
    if (tcpConnected)
        builder.event(EventKind::TcpConnected, Direction::None, TcpDetail {});
    builder.event(EventKind::Error, Direction::None,
        ErrorDetail {ProtocolError::AbnormalClosure, 1006, message, 0});
    Shown shown(session);

    QCOMPARE(shown.view.state(), TlsView::State::Failed);
    QCOMPARE(shown.view.bannerTitle()->text(), title);
    QCOMPARE(shown.view.bannerDetail()->text(), message);
    QCOMPARE(shown.view.bannerTitle()->palette().color(QPalette::WindowText), shown.colors().error);
}

void tst_TlsView::tlsArrivesAfterTheViewWasBuilt()
{
    auto session = makeSession(u"wss://echo.example.com/"_qs);
    SessionBuilder builder(*session);
    builder.event(EventKind::TcpConnected, Direction::None, TcpDetail {});
    Shown shown(session);
    QCOMPARE(shown.view.state(), TlsView::State::Negotiating);
    QCOMPARE(shown.view.chainModel()->rowCount(), 0);

    builder.event(EventKind::TlsEstablished, Direction::None, tls13());
    QTRY_COMPARE(shown.view.state(), TlsView::State::Established);
    QCOMPARE(shown.view.chainModel()->rowCount(), 3);
    QCOMPARE(shown.view.protocolLabel()->text(), u"TLS 1.3"_qs);
}

void tst_TlsView::wssWithoutTlsEvent()
{
    // An imported session: wss:// and a handshake, but no TLS event to show.
    auto session = makeSession(u"wss://echo.example.com/"_qs);
    SessionBuilder builder(*session);
    builder.event(EventKind::HandshakeRequest, Direction::ClientToServer, HandshakeDetail {},
        QByteArray("GET / HTTP/1.1\r\n\r\n"));
    Shown shown(session);
    QCOMPARE(shown.view.state(), TlsView::State::NotRecorded);
    QVERIFY(!shown.view.chainView()->isVisibleTo(&shown.view));
}

void tst_TlsView::serverSideHasNoPeerChain()
{
    auto session = makeSession(u"wss://127.0.0.1:9443/"_qs);
    SessionInfo info = session->info();
    info.localRole = Role::Server;
    session->setInfo(info);
    SessionBuilder builder(*session);
    TlsDetail tls;
    tls.protocol = u"TLS 1.2"_qs;
    tls.cipher = u"ECDHE-RSA-AES256-GCM-SHA384"_qs;
    builder.event(EventKind::TlsEstablished, Direction::None, tls);
    Shown shown(session);

    QCOMPARE(shown.view.state(), TlsView::State::Established);
    QCOMPARE(shown.view.bannerDetail()->text(), u"The client presented no certificate."_qs);
    QVERIFY(shown.view.verificationLabel()->text().startsWith(u"Not checked"_qs));
    QVERIFY(!shown.view.chainView()->isVisibleTo(&shown.view));
}

void tst_TlsView::followsADarkPalette()
{
    QList<CertificateInfo> chain = validChain();
    chain[0].notAfter = utc(2024, 4, 1);
    TlsDetail tls = tls13(chain);
    tls.verificationErrors = {u"The certificate has expired"_qs};
    tls.errorsAccepted = true;
    Shown shown(tlsSession(tls));
    const QColor lightError = shown.colors().error;

    const QColor text(0xe0, 0xe0, 0xe0);
    QPalette dark(QColor(0x35, 0x35, 0x35), QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, text);
    dark.setColor(QPalette::ButtonText, text);
    dark.setColor(QPalette::Text, text);
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    dark.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    shown.view.setPalette(dark);

    // Light error text on dark tints: nothing turns into a white box.
    const QModelIndex expired = shown.view.chainModel()->fieldIndex(0, Chain::NotAfterField);
    const QColor darkError = expired.data(Qt::ForegroundRole).value<QColor>();
    QVERIFY(darkError != lightError);
    QVERIFY(darkError.lightness() > 128);
    QVERIFY(expired.data(Qt::BackgroundRole).value<QColor>().lightness() < 100);
    QVERIFY(shown.view.warningLabel()->parentWidget()->palette().color(QPalette::Window).lightness()
        < 100);
    QCOMPARE(shown.view.warningLabel()->palette().color(QPalette::WindowText), darkError);

    // FRAMELINE_GRAB_DIR=dir saves the view in both palettes, to look at it.
    if (qEnvironmentVariableIsSet("FRAMELINE_GRAB_DIR")) {
        const QString dir = qEnvironmentVariable("FRAMELINE_GRAB_DIR");
        shown.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&shown.view));
        shown.view.grab().save(u"%1/tls-dark.png"_qs.arg(dir));
        shown.view.setPalette(QPalette());
        shown.view.grab().save(u"%1/tls-light.png"_qs.arg(dir));
        shown.document.setSession(makeSession(u"ws://localhost:9001/"_qs));
        shown.view.grab().save(u"%1/tls-plain.png"_qs.arg(dir));
    }
}

QTEST_MAIN(tst_TlsView)
#include "tst_tlsview.moc"
