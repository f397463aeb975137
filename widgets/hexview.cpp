#include "hexview.h"

#include <QtGui/QClipboard>
#include <QtGui/QContextMenuEvent>
#include <QtGui/QFontDatabase>
#include <QtGui/QGuiApplication>
#include <QtGui/QMouseEvent>
#include <QtGui/QPainter>
#include <QtWidgets/QMenu>
#include <QtWidgets/QScrollBar>

#include <algorithm>
#include <limits>

namespace frameline {
namespace {

constexpr int kMargin = 4; // pixels left of the offset column
constexpr int kColumnGap = 2; // characters between offset, hex and ASCII columns
constexpr int kHexCellChars = 3; // "xx "
constexpr int kHalfRow = HexView::kBytesPerRow / 2;

QChar hexDigit(int value)
{
    return QLatin1Char("0123456789abcdef"[value & 0xF]);
}

QChar asciiOf(char byte)
{
    const auto value = std::uint8_t(byte);
    return value >= 0x20 && value < 0x7F ? QLatin1Char(byte) : QLatin1Char('.');
}

} // namespace

HexView::HexView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
    viewport()->setCursor(Qt::IBeamCursor);
    setFocusPolicy(Qt::StrongFocus);
    updateMetrics();
}

void HexView::setBytes(const QByteArray &bytes, const QByteArray &unmaskedBytes)
{
    m_bytes = bytes;
    m_unmasked = unmaskedBytes.size() == bytes.size() ? unmaskedBytes : QByteArray();
    m_markStart = -1;
    m_markLength = 0;
    // Offsets above 64 KiB need eight digits.
    m_offsetDigits = m_bytes.size() > 0x10000 ? 8 : 4;
    verticalScrollBar()->setValue(0);
    updateScrollBars();
    viewport()->update();
}

const QByteArray &HexView::shownBytes() const
{
    return m_showUnmasked && canUnmask() ? m_unmasked : m_bytes;
}

void HexView::setShowUnmasked(bool unmasked)
{
    if (unmasked == m_showUnmasked)
        return;
    m_showUnmasked = unmasked;
    viewport()->update();
    Q_EMIT showUnmaskedChanged(unmasked);
}

void HexView::markField(qint64 start, qint64 length)
{
    if (start < 0 || length <= 0 || start >= m_bytes.size()) {
        m_markStart = -1;
        m_markLength = 0;
    } else {
        m_markStart = start;
        m_markLength = std::min<qint64>(length, m_bytes.size() - start);
        // Bring the mark's first row into view if it is not already.
        const qint64 row = start / kBytesPerRow;
        QScrollBar *bar = verticalScrollBar();
        if (row < bar->value() || row >= bar->value() + std::max(1, visibleRows() - 1))
            bar->setValue(int(std::max<qint64>(0, row - visibleRows() / 3)));
    }
    viewport()->update();
}

void HexView::copyAsHex() const
{
    const QByteArray &bytes = shownBytes();
    const QByteArray chosen = m_markLength > 0 ? bytes.mid(m_markStart, m_markLength) : bytes;
    QGuiApplication::clipboard()->setText(QString::fromLatin1(chosen.toHex(' ')));
}

qint64 HexView::rowCount() const
{
    return (qint64(m_bytes.size()) + kBytesPerRow - 1) / kBytesPerRow;
}

int HexView::visibleRows() const
{
    return std::max(1, viewport()->height() / m_lineHeight);
}

int HexView::hexColumn(int byteInRow) const
{
    // A wider gap between the two halves of a row, as in `hexdump -C`.
    return m_offsetDigits + kColumnGap + byteInRow * kHexCellChars
        + (byteInRow >= kHalfRow ? 1 : 0);
}

int HexView::asciiColumn() const
{
    return hexColumn(kBytesPerRow - 1) + 2 + kColumnGap;
}

int HexView::lineWidthChars() const
{
    return asciiColumn() + kBytesPerRow;
}

int HexView::xForColumn(int column) const
{
    return kMargin + column * m_charWidth - horizontalScrollBar()->value();
}

int HexView::yForRow(qint64 row) const
{
    return int(row - verticalScrollBar()->value()) * m_lineHeight;
}

bool HexView::isMarked(qint64 offset) const
{
    return m_markLength > 0 && offset >= m_markStart && offset < m_markStart + m_markLength;
}

QRect HexView::hexCellRect(qint64 offset) const
{
    if (offset < 0 || offset >= m_bytes.size())
        return {};
    const int byteInRow = int(offset % kBytesPerRow);
    return QRect(xForColumn(hexColumn(byteInRow)), yForRow(offset / kBytesPerRow), 2 * m_charWidth,
        m_lineHeight);
}

QRect HexView::asciiCellRect(qint64 offset) const
{
    if (offset < 0 || offset >= m_bytes.size())
        return {};
    const int byteInRow = int(offset % kBytesPerRow);
    return QRect(xForColumn(asciiColumn() + byteInRow), yForRow(offset / kBytesPerRow), m_charWidth,
        m_lineHeight);
}

qint64 HexView::offsetAt(const QPoint &viewportPos) const
{
    if (viewportPos.y() < 0 || viewportPos.x() < 0)
        return -1;
    const qint64 row = verticalScrollBar()->value() + viewportPos.y() / m_lineHeight;
    const int x = viewportPos.x() + horizontalScrollBar()->value() - kMargin;
    if (x < 0)
        return -1;
    const int column = x / m_charWidth;
    int byteInRow = -1;
    if (column >= asciiColumn() && column < asciiColumn() + kBytesPerRow) {
        byteInRow = column - asciiColumn();
    } else {
        // A hex cell takes its two digits and the space after them.
        for (int i = 0; i < kBytesPerRow; ++i) {
            if (column >= hexColumn(i) && column < hexColumn(i) + kHexCellChars) {
                byteInRow = i;
                break;
            }
        }
    }
    if (byteInRow < 0)
        return -1;
    const qint64 offset = row * kBytesPerRow + byteInRow;
    return offset < m_bytes.size() ? offset : -1;
}

void HexView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    painter.setFont(font());
    const QPalette &pal = palette();
    const QByteArray &shown = shownBytes();
    const bool unmasking = m_showUnmasked && canUnmask();
    const QColor text = pal.color(QPalette::Text);
    const QColor dim = pal.color(QPalette::PlaceholderText);
    const QColor changed = pal.color(QPalette::Link);
    const QColor markBackground = pal.color(QPalette::Highlight);
    const QColor markText = pal.color(QPalette::HighlightedText);

    const qint64 first = verticalScrollBar()->value();
    const qint64 last = std::min(rowCount(), first + visibleRows() + 1);
    for (qint64 row = first; row < last; ++row) {
        const int y = yForRow(row);
        const int baseline = y + m_ascent;
        const qint64 rowStart = row * kBytesPerRow;
        painter.setPen(dim);
        painter.drawText(xForColumn(0), baseline,
            QStringLiteral("%1").arg(rowStart, m_offsetDigits, 16, QLatin1Char('0')));
        const int count = int(std::min<qint64>(kBytesPerRow, shown.size() - rowStart));
        for (int i = 0; i < count; ++i) {
            const qint64 offset = rowStart + i;
            const char byte = shown[offset];
            const bool marked = isMarked(offset);
            QRect hexCell = hexCellRect(offset);
            const QRect asciiCell = asciiCellRect(offset);
            if (marked) {
                // Cover the space to the next marked byte too, so a field reads as one block.
                if (i + 1 < count && isMarked(offset + 1))
                    hexCell.setRight(hexCellRect(offset + 1).left() - 1);
                painter.fillRect(hexCell, markBackground);
                painter.fillRect(asciiCell, markBackground);
            }
            QColor pen = text;
            if (marked)
                pen = markText;
            else if (unmasking && byte != m_bytes[offset])
                pen = changed;
            painter.setPen(pen);
            const auto value = std::uint8_t(byte);
            const QChar digits[2] = {hexDigit(value >> 4), hexDigit(value)};
            painter.drawText(hexCell.left(), baseline, QString(digits, 2));
            painter.drawText(asciiCell.left(), baseline, QString(asciiOf(byte)));
        }
    }
}

void HexView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void HexView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const qint64 offset = offsetAt(event->position().toPoint());
    if (offset >= 0)
        Q_EMIT byteClicked(offset);
    event->accept();
}

void HexView::mouseReleaseEvent(QMouseEvent *event)
{
    // The press was the click; its release is ours too.
    if (event->button() == Qt::LeftButton)
        event->accept();
    else
        QAbstractScrollArea::mouseReleaseEvent(event);
}

void HexView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *copy = menu.addAction(
        m_markLength > 0 ? tr("Copy Marked Bytes as Hex") : tr("Copy Bytes as Hex"));
    copy->setEnabled(!m_bytes.isEmpty());
    connect(copy, &QAction::triggered, this, &HexView::copyAsHex);
    QAction *unmask = menu.addAction(tr("Show Unmasked Payload"));
    unmask->setCheckable(true);
    unmask->setChecked(m_showUnmasked);
    unmask->setEnabled(canUnmask());
    connect(unmask, &QAction::toggled, this, &HexView::setShowUnmasked);
    menu.exec(event->globalPos());
}

void HexView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        updateMetrics();
        viewport()->update();
    }
}

QSize HexView::sizeHint() const
{
    const int width
        = 2 * kMargin + lineWidthChars() * m_charWidth + verticalScrollBar()->sizeHint().width();
    return {width, 12 * m_lineHeight};
}

void HexView::updateMetrics()
{
    const QFontMetrics metrics(font());
    m_charWidth = std::max(1, metrics.horizontalAdvance(QLatin1Char('0')));
    m_lineHeight = std::max(1, metrics.height());
    m_ascent = metrics.ascent();
    updateScrollBars();
}

void HexView::updateScrollBars()
{
    const qint64 maxRow = std::max<qint64>(0, rowCount() - visibleRows());
    verticalScrollBar()->setRange(
        0, int(std::min<qint64>(maxRow, std::numeric_limits<int>::max())));
    verticalScrollBar()->setPageStep(visibleRows());
    verticalScrollBar()->setSingleStep(1);
    const int width = 2 * kMargin + lineWidthChars() * m_charWidth;
    horizontalScrollBar()->setRange(0, std::max(0, width - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
    horizontalScrollBar()->setSingleStep(m_charWidth);
}

} // namespace frameline
