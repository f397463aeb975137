#include "connection.h"

#include "sessionrecorder.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QHostInfo>
#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpSocket>

namespace frameline {
namespace {

bool isSecure(const QUrl &url)
{
    return url.scheme().compare(QLatin1String("wss"), Qt::CaseInsensitive) == 0;
}

quint16 portOf(const QUrl &url)
{
    return quint16(url.port(isSecure(url) ? 443 : 80));
}

/// The Host header value (RFC 6455 §4.1): the host, bracketed if IPv6, with the port
/// only when it is not the scheme's default.
QByteArray hostHeader(const QUrl &url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (url.port() != -1 && url.port() != (isSecure(url) ? 443 : 80))
        host += ':' + QByteArray::number(url.port());
    return host;
}

/// The resource name of RFC 6455 §3: the path ("/" when empty) and the query.
QByteArray resourceName(const QUrl &url)
{
    QByteArray resource = url.path(QUrl::FullyEncoded).toLatin1();
    if (resource.isEmpty())
        resource = "/";
    if (url.hasQuery())
        resource += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    return resource;
}

ProtocolOptions protocolOptionsFor(const ConnectionOptions &options)
{
    ProtocolOptions protocol;
    protocol.role = Role::Client;
    protocol.tcpCloseOrder = options.closeTcpFirst ? TcpCloseOrder::ClientFirst : TcpCloseOrder::ServerFirst;
    protocol.decoder = options.decoderLimits;
    protocol.assembler = options.assemblerLimits;
    protocol.autoPong = options.autoPong;
    protocol.maskKeys = options.maskKeys;
    protocol.randomBytes = options.randomBytes;
    protocol.client.host = hostHeader(options.url);
    protocol.client.resourceName = resourceName(options.url);
    protocol.client.origin = options.origin;
    protocol.client.subprotocols = options.subprotocols;
    protocol.client.extraHeaders = options.headers;
    return protocol;
}

QString tlsProtocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2:
        return QStringLiteral("TLS 1.2");
    case QSsl::TlsV1_3:
        return QStringLiteral("TLS 1.3");
    case QSsl::DtlsV1_2:
        return QStringLiteral("DTLS 1.2");
    default:
        return QStringLiteral("unknown");
    }
}

CertificateInfo certificateInfo(const QSslCertificate &certificate)
{
    CertificateInfo info;
    info.subject = certificate.subjectDisplayName();
    info.issuer = certificate.issuerDisplayName();
    info.notBefore = certificate.effectiveDate();
    info.notAfter = certificate.expiryDate();
    info.sha256 = certificate.digest(QCryptographicHash::Sha256);
    info.sha1 = certificate.digest(QCryptographicHash::Sha1);
    return info;
}

} // namespace

QString checkWebSocketUrl(const QUrl &url)
{
    if (!url.isValid())
        return Connection::tr("The URL is not valid: %1").arg(url.errorString());
    const QString scheme = url.scheme().toLower();
    // RFC 6455 §3: the schemes are "ws" and "wss".
    if (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))
        return Connection::tr("The URL must start with ws:// or wss://, not '%1:'.").arg(url.scheme());
    if (url.host().isEmpty())
        return Connection::tr("The URL has no host.");
    // RFC 6455 §3: fragment identifiers MUST NOT be used in WebSocket URIs.
    if (url.hasFragment())
        return Connection::tr("A WebSocket URL cannot have a fragment ('#%1').").arg(url.fragment());
    return {};
}

std::optional<QNetworkProxy> parseProxy(const QString &text, QString &error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return QNetworkProxy(QNetworkProxy::NoProxy);
    if (trimmed.compare(QLatin1String("system"), Qt::CaseInsensitive) == 0)
        return QNetworkProxy(QNetworkProxy::DefaultProxy);
    const QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    QNetworkProxy::ProxyType type = QNetworkProxy::NoProxy;
    if (scheme == QLatin1String("http"))
        type = QNetworkProxy::HttpProxy;
    else if (scheme == QLatin1String("socks5") || scheme == QLatin1String("socks5h"))
        type = QNetworkProxy::Socks5Proxy;
    if (!url.isValid() || type == QNetworkProxy::NoProxy || url.host().isEmpty() || url.port() <= 0
        || (!url.path().isEmpty() && url.path() != QLatin1String("/"))) {
        error = Connection::tr("A proxy is written http://host:port, socks5://host:port (either "
                               "with an optional user:password@), system or none; '%1' is not.")
                    .arg(text);
        return std::nullopt;
    }
    QNetworkProxy proxy(type, url.host(), quint16(url.port()), url.userName(), url.password());
    if (type == QNetworkProxy::HttpProxy) {
        // A WebSocket is a tunnel: CONNECT only, never a caching HTTP proxy.
        proxy.setCapabilities(QNetworkProxy::TunnelingCapability);
    }
    return proxy;
}

QString describeProxy(const QNetworkProxy &proxy)
{
    switch (proxy.type()) {
    case QNetworkProxy::NoProxy:
        return Connection::tr("no proxy");
    case QNetworkProxy::DefaultProxy:
        return Connection::tr("the system's proxy configuration");
    case QNetworkProxy::HttpProxy:
        return Connection::tr("HTTP CONNECT proxy %1:%2").arg(proxy.hostName()).arg(proxy.port());
    case QNetworkProxy::Socks5Proxy:
        return Connection::tr("SOCKS5 proxy %1:%2").arg(proxy.hostName()).arg(proxy.port());
    default:
        return Connection::tr("proxy %1:%2").arg(proxy.hostName()).arg(proxy.port());
    }
}

Connection::Connection(ConnectionOptions options, std::shared_ptr<Session> session, QObject *parent)
    : Channel(protocolOptionsFor(options), std::move(session), parent)
    , m_options(std::move(options))
{
    setCloseTimeout(m_options.closeTimeoutMs);
    for (QTimer *timer : {&m_connectTimer, &m_handshakeTimer})
        timer->setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        failBeforeOpen(ProtocolError::AbnormalClosure,
                       tr("No connection to %1 within %n ms.", nullptr, m_options.connectTimeoutMs)
                           .arg(m_options.url.toDisplayString()));
    });
    connect(&m_handshakeTimer, &QTimer::timeout, this, [this] {
        recordFailure(ProtocolError::HandshakeRejected,
                      tr("The server did not finish the opening handshake within %n ms.", nullptr,
                         m_options.handshakeTimeoutMs));
        abort();
    });
    connect(&m_pingTimer, &QTimer::timeout, this, [this] { sendPing(); });
    connect(this, &Channel::opened, this, [this] {
        m_handshakeTimer.stop();
        if (m_options.pingIntervalMs > 0)
            m_pingTimer.start(m_options.pingIntervalMs);
    });
}

Connection::~Connection()
{
    if (m_lookupId != -1)
        QHostInfo::abortHostLookup(m_lookupId);
}

void Connection::open()
{
    SessionInfo info;
    info.url = m_options.url.toString();
    info.localRole = Role::Client;
    info.startedAt = QDateTime::currentDateTimeUtc();
    info.origin = QStringLiteral("live");
    session().setInfo(info);
    startClock();

    if (const QString problem = checkWebSocketUrl(m_options.url); !problem.isEmpty()) {
        failBeforeOpen(ProtocolError::AbnormalClosure, problem);
        return;
    }
    // RFC 9110 §5.5: a field value holds no CR, LF or NUL; one that did would smuggle
    // extra lines into the request.
    const auto unsafe = [](QByteArrayView text) {
        return text.contains('\r') || text.contains('\n') || text.contains('\0');
    };
    QList<QByteArrayView> fields {m_options.origin};
    for (const QByteArray &protocol : std::as_const(m_options.subprotocols))
        fields.append(protocol);
    for (const HttpHeader &header : std::as_const(m_options.headers)) {
        fields.append(header.name);
        fields.append(header.value);
    }
    for (const QByteArrayView field : std::as_const(fields)) {
        if (unsafe(field)) {
            failBeforeOpen(ProtocolError::AbnormalClosure,
                           tr("A header of the opening handshake contains a line break or NUL "
                              "character (\"%1\"); it is not sent.")
                               .arg(QString::fromUtf8(field.toByteArray().toPercentEncoding(" :/"))));
            return;
        }
    }
    m_connectTimer.start(m_options.connectTimeoutMs);
    const QString host = m_options.url.host();
    const bool viaProxy = m_options.proxy && m_options.proxy->type() != QNetworkProxy::NoProxy;
    if (viaProxy) {
        // The proxy resolves the name and opens the TCP connection; what this end sees
        // is the tunnel, so the timeline says so.
        recorder().addNote(tr("Connecting through %1; the address and TCP events below are "
                           "this end's connection to the proxy.")
                            .arg(describeProxy(*m_options.proxy)));
    }
    if (viaProxy || !QHostAddress(host).isNull()) {
        // A literal address needs no lookup; a proxy resolves the name itself.
        connectTo(host);
        return;
    }
    m_lookupId = QHostInfo::lookupHost(host, this, &Connection::lookedUp);
}

void Connection::lookedUp(const QHostInfo &info)
{
    m_lookupId = -1;
    if (m_done)
        return;
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        failBeforeOpen(ProtocolError::AbnormalClosure,
                       tr("Cannot resolve %1: %2").arg(info.hostName(), info.errorString()));
        return;
    }
    DnsDetail detail;
    detail.host = info.hostName();
    for (const QHostAddress &address : info.addresses())
        detail.addresses.append(address.toString());
    recorder().record(EventKind::DnsResolved, Direction::None, detail);
    connectTo(info.addresses().first().toString());
}

void Connection::connectTo(const QString &address)
{
    const bool secure = isSecure(m_options.url);
    if (secure) {
        m_tls = new QSslSocket(this);
        m_tcp = m_tls;
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        tls.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
        if (!m_options.caFile.isEmpty()) {
            const QList<QSslCertificate> cas = QSslCertificate::fromPath(m_options.caFile);
            if (cas.isEmpty()) {
                failBeforeOpen(ProtocolError::AbnormalClosure,
                               tr("No PEM certificate could be read from %1.").arg(m_options.caFile));
                return;
            }
            tls.addCaCertificates(cas);
        }
        if (!m_options.trustedCertificates.isEmpty())
            tls.addCaCertificates(m_options.trustedCertificates);
        if (!m_options.clientCertificateFile.isEmpty()) {
            const QList<QSslCertificate> certificate
                = QSslCertificate::fromPath(m_options.clientCertificateFile);
            QFile keyFile(m_options.clientKeyFile);
            QSslKey key;
            if (keyFile.open(QIODevice::ReadOnly)) {
                const QByteArray pem = keyFile.readAll();
                key = QSslKey(pem, QSsl::Rsa);
                if (key.isNull())
                    key = QSslKey(pem, QSsl::Ec);
            }
            if (certificate.isEmpty() || key.isNull()) {
                failBeforeOpen(ProtocolError::AbnormalClosure,
                               tr("The client certificate (%1) or its key (%2) could not be read.")
                                   .arg(m_options.clientCertificateFile, m_options.clientKeyFile));
                return;
            }
            tls.setLocalCertificate(certificate.first());
            tls.setPrivateKey(key);
        }
        m_tls->setSslConfiguration(tls);
        connect(m_tls, &QSslSocket::encrypted, this, &Connection::tlsEncrypted);
        connect(m_tls, &QSslSocket::sslErrors, this, &Connection::tlsErrors);
    } else {
        m_tcp = new QTcpSocket(this);
    }
    if (m_options.proxy)
        m_tcp->setProxy(*m_options.proxy);
    else
        m_tcp->setProxy(QNetworkProxy::NoProxy);
    connect(m_tcp, &QAbstractSocket::connected, this, &Connection::tcpConnected);
    connect(m_tcp, &QAbstractSocket::errorOccurred, this, [this] {
        if (!m_attached)
            connectFailed();
    });
    if (secure)
        m_tls->connectToHostEncrypted(address, portOf(m_options.url), m_options.url.host());
    else
        m_tcp->connectToHost(address, portOf(m_options.url));
}

void Connection::tcpConnected()
{
    TcpDetail detail;
    detail.localAddress = m_tcp->localAddress().toString();
    detail.localPort = m_tcp->localPort();
    detail.peerAddress = m_tcp->peerAddress().toString();
    detail.peerPort = m_tcp->peerPort();
    recorder().record(EventKind::TcpConnected, Direction::None, detail);
    if (!m_tls)
        startWebSocket();
}

void Connection::tlsErrors(const QList<QSslError> &errors)
{
    for (const QSslError &error : errors)
        m_tlsErrors.append(error.errorString());
    if (m_options.insecure) {
        // The person chose to go on; the Session keeps the errors and that choice.
        m_errorsAccepted = true;
        m_tls->ignoreSslErrors(errors);
        return;
    }
    failBeforeOpen(ProtocolError::AbnormalClosure,
                   tr("The server's certificate failed verification: %1")
                       .arg(m_tlsErrors.join(QStringLiteral("; "))));
}

void Connection::tlsEncrypted()
{
    TlsDetail detail;
    detail.protocol = tlsProtocolName(m_tls->sessionProtocol());
    detail.cipher = m_tls->sessionCipher().name();
    detail.alpn = m_tls->sslConfiguration().nextNegotiatedProtocol();
    for (const QSslCertificate &certificate : m_tls->peerCertificateChain())
        detail.chain.append(certificateInfo(certificate));
    detail.verificationErrors = m_tlsErrors;
    detail.errorsAccepted = m_errorsAccepted;
    recorder().record(EventKind::TlsEstablished, Direction::None, detail);
    startWebSocket();
}

void Connection::startWebSocket()
{
    m_connectTimer.stop();
    m_attached = true;
    m_handshakeTimer.start(m_options.handshakeTimeoutMs);
    mutableProtocol().startHandshake();
    attachSocket(m_tcp);
}

void Connection::abort()
{
    if (m_attached) {
        Channel::abort();
        return;
    }
    // Still looking up the name, connecting or negotiating TLS: stop there.
    failBeforeOpen(ProtocolError::AbnormalClosure,
                   tr("Stopped by the user before the connection was established."));
}

void Connection::connectFailed()
{
    failBeforeOpen(ProtocolError::AbnormalClosure,
                   tr("Cannot connect to %1: %2")
                       .arg(m_options.url.toDisplayString(), m_tcp->errorString()));
}

void Connection::failBeforeOpen(ProtocolError error, const QString &message)
{
    if (m_done)
        return;
    m_done = true;
    m_connectTimer.stop();
    if (m_lookupId != -1) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    recordFailure(error, message);
    mutableProtocol().fail(error, message);
    if (m_tcp) {
        m_tcp->disconnect(this);
        m_tcp->abort();
    }
    // Emitted from the event loop, so a caller connecting after open() still hears it.
    QMetaObject::invokeMethod(this, &Channel::finished, Qt::QueuedConnection);
}

void Connection::handleFinished()
{
    m_done = true;
    m_connectTimer.stop();
    m_handshakeTimer.stop();
    m_pingTimer.stop();
}

} // namespace frameline
