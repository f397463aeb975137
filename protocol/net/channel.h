#pragma once

#include "session.h"
#include "tcpteardown.h"
#include "websocketprotocol.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

#include <memory>

QT_BEGIN_NAMESPACE
class QAbstractSocket;
QT_END_NAMESPACE

namespace frameline {

class SessionRecorder;

/// The thin I/O glue between one TCP (or TLS) socket and a sans-I/O WebSocketProtocol:
/// it feeds received bytes and end-of-stream to the protocol, writes what the protocol
/// wants sent, closes TCP when the protocol asks, and records every event into the
/// channel's Session. Client and server connections build on it.
class Channel : public QObject
{
    Q_OBJECT

public:
    ~Channel() override;

    WebSocketState state() const { return m_protocol.state(); }
    Role role() const { return m_protocol.role(); }
    const WebSocketProtocol &protocol() const { return m_protocol; }
    Session &session() { return *m_session; }
    std::shared_ptr<Session> sharedSession() const { return m_session; }
    SessionRecorder &recorder() { return *m_recorder; }

    bool sendText(QByteArrayView utf8);
    bool sendBinary(QByteArrayView data);
    bool sendFragmented(Opcode opcode, QByteArrayView data, std::size_t fragmentSize);
    bool sendPing(QByteArrayView payload = {});
    bool sendPong(QByteArrayView payload = {});
    bool sendClose(std::optional<std::uint16_t> code = CloseCode::Normal, QByteArrayView reason = {});
    bool sendRawFrame(const FrameSpec &spec, QByteArrayView payload);
    /// Drops the TCP connection now, without a closing handshake (before it is up:
    /// stops connecting). finished() follows.
    virtual void abort();

    /// How long to wait, after the closing handshake, for the peer to close TCP before
    /// closing it ourselves (RFC 6455 §7.1.1 lets the client wait for the server).
    void setCloseTimeout(int milliseconds) { m_closeTimeoutMs = milliseconds; }
    /// Nanoseconds since the session started (the Session's time base).
    std::int64_t now() const { return m_clock.nsecsElapsed(); }
    /// Follows this end's TCP states into the Session; it outlives the channel until
    /// the connection has left the kernel. Null before a socket is attached.
    TcpTeardownTracker *teardown() const { return m_teardown; }

Q_SIGNALS:
    void stateChanged(frameline::WebSocketState state);
    void opened();
    /// A whole text or binary message arrived (only emitted when something is connected).
    void messageReceived(quint8 opcode, const QByteArray &payload);
    void pingReceived(const QByteArray &payload);
    void pongReceived(const QByteArray &payload);
    void closeFrameReceived(int code, const QString &reason);
    /// The peer broke a rule or the handshake failed; the sentence says which.
    void failed(const QString &reason);
    /// The TCP connection is gone; the Session holds the whole story.
    void finished();

protected:
    Channel(ProtocolOptions options, std::shared_ptr<Session> session, QObject *parent);

    /// Takes the socket once TCP (and TLS) are up; reads any bytes already buffered.
    void attachSocket(QAbstractSocket *socket);
    QAbstractSocket *socket() const { return m_socket; }
    WebSocketProtocol &mutableProtocol() { return m_protocol; }
    /// Writes what the protocol queued and closes TCP if it asked to.
    void flush();
    void startClock();
    /// Called for every whole message; the default emits messageReceived.
    virtual void handleMessage(std::uint8_t opcode, QByteArrayView payload);
    /// Records a failure the protocol does not know about (socket errors, timeouts).
    void recordFailure(ProtocolError error, const QString &message);
    /// Called once when the TCP connection is gone.
    virtual void handleFinished() {}

private:
    class Observer;
    friend class Observer;

    void readSocket();
    void socketDisconnected();
    void closeTimedOut();
    /// Closes our sending direction (the protocol asked for TCP to close).
    void closeTransport();
    void halfCloseWhenWritten();

    std::shared_ptr<Session> m_session;
    std::unique_ptr<SessionRecorder> m_recorder;
    std::unique_ptr<Observer> m_observer;
    WebSocketProtocol m_protocol;
    QPointer<QAbstractSocket> m_socket;
    QPointer<TcpTeardownTracker> m_teardown;
    QElapsedTimer m_clock;
    QTimer m_closeTimer;
    int m_closeTimeoutMs = 5000;
    bool m_transportClosing = false;
    bool m_halfClosePending = false;
    bool m_finished = false;
};

} // namespace frameline
