#include "appsettings.h"

namespace frameline {

namespace Key {
const QString UrlHistory = QStringLiteral("connection/urlHistory");
const QString LocalServerTls = QStringLiteral("localServer/tls");
const QString WindowGeometry = QStringLiteral("window/geometry");
const QString WindowState = QStringLiteral("window/state");
const QString RecentFiles = QStringLiteral("files/recent");
const QString LastDirectory = QStringLiteral("files/lastDirectory");
const QString Theme = QStringLiteral("window/theme");
} // namespace Key

AppSettings::AppSettings() = default;

QStringList AppSettings::urlHistory() const
{
    return m_settings.value(Key::UrlHistory).toStringList();
}

QStringList AppSettings::prependBounded(const QString &key, const QString &value, int max)
{
    QStringList list = m_settings.value(key).toStringList();
    list.removeAll(value);
    list.prepend(value);
    while (list.size() > max)
        list.removeLast();
    m_settings.setValue(key, list);
    return list;
}

void AppSettings::rememberUrl(const QString &url)
{
    prependBounded(Key::UrlHistory, url, kMaxUrlHistory);
}

QStringList AppSettings::recentFiles() const
{
    return m_settings.value(Key::RecentFiles).toStringList();
}

void AppSettings::rememberFile(const QString &path)
{
    prependBounded(Key::RecentFiles, path, kMaxRecentFiles);
}

void AppSettings::forgetFile(const QString &path)
{
    QStringList list = recentFiles();
    list.removeAll(path);
    m_settings.setValue(Key::RecentFiles, list);
}

QString AppSettings::theme() const
{
    return m_settings.value(Key::Theme, QStringLiteral("system")).toString();
}

void AppSettings::setTheme(const QString &theme)
{
    m_settings.setValue(Key::Theme, theme);
}

QString AppSettings::lastDirectory() const
{
    return m_settings.value(Key::LastDirectory).toString();
}

void AppSettings::setLastDirectory(const QString &directory)
{
    m_settings.setValue(Key::LastDirectory, directory);
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
