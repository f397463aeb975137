#pragma once

#include <QtCore/QFile>
#include <QtCore/QString>

#include <cstdint>

namespace frameline {
class Session;
}

namespace frameline::cli {

/// Prints the events of a Session as they are appended: one readable line each, or
/// one JSON object per line with --json. Attach it before the session starts.
class EventPrinter
{
public:
    enum class Format : std::uint8_t { Text, Json };

    EventPrinter(Format format, QFile &out);

    /// Prints every event appended to `session` from now on. `label` (e.g. a
    /// connection number) goes in front of each line, or in a "connection" field.
    /// `framesToo` false leaves out frame and message events (a busy server).
    void attach(Session &session, const QString &label = {}, bool framesToo = true);
    /// Prints one line of the tool's own (a URL, a summary) in the same format.
    void printInfo(const QString &key, const QString &value);

private:
    void print(const Session &session, std::uint32_t index, const QString &label);

    Format m_format;
    QFile &m_out;
};

} // namespace frameline::cli
