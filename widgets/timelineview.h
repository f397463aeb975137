#pragma once

#include "timelinelayout.h"
#include "timelinepainter.h"

#include <QtCore/QPointer>
#include <QtGui/QImage>
#include <QtWidgets/QAbstractScrollArea>

#include <memory>

namespace frameline {

class SessionDocument;

/// The sequence diagram at the centre of the window: the client's lane on the left,
/// the server's on the right (the one Frameline plays is marked "this app"), time
/// flowing down. TCP connect, TLS, the HTTP Upgrade and its answer, every frame as an
/// arrow from sender to receiver, multi-frame messages boxed, Close frames saying who
/// closed first, WebSocket and TCP states as notes on the lane they belong to, errors
/// where they happened, the connection's phases as shaded bands.
///
/// Two modes: compact (order only, one row per item) and time-proportional (gaps
/// follow the clock, never closer than a row; zoom with Ctrl+wheel or zoomIn()). The
/// layout grows with each batch of appended events and painting touches only the rows
/// in view, so a session of millions of frames scrolls as smoothly as a short one.
///
/// Clicking an item makes its event the document's current event; the current event,
/// wherever it was chosen, is highlighted and scrolled into view. Up/Down move it.
/// While the view is at the bottom and follow-live is on, new items scroll into view.
class TimelineView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    static constexpr double kZoomStep = 1.25;
    static constexpr double kMinPixelsPerSecond = 0.01;
    static constexpr double kMaxPixelsPerSecond = 1e8;
    /// renderToImage() of a whole diagram stops at this height (in pixels).
    static constexpr int kMaxImageHeight = 32000;

    explicit TimelineView(QWidget *parent = nullptr);
    ~TimelineView() override;

    /// Shows the document's session and follows its appends and current event.
    void setDocument(SessionDocument *document);
    SessionDocument *document() const { return m_document; }

    TimelineMode mode() const { return m_layout.mode(); }
    /// Time-proportional scale (kept while compact, used when switched back).
    double pixelsPerSecond() const { return m_layout.pixelsPerSecond(); }
    bool followLive() const { return m_followLive; }

    const TimelineLayout &timelineLayout() const { return m_layout; }
    const TimelineGeometry &diagramGeometry() const { return m_geometry; }
    const TimelineColors &colors() const { return m_colors; }

    /// The item drawn as selected (the one showing the current event), or -1.
    qint64 selectedItem() const { return m_selectedItem; }
    /// Where an item is, in viewport coordinates (empty for a hidden item). It may lie
    /// outside the viewport.
    QRect itemRect(std::uint32_t item) const;
    /// The event under a viewport point, or -1.
    qint64 eventAt(const QPoint &viewportPos) const;

    /// Paints diagram rows [top, bottom) (layout pixels; bottom -1: to the end) under
    /// the lane header, `width` pixels wide (-1: the view's width), on any paint
    /// device: an image, an SVG generator, a printer. Returns the size painted.
    QSize paintDiagram(QPainter &painter, qint64 top = 0, qint64 bottom = -1, int width = -1) const;
    /// paintDiagram() into an image, at most kMaxImageHeight pixels high.
    QImage renderToImage(qint64 top = 0, qint64 bottom = -1, int width = -1,
                         qreal devicePixelRatio = 1.0) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    void setMode(frameline::TimelineMode mode);
    /// For a checkable action: on is time-proportional, off compact.
    void setTimeProportional(bool on);
    void setPixelsPerSecond(double pixelsPerSecond);
    /// Zooms the time scale; in compact mode, switches to time-proportional first.
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void setFollowLive(bool follow);
    /// Scrolls so that the item showing `event` is in view.
    void scrollToEvent(qint64 event);

Q_SIGNALS:
    void modeChanged(frameline::TimelineMode mode);
    void zoomChanged(double pixelsPerSecond);
    void followLiveChanged(bool follow);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    void resetFromDocument();
    void appendEvents(quint32 first, quint32 last);
    void currentEventChanged(qint64 event);
    void updateMetrics();
    void updateScrollRange();
    /// Changes positions (mode, scale) keeping the diagram point at viewport y still.
    template<typename Change>
    void keepAnchored(int viewportY, Change change);
    void zoomAround(double factor, int viewportY);
    void selectItem(qint64 item);
    qint64 scrollTop() const;
    int bodyHeight() const;
    TimelinePainter makePainter() const;

    QPointer<SessionDocument> m_document;
    std::shared_ptr<Session> m_session;
    TimelineLayout m_layout;
    TimelineGeometry m_geometry;
    TimelineColors m_colors;
    qint64 m_selectedItem = -1;
    qint64 m_selectedGroup = -1;
    bool m_followLive = true;
};

} // namespace frameline
