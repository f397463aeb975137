#include "frameinspector.h"

#include "closecode.h"
#include "eventfields.h"
#include "framedetailview.h"
#include "hexview.h"
#include "sessiondocument.h"

#include <QtGui/QFontDatabase>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QVBoxLayout>

namespace frameline {
namespace {

PayloadText closePayloadText(QByteArrayView payload)
{
    // RFC 6455 §5.5.1: a two-byte status code, then a UTF-8 reason.
    PayloadText text;
    text.format = PayloadText::Format::Text;
    if (payload.size() < 2) {
        text.text = payload.isEmpty() ? FrameInspector::tr("No status code (1005 is reported).")
                                      : PayloadText::hexDump(payload);
        if (!payload.isEmpty())
            text.format = PayloadText::Format::Hex;
        return text;
    }
    const std::uint16_t code
        = std::uint16_t((std::uint8_t(payload[0]) << 8) | std::uint8_t(payload[1]));
    text.text = FrameInspector::tr("Status code %1 (%2)")
                    .arg(code)
                    .arg(QString::fromLatin1(closeCodeName(code)));
    if (payload.size() > 2)
        text.text += u'\n' + QString::fromUtf8(payload.sliced(2));
    return text;
}

} // namespace

FrameInspector::FrameInspector(SessionDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
{
    // Connected before the detail view connects itself: the hex view must hold the new
    // event's bytes when the detail view re-selects its field and marks them.
    connect(
        m_document, &SessionDocument::currentEventChanged, this, &FrameInspector::showCurrentEvent);
    connect(m_document, &SessionDocument::sessionReset, this, &FrameInspector::showCurrentEvent);

    m_hex = new HexView(this);
    m_detail = new FrameDetailView(m_document, this);
    m_payload = new QPlainTextEdit(this);
    m_payload->setReadOnly(true);
    m_payload->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_payload->setPlaceholderText(tr("No payload"));
    m_unmask = new QCheckBox(tr("Show unmasked payload"), this);
    m_unmask->setToolTip(tr("Show a masked frame's payload XORed with its masking key "
                            "(RFC 6455 §5.3) instead of as it was on the wire"));
    m_bytesLabel = new QLabel(this);
    m_payloadLabel = new QLabel(this);

    connect(m_detail, &FrameDetailView::fieldSelected, m_hex, &HexView::markField);
    connect(m_hex, &HexView::byteClicked, m_detail, &FrameDetailView::selectFieldAt);
    connect(m_unmask, &QCheckBox::toggled, m_hex, &HexView::setShowUnmasked);
    connect(m_hex, &HexView::showUnmaskedChanged, m_unmask, &QCheckBox::setChecked);

    auto *bytesPane = new QWidget(this);
    auto *bytesLayout = new QVBoxLayout(bytesPane);
    bytesLayout->setContentsMargins(0, 0, 0, 0);
    auto *bytesBar = new QHBoxLayout;
    bytesBar->addWidget(m_bytesLabel, 1);
    bytesBar->addWidget(m_unmask);
    bytesLayout->addLayout(bytesBar);
    bytesLayout->addWidget(m_hex, 1);

    auto *payloadPane = new QWidget(this);
    auto *payloadLayout = new QVBoxLayout(payloadPane);
    payloadLayout->setContentsMargins(0, 0, 0, 0);
    payloadLayout->addWidget(m_payloadLabel);
    payloadLayout->addWidget(m_payload, 1);

    auto *bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(bytesPane);
    bottom->addWidget(payloadPane);
    bottom->setStretchFactor(1, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_detail);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    showCurrentEvent();
}

void FrameInspector::showCurrentEvent()
{
    const Session *session = m_document->session();
    const qint64 current = m_document->currentEvent();
    if (!session || current < 0) {
        m_hex->clear();
        m_unmask->setEnabled(false);
        m_bytesLabel->setText(tr("No event selected"));
        showPayload({});
        return;
    }
    const auto index = std::uint32_t(current);
    const EventRecord &record = session->event(index);
    m_hex->setBytes(
        EventFields::bytesOf(*session, index), EventFields::unmaskedBytesOf(*session, index));
    m_unmask->setEnabled(m_hex->canUnmask());

    const qsizetype shown = m_hex->shownBytes().size();
    switch (record.kind) {
    case EventKind::Frame: {
        const FrameHeader header = session->frameHeader(index);
        m_bytesLabel->setText(session->frameTruncated(index)
                ? tr("Frame: %1 of %2 bytes captured").arg(shown).arg(header.frameSize())
                : tr("Frame: %1 bytes on the wire").arg(shown));
        const QByteArray payload = session->framePayload(index);
        PayloadText::Kind kind = PayloadText::Kind::Unknown;
        if (header.opcode == std::uint8_t(Opcode::Close)) {
            showPayload(closePayloadText(payload));
            return;
        }
        // A frame with RSV1 set carries deflated bytes (RFC 7692): they are not text.
        if (header.opcode == std::uint8_t(Opcode::Binary) || header.rsv1)
            kind = PayloadText::Kind::Binary;
        else if (header.opcode == std::uint8_t(Opcode::Text))
            kind = PayloadText::Kind::Text;
        showPayload(PayloadText::from(payload, kind));
        return;
    }
    case EventKind::Message: {
        m_bytesLabel->setText(tr("Message payload: %1 bytes").arg(shown));
        const auto *message = std::get_if<MessageDetail>(&session->detail(index));
        const bool text = message && message->opcode == std::uint8_t(Opcode::Text);
        showPayload(PayloadText::from(
            m_hex->shownBytes(), text ? PayloadText::Kind::Text : PayloadText::Kind::Binary));
        return;
    }
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse: {
        m_bytesLabel->setText(tr("HTTP head: %1 bytes").arg(shown));
        // Header bytes are ISO-8859-1 (RFC 9110 §5.5); the line ends are CRLF, which a
        // text pane shows as nothing useful.
        PayloadText head;
        head.format = PayloadText::Format::Text;
        head.text = QString::fromLatin1(m_hex->shownBytes());
        head.text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
        while (head.text.endsWith(u'\n'))
            head.text.chop(1);
        showPayload(head);
        return;
    }
    default:
        break;
    }
    m_bytesLabel->setText(shown > 0 ? tr("%1 bytes").arg(shown) : tr("No bytes"));
    if (const auto *close = std::get_if<CloseDetail>(&session->detail(index))) {
        PayloadText text;
        text.format = PayloadText::Format::Text;
        text.text = tr("Status code %1 (%2)")
                        .arg(close->close.code ? QString::number(*close->close.code) : tr("none"))
                        .arg(QString::fromLatin1(closeCodeName(
                            close->close.code.value_or(CloseCode::NoStatusReceived))));
        if (!close->close.reason.isEmpty())
            text.text += u'\n' + QString::fromUtf8(close->close.reason);
        showPayload(text);
        return;
    }
    showPayload(PayloadText::from(m_hex->shownBytes(), PayloadText::Kind::Unknown));
}

void FrameInspector::showPayload(const PayloadText &payload)
{
    m_payloadFormat = payload.format;
    // setPlainText: payload bytes come from the peer and are never read as markup.
    m_payload->setPlainText(payload.text);
    m_payload->setLineWrapMode(payload.format == PayloadText::Format::Hex
            ? QPlainTextEdit::NoWrap
            : QPlainTextEdit::WidgetWidth);
    switch (payload.format) {
    case PayloadText::Format::Empty:
        m_payloadLabel->setText(tr("Payload"));
        break;
    case PayloadText::Format::Text:
        m_payloadLabel->setText(tr("Payload as text"));
        break;
    case PayloadText::Format::Json:
        m_payloadLabel->setText(tr("Payload as JSON (pretty-printed)"));
        break;
    case PayloadText::Format::Hex:
        m_payloadLabel->setText(tr("Payload as hex"));
        break;
    }
}

} // namespace frameline
