#include "connectcommand.h"

#include "connection.h"
#include "eventprinter.h"
#include "sessionjournal.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkProxyFactory>

#include <optional>

namespace frameline::cli {
namespace {

/// How long to wait after the connection is gone for the kernel to show the end of
/// the TCP teardown (TIME-WAIT or CLOSED); on loopback it takes microseconds.
constexpr int kTeardownWaitMs = 1000;

QString tr(const char *text)
{
    return QCoreApplication::translate("ConnectCommand", text);
}

/// One thing to do once the connection is open, in command-line order.
struct Action
{
    enum class Kind : std::uint8_t { Text, Binary, Ping };
    Kind kind;
    QByteArray payload;
};

bool parseHexPayload(const QString &text, QByteArray &out)
{
    QByteArray digits;
    for (const QChar c : text) {
        if (c.isSpace() || c == u':')
            continue;
        const char16_t u = c.unicode();
        if (!((u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F')))
            return false;
        digits.append(char(u));
    }
    if (digits.size() % 2)
        return false;
    out = QByteArray::fromHex(digits);
    return true;
}

/// `--ping` takes an optional payload: `--ping`, `--ping TEXT` or `--ping=TEXT`. A bare
/// one becomes `--ping=` so QCommandLineParser can read it.
QStringList normalizePing(const QStringList &arguments)
{
    QStringList out;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments[i];
        if (argument != QLatin1String("--ping")) {
            out.append(argument);
            continue;
        }
        const bool hasValue = i + 1 < arguments.size() && !arguments[i + 1].startsWith(u'-')
            && !arguments[i + 1].contains(QLatin1String("://"));
        out.append(hasValue ? QStringLiteral("--ping=") + arguments[++i] : QStringLiteral("--ping="));
    }
    return out;
}

/// The actions in the order their options appear.
bool collectActions(const QStringList &arguments, QList<Action> &actions, QString &error)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments[i];
        const auto valueOf = [&](const QString &name, QString &value) {
            if (a == name && i + 1 < arguments.size()) {
                value = arguments[++i];
                return true;
            }
            if (a.startsWith(name + u'=')) {
                value = a.mid(name.size() + 1);
                return true;
            }
            return false;
        };
        QString value;
        if (valueOf(QStringLiteral("--send"), value)) {
            actions.append({Action::Kind::Text, value.toUtf8()});
        } else if (valueOf(QStringLiteral("--send-hex"), value)) {
            QByteArray bytes;
            if (!parseHexPayload(value, bytes)) {
                error = tr("--send-hex takes hex digits, not '%1'.").arg(value);
                return false;
            }
            actions.append({Action::Kind::Binary, bytes});
        } else if (valueOf(QStringLiteral("--ping"), value)) {
            actions.append({Action::Kind::Ping, value.toUtf8()});
        }
    }
    return true;
}

bool parseClose(const QString &text, std::uint16_t &code, QByteArray &reason, QString &error)
{
    const qsizetype colon = text.indexOf(u':');
    bool ok = false;
    const uint value = (colon < 0 ? text : text.left(colon)).toUInt(&ok);
    if (!ok || value > 65535) {
        error = tr("--close takes CODE or CODE:REASON, e.g. 1000:bye, not '%1'.").arg(text);
        return false;
    }
    code = std::uint16_t(value);
    reason = colon < 0 ? QByteArray() : text.mid(colon + 1).toUtf8();
    return true;
}

} // namespace

int runConnect(const QStringList &rawArguments)
{
    const QStringList arguments = normalizePing(rawArguments);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Opens a WebSocket connection and prints every step of its life: DNS, TCP, TLS, the "
           "opening handshake, each frame and message, the closing handshake. Actions (--send, "
           "--send-hex, --ping) run in the order given once the connection is open; then it "
           "closes (--close, or 1000 after a short quiet period) unless --echo is given. "
           "Exit status: 0 after a clean close, 1 when the connection failed or closed "
           "abnormally (or the --log file could not be written), 2 on a usage error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("url"), tr("ws:// or wss:// URL"));
    const QCommandLineOption echoOption(QStringLiteral("echo"),
                                        tr("Echo every message back with its type until the "
                                           "peer closes (the Autobahn TestSuite client)."));
    const QCommandLineOption sendOption(QStringLiteral("send"), tr("Send a text message."),
                                        QStringLiteral("TEXT"));
    const QCommandLineOption sendHexOption(QStringLiteral("send-hex"),
                                           tr("Send a binary message given as hex."),
                                           QStringLiteral("HEX"));
    const QCommandLineOption pingOption(QStringLiteral("ping"),
                                        tr("Send a ping, with an optional payload."),
                                        QStringLiteral("TEXT"));
    const QCommandLineOption closeOption(QStringLiteral("close"),
                                         tr("Close with this code and optional reason."),
                                         QStringLiteral("CODE[:REASON]"));
    const QCommandLineOption headerOption(QStringLiteral("header"),
                                          tr("Add a header to the opening handshake."),
                                          QStringLiteral("'Name: value'"));
    const QCommandLineOption protocolOption(QStringLiteral("protocol"),
                                            tr("Offer a subprotocol (repeatable)."),
                                            QStringLiteral("P"));
    const QCommandLineOption originOption(QStringLiteral("origin"), tr("Send an Origin header."),
                                          QStringLiteral("ORIGIN"));
    const QCommandLineOption insecureOption(QStringLiteral("insecure"),
                                            tr("Go on when the server's certificate fails "
                                               "verification (recorded in the session)."));
    const QCommandLineOption caOption(QStringLiteral("cacert"),
                                      tr("Also trust the CA certificates in this PEM file."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption certOption(QStringLiteral("cert"),
                                        tr("Client certificate (PEM)."), QStringLiteral("FILE"));
    const QCommandLineOption keyOption(QStringLiteral("key"),
                                       tr("Client certificate key (PEM)."), QStringLiteral("FILE"));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
                                           tr("Seconds allowed for connecting and for the "
                                              "opening handshake (default 10)."),
                                           QStringLiteral("SEC"));
    const QCommandLineOption lingerOption(QStringLiteral("linger"),
                                          tr("Without --close or --echo: milliseconds of quiet "
                                             "before closing (default 500)."),
                                          QStringLiteral("MS"));
    const QCommandLineOption noPongOption(QStringLiteral("no-auto-pong"),
                                          tr("Do not answer pings (to test a server's "
                                             "keep-alive)."));
    const QCommandLineOption closeTcpFirstOption(QStringLiteral("close-tcp-first"),
                                                 tr("Close TCP as soon as the closing handshake is "
                                                    "complete instead of waiting for the server to "
                                                    "(TIME-WAIT then lands on this side)."));
    const QCommandLineOption pingIntervalOption(QStringLiteral("ping-interval"),
                                                tr("Send a ping of our own every SEC seconds "
                                                   "while the connection is open."),
                                                QStringLiteral("SEC"));
    const QCommandLineOption closeTimeoutOption(QStringLiteral("close-timeout"),
                                                tr("Seconds to wait for the closing handshake and "
                                                   "the server's TCP close before closing TCP "
                                                   "ourselves (default 5)."),
                                                QStringLiteral("SEC"));
    const QCommandLineOption proxyOption(QStringLiteral("proxy"),
                                         tr("Connect through a proxy: "
                                            "http://[user:pass@]host:port (CONNECT), "
                                            "socks5://[user:pass@]host:port, or system."),
                                         QStringLiteral("URL"));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        tr("Print JSON Lines instead of text."));
    const QCommandLineOption logOption(QStringLiteral("log"),
                                       tr("Record the whole session into FILE, in Frameline's "
                                          "native format, while the connection runs; the "
                                          "Frameline window opens it."),
                                       QStringLiteral("FILE"));
    parser.addOptions({echoOption, sendOption, sendHexOption, pingOption, closeOption,
                       headerOption, protocolOption, originOption, insecureOption, caOption,
                       certOption, keyOption, timeoutOption, lingerOption, noPongOption,
                       pingIntervalOption, closeTimeoutOption, closeTcpFirstOption, proxyOption, jsonOption, logOption});
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
        err << tr("Give exactly one ws:// or wss:// URL.") << u'\n';
        return 2;
    }

    ConnectionOptions options;
    options.url = QUrl(parser.positionalArguments().first(), QUrl::StrictMode);
    if (const QString problem = checkWebSocketUrl(options.url); !problem.isEmpty()) {
        err << problem << u'\n';
        return 2;
    }
    for (const QString &header : parser.values(headerOption)) {
        const qsizetype colon = header.indexOf(u':');
        if (colon <= 0) {
            err << tr("--header takes 'Name: value', not '%1'.").arg(header) << u'\n';
            return 2;
        }
        options.headers.append({header.left(colon).trimmed().toLatin1(),
                                header.mid(colon + 1).trimmed().toUtf8()});
    }
    for (const QString &protocol : parser.values(protocolOption))
        options.subprotocols.append(protocol.toLatin1());
    options.origin = parser.value(originOption).toUtf8();
    options.insecure = parser.isSet(insecureOption);
    options.caFile = parser.value(caOption);
    options.clientCertificateFile = parser.value(certOption);
    options.clientKeyFile = parser.value(keyOption);
    options.autoPong = !parser.isSet(noPongOption);
    options.closeTcpFirst = parser.isSet(closeTcpFirstOption);
    // Seconds as given on the command line, to milliseconds; false on a mistake.
    const auto readSeconds = [&](const QCommandLineOption &option, int &milliseconds) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const double seconds = parser.value(option).toDouble(&ok);
        if (!ok || !(seconds > 0) || seconds > 86400) {
            err << tr("--%1 takes a number of seconds (more than 0, at most a day), not '%2'.")
                       .arg(option.names().first(), parser.value(option))
                << u'\n';
            return false;
        }
        milliseconds = std::max(1, int(seconds * 1000));
        return true;
    };
    int timeoutMs = options.connectTimeoutMs;
    if (!readSeconds(timeoutOption, timeoutMs) || !readSeconds(pingIntervalOption, options.pingIntervalMs)
        || !readSeconds(closeTimeoutOption, options.closeTimeoutMs))
        return 2;
    options.connectTimeoutMs = options.handshakeTimeoutMs = timeoutMs;
    if (parser.isSet(proxyOption)) {
        QString problem;
        options.proxy = parseProxy(parser.value(proxyOption), problem);
        if (!options.proxy) {
            err << problem << u'\n';
            return 2;
        }
        if (options.proxy->type() == QNetworkProxy::DefaultProxy)
            QNetworkProxyFactory::setUseSystemConfiguration(true);
    }
    int lingerMs = 500;
    if (parser.isSet(lingerOption))
        lingerMs = parser.value(lingerOption).toInt();

    QList<Action> actions;
    QString error;
    if (!collectActions(arguments, actions, error)) {
        err << error << u'\n';
        return 2;
    }
    std::optional<std::pair<std::uint16_t, QByteArray>> close;
    if (parser.isSet(closeOption)) {
        std::uint16_t code = 0;
        QByteArray reason;
        if (!parseClose(parser.value(closeOption), code, reason, error)) {
            err << error << u'\n';
            return 2;
        }
        close = std::make_pair(code, reason);
    }
    const bool echo = parser.isSet(echoOption);

    QFile logFile(parser.value(logOption));
    if (parser.isSet(logOption) && !logFile.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        err << tr("Cannot write the session log %1: %2")
                   .arg(logFile.fileName(), logFile.errorString())
            << u'\n';
        return 2;
    }

    QFile out;
    out.open(stdout, QIODevice::WriteOnly);
    EventPrinter printer(parser.isSet(jsonOption) ? EventPrinter::Format::Json
                                                  : EventPrinter::Format::Text,
                         out);
    Connection connection(options);
    printer.attach(connection.session());

    QTimer linger;
    linger.setSingleShot(true);
    QObject::connect(&linger, &QTimer::timeout, &connection, [&connection] { connection.sendClose(); });
    const auto restartLinger = [&] {
        if (!echo && !close && connection.state() == WebSocketState::Open)
            linger.start(lingerMs);
    };

    QObject::connect(&connection, &Channel::opened, &connection, [&] {
        for (const Action &action : std::as_const(actions)) {
            switch (action.kind) {
            case Action::Kind::Text:
                connection.sendText(action.payload);
                break;
            case Action::Kind::Binary:
                connection.sendBinary(action.payload);
                break;
            case Action::Kind::Ping:
                connection.sendPing(action.payload);
                break;
            }
        }
        if (close)
            connection.sendClose(close->first, close->second);
        restartLinger();
    });
    QObject::connect(&connection, &Channel::messageReceived, &connection,
                     [&](quint8 opcode, const QByteArray &payload) {
                         if (echo) {
                             if (opcode == std::uint8_t(Opcode::Text))
                                 connection.sendText(payload);
                             else
                                 connection.sendBinary(payload);
                         }
                         restartLinger();
                     });
    // Pongs answering the --ping actions count as activity; those answering the
    // --ping-interval pings do not, or the quiet period would never come.
    qsizetype awaitedPongs = std::count_if(actions.cbegin(), actions.cend(),
                                           [](const Action &a) { return a.kind == Action::Kind::Ping; });
    QObject::connect(&connection, &Channel::pongReceived, &connection, [&] {
        if (awaitedPongs > 0) {
            --awaitedPongs;
            restartLinger();
        }
    });

    // The log is written from a timer, not from the session's append observer (that is
    // the printer's): a crash loses at most the last quarter second.
    std::optional<SessionJournalWriter> journal;
    QTimer journalTimer;
    bool logFailed = false;
    const auto writeLog = [&](bool last) {
        if (!journal || logFailed)
            return;
        const bool written = last ? journal->finish(connection.session())
                                  : journal->writePending(connection.session());
        if (!written) {
            err << journal->errorString() << u'\n';
            err.flush();
            logFailed = true;
            journalTimer.stop();
        }
    };
    if (logFile.isOpen()) {
        journal.emplace(logFile);
        journalTimer.setInterval(250);
        QObject::connect(&journalTimer, &QTimer::timeout, &connection, [&] { writeLog(false); });
    }

    bool failed = false;
    QObject::connect(&connection, &Channel::failed, &connection, [&failed] { failed = true; });
    // When the connection is gone, wait (briefly) for the TCP teardown to be seen: the
    // last states come from the kernel after the socket has closed.
    QTimer teardownWait;
    teardownWait.setSingleShot(true);
    QObject::connect(&teardownWait, &QTimer::timeout, QCoreApplication::instance(), &QCoreApplication::quit);
    QObject::connect(&connection, &Channel::finished, &connection, [&] {
        TcpTeardownTracker *teardown = connection.teardown();
        if (!teardown || teardown->isSettled()) {
            QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
            return;
        }
        QObject::connect(teardown, &TcpTeardownTracker::settled, QCoreApplication::instance(),
                         &QCoreApplication::quit, Qt::QueuedConnection);
        QObject::connect(teardown, &QObject::destroyed, QCoreApplication::instance(), &QCoreApplication::quit,
                         Qt::QueuedConnection);
        teardownWait.start(kTeardownWaitMs);
    });
    connection.open();
    if (journal) {
        writeLog(false); // the header, with the session's URL and start time
        journalTimer.start();
    }
    QCoreApplication::exec();
    journalTimer.stop();
    writeLog(true);

    const WebSocketProtocol &protocol = connection.protocol();
    const bool clean = !failed && protocol.closeReceived().has_value()
        && protocol.closeSentPayload().has_value();
    return clean && !logFailed ? 0 : 1;
}

} // namespace frameline::cli
