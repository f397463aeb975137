// frameline: the inspector window.

#include "connectionbar.h"
#include "demoscript.h"
#include "mainwindow.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>

#include <cstdio>

using namespace frameline;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Frameline"));
    QApplication::setOrganizationName(QStringLiteral("Frameline"));
    QApplication::setApplicationVersion(QStringLiteral(FRAMELINE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Frameline, a WebSocket protocol inspector: watch the whole life of a connection."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("url"),
                                 QApplication::translate("main", "A ws:// or wss:// URL to connect to."),
                                 QStringLiteral("[url]"));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QApplication::translate("main", "Run a scripted session against the "
                                                                  "built-in server."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QApplication::translate("main", "Save the window as a PNG when the "
                                                                        "demo is over, then exit."),
                                        QStringLiteral("file"));
    const QCommandLineOption size(QStringLiteral("size"),
                                  QApplication::translate("main", "Window size, e.g. 1400x900."),
                                  QStringLiteral("WxH"));
    parser.addOptions({demo, screenshot, size});
    parser.process(app);

    MainWindow window;
    if (parser.isSet(size)) {
        const QStringList parts = parser.value(size).split(u'x');
        if (parts.size() == 2) {
            window.resize(parts[0].toInt(), parts[1].toInt());
            window.arrangeDocks();
        }
    }
    window.show();

    if (parser.isSet(screenshot) && !parser.isSet(demo)) {
        std::fputs("--screenshot needs --demo\n", stderr);
        return 2;
    }
    if (parser.isSet(demo)) {
        auto *script = new DemoScript(&window, &window);
        const QString file = parser.value(screenshot);
        QObject::connect(script, &DemoScript::finished, &window, [&window, file](bool ok) {
            // Show a frame's anatomy in the inspector: the first masked text frame.
            window.showFirstClientTextFrame();
            if (file.isEmpty())
                return;
            QApplication::processEvents();
            if (!window.grab().save(file, "PNG")) {
                std::fprintf(stderr, "cannot write %s\n", qPrintable(file));
                QApplication::exit(1);
                return;
            }
            QApplication::exit(ok ? 0 : 1);
        });
        script->start();
    } else if (!parser.positionalArguments().isEmpty()) {
        window.connectionBar()->setUrl(parser.positionalArguments().first());
        QTimer::singleShot(0, &window, &MainWindow::connectToServer);
    }
    return app.exec();
}
