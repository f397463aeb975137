#include "appsettings.h"

namespace frameline {

namespace Key {
const QString UrlHistory = QStringLiteral("connection/urlHistory");
const QString LocalServerTls = QStringLiteral("localServer/tls");
const QString WindowGeometry = QStringLiteral("window/geometry");
const QString WindowState = QStringLiteral("window/state");
} // namespace Key

AppSettings::AppSettings() = default;

QStringList AppSettings::urlHistory() const
{
    return m_settings.value(Key::UrlHistory).toStringList();
}

void AppSettings::rememberUrl(const QString &url)
{
    QStringList history = urlHistory();
    history.removeAll(url);
    history.prepend(url);
    while (history.size() > kMaxUrlHistory)
        history.removeLast();
    m_settings.setValue(Key::UrlHistory, history);
}

bool AppSettings::localServerTls() const
{
    return m_settings.value(Key::LocalServerTls, false).toBool();
}

void AppSettings::setLocalServerTls(bool tls)
{
    m_settings.setValue(Key::LocalServerTls, tls);
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings.value(Key::WindowGeometry).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings.setValue(Key::WindowGeometry, geometry);
}

QByteArray AppSettings::windowState() const
{
    return m_settings.value(Key::WindowState).toByteArray();
}

void AppSettings::setWindowState(const QByteArray &state)
{
    m_settings.setValue(Key::WindowState, state);
}

} // namespace frameline
