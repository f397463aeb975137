#pragma once

#include "payloadtext.h"

#include <QtWidgets/QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QSplitter;
QT_END_NAMESPACE

namespace frameline {

class FrameDetailView;
class HexView;
class SessionDocument;

/// Everything about the current event in one pane: the field tree on top, and below it
/// the bytes (HexView, with the wire/unmasked switch) beside the payload as a person
/// reads it (text, pretty-printed JSON, or hex; always plain text, never markup).
///
/// Selecting a field marks its bytes; clicking a byte selects the field it belongs to.
class FrameInspector : public QWidget
{
    Q_OBJECT

public:
    explicit FrameInspector(SessionDocument *document, QWidget *parent = nullptr);

    FrameDetailView *detailView() const { return m_detail; }
    HexView *hexView() const { return m_hex; }
    QPlainTextEdit *payloadView() const { return m_payload; }
    QCheckBox *unmaskBox() const { return m_unmask; }
    QLabel *bytesLabel() const { return m_bytesLabel; }
    QLabel *payloadLabel() const { return m_payloadLabel; }
    /// How the payload pane shows the current payload.
    PayloadText::Format payloadFormat() const { return m_payloadFormat; }

private:
    void showCurrentEvent();
    void showPayload(const PayloadText &payload);

    SessionDocument *m_document;
    HexView *m_hex = nullptr;
    FrameDetailView *m_detail = nullptr;
    QPlainTextEdit *m_payload = nullptr;
    QCheckBox *m_unmask = nullptr;
    QLabel *m_bytesLabel = nullptr;
    QLabel *m_payloadLabel = nullptr;
    PayloadText::Format m_payloadFormat = PayloadText::Format::Empty;
};

} // namespace frameline
