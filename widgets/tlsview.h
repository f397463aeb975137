#pragma once

#include "verdictcolors.h"
#include "session.h"

#include <QtCore/QAbstractItemModel>
#include <QtCore/QDateTime>
#include <QtWidgets/QWidget>

#include <cstdint>

QT_BEGIN_NAMESPACE
class QFrame;
class QLabel;
class QTreeView;
QT_END_NAMESPACE

namespace frameline {

class SessionDocument;

/// The certificate chain a peer presented, as a tree: one row per certificate (its
/// place in the chain and its subject), with its subject, issuer, validity and
/// fingerprints below. Validity is judged at a reference time (when the session
/// started), not now: a recording opened a year later must not turn valid
/// certificates red, and an expired one must stay red.
class TlsChainModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { FieldColumn, ValueColumn, NoteColumn, ColumnCount };
    Q_ENUM(Column)
    enum Field {
        SubjectField,
        IssuerField,
        NotBeforeField,
        NotAfterField,
        Sha256Field,
        Sha1Field,
        FieldCount
    };
    Q_ENUM(Field)
    enum class Validity : std::uint8_t { Valid, Expired, NotYetValid, Unknown };
    Q_ENUM(Validity)

    enum DataRole {
        ProblemRole = Qt::UserRole + 1, ///< bool: the row shows a validity problem
    };

    explicit TlsChainModel(QObject *parent = nullptr);

    /// Shows `chain` (the peer's certificate first), judged at `reference`; `peer` is
    /// the side that presented it.
    void setChain(const QList<CertificateInfo> &chain, const QDateTime &reference, Role peer);
    void clear();
    void setColors(const VerdictColors &colors);

    static Validity validityAt(const CertificateInfo &certificate, const QDateTime &reference);
    /// "AB:CD:…": the colon-separated upper-case hex that certificate tools print.
    static QString fingerprint(const QByteArray &digest);

    QModelIndex certificateIndex(int certificate, int column = FieldColumn) const;
    QModelIndex fieldIndex(int certificate, Field field, int column = ValueColumn) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    QString certificateLabel(int certificate) const;
    QString certificateNote(int certificate) const;
    QString fieldName(Field field) const;
    QString fieldValue(int certificate, Field field) const;
    QString fieldNote(int certificate, Field field) const;
    bool isProblem(int certificate, int field) const;

    QList<CertificateInfo> m_chain;
    QDateTime m_reference;
    Role m_peer = Role::Server;
    VerdictColors m_colors;
};

/// The TLS layer of the document's session: for wss://, the protocol version, cipher
/// suite, ALPN, the verification result (and a warning when certificate errors were
/// accepted) and the peer's certificate chain; for ws://, a plain statement that
/// nothing is encrypted; for a TLS handshake that failed, the error that ended it.
/// It follows the document like every view: rebuilt on a new session, updated as the
/// TLS event (or the error) is appended.
class TlsView : public QWidget
{
    Q_OBJECT

public:
    enum class State : std::uint8_t {
        NoSession,
        NotEncrypted, ///< ws://
        Negotiating, ///< wss://, the TLS handshake has not finished yet
        Failed, ///< wss://, an error ended the connection before TLS was established
        NotRecorded, ///< wss://, but the recording holds no TLS event (an imported session)
        Established,
    };
    Q_ENUM(State)

    explicit TlsView(SessionDocument *document, QWidget *parent = nullptr);
    ~TlsView() override;

    State state() const { return m_state; }
    /// When certificate validity is judged: the session's start.
    QDateTime referenceTime() const { return m_reference; }

    QLabel *bannerTitle() const { return m_bannerTitle; }
    QLabel *bannerDetail() const { return m_bannerDetail; }
    /// "You accepted this certificate despite: …", shown only when that happened.
    QLabel *warningLabel() const { return m_warning; }
    QLabel *protocolLabel() const { return m_protocol; }
    QLabel *cipherLabel() const { return m_cipher; }
    QLabel *alpnLabel() const { return m_alpn; }
    QLabel *verificationLabel() const { return m_verification; }
    QLabel *referenceLabel() const { return m_referenceLabel; }
    TlsChainModel *chainModel() const { return m_chainModel; }
    QTreeView *chainView() const { return m_chainView; }

protected:
    void changeEvent(QEvent *event) override;

private:
    using Tone = VerdictTone;

    void reset();
    void append(quint32 first, quint32 last);
    /// Takes in events [first, last]; returns whether anything the view shows changed.
    bool scan(const Session &session, std::uint32_t first, std::uint32_t last);
    void refresh();
    void showEstablished(const Session &session);
    void setBanner(const QString &title, const QString &detail, Tone tone);

    SessionDocument *m_document;
    VerdictColors m_colors;
    State m_state = State::NoSession;
    QDateTime m_reference;
    // What the scan found so far.
    qint64 m_tlsEvent = -1;
    qint64 m_errorEvent = -1;
    bool m_tcpConnected = false;
    bool m_pastTls = false; ///< a handshake head or a frame was seen: TLS is over

    VerdictBanner *m_banner = nullptr;
    QLabel *m_bannerTitle = nullptr;
    QLabel *m_bannerDetail = nullptr;
    QFrame *m_warningFrame = nullptr;
    QLabel *m_warning = nullptr;
    QWidget *m_details = nullptr;
    QLabel *m_protocol = nullptr;
    QLabel *m_cipher = nullptr;
    QLabel *m_alpn = nullptr;
    QLabel *m_verification = nullptr;
    QLabel *m_referenceLabel = nullptr;
    QLabel *m_chainTitle = nullptr;
    TlsChainModel *m_chainModel = nullptr;
    QTreeView *m_chainView = nullptr;
};

} // namespace frameline
