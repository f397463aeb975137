#include "sessionjournal.h"
#include "sessionjournalcodec.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>

#include <algorithm>
#include <cctype>
#include <limits>

namespace frameline {
namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("SessionJournal", text, nullptr, n);
}

// The header is small; a first line longer than this is not one (a binary file).
constexpr qsizetype kMaxHeaderLine = 1024 * 1024;
// How often the progress callback hears from a load.
constexpr qint64 kProgressStep = 1024 * 1024;

/// The header of a frame event from its "frame" object and its "length"; problems (a
/// length the second byte cannot carry, a masked frame without a key) go to `f`.
FrameHeader frameHeaderFromJson(
    const QJsonObject &frame, std::uint64_t length, journal::JsonFields &f)
{
    const auto byte0 = std::uint8_t(f.integer(frame, u"byte0", 0, 255));
    const auto byte1 = std::uint8_t(f.integer(frame, u"byte1", 0, 255));
    const QByteArray maskKey = f.hex(frame, u"maskKey");
    FrameHeader header;
    header.fin = byte0 & 0x80;
    header.rsv1 = byte0 & 0x40;
    header.rsv2 = byte0 & 0x20;
    header.rsv3 = byte0 & 0x10;
    header.opcode = byte0 & 0x0F;
    header.masked = byte1 & 0x80;
    const std::uint8_t length7 = byte1 & 0x7F;
    header.lengthEncoding = length7 == 126 ? LengthEncoding::Bits16
        : length7 == 127                   ? LengthEncoding::Bits64
                                           : LengthEncoding::Bits7;
    header.payloadLength = length;
    header.headerSize
        = std::uint8_t(2 + lengthFieldBytes(header.lengthEncoding) + (header.masked ? 4 : 0));
    if (!f.ok())
        return header;
    // RFC 6455 §5.2: the 7-bit field is the length itself up to 125, and a 16-bit field
    // holds at most 65535; a record saying otherwise was not written by a Session.
    if ((header.lengthEncoding == LengthEncoding::Bits7 && length != length7)
        || (header.lengthEncoding == LengthEncoding::Bits16 && length > 0xFFFF)) {
        f.fail(tr("the frame's length %1 does not fit its second byte 0x%2")
                   .arg(length)
                   .arg(uint(byte1), 2, 16, QLatin1Char('0')));
    } else if (header.masked) {
        if (maskKey.size() == 4)
            std::copy_n(maskKey.cbegin(), 4, header.maskKey.begin());
        else
            f.fail(tr("a masked frame needs a 4-byte “maskKey”"));
    }
    return header;
}

/// Reads lines of any length from a device, counting the bytes consumed. QIODevice's
/// own readLine() with a size limit allocates that limit for every line.
class LineReader
{
public:
    enum class Result : std::uint8_t {
        Line, ///< a line ending in '\n' (not included)
        LastLine, ///< text after the last '\n', at the end of the device
        End, ///< nothing more
        TooLong, ///< no '\n' within the limit
        ReadError,
    };

    explicit LineReader(QIODevice &device)
        : m_device(device)
    { }

    Result next(QByteArray &line, qsizetype maxLength)
    {
        qsizetype searchFrom = m_pos;
        for (;;) {
            const qsizetype newline = m_buffer.indexOf('\n', searchFrom);
            if (newline >= 0) {
                take(line, newline - m_pos, 1);
                return Result::Line;
            }
            if (m_buffer.size() - m_pos > maxLength)
                return Result::TooLong;
            if (m_atEnd) {
                if (m_pos == m_buffer.size())
                    return Result::End;
                take(line, m_buffer.size() - m_pos, 0);
                return Result::LastLine;
            }
            m_buffer.remove(0, m_pos);
            m_pos = 0;
            searchFrom = m_buffer.size();
            if (!fill())
                return Result::ReadError;
        }
    }

    qint64 consumed() const { return m_consumed; }

private:
    static constexpr qsizetype kChunk = 1024 * 1024;

    void take(QByteArray &line, qsizetype length, qsizetype terminator)
    {
        line = m_buffer.sliced(m_pos, length);
        if (line.endsWith('\r')) // a file that went through a CRLF conversion
            line.chop(1);
        m_pos += length + terminator;
        m_consumed += length + terminator;
    }

    bool fill()
    {
        const qsizetype old = m_buffer.size();
        // Grow geometrically: a line of a 64 MiB frame arrives in many chunks.
        if (m_buffer.capacity() < old + kChunk)
            m_buffer.reserve(std::max(2 * m_buffer.capacity(), old + kChunk));
        m_buffer.resize(old + kChunk);
        const qint64 n = m_device.read(m_buffer.data() + old, kChunk);
        m_buffer.resize(old + std::max<qint64>(n, 0));
        if (n < 0)
            return false;
        if (n == 0 && (!m_device.isSequential() || !m_device.waitForReadyRead(-1)))
            m_atEnd = true;
        return true;
    }

    QIODevice &m_device;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_consumed = 0;
    bool m_atEnd = false;
};

/// One load: reads lines, rebuilds events, and says where and why it stopped.
class Loader
{
public:
    Loader(QIODevice &device, Session &out, const SessionLoadProgress &progress)
        : m_reader(device)
        , m_device(device)
        , m_out(out)
        , m_progress(progress)
    { }

    SessionLoadResult run();

private:
    /// One line taken apart: its object, and the base64 of its "bytes" (a view into
    /// the line, or into `storage`).
    struct ParsedLine
    {
        QJsonObject object;
        QByteArrayView base64;
        QByteArray storage;
    };

    SessionLoadResult readHeader(const QByteArray &line);
    /// What is wrong with `line` as JSON, or empty when `parsed` holds it.
    QString parse(const QByteArray &line, ParsedLine &parsed) const;
    /// Appends the event; empty when it did, else what is wrong with it.
    QString appendEvent(const ParsedLine &parsed);
    /// The end line's problem, or empty when it counts the events read.
    QString checkEnd(const QJsonObject &end) const;
    SessionLoadResult finishAfterEnd(qint64 total);

    SessionLoadResult stop(SessionLoadResult::Status status, const QString &message) const
    {
        SessionLoadResult result;
        result.status = status;
        result.message = message;
        result.line = m_line;
        result.eventsLoaded = m_out.eventCount();
        result.version = m_version;
        return result;
    }
    SessionLoadResult damaged(const QString &reason) const
    {
        const auto loaded = int(m_out.eventCount());
        return stop(SessionLoadResult::Status::Damaged,
            tr("Stopped at line %1: %2.").arg(m_line).arg(reason) + u' '
                + (loaded == 0 ? tr("No events were loaded.")
                               : tr("The %n event(s) before it were loaded.", loaded)));
    }

    LineReader m_reader;
    QIODevice &m_device;
    Session &m_out;
    const SessionLoadProgress &m_progress;
    qint64 m_line = 0;
    int m_version = 0;
    qsizetype m_maxEventLine = 0;
};

SessionLoadResult Loader::run()
{
    using Status = SessionLoadResult::Status;
    if (m_out.eventCount() != 0)
        return stop(
            Status::Refused, tr("A session file can only be loaded into an empty session."));

    QByteArray line;
    m_line = 1;
    switch (m_reader.next(line, kMaxHeaderLine)) {
    case LineReader::Result::End:
        return stop(Status::Refused, tr("This is not a Frameline session file: it is empty."));
    case LineReader::Result::TooLong:
        return stop(Status::Refused,
            tr("This is not a Frameline session file: its first line "
               "is not a session header."));
    case LineReader::Result::ReadError:
        return stop(
            Status::Refused, tr("Cannot read the session file: %1").arg(m_device.errorString()));
    case LineReader::Result::Line:
    case LineReader::Result::LastLine:
        break;
    }
    if (SessionLoadResult header = readHeader(line); header.status != Status::Complete)
        return header;

    const qint64 total = m_device.isSequential() ? -1 : m_device.size();
    qint64 reported = -kProgressStep;
    for (;;) {
        if (m_progress && m_reader.consumed() - reported >= kProgressStep) {
            reported = m_reader.consumed();
            if (!m_progress(reported, total)) {
                ++m_line;
                const auto loaded = int(m_out.eventCount());
                return stop(Status::Cancelled,
                    tr("Loading was cancelled at line %1.").arg(m_line) + u' '
                        + tr("The %n event(s) before it were loaded.", loaded));
            }
        }
        ++m_line;
        switch (m_reader.next(line, m_maxEventLine)) {
        case LineReader::Result::End:
            return damaged(tr("the file ends there without its end line, so the recording "
                              "was probably interrupted"));
        case LineReader::Result::TooLong:
            return damaged(tr("the line is longer than any event line can be"));
        case LineReader::Result::ReadError:
            return damaged(tr("the file cannot be read (%1)").arg(m_device.errorString()));
        case LineReader::Result::Line:
        case LineReader::Result::LastLine:
            break;
        }
        if (line.trimmed().isEmpty())
            continue;
        ParsedLine parsed;
        if (const QString problem = parse(line, parsed); !problem.isEmpty())
            return damaged(problem);
        if (parsed.object.contains(u"end")) {
            if (const QString problem = checkEnd(parsed.object); !problem.isEmpty())
                return damaged(problem);
            return finishAfterEnd(total);
        }
        if (const QString problem = appendEvent(parsed); !problem.isEmpty())
            return damaged(problem);
    }
}

SessionLoadResult Loader::finishAfterEnd(qint64 total)
{
    // Only blank lines may follow the end line.
    QByteArray line;
    for (;;) {
        const LineReader::Result result = m_reader.next(line, m_maxEventLine);
        if (result == LineReader::Result::End)
            break;
        ++m_line;
        if (result != LineReader::Result::Line && result != LineReader::Result::LastLine)
            return damaged(tr("the file cannot be read after the end line"));
        if (!line.trimmed().isEmpty())
            return damaged(tr("there is more after the end line"));
    }
    if (m_progress)
        m_progress(m_reader.consumed(), total);
    m_line = 0;
    return stop(SessionLoadResult::Status::Complete, {});
}

SessionLoadResult Loader::readHeader(const QByteArray &rawLine)
{
    using Status = SessionLoadResult::Status;
    QByteArray line = rawLine;
    if (line.startsWith("\xEF\xBB\xBF")) // a byte order mark some editors add
        line.remove(0, 3);
    QJsonParseError error;
    const QJsonObject header = QJsonDocument::fromJson(line, &error).object();
    const QByteArray formatPrefix = QByteArrayLiteral("{\"format\":\"") + kSessionFormatName + '"';
    if (error.error != QJsonParseError::NoError && line.startsWith(formatPrefix))
        return damaged(tr("the header is not complete JSON (%1)").arg(error.errorString()));
    if (error.error != QJsonParseError::NoError
        || header.value(u"format").toString() != QLatin1StringView(kSessionFormatName)) {
        return stop(Status::Refused,
            tr("This is not a Frameline session file: its first line "
               "is not a session header."));
    }
    const qint64 version = header.value(u"version").toInteger(0);
    m_version = int(std::clamp<qint64>(version, 0, std::numeric_limits<int>::max()));
    if (m_version > kSessionFormatVersion) {
        return stop(Status::Refused,
            tr("This session file uses format version %1, newer than version %2, the "
               "newest this Frameline reads. Open it with a newer Frameline.")
                .arg(m_version)
                .arg(kSessionFormatVersion));
    }
    if (m_version < 1)
        return damaged(tr("the header has no valid format version"));

    journal::JsonFields f;
    const QJsonObject sessionObject = f.object(header, u"session");
    SessionInfo info;
    info.url = f.string(sessionObject, u"url");
    info.localRole = f.role(sessionObject, u"localRole");
    info.startedAt = f.dateTime(sessionObject, u"startedAt");
    info.origin = f.string(sessionObject, u"origin");
    const QJsonObject limits = f.object(header, u"limits");
    const auto capture = std::uint64_t(f.integer(limits, u"captureBytesPerFrame", 0, 0xFFFFFFFFll));
    if (!f.ok())
        return damaged(tr("the header is damaged: %1").arg(f.problem()));
    m_out.setInfo(info);

    // An event line holds at most one capture in base64 (4/3 of it) and a detail; the
    // limit stops a damaged file from making us read gigabytes into one line.
    m_maxEventLine
        = qsizetype(std::max<std::uint64_t>(capture, m_out.limits().captureBytesPerFrame) * 2)
        + 64 * 1024 * 1024;
    return stop(Status::Complete, {});
}

QString Loader::checkEnd(const QJsonObject &end) const
{
    journal::JsonFields f;
    const std::uint64_t count = f.count(end, u"eventCount");
    if (!f.ok() || !end.contains(u"eventCount"))
        return tr("the end line has no valid event count");
    if (count != m_out.eventCount()) {
        return tr("the end line counts %1 events, but %2 were read")
            .arg(count)
            .arg(m_out.eventCount());
    }
    return {};
}

QString Loader::parse(const QByteArray &line, ParsedLine &parsed) const
{
    // Fast path: take "bytes" off the end of the line and parse the rest. It applies
    // only when the value is plain base64 closing the line, so the key cannot be inside
    // a nested object; anything else goes through the full parse below.
    const qsizetype at = line.lastIndexOf(journal::kBytesMember);
    if (at > 0 && line.endsWith("\"}")) {
        const qsizetype from = at + journal::kBytesMember.size();
        const QByteArrayView value = QByteArrayView(line).sliced(from, line.size() - 2 - from);
        const bool plain = std::all_of(value.begin(), value.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
        });
        if (plain) {
            const QJsonDocument rest = QJsonDocument::fromJson(QByteArray(line.first(at) + '}'));
            if (rest.isObject()) {
                parsed.object = rest.object();
                parsed.base64 = value;
                return {};
            }
        }
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError) {
        return tr("it is not complete JSON (%1 at column %2), probably because the file was "
                  "cut short there")
            .arg(error.errorString())
            .arg(error.offset + 1);
    }
    if (!document.isObject())
        return tr("it is not a JSON object");
    parsed.object = document.object();
    const QJsonValue bytes = parsed.object.value(u"bytes");
    if (!bytes.isUndefined() && !bytes.isString())
        return tr("“bytes” must be a base64 string");
    parsed.storage = bytes.toString().toLatin1();
    parsed.base64 = parsed.storage;
    return {};
}

QString Loader::appendEvent(const ParsedLine &parsed)
{
    const QJsonObject &o = parsed.object;
    const QByteArrayView base64 = parsed.base64;
    journal::JsonFields f;
    for (const char16_t *key : {u"index", u"timeNs", u"kind"}) {
        if (!o.contains(QStringView(key)))
            return tr("the event has no “%1”").arg(QStringView(key));
    }
    const auto index = std::uint32_t(f.integer(o, u"index", 0, 0xFFFFFFFEll));
    const std::int64_t timeNs = f.integer(
        o, u"timeNs", std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max());
    const QString kindName = f.string(o, u"kind");
    const QString directionName = f.string(o, u"direction");
    const std::uint64_t streamOffset = f.count(o, u"streamOffset");
    const std::uint64_t length = f.count(o, u"length");
    if (!f.ok())
        return f.problem();
    if (index != m_out.eventCount()) {
        return tr("it holds event %1 where event %2 was expected")
            .arg(index)
            .arg(m_out.eventCount());
    }
    const std::optional<EventKind> kind = journal::eventKindFromName(kindName);
    if (!kind)
        return tr("the event kind “%1” is unknown").arg(kindName);
    const std::optional<Direction> direction
        = directionName.isEmpty() ? Direction::None : journal::directionFromName(directionName);
    if (!direction)
        return tr("the direction “%1” is unknown").arg(directionName);

    const QByteArray::FromBase64Result decoded
        = QByteArray::fromBase64Encoding(QByteArray::fromRawData(base64.data(), base64.size()),
            QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return tr("“bytes” is not valid base64");
    const QByteArray &bytes = decoded.decoded;
    if (std::uint64_t(bytes.size()) > 0xFFFFFFFFull)
        return tr("“bytes” holds more than an event can");

    if (*kind == EventKind::Frame) {
        if (o.contains(u"detail"))
            return tr("a frame event cannot have a detail");
        if (!o.contains(u"frame"))
            return tr("the frame has no “frame” header bytes");
        const FrameHeader header = frameHeaderFromJson(f.object(o, u"frame"), length, f);
        if (!f.ok())
            return f.problem();
        if (std::uint64_t(bytes.size()) > header.frameSize())
            return tr("the frame has more captured bytes than the frame itself");
        m_out.appendFrame(timeNs, *direction, header, bytes, streamOffset);
        return {};
    }

    EventDetail detail;
    if (o.contains(u"detail")) {
        detail = journal::detailFromJson(f.object(o, u"detail"), f);
        if (!f.ok())
            return tr("in its detail, %1").arg(f.problem());
        if (std::holds_alternative<std::monostate>(detail))
            return tr("its detail is empty");
    }
    // The Session derives a record's length: a message's size, else its byte count.
    const auto *message = std::get_if<MessageDetail>(&detail);
    const std::uint64_t expected = message ? message->size : std::uint64_t(bytes.size());
    if (o.contains(u"length") && length != expected)
        return tr("its length %1 does not match its content (%2)").arg(length).arg(expected);
    m_out.appendEvent(timeNs, *kind, *direction, std::move(detail), bytes, streamOffset);
    return {};
}

} // namespace

SessionLoadResult loadSession(QIODevice &device, Session &out, const SessionLoadProgress &progress)
{
    return Loader(device, out, progress).run();
}

SessionLoadResult loadSession(
    const QString &path, Session &out, const SessionLoadProgress &progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        SessionLoadResult result;
        result.message = tr("Cannot open “%1”: %2").arg(path, file.errorString());
        return result;
    }
    return loadSession(file, out, progress);
}

} // namespace frameline
