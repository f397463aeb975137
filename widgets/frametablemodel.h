#pragma once

#include "session.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QCache>
#include <QtCore/QRegularExpression>
#include <QtGui/QFont>

#include <cstdint>
#include <vector>

namespace frameline {

class SessionDocument;

/// Which rows of a FrameTableModel pass. The text is matched, case-insensitively,
/// against each row's opcode name and payload preview (the strings the table shows).
struct FrameFilter
{
    enum class TextMode : std::uint8_t { Substring, RegularExpression };

    static constexpr std::uint16_t kAllOpcodes = 0xFFFF;

    QString text; ///< empty: any
    TextMode textMode = TextMode::Substring;
    std::uint16_t opcodes = kAllOpcodes; ///< bit n set: opcode n passes
    Direction direction = Direction::None; ///< None: both directions

    bool operator==(const FrameFilter &) const = default;
};

/// The frame list: one row per Frame event, per Message event, or both, of the
/// document's session, in event order.
///
/// Built to stay fast at a million rows, the way Wireshark's packet list is: the only
/// per-row state is a flat, sorted vector of the visible event indices; filtering
/// rebuilds that vector (no proxy model); display strings are made in data() when a
/// row is painted, and the costly one (the payload preview) is cached for the rows
/// recently shown; each batch of appended events becomes one row insertion.
class FrameTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NumberColumn,
        TimeColumn,
        DirectionColumn,
        OpcodeColumn,
        FinColumn,
        RsvColumn,
        MaskColumn,
        LengthColumn,
        PreviewColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum class RowKinds : std::uint8_t { Frames, Messages, Both };
    Q_ENUM(RowKinds)

    enum Role {
        EventIndexRole = Qt::UserRole + 1, ///< the row's event index (qint64)
        ProblemRole, ///< QStringList: rules the frame broke (see frameProblems())
    };

    /// Payload bytes shown in the preview column, and in its tooltip.
    static constexpr qsizetype kPreviewBytes = 64;
    static constexpr qsizetype kToolTipBytes = 1024;

    explicit FrameTableModel(SessionDocument *document, QObject *parent = nullptr);
    ~FrameTableModel() override;

    SessionDocument *document() const { return m_document; }

    RowKinds rowKinds() const { return m_rowKinds; }
    void setRowKinds(RowKinds kinds);

    const FrameFilter &filter() const { return m_filter; }
    /// Applies a filter (the rows are rebuilt). Returns false, changing nothing, when
    /// the filter's regular expression does not compile; filterError() says why.
    bool setFilter(const FrameFilter &filter);
    QString filterError() const { return m_filterError; }

    /// The event shown in a row, or -1 for a row that does not exist.
    qint64 eventAt(int row) const;
    /// The row showing an event, or -1 when the event is not a row (another kind,
    /// filtered out, not announced yet).
    int rowForEvent(qint64 event) const;
    /// Rows of the chosen kinds before filtering (the "of N" in "12 of N shown").
    int unfilteredRowCount() const { return int(m_candidates); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    void rowKindsChanged(frameline::FrameTableModel::RowKinds kinds);
    void filterChanged();

private:
    void reset();
    void rebuildRows();
    void appendEvents(quint32 first, quint32 last);
    bool isCandidate(const EventRecord &record) const;
    bool passes(std::uint32_t event) const;
    std::uint8_t opcodeOf(std::uint32_t event) const;
    QString preview(std::uint32_t event, qsizetype maxBytes) const;
    QString cachedPreview(std::uint32_t event) const;
    QString displayText(std::uint32_t event, int column) const;
    QStringList problems(std::uint32_t event) const;

    SessionDocument *m_document;
    std::vector<std::uint32_t> m_rows; // visible event indices, ascending
    std::uint32_t m_candidates = 0;
    RowKinds m_rowKinds = RowKinds::Frames;
    FrameFilter m_filter;
    QRegularExpression m_regex; // compiled m_filter.text in RegularExpression mode
    QString m_filterError;
    QFont m_fixedFont;
    mutable QCache<std::uint32_t, QString> m_previewCache;
};

/// Seconds since the session started with microsecond precision: "12.000345".
QString formatEventTime(std::int64_t timeNs);
/// The RSV bits as the table shows them: "1··" for RSV1 set, "···" for none.
QString formatRsvBits(bool rsv1, bool rsv2, bool rsv3);

} // namespace frameline
