#pragma once

#include <QtCore/QString>

namespace frameline {

/// A tooltip that always shows `text` literally. QToolTip guesses whether a string is
/// markup, and payload text comes from the peer, so it is escaped and marked as rich
/// text. (Qt::convertFromPlainText would do the escaping but turns every space into a
/// non-breaking one, so a long tooltip could never wrap.)
inline QString plainToolTip(const QString &text)
{
    if (text.isEmpty())
        return {};
    QString escaped = text.toHtmlEscaped();
    escaped.replace(u'\n', QStringLiteral("<br>"));
    return QStringLiteral("<qt>") + escaped + QStringLiteral("</qt>");
}

} // namespace frameline
