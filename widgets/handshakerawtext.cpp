#include "handshakerawtext.h"

namespace frameline {
namespace {

void append(QList<RawHeadText::Run> &runs, RawHeadText::RunKind kind, const QString &text)
{
    if (!runs.isEmpty() && runs.back().kind == kind && kind != RawHeadText::RunKind::LineEnd) {
        runs.back().text += text;
        return;
    }
    runs.append({kind, text});
}

} // namespace

QList<RawHeadText::Run> RawHeadText::runs(QByteArrayView raw)
{
    QList<Run> out;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const auto byte = std::uint8_t(raw[i]);
        if (byte == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') {
            append(out, RunKind::LineEnd, QStringLiteral("\\r\\n\n"));
            ++i;
        } else if (byte == '\n') {
            // A bare LF: some peers end lines so (RFC 9112 §2.2 lets a recipient accept it).
            append(out, RunKind::LineEnd, QStringLiteral("\\n\n"));
        } else if (byte == '\\') {
            append(out, RunKind::Text, QStringLiteral("\\\\"));
        } else if (byte >= 0x20 && byte < 0x7F) {
            append(out, RunKind::Text, QString(QChar(char16_t(byte))));
        } else if (byte == '\t') {
            append(out, RunKind::Escape, QStringLiteral("\\t"));
        } else if (byte == '\r') {
            append(out, RunKind::Escape, QStringLiteral("\\r"));
        } else {
            const QString digits = QString::number(byte, 16).toUpper().rightJustified(2, u'0');
            append(out, RunKind::Escape, QStringLiteral("\\x") + digits);
        }
    }
    return out;
}

QString RawHeadText::plain(QByteArrayView raw)
{
    QString text;
    for (const Run &run : runs(raw))
        text += run.text;
    return text;
}

} // namespace frameline
