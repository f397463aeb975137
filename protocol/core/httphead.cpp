#include "httphead.h"

#include <QtCore/QCoreApplication>

namespace frameline {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("HttpHeadParser", text);
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

// RFC 9110 §5.6.2: token characters.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

QByteArray trimmed(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && (text[begin] == ' ' || text[begin] == '\t'))
        ++begin;
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        --end;
    return text.sliced(begin, end - begin).toByteArray();
}

} // namespace

QByteArray HttpHead::value(QByteArrayView name) const
{
    for (const HttpHeader &header : headers) {
        if (equalsIgnoringCase(header.name, name))
            return header.value;
    }
    return {};
}

QList<QByteArray> HttpHead::values(QByteArrayView name) const
{
    QList<QByteArray> out;
    for (const HttpHeader &header : headers) {
        if (equalsIgnoringCase(header.name, name))
            out.append(header.value);
    }
    return out;
}

bool HttpHead::has(QByteArrayView name) const
{
    for (const HttpHeader &header : headers) {
        if (equalsIgnoringCase(header.name, name))
            return true;
    }
    return false;
}

QList<QByteArray> HttpHead::listValues(QByteArrayView name) const
{
    QList<QByteArray> out;
    for (const QByteArray &value : values(name)) {
        for (const QByteArray &element : value.split(',')) {
            QByteArray item = trimmed(element);
            if (!item.isEmpty())
                out.append(item);
        }
    }
    return out;
}

HttpHeadParser::HttpHeadParser(Kind kind, HttpLimits limits)
    : m_kind(kind)
    , m_limits(limits)
{
}

HttpHeadParser::Status HttpHeadParser::fail(const QString &message, bool limit)
{
    m_status = Status::Error;
    m_error = message;
    m_limitExceeded = limit;
    return m_status;
}

HttpHeadParser::Status HttpHeadParser::feed(QByteArrayView data, qsizetype &consumed)
{
    consumed = 0;
    while (m_status == Status::NeedMore && consumed < data.size()) {
        const qsizetype newline = data.indexOf('\n', consumed);
        const qsizetype end = newline < 0 ? data.size() : newline + 1;
        const QByteArrayView piece = data.sliced(consumed, end - consumed);
        consumed = end;
        m_line.append(piece.data(), piece.size());
        m_head.raw.append(piece.data(), piece.size());
        // Empty lines skipped before the start line count too, or they could go on forever.
        if (m_head.raw.size() + m_skippedBytes > m_limits.maxHeadSize) {
            return fail(tr("The HTTP head is larger than the limit of %1 bytes.")
                            .arg(m_limits.maxHeadSize),
                        true);
        }
        const qsizetype lineNumber = m_head.headers.size() + (m_startLineDone ? 2 : 1);
        if (newline < 0) {
            // A CR ending the chunk may be the start of the CRLF: it is not counted yet, so
            // the verdict does not depend on where the bytes were split.
            const qsizetype length = m_line.endsWith('\r') ? m_line.size() - 1 : m_line.size();
            if (length > m_limits.maxLineLength) {
                return fail(tr("Line %1 of the HTTP head is longer than the limit of %2 bytes.")
                                .arg(lineNumber)
                                .arg(m_limits.maxLineLength),
                            true);
            }
            break;
        }
        // RFC 9112 §2.2: lines end in CRLF; a bare LF is tolerated.
        QByteArrayView line(m_line);
        line.chop(1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.size() > m_limits.maxLineLength) {
            return fail(tr("Line %1 of the HTTP head is longer than the limit of %2 bytes.")
                            .arg(lineNumber)
                            .arg(m_limits.maxLineLength),
                        true);
        }
        if (line.isEmpty()) {
            // RFC 9112 §2.2: empty lines before the start line may be ignored.
            if (m_startLineDone)
                m_status = Status::Complete;
            else {
                m_skippedBytes += m_head.raw.size();
                m_head.raw.clear();
            }
        } else {
            parseLine(line);
        }
        m_line.clear();
    }
    return m_status;
}

HttpHeadParser::Status HttpHeadParser::parseLine(QByteArrayView line)
{
    const int lineNumber = int(m_head.headers.size()) + (m_startLineDone ? 2 : 1);
    for (const char c : line) {
        // RFC 9110 §5.5: no control characters other than HTAB in a field line.
        if ((std::uint8_t(c) < 0x20 && c != '\t') || c == 0x7F)
            return fail(tr("Line %1 of the HTTP head contains a control character.").arg(lineNumber));
    }
    if (!m_startLineDone) {
        m_startLineDone = true;
        const QList<QByteArray> parts = line.toByteArray().split(' ');
        if (m_kind == Kind::Request) {
            // RFC 9112 §3: method SP request-target SP HTTP-version
            if (parts.size() != 3 || !isToken(parts[0]) || parts[1].isEmpty()
                || !parts[2].startsWith("HTTP/")) {
                return fail(tr("The request line '%1' is not 'METHOD target HTTP/1.1'.")
                                .arg(QString::fromLatin1(line)));
            }
            m_head.method = parts[0];
            m_head.target = parts[1];
            m_head.version = parts[2];
            return m_status;
        }
        // RFC 9112 §4: HTTP-version SP status-code SP [reason-phrase]
        bool ok = parts.size() >= 2 && parts[0].startsWith("HTTP/") && parts[1].size() == 3;
        const int status = ok ? parts[1].toInt(&ok) : 0;
        if (!ok || status < 100) {
            return fail(tr("The status line '%1' is not 'HTTP/1.1 CODE reason'.")
                            .arg(QString::fromLatin1(line)));
        }
        m_head.version = parts[0];
        m_head.statusCode = status;
        m_head.reasonPhrase = parts.size() > 2 ? line.sliced(parts[0].size() + 5).toByteArray() : QByteArray();
        return m_status;
    }
    if (line.front() == ' ' || line.front() == '\t') {
        // RFC 9112 §5.2: a user agent MUST replace obs-fold in a response by SP; a server
        // may instead reject it with 400, which is what is done to requests.
        // RFC 9112 §2.2: a whitespace-led line right after the start line is rejected.
        if (m_kind == Kind::Request || m_head.headers.isEmpty())
            return fail(tr("Line %1 of the HTTP head continues the previous one (obsolete line "
                           "folding), which is not allowed.").arg(lineNumber));
        QByteArray &value = m_head.headers.last().value;
        const QByteArray continuation = trimmed(line);
        if (!continuation.isEmpty())
            value += (value.isEmpty() ? QByteArray() : QByteArray(" ")) + continuation;
        return m_status;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return fail(tr("Line %1 of the HTTP head has no 'Name: value' form.").arg(lineNumber));
    const QByteArrayView name = line.first(colon);
    // RFC 9112 §5.1: a field name is a token, with no whitespace before the colon.
    if (!isToken(name))
        return fail(tr("Line %1 of the HTTP head has an invalid field name '%2'.")
                        .arg(lineNumber)
                        .arg(QString::fromLatin1(name)));
    if (m_head.headers.size() >= m_limits.maxHeaderCount)
        return fail(tr("The HTTP head has more than %1 header fields.").arg(m_limits.maxHeaderCount),
                    true);
    m_head.headers.append({name.toByteArray(), trimmed(line.sliced(colon + 1))});
    return m_status;
}

} // namespace frameline
