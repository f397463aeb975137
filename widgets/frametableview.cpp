#include "frametableview.h"

#include "sessiondocument.h"

#include <QtCore/QTimer>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

namespace frameline {
namespace {

// Typing waits this long before the model is filtered: at a million rows a rebuild
// per keystroke would make the line edit lag.
constexpr int kFilterDelayMs = 250;

constexpr std::uint16_t bit(Opcode opcode)
{
    return std::uint16_t(1u << std::uint8_t(opcode));
}

constexpr std::uint16_t kDataOpcodes
    = bit(Opcode::Continuation) | bit(Opcode::Text) | bit(Opcode::Binary);
constexpr std::uint16_t kControlOpcodes
    = bit(Opcode::Close) | bit(Opcode::Ping) | bit(Opcode::Pong);
constexpr std::uint16_t kReservedOpcodes = std::uint16_t(~(kDataOpcodes | kControlOpcodes));

} // namespace

FrameTableView::FrameTableView(SessionDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_model(new FrameTableModel(document, this))
{
    buildFilterBar();

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Uniform row heights: the view never measures rows, whatever their number.
    QHeaderView *rows = m_table->verticalHeader();
    rows->setVisible(false);
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 4);
    QHeaderView *columns = m_table->horizontalHeader();
    columns->setStretchLastSection(true);
    columns->setHighlightSections(false);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    columns->resizeSection(FrameTableModel::NumberColumn, digit * 8);
    columns->resizeSection(FrameTableModel::TimeColumn, digit * 12);
    columns->resizeSection(FrameTableModel::DirectionColumn, digit * 6);
    columns->resizeSection(FrameTableModel::OpcodeColumn, digit * 16);
    columns->resizeSection(FrameTableModel::FinColumn, digit * 4);
    columns->resizeSection(FrameTableModel::RsvColumn, digit * 5);
    columns->resizeSection(FrameTableModel::MaskColumn, digit * 10);
    columns->resizeSection(FrameTableModel::LengthColumn, digit * 9);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filterEdit, 1);
    bar->addWidget(m_regexButton);
    bar->addWidget(m_opcodeCombo);
    bar->addWidget(m_directionCombo);
    bar->addWidget(m_rowKindsCombo);
    bar->addWidget(m_countLabel);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) { tableCurrentChanged(current); });
    connect(m_document, &SessionDocument::currentEventChanged, this,
        &FrameTableView::selectCurrentEvent);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        selectCurrentEvent();
        updateCount();
    });
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this,
        &FrameTableView::rememberScrollPosition);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &FrameTableView::followNewRows);
    // After the model's own handler: appended events that were all filtered out still
    // change the total.
    connect(m_document, &SessionDocument::eventsAppended, this, &FrameTableView::updateCount);
    updateCount();
}

void FrameTableView::buildFilterBar()
{
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setPlaceholderText(tr("Filter: opcode or payload text"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(kFilterDelayMs);
    connect(m_filterEdit, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterEdit, &QLineEdit::returnPressed, this, &FrameTableView::applyFilter);
    connect(m_filterDelay, &QTimer::timeout, this, &FrameTableView::applyFilter);

    m_regexButton = new QToolButton(this);
    m_regexButton->setText(QStringLiteral(".*"));
    m_regexButton->setCheckable(true);
    m_regexButton->setToolTip(tr("Match the filter text as a regular expression"));
    connect(m_regexButton, &QToolButton::toggled, this, &FrameTableView::applyFilter);

    m_opcodeCombo = new QComboBox(this);
    m_opcodeCombo->addItem(tr("All opcodes"), int(FrameFilter::kAllOpcodes));
    m_opcodeCombo->addItem(tr("Data frames"), int(kDataOpcodes));
    m_opcodeCombo->addItem(tr("Control frames"), int(kControlOpcodes));
    m_opcodeCombo->addItem(tr("Text"), int(bit(Opcode::Text)));
    m_opcodeCombo->addItem(tr("Binary"), int(bit(Opcode::Binary)));
    m_opcodeCombo->addItem(tr("Continuation"), int(bit(Opcode::Continuation)));
    m_opcodeCombo->addItem(tr("Close"), int(bit(Opcode::Close)));
    m_opcodeCombo->addItem(tr("Ping"), int(bit(Opcode::Ping)));
    m_opcodeCombo->addItem(tr("Pong"), int(bit(Opcode::Pong)));
    m_opcodeCombo->addItem(tr("Reserved opcodes"), int(kReservedOpcodes));
    connect(m_opcodeCombo, &QComboBox::currentIndexChanged, this, &FrameTableView::applyFilter);

    m_directionCombo = new QComboBox(this);
    m_directionCombo->addItem(tr("Both directions"), int(Direction::None));
    m_directionCombo->addItem(tr("C→S only"), int(Direction::ClientToServer));
    m_directionCombo->addItem(tr("S→C only"), int(Direction::ServerToClient));
    connect(m_directionCombo, &QComboBox::currentIndexChanged, this, &FrameTableView::applyFilter);

    m_rowKindsCombo = new QComboBox(this);
    m_rowKindsCombo->addItem(tr("Frames"), int(FrameTableModel::RowKinds::Frames));
    m_rowKindsCombo->addItem(tr("Messages"), int(FrameTableModel::RowKinds::Messages));
    m_rowKindsCombo->addItem(tr("Frames and messages"), int(FrameTableModel::RowKinds::Both));
    connect(m_rowKindsCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_model->setRowKinds(FrameTableModel::RowKinds(m_rowKindsCombo->currentData().toInt()));
    });

    m_countLabel = new QLabel(this);
}

void FrameTableView::applyFilter()
{
    m_filterDelay->stop();
    FrameFilter filter;
    filter.text = m_filterEdit->text();
    filter.textMode = m_regexButton->isChecked() ? FrameFilter::TextMode::RegularExpression
                                                 : FrameFilter::TextMode::Substring;
    filter.opcodes = std::uint16_t(m_opcodeCombo->currentData().toInt());
    filter.direction = Direction(m_directionCombo->currentData().toInt());
    if (!m_model->setFilter(filter)) {
        // The last good filter stays applied; say what is wrong with the new one.
        m_filterEdit->setToolTip(m_model->filterError());
        m_countLabel->setText(m_model->filterError());
        return;
    }
    m_filterEdit->setToolTip(QString());
    updateCount();
}

void FrameTableView::selectCurrentEvent()
{
    const int row = m_model->rowForEvent(m_document->currentEvent());
    QItemSelectionModel *selection = m_table->selectionModel();
    m_syncing = true;
    if (row >= 0) {
        const QModelIndex index = m_model->index(row, 0);
        selection->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_table->scrollTo(index);
    } else {
        // The current event is not a row here (filtered out, or not a frame): show no
        // selection rather than a stale one.
        selection->clear();
    }
    m_syncing = false;
}

void FrameTableView::tableCurrentChanged(const QModelIndex &current)
{
    // A reset leaves no current row; that is not the person choosing "nothing".
    if (m_syncing || !current.isValid())
        return;
    m_document->setCurrentEvent(m_model->eventAt(current.row()));
}

void FrameTableView::rememberScrollPosition()
{
    const QScrollBar *bar = m_table->verticalScrollBar();
    m_wasAtBottom = bar->value() >= bar->maximum();
}

void FrameTableView::followNewRows()
{
    if (m_wasAtBottom)
        m_table->scrollToBottom();
    updateCount();
}

void FrameTableView::updateCount()
{
    if (!m_model->filterError().isEmpty())
        return;
    const int shown = m_model->rowCount();
    const int total = m_model->unfilteredRowCount();
    m_countLabel->setText(shown == total ? tr("%n row(s)", nullptr, total)
                                         : tr("%1 of %n row(s)", nullptr, total).arg(shown));
}

} // namespace frameline
