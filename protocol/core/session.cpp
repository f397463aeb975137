#include "session.h"

#include "mask.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace frameline {

/// The session's bytes, in chunks that are never reallocated: a handle given out once
/// stays valid, and a view of it stays pointing at the same bytes, for the session's
/// whole life. A handle is the chunk index in the high 32 bits and the offset in the
/// chunk in the low 32 bits.
///
/// Small blobs (frames, handshake heads) share 256 KiB chunks, so a million small
/// frames cost a few hundred allocations. A blob of 32 KiB or more gets a chunk of its
/// own, sized to fit: this keeps the space lost at the end of a shared chunk (a blob
/// that does not fit starts the next one) under 1/8 of it, and the chunk being filled
/// small, so a session holds at most 256 KiB it has not used.
class Session::Arena
{
public:
    static constexpr std::size_t kChunkSize = 256 * 1024;
    static constexpr std::size_t kOwnChunkFrom = 32 * 1024;

    std::uint64_t append(QByteArrayView bytes)
    {
        const std::size_t size = std::size_t(bytes.size());
        if (size == 0)
            return 0;
        if (size >= kOwnChunkFrom) {
            const std::size_t chunk = addChunk(size);
            std::memcpy(m_chunks[chunk].data.get(), bytes.data(), size);
            return handle(chunk, 0);
        }
        if (m_open == kNone || m_openUsed + size > kChunkSize) {
            m_open = addChunk(kChunkSize);
            m_openUsed = 0;
        }
        std::memcpy(m_chunks[m_open].data.get() + m_openUsed, bytes.data(), size);
        const std::uint64_t result = handle(m_open, m_openUsed);
        m_openUsed += size;
        return result;
    }

    QByteArrayView view(std::uint64_t handle, std::uint32_t length) const
    {
        if (length == 0)
            return {};
        const Chunk &chunk = m_chunks[std::size_t(handle >> 32)];
        return QByteArrayView(chunk.data.get() + (handle & 0xFFFFFFFFu), qsizetype(length));
    }

    std::size_t allocatedBytes() const
    {
        std::size_t total = sizeof(Arena) + m_chunks.capacity() * sizeof(Chunk);
        for (const Chunk &chunk : m_chunks)
            total += chunk.size;
        return total;
    }

private:
    struct Chunk
    {
        std::unique_ptr<char[]> data;
        std::size_t size = 0;
    };

    static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

    static std::uint64_t handle(std::size_t chunk, std::size_t offset)
    {
        return (std::uint64_t(chunk) << 32) | std::uint64_t(offset);
    }

    std::size_t addChunk(std::size_t size)
    {
        // Left uninitialised: every byte handed out is written first.
        m_chunks.push_back({std::make_unique_for_overwrite<char[]>(size), size});
        return m_chunks.size() - 1;
    }

    std::vector<Chunk> m_chunks;
    std::size_t m_open = kNone; // the shared chunk small blobs go into
    std::size_t m_openUsed = 0;
};

namespace {

// What one heap block costs besides its contents (Qt's array header and malloc's own).
constexpr std::size_t kBlockOverhead = 32;

std::size_t heapBytes(const QByteArray &bytes);
std::size_t heapBytes(const QString &text);
std::size_t heapBytes(const HttpHeader &header);
std::size_t heapBytes(const HandshakeCheck &check);
std::size_t heapBytes(const ExtensionOffer &offer);
std::size_t heapBytes(const CertificateInfo &certificate);
std::size_t heapBytes(const std::pair<QByteArray, QByteArray> &pair);

template<typename T>
std::size_t heapBytes(const QList<T> &list)
{
    if (list.capacity() == 0)
        return 0;
    std::size_t total = kBlockOverhead + std::size_t(list.capacity()) * sizeof(T);
    for (const T &item : list)
        total += heapBytes(item);
    return total;
}

std::size_t heapBytes(const QByteArray &bytes)
{
    return bytes.capacity() > 0 ? kBlockOverhead + std::size_t(bytes.capacity()) : 0;
}

std::size_t heapBytes(const QString &text)
{
    return text.capacity() > 0 ? kBlockOverhead + std::size_t(text.capacity()) * sizeof(QChar) : 0;
}

std::size_t heapBytes(const HttpHeader &header)
{
    return heapBytes(header.name) + heapBytes(header.value);
}

std::size_t heapBytes(const HandshakeCheck &check)
{
    return heapBytes(check.name) + heapBytes(check.expected) + heapBytes(check.actual)
        + heapBytes(check.rfcSection);
}

std::size_t heapBytes(const ExtensionOffer &offer)
{
    return heapBytes(offer.name) + heapBytes(offer.params);
}

std::size_t heapBytes(const CertificateInfo &certificate)
{
    return heapBytes(certificate.subject) + heapBytes(certificate.issuer)
        + heapBytes(certificate.sha256) + heapBytes(certificate.sha1);
}

std::size_t heapBytes(const std::pair<QByteArray, QByteArray> &pair)
{
    return heapBytes(pair.first) + heapBytes(pair.second);
}

/// Estimates the heap a detail owns beyond its own (fixed) size. Details never change
/// once appended, so this is computed once per detail.
struct DetailHeap
{
    std::size_t operator()(std::monostate) const { return 0; }
    std::size_t operator()(const DnsDetail &d) const
    {
        return heapBytes(d.host) + heapBytes(d.addresses);
    }
    std::size_t operator()(const TcpDetail &d) const
    {
        return heapBytes(d.localAddress) + heapBytes(d.peerAddress);
    }
    std::size_t operator()(const TlsDetail &d) const
    {
        return heapBytes(d.protocol) + heapBytes(d.cipher) + heapBytes(d.alpn) + heapBytes(d.chain)
            + heapBytes(d.verificationErrors);
    }
    std::size_t operator()(const HandshakeDetail &d) const
    {
        const HttpHead &h = d.head;
        return heapBytes(h.method) + heapBytes(h.target) + heapBytes(h.reasonPhrase)
            + heapBytes(h.version) + heapBytes(h.headers) + heapBytes(h.raw) + heapBytes(d.checks)
            + heapBytes(d.failureReason) + heapBytes(d.key) + heapBytes(d.expectedAccept)
            + heapBytes(d.subprotocol) + heapBytes(d.extensions);
    }
    std::size_t operator()(const MessageDetail &) const { return 0; }
    std::size_t operator()(const CloseDetail &d) const { return heapBytes(d.close.reason); }
    std::size_t operator()(const StateDetail &) const { return 0; }
    std::size_t operator()(const TcpStateDetail &d) const { return heapBytes(d.info); }
    std::size_t operator()(const ErrorDetail &d) const { return heapBytes(d.message); }
    std::size_t operator()(const NoteDetail &d) const { return heapBytes(d.text); }
};

// Largest buffer reserved up front when rebuilding a message; a size read from a
// damaged file must not make us allocate gigabytes before looking at the frames.
constexpr std::uint64_t kMaxReserve = 64ull * 1024 * 1024;

} // namespace

Session::Session(SessionLimits limits)
    : m_limits(limits)
    , m_arena(std::make_unique<Arena>())
{ }

Session::~Session() = default;

std::uint32_t Session::appendFrame(std::int64_t timeNs, Direction direction,
    const FrameHeader &header, QByteArrayView wire, std::uint64_t streamOffset)
{
    // Like a capture snap length: bytes past the limit are counted, not kept.
    const QByteArrayView captured
        = wire.first(std::min<qsizetype>(wire.size(), qsizetype(m_limits.captureBytesPerFrame)));

    EventRecord record;
    record.timeNs = timeNs;
    record.streamOffset = streamOffset;
    record.length = header.payloadLength;
    record.bytesHandle = m_arena->append(captured);
    record.bytesLength = std::uint32_t(captured.size());
    record.kind = EventKind::Frame;
    record.direction = direction;
    record.frameByte0 = header.firstByte();
    record.frameByte1 = header.secondByte();
    record.maskKey = header.masked ? header.maskKey : MaskKey {};

    const auto index = std::uint32_t(m_events.size());
    m_events.push_back(record);
    if (m_appendObserver)
        m_appendObserver(index);
    return index;
}

std::uint32_t Session::appendEvent(std::int64_t timeNs, EventKind kind, Direction direction,
    EventDetail detail, QByteArrayView bytes, std::uint64_t streamOffset)
{
    Q_ASSERT_X(kind != EventKind::Frame, "Session::appendEvent", "frames go through appendFrame");
    const QByteArrayView kept = bytes.first(
        std::min<qsizetype>(bytes.size(), qsizetype(std::numeric_limits<std::uint32_t>::max())));

    EventRecord record;
    record.timeNs = timeNs;
    record.streamOffset = streamOffset;
    record.bytesHandle = m_arena->append(kept);
    record.bytesLength = std::uint32_t(kept.size());
    record.kind = kind;
    record.direction = direction;
    if (const auto *message = std::get_if<MessageDetail>(&detail))
        record.length = message->size;
    else
        record.length = std::uint64_t(bytes.size());
    if (!std::holds_alternative<std::monostate>(detail)) {
        record.detailIndex = std::uint32_t(m_details.size());
        m_detailHeapBytes += std::visit(DetailHeap {}, detail);
        m_details.push_back(std::move(detail));
    }

    const auto index = std::uint32_t(m_events.size());
    m_events.push_back(record);
    if (m_appendObserver)
        m_appendObserver(index);
    return index;
}

const EventDetail &Session::detail(std::uint32_t index) const
{
    static const EventDetail none;
    const EventRecord &record = m_events[index];
    return record.detailIndex == EventRecord::kNoDetail ? none : m_details[record.detailIndex];
}

QByteArrayView Session::bytes(std::uint32_t index) const
{
    const EventRecord &record = m_events[index];
    return m_arena->view(record.bytesHandle, record.bytesLength);
}

FrameHeader Session::frameHeader(std::uint32_t index) const
{
    const EventRecord &record = m_events[index];
    FrameHeader header;
    if (record.kind != EventKind::Frame)
        return header;
    header.fin = (record.frameByte0 & 0x80) != 0;
    header.rsv1 = (record.frameByte0 & 0x40) != 0;
    header.rsv2 = (record.frameByte0 & 0x20) != 0;
    header.rsv3 = (record.frameByte0 & 0x10) != 0;
    header.opcode = record.frameByte0 & 0x0F;
    header.masked = (record.frameByte1 & 0x80) != 0;
    const std::uint8_t length7 = record.frameByte1 & 0x7F;
    header.lengthEncoding = length7 == 126
        ? LengthEncoding::Bits16
        : (length7 == 127 ? LengthEncoding::Bits64 : LengthEncoding::Bits7);
    header.payloadLength = record.length;
    // RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode the length".
    header.nonMinimalLength
        = (header.lengthEncoding == LengthEncoding::Bits16 && record.length <= 125)
        || (header.lengthEncoding == LengthEncoding::Bits64 && record.length <= 0xFFFF);
    header.headerSize
        = std::uint8_t(2 + lengthFieldBytes(header.lengthEncoding) + (header.masked ? 4 : 0));
    if (header.masked)
        header.maskKey = record.maskKey;
    return header;
}

QByteArray Session::framePayload(std::uint32_t index) const
{
    if (m_events[index].kind != EventKind::Frame)
        return {};
    const FrameHeader header = frameHeader(index);
    const QByteArrayView wire = bytes(index);
    if (wire.size() <= header.headerSize)
        return {};
    const auto captured = std::min<std::uint64_t>(
        std::uint64_t(wire.size() - header.headerSize), header.payloadLength);
    QByteArray payload = wire.sliced(header.headerSize, qsizetype(captured)).toByteArray();
    if (header.masked)
        applyMask(reinterpret_cast<std::uint8_t *>(payload.data()), std::size_t(payload.size()),
            header.maskKey);
    return payload;
}

bool Session::frameTruncated(std::uint32_t index) const
{
    const EventRecord &record = m_events[index];
    if (record.kind != EventKind::Frame)
        return false;
    return record.bytesLength < frameHeader(index).frameSize();
}

QByteArray Session::messagePayload(std::uint32_t index) const
{
    const EventRecord &record = m_events[index];
    if (record.kind != EventKind::Message || record.detailIndex == EventRecord::kNoDetail)
        return {};
    const auto *message = std::get_if<MessageDetail>(&m_details[record.detailIndex]);
    if (!message || message->size == 0)
        return {};
    if (record.bytesLength > 0)
        return bytes(index).toByteArray();

    // The frames start at firstFrameEvent, the message's first data frame. Walking
    // forward, frames of the other direction and events of other kinds are passed over,
    // and so are control frames: RFC 6455 §5.4 lets them arrive between the fragments
    // of a message. The next frameCount data frames of this direction are the message.
    QByteArray payload;
    payload.reserve(qsizetype(std::min(message->size, kMaxReserve)));
    std::uint32_t taken = 0;
    const std::uint32_t count = eventCount();
    for (std::uint32_t i = message->firstFrameEvent; i < count && taken < message->frameCount;
         ++i) {
        const EventRecord &frame = m_events[i];
        if (frame.kind != EventKind::Frame || frame.direction != record.direction)
            continue;
        if (isControlOpcode(frame.frameByte0 & 0x0F))
            continue;
        ++taken;
        const FrameHeader header = frameHeader(i);
        const QByteArrayView wire = bytes(i);
        if (wire.size() <= header.headerSize)
            continue;
        const auto captured = std::min<std::uint64_t>(
            std::uint64_t(wire.size() - header.headerSize), header.payloadLength);
        const qsizetype at = payload.size();
        payload.append(wire.sliced(header.headerSize, qsizetype(captured)));
        if (header.masked)
            applyMask(reinterpret_cast<std::uint8_t *>(payload.data() + at), std::size_t(captured),
                header.maskKey);
    }
    return payload;
}

std::size_t Session::memoryUsage() const
{
    return sizeof(Session) + m_events.allocatedBytes() + m_details.allocatedBytes()
        + m_detailHeapBytes + m_arena->allocatedBytes();
}

} // namespace frameline
