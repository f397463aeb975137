// MainWindow's files: open (in the background, with progress), save, export,
// recent files, drag-and-drop, and the question about an unsaved session.

#include "mainwindow.h"

#include "appsettings.h"
#include "composer.h"
#include "connectionbar.h"
#include "exportsession.h"
#include "frametableview.h"
#include "livejournal.h"
#include "sessiondocument.h"
#include "sessionjournal.h"
#include "timelineview.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QMimeData>
#include <QtCore/QSaveFile>
#include <QtCore/QTimer>
#include <QtGui/QDragEnterEvent>
#include <QtGui/QDropEvent>
#include <QtGui/QPainter>
#include <QtSvg/QSvgGenerator>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressDialog>
#include <QtWidgets/QStatusBar>

namespace frameline {

namespace {

/// The local file a drag carries, or an empty string.
QString droppedFile(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile())
            return url.toLocalFile();
    }
    return {};
}

} // namespace

QString MainWindow::liveJournalPath() const
{
    return m_journal->path();
}

bool MainWindow::hasUnsavedSession() const
{
    const Session *session = m_document->session();
    // A session read from a file that was not Frameline's own (a HAR) is unsaved too:
    // no Frameline file holds it.
    return session && session->eventCount() > m_savedEvents;
}

bool MainWindow::settleUnsaved()
{
    if (!hasUnsavedSession())
        return true;
    UnsavedChoice choice = UnsavedChoice::Cancel;
    if (m_unsavedPrompt) {
        choice = m_unsavedPrompt();
    } else {
        QMessageBox box(QMessageBox::Question, tr("Unsaved session"),
                        tr("The session shown has not been saved. Save it before it is replaced?"),
                        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
        box.setInformativeText(m_journal->path().isEmpty()
                                   ? QString()
                                   : tr("A journal of it stays in %1.")
                                         .arg(QDir::toNativeSeparators(QFileInfo(m_journal->path()).path())));
        box.setDefaultButton(QMessageBox::Save);
        const int answer = box.exec();
        choice = answer == QMessageBox::Save       ? UnsavedChoice::Save
                 : answer == QMessageBox::Discard ? UnsavedChoice::Discard
                                                  : UnsavedChoice::Cancel;
    }
    switch (choice) {
    case UnsavedChoice::Save:
        return saveInteractive(false);
    case UnsavedChoice::Discard:
        return true;
    case UnsavedChoice::Cancel:
        break;
    }
    return false;
}

QString MainWindow::chooseFile(const QString &title, const QStringList &filters, bool save, QString *selectedFilter)
{
    if (m_fileChooser)
        return m_fileChooser(title, filters, save, selectedFilter);
    AppSettings settings;
    QString directory = settings.lastDirectory();
    if (directory.isEmpty())
        directory = QDir::homePath();
    if (save && !m_sessionPath.isEmpty())
        directory = QFileInfo(m_sessionPath).path();
    const QString filter = filters.join(QStringLiteral(";;"));
    const QString path = save ? QFileDialog::getSaveFileName(this, title, directory, filter, selectedFilter)
                              : QFileDialog::getOpenFileName(this, title, directory, filter, selectedFilter);
    if (!path.isEmpty())
        settings.setLastDirectory(QFileInfo(path).path());
    return path;
}

void MainWindow::openInteractive()
{
    const QStringList filters {tr("Sessions and HAR files (*.jsonl *.har *.json)"), exportFormatFilter(ExportFormat::Jsonl),
                               exportFormatFilter(ExportFormat::Har), tr("All files (*)")};
    const QString path = chooseFile(tr("Open a session"), filters, false, nullptr);
    if (!path.isEmpty())
        openFile(path);
}

bool MainWindow::openFile(const QString &path)
{
    if (m_loader->isRunning()) {
        showProblem(tr("A file is still being opened."));
        return false;
    }
    if (m_connection && m_connection->state() != WebSocketState::Closed) {
        showProblem(tr("Disconnect before opening a file: the live session is still running."));
        return false;
    }
    if (!settleUnsaved())
        return false;
    if (!m_loader->start(path))
        return false;
    // A progress bar for files that take a while; small ones open before it shows.
    m_progress = new QProgressDialog(tr("Opening %1…").arg(QFileInfo(path).fileName()), tr("Cancel"), 0, 1000, this);
    m_progress->setWindowTitle(tr("Opening a session"));
    m_progress->setMinimumDuration(400);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    connect(m_progress, &QProgressDialog::canceled, m_loader, &SessionLoader::cancel);
    auto *poll = new QTimer(m_progress);
    QProgressDialog *progress = m_progress; // the member is cleared when loading ends
    connect(poll, &QTimer::timeout, progress, [this, progress] {
        const qint64 total = m_loader->bytesTotal();
        if (total > 0)
            progress->setValue(int(1000.0 * double(m_loader->bytesDone()) / double(total)));
    });
    poll->start(50);
    return true;
}

void MainWindow::loadFinished(const SessionLoader::Outcome &outcome)
{
    if (m_progress) {
        m_progress->hide();
        m_progress->deleteLater();
        m_progress = nullptr;
    }
    using Status = SessionLoader::Outcome::Status;
    if (outcome.status == Status::Refused || !outcome.session) {
        AppSettings().forgetFile(outcome.path);
        updateRecentMenu();
        warn(tr("Cannot open the file"), outcome.message);
        Q_EMIT fileOpened(false);
        return;
    }
    // Only a complete Frameline file holds the whole session; a HAR or a damaged
    // file does not, so closing the window asks about it.
    const bool native = outcome.native && outcome.status == Status::Complete;
    showSession(outcome.session, native ? outcome.path : QString());
    if (native)
        m_savedEvents = outcome.session->eventCount();
    AppSettings().rememberFile(outcome.path);
    updateRecentMenu();
    if (outcome.status == Status::Partial || outcome.status == Status::Cancelled) {
        // What was read is shown; the person learns where and why it stops.
        warn(outcome.status == Status::Cancelled ? tr("Opening cancelled") : tr("Damaged file"),
                             outcome.message);
    } else if (!outcome.message.isEmpty()) {
        statusBar()->showMessage(outcome.message, kStatusMessageMs);
    }
    Q_EMIT fileOpened(true);
}

void MainWindow::showSession(std::shared_ptr<Session> session, const QString &path)
{
    if (m_connection) {
        m_connection->disconnect(this);
        m_connection->deleteLater();
        m_connection = nullptr;
    }
    m_composer->setSendingEnabled(false);
    m_bar->setConnectionActive(false);
    m_document->setSession(std::move(session));
    m_sessionPath = path;
    m_savedEvents = 0;
    updateTitle();
}

bool MainWindow::saveTo(const QString &path)
{
    const Session *session = m_document->session();
    if (!session) {
        showProblem(tr("There is no session to save yet."));
        return false;
    }
    m_document->flushAppends();
    QString error;
    if (!saveSession(*session, path, &error)) {
        warn(tr("Cannot save"), error);
        return false;
    }
    m_sessionPath = path;
    m_savedEvents = session->eventCount();
    AppSettings().rememberFile(path);
    updateRecentMenu();
    updateTitle();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), kStatusMessageMs);
    return true;
}

bool MainWindow::saveInteractive(bool askForPath)
{
    if (!m_document->session()) {
        showProblem(tr("There is no session to save yet."));
        return false;
    }
    QString path = askForPath ? QString() : m_sessionPath;
    if (path.isEmpty()) {
        path = chooseFile(tr("Save the session"), {exportFormatFilter(ExportFormat::Jsonl)}, true, nullptr);
        if (path.isEmpty())
            return false;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".jsonl");
    }
    return saveTo(path);
}

bool MainWindow::exportTo(const QString &path, ExportFormat format)
{
    const Session *session = m_document->session();
    if (!session) {
        showProblem(tr("There is no session to export yet."));
        return false;
    }
    m_document->flushAppends();
    QString error;
    if (!exportSession(*session, format, path, &error)) {
        warn(tr("Cannot export"), error);
        return false;
    }
    statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), kStatusMessageMs);
    return true;
}

bool MainWindow::exportTimelineImage(const QString &path)
{
    if (!m_document->session()) {
        showProblem(tr("There is no session to export yet."));
        return false;
    }
    m_document->flushAppends();
    const bool svg = QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0;
    QString error;
    if (svg) {
        QSaveFile file(path);
        if (file.open(QIODevice::WriteOnly)) {
            const QImage probe = m_timeline->renderToImage(); // for the diagram's size
            QSvgGenerator generator;
            generator.setOutputDevice(&file);
            generator.setSize(probe.size());
            generator.setViewBox(QRect(QPoint(0, 0), probe.size()));
            generator.setTitle(windowTitle());
            generator.setDescription(tr("WebSocket sequence diagram written by Frameline"));
            QPainter painter(&generator);
            m_timeline->paintDiagram(painter, 0, -1, probe.width());
            painter.end();
            if (file.commit())
                return true;
        }
        error = file.errorString();
    } else {
        QSaveFile file(path);
        if (file.open(QIODevice::WriteOnly) && m_timeline->renderToImage(0, -1, -1, devicePixelRatioF()).save(&file, "PNG")
            && file.commit())
            return true;
        error = file.errorString();
    }
    warn(tr("Cannot export"),
                         tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), error));
    return false;
}

void MainWindow::exportInteractive()
{
    if (!m_document->session()) {
        showProblem(tr("There is no session to export yet."));
        return;
    }
    QStringList filters;
    QList<ExportFormat> formats;
    for (const ExportFormatInfo &info : exportFormats()) {
        if (info.format == ExportFormat::Jsonl)
            continue; // that is Save
        filters << exportFormatFilter(info.format);
        formats << info.format;
    }
    const QString pngFilter = tr("Timeline image, PNG (*.png)");
    const QString svgFilter = tr("Timeline image, SVG (*.svg)");
    filters << pngFilter << svgFilter;
    QString selected = filters.first();
    QString path = chooseFile(tr("Export the session"), filters, true, &selected);
    if (path.isEmpty())
        return;
    if (selected == pngFilter || selected == svgFilter) {
        if (QFileInfo(path).suffix().isEmpty())
            path += selected == pngFilter ? QStringLiteral(".png") : QStringLiteral(".svg");
        exportTimelineImage(path);
        return;
    }
    const qsizetype chosen = filters.indexOf(selected);
    const ExportFormat format = chosen >= 0 && chosen < formats.size()
        ? formats[chosen]
        : exportFormatForPath(path).value_or(ExportFormat::Har);
    if (QFileInfo(path).suffix().isEmpty())
        path += u'.' + QLatin1String(exportFormatInfo(format).suffix);
    exportTo(path, format);
}

void MainWindow::updateRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList files = AppSettings().recentFiles();
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString &path = files[i];
        QAction *action = m_recentMenu->addAction(
            QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()), this, [this, path] { openFile(path); });
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setStatusTip(QDir::toNativeSeparators(path));
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

void MainWindow::updateTitle()
{
    const Session *session = m_document->session();
    if (!session) {
        setWindowTitle(tr("Frameline"));
        return;
    }
    const QString what = !m_sessionPath.isEmpty() ? QFileInfo(m_sessionPath).fileName() : session->info().url;
    setWindowTitle(tr("%1 — Frameline").arg(what));
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!droppedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = droppedFile(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    // After the drop returns: opening may ask a question, which must not run inside
    // the drag-and-drop machinery.
    QTimer::singleShot(0, this, [this, path] { openFile(path); });
}

} // namespace frameline
