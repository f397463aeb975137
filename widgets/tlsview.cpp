#include "tlsview.h"

#include "plaintooltip.h"
#include "sessiondocument.h"

#include <QtCore/QEvent>
#include <QtCore/QUrl>
#include <QtGui/QFontDatabase>
#include <QtGui/QGuiApplication>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QFrame>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QVBoxLayout>

namespace frameline {
namespace {

/// Top-level rows (certificates) have internal id 0; a field row has its
/// certificate's row + 1.
constexpr quintptr kTopLevel = 0;

QString dateText(const QDateTime &time)
{
    if (!time.isValid())
        return TlsChainModel::tr("(unknown)");
    return TlsChainModel::tr("%1 UTC").arg(
        time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
}




} // namespace

// ---- TlsChainModel ----------------------------------------------------------------

TlsChainModel::TlsChainModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_colors(VerdictColors::fromPalette(QGuiApplication::palette()))
{ }

void TlsChainModel::setChain(
    const QList<CertificateInfo> &chain, const QDateTime &reference, Role peer)
{
    beginResetModel();
    m_chain = chain;
    m_reference = reference;
    m_peer = peer;
    endResetModel();
}

void TlsChainModel::clear()
{
    setChain({}, {}, Role::Server);
}

void TlsChainModel::setColors(const VerdictColors &colors)
{
    m_colors = colors;
    if (m_chain.isEmpty())
        return;
    Q_EMIT dataChanged(certificateIndex(0), certificateIndex(int(m_chain.size()) - 1, NoteColumn),
        {Qt::ForegroundRole, Qt::BackgroundRole});
    for (int c = 0; c < int(m_chain.size()); ++c)
        Q_EMIT dataChanged(fieldIndex(c, SubjectField, FieldColumn),
            fieldIndex(c, Sha1Field, NoteColumn), {Qt::ForegroundRole, Qt::BackgroundRole});
}

TlsChainModel::Validity TlsChainModel::validityAt(
    const CertificateInfo &certificate, const QDateTime &reference)
{
    if (!reference.isValid() || !certificate.notBefore.isValid() || !certificate.notAfter.isValid())
        return Validity::Unknown;
    if (reference < certificate.notBefore)
        return Validity::NotYetValid;
    if (reference > certificate.notAfter)
        return Validity::Expired;
    return Validity::Valid;
}

QString TlsChainModel::fingerprint(const QByteArray &digest)
{
    return QString::fromLatin1(digest.toHex(':').toUpper());
}

QModelIndex TlsChainModel::certificateIndex(int certificate, int column) const
{
    return index(certificate, column);
}

QModelIndex TlsChainModel::fieldIndex(int certificate, Field field, int column) const
{
    return index(field, column, certificateIndex(certificate));
}

QModelIndex TlsChainModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, kTopLevel);
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex TlsChainModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kTopLevel)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kTopLevel);
}

int TlsChainModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_chain.size());
    if (parent.internalId() == kTopLevel && parent.column() == 0)
        return FieldCount;
    return 0;
}

int TlsChainModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString TlsChainModel::certificateLabel(int certificate) const
{
    const CertificateInfo &info = m_chain[certificate];
    const bool selfSigned = info.subject == info.issuer;
    if (certificate == 0) {
        if (selfSigned)
            return m_peer == Role::Server ? tr("#1, the server's own, self-signed")
                                          : tr("#1, the client's own, self-signed");
        return m_peer == Role::Server ? tr("#1, the server's own") : tr("#1, the client's own");
    }
    return selfSigned ? tr("#%1, root (self-signed)").arg(certificate + 1)
                      : tr("#%1, issuer of #%2").arg(certificate + 1).arg(certificate);
}

QString TlsChainModel::certificateNote(int certificate) const
{
    switch (validityAt(m_chain[certificate], m_reference)) {
    case Validity::Valid:
        return tr("valid when the session started");
    case Validity::Expired:
        return tr("expired when the session started");
    case Validity::NotYetValid:
        return tr("not yet valid when the session started");
    case Validity::Unknown:
        break;
    }
    return tr("validity unknown");
}

QString TlsChainModel::fieldName(Field field) const
{
    switch (field) {
    case SubjectField:
        return tr("Subject");
    case IssuerField:
        return tr("Issuer");
    case NotBeforeField:
        return tr("Valid from");
    case NotAfterField:
        return tr("Valid until");
    case Sha256Field:
        return tr("SHA-256 fingerprint");
    case Sha1Field:
        return tr("SHA-1 fingerprint");
    case FieldCount:
        break;
    }
    return {};
}

QString TlsChainModel::fieldValue(int certificate, Field field) const
{
    const CertificateInfo &info = m_chain[certificate];
    switch (field) {
    case SubjectField:
        return info.subject;
    case IssuerField:
        return info.issuer;
    case NotBeforeField:
        return dateText(info.notBefore);
    case NotAfterField:
        return dateText(info.notAfter);
    case Sha256Field:
        return fingerprint(info.sha256);
    case Sha1Field:
        return fingerprint(info.sha1);
    case FieldCount:
        break;
    }
    return {};
}

QString TlsChainModel::fieldNote(int certificate, Field field) const
{
    const CertificateInfo &info = m_chain[certificate];
    const Validity validity = validityAt(info, m_reference);
    switch (field) {
    case IssuerField:
        if (info.issuer == info.subject)
            return tr("itself: the certificate is self-signed");
        if (certificate + 1 < m_chain.size() && m_chain[certificate + 1].subject == info.issuer)
            return tr("certificate #%1 of this chain").arg(certificate + 2);
        return tr("not in the chain the peer sent");
    case NotBeforeField:
        if (validity == Validity::NotYetValid) {
            const qint64 days = m_reference.daysTo(info.notBefore);
            return days > 0 ? tr("not yet valid: starts %n day(s) after the session started",
                       nullptr, int(days))
                            : tr("not yet valid: starts shortly after the session started");
        }
        return {};
    case NotAfterField: {
        if (validity == Validity::Expired) {
            const qint64 days = info.notAfter.daysTo(m_reference);
            return days > 0 ? tr("expired %n day(s) before the session started", nullptr, int(days))
                            : tr("expired shortly before the session started");
        }
        if (validity == Validity::Valid)
            return tr("%n day(s) left when the session started", nullptr,
                int(m_reference.daysTo(info.notAfter)));
        return {};
    }
    case Sha256Field:
    case Sha1Field:
    case SubjectField:
    case FieldCount:
        break;
    }
    return {};
}

bool TlsChainModel::isProblem(int certificate, int field) const
{
    const Validity validity = validityAt(m_chain[certificate], m_reference);
    if (field < 0)
        return validity == Validity::Expired || validity == Validity::NotYetValid;
    return (field == NotAfterField && validity == Validity::Expired)
        || (field == NotBeforeField && validity == Validity::NotYetValid);
}

QVariant TlsChainModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const bool topLevel = index.internalId() == kTopLevel;
    const int certificate = topLevel ? index.row() : int(index.internalId() - 1);
    const int field = topLevel ? -1 : index.row();
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: {
        QString text;
        if (topLevel) {
            text = column == FieldColumn ? certificateLabel(certificate)
                : column == ValueColumn  ? m_chain[certificate].subject
                                         : certificateNote(certificate);
        } else {
            text = column == FieldColumn ? fieldName(Field(field))
                : column == ValueColumn  ? fieldValue(certificate, Field(field))
                                         : fieldNote(certificate, Field(field));
        }
        if (role == Qt::ToolTipRole && !topLevel && (field == Sha256Field || field == Sha1Field))
            text = tr("%1\nA hash of the whole certificate (DER): compare it with one obtained "
                      "another way to know it is the same certificate.")
                       .arg(text);
        return role == Qt::DisplayRole ? QVariant(text) : QVariant(plainToolTip(text));
    }
    case Qt::FontRole:
        if (!topLevel && column == ValueColumn && (field == Sha256Field || field == Sha1Field))
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        return {};
    case Qt::ForegroundRole:
        if (isProblem(certificate, field))
            return m_colors.error;
        if (topLevel && column == NoteColumn
            && validityAt(m_chain[certificate], m_reference) == Validity::Valid)
            return m_colors.success;
        if (column == NoteColumn)
            return m_colors.muted;
        return {};
    case Qt::BackgroundRole:
        return isProblem(certificate, field) ? QVariant(m_colors.errorTint) : QVariant();
    case ProblemRole:
        return isProblem(certificate, field);
    default:
        return {};
    }
}

QVariant TlsChainModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case FieldColumn:
        return tr("Certificate");
    case ValueColumn:
        return tr("Value");
    case NoteColumn:
        return tr("Note");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags TlsChainModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags result = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.internalId() != kTopLevel)
        result |= Qt::ItemNeverHasChildren;
    return result;
}

// ---- TlsView ----------------------------------------------------------------------

TlsView::TlsView(SessionDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_colors(VerdictColors::fromPalette(palette()))
{
    m_banner = new VerdictBanner(this);
    m_bannerTitle = m_banner->titleLabel();
    m_bannerDetail = m_banner->detailLabel();

    m_warningFrame = new QFrame(this);
    m_warningFrame->setFrameShape(QFrame::StyledPanel);
    m_warningFrame->setAutoFillBackground(true);
    m_warning = plainTextLabel(m_warningFrame);
    QFont warningFont = m_warning->font();
    warningFont.setBold(true);
    m_warning->setFont(warningFont);
    auto *warningLayout = new QVBoxLayout(m_warningFrame);
    warningLayout->setContentsMargins(8, 6, 8, 6);
    warningLayout->addWidget(m_warning);

    m_details = new QWidget(this);
    m_protocol = plainTextLabel(m_details);
    m_cipher = plainTextLabel(m_details);
    m_alpn = plainTextLabel(m_details);
    m_verification = plainTextLabel(m_details);
    m_referenceLabel = plainTextLabel(m_details);
    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Protocol:"), m_protocol);
    form->addRow(tr("Cipher suite:"), m_cipher);
    form->addRow(tr("ALPN:"), m_alpn);
    form->addRow(tr("Verification:"), m_verification);
    form->addRow(tr("Validity judged at:"), m_referenceLabel);

    m_chainModel = new TlsChainModel(this);
    m_chainModel->setColors(m_colors);
    m_chainView = new QTreeView(m_details);
    m_chainView->setModel(m_chainModel);
    m_chainView->setUniformRowHeights(true);
    m_chainView->setAllColumnsShowFocus(true);
    // Fingerprints are long and must be read whole: the columns fit their contents (a
    // chain has a few dozen rows) and the view scrolls sideways when the pane is narrow.
    m_chainView->header()->setStretchLastSection(true);
    m_chainView->header()->setSectionResizeMode(
        TlsChainModel::FieldColumn, QHeaderView::ResizeToContents);
    m_chainView->header()->setSectionResizeMode(
        TlsChainModel::ValueColumn, QHeaderView::ResizeToContents);

    auto *detailsLayout = new QVBoxLayout(m_details);
    detailsLayout->setContentsMargins(6, 4, 0, 0);
    detailsLayout->addLayout(form);
    m_chainTitle = new QLabel(tr("Certificate chain, as the peer sent it:"), m_details);
    detailsLayout->addWidget(m_chainTitle);
    detailsLayout->addWidget(m_chainView, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addWidget(m_warningFrame);
    layout->addWidget(m_details, 1);
    layout->addStretch(0);

    connect(m_document, &SessionDocument::sessionReset, this, &TlsView::reset);
    connect(m_document, &SessionDocument::eventsAppended, this, &TlsView::append);
    reset();
}

TlsView::~TlsView() = default;

void TlsView::reset()
{
    m_tlsEvent = -1;
    m_errorEvent = -1;
    m_tcpConnected = false;
    m_pastTls = false;
    if (const Session *session = m_document->session(); session && session->eventCount() > 0)
        scan(*session, 0, session->eventCount() - 1);
    refresh();
}

void TlsView::append(quint32 first, quint32 last)
{
    const Session *session = m_document->session();
    if (session && scan(*session, first, last))
        refresh();
}

bool TlsView::scan(const Session &session, std::uint32_t first, std::uint32_t last)
{
    if (m_tlsEvent >= 0 || m_pastTls)
        return false;
    bool changed = false;
    for (std::uint32_t i = first; i <= last && i < session.eventCount(); ++i) {
        switch (session.event(i).kind) {
        case EventKind::TcpConnected:
            changed = changed || !m_tcpConnected;
            m_tcpConnected = true;
            break;
        case EventKind::TlsEstablished:
            m_tlsEvent = qint64(i);
            return true;
        case EventKind::Error:
            if (m_errorEvent < 0) {
                m_errorEvent = qint64(i);
                changed = true;
            }
            break;
        case EventKind::HandshakeRequest:
        case EventKind::HandshakeResponse:
        case EventKind::Frame:
            // TLS comes before the WebSocket handshake; past it, there is none to find.
            m_pastTls = true;
            return true;
        default:
            break;
        }
    }
    return changed;
}

void TlsView::refresh()
{
    const Session *session = m_document->session();
    m_warningFrame->hide();
    m_details->hide();
    m_chainModel->clear();
    if (!session) {
        m_state = State::NoSession;
        m_reference = {};
        setBanner(tr("No session"), tr("Connect, or open a saved session, to see its TLS layer."),
            Tone::Neutral);
        return;
    }
    m_reference = session->info().startedAt.isValid() ? session->info().startedAt.toUTC()
                                                      : QDateTime::currentDateTimeUtc();
    if (m_tlsEvent >= 0) {
        showEstablished(*session);
        return;
    }
    const bool secure
        = QUrl(session->info().url).scheme().compare(QLatin1StringView("wss"), Qt::CaseInsensitive)
        == 0;
    if (!secure) {
        m_state = State::NotEncrypted;
        setBanner(tr("Not encrypted: ws:// sends everything in clear text"),
            tr("Anyone on the path can read and change the handshake and every frame. A wss:// "
               "URL runs the same protocol inside TLS."),
            Tone::Warning);
        return;
    }
    if (m_errorEvent >= 0) {
        m_state = State::Failed;
        const auto *error = std::get_if<ErrorDetail>(&session->detail(std::uint32_t(m_errorEvent)));
        const QString message = error ? error->message : QString();
        setBanner(m_tcpConnected ? tr("The TLS handshake failed")
                                 : tr("No TLS: the TCP connection failed first"),
            message, Tone::Bad);
        return;
    }
    if (m_pastTls) {
        m_state = State::NotRecorded;
        setBanner(tr("Encrypted (wss://), but this recording has no TLS details"),
            tr("The session holds no TLS event, so its protocol version, cipher suite and "
               "certificates are unknown here."),
            Tone::Warning);
        return;
    }
    m_state = State::Negotiating;
    setBanner(tr("Negotiating TLS…"),
        m_tcpConnected ? tr("The TCP connection is up; the TLS handshake has not finished yet.")
                       : tr("Waiting for the TCP connection before TLS can start."),
        Tone::Neutral);
}

void TlsView::showEstablished(const Session &session)
{
    m_state = State::Established;
    const auto *tls = std::get_if<TlsDetail>(&session.detail(std::uint32_t(m_tlsEvent)));
    const TlsDetail detail = tls ? *tls : TlsDetail {};
    const Role local = session.info().localRole;
    const Role peer = local == Role::Client ? Role::Server : Role::Client;

    m_protocol->setText(detail.protocol.isEmpty() ? tr("(not recorded)") : detail.protocol);
    m_cipher->setText(detail.cipher.isEmpty() ? tr("(not recorded)") : detail.cipher);
    m_alpn->setText(
        detail.alpn.isEmpty() ? tr("none negotiated") : QString::fromLatin1(detail.alpn));

    const bool hasErrors = !detail.verificationErrors.isEmpty();
    if (hasErrors) {
        QStringList lines;
        for (const QString &error : detail.verificationErrors)
            lines.append(tr("✗ %1").arg(error));
        m_verification->setText(lines.join(u'\n'));
        setTextColor(m_verification, m_colors.error);
    } else if (local == Role::Server) {
        m_verification->setText(tr("Not checked: Frameline played the server, and does not "
                                   "verify clients."));
        setTextColor(m_verification, m_colors.muted);
    } else {
        m_verification->setText(tr("✓ OK: the certificate chain was verified for this host"));
        setTextColor(m_verification, m_colors.success);
    }
    m_referenceLabel->setText(session.info().startedAt.isValid()
            ? tr("%1, when the session started").arg(dateText(m_reference))
            : tr("%1, now: the session has no recorded start time").arg(dateText(m_reference)));

    if (hasErrors && detail.errorsAccepted) {
        m_warning->setText(tr("You accepted this certificate despite: %1")
                               .arg(detail.verificationErrors.join(QStringLiteral("; "))));
        setTint(m_warningFrame, m_colors.errorTint, m_colors.error);
        m_warningFrame->show();
    }

    m_chainModel->setChain(detail.chain, m_reference, peer);
    m_chainView->expandAll();
    m_chainTitle->setVisible(!detail.chain.isEmpty());
    m_chainView->setVisible(!detail.chain.isEmpty());
    m_details->show();

    QString summary;
    if (detail.chain.isEmpty())
        summary = peer == Role::Server ? tr("The server presented no certificate.")
                                       : tr("The client presented no certificate.");
    else
        summary = tr("%n certificate(s) in the chain.", nullptr, int(detail.chain.size()));
    setBanner(tr("Encrypted with %1").arg(detail.protocol.isEmpty() ? tr("TLS") : detail.protocol),
        summary, hasErrors ? Tone::Warning : Tone::Good);
}

void TlsView::setBanner(const QString &title, const QString &detail, Tone tone)
{
    m_banner->setMessage(title, detail, tone, m_colors);
}


void TlsView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange)
        return;
    m_colors = VerdictColors::fromPalette(palette());
    m_chainModel->setColors(m_colors);
    refresh();
}

} // namespace frameline
