#include "handshakeview.h"

#include "handshakeheadermodel.h"
#include "handshakerawtext.h"
#include "sessiondocument.h"

#include <QtCore/QEvent>
#include <QtGui/QFontDatabase>
#include <QtGui/QTextCharFormat>
#include <QtGui/QTextCursor>
#include <QtWidgets/QFrame>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QVBoxLayout>

namespace frameline {
namespace {



QString statusLine(const HttpHead &head)
{
    return QStringLiteral("%1 %2").arg(head.statusCode).arg(QString::fromLatin1(head.reasonPhrase));
}

int sideIndex(HandshakeSide side)
{
    return side == HandshakeSide::Request ? 0 : 1;
}

} // namespace

HandshakeView::HandshakeView(SessionDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_colors(VerdictColors::fromPalette(palette()))
{
    m_banner = new VerdictBanner(this);
    m_bannerTitle = m_banner->titleLabel();
    m_bannerDetail = m_banner->detailLabel();

    m_headerModel = new HandshakeHeaderModel(this);
    m_headerModel->setColors(m_colors);
    m_headerView = new QTreeView(this);
    m_headerView->setModel(m_headerModel);
    m_headerView->setRootIsDecorated(false);
    m_headerView->setAllColumnsShowFocus(true);
    m_headerView->setUniformRowHeights(true);
    m_headerView->setWordWrap(false);
    QHeaderView *columns = m_headerView->header();
    columns->setStretchLastSection(false);
    columns->setSectionResizeMode(HandshakeHeaderModel::SideColumn, QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(HandshakeHeaderModel::NameColumn, QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(HandshakeHeaderModel::MeaningColumn, QHeaderView::Stretch);
    columns->resizeSection(HandshakeHeaderModel::ValueColumn, 220);
    columns->resizeSection(HandshakeHeaderModel::VerdictColumn, 300);

    // Meanings and verdicts are sentences, cut short in their cells: the selected row's
    // are shown whole below the table.
    m_headerDetail = plainTextLabel(this);
    m_headerDetail->setMargin(4);
    m_headerDetail->hide();
    connect(m_headerView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &HandshakeView::showHeaderDetail);
    connect(m_headerModel, &QAbstractItemModel::modelReset, this, &HandshakeView::showHeaderDetail);
    auto *headersPage = new QWidget(this);
    auto *headersLayout = new QVBoxLayout(headersPage);
    headersLayout->setContentsMargins(0, 0, 0, 0);
    headersLayout->setSpacing(2);
    headersLayout->addWidget(m_headerView, 1);
    headersLayout->addWidget(m_headerDetail);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(headersPage, tr("Headers"));
    m_tabs->addTab(createRawTab(), tr("Raw bytes"));
    m_tabs->addTab(createAcceptTab(), tr("Sec-WebSocket-Accept"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);

    connect(m_document, &SessionDocument::sessionReset, this, &HandshakeView::reset);
    connect(m_document, &SessionDocument::eventsAppended, this, &HandshakeView::append);
    connect(
        m_document, &SessionDocument::currentEventChanged, this, &HandshakeView::showCurrentEvent);
    reset();
}

HandshakeView::~HandshakeView() = default;

QWidget *HandshakeView::createRawTab()
{
    auto *split = new QSplitter(Qt::Vertical, this);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const HandshakeSide side : {HandshakeSide::Request, HandshakeSide::Response}) {
        auto *pane = new QWidget(split);
        auto *paneLayout = new QVBoxLayout(pane);
        paneLayout->setContentsMargins(0, 0, 0, 0);
        paneLayout->setSpacing(2);
        auto *title = plainTextLabel(pane, false);
        title->setMargin(2);
        auto *text = new QPlainTextEdit(pane);
        text->setReadOnly(true);
        text->setFont(fixed);
        text->setLineWrapMode(QPlainTextEdit::NoWrap);
        text->setToolTip(tr("The head byte for byte: \\r\\n marks each CRLF line end, \\t a tab, "
                            "\\xNN any other byte that is not printable ASCII, and \\\\ a "
                            "backslash."));
        paneLayout->addWidget(title);
        paneLayout->addWidget(text, 1);
        split->addWidget(pane);
        m_rawTitles[std::size_t(sideIndex(side))] = title;
        m_rawViews[std::size_t(sideIndex(side))] = text;
    }
    return split;
}

QWidget *HandshakeView::createAcceptTab()
{
    static const char *const kTitles[StepCount] = {
        QT_TR_NOOP("Sec-WebSocket-Key, from the request"),
        QT_TR_NOOP("The key followed by the GUID of RFC 6455 §1.3"),
        QT_TR_NOOP("SHA-1 of that string: 20 bytes, in hex"),
        QT_TR_NOOP("Base64 of those 20 bytes: the Sec-WebSocket-Accept the server must send"),
        QT_TR_NOOP("Sec-WebSocket-Accept, from the response"),
    };
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    auto *grid = new QGridLayout(content);
    grid->setColumnStretch(1, 1);
    grid->setVerticalSpacing(3);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (int step = 0; step < StepCount; ++step) {
        auto *number = new QLabel(QStringLiteral("%1.").arg(step + 1), content);
        auto *title = new QLabel(tr(kTitles[step]), content);
        QFont bold = title->font();
        bold.setBold(true);
        number->setFont(bold);
        title->setFont(bold);
        title->setWordWrap(true);
        auto *value = plainTextLabel(content, false);
        value->setFont(fixed);
        auto *note = plainTextLabel(content);
        const int row = step * 4;
        grid->addWidget(number, row, 0, Qt::AlignTop);
        grid->addWidget(title, row, 1);
        grid->addWidget(value, row + 1, 1);
        grid->addWidget(note, row + 2, 1);
        grid->setRowMinimumHeight(row + 3, 8);
        m_stepValues[std::size_t(step)] = value;
        m_stepNotes[std::size_t(step)] = note;
    }
    grid->setRowStretch(StepCount * 4, 1);
    scroll->setWidget(content);
    return scroll;
}

QPlainTextEdit *HandshakeView::rawView(HandshakeSide side) const
{
    return m_rawViews[std::size_t(sideIndex(side))];
}

QLabel *HandshakeView::rawTitle(HandshakeSide side) const
{
    return m_rawTitles[std::size_t(sideIndex(side))];
}

void HandshakeView::reset()
{
    const Session *session = m_document->session();
    m_handshake = session ? RecordedHandshake::find(*session) : RecordedHandshake {};
    m_headerModel->clear();
    refresh();
}

void HandshakeView::append(quint32 first, quint32 last)
{
    const Session *session = m_document->session();
    if (session && m_handshake.update(*session, first, last))
        refresh();
}

void HandshakeView::refresh()
{
    m_derivation = AcceptDerivation::derive(m_handshake);
    m_headerModel->setHandshake(m_handshake);
    showBanner();
    showRaw(HandshakeSide::Request);
    showRaw(HandshakeSide::Response);
    showDerivation();
    showCurrentEvent();
}

void HandshakeView::showCurrentEvent()
{
    const qint64 current = m_document->currentEvent();
    std::optional<HandshakeSide> side;
    if (current >= 0 && current == m_handshake.request.event)
        side = HandshakeSide::Request;
    else if (current >= 0 && current == m_handshake.response.event)
        side = HandshakeSide::Response;
    m_highlightedEvent = side ? current : -1;
    m_headerModel->setHighlightedSide(side);
    for (const HandshakeSide s : {HandshakeSide::Request, HandshakeSide::Response}) {
        QLabel *title = rawTitle(s);
        const bool on = side == s;
        title->setAutoFillBackground(on);
        title->setBackgroundRole(on ? QPalette::Highlight : QPalette::Window);
        title->setForegroundRole(on ? QPalette::HighlightedText : QPalette::WindowText);
    }
}

void HandshakeView::showHeaderDetail()
{
    const QModelIndex current = m_headerView->currentIndex();
    if (!current.isValid()) {
        m_headerDetail->hide();
        return;
    }
    const int row = current.row();
    const auto column = [&](int c) {
        return m_headerModel->index(row, c).data().toString();
    };
    QStringList lines;
    lines.append(tr("%1: %2").arg(
        column(HandshakeHeaderModel::NameColumn), column(HandshakeHeaderModel::ValueColumn)));
    lines.append(column(HandshakeHeaderModel::MeaningColumn));
    lines.append(m_headerModel->index(row, HandshakeHeaderModel::VerdictColumn)
                     .data(HandshakeHeaderModel::FullTextRole)
                     .toString());
    m_headerDetail->setText(lines.join(u'\n'));
    const auto verdict = HandshakeHeaderModel::Verdict(
        m_headerModel->index(row, 0).data(HandshakeHeaderModel::VerdictRole).toInt());
    setTextColor(m_headerDetail,
        verdict == HandshakeHeaderModel::Verdict::Failed ? m_colors.error : QColor());
    m_headerDetail->show();
}

void HandshakeView::showBanner()
{
    const RecordedHandshake &h = m_handshake;
    const QString reason = h.failureReason();
    if (!m_document->session()) {
        m_state = State::NoSession;
        setBanner(tr("No session"),
            tr("Connect, or open a saved session, to see its opening "
               "handshake."),
            Tone::Neutral);
        return;
    }
    if (h.isEmpty()) {
        m_state = State::NoHandshake;
        if (h.errorEvent >= 0)
            setBanner(tr("No opening handshake"),
                tr("The connection failed before the handshake: %1").arg(h.errorMessage),
                Tone::Bad);
        else if (h.over)
            setBanner(tr("No opening handshake recorded"),
                tr("This session starts with frames: its opening handshake was not captured."),
                Tone::Neutral);
        else
            setBanner(tr("No opening handshake yet"),
                tr("The HTTP Upgrade request and its answer appear here when they are sent."),
                Tone::Neutral);
        return;
    }
    if (!h.response.present()) {
        if (h.errorEvent > h.request.event) {
            m_state = State::NoResponse;
            setBanner(tr("No answer to the upgrade request"),
                reason.isEmpty() ? h.errorMessage : reason, Tone::Bad);
        } else {
            m_state = State::WaitingForResponse;
            setBanner(tr("Waiting for the server's answer"),
                tr("The upgrade request was sent; the server has not answered yet."),
                Tone::Neutral);
        }
        return;
    }
    const HttpHead &response = h.response.detail.head;
    if (response.statusCode != 101 && response.statusCode != 0) {
        // RFC 6455 §4.1: any status other than 101 means there is no WebSocket.
        m_state = State::Refused;
        setBanner(tr("Upgrade refused: %1").arg(statusLine(response)),
            reason.isEmpty()
                ? tr("The server answered %1 instead of 101 Switching Protocols; the connection "
                     "never became a WebSocket.")
                      .arg(statusLine(response))
                : reason,
            Tone::Bad);
        return;
    }
    const bool accepted = h.response.detail.accepted || h.request.detail.accepted;
    if (!reason.isEmpty() || response.statusCode == 0 || (h.hasChecks() && !accepted)) {
        m_state = State::Rejected;
        setBanner(tr("Handshake failed"),
            reason.isEmpty() ? tr("The answer could not be read as an HTTP response.") : reason,
            Tone::Bad);
        return;
    }
    m_state = State::Accepted;
    QStringList details;
    const HandshakeDetail &outcome = h.response.detail;
    if (!outcome.subprotocol.isEmpty())
        details.append(tr("Subprotocol: %1").arg(QString::fromLatin1(outcome.subprotocol)));
    if (!outcome.extensions.isEmpty())
        details.append(
            tr("Extensions: %1").arg(QString::fromLatin1(formatExtensionList(outcome.extensions))));
    if (!h.hasChecks())
        details.append(tr("No RFC checks were recorded with this handshake; only the "
                          "Sec-WebSocket-Accept derivation is computed here."));
    if (details.isEmpty())
        details.append(tr("Every check of RFC 6455 §4 passed; the connection speaks WebSocket."));
    setBanner(tr("Accepted: %1").arg(statusLine(response)), details.join(u'\n'),
        h.hasChecks() ? Tone::Good : Tone::Warning);
}

void HandshakeView::setBanner(const QString &title, const QString &detail, Tone tone)
{
    m_banner->setMessage(title, detail, tone, m_colors);
}


void HandshakeView::showRaw(HandshakeSide side)
{
    const RecordedHead &head = m_handshake.head(side);
    QPlainTextEdit *text = rawView(side);
    QLabel *title = rawTitle(side);
    const bool request = side == HandshakeSide::Request;
    text->clear();
    if (!head.present()) {
        title->setText(
            request ? tr("Request (client to server)") : tr("Response (server to client)"));
        text->setPlaceholderText(request ? tr("No request recorded") : tr("No response recorded"));
        return;
    }
    title->setText(request ? tr("Request (client to server), %1 bytes, event #%2")
                                 .arg(head.raw.size())
                                 .arg(head.event)
                           : tr("Response (server to client), %1 bytes, event #%2")
                                 .arg(head.raw.size())
                                 .arg(head.event));
    QTextCharFormat plain;
    QTextCharFormat marker;
    marker.setForeground(m_colors.muted);
    QTextCharFormat escape;
    escape.setForeground(m_colors.error);
    escape.setBackground(m_colors.errorTint);
    QTextCursor cursor(text->document());
    for (const RawHeadText::Run &run : RawHeadText::runs(head.raw)) {
        switch (run.kind) {
        case RawHeadText::RunKind::Text:
            cursor.insertText(run.text, plain);
            break;
        case RawHeadText::RunKind::LineEnd:
            cursor.insertText(run.text, marker);
            break;
        case RawHeadText::RunKind::Escape:
            cursor.insertText(run.text, escape);
            break;
        }
    }
    text->moveCursor(QTextCursor::Start);
}

void HandshakeView::setStep(Step step, const QString &value, const QString &note, Tone tone)
{
    m_stepValues[step]->setText(value);
    m_stepNotes[step]->setText(note);
    m_stepNotes[step]->setVisible(!note.isEmpty());
    setTextColor(m_stepNotes[step], m_colors.text(tone));
}

void HandshakeView::showDerivation()
{
    const AcceptDerivation &d = m_derivation;
    using Outcome = AcceptDerivation::Outcome;
    const QString none = QStringLiteral("—");
    if (d.outcome == Outcome::NoRequest || d.outcome == Outcome::NoKey) {
        setStep(KeyStep, none,
            d.outcome == Outcome::NoRequest
                ? tr("No request recorded.")
                : tr("✗ The request has no Sec-WebSocket-Key; RFC 6455 §4.1 requires one, and "
                     "without it there is nothing to derive."),
            d.outcome == Outcome::NoRequest ? Tone::Neutral : Tone::Bad);
        for (const Step step : {ConcatenationStep, Sha1Step, Base64Step})
            setStep(step, none, {}, Tone::Neutral);
    } else {
        // RFC 6455 §4.1: exactly one key, the base64 (padded) of a 16-byte nonce.
        QString keyNote;
        if (d.keys.size() > 1)
            keyNote = tr("✗ %n Sec-WebSocket-Key fields; RFC 6455 §4.2.1 allows exactly one. "
                         "The first is used below.",
                nullptr, int(d.keys.size()));
        else if (!d.keyIsBase64)
            keyNote = tr("✗ Not valid base64; RFC 6455 §4.1 requires the base64 of 16 random "
                         "bytes.");
        else if (d.nonce.size() != 16)
            keyNote = tr("✗ Decodes to %n byte(s); RFC 6455 §4.1 requires 16.", nullptr,
                int(d.nonce.size()));
        else if (!d.keyValid)
            keyNote = tr("✗ Decodes to 16 bytes but is not padded to 24 characters "
                         "(RFC 4648 §4, RFC 6455 §4.1).");
        else
            keyNote = tr("✓ Base64 of 16 bytes, as RFC 6455 §4.1 requires: %1")
                          .arg(QString::fromLatin1(d.nonce.toHex(' ')));
        setStep(KeyStep, QString::fromLatin1(d.keys.join(", ")), keyNote,
            d.keyValid ? Tone::Good : Tone::Bad);
        setStep(ConcatenationStep, QString::fromLatin1(d.concatenated),
            tr("The key exactly as sent (%1 characters), then the fixed GUID %2.")
                .arg(d.key.size())
                .arg(QLatin1StringView(kWebSocketGuid)),
            Tone::Neutral);
        setStep(Sha1Step, QString::fromLatin1(d.sha1.toHex(' ')),
            tr("SHA-1 over the %1 bytes of step 2.").arg(d.concatenated.size()), Tone::Neutral);
        setStep(Base64Step, QString::fromLatin1(d.computed),
            tr("Only a server that read this request's key can send this value."), Tone::Neutral);
    }

    const QString received = QString::fromLatin1(d.received.join(", "));
    switch (d.outcome) {
    case Outcome::NoRequest:
    case Outcome::NoKey:
    case Outcome::NoResponse:
        if (!m_handshake.response.present()) {
            setStep(ComparisonStep, none,
                m_handshake.errorEvent >= 0
                    ? tr("No response was recorded: %1").arg(m_handshake.errorMessage)
                    : tr("No response recorded yet."),
                m_handshake.errorEvent >= 0 ? Tone::Bad : Tone::Neutral);
            break;
        }
        setStep(ComparisonStep, received.isEmpty() ? none : received,
            tr("Nothing to compare with: the request carried no usable key."), Tone::Bad);
        break;
    case Outcome::NoAcceptHeader:
        if (d.statusCode != 101)
            setStep(ComparisonStep, none,
                tr("The server answered %1 and so sent no Sec-WebSocket-Accept: it refused "
                   "the upgrade.")
                    .arg(statusLine(m_handshake.response.detail.head)),
                Tone::Warning);
        else
            setStep(ComparisonStep, none,
                tr("✗ Missing: a 101 answer must carry Sec-WebSocket-Accept (RFC 6455 §4.1). "
                   "Expected %1.")
                    .arg(QString::fromLatin1(d.computed)),
                Tone::Bad);
        break;
    case Outcome::Match:
        setStep(ComparisonStep, received,
            tr("✓ Matches step 4: the server read this request's key (RFC 6455 §4.2.2)."),
            Tone::Good);
        break;
    case Outcome::Mismatch:
        if (d.received.size() > 1)
            setStep(ComparisonStep, received,
                tr("✗ %n Sec-WebSocket-Accept fields; exactly one is allowed (RFC 6455 §4.1). "
                   "Expected %1.",
                    nullptr, int(d.received.size()))
                    .arg(QString::fromLatin1(d.computed)),
                Tone::Bad);
        else
            setStep(ComparisonStep, received,
                tr("✗ Does not match: expected %1, got %2 (RFC 6455 §4.1).")
                    .arg(QString::fromLatin1(d.computed), received),
                Tone::Bad);
        break;
    }
}

void HandshakeView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange)
        return;
    // Colours are derived from the palette, and the raw text has them baked in. (The
    // palettes set on children here do not come back to this widget as a change.)
    m_colors = VerdictColors::fromPalette(palette());
    m_headerModel->setColors(m_colors);
    refresh();
    showHeaderDetail();
}

} // namespace frameline
