#pragma once

#include "session.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace frameline {

/// How the timeline spaces its items: by order only, or by when they happened.
enum class TimelineMode : std::uint8_t {
    Compact,          ///< every item a fixed number of rows below the previous one
    TimeProportional, ///< gaps follow the time between events, never closer than a row
};

/// The phases of a connection's life, in the order they can only follow each other.
enum class TimelinePhase : std::uint8_t {
    Setup,            ///< DNS, TCP connect, TLS
    OpeningHandshake, ///< HTTP Upgrade request and its answer (RFC 6455 §4)
    DataTransfer,     ///< OPEN: frames both ways (§5, §6)
    ClosingHandshake, ///< from the first Close frame (§7.1.2)
    TcpTeardown,      ///< FIN/ACK and the TCP states that follow
};

/// Where an item is drawn relative to the two lanes.
enum class TimelinePlacement : std::uint8_t {
    Hidden,         ///< folded into another item (see TimelineItem::link)
    ClientToServer, ///< an arrow from the client's lifeline to the server's
    ServerToClient,
    ClientLane, ///< a note on the client's lifeline
    ServerLane,
    BothLanes, ///< a note across both lifelines
};

/// One event's place in the diagram. Item i always shows event i, so an event's item
/// is found without searching.
struct TimelineItem
{
    static constexpr std::uint32_t kNoLink = 0xFFFFFFFFu;

    enum Flag : std::uint8_t {
        PhaseStart = 0x01,     ///< a new phase begins here; its title sits at the item's top
        Grouped = 0x02,        ///< a frame of a multi-frame message; link is the group
        CloseInitiator = 0x04, ///< the first Close of the connection: this side closed first
        CloseReply = 0x08,     ///< the other side's Close, answering the first
        Failure = 0x10,        ///< a refused handshake, a protocol error
        Uncertain = 0x20,      ///< a TCP state inferred, passed unobserved or not observable
    };

    qint64 y = 0; ///< top, in pixels from the diagram's top
    /// Hidden items: the item that shows them (a Message: its first frame; a Close: its
    /// Close frame). Grouped frames: the group. Otherwise kNoLink.
    std::uint32_t link = kNoLink;
    std::uint16_t height = 0; ///< 0 for hidden items
    TimelinePlacement placement = TimelinePlacement::Hidden;
    std::uint8_t flags = 0;

    bool has(Flag flag) const { return (flags & flag) != 0; }
    qint64 bottom() const { return y + height; }
};

/// The frames of one message sent in more than one frame (RFC 6455 §5.4). Control
/// frames between them are inside its span but not its members.
struct TimelineGroup
{
    std::uint32_t firstItem = 0; ///< the message's first frame
    std::uint32_t lastItem = 0;  ///< its last frame so far
    std::uint32_t frameCount = 0;
    std::uint32_t messageEvent = TimelineItem::kNoLink; ///< its Message event, once recorded
    std::uint64_t size = 0; ///< payload bytes of its frames
    Direction direction = Direction::ClientToServer;
    bool complete = false; ///< the frame with FIN arrived
};

/// A phase that begins at an item and lasts until the next band's first item.
struct TimelinePhaseBand
{
    TimelinePhase phase = TimelinePhase::Setup;
    std::uint32_t firstItem = 0;
};

/// The geometry of the sequence diagram, without painting: one item per Session event
/// with its vertical position, height and placement; multi-frame messages as groups;
/// the connection's phases as bands. Built incrementally — append() lays out only the
/// new events and never moves earlier items — so a live session of 10^6 frames costs
/// one pass. Positions depend on the mode, the row metrics and (time-proportional) the
/// scale; changing those re-lays every item once.
///
/// Items are ordered by y and their bottoms never decrease, so the items in any
/// vertical range are found by binary search.
class TimelineLayout
{
public:
    struct Metrics
    {
        int rowHeight = 28;   ///< one arrow or note
        int titleHeight = 20; ///< a phase title above the item that starts the phase
    };

    static constexpr double kDefaultPixelsPerSecond = 200.0;

    /// Forgets everything and lays out `session`'s first `eventCount` events (none
    /// when `session` is null). The session must outlive its use here.
    void reset(const Session *session, std::uint32_t eventCount = 0);
    /// Lays out events [itemCount(), eventCount): the ones appended since.
    void append(std::uint32_t eventCount);

    void setMode(TimelineMode mode);
    TimelineMode mode() const { return m_mode; }
    void setMetrics(const Metrics &metrics);
    const Metrics &metrics() const { return m_metrics; }
    /// Time-proportional scale.
    void setPixelsPerSecond(double pixelsPerSecond);
    double pixelsPerSecond() const { return m_pixelsPerSecond; }

    const Session *session() const { return m_session; }
    std::uint32_t itemCount() const { return std::uint32_t(m_items.size()); }
    const TimelineItem &item(std::uint32_t index) const { return m_items[index]; }
    qint64 totalHeight() const { return m_items.empty() ? 0 : m_items.back().bottom(); }

    /// Items [first, second) are every item whose [y, bottom) meets [top, bottom), plus
    /// hidden items between them (height 0: skip them when painting).
    std::pair<std::uint32_t, std::uint32_t> itemsIn(qint64 top, qint64 bottom) const;
    /// The last item whose top is at or above `y` (hidden ones included), or -1.
    qint64 lastItemStartingBefore(qint64 y) const;
    /// The visible item at `y` (its event is the one to select), or -1.
    qint64 itemAt(qint64 y) const;
    /// The visible item that shows `event`: itself, or for a hidden one the item it is
    /// folded into. -1 when out of range.
    qint64 shownItemFor(qint64 event) const;
    /// Nearest visible item before/after `item` (-1 when none).
    qint64 previousShownItem(qint64 item) const;
    qint64 nextShownItem(qint64 item) const;
    /// Where an item's content starts (below its phase title, if it has one).
    qint64 contentTop(std::uint32_t item) const;

    std::uint32_t groupCount() const { return std::uint32_t(m_groups.size()); }
    const TimelineGroup &group(std::uint32_t index) const { return m_groups[index]; }
    /// The group shown for `event`: a frame's message, or a Message event's frames; -1.
    qint64 groupFor(qint64 event) const;
    /// Groups whose span [first item's top, last item's bottom) meets [top, bottom).
    std::vector<std::uint32_t> groupsIn(qint64 top, qint64 bottom) const;

    const std::vector<TimelinePhaseBand> &phases() const { return m_phases; }
    TimelinePhase phaseOf(std::uint32_t item) const;
    /// The band's vertical extent: from its first item's top to the next band's.
    std::pair<qint64, qint64> phaseExtent(std::size_t band) const;

    /// The y of a moment, interpolated between the items around it; the ruler puts its
    /// ticks there. Times before the first item map to 0, after the last to its top.
    double yForTime(std::int64_t timeNs) const;

private:
    struct Builder
    {
        std::uint32_t openGroup[2] = {TimelineItem::kNoLink, TimelineItem::kNoLink};
        std::uint32_t unclaimedClose[2] = {TimelineItem::kNoLink, TimelineItem::kNoLink};
        Direction firstCloseDirection = Direction::None;
        bool closeReplySeen = false;
    };

    void appendEvent(std::uint32_t index);
    void placeFrame(std::uint32_t index, TimelineItem &item);
    void placeMessage(std::uint32_t index, TimelineItem &item);
    void placeClose(std::uint32_t index, TimelineItem &item);
    void markClose(Direction direction, TimelineItem &item);
    std::uint32_t addGroup(const TimelineGroup &group);
    void enterPhase(TimelinePhase phase, std::uint32_t index, TimelineItem &item);
    int heightOf(std::uint32_t index, const TimelineItem &item) const;
    int rowsOf(std::uint32_t index, const TimelineItem &item) const;
    /// The y of item `index` from the item before it.
    qint64 positionAfter(std::uint32_t index) const;
    void relayout();
    Role localRole() const;

    const Session *m_session = nullptr;
    TimelineMode m_mode = TimelineMode::Compact;
    Metrics m_metrics;
    double m_pixelsPerSecond = kDefaultPixelsPerSecond;
    std::vector<TimelineItem> m_items;
    std::vector<TimelineGroup> m_groups;
    std::vector<std::uint32_t> m_groupsByDirection[2]; // ids, ordered, never overlapping
    std::vector<TimelinePhaseBand> m_phases;
    Builder m_builder;
};

/// Index 0 for client-to-server, 1 for server-to-client.
inline int directionSlot(Direction direction)
{
    return direction == Direction::ServerToClient ? 1 : 0;
}

} // namespace frameline
