#pragma once

// Helpers shared by the tests: byte vectors written as hex, the way RFC 6455 prints them.

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace frameline::test {

/// "81 05 48 65 6c 6c 6f" → bytes. Spaces, newlines and ':' are ignored.
inline QByteArray hex(const char *text)
{
    QByteArray digits;
    for (const char *p = text; *p; ++p) {
        if (*p != ' ' && *p != '\n' && *p != ':' && *p != '\t')
            digits.append(*p);
    }
    return QByteArray::fromHex(digits);
}

/// Bytes → "81 05 48 …" for readable failure messages.
inline QByteArray toHex(QByteArrayView bytes)
{
    return bytes.toByteArray().toHex(' ');
}

} // namespace frameline::test
