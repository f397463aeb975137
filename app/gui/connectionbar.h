#pragma once

#include "connection.h"

#include <QtWidgets/QWidget>

QT_BEGIN_NAMESPACE
class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;
QT_END_NAMESPACE

namespace frameline {

/// The strip at the top of the window: the URL (with history), subprotocols, extra
/// headers, TLS choices, the local-server switch, and Connect / Disconnect.
class ConnectionBar : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionBar(QWidget *parent = nullptr);

    QString url() const;
    void setUrl(const QString &url);
    void setUrlHistory(const QStringList &urls);

    /// The connection as the bar describes it; on a mistake returns false with a
    /// sentence in `error`.
    bool connectionOptions(ConnectionOptions &options, QString *error) const;

    void setSubprotocols(const QString &commaSeparated);
    void setHeadersText(const QString &lines);
    void setCaFile(const QString &path);
    void setInsecure(bool insecure);

    /// Connected (or connecting): the button disconnects; otherwise it connects.
    void setConnectionActive(bool active);
    bool isConnectionActive() const { return m_active; }

    bool localServerEnabled() const;
    bool localServerTls() const;
    void setLocalServer(bool enabled, bool tls);

    QAction *connectAction() const { return m_connectAction; }

    /// "Name: value" per line → headers; blank lines skipped. Returns false with the
    /// offending line in `error` when a line is not a header.
    static bool parseHeaderLines(const QString &text, QList<HttpHeader> &headers, QString *error);

Q_SIGNALS:
    void connectRequested();
    /// Close the connection with the closing handshake (code 1000).
    void disconnectRequested();
    /// Drop TCP now, without a closing handshake.
    void abortRequested();
    void localServerToggled(bool enabled, bool tls);

private:
    void editHeaders();
    void chooseCaFile();
    void triggerConnect();
    void updateTlsWarning();

    QComboBox *m_url = nullptr;
    QLineEdit *m_subprotocols = nullptr;
    QToolButton *m_headersButton = nullptr;
    QToolButton *m_tlsButton = nullptr;
    QAction *m_insecureAction = nullptr;
    QAction *m_caFileAction = nullptr;
    QLabel *m_tlsWarning = nullptr;
    QCheckBox *m_localServer = nullptr;
    QCheckBox *m_localServerTls = nullptr;
    QToolButton *m_connectButton = nullptr;
    QAction *m_connectAction = nullptr;
    QString m_headersText;
    QString m_caFile;
    bool m_active = false;
};

} // namespace frameline
