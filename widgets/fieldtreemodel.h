#pragma once

#include <QtCore/QAbstractItemModel>
#include <QtCore/QString>

#include <memory>
#include <vector>

namespace frameline {

/// One row of a protocol-analyzer field tree: a field's name, its value, what the
/// value means, the bits it occupies ("1··· ····") and where it sits ("byte 0, bit 0"),
/// plus the bytes it covers in the bytes shown next to the tree (-1: none).
struct FieldNode
{
    QString name;
    QString value;
    QString meaning;
    QString bits;
    QString position;
    qint64 byteOffset = -1;
    qint64 byteLength = 0;
    qint64 linkedEvent = -1; ///< another event this row stands for (a message's frame)
    bool problem = false; ///< the field breaks a rule; shown tinted
    std::vector<FieldNode> children;

    FieldNode &add(FieldNode child)
    {
        children.push_back(std::move(child));
        return children.back();
    }
    bool coversBytes() const { return byteOffset >= 0 && byteLength > 0; }
};

/// A read-only item model over a FieldNode tree. The tree is replaced whole (a reset)
/// whenever another event is shown; it is small (tens of rows), so nothing is lazy.
class FieldTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, ValueColumn, MeaningColumn, BitsColumn, PositionColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        ByteOffsetRole = Qt::UserRole + 1, ///< qint64, -1 when the row covers no bytes
        ByteLengthRole, ///< qint64
        LinkedEventRole, ///< qint64, -1 when none
    };

    explicit FieldTreeModel(QObject *parent = nullptr);
    ~FieldTreeModel() override;

    /// Shows these top-level rows (an empty list clears the tree).
    void setFields(std::vector<FieldNode> topLevel);
    void clear() { setFields({}); }

    /// The node behind an index (nullptr for the root).
    const FieldNode *node(const QModelIndex &index) const;
    /// The most specific row covering this byte: the narrowest range containing it,
    /// the first in tree order among equals. Invalid when no row covers it.
    QModelIndex indexForByte(qint64 offset) const;
    /// The first row (depth first) whose name is `name`, for tests and restoring a
    /// selection across events.
    QModelIndex findByName(const QString &name, const QModelIndex &parent = {}) const;
    /// The names from the top level down to `index`.
    QStringList namePath(const QModelIndex &index) const;
    /// The row at the end of a name path, or the deepest prefix of it that exists.
    QModelIndex indexForPath(const QStringList &path) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    struct Item;
    Item *itemAt(const QModelIndex &index) const;
    QModelIndex indexOf(const Item *item, int column = 0) const;

    std::unique_ptr<Item> m_root;
};

} // namespace frameline
