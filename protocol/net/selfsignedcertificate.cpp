#include "selfsignedcertificate.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QSaveFile>
#include <QtCore/QStandardPaths>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace frameline {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SelfSignedCertificate", text);
}

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(size));
}

bool addExtension(X509 *certificate, int nid, const char *value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

bool readPem(const QString &certificateFile, const QString &keyFile, QSslCertificate &certificate,
             QSslKey &key, QString *error)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(certificateFile);
    QFile file(keyFile);
    if (certificates.isEmpty() || !file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("Cannot read the certificate %1 or the key %2.").arg(certificateFile, keyFile);
        return false;
    }
    const QByteArray pem = file.readAll();
    key = QSslKey(pem, QSsl::Ec);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Rsa);
    if (key.isNull()) {
        if (error)
            *error = tr("%1 holds no unencrypted RSA or EC private key in PEM form.").arg(keyFile);
        return false;
    }
    certificate = certificates.first();
    return true;
}

} // namespace

bool makeSelfSignedCertificate(QSslCertificate &certificate, QSslKey &key, QString *error)
{
    PKeyPtr pkey(EVP_EC_gen("P-256"));
    X509Ptr x509(X509_new());
    bool ok = pkey && x509;
    ok = ok && X509_set_version(x509.get(), 2) == 1;
    ok = ok && ASN1_INTEGER_set(X509_get_serialNumber(x509.get()), long(QDateTime::currentSecsSinceEpoch())) == 1;
    ok = ok && X509_gmtime_adj(X509_getm_notBefore(x509.get()), -3600);
    ok = ok && X509_gmtime_adj(X509_getm_notAfter(x509.get()), 365L * 24 * 3600);
    ok = ok && X509_set_pubkey(x509.get(), pkey.get()) == 1;
    if (ok) {
        X509_NAME *name = X509_get_subject_name(x509.get());
        const auto field = [name](const char *fieldName, const char *value) {
            return X509_NAME_add_entry_by_txt(name, fieldName, MBSTRING_UTF8,
                                              reinterpret_cast<const unsigned char *>(value), -1,
                                              -1, 0)
                == 1;
        };
        ok = field("O", "Frameline") && field("CN", "Frameline local server")
            && X509_set_issuer_name(x509.get(), name) == 1;
    }
    ok = ok && addExtension(x509.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
    ok = ok && addExtension(x509.get(), NID_basic_constraints, "critical,CA:FALSE");
    ok = ok && X509_sign(x509.get(), pkey.get(), EVP_sha256()) > 0;

    BioPtr certBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    ok = ok && certBio && keyBio && PEM_write_bio_X509(certBio.get(), x509.get()) == 1
        && PEM_write_bio_PrivateKey(keyBio.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr)
            == 1;
    if (ok) {
        certificate = QSslCertificate(bioBytes(certBio.get()), QSsl::Pem);
        key = QSslKey(bioBytes(keyBio.get()), QSsl::Ec);
        ok = !certificate.isNull() && !key.isNull();
    }
    if (!ok && error)
        *error = tr("OpenSSL could not make a self-signed certificate.");
    return ok;
}

bool loadOrCreateServerCertificate(const QString &certificateFile, const QString &keyFile,
                                   QSslCertificate &certificate, QSslKey &key, QString *error)
{
    if (!certificateFile.isEmpty() || !keyFile.isEmpty())
        return readPem(certificateFile, keyFile, certificate, key, error);

    const QString directory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString certPath = directory + QStringLiteral("/local-server-cert.pem");
    const QString keyPath = directory + QStringLiteral("/local-server-key.pem");
    if (QFile::exists(certPath) && QFile::exists(keyPath)
        && readPem(certPath, keyPath, certificate, key, nullptr)
        && certificate.expiryDate() > QDateTime::currentDateTimeUtc().addDays(1))
        return true;

    if (!makeSelfSignedCertificate(certificate, key, error))
        return false;
    // Kept so that a person can trust it once; failing to keep it is not fatal.
    if (QDir().mkpath(directory)) {
        QSaveFile certOut(certPath);
        QSaveFile keyOut(keyPath);
        if (certOut.open(QIODevice::WriteOnly) && keyOut.open(QIODevice::WriteOnly)) {
            keyOut.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            certOut.write(certificate.toPem());
            keyOut.write(key.toPem());
            certOut.commit();
            keyOut.commit();
        }
    }
    return true;
}

} // namespace frameline
