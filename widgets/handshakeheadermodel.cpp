#include "handshakeheadermodel.h"

#include "plaintooltip.h"

#include <QtGui/QFont>
#include <QtGui/QGuiApplication>
#include <QtGui/QPalette>

namespace frameline {
namespace {

/// Header names that a check may name although the header was not sent.
bool isHandshakeHeaderName(const QString &name)
{
    static const char *const kNames[] = {"Host", "Upgrade", "Connection", "Origin"};
    for (const char *known : kNames) {
        if (name.compare(QLatin1StringView(known), Qt::CaseInsensitive) == 0)
            return true;
    }
    return name.startsWith(QLatin1StringView("Sec-WebSocket-"), Qt::CaseInsensitive);
}

/// The first line of a head as sent, without its line end.
QString startLineOf(const RecordedHead &head, HandshakeSide side)
{
    if (!head.raw.isEmpty()) {
        qsizetype end = head.raw.indexOf('\n');
        if (end < 0)
            end = head.raw.size();
        else if (end > 0 && head.raw[end - 1] == '\r')
            --end;
        return QString::fromLatin1(head.raw.left(end));
    }
    const HttpHead &h = head.detail.head;
    if (side == HandshakeSide::Request)
        return QString::fromLatin1(QByteArray(h.method + ' ' + h.target + ' ' + h.version));
    return QStringLiteral("%1 %2 %3")
        .arg(QString::fromLatin1(h.version))
        .arg(h.statusCode)
        .arg(QString::fromLatin1(h.reasonPhrase));
}

} // namespace

HandshakeHeaderModel::HandshakeHeaderModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_colors(VerdictColors::fromPalette(QGuiApplication::palette()))
{ }

void HandshakeHeaderModel::setHandshake(const RecordedHandshake &handshake)
{
    const qint64 request = handshake.request.event;
    const qint64 response = handshake.response.event;
    if (request == m_requestEvent && response == m_responseEvent)
        return;
    std::vector<HandshakeHeaderRow> responseRows
        = rowsFor(handshake.response, HandshakeSide::Response);
    // The usual live case: the request was shown, now its answer arrived. Inserting the
    // answer's rows keeps the selection and scroll position in the request's rows.
    if (request == m_requestEvent && m_responseEvent < 0) {
        m_responseEvent = response;
        if (responseRows.empty())
            return;
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(responseRows.size()) - 1);
        for (HandshakeHeaderRow &row : responseRows)
            m_rows.push_back(std::move(row));
        endInsertRows();
        return;
    }
    beginResetModel();
    m_rows = rowsFor(handshake.request, HandshakeSide::Request);
    for (HandshakeHeaderRow &row : responseRows)
        m_rows.push_back(std::move(row));
    m_requestEvent = request;
    m_responseEvent = response;
    endResetModel();
}

void HandshakeHeaderModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_requestEvent = -1;
    m_responseEvent = -1;
    endResetModel();
}

void HandshakeHeaderModel::setColors(const VerdictColors &colors)
{
    m_colors = colors;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
            {Qt::ForegroundRole, Qt::BackgroundRole});
}

void HandshakeHeaderModel::setHighlightedSide(std::optional<HandshakeSide> side)
{
    if (side == m_highlighted)
        return;
    m_highlighted = side;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::FontRole});
}

std::vector<HandshakeHeaderRow> HandshakeHeaderModel::rowsFor(
    const RecordedHead &head, HandshakeSide side)
{
    std::vector<HandshakeHeaderRow> rows;
    if (!head.present())
        return rows;
    HandshakeHeaderRow start;
    start.side = side;
    start.kind = HandshakeHeaderRow::Kind::StartLine;
    start.name = side == HandshakeSide::Request ? tr("request line") : tr("status line");
    start.value = startLineOf(head, side);
    start.meaning = startLineMeaning(head.detail.head, side);
    rows.push_back(start);
    for (const HttpHeader &header : head.detail.head.headers) {
        HandshakeHeaderRow row;
        row.side = side;
        row.name = QString::fromLatin1(header.name);
        row.value = QString::fromLatin1(header.value);
        row.meaning = headerMeaning(header.name, side);
        rows.push_back(row);
    }
    for (const HandshakeCheck &check : head.detail.checks) {
        bool placed = false;
        for (std::size_t i = 1; i < rows.size(); ++i) {
            if (rows[i].name.compare(check.name, Qt::CaseInsensitive) == 0) {
                rows[i].checks.append(check);
                placed = true;
            }
        }
        if (placed)
            continue;
        if (isHandshakeHeaderName(check.name)) {
            HandshakeHeaderRow missing;
            missing.side = side;
            missing.kind = HandshakeHeaderRow::Kind::Missing;
            missing.name = check.name;
            missing.value = check.actual;
            missing.meaning = tr("not sent; %1").arg(headerMeaning(check.name.toLatin1(), side));
            missing.checks.append(check);
            rows.push_back(missing);
        } else {
            // Method, HTTP version, status: about the start line.
            rows.front().checks.append(check);
        }
    }
    return rows;
}

QString HandshakeHeaderModel::startLineMeaning(const HttpHead &head, HandshakeSide side)
{
    if (side == HandshakeSide::Request)
        return tr(
            "method, resource and version: must be GET over HTTP/1.1 or later (RFC 6455 §4.1)");
    switch (head.statusCode) {
    case 101:
        return tr("101 Switching Protocols: the server agrees, and from the next byte on the "
                  "connection speaks WebSocket (RFC 6455 §4.2.2)");
    case 426:
        return tr("426 Upgrade Required: the server does not speak the requested version; "
                  "Sec-WebSocket-Version lists those it does (RFC 6455 §4.4)");
    case 401:
    case 407:
        return tr("authentication is required before the server will upgrade (RFC 6455 §4.1)");
    case 0:
        return tr("no status line could be read");
    default:
        return tr("not 101: the server did not switch protocols, so the connection is still "
                  "HTTP and no WebSocket was opened (RFC 6455 §4.1)");
    }
}

QString HandshakeHeaderModel::headerMeaning(QByteArrayView name, HandshakeSide side)
{
    const QByteArray key = name.toByteArray().toLower();
    const bool request = side == HandshakeSide::Request;
    if (key == "host")
        return tr("the server's host and port, as in the URL; required (RFC 6455 §4.1)");
    if (key == "upgrade")
        return request ? tr("asks to switch this connection to another protocol: must name "
                            "\"websocket\" (RFC 6455 §4.1)")
                       : tr("the protocol the server switches to: must be \"websocket\" "
                            "(RFC 6455 §4.1)");
    if (key == "connection")
        return tr("must include the token \"Upgrade\": the upgrade concerns this connection "
                  "only (RFC 6455 §4.1, RFC 9110 §7.8)");
    if (key == "sec-websocket-key")
        return tr("16 random bytes in base64; the server hashes them into "
                  "Sec-WebSocket-Accept to show it read this very request (RFC 6455 §4.1)");
    if (key == "sec-websocket-accept")
        return tr("base64(SHA-1(key + GUID)): proves the server understood the WebSocket "
                  "request; it proves nothing about who the server is (RFC 6455 §4.2.2)");
    if (key == "sec-websocket-version")
        return request ? tr("the protocol version the client speaks; 13 is RFC 6455 (§4.1)")
                       : tr("the versions the server speaks, sent when it refuses the "
                            "client's (RFC 6455 §4.4)");
    if (key == "sec-websocket-protocol")
        return request ? tr("subprotocols the client offers, in order of preference "
                            "(RFC 6455 §4.1)")
                       : tr("the one subprotocol the server chose from those offered "
                            "(RFC 6455 §4.2.2)");
    if (key == "sec-websocket-extensions")
        return request ? tr("extensions the client offers, with their parameters "
                            "(RFC 6455 §9.1)")
                       : tr("the extensions the server accepted; only offered ones may be "
                            "used (RFC 6455 §9.1)");
    if (key == "origin")
        return tr("where the script that opened the socket came from; browsers send it and "
                  "servers may refuse unknown origins (RFC 6455 §10.2)");
    if (key == "user-agent")
        return tr("the client software; not part of the WebSocket handshake");
    if (key == "server")
        return tr("the server software; not part of the WebSocket handshake");
    if (key == "date")
        return tr("when the server answered; not part of the WebSocket handshake");
    if (key == "cookie")
        return tr("cookies the client sends back; not part of the WebSocket handshake, "
                  "though servers often use them to know who connects");
    if (key == "set-cookie")
        return tr("a cookie the server asks the client to keep; not part of the WebSocket "
                  "handshake");
    if (key == "authorization" || key == "proxy-authorization")
        return tr("credentials; not part of the WebSocket handshake, which may carry them "
                  "(RFC 6455 §4.1)");
    if (key == "www-authenticate" || key == "proxy-authenticate")
        return tr("the server asks for credentials; not part of the WebSocket handshake");
    if (key == "cache-control" || key == "pragma")
        return tr("caching instructions; not part of the WebSocket handshake");
    if (key == "content-type" || key == "content-length")
        return tr("describes a body (a refusal's explanation); not part of the WebSocket "
                  "handshake");
    return tr("not part of the WebSocket handshake");
}

HandshakeHeaderModel::Verdict HandshakeHeaderModel::verdictOf(const QList<HandshakeCheck> &checks)
{
    if (checks.isEmpty())
        return Verdict::NotChecked;
    Verdict verdict = Verdict::Passed;
    for (const HandshakeCheck &check : checks) {
        if (check.passed)
            continue;
        if (check.required)
            return Verdict::Failed;
        verdict = Verdict::AdviceNotFollowed;
    }
    return verdict;
}

QString HandshakeHeaderModel::verdictText(const HandshakeCheck &check, bool withName)
{
    if (check.passed)
        return withName
            ? tr("✓ %1 as expected: %2 (%3)").arg(check.name, check.expected, check.rfcSection)
            : tr("✓ as expected: %1 (%2)").arg(check.expected, check.rfcSection);
    if (!check.required)
        return withName ? tr("⚠ %1, advice not followed: expected %2, got %3 (%4)")
                              .arg(check.name, check.expected, check.actual, check.rfcSection)
                        : tr("⚠ advice not followed: expected %1, got %2 (%3)")
                              .arg(check.expected, check.actual, check.rfcSection);
    return withName
        ? tr("✗ %1: expected %2, got %3 (%4)")
              .arg(check.name, check.expected, check.actual, check.rfcSection)
        : tr("✗ expected %1, got %2 (%3)").arg(check.expected, check.actual, check.rfcSection);
}

QString HandshakeHeaderModel::verdictsOf(const HandshakeHeaderRow &row, const QString &separator)
{
    QStringList lines;
    for (const HandshakeCheck &check : row.checks) {
        // On a header's own row its name goes without saying; on the start line it
        // says which part (method, version, status) was checked.
        const bool withName = row.kind == HandshakeHeaderRow::Kind::StartLine
            || check.name.compare(row.name, Qt::CaseInsensitive) != 0;
        lines.append(verdictText(check, withName));
    }
    return lines.join(separator);
}

int HandshakeHeaderModel::findRow(HandshakeSide side, const QString &name) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].side == side && m_rows[i].name.compare(name, Qt::CaseInsensitive) == 0)
            return int(i);
    }
    return -1;
}

int HandshakeHeaderModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HandshakeHeaderModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HandshakeHeaderModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HandshakeHeaderRow &row = m_rows[std::size_t(index.row())];
    const Verdict verdict = verdictOf(row.checks);
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case SideColumn:
            return row.side == HandshakeSide::Request ? tr("C→S request") : tr("S→C response");
        case NameColumn:
            return row.kind == HandshakeHeaderRow::Kind::Missing ? tr("%1 (missing)").arg(row.name)
                                                                 : row.name;
        case ValueColumn:
            return row.value;
        case MeaningColumn:
            return row.meaning;
        case VerdictColumn:
            return row.checks.isEmpty() ? tr("not checked") : verdictsOf(row, QStringLiteral("; "));
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        switch (column) {
        case ValueColumn:
            return plainToolTip(row.value);
        case MeaningColumn:
            return plainToolTip(row.meaning);
        case VerdictColumn:
            if (row.checks.isEmpty())
                return plainToolTip(tr("No check was recorded for this line: a head is checked "
                                       "by the side that receives it."));
            return plainToolTip(verdictsOf(row, QStringLiteral("\n")));
        default:
            return {};
        }
    case Qt::ForegroundRole:
        // A broken rule colours the whole row; a kept one only its verdict.
        if (verdict == Verdict::Failed)
            return m_colors.error;
        if (column != VerdictColumn)
            return {};
        switch (verdict) {
        case Verdict::Passed:
            return m_colors.success;
        case Verdict::AdviceNotFollowed:
            return m_colors.warning;
        case Verdict::NotChecked:
            return m_colors.muted;
        case Verdict::Failed:
            break;
        }
        return {};
    case Qt::BackgroundRole:
        if (verdict == Verdict::Failed)
            return m_colors.errorTint;
        if (verdict == Verdict::AdviceNotFollowed)
            return m_colors.warningTint;
        return {};
    case Qt::FontRole:
        if (m_highlighted == row.side || row.kind == HandshakeHeaderRow::Kind::Missing) {
            QFont font;
            font.setBold(m_highlighted == row.side);
            font.setItalic(row.kind == HandshakeHeaderRow::Kind::Missing);
            return font;
        }
        return {};
    case FullTextRole:
        if (column == VerdictColumn)
            return row.checks.isEmpty() ? tr("not checked") : verdictsOf(row, QStringLiteral("\n"));
        return data(index, Qt::DisplayRole);
    case VerdictRole:
        return int(verdict);
    case SideRole:
        return int(row.side);
    default:
        return {};
    }
}

QVariant HandshakeHeaderModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case SideColumn:
        return tr("Side");
    case NameColumn:
        return tr("Header");
    case ValueColumn:
        return tr("Value");
    case MeaningColumn:
        return tr("Meaning");
    case VerdictColumn:
        return tr("Check");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags HandshakeHeaderModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace frameline
