#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>

#include <cstdint>

namespace frameline {

struct HttpHeader
{
    QByteArray name;  ///< as sent (case preserved)
    QByteArray value; ///< leading and trailing whitespace removed
};

/// An HTTP/1.1 request or response head (start line + header fields), as used by the
/// WebSocket opening handshake (RFC 6455 §4, RFC 9112).
struct HttpHead
{
    // Request line
    QByteArray method;
    QByteArray target;
    // Status line
    int statusCode = 0;
    QByteArray reasonPhrase;
    // Both
    QByteArray version; ///< "HTTP/1.1"
    QList<HttpHeader> headers;
    QByteArray raw; ///< the bytes of the head, up to and including the empty line

    /// Value of the first field with this name (case-insensitive), or a null array.
    QByteArray value(QByteArrayView name) const;
    /// Values of every field with this name, in order.
    QList<QByteArray> values(QByteArrayView name) const;
    bool has(QByteArrayView name) const;
    /// Comma-separated list elements of every field with this name (RFC 9110 §5.6.1),
    /// trimmed, empty elements dropped.
    QList<QByteArray> listValues(QByteArrayView name) const;
};

struct HttpLimits
{
    int maxLineLength = 8 * 1024;
    int maxHeaderCount = 100;
    int maxHeadSize = 64 * 1024;
};

/// Incremental parser of one HTTP head. It reads up to the empty line that ends the
/// head and no further: bytes after it (frames that came in the same segment as a
/// 101 answer) are left to the caller.
class HttpHeadParser
{
public:
    enum class Kind : std::uint8_t { Request, Response };
    enum class Status : std::uint8_t { NeedMore, Complete, Error };

    explicit HttpHeadParser(Kind kind, HttpLimits limits = {});

    /// Reads from `data`; sets `consumed` to how many of its bytes belong to the head.
    /// Call again with more bytes after NeedMore (they continue where the last call
    /// stopped). After Complete or Error, further calls return the same status.
    Status feed(QByteArrayView data, qsizetype &consumed);

    Status status() const { return m_status; }
    const HttpHead &head() const { return m_head; }
    /// After Error: a sentence saying what was wrong and where.
    QString errorString() const { return m_error; }
    /// After Error: true when a limit (line length, header count, head size) was hit.
    bool limitExceeded() const { return m_limitExceeded; }

private:
    Status parseLine(QByteArrayView line);
    Status fail(const QString &message, bool limit = false);

    Kind m_kind;
    HttpLimits m_limits;
    Status m_status = Status::NeedMore;
    HttpHead m_head;
    QByteArray m_line; // partial line carried between feeds
    bool m_startLineDone = false;
    qsizetype m_skippedBytes = 0; // empty lines ignored before the start line
    bool m_limitExceeded = false;
    QString m_error;
};

} // namespace frameline
