#pragma once

#include <QtCore/QStringList>

namespace frameline::cli {

/// `frameline-cli export SESSION --format jsonl|har|pcapng|mermaid|markdown -o OUT`:
/// reads a session file (Frameline's, or a HAR from a browser) and writes it in another
/// format. `-o -` writes to standard output. Exit 0 when written; 1 when the session
/// could not be read or written, or was readable only up to damage (what was read is
/// still exported, with a warning: nothing already recorded is lost); 2 on a usage
/// error.
int runExport(const QStringList &arguments);

} // namespace frameline::cli
