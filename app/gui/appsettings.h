#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QSettings>
#include <QtCore/QStringList>

namespace frameline {

/// Every setting the window keeps between runs, typed, with all keys in this one place.
class AppSettings
{
public:
    AppSettings();

    /// URLs connected to, most recent first (at most kMaxUrlHistory).
    QStringList urlHistory() const;
    void rememberUrl(const QString &url);
    static constexpr int kMaxUrlHistory = 20;

    bool localServerTls() const;
    void setLocalServerTls(bool tls);

    /// Session files opened or saved, most recent first (at most kMaxRecentFiles).
    QStringList recentFiles() const;
    void rememberFile(const QString &path);
    void forgetFile(const QString &path);
    static constexpr int kMaxRecentFiles = 10;

    /// "system", "light" or "dark".
    QString theme() const;
    void setTheme(const QString &theme);
    /// Where the last file dialog was, to open the next one there.
    QString lastDirectory() const;
    void setLastDirectory(const QString &directory);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

private:
    QStringList prependBounded(const QString &key, const QString &value, int max);

    QSettings m_settings;
};

} // namespace frameline
