#include "timelineview.h"

#include "plaintooltip.h"
#include "sessiondocument.h"
#include "timelinetext.h"

#include <QtGui/QContextMenuEvent>
#include <QtGui/QHelpEvent>
#include <QtGui/QKeyEvent>
#include <QtGui/QPainter>
#include <QtGui/QWheelEvent>
#include <QtWidgets/QMenu>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QToolTip>

#include <algorithm>
#include <climits>
#include <cmath>

namespace frameline {

TimelineView::TimelineView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
    viewport()->setMouseTracking(false);
    setAccessibleName(tr("Sequence diagram"));
    updateMetrics();
}

TimelineView::~TimelineView() = default;

void TimelineView::setDocument(SessionDocument *document)
{
    if (m_document == document)
        return;
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    if (m_document) {
        connect(m_document, &SessionDocument::sessionReset, this, &TimelineView::resetFromDocument);
        connect(m_document, &SessionDocument::eventsAppended, this, &TimelineView::appendEvents);
        connect(m_document, &SessionDocument::currentEventChanged, this,
                &TimelineView::currentEventChanged);
    }
    resetFromDocument();
}

void TimelineView::resetFromDocument()
{
    // Held here too, so the layout's session outlives a document that goes first.
    m_session = m_document ? m_document->sharedSession() : nullptr;
    m_layout.reset(m_session.get(), m_session ? m_document->eventCount() : 0);
    m_selectedItem = -1;
    m_selectedGroup = -1;
    verticalScrollBar()->setValue(0);
    updateScrollRange();
    if (m_document && m_document->currentEvent() >= 0)
        currentEventChanged(m_document->currentEvent());
    viewport()->update();
}

void TimelineView::appendEvents(quint32 first, quint32 last)
{
    Q_UNUSED(first)
    if (!m_document || !m_document->session())
        return;
    // Following stops while the person looks at something further up, as a live
    // capture does, and resumes when they scroll back to the end.
    QScrollBar *bar = verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum();
    m_layout.append(last + 1);
    updateScrollRange();
    if (m_followLive && atBottom)
        bar->setValue(bar->maximum());
    viewport()->update();
}

void TimelineView::currentEventChanged(qint64 event)
{
    m_selectedItem = m_layout.shownItemFor(event);
    m_selectedGroup = m_layout.groupFor(event);
    if (m_selectedItem >= 0)
        scrollToEvent(event);
    viewport()->update();
}

void TimelineView::scrollToEvent(qint64 event)
{
    const qint64 item = m_layout.shownItemFor(event);
    if (item < 0)
        return;
    const TimelineItem &placed = m_layout.item(std::uint32_t(item));
    const qint64 top = scrollTop();
    const qint64 visible = bodyHeight();
    const qint64 contentTop = m_layout.contentTop(std::uint32_t(item));
    qint64 target = top;
    // Scrolling up shows the item's phase title too, if it has one.
    if (contentTop < top || placed.height > visible)
        target = placed.y;
    else if (placed.bottom() > top + visible)
        target = placed.bottom() - visible;
    if (target != top)
        verticalScrollBar()->setValue(int(std::clamp<qint64>(target, 0, INT_MAX)));
}

void TimelineView::setMode(TimelineMode mode)
{
    if (mode == m_layout.mode())
        return;
    keepAnchored(m_geometry.headerHeight, [this, mode] { m_layout.setMode(mode); });
    Q_EMIT modeChanged(mode);
}

void TimelineView::setTimeProportional(bool on)
{
    setMode(on ? TimelineMode::TimeProportional : TimelineMode::Compact);
}

void TimelineView::setPixelsPerSecond(double pixelsPerSecond)
{
    pixelsPerSecond = std::clamp(pixelsPerSecond, kMinPixelsPerSecond, kMaxPixelsPerSecond);
    if (pixelsPerSecond == m_layout.pixelsPerSecond())
        return;
    keepAnchored(m_geometry.headerHeight + bodyHeight() / 2,
                 [this, pixelsPerSecond] { m_layout.setPixelsPerSecond(pixelsPerSecond); });
    Q_EMIT zoomChanged(pixelsPerSecond);
}

void TimelineView::zoomIn()
{
    zoomAround(kZoomStep, m_geometry.headerHeight + bodyHeight() / 2);
}

void TimelineView::zoomOut()
{
    zoomAround(1.0 / kZoomStep, m_geometry.headerHeight + bodyHeight() / 2);
}

void TimelineView::resetZoom()
{
    setPixelsPerSecond(TimelineLayout::kDefaultPixelsPerSecond);
}

void TimelineView::zoomAround(double factor, int viewportY)
{
    // Compact mode has no time scale: asking to zoom asks for one.
    if (mode() == TimelineMode::Compact) {
        setMode(TimelineMode::TimeProportional);
        return;
    }
    const double pixelsPerSecond = std::clamp(m_layout.pixelsPerSecond() * factor,
                                              kMinPixelsPerSecond, kMaxPixelsPerSecond);
    if (pixelsPerSecond == m_layout.pixelsPerSecond())
        return;
    keepAnchored(viewportY, [this, pixelsPerSecond] { m_layout.setPixelsPerSecond(pixelsPerSecond); });
    Q_EMIT zoomChanged(pixelsPerSecond);
}

template<typename Change>
void TimelineView::keepAnchored(int viewportY, Change change)
{
    // Items keep their heights whatever the spacing, so a point inside an item keeps
    // its offset in it; a point in the gap after an item keeps its fraction of the gap.
    const qint64 y = scrollTop() + viewportY - m_geometry.headerHeight;
    const qint64 k = m_layout.lastItemStartingBefore(y);
    const bool hasNext = k >= 0 && k + 1 < qint64(m_layout.itemCount());
    auto gapEnd = [this, k, hasNext] {
        return hasNext ? m_layout.item(std::uint32_t(k + 1)).y : -1;
    };
    qint64 offset = y;
    double fraction = -1; // negative: the point is inside item k (or past the last)
    if (k >= 0) {
        const qint64 bottom = m_layout.item(std::uint32_t(k)).bottom();
        offset = y - m_layout.item(std::uint32_t(k)).y;
        if (y >= bottom && hasNext && gapEnd() > bottom)
            fraction = double(y - bottom) / double(gapEnd() - bottom);
    }
    change();
    updateScrollRange();
    qint64 anchored = y;
    if (k >= 0) {
        const TimelineItem &item = m_layout.item(std::uint32_t(k));
        anchored = fraction < 0 ? item.y + offset
                                : item.bottom() + qint64(std::llround(fraction * double(gapEnd() - item.bottom())));
    }
    const qint64 target = anchored - (viewportY - m_geometry.headerHeight);
    verticalScrollBar()->setValue(int(std::clamp<qint64>(target, 0, INT_MAX)));
    viewport()->update();
}

void TimelineView::setFollowLive(bool follow)
{
    if (follow == m_followLive)
        return;
    m_followLive = follow;
    if (follow)
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    Q_EMIT followLiveChanged(follow);
}

qint64 TimelineView::scrollTop() const
{
    return verticalScrollBar()->value();
}

int TimelineView::bodyHeight() const
{
    return std::max(viewport()->height() - m_geometry.headerHeight, 1);
}

void TimelineView::updateMetrics()
{
    const QFontMetrics metrics(font());
    m_geometry = TimelineGeometry::compute(viewport()->width(), metrics);
    m_colors = TimelineColors::fromPalette(palette());
    m_layout.setMetrics(TimelineGeometry::layoutMetrics(metrics));
    updateScrollRange();
    viewport()->update();
}

void TimelineView::updateScrollRange()
{
    // Half a row below the last item, so the newest arrow never sits on the edge.
    const qint64 content = m_layout.totalHeight() + m_layout.metrics().rowHeight / 2;
    const qint64 maximum = std::clamp<qint64>(content - bodyHeight(), 0, INT_MAX);
    QScrollBar *bar = verticalScrollBar();
    bar->setRange(0, int(maximum));
    bar->setPageStep(std::max(bodyHeight() - m_layout.metrics().rowHeight, 1));
    bar->setSingleStep(m_layout.metrics().rowHeight);
}

QRect TimelineView::itemRect(std::uint32_t item) const
{
    if (item >= m_layout.itemCount() || m_layout.item(item).height == 0)
        return {};
    const TimelineItem &placed = m_layout.item(item);
    const qint64 y = placed.y - scrollTop() + m_geometry.headerHeight;
    return QRect(0, int(std::clamp<qint64>(y, INT_MIN / 2, INT_MAX / 2)), viewport()->width(), placed.height);
}

qint64 TimelineView::eventAt(const QPoint &viewportPos) const
{
    if (viewportPos.y() < m_geometry.headerHeight || viewportPos.x() < m_geometry.rulerWidth)
        return -1;
    return m_layout.itemAt(scrollTop() + viewportPos.y() - m_geometry.headerHeight);
}

TimelinePainter TimelineView::makePainter() const
{
    TimelinePainter painter(m_layout, m_geometry, m_colors, font());
    painter.setSelection(m_selectedItem, m_selectedGroup);
    return painter;
}

void TimelineView::paintEvent(QPaintEvent *event)
{
    QPainter painter(viewport());
    if (!m_layout.session()) {
        painter.setPen(m_colors.muted);
        painter.drawText(viewport()->rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("No session yet. Connect to a ws:// or wss:// URL, or open a saved "
                            "session: its sequence diagram appears here."));
        return;
    }
    const TimelinePainter diagram = makePainter();
    // Only the exposed rows: a scroll repaints a strip, not the whole view.
    const QRect exposed = event->rect();
    const int header = m_geometry.headerHeight;
    const int from = std::max(exposed.top(), header);
    const int to = std::max(exposed.bottom() + 1, from);
    const qint64 top = scrollTop() + from - header;
    diagram.paintBody(painter, top, top + (to - from), from);
    if (exposed.top() < header)
        diagram.paintHeader(painter, 0);
}

QSize TimelineView::paintDiagram(QPainter &painter, qint64 top, qint64 bottom, int width) const
{
    if (!m_layout.session())
        return {};
    const QFontMetrics metrics(font());
    const TimelineGeometry geometry
        = width > 0 ? TimelineGeometry::compute(width, metrics) : m_geometry;
    if (bottom < 0)
        bottom = m_layout.totalHeight() + m_layout.metrics().rowHeight / 2;
    top = std::max<qint64>(top, 0);
    bottom = std::max(bottom, top);
    TimelinePainter diagram(m_layout, geometry, m_colors, font());
    diagram.setSelection(m_selectedItem, m_selectedGroup);
    diagram.paintBody(painter, top, bottom, geometry.headerHeight);
    diagram.paintHeader(painter, 0);
    return QSize(geometry.width, geometry.headerHeight + int(bottom - top));
}

QImage TimelineView::renderToImage(qint64 top, qint64 bottom, int width, qreal devicePixelRatio) const
{
    const int imageWidth = width > 0 ? width : std::max(viewport()->width(), minimumSizeHint().width());
    if (bottom < 0)
        bottom = m_layout.totalHeight() + m_layout.metrics().rowHeight / 2;
    bottom = std::min(bottom, top + kMaxImageHeight - m_geometry.headerHeight);
    const QSize size(TimelineGeometry::compute(imageWidth, QFontMetrics(font())).width,
                     m_geometry.headerHeight + int(std::max<qint64>(bottom - top, 0)));
    QImage image(size * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(m_colors.base);
    QPainter painter(&image);
    paintDiagram(painter, top, bottom, imageWidth);
    return image;
}

QSize TimelineView::sizeHint() const
{
    return QSize(720, 560);
}

QSize TimelineView::minimumSizeHint() const
{
    return QSize(m_geometry.rulerWidth + 240, m_geometry.headerHeight + 4 * m_layout.metrics().rowHeight);
}

void TimelineView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    m_geometry = TimelineGeometry::compute(viewport()->width(), QFontMetrics(font()));
    updateScrollRange();
}

void TimelineView::selectItem(qint64 item)
{
    if (item < 0 || !m_document)
        return;
    m_document->setCurrentEvent(item);
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        const qint64 clicked = eventAt(event->position().toPoint());
        if (clicked >= 0)
            selectItem(clicked);
        event->accept();
        return;
    }
    QAbstractScrollArea::mousePressEvent(event);
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event)
{
    // The press selected already; the release is ours too, not the parent's.
    if (event->button() == Qt::LeftButton) {
        event->accept();
        return;
    }
    QAbstractScrollArea::mouseReleaseEvent(event);
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    const qint64 current = m_document ? m_layout.shownItemFor(m_document->currentEvent()) : -1;
    switch (event->key()) {
    case Qt::Key_Down:
        if (current < 0) {
            const auto [first, end] = m_layout.itemsIn(scrollTop(), scrollTop() + bodyHeight());
            selectItem(first < end ? qint64(first) : m_layout.nextShownItem(-1));
        } else {
            selectItem(m_layout.nextShownItem(current));
        }
        return;
    case Qt::Key_Up:
        if (current < 0) {
            const auto [first, end] = m_layout.itemsIn(scrollTop(), scrollTop() + bodyHeight());
            selectItem(first < end ? m_layout.previousShownItem(end) : -1);
        } else {
            selectItem(m_layout.previousShownItem(current));
        }
        return;
    case Qt::Key_Home:
        selectItem(m_layout.nextShownItem(-1));
        return;
    case Qt::Key_End:
        selectItem(m_layout.previousShownItem(m_layout.itemCount()));
        return;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        if (event->modifiers() & Qt::ControlModifier) {
            zoomIn();
            return;
        }
        break;
    case Qt::Key_Minus:
        if (event->modifiers() & Qt::ControlModifier) {
            zoomOut();
            return;
        }
        break;
    case Qt::Key_0:
        if (event->modifiers() & Qt::ControlModifier) {
            resetZoom();
            return;
        }
        break;
    default:
        break;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void TimelineView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        // Ctrl+wheel zooms around the pointer: the moment under it stays under it.
        const int steps = event->angleDelta().y();
        if (steps != 0)
            zoomAround(std::pow(kZoomStep, double(steps) / 120.0), int(event->position().y()));
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void TimelineView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *compact = menu.addAction(tr("&Compact: order only"));
    compact->setCheckable(true);
    compact->setChecked(mode() == TimelineMode::Compact);
    connect(compact, &QAction::triggered, this, [this] { setMode(TimelineMode::Compact); });
    QAction *timed = menu.addAction(tr("&Time-proportional"));
    timed->setCheckable(true);
    timed->setChecked(mode() == TimelineMode::TimeProportional);
    connect(timed, &QAction::triggered, this, [this] { setMode(TimelineMode::TimeProportional); });
    menu.addSeparator();
    menu.addAction(tr("Zoom &in"), this, &TimelineView::zoomIn);
    menu.addAction(tr("Zoom &out"), this, &TimelineView::zoomOut);
    QAction *reset = menu.addAction(tr("&Reset zoom"), this, &TimelineView::resetZoom);
    reset->setEnabled(mode() == TimelineMode::TimeProportional);
    menu.addSeparator();
    QAction *follow = menu.addAction(tr("&Follow live"));
    follow->setCheckable(true);
    follow->setChecked(m_followLive);
    connect(follow, &QAction::toggled, this, &TimelineView::setFollowLive);
    menu.exec(event->globalPos());
}

void TimelineView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    switch (event->type()) {
    case QEvent::FontChange:
    case QEvent::PaletteChange:
    case QEvent::StyleChange:
        updateMetrics();
        break;
    default:
        break;
    }
}

bool TimelineView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && m_layout.session()) {
        auto *help = static_cast<QHelpEvent *>(event);
        const qint64 item = eventAt(help->pos());
        if (item >= 0)
            QToolTip::showText(help->globalPos(),
                               plainToolTip(TimelineText::toolTip(*m_layout.session(), m_layout,
                                                                  std::uint32_t(item))),
                               viewport(), itemRect(std::uint32_t(item)));
        else
            QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace frameline
