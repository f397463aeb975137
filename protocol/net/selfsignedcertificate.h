#pragma once

#include <QtCore/QString>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

namespace frameline {

/// Makes a new P-256 key and a self-signed certificate for the local server, valid for
/// localhost, 127.0.0.1 and ::1 for one year.
bool makeSelfSignedCertificate(QSslCertificate &certificate, QSslKey &key, QString *error);

/// The certificate for the built-in wss server: the given PEM files when both paths are
/// set; otherwise the one kept in the user's data directory, made on first use (so it
/// can be trusted once and stays the same across runs).
bool loadOrCreateServerCertificate(const QString &certificateFile, const QString &keyFile,
                                   QSslCertificate &certificate, QSslKey &key, QString *error);

} // namespace frameline
