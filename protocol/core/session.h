#pragma once

#include "sessionevent.h"

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace frameline {

/// One event of a Session: a small fixed record. Bytes (frame wire bytes, handshake
/// text) live in the Session's arena; richer data in its detail table.
struct EventRecord
{
    std::int64_t timeNs = 0;        ///< monotonic, since the session started
    std::uint64_t streamOffset = 0; ///< frames, handshake: offset in that direction's stream
    std::uint64_t length = 0;       ///< frames: payload length; messages: size; else byte count
    std::uint64_t bytesHandle = 0;  ///< where the captured bytes are in the arena
    std::uint32_t bytesLength = 0;  ///< captured bytes (may be fewer than on the wire)
    std::uint32_t detailIndex = kNoDetail;
    EventKind kind = EventKind::Note;
    Direction direction = Direction::None;
    std::uint8_t frameByte0 = 0; ///< frames: FIN, RSV, opcode
    std::uint8_t frameByte1 = 0; ///< frames: MASK, 7-bit length
    MaskKey maskKey {};

    static constexpr std::uint32_t kNoDetail = 0xFFFFFFFFu;
};

struct SessionLimits
{
    /// Most bytes of one frame (header included) kept in the arena; the rest is
    /// counted, not kept (like a capture snap length).
    std::uint32_t captureBytesPerFrame = 64u * 1024 * 1024;
};

/// What a session is about.
struct SessionInfo
{
    QString url;
    Role localRole = Role::Client; ///< the side Frameline played
    QDateTime startedAt;           ///< wall clock at timeNs = 0 (UTC)
    QString origin;                ///< "live", a file name, …
};

/// The append-only log of everything that happened on one connection: the single
/// source of truth every view and exporter reads. A session loaded from a file is
/// indistinguishable from a live one. Not thread-safe; owned by one thread.
class Session
{
public:
    explicit Session(SessionLimits limits = {});
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    void setInfo(const SessionInfo &info) { m_info = info; }
    const SessionInfo &info() const { return m_info; }
    const SessionLimits &limits() const { return m_limits; }

    /// Appends a frame; `wire` is the whole frame as on the wire (header + payload,
    /// masked if masked). Returns the event's index.
    std::uint32_t appendFrame(std::int64_t timeNs, Direction direction, const FrameHeader &header,
                              QByteArrayView wire, std::uint64_t streamOffset);
    /// Appends any other event, with optional raw bytes (handshake text).
    std::uint32_t appendEvent(std::int64_t timeNs, EventKind kind, Direction direction,
                              EventDetail detail, QByteArrayView bytes = {},
                              std::uint64_t streamOffset = 0);

    std::uint32_t eventCount() const { return std::uint32_t(m_events.size()); }
    const EventRecord &event(std::uint32_t index) const { return m_events[index]; }
    /// The detail of an event (std::monostate when it has none).
    const EventDetail &detail(std::uint32_t index) const;

    /// The captured bytes of an event, as on the wire.
    QByteArrayView bytes(std::uint32_t index) const;
    /// Frames: the header rebuilt from the record.
    FrameHeader frameHeader(std::uint32_t index) const;
    /// Frames: the captured payload, unmasked.
    QByteArray framePayload(std::uint32_t index) const;
    /// Frames: true when the capture limit cut the frame's bytes short.
    bool frameTruncated(std::uint32_t index) const;
    /// Messages: the payload rebuilt from its frames (unmasked, concatenated; control
    /// frames interleaved in a fragmented message skipped, RFC 6455 §5.4). A message
    /// event that carries bytes of its own (a compressed message, RFC 7692, whose frames
    /// hold deflated data) returns those instead.
    QByteArray messagePayload(std::uint32_t index) const;

    /// Memory used by records, details and the arena, in bytes (approximate).
    std::size_t memoryUsage() const;

    /// Called after every append with the new event's index, for whoever follows the
    /// session live (a view, a printer). One observer; empty to stop.
    void setAppendObserver(std::function<void(std::uint32_t index)> observer)
    {
        m_appendObserver = std::move(observer);
    }

private:
    class Arena;

    /// Append-only storage in fixed-size blocks: elements never move, and memory grows
    /// one block at a time (no doubling slack, no copying as the log grows).
    template<typename T, unsigned BlockShift>
    class BlockList
    {
    public:
        static constexpr std::size_t kBlockSize = std::size_t(1) << BlockShift;

        std::size_t size() const { return m_size; }
        const T &operator[](std::size_t i) const
        {
            return m_blocks[i >> BlockShift][i & (kBlockSize - 1)];
        }
        void push_back(T value)
        {
            if ((m_size & (kBlockSize - 1)) == 0)
                m_blocks.push_back(std::make_unique<T[]>(kBlockSize));
            m_blocks.back()[m_size & (kBlockSize - 1)] = std::move(value);
            ++m_size;
        }
        std::size_t allocatedBytes() const
        {
            return m_blocks.size() * kBlockSize * sizeof(T)
                + m_blocks.capacity() * sizeof(std::unique_ptr<T[]>);
        }

    private:
        std::vector<std::unique_ptr<T[]>> m_blocks;
        std::size_t m_size = 0;
    };

    SessionLimits m_limits;
    SessionInfo m_info;
    BlockList<EventRecord, 12> m_events; // 4096 records (192 KiB) per block
    BlockList<EventDetail, 8> m_details; // 256 details per block
    std::size_t m_detailHeapBytes = 0; // estimated heap owned by the details' strings
    std::unique_ptr<Arena> m_arena;
    std::function<void(std::uint32_t)> m_appendObserver;
};

} // namespace frameline
