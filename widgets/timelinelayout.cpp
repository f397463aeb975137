#include "timelinelayout.h"

#include <algorithm>
#include <cmath>

namespace frameline {
namespace {

bool isTeardownState(TcpState state)
{
    switch (state) {
    case TcpState::FinWait1:
    case TcpState::FinWait2:
    case TcpState::CloseWait:
    case TcpState::Closing:
    case TcpState::LastAck:
    case TcpState::TimeWait:
    case TcpState::Closed:
        return true;
    case TcpState::Listen:
    case TcpState::SynSent:
    case TcpState::SynReceived:
    case TcpState::Established:
        break;
    }
    return false;
}

TimelinePlacement arrowFor(Direction direction)
{
    return direction == Direction::ServerToClient ? TimelinePlacement::ServerToClient
                                                  : TimelinePlacement::ClientToServer;
}

TimelinePlacement laneOf(Role side)
{
    return side == Role::Client ? TimelinePlacement::ClientLane : TimelinePlacement::ServerLane;
}

/// A head the exchange failed on: a refusal (no 101) or a verdict against it.
bool handshakeFailed(const EventRecord &record, const EventDetail &detail)
{
    const auto *handshake = std::get_if<HandshakeDetail>(&detail);
    if (!handshake)
        return false;
    if (!handshake->failureReason.isEmpty())
        return true;
    if (!handshake->checks.isEmpty() && !handshake->accepted)
        return true;
    return record.kind == EventKind::HandshakeResponse && handshake->head.statusCode != 0
        && handshake->head.statusCode != 101;
}

/// The least phase an event proves the connection has reached.
TimelinePhase phaseImpliedBy(const EventRecord &record, const EventDetail &detail)
{
    switch (record.kind) {
    case EventKind::DnsResolved:
    case EventKind::TcpConnected:
    case EventKind::TlsEstablished:
        return TimelinePhase::Setup;
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        return TimelinePhase::OpeningHandshake;
    case EventKind::Frame:
        return (record.frameByte0 & 0x0F) == std::uint8_t(Opcode::Close)
            ? TimelinePhase::ClosingHandshake
            : TimelinePhase::DataTransfer;
    case EventKind::Message:
        return TimelinePhase::DataTransfer;
    case EventKind::Close:
        return TimelinePhase::ClosingHandshake;
    case EventKind::StateChanged:
        if (const auto *state = std::get_if<StateDetail>(&detail)) {
            switch (state->to) {
            case WebSocketState::Connecting:
                return TimelinePhase::Setup;
            case WebSocketState::Open:
                return TimelinePhase::DataTransfer;
            case WebSocketState::Closing:
                return TimelinePhase::ClosingHandshake;
            case WebSocketState::Closed:
                return TimelinePhase::TcpTeardown;
            }
        }
        break;
    case EventKind::TcpState:
        if (const auto *tcp = std::get_if<TcpStateDetail>(&detail); tcp && isTeardownState(tcp->state))
            return TimelinePhase::TcpTeardown;
        break;
    case EventKind::Error:
    case EventKind::Note:
        break;
    }
    return TimelinePhase::Setup;
}

} // namespace

void TimelineLayout::reset(const Session *session, std::uint32_t eventCount)
{
    m_session = session;
    m_items.clear();
    m_groups.clear();
    m_groupsByDirection[0].clear();
    m_groupsByDirection[1].clear();
    m_phases.clear();
    m_builder = Builder();
    if (m_session)
        append(eventCount);
}

void TimelineLayout::append(std::uint32_t eventCount)
{
    if (!m_session)
        return;
    eventCount = std::min(eventCount, m_session->eventCount());
    if (eventCount <= itemCount())
        return;
    m_items.reserve(eventCount);
    for (std::uint32_t i = itemCount(); i < eventCount; ++i)
        appendEvent(i);
}

void TimelineLayout::setMode(TimelineMode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    relayout();
}

void TimelineLayout::setMetrics(const Metrics &metrics)
{
    if (metrics.rowHeight == m_metrics.rowHeight && metrics.titleHeight == m_metrics.titleHeight)
        return;
    m_metrics = metrics;
    m_metrics.rowHeight = std::max(metrics.rowHeight, 1);
    m_metrics.titleHeight = std::max(metrics.titleHeight, 0);
    for (std::uint32_t i = 0; i < itemCount(); ++i)
        m_items[i].height = std::uint16_t(heightOf(i, m_items[i]));
    relayout();
}

void TimelineLayout::setPixelsPerSecond(double pixelsPerSecond)
{
    if (!(pixelsPerSecond > 0) || pixelsPerSecond == m_pixelsPerSecond)
        return;
    m_pixelsPerSecond = pixelsPerSecond;
    if (m_mode == TimelineMode::TimeProportional)
        relayout();
}

Role TimelineLayout::localRole() const
{
    return m_session ? m_session->info().localRole : Role::Client;
}

void TimelineLayout::appendEvent(std::uint32_t index)
{
    const EventRecord &record = m_session->event(index);
    const EventDetail &detail = m_session->detail(index);
    TimelineItem item;

    switch (record.kind) {
    case EventKind::DnsResolved:
        // Names are resolved by whoever connects: the client.
        item.placement = TimelinePlacement::ClientLane;
        break;
    case EventKind::TcpConnected:
        // Drawn as SYN, SYN-ACK, ACK: the client always opens the TCP connection.
        item.placement = TimelinePlacement::ClientToServer;
        break;
    case EventKind::TlsEstablished:
    case EventKind::Note:
        item.placement = TimelinePlacement::BothLanes;
        break;
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        item.placement = record.direction == Direction::None
            ? arrowFor(record.kind == EventKind::HandshakeRequest ? Direction::ClientToServer
                                                                 : Direction::ServerToClient)
            : arrowFor(record.direction);
        if (handshakeFailed(record, detail))
            item.flags |= TimelineItem::Failure;
        break;
    case EventKind::Frame:
        placeFrame(index, item);
        break;
    case EventKind::Message:
        placeMessage(index, item);
        break;
    case EventKind::Close:
        placeClose(index, item);
        break;
    case EventKind::StateChanged: {
        // The recorder reports the state of the side Frameline plays. Opening and
        // closing of the whole connection read as notes across both lanes, as
        // textbooks draw them.
        const auto *state = std::get_if<StateDetail>(&detail);
        const bool spans = state
            && (state->to == WebSocketState::Open || state->to == WebSocketState::Closed);
        item.placement = spans ? TimelinePlacement::BothLanes : laneOf(localRole());
        break;
    }
    case EventKind::TcpState:
        if (const auto *tcp = std::get_if<TcpStateDetail>(&detail)) {
            item.placement = laneOf(tcp->side);
            if (tcp->observation != Observation::Observed)
                item.flags |= TimelineItem::Uncertain;
        } else {
            item.placement = laneOf(localRole());
        }
        break;
    case EventKind::Error:
        // An error about what the peer sent sits on its arrow; one about the
        // connection as a whole (a socket error) across both lanes.
        item.placement = record.direction == Direction::None ? TimelinePlacement::BothLanes
                                                             : arrowFor(record.direction);
        item.flags |= TimelineItem::Failure;
        break;
    }

    if (item.placement != TimelinePlacement::Hidden) {
        const TimelinePhase implied = phaseImpliedBy(record, detail);
        if (m_phases.empty())
            enterPhase(implied, index, item);
        else if (implied > m_phases.back().phase)
            enterPhase(implied, index, item);
    }
    item.height = std::uint16_t(heightOf(index, item));
    m_items.push_back(item);
    m_items.back().y = positionAfter(index);
}

void TimelineLayout::placeFrame(std::uint32_t index, TimelineItem &item)
{
    const EventRecord &record = m_session->event(index);
    const Direction direction
        = record.direction == Direction::None ? Direction::ClientToServer : record.direction;
    const int slot = directionSlot(direction);
    item.placement = arrowFor(direction);
    const std::uint8_t opcode = record.frameByte0 & 0x0F;
    const bool fin = (record.frameByte0 & 0x80) != 0;

    if (opcode == std::uint8_t(Opcode::Close)) {
        m_builder.unclaimedClose[slot] = index;
        markClose(direction, item);
        return;
    }
    if (isControlOpcode(opcode))
        return; // §5.4: control frames may sit between fragments; never part of them

    std::uint32_t &open = m_builder.openGroup[slot];
    if (opcode != std::uint8_t(Opcode::Continuation)) {
        // A new data frame ends any message still open in this direction (which broke
        // §5.4; the error event says so) and starts a group if more frames follow.
        if (open != TimelineItem::kNoLink)
            open = TimelineItem::kNoLink;
        if (fin)
            return;
        TimelineGroup group;
        group.firstItem = group.lastItem = index;
        group.frameCount = 1;
        group.size = record.length;
        group.direction = direction;
        open = addGroup(group);
        item.flags |= TimelineItem::Grouped;
        item.link = open;
        return;
    }
    if (open == TimelineItem::kNoLink)
        return; // a continuation without a start: not part of any message
    TimelineGroup &group = m_groups[open];
    group.lastItem = index;
    ++group.frameCount;
    group.size += record.length;
    item.flags |= TimelineItem::Grouped;
    item.link = open;
    if (fin) {
        group.complete = true;
        open = TimelineItem::kNoLink;
    }
}

void TimelineLayout::placeMessage(std::uint32_t index, TimelineItem &item)
{
    const auto *message = std::get_if<MessageDetail>(&m_session->detail(index));
    const EventRecord &record = m_session->event(index);
    const Direction direction
        = record.direction == Direction::None ? Direction::ClientToServer : record.direction;
    if (!message || message->frameCount == 0 || message->firstFrameEvent >= index
        || m_session->event(message->firstFrameEvent).kind != EventKind::Frame) {
        // No frames to fold into (they were not recorded): the message is its own arrow.
        item.placement = arrowFor(direction);
        return;
    }
    const std::uint32_t first = message->firstFrameEvent;
    item.placement = TimelinePlacement::Hidden;
    item.link = first;
    if (message->frameCount < 2)
        return;
    if (m_items[first].has(TimelineItem::Grouped)) {
        TimelineGroup &group = m_groups[m_items[first].link];
        group.messageEvent = index;
        group.complete = true;
        return;
    }
    // The frames did not form a group by their FIN bits (a loaded session may have
    // them otherwise): take the message's word for which frames are its own.
    TimelineGroup group;
    group.firstItem = first;
    group.direction = direction;
    group.messageEvent = index;
    group.complete = true;
    std::vector<std::uint32_t> members;
    for (std::uint32_t i = first; i < index && members.size() < message->frameCount; ++i) {
        const EventRecord &frame = m_session->event(i);
        if (frame.kind != EventKind::Frame || frame.direction != record.direction
            || isControlOpcode(frame.frameByte0 & 0x0F) || m_items[i].has(TimelineItem::Grouped))
            continue;
        members.push_back(i);
        group.size += frame.length;
    }
    if (members.size() < 2)
        return;
    group.lastItem = members.back();
    group.frameCount = std::uint32_t(members.size());
    const std::uint32_t id = addGroup(group);
    for (std::uint32_t member : members) {
        m_items[member].flags |= TimelineItem::Grouped;
        m_items[member].link = id;
    }
}

void TimelineLayout::placeClose(std::uint32_t index, TimelineItem &item)
{
    const EventRecord &record = m_session->event(index);
    const Direction direction
        = record.direction == Direction::None ? Direction::ClientToServer : record.direction;
    std::uint32_t &frame = m_builder.unclaimedClose[directionSlot(direction)];
    if (frame != TimelineItem::kNoLink) {
        // The Close event says what its frame already shows: fold it in.
        item.placement = TimelinePlacement::Hidden;
        item.link = frame;
        frame = TimelineItem::kNoLink;
        return;
    }
    item.placement = arrowFor(direction);
    markClose(direction, item);
}

void TimelineLayout::markClose(Direction direction, TimelineItem &item)
{
    // RFC 6455 §7.1.2: whoever sends the first Close starts the closing handshake; the
    // other side's Close answers it (§5.5.1).
    if (m_builder.firstCloseDirection == Direction::None) {
        m_builder.firstCloseDirection = direction;
        item.flags |= TimelineItem::CloseInitiator;
    } else if (direction != m_builder.firstCloseDirection && !m_builder.closeReplySeen) {
        m_builder.closeReplySeen = true;
        item.flags |= TimelineItem::CloseReply;
    }
}

std::uint32_t TimelineLayout::addGroup(const TimelineGroup &group)
{
    const auto id = std::uint32_t(m_groups.size());
    m_groups.push_back(group);
    std::vector<std::uint32_t> &list = m_groupsByDirection[directionSlot(group.direction)];
    const auto at = std::upper_bound(list.begin(), list.end(), group.firstItem,
        [this](std::uint32_t first, std::uint32_t g) { return first < m_groups[g].firstItem; });
    list.insert(at, id);
    return id;
}

void TimelineLayout::enterPhase(TimelinePhase phase, std::uint32_t index, TimelineItem &item)
{
    m_phases.push_back({phase, index});
    item.flags |= TimelineItem::PhaseStart;
}

int TimelineLayout::rowsOf(std::uint32_t index, const TimelineItem &item) const
{
    const EventRecord &record = m_session->event(index);
    switch (record.kind) {
    case EventKind::TcpConnected:
        return 3; // SYN, SYN-ACK, ACK
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        return 2; // start line, then the headers that matter
    case EventKind::TlsEstablished: {
        const auto *tls = std::get_if<TlsDetail>(&m_session->detail(index));
        return tls && !tls->verificationErrors.isEmpty() ? 2 : 1;
    }
    case EventKind::Error:
        return item.placement == TimelinePlacement::BothLanes ? 1 : 2;
    default:
        return 1;
    }
}

int TimelineLayout::heightOf(std::uint32_t index, const TimelineItem &item) const
{
    if (item.placement == TimelinePlacement::Hidden)
        return 0;
    int height = rowsOf(index, item) * m_metrics.rowHeight;
    if (item.has(TimelineItem::PhaseStart))
        height += m_metrics.titleHeight;
    return std::min(height, 0xFFFF);
}

qint64 TimelineLayout::positionAfter(std::uint32_t index) const
{
    if (index == 0)
        return 0;
    const TimelineItem &previous = m_items[index - 1];
    qint64 gap = previous.height;
    if (m_mode == TimelineMode::TimeProportional) {
        const std::int64_t dt
            = m_session->event(index).timeNs - m_session->event(index - 1).timeNs;
        if (dt > 0) {
            const double pixels = double(dt) * 1e-9 * m_pixelsPerSecond;
            // Keep positions far inside what a scroll bar can reach.
            gap = std::max(gap, qint64(std::min(pixels, 1e9)));
        }
    }
    return previous.y + gap;
}

void TimelineLayout::relayout()
{
    for (std::uint32_t i = 0; i < itemCount(); ++i)
        m_items[i].y = positionAfter(i);
}

std::pair<std::uint32_t, std::uint32_t> TimelineLayout::itemsIn(qint64 top, qint64 bottom) const
{
    const auto first = std::partition_point(m_items.begin(), m_items.end(),
        [top](const TimelineItem &item) { return item.bottom() <= top; });
    const auto end = std::partition_point(
        first, m_items.end(), [bottom](const TimelineItem &item) { return item.y < bottom; });
    auto begin = first;
    // Hidden items at the range's start meet nothing; leave them out.
    while (begin != end && begin->height == 0)
        ++begin;
    auto last = end;
    while (last != begin && (last - 1)->height == 0)
        --last;
    return {std::uint32_t(begin - m_items.begin()), std::uint32_t(last - m_items.begin())};
}

qint64 TimelineLayout::lastItemStartingBefore(qint64 y) const
{
    const auto after = std::partition_point(
        m_items.begin(), m_items.end(), [y](const TimelineItem &item) { return item.y <= y; });
    return qint64(after - m_items.begin()) - 1;
}

qint64 TimelineLayout::itemAt(qint64 y) const
{
    const auto [first, end] = itemsIn(y, y + 1);
    for (std::uint32_t i = first; i < end; ++i) {
        if (m_items[i].height > 0)
            return i;
    }
    return -1;
}

qint64 TimelineLayout::shownItemFor(qint64 event) const
{
    if (event < 0 || event >= qint64(itemCount()))
        return -1;
    // A hidden item points at the one that shows it, which is always visible.
    const TimelineItem &item = m_items[std::size_t(event)];
    if (item.placement != TimelinePlacement::Hidden)
        return event;
    return item.link < itemCount() ? qint64(item.link) : -1;
}

qint64 TimelineLayout::previousShownItem(qint64 item) const
{
    for (qint64 i = std::min(item, qint64(itemCount())) - 1; i >= 0; --i) {
        if (m_items[std::size_t(i)].height > 0)
            return i;
    }
    return -1;
}

qint64 TimelineLayout::nextShownItem(qint64 item) const
{
    for (qint64 i = std::max<qint64>(item + 1, 0); i < qint64(itemCount()); ++i) {
        if (m_items[std::size_t(i)].height > 0)
            return i;
    }
    return -1;
}

qint64 TimelineLayout::contentTop(std::uint32_t item) const
{
    const TimelineItem &it = m_items[item];
    return it.y + (it.has(TimelineItem::PhaseStart) ? m_metrics.titleHeight : 0);
}

qint64 TimelineLayout::groupFor(qint64 event) const
{
    if (event < 0 || event >= qint64(itemCount()))
        return -1;
    const TimelineItem &item = m_items[std::size_t(event)];
    if (item.has(TimelineItem::Grouped))
        return item.link;
    if (m_session->event(std::uint32_t(event)).kind == EventKind::Message
        && item.placement == TimelinePlacement::Hidden && item.link < itemCount()
        && m_items[item.link].has(TimelineItem::Grouped)) {
        const qint64 group = m_items[item.link].link;
        return m_groups[std::size_t(group)].messageEvent == std::uint32_t(event) ? group : -1;
    }
    return -1;
}

std::vector<std::uint32_t> TimelineLayout::groupsIn(qint64 top, qint64 bottom) const
{
    std::vector<std::uint32_t> found;
    for (const std::vector<std::uint32_t> &list : m_groupsByDirection) {
        // Groups of one direction follow each other without overlapping, so their
        // bottoms increase with their tops: two binary searches bound the range.
        const auto first = std::partition_point(list.begin(), list.end(),
            [this, top](std::uint32_t g) { return m_items[m_groups[g].lastItem].bottom() <= top; });
        for (auto it = first; it != list.end() && m_items[m_groups[*it].firstItem].y < bottom; ++it)
            found.push_back(*it);
    }
    std::sort(found.begin(), found.end());
    return found;
}

TimelinePhase TimelineLayout::phaseOf(std::uint32_t item) const
{
    const auto after = std::upper_bound(m_phases.begin(), m_phases.end(), item,
        [](std::uint32_t i, const TimelinePhaseBand &band) { return i < band.firstItem; });
    return after == m_phases.begin() ? TimelinePhase::Setup : (after - 1)->phase;
}

std::pair<qint64, qint64> TimelineLayout::phaseExtent(std::size_t band) const
{
    const qint64 top = m_items[m_phases[band].firstItem].y;
    const qint64 bottom
        = band + 1 < m_phases.size() ? m_items[m_phases[band + 1].firstItem].y : totalHeight();
    return {top, bottom};
}

double TimelineLayout::yForTime(std::int64_t timeNs) const
{
    if (m_items.empty())
        return 0;
    // Session times never decrease, so the items are ordered by time as well.
    std::uint32_t lo = 0;
    std::uint32_t hi = itemCount();
    while (lo < hi) {
        const std::uint32_t mid = lo + (hi - lo) / 2;
        if (m_session->event(mid).timeNs <= timeNs)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    const std::uint32_t before = lo - 1;
    const double y0 = double(m_items[before].y);
    if (lo >= itemCount())
        return y0;
    const std::int64_t t0 = m_session->event(before).timeNs;
    const std::int64_t t1 = m_session->event(lo).timeNs;
    const double y1 = double(m_items[lo].y);
    return t1 > t0 ? y0 + (y1 - y0) * double(timeNs - t0) / double(t1 - t0) : y0;
}

} // namespace frameline
