#pragma once

#include "connection.h"

#include <QtWidgets/QMainWindow>

#include <memory>

namespace frameline {

class Composer;
class ConnectionBar;
class FrameInspector;
class FrameTableView;
class LocalServer;
class SessionDocument;
class SessionStatus;
class TimelineView;

/// The inspector window: the connection bar on top, the timeline in the centre, the
/// frame list, frame inspector and composer in docks around it, the status strip
/// below. It owns the live Connection and the local server, and shows one Session
/// through a SessionDocument; the views read only that.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    SessionDocument *document() const { return m_document; }
    ConnectionBar *connectionBar() const { return m_bar; }
    Composer *composer() const { return m_composer; }
    TimelineView *timeline() const { return m_timeline; }
    FrameTableView *frameTable() const { return m_frames; }
    FrameInspector *inspector() const { return m_inspector; }
    SessionStatus *sessionStatus() const { return m_status; }
    LocalServer *localServer() const { return m_localServer; }
    Connection *connection() const { return m_connection; }

    /// Starts the local server (ws or wss) and points the URL at it.
    bool useLocalServer(bool tls);
    /// Connects with what the connection bar says; false (with the reason shown in the
    /// status bar) when it cannot start.
    bool connectToServer();
    /// Starts the closing handshake with `code` and `reason`.
    void disconnectFromServer(std::uint16_t code = 1000, const QByteArray &reason = {});
    /// Default dock sizes for the window's current size (a saved layout replaces them).
    void arrangeDocks();
    /// Selects the first text frame the client sent, so every view shows its anatomy.
    void showFirstClientTextFrame();

Q_SIGNALS:
    /// The current connection finished (its Session holds the whole story).
    void connectionFinished();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createDocks();
    void createMenus();
    void wireComposer();
    void localServerToggled(bool enabled, bool tls);
    void connectionStateChanged(WebSocketState state);
    void connectionDone();
    void showProblem(const QString &problem);

    SessionDocument *m_document = nullptr;
    ConnectionBar *m_bar = nullptr;
    TimelineView *m_timeline = nullptr;
    FrameTableView *m_frames = nullptr;
    FrameInspector *m_inspector = nullptr;
    Composer *m_composer = nullptr;
    SessionStatus *m_status = nullptr;
    LocalServer *m_localServer = nullptr;
    Connection *m_connection = nullptr;
};

} // namespace frameline
