#include "fieldtreemodel.h"

#include "plaintooltip.h"

#include <QtGui/QColor>
#include <QtGui/QFont>
#include <QtGui/QFontDatabase>

namespace frameline {

/// A node with the links an item model needs (parent, row), children owned.
struct FieldTreeModel::Item
{
    FieldNode field; // without its children: those are Items below
    Item *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Item>> children;

    static void adopt(Item &parent, std::vector<FieldNode> nodes)
    {
        parent.children.reserve(nodes.size());
        for (FieldNode &node : nodes) {
            auto item = std::make_unique<Item>();
            std::vector<FieldNode> grandChildren = std::move(node.children);
            node.children.clear();
            item->field = std::move(node);
            item->parent = &parent;
            item->row = int(parent.children.size());
            adopt(*item, std::move(grandChildren));
            parent.children.push_back(std::move(item));
        }
    }
};

FieldTreeModel::FieldTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Item>())
{ }

FieldTreeModel::~FieldTreeModel() = default;

void FieldTreeModel::setFields(std::vector<FieldNode> topLevel)
{
    beginResetModel();
    m_root = std::make_unique<Item>();
    Item::adopt(*m_root, std::move(topLevel));
    endResetModel();
}

FieldTreeModel::Item *FieldTreeModel::itemAt(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Item *>(index.internalPointer()) : m_root.get();
}

QModelIndex FieldTreeModel::indexOf(const Item *item, int column) const
{
    if (!item || item == m_root.get())
        return {};
    return createIndex(item->row, column, const_cast<Item *>(item));
}

const FieldNode *FieldTreeModel::node(const QModelIndex &index) const
{
    return index.isValid() ? &itemAt(index)->field : nullptr;
}

QModelIndex FieldTreeModel::indexForByte(qint64 offset) const
{
    const Item *best = nullptr;
    // Depth first, in tree order; a strictly narrower range wins, so for byte 0 the
    // FIN bit (1 byte) beats the whole frame, and FIN beats RSV1 on the same byte.
    std::vector<const Item *> stack;
    for (auto it = m_root->children.rbegin(); it != m_root->children.rend(); ++it)
        stack.push_back(it->get());
    while (!stack.empty()) {
        const Item *item = stack.back();
        stack.pop_back();
        const FieldNode &f = item->field;
        if (f.coversBytes() && offset >= f.byteOffset && offset - f.byteOffset < f.byteLength
            && (!best || f.byteLength < best->field.byteLength))
            best = item;
        for (auto it = item->children.rbegin(); it != item->children.rend(); ++it)
            stack.push_back(it->get());
    }
    return indexOf(best);
}

QModelIndex FieldTreeModel::findByName(const QString &name, const QModelIndex &parent) const
{
    const Item *item = itemAt(parent);
    for (const auto &child : item->children) {
        if (child->field.name == name)
            return indexOf(child.get());
        const QModelIndex found = findByName(name, indexOf(child.get()));
        if (found.isValid())
            return found;
    }
    return {};
}

QStringList FieldTreeModel::namePath(const QModelIndex &index) const
{
    QStringList path;
    for (const Item *item = index.isValid() ? itemAt(index) : nullptr; item && item != m_root.get();
         item = item->parent)
        path.prepend(item->field.name);
    return path;
}

QModelIndex FieldTreeModel::indexForPath(const QStringList &path) const
{
    const Item *item = m_root.get();
    for (const QString &name : path) {
        const Item *next = nullptr;
        for (const auto &child : item->children) {
            if (child->field.name == name) {
                next = child.get();
                break;
            }
        }
        if (!next)
            break;
        item = next;
    }
    return indexOf(item);
}

QModelIndex FieldTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return indexOf(itemAt(parent)->children[std::size_t(row)].get(), column);
}

QModelIndex FieldTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(itemAt(child)->parent);
}

int FieldTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(itemAt(parent)->children.size());
}

int FieldTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant FieldTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const FieldNode &f = itemAt(index)->field;
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case NameColumn:
            return f.name;
        case ValueColumn:
            return f.value;
        case MeaningColumn:
            return f.meaning;
        case BitsColumn:
            return f.bits;
        case PositionColumn:
            return f.position;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        // Long values and meanings are cut off by the column; the tooltip shows them
        // whole, escaped (values can come from the peer and must never act as markup).
        if (index.column() == ValueColumn && !f.value.isEmpty())
            return plainToolTip(f.value);
        if (index.column() == MeaningColumn && !f.meaning.isEmpty())
            return plainToolTip(f.meaning);
        return {};
    case Qt::FontRole:
        if (index.column() == BitsColumn)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        return {};
    case Qt::BackgroundRole:
        // Translucent, so it reads on light and dark palettes.
        return f.problem ? QVariant(QColor(255, 48, 48, 72)) : QVariant();
    case ByteOffsetRole:
        return f.byteOffset;
    case ByteLengthRole:
        return f.byteLength;
    case LinkedEventRole:
        return f.linkedEvent;
    default:
        return {};
    }
}

QVariant FieldTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Field");
    case ValueColumn:
        return tr("Value");
    case MeaningColumn:
        return tr("Meaning");
    case BitsColumn:
        return tr("Bits");
    case PositionColumn:
        return tr("Position");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags FieldTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags result = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (itemAt(index)->children.empty())
        result |= Qt::ItemNeverHasChildren;
    return result;
}

} // namespace frameline
