#include "connectionbar.h"

#include <QtGui/QAction>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialog>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

namespace frameline {

ConnectionBar::ConnectionBar(QWidget *parent)
    : QWidget(parent)
{
    m_url = new QComboBox(this);
    m_url->setEditable(true);
    m_url->setInsertPolicy(QComboBox::NoInsert);
    m_url->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_url->setMinimumContentsLength(28);
    m_url->lineEdit()->setPlaceholderText(tr("ws://host:port/path or wss://…"));
    m_url->setToolTip(tr("The WebSocket URL to connect to (RFC 6455 §3)"));

    m_subprotocols = new QLineEdit(this);
    m_subprotocols->setPlaceholderText(tr("subprotocols"));
    m_subprotocols->setToolTip(tr("Subprotocols to offer in Sec-WebSocket-Protocol, comma-separated, "
                                  "in order of preference (RFC 6455 §4.1)"));
    m_subprotocols->setMaximumWidth(160);

    m_headersButton = new QToolButton(this);
    m_headersButton->setText(tr("Headers…"));
    m_headersButton->setToolTip(tr("Extra headers for the opening handshake, and the Origin"));

    m_tlsButton = new QToolButton(this);
    m_tlsButton->setText(tr("TLS"));
    m_tlsButton->setPopupMode(QToolButton::InstantPopup);
    auto *tlsMenu = new QMenu(m_tlsButton);
    m_caFileAction = tlsMenu->addAction(tr("Trust a CA certificate file…"));
    m_insecureAction = tlsMenu->addAction(tr("Accept a certificate that fails verification"));
    m_insecureAction->setCheckable(true);
    m_insecureAction->setToolTip(tr("For this connection only; the choice and the reasons are recorded "
                                    "in the session."));
    m_tlsButton->setMenu(tlsMenu);
    m_tlsWarning = new QLabel(this);
    m_tlsWarning->setTextFormat(Qt::PlainText);
    QPalette warningPalette = m_tlsWarning->palette();
    warningPalette.setColor(QPalette::WindowText, QColor(0xd0, 0x30, 0x30));
    m_tlsWarning->setPalette(warningPalette);
    m_tlsWarning->hide();

    m_localServer = new QCheckBox(tr("Local server"), this);
    m_localServer->setToolTip(tr("Start Frameline's built-in echo server on this machine and "
                                 "connect to it (works with no network)"));
    m_localServerTls = new QCheckBox(tr("wss"), this);
    m_localServerTls->setToolTip(tr("Serve the local server over TLS with a self-signed certificate"));

    m_connectAction = new QAction(tr("Connect"), this);
    m_connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_connectButton = new QToolButton(this);
    m_connectButton->setDefaultAction(m_connectAction);
    m_connectButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_connectButton->setMinimumWidth(96);
    auto *disconnectMenu = new QMenu(m_connectButton);
    QAction *abortAction = disconnectMenu->addAction(tr("Drop TCP now (no closing handshake)"));
    m_connectButton->setMenu(disconnectMenu);
    m_connectButton->setPopupMode(QToolButton::DelayedPopup);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_url, 1);
    layout->addWidget(m_subprotocols);
    layout->addWidget(m_headersButton);
    layout->addWidget(m_tlsButton);
    layout->addWidget(m_tlsWarning);
    layout->addSpacing(8);
    layout->addWidget(m_localServer);
    layout->addWidget(m_localServerTls);
    layout->addSpacing(8);
    layout->addWidget(m_connectButton);

    connect(m_connectAction, &QAction::triggered, this, &ConnectionBar::triggerConnect);
    connect(m_url->lineEdit(), &QLineEdit::returnPressed, this, [this] {
        if (!m_active)
            Q_EMIT connectRequested();
    });
    connect(abortAction, &QAction::triggered, this, &ConnectionBar::abortRequested);
    connect(m_headersButton, &QToolButton::clicked, this, &ConnectionBar::editHeaders);
    connect(m_caFileAction, &QAction::triggered, this, &ConnectionBar::chooseCaFile);
    connect(m_insecureAction, &QAction::toggled, this, &ConnectionBar::updateTlsWarning);
    connect(m_localServer, &QCheckBox::toggled, this,
            [this](bool on) { Q_EMIT localServerToggled(on, m_localServerTls->isChecked()); });
    connect(m_localServerTls, &QCheckBox::toggled, this, [this](bool tls) {
        if (m_localServer->isChecked())
            Q_EMIT localServerToggled(true, tls);
    });
    setConnectionActive(false);
}

QString ConnectionBar::url() const
{
    return m_url->currentText().trimmed();
}

void ConnectionBar::setUrl(const QString &url)
{
    m_url->setCurrentText(url);
}

void ConnectionBar::setUrlHistory(const QStringList &urls)
{
    const QString current = m_url->currentText();
    m_url->clear();
    m_url->addItems(urls);
    m_url->setCurrentText(current);
}

void ConnectionBar::setSubprotocols(const QString &commaSeparated)
{
    m_subprotocols->setText(commaSeparated);
}

void ConnectionBar::setHeadersText(const QString &lines)
{
    m_headersText = lines;
    m_headersButton->setText(lines.trimmed().isEmpty() ? tr("Headers…") : tr("Headers (set)…"));
}

void ConnectionBar::setCaFile(const QString &path)
{
    m_caFile = path;
    m_caFileAction->setText(path.isEmpty() ? tr("Trust a CA certificate file…")
                                           : tr("CA file: %1").arg(path));
}

void ConnectionBar::setInsecure(bool insecure)
{
    m_insecureAction->setChecked(insecure);
}

bool ConnectionBar::parseHeaderLines(const QString &text, QList<HttpHeader> &headers, QString *error)
{
    const QStringList lines = text.split(u'\n');
    for (const QString &rawLine : lines) {
        const QString line = rawLine.trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(u':');
        const QString name = colon > 0 ? line.left(colon) : QString();
        // RFC 9110 §5.1: a field name is a token (no spaces, no separators).
        static const QString separators = QStringLiteral("\"(),/:;<=>?@[\\]{} \t");
        bool token = !name.isEmpty();
        for (const QChar c : name)
            token = token && c.unicode() > 32 && c.unicode() < 127 && !separators.contains(c);
        if (!token) {
            if (error)
                *error = tr("\"%1\" is not a header: write \"Name: value\".").arg(line);
            return false;
        }
        headers.append({name.toLatin1(), line.mid(colon + 1).trimmed().toUtf8()});
    }
    return true;
}

bool ConnectionBar::connectionOptions(ConnectionOptions &options, QString *error) const
{
    QString text = url();
    // A bare host:port is meant as ws://host:port/.
    if (!text.isEmpty() && !text.contains(QLatin1String("://")))
        text.prepend(QLatin1String("ws://"));
    options.url = QUrl(text, QUrl::StrictMode);
    if (const QString problem = checkWebSocketUrl(options.url); !problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    options.subprotocols.clear();
    for (const QString &protocol : m_subprotocols->text().split(u',', Qt::SkipEmptyParts)) {
        if (!protocol.trimmed().isEmpty())
            options.subprotocols.append(protocol.trimmed().toUtf8());
    }
    QList<HttpHeader> headers;
    if (!parseHeaderLines(m_headersText, headers, error))
        return false;
    options.headers.clear();
    options.origin.clear();
    for (const HttpHeader &header : std::as_const(headers)) {
        if (header.name.compare("Origin", Qt::CaseInsensitive) == 0)
            options.origin = header.value;
        else
            options.headers.append(header);
    }
    options.caFile = m_caFile;
    options.insecure = m_insecureAction->isChecked();
    return true;
}

void ConnectionBar::setConnectionActive(bool active)
{
    m_active = active;
    m_connectAction->setText(active ? tr("Disconnect") : tr("Connect"));
    m_connectAction->setToolTip(active ? tr("Close the connection with the closing handshake (1000 Normal "
                                            "Closure); hold for more")
                                       : tr("Open the connection (Ctrl+K)"));
    m_connectButton->menu()->setEnabled(active);
    m_url->setEnabled(!active);
    m_subprotocols->setEnabled(!active);
    m_headersButton->setEnabled(!active);
    m_tlsButton->setEnabled(!active);
}

bool ConnectionBar::localServerEnabled() const
{
    return m_localServer->isChecked();
}

bool ConnectionBar::localServerTls() const
{
    return m_localServerTls->isChecked();
}

void ConnectionBar::setLocalServer(bool enabled, bool tls)
{
    const QSignalBlocker blockTls(m_localServerTls);
    const QSignalBlocker blockEnabled(m_localServer);
    m_localServerTls->setChecked(tls);
    m_localServer->setChecked(enabled);
}

void ConnectionBar::triggerConnect()
{
    if (m_active)
        Q_EMIT disconnectRequested();
    else
        Q_EMIT connectRequested();
}

void ConnectionBar::editHeaders()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Handshake headers"));
    auto *hint = new QLabel(tr("One header per line, \"Name: value\". An Origin header here is sent "
                               "as the Origin of the handshake (RFC 6455 §4.1, §10.2)."),
                            &dialog);
    hint->setWordWrap(true);
    auto *edit = new QPlainTextEdit(m_headersText, &dialog);
    edit->setPlaceholderText(QStringLiteral("Origin: https://example.com\nAuthorization: Bearer …"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(hint);
    layout->addWidget(edit);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, [&] {
        QList<HttpHeader> headers;
        QString error;
        if (!parseHeaderLines(edit->toPlainText(), headers, &error)) {
            QMessageBox::warning(&dialog, tr("Handshake headers"), error);
            return;
        }
        dialog.accept();
    });
    if (dialog.exec() == QDialog::Accepted)
        setHeadersText(edit->toPlainText());
}

void ConnectionBar::chooseCaFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Trust a CA certificate"), m_caFile,
                                                      tr("PEM certificates (*.pem *.crt);;All files (*)"));
    if (!path.isEmpty())
        setCaFile(path);
}

void ConnectionBar::updateTlsWarning()
{
    const bool insecure = m_insecureAction->isChecked();
    m_tlsWarning->setText(insecure ? tr("⚠ certificate not verified") : QString());
    m_tlsWarning->setToolTip(tr("A certificate that fails verification will be accepted for this "
                                "connection. Anyone on the path could read and change the traffic."));
    m_tlsWarning->setVisible(insecure);
}

} // namespace frameline
