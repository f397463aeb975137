#pragma once

#include "fieldtreemodel.h"

#include <QtWidgets/QTreeView>

namespace frameline {

class SessionDocument;

/// The field tree of the document's current event, like a protocol analyzer's packet
/// details: every header field of a frame with its bits, position, value and meaning;
/// a message's opcode, size and frames; a handshake's headers and checks; any other
/// event's detail as key/value rows (see EventFields).
///
/// Selecting a row emits fieldSelected() with the bytes it covers, for the hex view;
/// selectFieldAt() goes the other way. The selected field is kept when another event
/// is shown (the same field of the next frame stays selected, as in Wireshark).
/// Double-clicking a row that stands for another event (a message's frame) makes that
/// event current.
class FrameDetailView : public QTreeView
{
    Q_OBJECT

public:
    explicit FrameDetailView(SessionDocument *document, QWidget *parent = nullptr);

    FieldTreeModel *fieldModel() const { return m_model; }
    /// The event shown, or -1.
    qint64 shownEvent() const { return m_event; }

public Q_SLOTS:
    /// Selects the most specific field covering this byte (of EventFields::bytesOf()),
    /// as when a byte is clicked in the hex view; clears the selection when none does.
    void selectFieldAt(qint64 byteOffset);

Q_SIGNALS:
    /// A row was selected. byteOffset is -1 (and byteLength 0) for a row that covers
    /// no bytes, or when the selection was cleared.
    void fieldSelected(qint64 byteOffset, qint64 byteLength);

private:
    void showCurrentEvent();
    void rowChanged(const QModelIndex &current);
    void followLink(const QModelIndex &index);

    SessionDocument *m_document;
    FieldTreeModel *m_model;
    qint64 m_event = -1;
    QStringList m_selectedPath; // the field to select again in the next event
};

} // namespace frameline
