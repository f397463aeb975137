#pragma once

#include <QtCore/QObject>

namespace frameline {

class MainWindow;

/// A scripted session against the built-in server, for `frameline --demo`: connect,
/// a text message, a binary one, a text message fragmented into three frames, a ping,
/// then a client-initiated close. Each step waits for the previous answer, so the
/// timeline reads like a lesson.
class DemoScript : public QObject
{
    Q_OBJECT

public:
    explicit DemoScript(MainWindow *window, QObject *parent = nullptr);

    /// Starts the script; finished() follows once the connection is over (or failed).
    void start(bool tls = false);

Q_SIGNALS:
    void finished(bool ok);

private:
    void step();

    MainWindow *m_window;
    int m_step = 0;
    bool m_ok = true;
};

} // namespace frameline
