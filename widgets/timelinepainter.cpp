#include "timelinepainter.h"

#include "timelinetext.h"

#include <QtGui/QFontMetrics>
#include <QtGui/QPainter>
#include <QtGui/QPainterPath>
#include <QtGui/QPalette>

#include <algorithm>
#include <cmath>
#include <limits>

namespace frameline {
namespace {

constexpr int kTextPad = 3;   // above an item's first line
constexpr int kArrowPad = 7;  // from an arrow's line to its item's bottom

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor withAlpha(QColor color, int alpha)
{
    color.setAlpha(alpha);
    return color;
}

/// A hue at the lightness that reads on this base: darker on light themes, lighter on
/// dark ones.
QColor readable(int hue, int saturation, bool dark)
{
    return QColor::fromHsl(hue, saturation, dark ? 170 : 95);
}

bool isControlFrame(const EventRecord &record)
{
    return record.kind == EventKind::Frame && isControlOpcode(record.frameByte0 & 0x0F);
}

bool isCloseFrame(const EventRecord &record)
{
    return record.kind == EventKind::Frame
        && (record.frameByte0 & 0x0F) == std::uint8_t(Opcode::Close);
}

/// A tick step of 1, 2 or 5 times a power of ten seconds, at least `minimumPixels` apart.
std::int64_t tickStepNs(double pixelsPerSecond, int minimumPixels)
{
    static constexpr std::int64_t kMultipliers[] = {1, 2, 5};
    for (std::int64_t power = 1000; power <= 1'000'000'000'000LL; power *= 10) {
        for (std::int64_t m : kMultipliers) {
            if (double(power * m) * 1e-9 * pixelsPerSecond >= minimumPixels)
                return power * m;
        }
    }
    return 1'000'000'000'000LL;
}

} // namespace

TimelineColors TimelineColors::fromPalette(const QPalette &palette)
{
    TimelineColors c;
    c.base = palette.color(QPalette::Base);
    c.text = palette.color(QPalette::Text);
    const bool dark = c.base.lightness() < 128;
    c.muted = mix(c.text, c.base, 0.35);
    c.lifeline = mix(c.text, c.base, 0.55);
    c.transport = mix(c.text, c.base, 0.3);
    // The client's arrows take the theme's link colour; the server's a hue far from it
    // and from red, which means failure.
    QColor link = palette.color(QPalette::Link);
    if (link.hslSaturation() < 60)
        link = readable(215, 170, dark);
    c.clientToServer = link;
    const int hue = (std::max(link.hslHue(), 0) + 290) % 360;
    const int serverHue = hue < 40 || hue > 320 ? 140 : hue;
    c.serverToClient = QColor::fromHsl(serverHue, std::max(link.hslSaturation(), 140),
                                       dark ? std::max(link.lightness(), 150) : std::min(link.lightness(), 90));
    c.error = readable(0, 200, dark);
    c.noteFill = mix(c.base, c.text, 0.07);
    c.noteBorder = c.lifeline;
    c.openFill = mix(c.base, c.clientToServer, 0.16);
    c.header = palette.color(QPalette::Window);
    c.selection = palette.color(QPalette::Highlight);
    c.localLane = mix(c.base, c.selection, 0.25);
    c.phases[int(TimelinePhase::Setup)] = mix(c.base, c.text, 0.05);
    c.phases[int(TimelinePhase::OpeningHandshake)] = mix(c.base, c.clientToServer, 0.07);
    c.phases[int(TimelinePhase::DataTransfer)] = c.base;
    c.phases[int(TimelinePhase::ClosingHandshake)] = mix(c.base, c.serverToClient, 0.07);
    c.phases[int(TimelinePhase::TcpTeardown)] = mix(c.base, c.text, 0.09);
    return c;
}

TimelineGeometry TimelineGeometry::compute(int width, const QFontMetrics &metrics)
{
    TimelineGeometry g;
    g.lineHeight = metrics.height();
    g.rulerWidth = metrics.horizontalAdvance(QStringLiteral("0000.000000")) + 14;
    g.width = std::max(width, g.rulerWidth + 240);
    g.left = g.rulerWidth + 4;
    g.right = g.width - 4;
    // Enough room outside each lifeline for a lane note or a message's tab.
    g.laneSide = std::clamp((g.right - g.left) * 10 / 48, 60, 11 * g.lineHeight);
    g.clientX = g.left + g.laneSide;
    g.serverX = g.right - g.laneSide;
    g.headerHeight = 2 * g.lineHeight + 14;
    return g;
}

TimelineLayout::Metrics TimelineGeometry::layoutMetrics(const QFontMetrics &metrics)
{
    TimelineLayout::Metrics m;
    m.rowHeight = metrics.height() + 12;
    m.titleHeight = metrics.height() + 6;
    return m;
}

TimelinePainter::TimelinePainter(const TimelineLayout &layout, const TimelineGeometry &geometry,
    const TimelineColors &colors, const QFont &font)
    : m_layout(layout)
    , m_session(*layout.session())
    , m_geometry(geometry)
    , m_colors(colors)
    , m_font(font)
    , m_bold(font)
    , m_italic(font)
{
    m_bold.setBold(true);
    m_italic.setItalic(true);
}

void TimelinePainter::setSelection(qint64 item, qint64 group)
{
    m_selectedItem = item;
    m_selectedGroup = group;
}

void TimelinePainter::paintBody(QPainter &painter, qint64 top, qint64 bottom, int originY) const
{
    const int height = int(std::min<qint64>(bottom - top, 1 << 24));
    painter.save();
    painter.setClipRect(QRect(0, originY, m_geometry.width, height), Qt::IntersectClip);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setFont(m_font);
    painter.fillRect(QRect(0, originY, m_geometry.width, height), m_colors.base);
    paintPhases(painter, top, bottom, originY);
    paintLifelines(painter, originY, originY + height);
    paintGroups(painter, top, bottom, originY);

    const auto [first, end] = m_layout.itemsIn(top, bottom);
    for (std::uint32_t i = first; i < end; ++i) {
        const TimelineItem &item = m_layout.item(i);
        if (item.height == 0)
            continue;
        const int y = int(item.y - top) + originY;
        paintItem(painter, i, y, int(m_layout.contentTop(i) - top) + originY, y + item.height);
    }
    paintRuler(painter, top, bottom, originY);
    painter.restore();
}

void TimelinePainter::paintPhases(QPainter &painter, qint64 top, qint64 bottom, int originY) const
{
    const std::vector<TimelinePhaseBand> &bands = m_layout.phases();
    // Bands are few (five at most); walking them all is cheaper than searching.
    for (std::size_t b = 0; b < bands.size(); ++b) {
        const auto [bandTop, bandBottom] = m_layout.phaseExtent(b);
        if (bandBottom <= top || bandTop >= bottom)
            continue;
        const int y0 = int(std::max(bandTop, top) - top) + originY;
        const int y1 = int(std::min(bandBottom, bottom) - top) + originY;
        const QColor fill = m_colors.phases[int(bands[b].phase)];
        painter.fillRect(QRect(m_geometry.rulerWidth, y0, m_geometry.width - m_geometry.rulerWidth,
                             y1 - y0),
            fill);
        if (bandTop >= top) {
            painter.setPen(QPen(m_colors.lifeline, 1));
            painter.drawLine(QPointF(m_geometry.rulerWidth, y0 + 0.5), QPointF(m_geometry.width, y0 + 0.5));
        }
    }
}

void TimelinePainter::paintLifelines(QPainter &painter, int y0, int y1) const
{
    const Role local = m_session.info().localRole;
    for (Role side : {Role::Client, Role::Server}) {
        // The lane of the side Frameline plays is drawn heavier.
        const bool heavy = side == local;
        painter.setPen(QPen(m_colors.lifeline, heavy ? 2.0 : 1.0));
        // On pixel boundaries so both stay crisp: 1 px centred in a pixel, 2 px on an edge.
        const qreal x = m_geometry.laneX(side) + (heavy ? 0.0 : 0.5);
        painter.drawLine(QPointF(x, y0), QPointF(x, y1));
    }
}

void TimelinePainter::paintGroups(QPainter &painter, qint64 top, qint64 bottom, int originY) const
{
    const QFontMetrics metrics(m_font);
    for (std::uint32_t id : m_layout.groupsIn(top, bottom)) {
        const TimelineGroup &group = m_layout.group(id);
        const bool fromClient = group.direction == Direction::ClientToServer;
        const QColor color = m_colors.arrow(group.direction);
        const bool selected = qint64(id) == m_selectedGroup;
        const int y0 = int(m_layout.contentTop(group.firstItem) - top) + originY;
        const int y1 = int(m_layout.item(group.lastItem).bottom() - top) + originY;
        const int inset = fromClient ? 3 : 6;
        const QRect box(m_geometry.left + inset, y0 + 1, m_geometry.right - m_geometry.left - 2 * inset,
            y1 - y0 - 2);
        painter.setPen(QPen(withAlpha(color, selected ? 255 : 150), selected ? 2.0 : 1.0,
            group.complete ? Qt::SolidLine : Qt::DashLine));
        painter.setBrush(withAlpha(color, 22));
        painter.drawRoundedRect(QRectF(box).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);

        // The tab sits on the sender's side, outside its lifeline, where arrows never go.
        const QString title = TimelineText::groupTitle(m_session, group);
        const int room = m_geometry.laneSide - inset - 8;
        const int tabWidth = std::min(metrics.horizontalAdvance(title) + 10, room);
        const int x = fromClient ? box.left() : box.right() - tabWidth;
        const QRect tab(x, box.top(), tabWidth, m_geometry.lineHeight + 2);
        painter.setPen(Qt::NoPen);
        painter.setBrush(withAlpha(color, selected ? 110 : 60));
        painter.drawRoundedRect(tab, 3, 3);
        painter.setPen(m_colors.text);
        drawText(painter, tab.adjusted(5, 0, -3, 0), Qt::AlignLeft | Qt::AlignVCenter, title);
    }
    painter.setBrush(Qt::NoBrush);
}

void TimelinePainter::paintItem(QPainter &painter, std::uint32_t index, int y, int contentY, int bottomY) const
{
    const TimelineItem &item = m_layout.item(index);
    if (qint64(index) == m_selectedItem) {
        const QRect row(m_geometry.rulerWidth + 1, contentY, m_geometry.width - m_geometry.rulerWidth - 1,
            bottomY - contentY);
        painter.setPen(QPen(m_colors.selection, 1));
        painter.setBrush(withAlpha(m_colors.selection, 60));
        painter.drawRect(QRectF(row).adjusted(0.5, 0.5, -0.5, -0.5));
        painter.setBrush(Qt::NoBrush);
    }
    if (item.has(TimelineItem::PhaseStart)) {
        painter.setFont(m_bold);
        painter.setPen(m_colors.muted);
        drawText(painter, QRect(m_geometry.left + 6, y, m_geometry.right - m_geometry.left - 12,
                              contentY - y),
            Qt::AlignLeft | Qt::AlignVCenter, TimelineText::phaseTitle(m_layout.phaseOf(index)));
        painter.setFont(m_font);
    }
    switch (item.placement) {
    case TimelinePlacement::ClientToServer:
    case TimelinePlacement::ServerToClient:
        if (m_session.event(index).kind == EventKind::TcpConnected)
            paintTcpConnect(painter, index, contentY);
        else
            paintArrowItem(painter, index, contentY, bottomY);
        break;
    case TimelinePlacement::ClientLane:
    case TimelinePlacement::ServerLane:
    case TimelinePlacement::BothLanes:
        paintNote(painter, index, contentY, bottomY);
        break;
    case TimelinePlacement::Hidden:
        break;
    }
}

void TimelinePainter::paintArrowItem(QPainter &painter, std::uint32_t index, int contentY, int contentBottom) const
{
    const EventRecord &record = m_session.event(index);
    const TimelineItem &item = m_layout.item(index);
    const Direction direction = item.placement == TimelinePlacement::ServerToClient
        ? Direction::ServerToClient
        : Direction::ClientToServer;
    const int fromX = direction == Direction::ClientToServer ? m_geometry.clientX : m_geometry.serverX;
    const int toX = direction == Direction::ClientToServer ? m_geometry.serverX : m_geometry.clientX;
    const TimelineText::Label label = TimelineText::label(m_session, m_layout, index);
    const QColor color = label.failure ? m_colors.error : m_colors.arrow(direction);

    const QRect textArea(m_geometry.clientX + 8, contentY + kTextPad,
        m_geometry.serverX - m_geometry.clientX - 16, m_geometry.lineHeight);
    for (int line = 0; line < label.count; ++line) {
        QColor pen = line == 0 ? m_colors.text : m_colors.muted;
        if (label.failure && (line > 0 || record.kind == EventKind::Error))
            pen = m_colors.error;
        painter.setPen(pen);
        painter.setFont(line == 0 && record.kind != EventKind::Frame ? m_bold : m_font);
        drawText(painter, textArea.translated(0, line * m_geometry.lineHeight), Qt::AlignHCenter | Qt::AlignVCenter,
            label.lines[line]);
    }
    painter.setFont(m_font);

    // Pings and pongs dashed, Close frames and handshake heads heavier: the shape says
    // what kind of arrow it is before the label is read.
    Qt::PenStyle style = Qt::SolidLine;
    qreal width = 1.5;
    if (record.kind == EventKind::Error)
        style = Qt::DashLine;
    else if (isControlFrame(record) && !isCloseFrame(record))
        style = Qt::DashLine;
    if (isCloseFrame(record) || record.kind == EventKind::Close || record.kind == EventKind::HandshakeRequest
        || record.kind == EventKind::HandshakeResponse)
        width = 2.5;
    const int arrowY = contentBottom - kArrowPad;
    drawArrow(painter, fromX, toX, arrowY, color, style, width, record.kind == EventKind::Error);
    if (item.has(TimelineItem::Grouped)) {
        // A dot where each frame of a multi-frame message leaves its sender.
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawEllipse(QPointF(fromX + 0.5, arrowY + 0.5), 4, 4);
        painter.setBrush(Qt::NoBrush);
    }
}

void TimelinePainter::paintTcpConnect(QPainter &painter, std::uint32_t index, int contentY) const
{
    const TimelineText::Label label = TimelineText::label(m_session, m_layout, index);
    const int row = m_layout.metrics().rowHeight;
    for (int step = 0; step < 3; ++step) {
        // SYN and ACK go from the client, SYN-ACK comes back (RFC 9293 §3.5).
        const bool fromClient = step != 1;
        const int top = contentY + step * row;
        painter.setPen(m_colors.transport);
        drawText(painter, QRect(m_geometry.clientX + 8, top + kTextPad,
                              m_geometry.serverX - m_geometry.clientX - 16, m_geometry.lineHeight),
            Qt::AlignHCenter | Qt::AlignVCenter, label.lines[step]);
        drawArrow(painter, fromClient ? m_geometry.clientX : m_geometry.serverX,
            fromClient ? m_geometry.serverX : m_geometry.clientX, top + row - kArrowPad,
            m_colors.transport, Qt::SolidLine, 1.0);
    }
}

void TimelinePainter::paintNote(QPainter &painter, std::uint32_t index, int contentY, int contentBottom) const
{
    const EventRecord &record = m_session.event(index);
    const TimelineItem &item = m_layout.item(index);
    const TimelineText::Label label = TimelineText::label(m_session, m_layout, index);
    const bool uncertain = item.has(TimelineItem::Uncertain);
    const bool connectionNote = record.kind == EventKind::StateChanged
        && item.placement == TimelinePlacement::BothLanes;
    const QFont &font = uncertain ? m_italic : (connectionNote ? m_bold : m_font);
    const QFontMetrics metrics(font);

    int textWidth = 0;
    for (int line = 0; line < label.count; ++line)
        textWidth = std::max(textWidth, metrics.horizontalAdvance(label.lines[line]));
    const int boxHeight = label.count * m_geometry.lineHeight + 6;
    const int boxY = contentY + (contentBottom - contentY - boxHeight) / 2;
    QRect box;
    if (item.placement == TimelinePlacement::BothLanes) {
        const int x0 = m_geometry.clientX - m_geometry.laneSide / 2;
        const int x1 = m_geometry.serverX + m_geometry.laneSide / 2;
        box = QRect(x0, boxY, x1 - x0, boxHeight);
    } else {
        const int x = item.placement == TimelinePlacement::ClientLane ? m_geometry.clientX : m_geometry.serverX;
        const int width = std::min(textWidth + 16, 2 * m_geometry.laneSide - 8);
        const int left = std::clamp(x - width / 2, m_geometry.left + 2, m_geometry.right - 2 - width);
        box = QRect(left, boxY, width, boxHeight);
    }

    QColor fill = m_colors.noteFill;
    QColor border = m_colors.noteBorder;
    QColor text = m_colors.text;
    if (connectionNote) {
        fill = m_colors.openFill;
        border = m_colors.clientToServer;
    }
    if (record.kind == EventKind::TcpState) {
        // TCP belongs to the transport: quieter than WebSocket notes.
        text = uncertain ? m_colors.muted : m_colors.transport;
    }
    if (label.failure && record.kind == EventKind::Error) {
        fill = mix(m_colors.base, m_colors.error, 0.14);
        border = m_colors.error;
        text = m_colors.error;
    }
    painter.setPen(QPen(border, 1.0, uncertain ? Qt::DashLine : Qt::SolidLine));
    painter.setBrush(fill);
    painter.drawRoundedRect(QRectF(box).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    painter.setBrush(Qt::NoBrush);
    painter.setFont(font);
    for (int line = 0; line < label.count; ++line) {
        painter.setPen(label.failure && line > 0 ? m_colors.error : text);
        drawText(painter,
            QRect(box.left() + 6, box.top() + 3 + line * m_geometry.lineHeight, box.width() - 12,
                m_geometry.lineHeight),
            Qt::AlignHCenter | Qt::AlignVCenter, label.lines[line]);
    }
    painter.setFont(m_font);
}

void TimelinePainter::paintRuler(QPainter &painter, qint64 top, qint64 bottom, int originY) const
{
    const int height = int(std::min<qint64>(bottom - top, 1 << 24));
    painter.fillRect(QRect(0, originY, m_geometry.rulerWidth, height), m_colors.header);
    painter.setPen(QPen(m_colors.lifeline, 1));
    painter.drawLine(QPointF(m_geometry.rulerWidth - 0.5, originY),
        QPointF(m_geometry.rulerWidth - 0.5, originY + height));
    if (m_layout.mode() == TimelineMode::TimeProportional) {
        paintRulerTicks(painter, top, bottom, originY);
        return;
    }
    // Compact: order only, so each item says when it happened.
    painter.setPen(m_colors.muted);
    const auto [first, end] = m_layout.itemsIn(top, bottom);
    int lastBottom = std::numeric_limits<int>::min();
    for (std::uint32_t i = first; i < end; ++i) {
        if (m_layout.item(i).height == 0)
            continue;
        const int y = int(m_layout.contentTop(i) - top) + originY + kTextPad;
        if (y < lastBottom)
            continue;
        drawText(painter, QRect(2, y, m_geometry.rulerWidth - 8, m_geometry.lineHeight),
            Qt::AlignRight | Qt::AlignVCenter, TimelineText::seconds(m_session.event(i).timeNs, 6));
        lastBottom = y + m_geometry.lineHeight;
    }
}

void TimelinePainter::paintRulerTicks(QPainter &painter, qint64 top, qint64 bottom, int originY) const
{
    if (m_layout.itemCount() == 0)
        return;
    const std::int64_t step = tickStepNs(m_layout.pixelsPerSecond(), 3 * m_geometry.lineHeight);
    const int decimals = std::max(0, int(std::ceil(9 - std::log10(double(step)) - 1e-9)));
    auto [first, end] = m_layout.itemsIn(top, bottom);
    // The gap above the first item in view holds ticks too.
    std::uint32_t from = first > 0 ? first - 1 : 0;
    const std::uint32_t to = std::min(end, m_layout.itemCount() - 1);
    qint64 lastLabel = std::numeric_limits<int>::min();
    for (std::uint32_t i = from; i < to; ++i) {
        const std::int64_t t0 = m_session.event(i).timeNs;
        const std::int64_t t1 = m_session.event(i + 1).timeNs;
        const double y0 = double(m_layout.item(i).y);
        const double y1 = double(m_layout.item(i + 1).y);
        if (t1 <= t0 || y1 <= y0)
            continue;
        // Only the ticks of this gap that fall in view.
        const double visibleFrom = std::max(y0, double(top));
        const double visibleTo = std::min(y1, double(bottom));
        if (visibleFrom > visibleTo)
            continue;
        const double tFrom = double(t0) + (visibleFrom - y0) / (y1 - y0) * double(t1 - t0);
        const double tTo = double(t0) + (visibleTo - y0) / (y1 - y0) * double(t1 - t0);
        for (std::int64_t k = std::int64_t(std::floor(tFrom / double(step))) + 1;
             double(k) * double(step) <= tTo; ++k) {
            const std::int64_t t = k * step;
            const int y = int(y0 + (y1 - y0) * double(t - t0) / double(t1 - t0) - double(top)) + originY;
            painter.setPen(QPen(m_colors.muted, 1));
            painter.drawLine(QPointF(m_geometry.rulerWidth - 7, y + 0.5), QPointF(m_geometry.rulerWidth, y + 0.5));
            if (y - lastLabel < m_geometry.lineHeight)
                continue;
            painter.setPen(m_colors.text);
            drawText(painter, QRect(2, y - m_geometry.lineHeight / 2, m_geometry.rulerWidth - 12, m_geometry.lineHeight),
                Qt::AlignRight | Qt::AlignVCenter, TimelineText::seconds(t, decimals));
            lastLabel = y;
        }
    }
}

void TimelinePainter::paintHeader(QPainter &painter, int y) const
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    const int height = m_geometry.headerHeight;
    painter.fillRect(QRect(0, y, m_geometry.width, height), m_colors.header);
    painter.setPen(QPen(m_colors.lifeline, 1));
    painter.drawLine(QPointF(0, y + height - 0.5), QPointF(m_geometry.width, y + height - 0.5));
    painter.setFont(m_font);
    painter.setPen(m_colors.muted);
    drawText(painter, QRect(2, y, m_geometry.rulerWidth - 8, height), Qt::AlignRight | Qt::AlignVCenter,
        TimelineText::rulerTitle());

    const QFontMetrics boldMetrics(m_bold);
    const QFontMetrics metrics(m_font);
    const Role local = m_session.info().localRole;
    for (Role side : {Role::Client, Role::Server}) {
        const QString title = TimelineText::laneTitle(side);
        const QString subtitle = TimelineText::laneSubtitle(m_session, side);
        const int x = m_geometry.laneX(side);
        const int width = std::min(2 * m_geometry.laneSide - 8,
            std::max(boldMetrics.horizontalAdvance(title), metrics.horizontalAdvance(subtitle)) + 24);
        const QRect box(x - width / 2, y + 4, width, height - 8);
        const bool isLocal = side == local;
        painter.setPen(QPen(isLocal ? m_colors.selection : m_colors.noteBorder, isLocal ? 2.0 : 1.0));
        painter.setBrush(isLocal ? m_colors.localLane : m_colors.noteFill);
        painter.drawRoundedRect(QRectF(box).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);
        painter.setBrush(Qt::NoBrush);
        painter.setFont(m_bold);
        painter.setPen(m_colors.text);
        drawText(painter, QRect(box.left() + 4, box.top() + 3, box.width() - 8, m_geometry.lineHeight),
            Qt::AlignHCenter | Qt::AlignVCenter, title);
        painter.setFont(m_font);
        painter.setPen(isLocal ? m_colors.text : m_colors.muted);
        drawText(painter,
            QRect(box.left() + 4, box.top() + 3 + m_geometry.lineHeight, box.width() - 8, m_geometry.lineHeight),
            Qt::AlignHCenter | Qt::AlignVCenter, subtitle);
    }
    painter.restore();
}

void TimelinePainter::drawArrow(QPainter &painter, int fromX, int toX, int y, const QColor &color,
    Qt::PenStyle style, qreal width, bool cross) const
{
    const qreal dir = toX > fromX ? 1.0 : -1.0;
    const qreal head = std::max(10.0, m_geometry.lineHeight * 0.75);
    const qreal half = head * 0.45;
    const qreal tip = toX - dir * (width > 1.5 ? 1.5 : 1.0);
    const qreal line = y + 0.5;
    QPen pen(color, width, style, Qt::FlatCap);
    painter.setPen(pen);
    painter.drawLine(QPointF(fromX + 0.5, line), QPointF(tip - dir * head * (cross ? 0.0 : 0.7), line));
    if (cross) {
        // The arrow never arrives whole: a cross where the receiver refused it.
        painter.setPen(QPen(color, 2.5, Qt::SolidLine, Qt::RoundCap));
        const qreal c = half * 1.2;
        const qreal cx = tip - dir * c;
        painter.drawLine(QPointF(cx - c, line - c), QPointF(cx + c, line + c));
        painter.drawLine(QPointF(cx - c, line + c), QPointF(cx + c, line - c));
        return;
    }
    QPainterPath path;
    path.moveTo(tip, line);
    path.lineTo(tip - dir * head, line - half);
    path.lineTo(tip - dir * head, line + half);
    path.closeSubpath();
    painter.fillPath(path, color);
}

void TimelinePainter::drawText(QPainter &painter, const QRect &rect, int flags, const QString &text) const
{
    if (rect.width() <= 0)
        return;
    const QFontMetrics metrics(painter.font());
    painter.drawText(rect, flags | Qt::TextSingleLine, metrics.elidedText(text, Qt::ElideRight, rect.width()));
}

} // namespace frameline
