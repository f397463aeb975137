#pragma once

#include "frameencoder.h"

#include <QtWidgets/QWidget>

#include <optional>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;
QT_END_NAMESPACE

namespace frameline {

/// What to send next: a text or binary message (whole, or fragmented into N-byte
/// frames), a ping, a pong, a close with a code and reason, or a hand-built frame with
/// any header at all (to see how a server reacts to a broken one). The composer only
/// builds requests and checks what a person typed; whoever owns the connection sends.
class Composer : public QWidget
{
    Q_OBJECT

public:
    enum class Kind { Text, Binary, Ping, Pong, Close, RawFrame };
    Q_ENUM(Kind)

    explicit Composer(QWidget *parent = nullptr);

    Kind kind() const;
    void setKind(Kind kind);
    /// The payload as typed (text, or hex for binary and hand-built frames).
    void setPayloadText(const QString &text);
    void setFragmentSize(int bytes);
    /// Selects `code` in the list (-1: no code), or types it when it is not listed.
    void setCloseCode(int code);
    /// Types into the code box, as a person would.
    void setCloseCodeText(const QString &text);
    void setCloseReason(const QString &reason);
    /// Enables sending (a connection is open) or not.
    void setSendingEnabled(bool enabled);

    /// Builds the request from the fields and emits it; on a mistake in the input,
    /// shows why and returns false.
    bool send();

    /// "48 65 6c" → bytes; whitespace, ':' and '-' separators and a 0x prefix are
    /// accepted. Returns nullopt on an odd digit count or a non-hex character.
    static std::optional<QByteArray> parseHex(const QString &text);

Q_SIGNALS:
    /// fragmentSize 0 means one frame.
    void textRequested(const QByteArray &utf8, int fragmentSize);
    void binaryRequested(const QByteArray &data, int fragmentSize);
    void pingRequested(const QByteArray &payload);
    void pongRequested(const QByteArray &payload);
    /// No code: an empty Close frame.
    void closeRequested(std::optional<quint16> code, const QByteArray &reason);
    void rawFrameRequested(const frameline::FrameSpec &spec, const QByteArray &payload);

private:
    void updateForKind();
    void showProblem(const QString &problem);
    std::optional<QByteArray> payloadBytes(bool hex);

    QComboBox *m_kind = nullptr;
    QPlainTextEdit *m_payload = nullptr;
    QStackedWidget *m_options = nullptr;
    QSpinBox *m_fragmentSize = nullptr;
    QComboBox *m_closeCode = nullptr;
    QLineEdit *m_closeReason = nullptr;
    QCheckBox *m_fin = nullptr;
    QCheckBox *m_rsv[3] = {};
    QSpinBox *m_opcode = nullptr;
    QCheckBox *m_mask = nullptr;
    QComboBox *m_lengthEncoding = nullptr;
    QCheckBox *m_rawHex = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_send = nullptr;
};

} // namespace frameline
