#pragma once

#include "channel.h"

#include <QtCore/QUrl>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QSslCertificate>

#include <optional>

QT_BEGIN_NAMESPACE
class QHostInfo;
class QSslError;
class QSslSocket;
class QTcpSocket;
QT_END_NAMESPACE

namespace frameline {

/// Everything a person can choose about a client connection.
struct ConnectionOptions
{
    QUrl url;
    QList<QByteArray> subprotocols;
    QList<HttpHeader> headers;
    QByteArray origin;
    // TLS (wss://)
    QString caFile;                ///< extra trusted CA certificates (PEM)
    /// Certificates trusted as given (the GUI trusts its own local server's one).
    QList<QSslCertificate> trustedCertificates;
    QString clientCertificateFile; ///< PEM
    QString clientKeyFile;         ///< PEM, unencrypted
    /// Go on when the certificate fails verification; the choice is recorded.
    bool insecure = false;
    /// Unset: connect directly. Set: through this proxy (HTTP CONNECT, SOCKS5, or the
    /// system configuration with QNetworkProxy::DefaultProxy after enabling it).
    std::optional<QNetworkProxy> proxy;
    int connectTimeoutMs = 10000;
    int handshakeTimeoutMs = 10000;
    int closeTimeoutMs = 5000;
    int pingIntervalMs = 0; ///< 0: no pings of our own
    /// Close TCP as soon as the closing handshake is complete instead of waiting for
    /// the server to (RFC 6455 §7.1.1's order): TIME-WAIT then lands on this side.
    bool closeTcpFirst = false;
    bool autoPong = true;
    DecoderLimits decoderLimits;
    AssemblerLimits assemblerLimits;
    /// Injected randomness for repeatable tests; empty: secure defaults.
    std::function<MaskKey()> maskKeys;
    std::function<void(std::uint8_t *, std::size_t)> randomBytes;
};

/// Why a URL cannot be used for a WebSocket connection (RFC 6455 §3), or an empty
/// string when it can.
QString checkWebSocketUrl(const QUrl &url);

/// Reads a proxy given as text: `http://[user:password@]host:port` (HTTP CONNECT),
/// `socks5://[user:password@]host:port`, `system` (the platform's configuration) or
/// `none`. On a mistake returns nothing and says why in `error`.
std::optional<QNetworkProxy> parseProxy(const QString &text, QString &error);
/// "HTTP CONNECT proxy 10.0.0.1:3128", for the Session and the person reading it.
QString describeProxy(const QNetworkProxy &proxy);

/// The client side of one WebSocket connection over QTcpSocket / QSslSocket: DNS,
/// TCP, TLS, the opening handshake, frames, the closing handshake — all recorded into
/// its Session as they happen.
class Connection : public Channel
{
    Q_OBJECT

public:
    explicit Connection(ConnectionOptions options, std::shared_ptr<Session> session = {},
                        QObject *parent = nullptr);
    ~Connection() override;

    const ConnectionOptions &options() const { return m_options; }

    /// Starts connecting. Progress and failure arrive as signals and Session events;
    /// finished() is emitted exactly once, whatever happens.
    void open();
    void abort() override;

private:
    void connectTo(const QString &address);
    void lookedUp(const QHostInfo &info);
    void tcpConnected();
    void tlsEncrypted();
    void tlsErrors(const QList<QSslError> &errors);
    void startWebSocket();
    void failBeforeOpen(ProtocolError error, const QString &message);
    void connectFailed();
    void handleFinished() override;

    ConnectionOptions m_options;
    QTcpSocket *m_tcp = nullptr;
    QSslSocket *m_tls = nullptr;
    QTimer m_connectTimer;
    QTimer m_handshakeTimer;
    QTimer m_pingTimer;
    int m_lookupId = -1;
    bool m_attached = false;
    bool m_done = false;
    bool m_errorsAccepted = false;
    QStringList m_tlsErrors;
};

} // namespace frameline
