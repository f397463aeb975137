#include "exportsession.h"

#include "har.h"
#include "markdown.h"
#include "mermaid.h"
#include "pcapng.h"
#include "sessionjournal.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QSaveFile>

namespace frameline {

bool exportSession(const Session &session, ExportFormat format, const QString &path, QString *error)
{
    if (format == ExportFormat::Jsonl)
        return saveSession(session, path, error); // atomic itself
    const auto fail = [&](const QString &why) {
        if (error) {
            *error = QCoreApplication::translate("ExportSession", "Cannot write %1: %2")
                         .arg(QDir::toNativeSeparators(path), why);
        }
        return false;
    };
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    QString why;
    bool written = true;
    switch (format) {
    case ExportFormat::Jsonl:
        break;
    case ExportFormat::Har:
        written = writeHar(session, file, &why);
        break;
    case ExportFormat::Pcapng:
        written = writePcapng(session, file, &why);
        break;
    case ExportFormat::Mermaid:
        written = file.write(mermaidSequenceDiagram(session)) >= 0;
        break;
    case ExportFormat::Markdown:
        written = file.write(markdownTranscript(session)) >= 0;
        break;
    }
    if (!written) {
        file.cancelWriting();
        return fail(why.isEmpty() ? file.errorString() : why);
    }
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

} // namespace frameline
