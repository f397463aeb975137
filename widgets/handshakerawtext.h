#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>

#include <cstdint>

namespace frameline {

/// An HTTP head as text that shows every byte, in C escapes that every monospace font
/// can draw: printable ASCII as itself (a backslash doubled, so the text stays
/// unambiguous), each CRLF as "\r\n" before the line break (so a bare LF, a lone CR or a
/// missing final empty line can be seen), TAB as "\t" and any other byte that is not
/// printable ASCII as "\xNN". The runs say which is which, so a view can draw the line
/// ends quieter than the text and the escapes louder.
struct RawHeadText
{
    enum class RunKind : std::uint8_t {
        Text, ///< the bytes themselves
        LineEnd, ///< "\r\n" (or "\n" for a bare LF), followed by a line break
        Escape, ///< a byte that is not printable ASCII
    };
    struct Run
    {
        RunKind kind = RunKind::Text;
        QString text;
    };

    static QList<Run> runs(QByteArrayView raw);
    /// The runs joined: what a text pane built from them holds.
    static QString plain(QByteArrayView raw);
};

} // namespace frameline
