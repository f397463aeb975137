#pragma once

#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

namespace frameline {

/// The formats a Session is written to. Jsonl is the native journal
/// (sessionjournal.h); the others are for other tools.
enum class ExportFormat : std::uint8_t {
    Jsonl,    ///< Frameline's own session file, lossless, reopened by the app
    Har,      ///< HAR 1.2 with Chrome's _webSocketMessages (browser dev tools)
    Pcapng,   ///< synthetic Ethernet/IP/TCP capture (Wireshark, tshark)
    Mermaid,  ///< a Mermaid sequenceDiagram of the timeline
    Markdown, ///< a readable transcript
};

struct ExportFormatInfo
{
    ExportFormat format;
    const char *name;   ///< on the command line: "jsonl", "har", …
    const char *suffix; ///< the file name's usual ending, without the dot
};

/// Every format, in the order menus list them.
const QList<ExportFormatInfo> &exportFormats();
const ExportFormatInfo &exportFormatInfo(ExportFormat format);
/// A person-readable name with the file pattern: "pcapng capture (*.pcapng)".
QString exportFormatFilter(ExportFormat format);
/// By command-line name, case-insensitive.
std::optional<ExportFormat> exportFormatFromName(QStringView name);
/// By the ending of a file name ("x.har", "x.pcapng", "x.md", "x.mmd", "x.jsonl").
std::optional<ExportFormat> exportFormatForPath(QStringView path);

} // namespace frameline
