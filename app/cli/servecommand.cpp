#include "servecommand.h"

#include "eventprinter.h"
#include "server.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTextStream>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace frameline::cli {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ServeCommand", text);
}

int g_signalPipe[2] = {-1, -1};

void onTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

/// SIGINT and SIGTERM end the event loop (through a socket pair, the only safe way out
/// of a signal handler), so the server stops listening and exits normally.
void quitOnTerminationSignals()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read,
                                         QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, QCoreApplication::instance(),
                     &QCoreApplication::quit);
    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

} // namespace

int runServe(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Runs Frameline's built-in WebSocket server (echo by default). The first line of "
           "output is its URL; then each connection's lifecycle, one event per line."));
    parser.addHelpOption();
    const QCommandLineOption hostOption(QStringLiteral("host"),
                                        tr("Address to listen on (default 127.0.0.1)."),
                                        QStringLiteral("ADDR"));
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        tr("Port to listen on; 0 picks a free one."),
                                        QStringLiteral("P"));
    const QCommandLineOption tlsOption(QStringLiteral("tls"),
                                       tr("Serve wss:// (with a self-signed certificate unless "
                                          "--tls-cert/--tls-key are given)."));
    const QCommandLineOption certOption(QStringLiteral("tls-cert"),
                                        tr("Server certificate (PEM)."), QStringLiteral("FILE"));
    const QCommandLineOption keyOption(QStringLiteral("tls-key"), tr("Server key (PEM)."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption protocolOption(QStringLiteral("protocol"),
                                            tr("Accept this subprotocol (repeatable, in order "
                                               "of preference)."),
                                            QStringLiteral("P"));
    const QCommandLineOption closeAfterOption(QStringLiteral("close-after"),
                                              tr("Close each connection after N messages."),
                                              QStringLiteral("N"));
    const QCommandLineOption closeWithOption(QStringLiteral("close-with"),
                                             tr("Code and reason for --close-after "
                                                "(default 1000)."),
                                             QStringLiteral("CODE[:REASON]"));
    const QCommandLineOption clientFirstOption(QStringLiteral("client-closes-tcp-first"),
                                               tr("After the closing handshake, wait for the client "
                                                  "to close TCP first (TIME-WAIT then lands on the "
                                                  "client; RFC 6455 asks the server to close first)."));
    const QCommandLineOption delayOption(QStringLiteral("delay"),
                                         tr("Delay every echo by this many milliseconds."),
                                         QStringLiteral("MS"));
    const QCommandLineOption noEchoOption(QStringLiteral("no-echo"),
                                          tr("Receive without echoing."));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"),
                                           tr("Print every frame and message too, not only "
                                              "each connection's lifecycle."));
    const QCommandLineOption quietOption(QStringLiteral("quiet"),
                                         tr("Print only the URL (for benchmarks)."));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        tr("Print JSON Lines instead of text."));
    parser.addOptions({hostOption, portOption, tlsOption, certOption, keyOption, protocolOption,
                       closeAfterOption, closeWithOption, delayOption, clientFirstOption, noEchoOption,
                       verboseOption, quietOption, jsonOption});
    QTextStream err(stderr);
    if (!parser.parse(arguments)) {
        err << parser.errorText() << u'\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }

    ServerOptions options;
    if (parser.isSet(hostOption)) {
        options.address = QHostAddress(parser.value(hostOption));
        if (options.address.isNull()) {
            err << tr("--host takes an IP address, not '%1'.").arg(parser.value(hostOption)) << u'\n';
            return 2;
        }
    }
    bool ok = true;
    const uint port = parser.isSet(portOption) ? parser.value(portOption).toUInt(&ok) : 0;
    if (!ok || port > 65535) {
        err << tr("--port takes a number from 0 to 65535.") << u'\n';
        return 2;
    }
    options.port = quint16(port);
    options.certificateFile = parser.value(certOption);
    options.keyFile = parser.value(keyOption);
    options.tls = parser.isSet(tlsOption) || !options.certificateFile.isEmpty();
    if (options.certificateFile.isEmpty() != options.keyFile.isEmpty()) {
        err << tr("--tls-cert and --tls-key go together.") << u'\n';
        return 2;
    }
    for (const QString &protocol : parser.values(protocolOption))
        options.subprotocols.append(protocol.toLatin1());
    options.echo = !parser.isSet(noEchoOption);
    options.echoDelayMs = parser.value(delayOption).toInt();
    options.clientClosesTcpFirst = parser.isSet(clientFirstOption);
    options.closeAfterMessages = parser.value(closeAfterOption).toInt();
    if (parser.isSet(closeWithOption)) {
        const QString text = parser.value(closeWithOption);
        const qsizetype colon = text.indexOf(u':');
        const uint code = (colon < 0 ? text : text.left(colon)).toUInt(&ok);
        if (!ok || code > 65535) {
            err << tr("--close-with takes CODE or CODE:REASON.") << u'\n';
            return 2;
        }
        options.closeCode = std::uint16_t(code);
        options.closeReason = colon < 0 ? QByteArray() : text.mid(colon + 1).toUtf8();
    }
    options.keepSessions = false;
    // Large enough for any benchmark or conformance message.
    options.decoderLimits.maxFramePayload = 256ull * 1024 * 1024;
    options.assemblerLimits.maxMessageSize = 256ull * 1024 * 1024;

    Server server(options);
    QString error;
    if (!server.listen(&error)) {
        err << error << u'\n';
        return 1;
    }
    QFile out;
    out.open(stdout, QIODevice::WriteOnly);
    EventPrinter printer(parser.isSet(jsonOption) ? EventPrinter::Format::Json
                                                  : EventPrinter::Format::Text,
                         out);
    printer.printInfo(QStringLiteral("url"), server.url().toString());
    const bool quiet = parser.isSet(quietOption);
    const bool verbose = parser.isSet(verboseOption);
    int connections = 0;
    QObject::connect(&server, &Server::connectionAccepted, &server,
                     [&](ServerConnection *connection) {
                         ++connections;
                         if (!quiet)
                             printer.attach(connection->session(), QString::number(connections),
                                            verbose);
                     });
    quitOnTerminationSignals();
    return QCoreApplication::exec();
}

} // namespace frameline::cli
