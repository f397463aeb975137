#include "sessionfile.h"

#include "exportformat.h"
#include "har.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>

namespace frameline {

namespace {

/// A HAR by its name, or by its first bytes when the name says nothing.
bool isHar(const QString &path, QFile &file)
{
    if (exportFormatForPath(path) == ExportFormat::Har)
        return true;
    if (exportFormatForPath(path) == ExportFormat::Jsonl && !path.endsWith(QLatin1String(".json")))
        return false;
    // A HAR is one JSON object, often pretty-printed; a journal's first line is its
    // header object naming the format.
    const QByteArray start = file.peek(256);
    return start.trimmed().startsWith('{') && !start.contains("frameline-session");
}

} // namespace

SessionFileResult readSessionFile(const QString &path, Session &out, const SessionLoadProgress &progress)
{
    SessionFileResult result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.message = QCoreApplication::translate("SessionFile", "Cannot open %1: %2")
                             .arg(QDir::toNativeSeparators(path), file.errorString());
        return result;
    }
    if (isHar(path, file)) {
        if (progress)
            progress(0, file.size());
        const HarImportResult imported = importHar(file, out);
        if (progress)
            progress(file.size(), file.size());
        result.message = imported.message;
        result.status = imported.ok ? SessionFileResult::Status::Complete : SessionFileResult::Status::Refused;
        return result;
    }
    const SessionLoadResult loaded = loadSession(file, out, progress);
    result.native = true;
    result.message = loaded.message;
    switch (loaded.status) {
    case SessionLoadResult::Status::Complete:
        result.status = SessionFileResult::Status::Complete;
        break;
    case SessionLoadResult::Status::Damaged:
        result.status = SessionFileResult::Status::Partial;
        break;
    case SessionLoadResult::Status::Cancelled:
        result.status = SessionFileResult::Status::Cancelled;
        break;
    case SessionLoadResult::Status::Refused:
        result.status = SessionFileResult::Status::Refused;
        break;
    }
    return result;
}

} // namespace frameline
