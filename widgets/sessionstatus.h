#pragma once

#include "session.h"

#include <QtWidgets/QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace frameline {

class SessionDocument;

/// Running totals of a session, kept up to date one appended batch at a time (never
/// recounted from the start, so a long live session costs nothing per update).
struct SessionSummary
{
    WebSocketState state = WebSocketState::Connecting;
    bool stateKnown = false;
    std::optional<TcpState> localTcpState;
    Observation localTcpObservation = Observation::Observed;
    std::uint64_t framesSent = 0;
    std::uint64_t framesReceived = 0;
    std::uint64_t bytesSent = 0;     ///< frame bytes on the wire, headers included
    std::uint64_t bytesReceived = 0;
    QByteArray subprotocol;
    QByteArray extensions;
    QString tlsProtocol;
    std::optional<std::uint16_t> closeCode;

    /// Folds events [first, last] of `session` into the totals.
    void add(const Session &session, std::uint32_t first, std::uint32_t last);
};

/// The status-bar strip: WebSocket state, local TCP state, frames and bytes each way,
/// negotiated subprotocol and extensions, TLS version.
class SessionStatus : public QWidget
{
    Q_OBJECT

public:
    explicit SessionStatus(QWidget *parent = nullptr);

    void setDocument(SessionDocument *document);
    const SessionSummary &summary() const { return m_summary; }

private:
    void reset();
    void append(quint32 first, quint32 last);
    void refresh();

    SessionDocument *m_document = nullptr;
    SessionSummary m_summary;
    QLabel *m_state = nullptr;
    QLabel *m_tcp = nullptr;
    QLabel *m_traffic = nullptr;
    QLabel *m_negotiated = nullptr;
    QLabel *m_tls = nullptr;
};

/// "CONNECTING", "OPEN", "CLOSING", "CLOSED".
QString webSocketStateName(WebSocketState state);

} // namespace frameline
