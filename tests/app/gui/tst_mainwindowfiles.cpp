// The window's files and keyboard: a live session saved and reopened identical, a
// damaged file opened up to the damage, drag-and-drop, the unsaved-session question,
// every export, the live journal, and Find, colours and icons.

#include "appsettings.h"
#include "composer.h"
#include "connectionbar.h"
#include "frametableview.h"
#include "livejournal.h"
#include "mainwindow.h"
#include "sessiondocument.h"
#include "sessionjournal.h"
#include "sessionloader.h"
#include "theme.h"
#include "timelineview.h"

#include <QtCore/QMimeData>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtGui/QDropEvent>
#include <QtGui/QImage>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QToolBar>
#include <QtTest/QSignalSpy>
#include <QtTest/QtTest>

using namespace frameline;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// Runs a short session against the window's local server: text, a fragmented binary
/// message, a ping, then the closing handshake.
bool runLiveSession(MainWindow &window)
{
    if (!window.connectToServer())
        return false;
    if (!QTest::qWaitFor([&] { return window.connection()->state() == WebSocketState::Open; }, 15000))
        return false;
    Composer *composer = window.composer();
    composer->setKind(Composer::Kind::Text);
    composer->setPayloadText(QStringLiteral("hello, 세계"));
    composer->send();
    composer->setKind(Composer::Kind::Binary);
    composer->setPayloadText(QStringLiteral("00 01 02 03"));
    composer->setFragmentSize(2);
    composer->send();
    composer->setKind(Composer::Kind::Ping);
    composer->setPayloadText(QStringLiteral("?"));
    composer->send();
    QSignalSpy finished(&window, &MainWindow::connectionFinished);
    QTest::qWait(200);
    window.disconnectFromServer(1000, "done");
    return finished.wait(15000);
}

bool openAndWait(MainWindow &window, const QString &path)
{
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    if (!window.openFile(path))
        return false;
    return (opened.wait(30000) || opened.count() > 0) && opened.first().first().toBool();
}

/// The text of the warning the window shows, if any (and closes it).
QString takeWarning(MainWindow &window)
{
    QString text;
    for (QMessageBox *box : window.findChildren<QMessageBox *>(QStringLiteral("warning"))) {
        text += box->text();
        box->close();
    }
    return text;
}

} // namespace

class TestMainWindowFiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void savedSessionReopensIdentical();
    void liveSessionIsJournaled();
    void damagedFileOpensUpToTheDamage();
    void refusedFileSaysWhy();
    void dropOpensTheFile();
    void unsavedSessionIsAskedAbout();
    void everyExportWritesAFile();
    void loadingCanBeCancelled();
    void findFocusesTheFrameFilter();
    void coloursFollowTheChosenTheme();
    void iconsAreDrawn();
    void selectingAnEventShowsItsPane();

private:
    QTemporaryDir m_dir;
};

void TestMainWindowFiles::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FramelineTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindowfiles"));
    QVERIFY(m_dir.isValid());
}

void TestMainWindowFiles::init()
{
    QSettings().clear();
}

void TestMainWindowFiles::savedSessionReopensIdentical()
{
    const QString first = m_dir.filePath(QStringLiteral("first.jsonl"));
    const QString second = m_dir.filePath(QStringLiteral("second.jsonl"));
    std::uint32_t liveEvents = 0;
    {
        MainWindow window;
        window.show();
        QVERIFY(runLiveSession(window));
        QVERIFY(window.hasUnsavedSession());
        QVERIFY(window.saveTo(first));
        QVERIFY(!window.hasUnsavedSession());
        QCOMPARE(window.sessionPath(), first);
        liveEvents = window.document()->session()->eventCount();
        QVERIFY(liveEvents > 15);
    }
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, first));
    const Session &session = *window.document()->session();
    QCOMPARE(session.eventCount(), liveEvents);
    QVERIFY(!window.hasUnsavedSession());
    QCOMPARE(window.sessionPath(), first);
    QVERIFY(window.windowTitle().contains(QStringLiteral("first.jsonl")));
    // Everything the views read is back: saving the reopened session writes the same bytes.
    QVERIFY(window.saveTo(second));
    QCOMPARE(readAll(second), readAll(first));
    // The frame list shows the reopened frames; the file is in Open Recent.
    QVERIFY(window.frameTable()->model()->rowCount() > 0);
    QCOMPARE(AppSettings().recentFiles().first(), second);
    QVERIFY(AppSettings().recentFiles().contains(first));
}

void TestMainWindowFiles::liveSessionIsJournaled()
{
    MainWindow window;
    QVERIFY(runLiveSession(window));
    const QString journal = window.liveJournalPath();
    QVERIFY(!journal.isEmpty());
    QVERIFY(journal.startsWith(LiveJournal::directory()));
    // The journal is a complete session file with every event of the live one.
    Session loaded;
    const SessionLoadResult result = loadSession(journal, loaded);
    QVERIFY2(result.isComplete(), qPrintable(result.message));
    QCOMPARE(loaded.eventCount(), window.document()->session()->eventCount());
}

void TestMainWindowFiles::damagedFileOpensUpToTheDamage()
{
    const QString whole = m_dir.filePath(QStringLiteral("whole.jsonl"));
    {
        MainWindow window;
        QVERIFY(runLiveSession(window));
        QVERIFY(window.saveTo(whole));
    }
    // Cut the file in the middle of a line, as a crash during a write would.
    QByteArray bytes = readAll(whole);
    const qsizetype lineCount = bytes.count('\n');
    qsizetype cut = 0;
    for (int line = 0; line < lineCount / 2; ++line)
        cut = bytes.indexOf('\n', cut) + 1;
    const QString damaged = m_dir.filePath(QStringLiteral("damaged.jsonl"));
    QFile out(damaged);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(bytes.left(cut + 10));
    out.close();

    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, damaged));
    const std::uint32_t loaded = window.document()->session()->eventCount();
    QVERIFY(loaded > 0);
    QVERIFY(loaded < std::uint32_t(lineCount - 2));
    // The person is told where it stops; the partial session counts as unsaved.
    const QString warning = takeWarning(window);
    QVERIFY2(warning.contains(QString::number(lineCount / 2 + 1)), qPrintable(warning));
    QVERIFY(window.hasUnsavedSession());
    QVERIFY(window.sessionPath().isEmpty());
}

void TestMainWindowFiles::refusedFileSaysWhy()
{
    const QString path = m_dir.filePath(QStringLiteral("notes.txt"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("these are not the frames you are looking for\n");
    out.close();
    MainWindow window;
    window.show();
    const Session *before = window.document()->session();
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    QVERIFY(window.openFile(path));
    QVERIFY(opened.wait(10000));
    QCOMPARE(opened.first().first().toBool(), false);
    QVERIFY(!takeWarning(window).isEmpty());
    // Nothing shown was replaced.
    QCOMPARE(window.document()->session(), before);
}

void TestMainWindowFiles::dropOpensTheFile()
{
    const QString path = m_dir.filePath(QStringLiteral("dropped.jsonl"));
    {
        MainWindow window;
        QVERIFY(runLiveSession(window));
        QVERIFY(window.saveTo(path));
    }
    MainWindow window;
    window.show();
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &drop);
    QVERIFY(opened.wait(10000));
    QCOMPARE(window.sessionPath(), path);

    // Something that is not a file is not accepted.
    QMimeData text;
    text.setText(QStringLiteral("hello"));
    QDragEnterEvent textEnter(QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    textEnter.setAccepted(false);
    QCoreApplication::sendEvent(&window, &textEnter);
    QVERIFY(!textEnter.isAccepted());
}

void TestMainWindowFiles::unsavedSessionIsAskedAbout()
{
    MainWindow window;
    window.show();
    QVERIFY(runLiveSession(window));
    int asked = 0;
    MainWindow::UnsavedChoice answer = MainWindow::UnsavedChoice::Cancel;
    window.setUnsavedPrompt([&] {
        ++asked;
        return answer;
    });
    // Cancel: the window stays.
    QVERIFY(!window.close());
    QCOMPARE(asked, 1);
    QVERIFY(window.isVisible());
    // Save: the file chooser is asked for a name, the session saved, then it closes.
    const QString path = m_dir.filePath(QStringLiteral("asked"));
    window.setFileChooser([&](const QString &, const QStringList &, bool save, QString *) {
        return save ? path : QString();
    });
    answer = MainWindow::UnsavedChoice::Save;
    QVERIFY(window.close());
    QCOMPARE(asked, 2);
    QVERIFY(QFileInfo::exists(path + QStringLiteral(".jsonl")));

    // Discard on a fresh unsaved session closes without writing anything.
    MainWindow other;
    other.show();
    QVERIFY(runLiveSession(other));
    other.setUnsavedPrompt([&] {
        ++asked;
        return MainWindow::UnsavedChoice::Discard;
    });
    QVERIFY(other.close());
    QCOMPARE(asked, 3);
    // A saved session closes without a question.
    MainWindow saved;
    saved.show();
    QVERIFY(runLiveSession(saved));
    QVERIFY(saved.saveTo(m_dir.filePath(QStringLiteral("saved.jsonl"))));
    saved.setUnsavedPrompt([&] {
        ++asked;
        return MainWindow::UnsavedChoice::Cancel;
    });
    QVERIFY(saved.close());
    QCOMPARE(asked, 3);
}

void TestMainWindowFiles::everyExportWritesAFile()
{
    MainWindow window;
    window.show();
    QVERIFY(runLiveSession(window));
    for (const ExportFormatInfo &info : exportFormats()) {
        const QString path = m_dir.filePath(QStringLiteral("export.%1").arg(QLatin1String(info.suffix)));
        QVERIFY2(window.exportTo(path, info.format), info.name);
        QVERIFY2(QFileInfo(path).size() > 100, info.name);
    }
    QVERIFY(readAll(m_dir.filePath(QStringLiteral("export.mmd"))).startsWith("sequenceDiagram"));
    QVERIFY(readAll(m_dir.filePath(QStringLiteral("export.pcapng"))).startsWith(QByteArray::fromHex("0a0d0d0a")));
    // The timeline as pictures: the whole diagram, taller than the window shows.
    const QString png = m_dir.filePath(QStringLiteral("timeline.png"));
    QVERIFY(window.exportTimelineImage(png));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.height() > 400);
    const QString svg = m_dir.filePath(QStringLiteral("timeline.svg"));
    QVERIFY(window.exportTimelineImage(svg));
    const QByteArray svgText = readAll(svg);
    QVERIFY(svgText.contains("<svg"));
    QVERIFY(svgText.contains("101 Switching Protocols"));
    // An export the File → Export dialog asks for (its chooser answered here).
    const QString chosen = m_dir.filePath(QStringLiteral("chosen"));
    window.setFileChooser([&](const QString &, const QStringList &filters, bool, QString *selected) {
        for (const QString &filter : filters) {
            if (filter.contains(QLatin1String("*.md")))
                *selected = filter;
        }
        return chosen;
    });
    window.findChild<QAction *>(QStringLiteral("exportAction"))->trigger();
    QVERIFY(readAll(chosen + QStringLiteral(".md")).contains("101"));
}

void TestMainWindowFiles::loadingCanBeCancelled()
{
    // A journal big enough to be read in many steps.
    const QString path = m_dir.filePath(QStringLiteral("big.jsonl"));
    {
        Session session;
        SessionInfo info;
        info.url = QStringLiteral("ws://127.0.0.1:9/");
        info.startedAt = QDateTime::currentDateTimeUtc();
        session.setInfo(info);
        for (int i = 0; i < 60000; ++i) {
            FrameHeader header;
            header.fin = true;
            header.opcode = std::uint8_t(Opcode::Text);
            header.payloadLength = 2;
            session.appendFrame(i * 1000, Direction::ServerToClient, header, QByteArrayLiteral("\x81\x02hi"),
                                std::uint64_t(i) * 4);
        }
        QVERIFY(saveSession(session, path));
    }
    int calls = 0;
    const SessionLoader::Outcome stopped = SessionLoader::load(path, [&](qint64 done, qint64 total) {
        Q_UNUSED(done)
        Q_UNUSED(total)
        return ++calls < 3;
    });
    QCOMPARE(stopped.status, SessionLoader::Outcome::Status::Cancelled);
    QVERIFY(stopped.session);
    QVERIFY(stopped.session->eventCount() > 0);
    QVERIFY(stopped.session->eventCount() < 60000);

    // In the window: the loader reports progress and the whole file arrives.
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, path));
    QCOMPARE(window.document()->session()->eventCount(), 60000u);
    QCOMPARE(window.loader()->bytesDone(), QFileInfo(path).size());
}

void TestMainWindowFiles::findFocusesTheFrameFilter()
{
    MainWindow window;
    window.show();
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.timeline()->setFocus();
    QAction *find = window.findChild<QAction *>(QStringLiteral("findAction"));
    QVERIFY(find);
    QCOMPARE(find->shortcut(), QKeySequence(QKeySequence::Find));
    QTest::keySequence(&window, QKeySequence::Find);
    QTRY_COMPARE(QApplication::focusWidget(), window.frameTable()->filterEdit());

    // Close with a code: the composer's Close page, ready for a code and reason.
    window.findChild<QAction *>(QStringLiteral("closeAction"))->trigger();
    QCOMPARE(window.composer()->kind(), Composer::Kind::Close);
}

void TestMainWindowFiles::coloursFollowTheChosenTheme()
{
    MainWindow window;
    window.show();
    const QColor lightBase = window.timeline()->colors().base;
    window.findChild<QAction *>(QStringLiteral("theme-dark"))->trigger();
    QVERIFY(paletteIsDark());
    QTRY_VERIFY(window.timeline()->colors().base.lightness() < 80);
    QCOMPARE(AppSettings().theme(), QStringLiteral("dark"));
    window.findChild<QAction *>(QStringLiteral("theme-light"))->trigger();
    QVERIFY(!paletteIsDark());
    QTRY_VERIFY(window.timeline()->colors().base.lightness() > 180);
    window.findChild<QAction *>(QStringLiteral("theme-system"))->trigger();
    QTRY_COMPARE(window.timeline()->colors().base, lightBase);
}

void TestMainWindowFiles::iconsAreDrawn()
{
    MainWindow window;
    QVERIFY(!window.windowIcon().isNull());
    auto *tools = window.findChild<QToolBar *>(QStringLiteral("mainToolBar"));
    QVERIFY(tools);
    int drawn = 0;
    for (QAction *action : tools->actions()) {
        if (action->isSeparator())
            continue;
        // SVG icons render at any size: a large one is as sharp as a small one.
        const QImage image = action->icon().pixmap(QSize(64, 64)).toImage();
        QVERIFY2(!image.isNull(), qPrintable(action->text()));
        int opaque = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x)
                opaque += qAlpha(image.pixel(x, y)) > 128 ? 1 : 0;
        }
        QVERIFY2(opaque > 100, qPrintable(action->text()));
        ++drawn;
    }
    QVERIFY(drawn >= 7);
}

void TestMainWindowFiles::selectingAnEventShowsItsPane()
{
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(runLiveSession(window));
    const Session &session = *window.document()->session();
    const auto first = [&](EventKind kind) {
        for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
            if (session.event(i).kind == kind)
                return qint64(i);
        }
        return qint64(-1);
    };
    const auto shown = [&](const char *dock) {
        QWidget *pane = window.findChild<QDockWidget *>(QLatin1String(dock))->widget();
        return pane->isVisible() && !pane->visibleRegion().isEmpty();
    };
    window.document()->setCurrentEvent(first(EventKind::HandshakeResponse));
    QTRY_VERIFY(shown("handshakeDock"));
    QVERIFY(!shown("inspectorDock"));
    window.document()->setCurrentEvent(first(EventKind::Frame));
    QTRY_VERIFY(shown("inspectorDock"));
    QVERIFY(!shown("handshakeDock"));
}

QTEST_MAIN(TestMainWindowFiles)
#include "tst_mainwindowfiles.moc"
