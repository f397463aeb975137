// Tests of the FrameTableView: the selected row and the document's current event follow
// each other both ways (also across filter changes), the filter bar drives the model,
// and the list follows new rows only while it is scrolled to the bottom.

#include "frametableview.h"
#include "sessionbuilder.h"
#include "sessiondocument.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QtTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>

#include <memory>

using namespace frameline;
using frameline::test::SessionBuilder;

namespace {

constexpr auto C2S = Direction::ClientToServer;
constexpr auto S2C = Direction::ServerToClient;

/// Frames 0–5 and a message (6): C→S text "alpha", S→C text "beta", C→S ping,
/// S→C pong, C→S text "gamma", S→C binary; message of frame 1.
std::shared_ptr<Session> smallSession()
{
    auto session = std::make_shared<Session>();
    SessionBuilder b(*session);
    b.text(C2S, "alpha");
    b.text(S2C, "beta");
    b.frame(C2S, Opcode::Ping, "");
    b.frame(S2C, Opcode::Pong, "");
    b.text(C2S, "gamma");
    b.frame(S2C, Opcode::Binary, "\x01\x02");
    b.message(S2C, Opcode::Text, 4, 1, 1);
    return session;
}

int selectedRow(const FrameTableView &view)
{
    const QModelIndexList rows = view.table()->selectionModel()->selectedRows();
    return rows.size() == 1 ? rows.front().row() : -1;
}

int comboIndexWithData(const QComboBox *combo, int data)
{
    const int index = combo->findData(data);
    Q_ASSERT(index >= 0);
    return index;
}

} // namespace

class tst_FrameTableView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clickingRowSetsCurrentEvent();
    void currentEventSelectsRow();
    void selectionAcrossFilterChanges();
    void filterBarDrivesModel();
    void invalidRegularExpressionIsReported();
    void typingAppliesAfterPause();
    void followsNewRowsOnlyAtBottom();
    void rowsHaveUniformHeight();
};

void tst_FrameTableView::clickingRowSetsCurrentEvent()
{
    SessionDocument document;
    document.setSession(smallSession());
    FrameTableView view(&document);
    QAbstractItemModelTester tester(
        view.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    view.resize(800, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    QSignalSpy changed(&document, &SessionDocument::currentEventChanged);
    QTableView *table = view.table();
    const QRect rect = table->visualRect(view.model()->index(4, FrameTableModel::OpcodeColumn));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(document.currentEvent(), 4);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(selectedRow(view), 4);

    // Keyboard moves go to the document too.
    QTest::keyClick(table, Qt::Key_Up);
    QCOMPARE(document.currentEvent(), 3);
}

void tst_FrameTableView::currentEventSelectsRow()
{
    SessionDocument document;
    document.setSession(smallSession());
    FrameTableView view(&document);

    document.setCurrentEvent(5);
    QCOMPARE(selectedRow(view), 5);
    QCOMPARE(view.table()->currentIndex().row(), 5);

    // The message is not a row in frames mode: nothing stays selected, and the
    // document keeps its choice (the view does not answer with -1 or a stale row).
    document.setCurrentEvent(6);
    QCOMPARE(selectedRow(view), -1);
    QCOMPARE(document.currentEvent(), 6);

    view.model()->setRowKinds(FrameTableModel::RowKinds::Messages);
    QCOMPARE(selectedRow(view), 0);
    QCOMPARE(document.currentEvent(), 6);

    document.setCurrentEvent(-1);
    QCOMPARE(selectedRow(view), -1);
}

void tst_FrameTableView::selectionAcrossFilterChanges()
{
    SessionDocument document;
    document.setSession(smallSession());
    FrameTableView view(&document);
    document.setCurrentEvent(4); // C→S "gamma"

    FrameFilter clientOnly;
    clientOnly.direction = C2S;
    QVERIFY(view.model()->setFilter(clientOnly));
    QCOMPARE(view.model()->rowForEvent(4), 2);
    QCOMPARE(selectedRow(view), 2);
    QCOMPARE(document.currentEvent(), 4);

    FrameFilter serverOnly;
    serverOnly.direction = S2C;
    QVERIFY(view.model()->setFilter(serverOnly));
    QCOMPARE(selectedRow(view), -1);
    QCOMPARE(document.currentEvent(), 4);

    QVERIFY(view.model()->setFilter({}));
    QCOMPARE(selectedRow(view), 4);
}

void tst_FrameTableView::filterBarDrivesModel()
{
    SessionDocument document;
    document.setSession(smallSession());
    FrameTableView view(&document);
    FrameTableModel *model = view.model();
    QCOMPARE(view.countLabel()->text(), u"6 row(s)"_qs);

    view.filterEdit()->setText(u"GAMMA"_qs);
    QTest::keyClick(view.filterEdit(), Qt::Key_Return);
    QCOMPARE(model->filter().text, u"GAMMA"_qs);
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->eventAt(0), 4);
    QCOMPARE(view.countLabel()->text(), u"1 of 6 row(s)"_qs);

    view.filterEdit()->clear();
    QTest::keyClick(view.filterEdit(), Qt::Key_Return);
    view.opcodeCombo()->setCurrentIndex(view.opcodeCombo()->findText(u"Control frames"_qs));
    QCOMPARE(model->filter().opcodes, std::uint16_t((1u << 8) | (1u << 9) | (1u << 10)));
    QCOMPARE(model->rowCount(), 2);

    view.directionCombo()->setCurrentIndex(comboIndexWithData(view.directionCombo(), int(S2C)));
    QCOMPARE(model->filter().direction, S2C);
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->eventAt(0), 3);

    view.opcodeCombo()->setCurrentIndex(0);
    view.directionCombo()->setCurrentIndex(0);
    QCOMPARE(model->rowCount(), 6);

    view.rowKindsCombo()->setCurrentIndex(
        comboIndexWithData(view.rowKindsCombo(), int(FrameTableModel::RowKinds::Both)));
    QCOMPARE(model->rowKinds(), FrameTableModel::RowKinds::Both);
    QCOMPARE(model->rowCount(), 7);
    QCOMPARE(view.countLabel()->text(), u"7 row(s)"_qs);

    // Regex mode: "^p" matches ping and pong by their opcode names.
    view.regexButton()->setChecked(true);
    view.filterEdit()->setText(u"^p"_qs);
    QTest::keyClick(view.filterEdit(), Qt::Key_Return);
    QCOMPARE(model->filter().textMode, FrameFilter::TextMode::RegularExpression);
    QCOMPARE(model->rowCount(), 2);
}

void tst_FrameTableView::invalidRegularExpressionIsReported()
{
    SessionDocument document;
    document.setSession(smallSession());
    FrameTableView view(&document);
    view.filterEdit()->setText(u"beta"_qs);
    QTest::keyClick(view.filterEdit(), Qt::Key_Return);
    QCOMPARE(view.model()->rowCount(), 1);

    view.filterEdit()->setText(u"[beta"_qs);
    view.regexButton()->setChecked(true); // applies at once
    QVERIFY(view.countLabel()->text().contains(u"Invalid regular expression"_qs));
    QCOMPARE(view.filterEdit()->toolTip(), view.model()->filterError());
    QCOMPARE(view.model()->filter().text, u"beta"_qs); // the last good filter stays
    QCOMPARE(view.model()->rowCount(), 1);

    view.filterEdit()->setText(u"^\"[bg]"_qs);
    QTest::keyClick(view.filterEdit(), Qt::Key_Return);
    QCOMPARE(view.model()->rowCount(), 2); // "beta", "gamma"
    QCOMPARE(view.countLabel()->text(), u"2 of 6 row(s)"_qs);
    QVERIFY(view.filterEdit()->toolTip().isEmpty());
}

void tst_FrameTableView::typingAppliesAfterPause()
{
    SessionDocument document;
    document.setSession(smallSession());
    FrameTableView view(&document);
    QTest::keyClicks(view.filterEdit(), u"alp"_qs);
    // Not per keystroke: the model is filtered once typing pauses.
    QCOMPARE(view.model()->rowCount(), 6);
    QTRY_COMPARE(view.model()->rowCount(), 1);
    QCOMPARE(view.model()->filter().text, u"alp"_qs);
}

void tst_FrameTableView::followsNewRowsOnlyAtBottom()
{
    SessionDocument document;
    auto session = std::make_shared<Session>();
    document.setSession(session);
    FrameTableView view(&document);
    QAbstractItemModelTester tester(
        view.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    view.resize(600, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QScrollBar *bar = view.table()->verticalScrollBar();

    SessionBuilder b(*session);
    const auto appendBatch = [&](int count) {
        for (int i = 0; i < count; ++i)
            b.text(S2C, "row " + QByteArray::number(i));
        document.flushAppends();
        QCoreApplication::processEvents();
    };

    appendBatch(100);
    QVERIFY(bar->maximum() > 0);
    QCOMPARE(bar->value(), bar->maximum());
    const QModelIndex last = view.model()->index(view.model()->rowCount() - 1, 0);
    QVERIFY(view.table()->viewport()->rect().intersects(view.table()->visualRect(last)));

    // Scrolled up: the person is reading; new rows must not move the list.
    bar->setValue(0);
    appendBatch(50);
    QCOMPARE(bar->value(), 0);
    QCOMPARE(view.model()->rowCount(), 150);

    // Back at the bottom: following again.
    bar->setValue(bar->maximum());
    appendBatch(50);
    QCOMPARE(bar->value(), bar->maximum());
    QCOMPARE(view.countLabel()->text(), u"200 row(s)"_qs);
}

void tst_FrameTableView::rowsHaveUniformHeight()
{
    SessionDocument document;
    document.setSession(smallSession());
    FrameTableView view(&document);
    const QHeaderView *rows = view.table()->verticalHeader();
    QCOMPARE(rows->sectionResizeMode(0), QHeaderView::Fixed);
    QCOMPARE(rows->sectionSize(0), rows->sectionSize(5));
    QVERIFY(rows->sectionSize(0) >= view.fontMetrics().height());
    QVERIFY(view.table()->selectionBehavior() == QAbstractItemView::SelectRows);
}

QTEST_MAIN(tst_FrameTableView)
#include "tst_frametableview.moc"
