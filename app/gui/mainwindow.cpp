#include "mainwindow.h"

#include "appsettings.h"
#include "composer.h"
#include "connectionbar.h"
#include "livejournal.h"
#include "theme.h"
#include "frameinspector.h"
#include "frametableview.h"
#include "handshakeview.h"
#include "localserver.h"
#include "sessiondocument.h"
#include "sessionstatus.h"
#include "timelineview.h"
#include "tlsview.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtGui/QActionGroup>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QToolBar>

namespace frameline {

namespace {

QIcon icon(const char *name)
{
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Frameline"));
    setWindowIcon(icon("frameline"));
    setAcceptDrops(true);
    m_document = new SessionDocument(this);
    m_localServer = new LocalServer(this);
    m_journal = new LiveJournal(this);
    m_loader = new SessionLoader(this);
    connect(m_loader, &SessionLoader::finished, this, &MainWindow::loadFinished);

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
    createToolBar();
    wireComposer();

    // Selecting an event brings forward the pane that explains it.
    connect(m_document, &SessionDocument::currentEventChanged, this, [this](qint64 index) {
        const Session *session = m_document->session();
        if (!session || index < 0 || index >= qint64(session->eventCount()))
            return;
        const char *dockName = nullptr;
        switch (session->event(std::uint32_t(index)).kind) {
        case EventKind::HandshakeRequest:
        case EventKind::HandshakeResponse:
            dockName = "handshakeDock";
            break;
        case EventKind::TlsEstablished:
            dockName = "tlsDock";
            break;
        case EventKind::Frame:
        case EventKind::Message:
            dockName = "inspectorDock";
            break;
        default:
            return;
        }
        if (QDockWidget *dock = findChild<QDockWidget *>(QLatin1String(dockName)); dock && dock->isVisible())
            dock->raise();
    });
    connect(m_bar, &ConnectionBar::connectRequested, this, &MainWindow::connectToServer);
    connect(m_bar, &ConnectionBar::disconnectRequested, this, [this] { disconnectFromServer(); });
    connect(m_bar, &ConnectionBar::abortRequested, this, [this] {
        if (m_connection)
            m_connection->abort();
    });
    connect(m_bar, &ConnectionBar::localServerToggled, this, &MainWindow::localServerToggled);

    AppSettings settings;
    applyTheme(themeFromName(settings.theme()));
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
    m_journal->finish();
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
    m_handshake = new HandshakeView(m_document, this);
    m_tls = new TlsView(m_document, this);

    QDockWidget *frames = dock(tr("Frames"), QStringLiteral("framesDock"), m_frames, Qt::RightDockWidgetArea);
    QDockWidget *inspector = dock(tr("Frame inspector"), QStringLiteral("inspectorDock"), m_inspector,
                                  Qt::RightDockWidgetArea);
    QDockWidget *composer = dock(tr("Composer"), QStringLiteral("composerDock"), m_composer,
                                 Qt::BottomDockWidgetArea);
    Q_UNUSED(composer)
    splitDockWidget(frames, inspector, Qt::Vertical);
    // The handshake and TLS panes share the inspector's place, one tab each.
    QDockWidget *handshake = dock(tr("Handshake"), QStringLiteral("handshakeDock"), m_handshake, Qt::RightDockWidgetArea);
    QDockWidget *tls = dock(tr("TLS"), QStringLiteral("tlsDock"), m_tls, Qt::RightDockWidgetArea);
    tabifyDockWidget(inspector, handshake);
    tabifyDockWidget(handshake, tls);
    inspector->raise();
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
    QAction *open = file->addAction(icon("open"), tr("&Open…"), this, &MainWindow::openInteractive);
    open->setShortcut(QKeySequence::Open);
    open->setObjectName(QStringLiteral("openAction"));
    open->setToolTip(tr("Open a saved session or a HAR file from a browser (or drop it on the window)"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    updateRecentMenu();
    file->addSeparator();
    QAction *save = file->addAction(icon("save"), tr("&Save"), this, [this] { saveInteractive(false); });
    save->setShortcut(QKeySequence::Save);
    save->setObjectName(QStringLiteral("saveAction"));
    QAction *saveAs = file->addAction(tr("Save &As…"), this, [this] { saveInteractive(true); });
    saveAs->setShortcut(QKeySequence::SaveAs);
    QAction *exportAction = file->addAction(icon("export"), tr("&Export…"), this, &MainWindow::exportInteractive);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportAction->setObjectName(QStringLiteral("exportAction"));
    exportAction->setToolTip(tr("Write the session as HAR, pcapng, Mermaid, Markdown, or the timeline as an image"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *findAction = edit->addAction(icon("find"), tr("&Find Frames…"), this, &MainWindow::find);
    findAction->setShortcut(QKeySequence::Find);
    findAction->setObjectName(QStringLiteral("findAction"));

    QMenu *connection = menuBar()->addMenu(tr("&Connection"));
    m_bar->connectAction()->setIcon(icon("connect"));
    connection->addAction(m_bar->connectAction());
    QAction *close = connection->addAction(icon("close-handshake"), tr("&Close with Code…"), this,
                                           &MainWindow::prepareClose);
    close->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    close->setObjectName(QStringLiteral("closeAction"));
    close->setToolTip(tr("Choose the close code and reason in the composer, then send the Close frame"));
    QAction *abort = connection->addAction(icon("disconnect"), tr("&Drop TCP now"), this, [this] {
        if (m_connection)
            m_connection->abort();
    });
    abort->setToolTip(tr("Close the TCP connection without a closing handshake"));
    connection->addSeparator();
    QAction *clientFirst = connection->addAction(tr("Client closes &TCP first"));
    clientFirst->setObjectName(QStringLiteral("clientClosesTcpFirstAction"));
    clientFirst->setCheckable(true);
    clientFirst->setToolTip(tr("After the closing handshake the client closes TCP first, and the local "
                               "server waits for it: TIME-WAIT lands on the client. RFC 6455 §7.1.1 "
                               "asks the server to close first; compare the two teardowns."));
    connect(clientFirst, &QAction::toggled, this, [this](bool on) {
        m_clientClosesTcpFirst = on;
        m_localServer->setClientClosesTcpFirst(on);
    });
    QAction *send = connection->addAction(icon("send"), tr("&Send"), m_composer, &Composer::send);
    send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    send->setShortcutContext(Qt::ApplicationShortcut);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    QAction *zoomIn = view->addAction(icon("zoom-in"), tr("Zoom &in"), m_timeline, &TimelineView::zoomIn);
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    zoomIn->setObjectName(QStringLiteral("zoomInAction"));
    QAction *zoomOut = view->addAction(icon("zoom-out"), tr("Zoom &out"), m_timeline, &TimelineView::zoomOut);
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    zoomOut->setObjectName(QStringLiteral("zoomOutAction"));
    view->addSeparator();
    QMenu *themeMenu = view->addMenu(tr("&Colours"));
    auto *themes = new QActionGroup(this);
    const QString current = AppSettings().theme();
    for (const auto &[theme, title] : {std::pair {Theme::System, tr("Follow the &system")},
                                       std::pair {Theme::Light, tr("&Light")}, std::pair {Theme::Dark, tr("&Dark")}}) {
        QAction *action = themeMenu->addAction(title);
        action->setCheckable(true);
        action->setObjectName(QStringLiteral("theme-%1").arg(themeName(theme)));
        action->setChecked(themeName(theme) == current);
        themes->addAction(action);
        connect(action, &QAction::triggered, this, [theme] {
            applyTheme(theme);
            AppSettings().setTheme(themeName(theme));
        });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Frameline"), this, [this] {
        QMessageBox::about(this, tr("About Frameline"),
                           tr("Frameline %1\nA WebSocket protocol inspector: the whole life of a "
                              "connection, from the TCP connect to the TCP teardown.")
                               .arg(QStringLiteral(FRAMELINE_VERSION)));
    });
}

void MainWindow::createToolBar()
{
    auto *tools = new QToolBar(tr("File and view"), this);
    tools->setObjectName(QStringLiteral("mainToolBar"));
    for (const char *name : {"openAction", "saveAction", "exportAction", "", "closeAction", "findAction", "",
                             "zoomInAction", "zoomOutAction"}) {
        if (!*name) {
            tools->addSeparator();
            continue;
        }
        if (QAction *action = findChild<QAction *>(QLatin1String(name)))
            tools->addAction(action);
    }
    // In the connection bar's row, before it: the window's whole top is one strip.
    insertToolBar(findChild<QToolBar *>(QStringLiteral("connectionToolBar")), tools);
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
    connect(m_composer, &Composer::binaryRequested, this, [this](const QByteArray &bytes, int fragment) {
        if (!m_connection)
            return;
        if (fragment > 0)
            m_connection->sendFragmented(Opcode::Binary, bytes, std::size_t(fragment));
        else
            m_connection->sendBinary(bytes);
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
    if (m_loader->isRunning())
        return false;
    // No question before a new connection: the previous live session is in its
    // journal, and the status bar says where; a session from a file is in its file.
    const QString previousJournal = hasUnsavedSession() ? m_journal->path() : QString();
    ConnectionOptions options;
    QString error;
    if (!m_bar->connectionOptions(options, &error)) {
        showProblem(error);
        return false;
    }
    options.closeTcpFirst = m_clientClosesTcpFirst;
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
    m_sessionPath.clear();
    m_savedEvents = 0;
    if (!m_journal->start(session))
        showProblem(m_journal->errorString());
    else if (!previousJournal.isEmpty())
        statusBar()->showMessage(tr("The previous session is kept in %1").arg(QDir::toNativeSeparators(previousJournal)),
                                 kStatusMessageMs);
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
    updateTitle();
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
    // The journal ends once the TCP teardown has been seen (the kernel reports its last
    // states after the socket is gone), or now when there is nothing more to see.
    TcpTeardownTracker *teardown = m_connection ? m_connection->teardown() : nullptr;
    if (teardown && !teardown->isSettled()) {
        const std::shared_ptr<Session> session = m_document->sharedSession();
        const auto finishJournal = [this, session] {
            if (m_document->sharedSession() == session)
                m_journal->finish();
        };
        connect(teardown, &TcpTeardownTracker::settled, this, finishJournal);
        connect(teardown, &QObject::destroyed, this, finishJournal);
    } else {
        m_journal->finish();
    }
    m_composer->setSendingEnabled(false);
    m_bar->setConnectionActive(false);
    Q_EMIT connectionFinished();
}

void MainWindow::warn(const QString &title, const QString &text)
{
    // Window-modal but not blocking: the session view stays live behind it, and the
    // message stays up until read.
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("warning"));
    box->open();
}

void MainWindow::showProblem(const QString &problem)
{
    // A status-bar message, not a modal alert: the session view shows the details.
    statusBar()->showMessage(problem, kStatusMessageMs);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!settleUnsaved()) {
        event->ignore();
        return;
    }
    if (m_loader->isRunning())
        m_loader->cancel();
    AppSettings settings;
    settings.setWindowGeometry(saveGeometry());
    settings.setWindowState(saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::find()
{
    if (QDockWidget *frames = findChild<QDockWidget *>(QStringLiteral("framesDock"))) {
        frames->show();
        frames->raise();
    }
    m_frames->filterEdit()->setFocus(Qt::ShortcutFocusReason);
    m_frames->filterEdit()->selectAll();
}

void MainWindow::prepareClose()
{
    if (QDockWidget *dock = findChild<QDockWidget *>(QStringLiteral("composerDock"))) {
        dock->show();
        dock->raise();
    }
    m_composer->setKind(Composer::Kind::Close);
    m_composer->setFocus(Qt::ShortcutFocusReason);
}

} // namespace frameline
