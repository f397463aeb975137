#include "framedetailview.h"

#include "eventfields.h"
#include "sessiondocument.h"

#include <QtWidgets/QHeaderView>

namespace frameline {

FrameDetailView::FrameDetailView(SessionDocument *document, QWidget *parent)
    : QTreeView(parent)
    , m_document(document)
    , m_model(new FieldTreeModel(this))
{
    setModel(m_model);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAllColumnsShowFocus(true);
    header()->setStretchLastSection(true);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    header()->resizeSection(FieldTreeModel::NameColumn, digit * 24);
    header()->resizeSection(FieldTreeModel::ValueColumn, digit * 22);
    header()->resizeSection(FieldTreeModel::MeaningColumn, digit * 44);
    header()->resizeSection(FieldTreeModel::BitsColumn, digit * 11);

    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) { rowChanged(current); });
    connect(this, &QAbstractItemView::activated, this, &FrameDetailView::followLink);
    connect(m_document, &SessionDocument::currentEventChanged, this,
        &FrameDetailView::showCurrentEvent);
    connect(m_document, &SessionDocument::sessionReset, this, &FrameDetailView::showCurrentEvent);
    showCurrentEvent();
}

void FrameDetailView::selectFieldAt(qint64 byteOffset)
{
    const QModelIndex index = m_model->indexForByte(byteOffset);
    if (!index.isValid()) {
        selectionModel()->clear();
        Q_EMIT fieldSelected(-1, 0);
        return;
    }
    setCurrentIndex(index);
    scrollTo(index);
}

void FrameDetailView::showCurrentEvent()
{
    const Session *session = m_document->session();
    const qint64 event = m_document->currentEvent();
    // Kept across the reset below, which clears the selection.
    const QStringList path = m_selectedPath;
    m_event = session && event >= 0 ? event : -1;
    if (m_event < 0)
        m_model->clear();
    else
        m_model->setFields(EventFields::describe(*session, std::uint32_t(m_event)));
    expandToDepth(1);
    m_selectedPath = path;

    const QModelIndex again = m_model->indexForPath(path);
    if (again.isValid() && m_model->namePath(again) == path) {
        setCurrentIndex(again);
        scrollTo(again);
    } else {
        Q_EMIT fieldSelected(-1, 0);
    }
}

void FrameDetailView::rowChanged(const QModelIndex &current)
{
    if (!current.isValid())
        return;
    m_selectedPath = m_model->namePath(current);
    const FieldNode *field = m_model->node(current);
    if (field->coversBytes())
        Q_EMIT fieldSelected(field->byteOffset, field->byteLength);
    else
        Q_EMIT fieldSelected(-1, 0);
}

void FrameDetailView::followLink(const QModelIndex &index)
{
    const FieldNode *field = m_model->node(index);
    if (field && field->linkedEvent >= 0)
        m_document->setCurrentEvent(field->linkedEvent);
}

} // namespace frameline
