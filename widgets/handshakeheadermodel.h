#pragma once

#include "verdictcolors.h"
#include "handshakerecord.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>
#include <vector>

namespace frameline {

/// One row of the annotated handshake: the start line or a header of one head, what it
/// is for, and the checks the receiver of that head made on it.
struct HandshakeHeaderRow
{
    enum class Kind : std::uint8_t {
        StartLine, ///< request line or status line
        Header, ///< a header field as sent
        Missing, ///< a header a check looked for and did not find
    };

    HandshakeSide side = HandshakeSide::Request;
    Kind kind = Kind::Header;
    QString name;
    QString value;
    QString meaning;
    QList<HandshakeCheck> checks; ///< empty: no check was made on this row
};

/// The opening handshake as a table: one row per start line and header of the request,
/// then of the response, with the header's meaning and the verdict of the RFC 6455
/// checks made on it.
///
/// The verdicts are the recorded ones: the checks on the response were made by the
/// client, those on the request by the server, so each check belongs to a header of
/// the head it is recorded on. A check on a header that was not sent gets a row of its
/// own ("missing"), and one that names no header (method, version, status) goes to the
/// start line, so every check shows somewhere.
class HandshakeHeaderModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { SideColumn, NameColumn, ValueColumn, MeaningColumn, VerdictColumn, ColumnCount };
    Q_ENUM(Column)

    enum class Verdict : std::uint8_t { NotChecked, Passed, AdviceNotFollowed, Failed };
    Q_ENUM(Verdict)

    enum Role {
        VerdictRole = Qt::UserRole + 1, ///< Verdict of the row, as int
        SideRole, ///< HandshakeSide, as int
        FullTextRole, ///< the cell's text whole (the verdict column: one check a line)
    };

    explicit HandshakeHeaderModel(QObject *parent = nullptr);

    /// Shows this handshake. When only the response is new (it arrived after the
    /// request), its rows are inserted below the request's; otherwise the model resets.
    void setHandshake(const RecordedHandshake &handshake);
    void clear();
    void setColors(const VerdictColors &colors);
    /// Rows of this side are drawn bold (the current event is that head).
    void setHighlightedSide(std::optional<HandshakeSide> side);
    std::optional<HandshakeSide> highlightedSide() const { return m_highlighted; }

    const HandshakeHeaderRow &headerRow(int row) const { return m_rows[std::size_t(row)]; }
    /// The first row of `side` named `name` (case-insensitive), or -1.
    int findRow(HandshakeSide side, const QString &name) const;
    static Verdict verdictOf(const QList<HandshakeCheck> &checks);
    /// What a header is for, in a short phrase; headers outside the handshake say so.
    static QString headerMeaning(QByteArrayView name, HandshakeSide side);
    /// The verdict of a check as one line ("✓ as expected: …", "✗ expected …, got …"),
    /// naming the check when it is not the row's own header.
    static QString verdictText(const HandshakeCheck &check, bool withName = true);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    static std::vector<HandshakeHeaderRow> rowsFor(const RecordedHead &head, HandshakeSide side);
    static QString startLineMeaning(const HttpHead &head, HandshakeSide side);
    static QString verdictsOf(const HandshakeHeaderRow &row, const QString &separator);

    std::vector<HandshakeHeaderRow> m_rows;
    qint64 m_requestEvent = -1;
    qint64 m_responseEvent = -1;
    VerdictColors m_colors;
    std::optional<HandshakeSide> m_highlighted;
};

} // namespace frameline
