#include "exportcommand.h"

#include "exportsession.h"
#include "har.h"
#include "markdown.h"
#include "mermaid.h"
#include "pcapng.h"
#include "sessionfile.h"
#include "sessionjournal.h"

#include <QtCore/QBuffer>
#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QTextStream>

namespace frameline::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ExportCommand", text);
}

/// The whole export in memory, for standard output (which cannot be written atomically).
bool exportToBytes(const Session &session, ExportFormat format, QByteArray &out, QString &error)
{
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    switch (format) {
    case ExportFormat::Jsonl: {
        SessionJournalWriter writer(buffer);
        if (!writer.finish(session)) {
            error = writer.errorString();
            return false;
        }
        return true;
    }
    case ExportFormat::Har:
        return writeHar(session, buffer, &error);
    case ExportFormat::Pcapng:
        return writePcapng(session, buffer, &error);
    case ExportFormat::Mermaid:
        out = mermaidSequenceDiagram(session);
        return true;
    case ExportFormat::Markdown:
        out = markdownTranscript(session);
        return true;
    }
    return false;
}

} // namespace

int runExport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Writes a session file (Frameline's own, or a HAR saved by a browser) in another "
           "format: jsonl (Frameline), har (browser dev tools), pcapng (Wireshark, tshark), "
           "mermaid (a sequence diagram), markdown (a transcript). Exit status: 0 when written, "
           "1 when the session could not be read or written, 2 on a usage error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("session"), tr("The session file to read."));
    QStringList names;
    for (const ExportFormatInfo &info : exportFormats())
        names << QLatin1String(info.name);
    const QCommandLineOption formatOption(QStringLiteral("format"),
                                          tr("One of %1 (default: from the output file's name).")
                                              .arg(names.join(QStringLiteral(", "))),
                                          QStringLiteral("FORMAT"));
    const QCommandLineOption outputOption({QStringLiteral("o"), QStringLiteral("output")},
                                          tr("The file to write; - for standard output."), QStringLiteral("OUT"));
    parser.addOptions({formatOption, outputOption});
    QTextStream err(stderr);
    if (!parser.parse(arguments)) {
        err << parser.errorText() << u'\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() != 1) {
        err << tr("Give exactly one session file to export.") << u'\n';
        return 2;
    }
    if (!parser.isSet(outputOption)) {
        err << tr("Say where to write with -o OUT (or -o - for standard output).") << u'\n';
        return 2;
    }
    const QString output = parser.value(outputOption);
    std::optional<ExportFormat> format;
    if (parser.isSet(formatOption)) {
        format = exportFormatFromName(parser.value(formatOption));
        if (!format) {
            err << tr("Unknown format '%1'; use one of %2.")
                       .arg(parser.value(formatOption), names.join(QStringLiteral(", ")))
                << u'\n';
            return 2;
        }
    } else if (output != QLatin1String("-")) {
        format = exportFormatForPath(output);
    }
    if (!format) {
        err << tr("Say which format with --format (%1).").arg(names.join(QStringLiteral(", "))) << u'\n';
        return 2;
    }

    const QString input = parser.positionalArguments().first();
    Session session;
    const SessionFileResult read = readSessionFile(input, session);
    if (!read.isUsable()) {
        err << read.message << u'\n';
        return 1;
    }
    const bool complete = read.status == SessionFileResult::Status::Complete;
    if (!complete)
        err << tr("Warning: %1 The events before that point are exported.").arg(read.message) << u'\n';
    else if (!read.message.isEmpty())
        err << read.message << u'\n';

    QString error;
    if (output == QLatin1String("-")) {
        QByteArray bytes;
        if (!exportToBytes(session, *format, bytes, error)) {
            err << error << u'\n';
            return 1;
        }
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) || out.write(bytes) != bytes.size()) {
            err << tr("Cannot write to standard output.") << u'\n';
            return 1;
        }
        return complete ? 0 : 1;
    }
    if (!exportSession(session, *format, output, &error)) {
        err << error << u'\n';
        return 1;
    }
    return complete ? 0 : 1;
}

} // namespace frameline::cli
