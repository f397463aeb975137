// frameline-cli: the headless shell over Frameline's protocol libraries.
// Usage: frameline-cli <command> [options]; `frameline-cli <command> --help` for each.

#include "connectcommand.h"
#include "decodecommand.h"
#include "exportcommand.h"
#include "servecommand.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

#include <cstdio>

namespace {

struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &arguments);
};

const Command kCommands[] = {
    {"connect", QT_TRANSLATE_NOOP("Cli", "Open a WebSocket connection and print its whole lifecycle."),
     &frameline::cli::runConnect},
    {"serve", QT_TRANSLATE_NOOP("Cli", "Run the built-in WebSocket server (echo)."),
     &frameline::cli::runServe},
    {"decode", QT_TRANSLATE_NOOP("Cli", "Decode a byte stream of WebSocket frames as one role receives it."),
     &frameline::cli::runDecode},
    {"export", QT_TRANSLATE_NOOP("Cli", "Write a session file as jsonl, HAR, pcapng, Mermaid or Markdown."),
     &frameline::cli::runExport},
};

QString commandList()
{
    QString text = QCoreApplication::translate("Cli", "Commands:") + u'\n';
    for (const Command &command : kCommands)
        text += QStringLiteral("  %1  %2\n")
                    .arg(QString::fromLatin1(command.name), -8)
                    .arg(QCoreApplication::translate("Cli", command.summary));
    return text;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("frameline-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Frameline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FRAMELINE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("Cli", "Frameline, a WebSocket protocol inspector (headless).")
        + u"\n\n" + commandList());
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QCoreApplication::translate("Cli", "The command to run."),
                                 QStringLiteral("<command> [options]"));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    // Options after the command belong to it.
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    if (!parser.parse(QCoreApplication::arguments())) {
        QTextStream(stderr) << parser.errorText() << u'\n';
        return 2;
    }
    if (parser.isSet(versionOption))
        parser.showVersion();
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(helpOption) || positional.isEmpty()) {
        if (positional.isEmpty() && !parser.isSet(helpOption)) {
            QTextStream(stderr) << parser.helpText();
            return 2;
        }
        parser.showHelp(0);
    }

    const QString name = positional.first();
    for (const Command &command : kCommands) {
        if (name == QLatin1String(command.name)) {
            QStringList arguments = positional;
            arguments.first() = QCoreApplication::applicationName() + u' ' + name;
            return command.run(arguments);
        }
    }
    QTextStream(stderr) << QCoreApplication::translate("Cli", "Unknown command '%1'.").arg(name)
                        << u"\n\n" << commandList();
    return 2;
}
