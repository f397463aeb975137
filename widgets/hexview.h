#pragma once

#include <QtCore/QByteArray>
#include <QtWidgets/QAbstractScrollArea>

namespace frameline {

/// A hex dump: offset column, 16 bytes in hex, the same bytes as ASCII. It paints only
/// the rows in view (a 64 MiB frame costs what a 16-byte one does), in the widget's
/// fixed-width font and palette colours, with one byte range marked (the field selected
/// in the field tree, as Wireshark's byte view does).
///
/// A masked frame can be shown as on the wire or with its payload unmasked: both byte
/// arrays have the same length and layout, so offsets and the mark hold in either.
/// Unmasked bytes are drawn in the link colour so they stand out from wire bytes.
class HexView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    static constexpr int kBytesPerRow = 16;

    explicit HexView(QWidget *parent = nullptr);

    /// Shows `bytes` (as on the wire). `unmaskedBytes`, when not empty, is the same
    /// bytes with the payload unmasked (same size); it enables setShowUnmasked().
    /// Clears the mark.
    void setBytes(const QByteArray &bytes, const QByteArray &unmaskedBytes = {});
    void clear() { setBytes({}); }

    /// The bytes on screen (wire or unmasked).
    const QByteArray &shownBytes() const;
    bool canUnmask() const { return !m_unmasked.isEmpty(); }
    bool showUnmasked() const { return m_showUnmasked; }
    qint64 markStart() const { return m_markStart; }
    qint64 markLength() const { return m_markLength; }

    /// The byte under a viewport point (hex or ASCII column), or -1.
    qint64 offsetAt(const QPoint &viewportPos) const;
    /// Where a byte's hex digits are drawn, in viewport coordinates (empty when the
    /// byte does not exist).
    QRect hexCellRect(qint64 offset) const;
    QRect asciiCellRect(qint64 offset) const;

    /// Wide enough for a whole row, twelve rows high.
    QSize sizeHint() const override;

public Q_SLOTS:
    /// Marks bytes [start, start + length) and scrolls them into view; a negative start
    /// or a length of 0 clears the mark. A range past the end is marked up to the end.
    void markField(qint64 start, qint64 length);
    void setShowUnmasked(bool unmasked);
    /// Copies the marked bytes (all bytes when none are marked) as hex.
    void copyAsHex() const;

Q_SIGNALS:
    /// A byte was clicked (offset in the bytes shown).
    void byteClicked(qint64 offset);
    void showUnmaskedChanged(bool unmasked);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateMetrics();
    void updateScrollBars();
    qint64 rowCount() const;
    int visibleRows() const;
    int lineWidthChars() const;
    int hexColumn(int byteInRow) const;
    int asciiColumn() const;
    int xForColumn(int column) const;
    int yForRow(qint64 row) const;
    bool isMarked(qint64 offset) const;

    QByteArray m_bytes;
    QByteArray m_unmasked;
    bool m_showUnmasked = false;
    qint64 m_markStart = -1;
    qint64 m_markLength = 0;
    int m_charWidth = 1;
    int m_lineHeight = 1;
    int m_ascent = 0;
    int m_offsetDigits = 4;
};

} // namespace frameline
