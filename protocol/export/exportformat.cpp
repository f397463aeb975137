#include "exportformat.h"

#include <QtCore/QCoreApplication>

namespace frameline {

const QList<ExportFormatInfo> &exportFormats()
{
    static const QList<ExportFormatInfo> formats {
        {ExportFormat::Jsonl, "jsonl", "jsonl"},
        {ExportFormat::Har, "har", "har"},
        {ExportFormat::Pcapng, "pcapng", "pcapng"},
        {ExportFormat::Mermaid, "mermaid", "mmd"},
        {ExportFormat::Markdown, "markdown", "md"},
    };
    return formats;
}

const ExportFormatInfo &exportFormatInfo(ExportFormat format)
{
    for (const ExportFormatInfo &info : exportFormats()) {
        if (info.format == format)
            return info;
    }
    Q_UNREACHABLE();
}

QString exportFormatFilter(ExportFormat format)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("ExportFormat", text); };
    QString title;
    switch (format) {
    case ExportFormat::Jsonl:
        title = tr("Frameline session");
        break;
    case ExportFormat::Har:
        title = tr("HAR archive (browser dev tools)");
        break;
    case ExportFormat::Pcapng:
        title = tr("pcapng capture (Wireshark)");
        break;
    case ExportFormat::Mermaid:
        title = tr("Mermaid sequence diagram");
        break;
    case ExportFormat::Markdown:
        title = tr("Markdown transcript");
        break;
    }
    return QStringLiteral("%1 (*.%2)").arg(title, QLatin1String(exportFormatInfo(format).suffix));
}

std::optional<ExportFormat> exportFormatFromName(QStringView name)
{
    for (const ExportFormatInfo &info : exportFormats()) {
        if (name.compare(QLatin1String(info.name), Qt::CaseInsensitive) == 0)
            return info.format;
    }
    if (name.compare(QLatin1String("md"), Qt::CaseInsensitive) == 0)
        return ExportFormat::Markdown;
    return std::nullopt;
}

std::optional<ExportFormat> exportFormatForPath(QStringView path)
{
    const qsizetype dot = path.lastIndexOf(u'.');
    if (dot < 0)
        return std::nullopt;
    const QStringView suffix = path.mid(dot + 1);
    for (const ExportFormatInfo &info : exportFormats()) {
        if (suffix.compare(QLatin1String(info.suffix), Qt::CaseInsensitive) == 0)
            return info.format;
    }
    for (const char *other : {"json", "frameline"}) {
        if (suffix.compare(QLatin1String(other), Qt::CaseInsensitive) == 0)
            return ExportFormat::Jsonl;
    }
    if (suffix.compare(QLatin1String("markdown"), Qt::CaseInsensitive) == 0)
        return ExportFormat::Markdown;
    if (suffix.compare(QLatin1String("mermaid"), Qt::CaseInsensitive) == 0)
        return ExportFormat::Mermaid;
    return std::nullopt;
}

} // namespace frameline
