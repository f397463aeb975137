#include "sessionstatus.h"

#include "sessiondocument.h"

#include <QtCore/QLocale>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>

#include <variant>

namespace frameline {

QString webSocketStateName(WebSocketState state)
{
    switch (state) {
    case WebSocketState::Connecting:
        return QStringLiteral("CONNECTING");
    case WebSocketState::Open:
        return QStringLiteral("OPEN");
    case WebSocketState::Closing:
        return QStringLiteral("CLOSING");
    case WebSocketState::Closed:
        return QStringLiteral("CLOSED");
    }
    return {};
}

void SessionSummary::add(const Session &session, std::uint32_t first, std::uint32_t last)
{
    const Role local = session.info().localRole;
    const Direction outgoing = directionFrom(local);
    for (std::uint32_t i = first; i <= last && i < session.eventCount(); ++i) {
        const EventRecord &record = session.event(i);
        switch (record.kind) {
        case EventKind::Frame: {
            const std::uint64_t wireBytes = session.frameHeader(i).frameSize();
            if (record.direction == outgoing) {
                ++framesSent;
                bytesSent += wireBytes;
            } else {
                ++framesReceived;
                bytesReceived += wireBytes;
            }
            break;
        }
        case EventKind::StateChanged:
            if (const auto *detail = std::get_if<StateDetail>(&session.detail(i))) {
                state = detail->to;
                stateKnown = true;
            }
            break;
        case EventKind::HandshakeResponse:
            if (const auto *detail = std::get_if<HandshakeDetail>(&session.detail(i)); detail && detail->accepted) {
                subprotocol = detail->subprotocol;
                extensions = formatExtensionList(detail->extensions);
            }
            break;
        case EventKind::TlsEstablished:
            if (const auto *detail = std::get_if<TlsDetail>(&session.detail(i)))
                tlsProtocol = detail->protocol;
            break;
        case EventKind::TcpState:
            if (const auto *detail = std::get_if<TcpStateDetail>(&session.detail(i)); detail && detail->side == local) {
                localTcpState = detail->state;
                localTcpObservation = detail->observation;
            }
            break;
        case EventKind::Close:
            if (const auto *detail = std::get_if<CloseDetail>(&session.detail(i)); detail && !closeCode)
                closeCode = detail->close.code;
            break;
        default:
            break;
        }
    }
}

SessionStatus::SessionStatus(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    const auto label = [this, layout](const QString &tip) {
        auto *l = new QLabel(this);
        l->setTextFormat(Qt::PlainText);
        l->setToolTip(tip);
        layout->addWidget(l);
        return l;
    };
    m_state = label(tr("WebSocket state (RFC 6455 §4, §7)"));
    m_tcp = label(tr("TCP state of this side's socket, as the kernel reports it"));
    m_traffic = label(tr("Frames and bytes on the wire, sent ↑ and received ↓"));
    m_negotiated = label(tr("Subprotocol and extensions the opening handshake agreed on"));
    m_tls = label(tr("TLS version of a wss:// connection"));
    refresh();
}

void SessionStatus::setDocument(SessionDocument *document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    if (m_document) {
        connect(m_document, &SessionDocument::sessionReset, this, &SessionStatus::reset);
        connect(m_document, &SessionDocument::eventsAppended, this, &SessionStatus::append);
    }
    reset();
}

void SessionStatus::reset()
{
    m_summary = {};
    if (m_document && m_document->session() && m_document->eventCount() > 0)
        m_summary.add(*m_document->session(), 0, m_document->eventCount() - 1);
    refresh();
}

void SessionStatus::append(quint32 first, quint32 last)
{
    if (m_document && m_document->session())
        m_summary.add(*m_document->session(), first, last);
    refresh();
}

void SessionStatus::refresh()
{
    const bool hasSession = m_document && m_document->session();
    m_state->setText(!hasSession ? tr("No connection")
                                 : tr("WebSocket: %1").arg(m_summary.stateKnown ? webSocketStateName(m_summary.state)
                                                                                : tr("not started")));
    if (m_summary.localTcpState) {
        QString text = tr("TCP: %1").arg(QString::fromLatin1(tcpStateName(*m_summary.localTcpState)));
        if (m_summary.localTcpObservation == Observation::Inferred)
            text += tr(" (inferred)");
        m_tcp->setText(text);
    }
    m_tcp->setVisible(m_summary.localTcpState.has_value());
    const QLocale locale;
    m_traffic->setText(tr("↑ %1 frames, %2  ↓ %3 frames, %4")
                           .arg(locale.toString(qulonglong(m_summary.framesSent)),
                                locale.formattedDataSize(qint64(m_summary.bytesSent)),
                                locale.toString(qulonglong(m_summary.framesReceived)),
                                locale.formattedDataSize(qint64(m_summary.bytesReceived))));
    m_traffic->setVisible(hasSession);
    QStringList negotiated;
    if (!m_summary.subprotocol.isEmpty())
        negotiated << tr("subprotocol %1").arg(QString::fromUtf8(m_summary.subprotocol));
    if (!m_summary.extensions.isEmpty())
        negotiated << tr("extensions %1").arg(QString::fromUtf8(m_summary.extensions));
    m_negotiated->setText(negotiated.join(QStringLiteral(", ")));
    m_negotiated->setVisible(!negotiated.isEmpty());
    m_tls->setText(m_summary.tlsProtocol);
    m_tls->setVisible(!m_summary.tlsProtocol.isEmpty());
}

} // namespace frameline
