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

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

private:
    QSettings m_settings;
};

} // namespace frameline
