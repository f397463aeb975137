#include "frametablemodel.h"

#include "eventpreview.h"
#include "frameproblems.h"
#include "plaintooltip.h"
#include "sessiondocument.h"

#include <QtGui/QColor>
#include <QtGui/QFontDatabase>

#include <algorithm>
#include <limits>

namespace frameline {
namespace {

// Tints laid over the row's own background: translucent, so they read on a light and
// a dark palette alike.
const QColor kControlTint(96, 128, 255, 40);
const QColor kProblemTint(255, 48, 48, 72);

constexpr int kPreviewCacheRows = 4096;

QVariant alignment(Qt::Alignment flags)
{
    return QVariant(int(flags));
}

} // namespace

QString formatEventTime(std::int64_t timeNs)
{
    const std::int64_t micros = timeNs / 1000;
    const std::uint64_t magnitude = micros < 0 ? std::uint64_t(-micros) : std::uint64_t(micros);
    return (micros < 0 ? QStringLiteral("-") : QString())
        + QStringLiteral("%1.%2")
              .arg(magnitude / 1000000)
              .arg(magnitude % 1000000, 6, 10, QLatin1Char('0'));
}

QString formatRsvBits(bool rsv1, bool rsv2, bool rsv3)
{
    const auto bit = [](bool set) {
        return QChar(set ? u'1' : u'\u00B7');
    };
    const QChar bits[] = {bit(rsv1), bit(rsv2), bit(rsv3)};
    return QString(bits, 3);
}

FrameTableModel::FrameTableModel(SessionDocument *document, QObject *parent)
    : QAbstractTableModel(parent)
    , m_document(document)
    , m_fixedFont(QFontDatabase::systemFont(QFontDatabase::FixedFont))
    , m_previewCache(kPreviewCacheRows)
{
    connect(m_document, &SessionDocument::sessionReset, this, &FrameTableModel::reset);
    connect(m_document, &SessionDocument::eventsAppended, this, &FrameTableModel::appendEvents);
    rebuildRows();
}

FrameTableModel::~FrameTableModel() = default;

void FrameTableModel::setRowKinds(RowKinds kinds)
{
    if (kinds == m_rowKinds)
        return;
    m_rowKinds = kinds;
    reset();
    Q_EMIT rowKindsChanged(kinds);
}

bool FrameTableModel::setFilter(const FrameFilter &filter)
{
    QRegularExpression regex;
    if (filter.textMode == FrameFilter::TextMode::RegularExpression && !filter.text.isEmpty()) {
        regex = QRegularExpression(filter.text, QRegularExpression::CaseInsensitiveOption);
        if (!regex.isValid()) {
            m_filterError = tr("Invalid regular expression: %1 (at character %2)")
                                .arg(regex.errorString())
                                .arg(regex.patternErrorOffset());
            return false;
        }
        regex.optimize();
    }
    m_filterError.clear();
    if (filter == m_filter)
        return true;
    m_filter = filter;
    m_regex = regex;
    reset();
    Q_EMIT filterChanged();
    return true;
}

qint64 FrameTableModel::eventAt(int row) const
{
    if (row < 0 || std::size_t(row) >= m_rows.size())
        return -1;
    return m_rows[std::size_t(row)];
}

int FrameTableModel::rowForEvent(qint64 event) const
{
    if (event < 0 || event > qint64(std::numeric_limits<std::uint32_t>::max()))
        return -1;
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), std::uint32_t(event));
    if (it == m_rows.end() || *it != std::uint32_t(event))
        return -1;
    return int(it - m_rows.begin());
}

int FrameTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FrameTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FrameTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const std::uint32_t event = m_rows[std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayText(event, column);
    case Qt::ToolTipRole: {
        QString tip;
        if (column == PreviewColumn) {
            tip = preview(event, kToolTipBytes);
            const Session *session = m_document->session();
            if (session->frameTruncated(event)) {
                tip += u'\n'
                    + tr("Only %1 of the frame's %2 bytes were captured.")
                          .arg(session->event(event).bytesLength)
                          .arg(session->frameHeader(event).frameSize());
            }
        } else {
            tip = problems(event).join(u'\n');
        }
        // Payload text is untrusted: escaped, so a tooltip never renders it as markup.
        return tip.isEmpty() ? QVariant() : QVariant(plainToolTip(tip));
    }
    case Qt::FontRole:
        if (column == PreviewColumn || column == MaskColumn || column == RsvColumn
            || column == FinColumn)
            return m_fixedFont;
        return {};
    case Qt::TextAlignmentRole:
        switch (column) {
        case NumberColumn:
        case TimeColumn:
        case LengthColumn:
            return alignment(Qt::AlignRight | Qt::AlignVCenter);
        case DirectionColumn:
        case FinColumn:
        case RsvColumn:
            return alignment(Qt::AlignCenter);
        default:
            return alignment(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case Qt::BackgroundRole: {
        const EventRecord &record = m_document->session()->event(event);
        if (record.kind != EventKind::Frame)
            return {};
        if (!problems(event).isEmpty())
            return kProblemTint;
        if (isControlOpcode(record.frameByte0 & 0x0F))
            return kControlTint;
        return {};
    }
    case EventIndexRole:
        return qint64(event);
    case ProblemRole:
        return problems(event);
    default:
        return {};
    }
}

QVariant FrameTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (Column(section)) {
        case NumberColumn:
            return tr("#");
        case TimeColumn:
            return tr("Time");
        case DirectionColumn:
            return tr("Direction");
        case OpcodeColumn:
            return tr("Opcode");
        case FinColumn:
            return tr("FIN");
        case RsvColumn:
            return tr("RSV");
        case MaskColumn:
            return tr("MASK");
        case LengthColumn:
            return tr("Length");
        case PreviewColumn:
            return tr("Preview");
        case ColumnCount:
            break;
        }
    } else if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case NumberColumn:
            return tr("Event number in the session");
        case TimeColumn:
            return tr("Seconds since the session started");
        case DirectionColumn:
            return tr("C→S: client to server; S→C: server to client");
        case OpcodeColumn:
            return tr("Frame opcode, or the opcode of a whole message");
        case FinColumn:
            return tr("FIN bit: 1 on the last frame of a message");
        case RsvColumn:
            return tr("RSV1, RSV2, RSV3 bits (RSV1 marks a compressed message)");
        case MaskColumn:
            return tr("Masking key, for masked frames");
        case LengthColumn:
            return tr("Payload length in bytes (message size for messages)");
        case PreviewColumn:
            return tr("The start of the payload: text as text, anything else as hex");
        case ColumnCount:
            break;
        }
    }
    return {};
}

Qt::ItemFlags FrameTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

void FrameTableModel::reset()
{
    beginResetModel();
    m_previewCache.clear(); // indices may now name events of another session
    rebuildRows();
    endResetModel();
}

void FrameTableModel::rebuildRows()
{
    m_rows.clear();
    m_candidates = 0;
    const Session *session = m_document->session();
    if (!session)
        return;
    const std::uint32_t count = m_document->eventCount();
    for (std::uint32_t i = 0; i < count; ++i) {
        if (!isCandidate(session->event(i)))
            continue;
        ++m_candidates;
        if (passes(i))
            m_rows.push_back(i);
    }
    // A narrow filter after a wide one should not keep the wide one's memory.
    if (m_rows.capacity() > 2 * m_rows.size() + 1024)
        m_rows.shrink_to_fit();
}

void FrameTableModel::appendEvents(quint32 first, quint32 last)
{
    const Session *session = m_document->session();
    if (!session || last < first)
        return;
    std::vector<std::uint32_t> added;
    for (std::uint32_t i = first; i <= last; ++i) {
        if (!isCandidate(session->event(i)))
            continue;
        ++m_candidates;
        if (passes(i))
            added.push_back(i);
    }
    if (added.empty())
        return;
    // Appended events have larger indices than every row, so the vector stays sorted.
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at + int(added.size()) - 1);
    m_rows.insert(m_rows.end(), added.begin(), added.end());
    endInsertRows();
}

bool FrameTableModel::isCandidate(const EventRecord &record) const
{
    switch (m_rowKinds) {
    case RowKinds::Frames:
        return record.kind == EventKind::Frame;
    case RowKinds::Messages:
        return record.kind == EventKind::Message;
    case RowKinds::Both:
        return record.kind == EventKind::Frame || record.kind == EventKind::Message;
    }
    return false;
}

bool FrameTableModel::passes(std::uint32_t event) const
{
    const EventRecord &record = m_document->session()->event(event);
    if (m_filter.direction != Direction::None && record.direction != m_filter.direction)
        return false;
    const std::uint8_t opcode = opcodeOf(event);
    if ((m_filter.opcodes & (1u << opcode)) == 0)
        return false;
    if (m_filter.text.isEmpty())
        return true;
    const QString name = QString::fromLatin1(opcodeName(opcode));
    // Not the cache: a filter pass over every row would only evict what is on screen.
    const QString shown = preview(event, kPreviewBytes);
    if (m_filter.textMode == FrameFilter::TextMode::RegularExpression)
        return m_regex.match(name).hasMatch() || m_regex.match(shown).hasMatch();
    return name.contains(m_filter.text, Qt::CaseInsensitive)
        || shown.contains(m_filter.text, Qt::CaseInsensitive);
}

std::uint8_t FrameTableModel::opcodeOf(std::uint32_t event) const
{
    const Session *session = m_document->session();
    const EventRecord &record = session->event(event);
    if (record.kind == EventKind::Frame)
        return record.frameByte0 & 0x0F;
    if (const auto *message = std::get_if<MessageDetail>(&session->detail(event)))
        return message->opcode & 0x0F;
    return 0;
}

QString FrameTableModel::preview(std::uint32_t event, qsizetype maxBytes) const
{
    return eventPayloadPreview(*m_document->session(), event, maxBytes);
}

QString FrameTableModel::cachedPreview(std::uint32_t event) const
{
    if (const QString *hit = m_previewCache.object(event))
        return *hit;
    const QString text = preview(event, kPreviewBytes);
    m_previewCache.insert(event, new QString(text));
    return text;
}

QString FrameTableModel::displayText(std::uint32_t event, int column) const
{
    const Session *session = m_document->session();
    const EventRecord &record = session->event(event);
    const bool frame = record.kind == EventKind::Frame;
    switch (Column(column)) {
    case NumberColumn:
        return QString::number(event);
    case TimeColumn:
        return formatEventTime(record.timeNs);
    case DirectionColumn:
        switch (record.direction) {
        case Direction::ClientToServer:
            return tr("C→S");
        case Direction::ServerToClient:
            return tr("S→C");
        case Direction::None:
            break;
        }
        return {};
    case OpcodeColumn: {
        const QString name = QString::fromLatin1(opcodeName(opcodeOf(event)));
        return frame ? name : tr("%1 message").arg(name);
    }
    case FinColumn:
        if (!frame)
            return {};
        return (record.frameByte0 & 0x80) ? QStringLiteral("1") : QStringLiteral("0");
    case RsvColumn:
        if (!frame)
            return {};
        return formatRsvBits(
            record.frameByte0 & 0x40, record.frameByte0 & 0x20, record.frameByte0 & 0x10);
    case MaskColumn:
        if (!frame || (record.frameByte1 & 0x80) == 0)
            return {};
        return QString::fromLatin1(
            QByteArray(reinterpret_cast<const char *>(record.maskKey.data()), 4).toHex());
    case LengthColumn:
        return QString::number(record.length);
    case PreviewColumn:
        return cachedPreview(event);
    case ColumnCount:
        break;
    }
    return {};
}

QStringList FrameTableModel::problems(std::uint32_t event) const
{
    const Session *session = m_document->session();
    const EventRecord &record = session->event(event);
    if (record.kind != EventKind::Frame)
        return {};
    return frameProblems(session->frameHeader(event), record.direction);
}

} // namespace frameline
