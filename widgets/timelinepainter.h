#pragma once

#include "timelinelayout.h"

#include <QtGui/QColor>
#include <QtGui/QFont>

QT_BEGIN_NAMESPACE
class QFontMetrics;
class QPainter;
class QPalette;
QT_END_NAMESPACE

namespace frameline {

/// The diagram's colours, all derived from a palette so that light and dark themes
/// both read well: lanes and notes from the text and base roles, the client's arrows
/// in the link colour, the server's in its complement, failures in a red as light as
/// the link colour.
struct TimelineColors
{
    QColor base;
    QColor text;
    QColor muted;
    QColor lifeline;
    QColor transport; ///< TCP segments: below WebSocket, drawn quieter
    QColor clientToServer;
    QColor serverToClient;
    QColor error;
    QColor noteFill;
    QColor noteBorder;
    QColor openFill; ///< "WebSocket connection open/closed"
    QColor header;
    QColor localLane; ///< the lane of the side Frameline plays
    QColor selection;
    QColor phases[5];

    static TimelineColors fromPalette(const QPalette &palette);
    QColor arrow(Direction direction) const
    {
        return direction == Direction::ServerToClient ? serverToClient : clientToServer;
    }
};

/// Where things go across the widget's width: the time ruler on the left, then the
/// diagram with the client's lifeline left and the server's right, with room outside
/// each lifeline for notes and message tabs.
struct TimelineGeometry
{
    int width = 0;
    int rulerWidth = 0;
    int left = 0;  ///< the diagram's left edge (right of the ruler)
    int right = 0; ///< its right edge
    int clientX = 0;
    int serverX = 0;
    int laneSide = 0; ///< room between a lifeline and the diagram's edge
    int lineHeight = 0;
    int headerHeight = 0;

    static TimelineGeometry compute(int width, const QFontMetrics &metrics);
    /// Row and title heights for a font.
    static TimelineLayout::Metrics layoutMetrics(const QFontMetrics &metrics);
    int laneX(Role side) const { return side == Role::Client ? clientX : serverX; }
};

/// Paints a TimelineLayout: phase bands, lifelines, message groups, items, the time
/// ruler and the lane header. It draws only what lies in the range it is given, so
/// painting costs the same at any session size; the view, an image export or a
/// printer all paint through it.
class TimelinePainter
{
public:
    TimelinePainter(const TimelineLayout &layout, const TimelineGeometry &geometry,
                    const TimelineColors &colors, const QFont &font);

    /// The item (and its group, or -1) drawn as selected.
    void setSelection(qint64 item, qint64 group);

    /// Paints layout rows [top, bottom) so that layout y `top` lands at painter y
    /// `originY`, across the geometry's width.
    void paintBody(QPainter &painter, qint64 top, qint64 bottom, int originY) const;
    /// The lane titles (and the ruler's unit) in a band headerHeight high at `y`.
    void paintHeader(QPainter &painter, int y) const;

private:
    void paintPhases(QPainter &painter, qint64 top, qint64 bottom, int originY) const;
    void paintLifelines(QPainter &painter, int y0, int y1) const;
    void paintGroups(QPainter &painter, qint64 top, qint64 bottom, int originY) const;
    void paintItem(QPainter &painter, std::uint32_t index, int y, int contentY, int bottomY) const;
    void paintArrowItem(QPainter &painter, std::uint32_t index, int contentY, int contentBottom) const;
    void paintTcpConnect(QPainter &painter, std::uint32_t index, int contentY) const;
    void paintNote(QPainter &painter, std::uint32_t index, int contentY, int contentBottom) const;
    void paintRuler(QPainter &painter, qint64 top, qint64 bottom, int originY) const;
    void paintRulerTicks(QPainter &painter, qint64 top, qint64 bottom, int originY) const;
    void drawArrow(QPainter &painter, int fromX, int toX, int y, const QColor &color,
                   Qt::PenStyle style, qreal width, bool cross = false) const;
    void drawText(QPainter &painter, const QRect &rect, int flags, const QString &text) const;

    const TimelineLayout &m_layout;
    const Session &m_session;
    TimelineGeometry m_geometry;
    TimelineColors m_colors;
    QFont m_font;
    QFont m_bold;
    QFont m_italic;
    qint64 m_selectedItem = -1;
    qint64 m_selectedGroup = -1;
};

} // namespace frameline
