#include "composer.h"

#include "closecode.h"
#include "frame.h"

#include <QtCore/QRandomGenerator>
#include <QtGui/QColor>
#include <QtGui/QPalette>
#include <QtGui/QKeySequence>
#include <QtGui/QShortcut>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QVBoxLayout>

namespace frameline {

namespace {

// Pages of the options stack, one per kind of request that has options.
enum Page { NoOptions, MessageOptions, CloseOptions, RawOptions };

constexpr std::uint16_t kListedCloseCodes[] = {1000, 1001, 1002, 1003, 1007, 1008, 1009,
                                               1010, 1011, 1012, 1013, 1014, 3000, 4000};

} // namespace

Composer::Composer(QWidget *parent)
    : QWidget(parent)
{
    m_kind = new QComboBox(this);
    m_kind->addItem(tr("Text"), int(Kind::Text));
    m_kind->addItem(tr("Binary (hex)"), int(Kind::Binary));
    m_kind->addItem(tr("Ping"), int(Kind::Ping));
    m_kind->addItem(tr("Pong"), int(Kind::Pong));
    m_kind->addItem(tr("Close"), int(Kind::Close));
    m_kind->addItem(tr("Hand-built frame"), int(Kind::RawFrame));
    m_kind->setToolTip(tr("What to send"));

    m_payload = new QPlainTextEdit(this);
    m_payload->setTabChangesFocus(true);
    m_payload->setPlaceholderText(tr("Payload"));

    // Message options: fragmentation.
    auto *messagePage = new QWidget(this);
    auto *messageForm = new QFormLayout(messagePage);
    messageForm->setContentsMargins(0, 0, 0, 0);
    m_fragmentSize = new QSpinBox(messagePage);
    m_fragmentSize->setRange(0, 1 << 24);
    m_fragmentSize->setSpecialValueText(tr("one frame"));
    m_fragmentSize->setSuffix(tr(" bytes per frame"));
    m_fragmentSize->setToolTip(tr("Split the message into frames of this many bytes: the first "
                                  "frame carries the opcode, the others are continuation "
                                  "frames, the last has FIN set (RFC 6455 §5.4)."));
    messageForm->addRow(tr("Fragments:"), m_fragmentSize);

    // Close options: code and reason.
    auto *closePage = new QWidget(this);
    auto *closeForm = new QFormLayout(closePage);
    closeForm->setContentsMargins(0, 0, 0, 0);
    m_closeCode = new QComboBox(closePage);
    m_closeCode->setEditable(true);
    m_closeCode->setInsertPolicy(QComboBox::NoInsert);
    m_closeCode->addItem(tr("(no code: empty Close frame)"), -1);
    for (const std::uint16_t code : kListedCloseCodes)
        m_closeCode->addItem(QStringLiteral("%1 %2").arg(code).arg(QString::fromLatin1(closeCodeName(code))),
                             int(code));
    m_closeCode->setCurrentIndex(1);
    m_closeCode->setToolTip(tr("A status code from RFC 6455 §7.4, or type another number "
                               "(3000–4999 are for applications)."));
    m_closeReason = new QLineEdit(closePage);
    m_closeReason->setPlaceholderText(tr("Reason (UTF-8, at most 123 bytes)"));
    closeForm->addRow(tr("Code:"), m_closeCode);
    closeForm->addRow(tr("Reason:"), m_closeReason);

    // Hand-built frame: every header field.
    auto *rawPage = new QWidget(this);
    auto *rawForm = new QFormLayout(rawPage);
    rawForm->setContentsMargins(0, 0, 0, 0);
    auto *bits = new QHBoxLayout;
    m_fin = new QCheckBox(tr("FIN"), rawPage);
    m_fin->setChecked(true);
    bits->addWidget(m_fin);
    for (int i = 0; i < 3; ++i) {
        m_rsv[i] = new QCheckBox(tr("RSV%1").arg(i + 1), rawPage);
        bits->addWidget(m_rsv[i]);
    }
    m_mask = new QCheckBox(tr("MASK"), rawPage);
    m_mask->setChecked(true);
    m_mask->setToolTip(tr("A client must mask every frame and a server must not (RFC 6455 §5.1). "
                          "A random key is used."));
    bits->addWidget(m_mask);
    bits->addStretch();
    rawForm->addRow(tr("Bits:"), bits);
    m_opcode = new QSpinBox(rawPage);
    m_opcode->setRange(0, 15);
    m_opcode->setValue(1);
    m_opcode->setToolTip(tr("0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong; "
                            "3–7 and 11–15 are reserved (RFC 6455 §5.2)."));
    rawForm->addRow(tr("Opcode:"), m_opcode);
    m_lengthEncoding = new QComboBox(rawPage);
    m_lengthEncoding->addItem(tr("minimal"), 0);
    m_lengthEncoding->addItem(tr("16-bit (126)"), 16);
    m_lengthEncoding->addItem(tr("64-bit (127)"), 64);
    m_lengthEncoding->setToolTip(tr("A sender must use the shortest length encoding (RFC 6455 §5.2); "
                                    "a longer one tests how the peer reacts."));
    rawForm->addRow(tr("Length:"), m_lengthEncoding);
    m_rawHex = new QCheckBox(tr("Payload is hex"), rawPage);
    rawForm->addRow(QString(), m_rawHex);

    m_options = new QStackedWidget(this);
    m_options->insertWidget(NoOptions, new QWidget(this));
    m_options->insertWidget(MessageOptions, messagePage);
    m_options->insertWidget(CloseOptions, closePage);
    m_options->insertWidget(RawOptions, rawPage);

    m_problem = new QLabel(this);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::WindowText, QColor(0xd0, 0x30, 0x30)); // readable on light and dark
    m_problem->setPalette(problemPalette);
    m_problem->hide();

    m_send = new QPushButton(tr("Send"), this);
    m_send->setToolTip(tr("Send (Ctrl+Return)"));
    m_send->setDefault(true);

    auto *top = new QHBoxLayout;
    top->addWidget(m_kind, 1);
    top->addWidget(m_send);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_payload, 1);
    layout->addWidget(m_options);
    layout->addWidget(m_problem);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &Composer::updateForKind);
    connect(m_send, &QPushButton::clicked, this, &Composer::send);
    auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, &Composer::send);
    updateForKind();
}

Composer::Kind Composer::kind() const
{
    return Kind(m_kind->currentData().toInt());
}

void Composer::setKind(Kind kind)
{
    m_kind->setCurrentIndex(m_kind->findData(int(kind)));
}

void Composer::setPayloadText(const QString &text)
{
    m_payload->setPlainText(text);
}

void Composer::setFragmentSize(int bytes)
{
    m_fragmentSize->setValue(bytes);
}

void Composer::setCloseCode(int code)
{
    const int index = m_closeCode->findData(code);
    if (index >= 0)
        m_closeCode->setCurrentIndex(index);
    else
        m_closeCode->setCurrentText(QString::number(code));
}

void Composer::setCloseCodeText(const QString &text)
{
    m_closeCode->setCurrentText(text);
}

void Composer::setCloseReason(const QString &reason)
{
    m_closeReason->setText(reason);
}

void Composer::setSendingEnabled(bool enabled)
{
    m_send->setEnabled(enabled);
}

void Composer::updateForKind()
{
    const Kind k = kind();
    switch (k) {
    case Kind::Text:
        m_options->setCurrentIndex(MessageOptions);
        m_payload->setPlaceholderText(tr("Text to send (UTF-8)"));
        break;
    case Kind::Binary:
        m_options->setCurrentIndex(MessageOptions);
        m_payload->setPlaceholderText(tr("Bytes in hex, e.g. 00 01 fe ff"));
        break;
    case Kind::Ping:
    case Kind::Pong:
        m_options->setCurrentIndex(NoOptions);
        m_payload->setPlaceholderText(tr("Application data (text, at most 125 bytes)"));
        break;
    case Kind::Close:
        m_options->setCurrentIndex(CloseOptions);
        break;
    case Kind::RawFrame:
        m_options->setCurrentIndex(RawOptions);
        m_payload->setPlaceholderText(tr("Payload, as text or hex"));
        break;
    }
    m_payload->setVisible(k != Kind::Close);
    m_problem->hide();
}

void Composer::showProblem(const QString &problem)
{
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
}

std::optional<QByteArray> Composer::parseHex(const QString &text)
{
    QByteArray digits;
    digits.reserve(text.size());
    const QString trimmed = text.trimmed();
    const qsizetype start = trimmed.startsWith(QLatin1String("0x"), Qt::CaseInsensitive) ? 2 : 0;
    for (qsizetype i = start; i < trimmed.size(); ++i) {
        const QChar c = trimmed.at(i);
        if (c.isSpace() || c == u':' || c == u'-')
            continue;
        if (!isxdigit(c.unicode() < 128 ? int(c.unicode()) : 0))
            return std::nullopt;
        digits.append(char(c.unicode()));
    }
    if (digits.size() % 2 != 0)
        return std::nullopt;
    return QByteArray::fromHex(digits);
}

std::optional<QByteArray> Composer::payloadBytes(bool hex)
{
    const QString text = m_payload->toPlainText();
    if (!hex)
        return text.toUtf8();
    std::optional<QByteArray> bytes = parseHex(text);
    if (!bytes)
        showProblem(tr("The payload is not hex: use pairs of digits 0–9 and a–f, e.g. \"00 01 fe\"."));
    return bytes;
}

bool Composer::send()
{
    if (!m_send->isEnabled())
        return false;
    showProblem({});
    switch (kind()) {
    case Kind::Text: {
        const std::optional<QByteArray> bytes = payloadBytes(false);
        Q_EMIT textRequested(*bytes, m_fragmentSize->value());
        return true;
    }
    case Kind::Binary: {
        const std::optional<QByteArray> bytes = payloadBytes(true);
        if (!bytes)
            return false;
        Q_EMIT binaryRequested(*bytes, m_fragmentSize->value());
        return true;
    }
    case Kind::Ping:
    case Kind::Pong: {
        const QByteArray bytes = *payloadBytes(false);
        // RFC 6455 §5.5: control frames carry at most 125 bytes. A longer one can still
        // be sent on purpose as a hand-built frame.
        if (bytes.size() > 125) {
            showProblem(tr("A ping or pong carries at most 125 bytes (RFC 6455 §5.5); this one has %1. "
                           "Use a hand-built frame to send a longer one on purpose.")
                            .arg(bytes.size()));
            return false;
        }
        if (kind() == Kind::Ping)
            Q_EMIT pingRequested(bytes);
        else
            Q_EMIT pongRequested(bytes);
        return true;
    }
    case Kind::Close: {
        std::optional<quint16> code;
        const int listed = m_closeCode->currentIndex() >= 0
                && m_closeCode->currentText() == m_closeCode->itemText(m_closeCode->currentIndex())
            ? m_closeCode->currentData().toInt()
            : -2;
        if (listed >= 0) {
            code = quint16(listed);
        } else if (listed == -2) {
            bool ok = false;
            const QString typed = m_closeCode->currentText().section(u' ', 0, 0, QString::SectionSkipEmpty);
            const uint value = typed.toUInt(&ok);
            // RFC 6455 §7.4: only some codes may be sent in a Close frame.
            if (!ok || value > 0xFFFF || !isValidWireCloseCode(quint16(value))) {
                showProblem(tr("%1 is not a close code an endpoint may send (RFC 6455 §7.4): use "
                               "1000–1003, 1007–1014 or 3000–4999, or a hand-built frame to send "
                               "another on purpose.")
                                .arg(m_closeCode->currentText()));
                return false;
            }
            code = quint16(value);
        }
        const QByteArray reason = m_closeReason->text().toUtf8();
        if (!code && !reason.isEmpty()) {
            showProblem(tr("A reason needs a code before it (RFC 6455 §5.5.1)."));
            return false;
        }
        // RFC 6455 §5.5: 2 bytes of code + reason must fit in a 125-byte control frame.
        if (reason.size() > 123) {
            showProblem(tr("The reason is %1 bytes in UTF-8; at most 123 fit in a Close frame "
                           "(RFC 6455 §5.5).")
                            .arg(reason.size()));
            return false;
        }
        Q_EMIT closeRequested(code, reason);
        return true;
    }
    case Kind::RawFrame: {
        const std::optional<QByteArray> bytes = payloadBytes(m_rawHex->isChecked());
        if (!bytes)
            return false;
        FrameSpec spec;
        spec.fin = m_fin->isChecked();
        spec.rsv1 = m_rsv[0]->isChecked();
        spec.rsv2 = m_rsv[1]->isChecked();
        spec.rsv3 = m_rsv[2]->isChecked();
        spec.opcode = std::uint8_t(m_opcode->value());
        if (m_mask->isChecked()) {
            const quint32 key = QRandomGenerator::system()->generate();
            spec.maskKey = MaskKey {std::uint8_t(key >> 24), std::uint8_t(key >> 16),
                                    std::uint8_t(key >> 8), std::uint8_t(key)};
        }
        const int encoding = m_lengthEncoding->currentData().toInt();
        if (encoding == 16)
            spec.lengthEncoding = LengthEncoding::Bits16;
        else if (encoding == 64)
            spec.lengthEncoding = LengthEncoding::Bits64;
        Q_EMIT rawFrameRequested(spec, *bytes);
        return true;
    }
    }
    return false;
}

} // namespace frameline
