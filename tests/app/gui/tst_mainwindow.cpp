// The inspector window end to end on the offscreen platform: a first start points at
// the local server, Connect works with no network (ws and wss), the composer's
// requests go on the wire, Disconnect runs the closing handshake, and every view
// reads the same Session.

#include "appsettings.h"
#include "composer.h"
#include "connectionbar.h"
#include "localserver.h"
#include "mainwindow.h"
#include "sessiondocument.h"
#include "sessionstatus.h"

#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QImage>
#include <QtTest/QSignalSpy>
#include <QtTest/QtTest>

#include <variant>

using namespace frameline;

namespace {

int countKind(const Session &session, EventKind kind, Direction direction = Direction::None)
{
    int n = 0;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        const EventRecord &record = session.event(i);
        if (record.kind == kind && (direction == Direction::None || record.direction == direction))
            ++n;
    }
    return n;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void firstStartTargetsTheLocalServer();
    void lifecycleAgainstTheLocalServer_data();
    void lifecycleAgainstTheLocalServer();
    void badUrlIsExplainedNotConnected();
    void urlHistoryRemembersRemoteUrlsOnly();
    void demoScreenshot();
};

void TestMainWindow::initTestCase()
{
    // Settings and the local server's certificate go to a throwaway place.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FramelineTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
}

void TestMainWindow::init()
{
    QSettings().clear();
}

void TestMainWindow::firstStartTargetsTheLocalServer()
{
    MainWindow window;
    QVERIFY(window.localServer()->isRunning());
    QVERIFY(window.connectionBar()->localServerEnabled());
    QCOMPARE(window.connectionBar()->url(), window.localServer()->url().toString());
}

void TestMainWindow::lifecycleAgainstTheLocalServer_data()
{
    QTest::addColumn<bool>("tls");
    QTest::newRow("ws://") << false;
    QTest::newRow("wss:// with its self-signed certificate") << true;
}

void TestMainWindow::lifecycleAgainstTheLocalServer()
{
    QFETCH(bool, tls);
    MainWindow window;
    window.show();
    QVERIFY(window.useLocalServer(tls));
    QVERIFY(window.connectionBar()->url().startsWith(tls ? QLatin1String("wss://") : QLatin1String("ws://")));
    QVERIFY(window.connectToServer());
    Connection *connection = window.connection();
    QVERIFY(connection);
    QTRY_COMPARE_WITH_TIMEOUT(connection->state(), WebSocketState::Open, 15000);
    QVERIFY(window.connectionBar()->isConnectionActive());

    // The composer's requests reach the wire; the echo comes back.
    Composer *composer = window.composer();
    composer->setKind(Composer::Kind::Text);
    composer->setPayloadText(QStringLiteral("안녕하세요"));
    QVERIFY(composer->send());
    composer->setKind(Composer::Kind::Binary);
    composer->setPayloadText(QStringLiteral("00 01 02"));
    composer->setFragmentSize(1);
    QVERIFY(composer->send());
    composer->setKind(Composer::Kind::Ping);
    composer->setPayloadText(QStringLiteral("ping"));
    QVERIFY(composer->send());
    const Session &session = *window.document()->session();
    QTRY_COMPARE_WITH_TIMEOUT(countKind(session, EventKind::Message, Direction::ServerToClient), 2, 10000);
    // The echoes (the server sends the fragmented message back whole) and the pong.
    QTRY_COMPARE(countKind(session, EventKind::Frame, Direction::ServerToClient), 3);
    QCOMPARE(countKind(session, EventKind::Frame, Direction::ClientToServer), 1 + 3 + 1);

    QSignalSpy finished(&window, &MainWindow::connectionFinished);
    window.disconnectFromServer(1000, "bye");
    QVERIFY(finished.wait(15000));
    QCOMPARE(connection->state(), WebSocketState::Closed);
    QVERIFY(!window.connectionBar()->isConnectionActive());
    QCOMPARE(countKind(session, EventKind::Close), 2);
    // The status strip read the same session.
    window.document()->flushAppends();
    const SessionSummary &summary = window.sessionStatus()->summary();
    QCOMPARE(summary.state, WebSocketState::Closed);
    QCOMPARE(qsizetype(summary.framesSent), qsizetype(countKind(session, EventKind::Frame, Direction::ClientToServer)));
    if (tls)
        QVERIFY(summary.tlsProtocol.startsWith(QLatin1String("TLS")));
}

void TestMainWindow::badUrlIsExplainedNotConnected()
{
    MainWindow window;
    window.connectionBar()->setUrl(QStringLiteral("http://example.com/"));
    QVERIFY(!window.connectToServer());
    QVERIFY(!window.connection());
    QVERIFY(!window.connectionBar()->isConnectionActive());
}

void TestMainWindow::urlHistoryRemembersRemoteUrlsOnly()
{
    {
        MainWindow window;
        // The local server's URL changes every run; it is not remembered.
        QVERIFY(window.connectToServer());
        QSignalSpy finished(&window, &MainWindow::connectionFinished);
        window.disconnectFromServer();
        QVERIFY(finished.wait(15000));
        QVERIFY(AppSettings().urlHistory().isEmpty());
        // A refused port is still a URL the person typed.
        window.connectionBar()->setUrl(QStringLiteral("ws://127.0.0.1:1/chat"));
        QVERIFY(window.connectToServer());
        QVERIFY(finished.wait(15000));
    }
    MainWindow again;
    QCOMPARE(again.connectionBar()->url(), QStringLiteral("ws://127.0.0.1:1/chat"));
}

void TestMainWindow::demoScreenshot()
{
    // `frameline --demo --screenshot FILE` runs the scripted session and saves the window.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("demo.png"));
    QProcess app;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
    app.setProcessEnvironment(environment);
    app.setProcessChannelMode(QProcess::ForwardedChannels);
    app.start(QStringLiteral(FRAMELINE_GUI_PATH),
              {QStringLiteral("--demo"), QStringLiteral("--screenshot"), file, QStringLiteral("--size"),
               QStringLiteral("1200x800")});
    QVERIFY(app.waitForFinished(60000));
    QCOMPARE(app.exitCode(), 0);
    const QImage image(file);
    QCOMPARE(image.size(), QSize(1200, 800));
    // A real window, not a blank one: many distinct colours.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
