#include "mainwindow.h"

#include "appsettings.h"
#include "composer.h"
#include "connectionbar.h"
#include "frameinspector.h"
#include "frametableview.h"
#include "localserver.h"
#include "sessiondocument.h"
#include "sessionstatus.h"
#include "timelineview.h"

#include <QtGui/QAction>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QToolBar>

namespace frameline {

namespace {
constexpr int kStatusMessageMs = 10000;
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Frameline"));
    m_document = new SessionDocument(this);
    m_localServer = new LocalServer(this);

    m_bar = new ConnectionBar(this);
    auto *barToolBar = new QToolBar(tr("Connection"), this);
    barToolBar->setObjectName(QStringLiteral("connectionToolBar"));
    barToolBar->setMovable(false);
    barToolBar->addWidget(m_bar);
    addToolBar(Qt::TopToolBarArea, barToolBar);

    m_timeline = new TimelineView(this);
    m_timeline->setDocument(m_document);
    setCentralWidget(m_timeline);

    m_status = new SessionStatus(this);
    m_status->setDocument(m_document);
    statusBar()->addPermanentWidget(m_status);

    createDocks();
    createMenus();
    wireComposer();

    connect(m_bar, &ConnectionBar::connectRequested, this, &MainWindow::connectToServer);
    connect(m_bar, &ConnectionBar::disconnectRequested, this, [this] { disconnectFromServer(); });
    connect(m_bar, &ConnectionBar::abortRequested, this, [this] {
        if (m_connection)
            m_connection->abort();
    });
    connect(m_bar, &ConnectionBar::localServerToggled, this, &MainWindow::localServerToggled);

    AppSettings settings;
    const QStringList history = settings.urlHistory();
    m_bar->setUrlHistory(history);
    if (history.isEmpty()) {
        // First start: the local server is the target, so the first Connect works offline.
        useLocalServer(settings.localServerTls());
    } else {
        m_bar->setUrl(history.first());
    }
    resize(1280, 820);
    arrangeDocks();
    restoreGeometry(settings.windowGeometry());
    restoreState(settings.windowState());
}

MainWindow::~MainWindow()
{
    // The document observes the connection's session; detach before either goes.
    m_document->setSession({});
}

void MainWindow::createDocks()
{
    const auto dock = [this](const QString &title, const QString &name, QWidget *widget,
                             Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        addDockWidget(area, d);
        return d;
    };
    m_frames = new FrameTableView(m_document, this);
    m_inspector = new FrameInspector(m_document, this);
    m_composer = new Composer(this);
    m_composer->setSendingEnabled(false);

    QDockWidget *frames = dock(tr("Frames"), QStringLiteral("framesDock"), m_frames, Qt::RightDockWidgetArea);
    QDockWidget *inspector = dock(tr("Frame inspector"), QStringLiteral("inspectorDock"), m_inspector,
                                  Qt::RightDockWidgetArea);
    QDockWidget *composer = dock(tr("Composer"), QStringLiteral("composerDock"), m_composer,
                                 Qt::BottomDockWidgetArea);
    Q_UNUSED(composer)
    splitDockWidget(frames, inspector, Qt::Vertical);
    // The frame list and inspector run the full height; the composer sits under the diagram.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
}

void MainWindow::arrangeDocks()
{
    // The sequence diagram gets the most room: it is what the window is about.
    auto *frames = findChild<QDockWidget *>(QStringLiteral("framesDock"));
    auto *composer = findChild<QDockWidget *>(QStringLiteral("composerDock"));
    resizeDocks({frames}, {width() * 9 / 20}, Qt::Horizontal);
    resizeDocks({composer}, {140}, Qt::Vertical);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *connection = menuBar()->addMenu(tr("&Connection"));
    connection->addAction(m_bar->connectAction());
    QAction *abort = connection->addAction(tr("&Drop TCP now"), this, [this] {
        if (m_connection)
            m_connection->abort();
    });
    abort->setToolTip(tr("Close the TCP connection without a closing handshake"));
    QAction *send = connection->addAction(tr("&Send"), m_composer, &Composer::send);
    send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    send->setShortcutContext(Qt::ApplicationShortcut);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    QAction *zoomIn = view->addAction(tr("Zoom &in"), m_timeline, &TimelineView::zoomIn);
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    QAction *zoomOut = view->addAction(tr("Zoom &out"), m_timeline, &TimelineView::zoomOut);
    zoomOut->setShortcut(QKeySequence::ZoomOut);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Frameline"), this, [this] {
        QMessageBox::about(this, tr("About Frameline"),
                           tr("Frameline %1\nA WebSocket protocol inspector: the whole life of a "
                              "connection, from the TCP connect to the TCP teardown.")
                               .arg(QStringLiteral(FRAMELINE_VERSION)));
    });
}

void MainWindow::wireComposer()
{
    connect(m_composer, &Composer::textRequested, this, [this](const QByteArray &text, int fragment) {
        if (!m_connection)
            return;
        if (fragment > 0)
            m_connection->sendFragmented(Opcode::Text, text, std::size_t(fragment));
        else
            m_connection->sendText(text);
    });
    connect(m_composer, &Composer::binaryRequested, this, [this](const QByteArray &data, int fragment) {
        if (!m_connection)
            return;
        if (fragment > 0)
            m_connection->sendFragmented(Opcode::Binary, data, std::size_t(fragment));
        else
            m_connection->sendBinary(data);
    });
    connect(m_composer, &Composer::pingRequested, this, [this](const QByteArray &payload) {
        if (m_connection)
            m_connection->sendPing(payload);
    });
    connect(m_composer, &Composer::pongRequested, this, [this](const QByteArray &payload) {
        if (m_connection)
            m_connection->sendPong(payload);
    });
    connect(m_composer, &Composer::closeRequested, this,
            [this](std::optional<quint16> code, const QByteArray &reason) {
                if (m_connection)
                    m_connection->sendClose(code, reason);
            });
    connect(m_composer, &Composer::rawFrameRequested, this,
            [this](const FrameSpec &spec, const QByteArray &payload) {
                if (m_connection)
                    m_connection->sendRawFrame(spec, payload);
            });
}

bool MainWindow::useLocalServer(bool tls)
{
    QString error;
    if (!m_localServer->start(tls, &error)) {
        m_bar->setLocalServer(false, tls);
        showProblem(tr("The local server could not start: %1").arg(error));
        return false;
    }
    m_bar->setLocalServer(true, tls);
    m_bar->setUrl(m_localServer->url().toString());
    AppSettings().setLocalServerTls(tls);
    statusBar()->showMessage(tr("Local server listening on %1").arg(m_localServer->url().toString()),
                             kStatusMessageMs);
    return true;
}

void MainWindow::localServerToggled(bool enabled, bool tls)
{
    if (enabled) {
        useLocalServer(tls);
        return;
    }
    const QString url = m_localServer->url().toString();
    m_localServer->stop();
    if (m_bar->url() == url)
        m_bar->setUrl(QString());
    statusBar()->showMessage(tr("Local server stopped"), kStatusMessageMs);
}

bool MainWindow::connectToServer()
{
    if (m_connection && m_connection->state() != WebSocketState::Closed)
        return false;
    ConnectionOptions options;
    QString error;
    if (!m_bar->connectionOptions(options, &error)) {
        showProblem(error);
        return false;
    }
    const bool local = m_localServer->isRunning() && options.url.port() == m_localServer->url().port()
        && options.url.host() == m_localServer->url().host();
    // The window's own local server uses a certificate it made itself: trust exactly that one.
    if (local && m_localServer->isTls())
        options.trustedCertificates.append(m_localServer->certificate());

    if (m_connection) {
        m_connection->disconnect(this);
        m_connection->deleteLater();
    }
    auto session = std::make_shared<Session>();
    m_connection = new Connection(options, session, this);
    m_document->setSession(session);
    connect(m_connection, &Channel::stateChanged, this, &MainWindow::connectionStateChanged);
    connect(m_connection, &Channel::failed, this, &MainWindow::showProblem);
    connect(m_connection, &Channel::finished, this, &MainWindow::connectionDone);
    m_bar->setConnectionActive(true);
    if (!local) {
        // The local server's port changes every run: only other URLs are worth remembering.
        AppSettings settings;
        settings.rememberUrl(options.url.toString());
        m_bar->setUrlHistory(settings.urlHistory());
    }
    setWindowTitle(tr("%1 — Frameline").arg(options.url.toString()));
    m_connection->open();
    return true;
}

void MainWindow::disconnectFromServer(std::uint16_t code, const QByteArray &reason)
{
    if (!m_connection)
        return;
    if (m_connection->state() == WebSocketState::Open)
        m_connection->sendClose(code, reason);
    else if (m_connection->state() == WebSocketState::Connecting)
        m_connection->abort();
}

void MainWindow::showFirstClientTextFrame()
{
    m_document->flushAppends();
    const Session *session = m_document->session();
    if (!session)
        return;
    for (std::uint32_t i = 0; i < m_document->eventCount(); ++i) {
        const EventRecord &record = session->event(i);
        if (record.kind == EventKind::Frame && record.direction == Direction::ClientToServer
            && session->frameHeader(i).opcode == std::uint8_t(Opcode::Text)) {
            m_document->setCurrentEvent(i);
            return;
        }
    }
}

void MainWindow::connectionStateChanged(WebSocketState state)
{
    m_composer->setSendingEnabled(state == WebSocketState::Open);
}

void MainWindow::connectionDone()
{
    m_composer->setSendingEnabled(false);
    m_bar->setConnectionActive(false);
    Q_EMIT connectionFinished();
}

void MainWindow::showProblem(const QString &problem)
{
    // A status-bar message, not a modal alert: the session view shows the details.
    statusBar()->showMessage(problem, kStatusMessageMs);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    AppSettings settings;
    settings.setWindowGeometry(saveGeometry());
    settings.setWindowState(saveState());
    QMainWindow::closeEvent(event);
}

} // namespace frameline
