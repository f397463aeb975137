#pragma once

#include "frametablemodel.h"

#include <QtWidgets/QWidget>

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QToolButton;
QT_END_NAMESPACE

namespace frameline {

class SessionDocument;

/// The frame list with its filter bar: a text filter (substring, or a regular
/// expression when ".*" is on), an opcode choice, a direction choice, the row kinds
/// (frames, messages or both) and a "shown of total" count over a FrameTableModel.
///
/// The selected row and the document's current event follow each other both ways;
/// while the list is scrolled to the bottom it follows new rows as they arrive, and
/// stays put once the person scrolls up (as a live packet capture does).
class FrameTableView : public QWidget
{
    Q_OBJECT

public:
    explicit FrameTableView(SessionDocument *document, QWidget *parent = nullptr);

    FrameTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filterEdit; }
    QComboBox *opcodeCombo() const { return m_opcodeCombo; }
    QComboBox *directionCombo() const { return m_directionCombo; }
    QComboBox *rowKindsCombo() const { return m_rowKindsCombo; }
    QToolButton *regexButton() const { return m_regexButton; }
    QLabel *countLabel() const { return m_countLabel; }

public Q_SLOTS:
    /// Reads the filter bar into the model now (typing applies it after a short pause).
    void applyFilter();

private:
    void buildFilterBar();
    void selectCurrentEvent();
    void tableCurrentChanged(const QModelIndex &current);
    void rememberScrollPosition();
    void followNewRows();
    void updateCount();

    SessionDocument *m_document;
    FrameTableModel *m_model;
    QTableView *m_table = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QToolButton *m_regexButton = nullptr;
    QComboBox *m_opcodeCombo = nullptr;
    QComboBox *m_directionCombo = nullptr;
    QComboBox *m_rowKindsCombo = nullptr;
    QLabel *m_countLabel = nullptr;
    QTimer *m_filterDelay = nullptr;
    bool m_syncing = false; // a selection change we make ourselves, not the person's
    bool m_wasAtBottom = true;
};

} // namespace frameline
