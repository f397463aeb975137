#pragma once

#include "connection.h"

#include "exportformat.h"
#include "sessionloader.h"

#include <QtWidgets/QMainWindow>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QMenu;
class QProgressDialog;
QT_END_NAMESPACE

namespace frameline {

class Composer;
class ConnectionBar;
class FrameInspector;
class FrameTableView;
class HandshakeView;
class LiveJournal;
class LocalServer;
class SessionDocument;
class SessionStatus;
class TimelineView;
class TlsView;

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
    HandshakeView *handshakeView() const { return m_handshake; }
    TlsView *tlsView() const { return m_tls; }
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

    // Files. Each returns false, with the reason shown, when it did not happen.

    /// Opens a session file (Frameline's own, or a HAR) in the background with a
    /// progress bar; the session replaces the current one when it has been read.
    bool openFile(const QString &path);
    /// Saves the shown session in Frameline's format (atomically).
    bool saveTo(const QString &path);
    /// Writes the shown session in another format.
    bool exportTo(const QString &path, ExportFormat format);
    /// Writes the sequence diagram as a PNG or SVG image (by the name's ending).
    bool exportTimelineImage(const QString &path);
    /// The file the shown session was opened from or saved to; empty when never saved.
    QString sessionPath() const { return m_sessionPath; }
    /// The shown session has events no file holds yet.
    bool hasUnsavedSession() const;
    /// The journal the live session is being written to (empty when none).
    QString liveJournalPath() const;
    SessionLoader *loader() const { return m_loader; }

    /// What to do with an unsaved session before it is replaced or the window closes.
    enum class UnsavedChoice { Save, Discard, Cancel };
    /// Replaces the question dialog (tests answer it without a person).
    void setUnsavedPrompt(std::function<UnsavedChoice()> prompt) { m_unsavedPrompt = std::move(prompt); }
    /// Replaces the file dialogs (tests answer them): given a title, a filter list and
    /// whether it saves, returns the chosen path and filter, or an empty path.
    using FileChooser = std::function<QString(const QString &title, const QStringList &filters, bool save,
                                              QString *selectedFilter)>;
    void setFileChooser(FileChooser chooser) { m_fileChooser = std::move(chooser); }

    /// Puts the keyboard focus in the frame filter (Find).
    void find();
    /// Shows the composer's Close page to close with a chosen code and reason.
    void prepareClose();

Q_SIGNALS:
    /// The current connection finished (its Session holds the whole story).
    void connectionFinished();

    /// A file finished loading (shown, or refused with the reason).
    void fileOpened(bool ok);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    /// How long a status-bar message stays.
    static constexpr int kStatusMessageMs = 10000;

    void createDocks();
    void createMenus();
    void wireComposer();
    void localServerToggled(bool enabled, bool tls);
    void connectionStateChanged(WebSocketState state);
    void connectionDone();
    void showProblem(const QString &problem);
    void warn(const QString &title, const QString &text);
    void createToolBar();
    void loadFinished(const SessionLoader::Outcome &outcome);
    void showSession(std::shared_ptr<Session> session, const QString &path);
    void updateRecentMenu();
    void updateTitle();
    /// Asks what to do with an unsaved session; true when it may be replaced.
    bool settleUnsaved();
    bool saveInteractive(bool askForPath);
    void exportInteractive();
    void openInteractive();
    QString chooseFile(const QString &title, const QStringList &filters, bool save, QString *selectedFilter);

    SessionDocument *m_document = nullptr;
    ConnectionBar *m_bar = nullptr;
    TimelineView *m_timeline = nullptr;
    FrameTableView *m_frames = nullptr;
    FrameInspector *m_inspector = nullptr;
    HandshakeView *m_handshake = nullptr;
    TlsView *m_tls = nullptr;
    Composer *m_composer = nullptr;
    SessionStatus *m_status = nullptr;
    LocalServer *m_localServer = nullptr;
    Connection *m_connection = nullptr;
    LiveJournal *m_journal = nullptr;
    SessionLoader *m_loader = nullptr;
    QProgressDialog *m_progress = nullptr;
    QMenu *m_recentMenu = nullptr;
    QString m_sessionPath;
    bool m_clientClosesTcpFirst = false;
    /// Events of the shown session that its file holds (all of them once saved).
    std::uint32_t m_savedEvents = 0;
    std::function<UnsavedChoice()> m_unsavedPrompt;
    FileChooser m_fileChooser;
};

} // namespace frameline
