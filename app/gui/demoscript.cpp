#include "demoscript.h"

#include "mainwindow.h"

#include <QtCore/QTimer>

namespace frameline {

DemoScript::DemoScript(MainWindow *window, QObject *parent)
    : QObject(parent)
    , m_window(window)
{
}

void DemoScript::start(bool tls)
{
    if (!m_window->useLocalServer(tls) || !m_window->connectToServer()) {
        Q_EMIT finished(false);
        return;
    }
    Connection *connection = m_window->connection();
    connect(connection, &Channel::opened, this, &DemoScript::step);
    connect(connection, &Channel::messageReceived, this, &DemoScript::step);
    connect(connection, &Channel::pongReceived, this, &DemoScript::step);
    connect(connection, &Channel::failed, this, [this] { m_ok = false; });
    connect(connection, &Channel::finished, this, [this] {
        // Let the last TCP events land before whoever waits looks at the session.
        QTimer::singleShot(200, this, [this] { Q_EMIT finished(m_ok && m_step >= 5); });
    });
}

void DemoScript::step()
{
    Connection *connection = m_window->connection();
    switch (m_step++) {
    case 0:
        connection->sendText("Hello, WebSocket!");
        break;
    case 1:
        connection->sendBinary(QByteArray::fromHex("00010203fdfeff"));
        break;
    case 2:
        connection->sendFragmented(Opcode::Text, "one message, three frames", 9);
        break;
    case 3:
        connection->sendPing("are you there?");
        break;
    case 4:
        connection->sendClose(1000, "demo done");
        break;
    default:
        break;
    }
}

} // namespace frameline
