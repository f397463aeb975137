#include "channel.h"

#include "tcpteardown.h"

#include "sessionrecorder.h"

#include <QtCore/QMetaMethod>
#include <QtNetwork/QAbstractSocket>
#include <QtNetwork/QSslSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace frameline {

/// Forwards what the protocol reports to the recorder first (so the Session is always
/// ahead of any signal), then to the channel's signals and hooks.
class Channel::Observer final : public ProtocolObserver
{
public:
    explicit Observer(Channel &channel)
        : m_channel(channel)
    {
    }

    void handshakeSent(QByteArrayView raw) override { recorder().handshakeSent(raw); }
    void handshakeReceived(const HttpHead &head) override { recorder().handshakeReceived(head); }
    void handshakeCompleted(const HandshakeReport &report) override
    {
        recorder().handshakeCompleted(report);
        if (!report.accepted)
            Q_EMIT m_channel.failed(report.failureReason);
    }
    void frameReceived(const DecodedFrame &frame) override
    {
        recorder().frameReceived(frame);
        const std::uint8_t opcode = frame.header.opcode;
        if (opcode == std::uint8_t(Opcode::Ping)
            && m_channel.isSignalConnected(QMetaMethod::fromSignal(&Channel::pingReceived)))
            Q_EMIT m_channel.pingReceived(frame.payload.toByteArray());
        else if (opcode == std::uint8_t(Opcode::Pong)
                 && m_channel.isSignalConnected(QMetaMethod::fromSignal(&Channel::pongReceived)))
            Q_EMIT m_channel.pongReceived(frame.payload.toByteArray());
    }
    void frameSent(const FrameHeader &header, QByteArrayView wire, std::uint64_t offset) override
    {
        recorder().frameSent(header, wire, offset);
    }
    void messageReceived(std::uint8_t opcode, QByteArrayView payload, int frameCount) override
    {
        recorder().messageReceived(opcode, payload, frameCount);
        m_channel.handleMessage(opcode, payload);
    }
    void closeReceived(const ClosePayload &close) override
    {
        recorder().closeReceived(close);
        if (m_channel.m_teardown)
            m_channel.m_teardown->startClosing();
        Q_EMIT m_channel.closeFrameReceived(close.code.value_or(CloseCode::NoStatusReceived),
                                            QString::fromUtf8(close.reason));
    }
    void closeSent(const ClosePayload &close) override
    {
        recorder().closeSent(close);
        if (m_channel.m_teardown)
            m_channel.m_teardown->startClosing();
    }
    void stateChanged(WebSocketState from, WebSocketState to) override
    {
        recorder().stateChanged(from, to);
        Q_EMIT m_channel.stateChanged(to);
        // Announced once the protocol is OPEN, so handlers may send at once.
        if (to == WebSocketState::Open)
            Q_EMIT m_channel.opened();
    }
    void protocolViolated(ProtocolError error, std::uint64_t offset, const QString &detail) override
    {
        recorder().protocolViolated(error, offset, detail);
        Q_EMIT m_channel.failed(detail.isEmpty() ? describe(error) : detail);
    }

private:
    SessionRecorder &recorder() { return *m_channel.m_recorder; }
    Channel &m_channel;
};

Channel::Channel(ProtocolOptions options, std::shared_ptr<Session> session, QObject *parent)
    : QObject(parent)
    , m_session(session ? std::move(session) : std::make_shared<Session>())
    , m_recorder(std::make_unique<SessionRecorder>(*m_session, options.role,
                                                   [this] { return now(); }))
    , m_observer(std::make_unique<Observer>(*this))
    , m_protocol(std::move(options), m_observer.get())
{
    m_clock.start();
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, &Channel::closeTimedOut);
}

Channel::~Channel()
{
    if (m_socket)
        m_socket->disconnect(this);
    // The tracker goes on by the connection's addresses, then deletes itself.
    if (m_teardown)
        m_teardown->detach();
}

void Channel::startClock()
{
    m_clock.restart();
}

void Channel::attachSocket(QAbstractSocket *socket)
{
    m_socket = socket;
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    QElapsedTimer clock = m_clock;
    m_teardown = new TcpTeardownTracker(m_session, role(), [clock] { return clock.nsecsElapsed(); });
    m_teardown->attach(socket->socketDescriptor());
    connect(socket, &QAbstractSocket::readyRead, this, &Channel::readSocket);
    connect(socket, &QAbstractSocket::disconnected, this, &Channel::socketDisconnected);
    connect(socket, &QAbstractSocket::bytesWritten, this, &Channel::halfCloseWhenWritten);
    connect(socket, &QAbstractSocket::errorOccurred, this,
            [this](QAbstractSocket::SocketError error) {
                // The peer closing TCP is the normal end of a connection, not a failure.
                if (error == QAbstractSocket::RemoteHostClosedError || m_finished)
                    return;
                if (m_protocol.state() != WebSocketState::Closed)
                    recordFailure(ProtocolError::AbnormalClosure, m_socket->errorString());
            });
    flush();
    if (socket->bytesAvailable() > 0)
        readSocket();
    if (socket->state() != QAbstractSocket::ConnectedState)
        socketDisconnected();
}

void Channel::readSocket()
{
    if (!m_socket)
        return;
    while (m_socket->bytesAvailable() > 0) {
        const QByteArray data = m_socket->readAll();
        if (data.isEmpty())
            break;
        m_protocol.receiveData(data);
    }
    flush();
}

void Channel::flush()
{
    if (!m_socket)
        return;
    if (m_protocol.hasOutgoing())
        m_socket->write(m_protocol.takeOutgoing());
    if (m_protocol.closeTransportRequested()) {
        if (!m_transportClosing)
            closeTransport();
    } else if (m_protocol.state() == WebSocketState::Closing && !m_closeTimer.isActive()
               && !m_transportClosing) {
        // A client waits for the server to close TCP, but not forever.
        m_closeTimer.start(m_closeTimeoutMs);
    }
}

void Channel::closeTransport()
{
    m_transportClosing = true;
#ifdef Q_OS_UNIX
    const auto *tls = qobject_cast<const QSslSocket *>(m_socket.data());
    if (!tls || tls->mode() == QSslSocket::UnencryptedMode) {
        // Send FIN after what is buffered, but keep reading until the peer's FIN: closing
        // the socket with the peer's bytes unread would answer them with a RST, and a RST
        // can destroy our Close frame before the peer reads it (a failed connection, where
        // the peer is still sending, is exactly that case). What arrives is discarded.
        m_halfClosePending = true;
        halfCloseWhenWritten();
        return;
    }
#endif
    // TLS: close_notify, then FIN once what is buffered has been sent.
    m_socket->disconnectFromHost();
}

void Channel::halfCloseWhenWritten()
{
    if (!m_halfClosePending || !m_socket || m_socket->bytesToWrite() > 0)
        return;
    m_halfClosePending = false;
#ifdef Q_OS_UNIX
    if (::shutdown(int(m_socket->socketDescriptor()), SHUT_WR) != 0) {
        m_socket->disconnectFromHost();
        return;
    }
#endif
    if (m_teardown)
        m_teardown->startClosing();
    // The peer should answer our FIN with its own; if it never does, stop waiting.
    m_closeTimer.start(m_closeTimeoutMs);
}

void Channel::closeTimedOut()
{
    if (!m_socket)
        return;
    if (m_transportClosing) {
        m_recorder->addNote(tr("The peer did not close its side of the TCP connection within %n ms "
                               "after ours; dropping the connection.",
                               nullptr, m_closeTimeoutMs));
        m_socket->abort();
        socketDisconnected();
        return;
    }
    m_recorder->addNote(tr("The peer did not close the TCP connection within %n ms after the "
                           "closing handshake began; closing it from this side.",
                           nullptr, m_closeTimeoutMs));
    m_transportClosing = true;
    m_socket->disconnectFromHost();
}

void Channel::socketDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    m_closeTimer.stop();
    if (m_teardown)
        m_teardown->detach();
    if (m_protocol.state() != WebSocketState::Closed)
        m_protocol.receiveEof();
    handleFinished();
    Q_EMIT finished();
}

void Channel::recordFailure(ProtocolError error, const QString &message)
{
    ErrorDetail detail;
    detail.error = error;
    detail.closeCode = closeCodeFor(error);
    detail.message = message;
    m_recorder->record(EventKind::Error, Direction::None, detail);
    Q_EMIT failed(message);
}

void Channel::handleMessage(std::uint8_t opcode, QByteArrayView payload)
{
    if (isSignalConnected(QMetaMethod::fromSignal(&Channel::messageReceived)))
        Q_EMIT messageReceived(opcode, payload.toByteArray());
}

bool Channel::sendText(QByteArrayView utf8)
{
    const bool sent = m_protocol.sendText(utf8);
    flush();
    return sent;
}

bool Channel::sendBinary(QByteArrayView data)
{
    const bool sent = m_protocol.sendBinary(data);
    flush();
    return sent;
}

bool Channel::sendFragmented(Opcode opcode, QByteArrayView data, std::size_t fragmentSize)
{
    const bool sent = m_protocol.sendFragmented(opcode, data, fragmentSize);
    flush();
    return sent;
}

bool Channel::sendPing(QByteArrayView payload)
{
    const bool sent = m_protocol.sendPing(payload);
    flush();
    return sent;
}

bool Channel::sendPong(QByteArrayView payload)
{
    const bool sent = m_protocol.sendPong(payload);
    flush();
    return sent;
}

bool Channel::sendClose(std::optional<std::uint16_t> code, QByteArrayView reason)
{
    const bool sent = m_protocol.sendClose(code, reason);
    flush();
    return sent;
}

bool Channel::sendRawFrame(const FrameSpec &spec, QByteArrayView payload)
{
    const bool sent = m_protocol.sendRawFrame(spec, payload);
    flush();
    return sent;
}

void Channel::abort()
{
    if (m_socket)
        m_socket->abort();
}

} // namespace frameline
