#pragma once

// Starts `frameline-cli serve` for the CLI tests and reads the URL it prints on its
// first line.

#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QStringList>

namespace frameline::test {

/// Starts `serve --port 0 --quiet` (plus `extra` options) in `process`; returns the
/// URL it prints, or an empty string when it did not start within ten seconds.
inline QString startServe(QProcess &process, const QString &program, const QStringList &extra = {})
{
    process.start(program, QStringList {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
                                        QStringLiteral("--quiet")}
                               + extra);
    if (!process.waitForStarted(10000))
        return {};
    QElapsedTimer waited;
    waited.start();
    while (!process.canReadLine() && waited.elapsed() < 10000)
        process.waitForReadyRead(1000);
    const QString url = QString::fromUtf8(process.readLine().trimmed());
    return url.startsWith(QLatin1String("ws")) ? url : QString();
}

} // namespace frameline::test
