// The pcapng exporter: the file read back block by block (section and interface
// headers, packet times, IPv4/TCP checksums, sequence and acknowledgement numbers, the
// byte streams), and tshark decoding the same WebSocket frames the Session shows, field
// by field, for live sessions (our client against our server, ws and wss, both sides)
// and hand-built ones (IPv6, frames cut by the capture limit, no TCP details).

#include "connection.h"
#include "handshake.h"
#include "pcapng.h"
#include "pcapngreader.h"
#include "tsharkpdml.h"
#include "server.h"
#include "sessionbuilder.h"
#include "tcpstateprobe.h"

#include <QtCore/QBuffer>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QXmlStreamReader>
#include <QtTest/QtTest>

#include <memory>

using namespace frameline;
using frameline::test::SessionBuilder;
using namespace frameline::test;

namespace {

constexpr Direction kToServer = Direction::ClientToServer;
constexpr Direction kToClient = Direction::ServerToClient;

/// One direction's TCP byte stream as the session knows it: the handshake head and
/// each frame's bytes in order; `wireLength` counts bytes a capture limit did not keep.
struct Stream
{
    QByteArray captured;
    std::uint64_t wireLength = 0;
};

Stream expectedStream(const Session &session, Direction direction)
{
    Stream stream;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        const EventRecord &r = session.event(i);
        if (r.direction != direction)
            continue;
        if (r.kind == EventKind::HandshakeRequest || r.kind == EventKind::HandshakeResponse) {
            stream.captured += session.bytes(i).toByteArray();
            stream.wireLength += r.bytesLength;
        } else if (r.kind == EventKind::Frame) {
            stream.captured += session.bytes(i).toByteArray();
            stream.wireLength += session.frameHeader(i).frameSize();
        }
    }
    return stream;
}

QList<std::uint32_t> frameEvents(const Session &session)
{
    QList<std::uint32_t> frames;
    for (std::uint32_t i = 0; i < session.eventCount(); ++i) {
        if (session.event(i).kind == EventKind::Frame)
            frames.append(i);
    }
    return frames;
}

std::uint64_t epochNs(const Session &session, std::int64_t timeNs)
{
    return std::uint64_t(session.info().startedAt.toMSecsSinceEpoch()) * 1'000'000u
        + std::uint64_t(timeNs);
}

// --- Sessions ------------------------------------------------------------------------

const QDateTime kStartedAt = QDateTime(QDate(2025, 3, 4), QTime(5, 6, 7, 89), Qt::UTC);

QByteArray clientRequest(const QByteArray &host)
{
    return "GET /chat HTTP/1.1\r\nHost: " + host
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

QByteArray serverResponse()
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: "
        + computeAcceptKey("dGhlIHNhbXBsZSBub25jZQ==") + "\r\n\r\n";
}

QByteArray closeBody(std::uint16_t code, const QByteArray &reason)
{
    QByteArray body;
    body.append(char(code >> 8)).append(char(code & 0xFF));
    return body + reason;
}

void tcpState(SessionBuilder &b, Role side, TcpState state, Observation how = Observation::Observed)
{
    TcpStateDetail detail;
    detail.side = side;
    detail.state = state;
    detail.observation = how;
    b.event(EventKind::TcpState, Direction::None, detail);
}

struct HandBuilt
{
    bool ipv6 = false;
    bool tcpDetails = true;
    bool teardown = true;
    std::uint32_t captureLimit = 64u * 1024 * 1024;
    bool gap = false;
};

/// A client session built by hand: TCP connect at time 0, the handshake, frames both
/// ways (text, binary, a frame over one segment, ping/pong, close with code and reason),
/// and — when `teardown` — the client's TCP states of an active close.
std::unique_ptr<Session> handBuiltSession(const HandBuilt &spec)
{
    auto session = std::make_unique<Session>(SessionLimits {spec.captureLimit});
    const QString host = spec.ipv6 ? QStringLiteral("[::1]") : QStringLiteral("127.0.0.1");
    session->setInfo({QStringLiteral("ws://%1:8080/chat").arg(host), Role::Client, kStartedAt,
        QStringLiteral("test")});
    if (spec.tcpDetails) {
        const TcpDetail tcp {spec.ipv6 ? QStringLiteral("::1") : QStringLiteral("127.0.0.1"), 51000,
            spec.ipv6 ? QStringLiteral("::1") : QStringLiteral("127.0.0.1"), 8080};
        session->appendEvent(0, EventKind::TcpConnected, Direction::None, tcp);
    }
    SessionBuilder b(*session);
    b.event(EventKind::HandshakeRequest, kToServer, HandshakeDetail {},
        clientRequest(host.toUtf8() + ":8080"));
    b.event(EventKind::HandshakeResponse, kToClient, HandshakeDetail {}, serverResponse());
    b.textMessage(kToServer, "Hello");
    b.textMessage(kToClient, "Hello back");
    b.frame(kToServer, Opcode::Binary, QByteArray::fromHex("00ff8001"));
    FrameSpec reserved; // RSV2 and RSV3 with no extension to give them meaning (§5.2)
    reserved.opcode = std::uint8_t(Opcode::Binary);
    reserved.rsv2 = reserved.rsv3 = true;
    b.frame(kToClient, reserved, "rsv");
    QByteArray big(200'000, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 7);
    b.frame(kToClient, Opcode::Binary, big);
    if (spec.gap) {
        // The session misses 10 bytes the server sent: the next frame's offset says so.
        FrameSpec lost;
        lost.opcode = std::uint8_t(Opcode::Text);
        const QByteArray wire = encodeFrame(lost, "12345678");
        const QList<std::uint32_t> frames = frameEvents(*session);
        const EventRecord &last = session->event(frames.last());
        session->appendFrame(last.timeNs + 500'000, kToClient, headerFor(lost, 8), wire,
            last.streamOffset + session->frameHeader(frames.last()).frameSize() + 10);
    }
    b.frame(kToServer, Opcode::Ping, "ping?");
    if (!spec.gap)
        b.frame(kToClient, Opcode::Pong, "ping?");
    b.frame(kToServer, Opcode::Close, closeBody(4001, "done here"));
    if (!spec.gap)
        b.frame(kToClient, Opcode::Close, closeBody(4001, "done here"));
    if (spec.teardown) {
        tcpState(b, Role::Client, TcpState::FinWait1);
        tcpState(b, Role::Server, TcpState::CloseWait, Observation::Inferred);
        tcpState(b, Role::Client, TcpState::FinWait2);
        tcpState(b, Role::Server, TcpState::LastAck, Observation::Inferred);
        tcpState(b, Role::Client, TcpState::TimeWait);
    }
    return session;
}

/// Our client against our built-in server on loopback, one message of each kind.
struct LiveRun
{
    std::shared_ptr<Session> client;
    std::shared_ptr<Session> server;
};

QByteArray pattern(qsizetype size, char first)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(first + i % 26);
    return bytes;
}

std::optional<LiveRun> runLive(bool tls, std::uint32_t captureLimit, QString &problem)
{
    ServerOptions serverOptions;
    serverOptions.tls = tls;
    Server server(serverOptions);
    if (!server.listen(&problem))
        return std::nullopt;
    ConnectionOptions options;
    options.url = server.url();
    options.insecure = tls; // the server's own self-signed certificate
    Connection client(options, std::make_shared<Session>(SessionLimits {captureLimit}));
    const QList<QByteArray> texts {"hello", "", pattern(65536, 'a')};
    const QList<QByteArray> binaries {
        QByteArray::fromHex("00ff1080"), pattern(125, 'A'), pattern(126, 'B'), pattern(65535, 'C')};
    int echoes = 0;
    const int expectedEchoes = int(texts.size() + binaries.size()) + 1;
    QObject::connect(&client, &Channel::opened, &client, [&] {
        for (const QByteArray &text : texts)
            client.sendText(text);
        for (const QByteArray &binary : binaries)
            client.sendBinary(binary);
        // A fragmented message with a ping between its fragments (RFC 6455 §5.4).
        FrameSpec spec;
        spec.maskKey = MaskKey {1, 2, 3, 4};
        spec.fin = false;
        spec.opcode = std::uint8_t(Opcode::Text);
        client.sendRawFrame(spec, "frag");
        spec.fin = true;
        spec.opcode = std::uint8_t(Opcode::Ping);
        client.sendRawFrame(spec, "between");
        spec.fin = false;
        spec.opcode = std::uint8_t(Opcode::Continuation);
        client.sendRawFrame(spec, "men");
        spec.fin = true;
        client.sendRawFrame(spec, "ted");
        client.sendPing("are you there");
    });
    QObject::connect(&client, &Channel::messageReceived, &client, [&](quint8, const QByteArray &) {
        if (++echoes == expectedEchoes)
            client.sendClose(4000, "that is all");
    });
    QSignalSpy finished(&client, &Channel::finished);
    client.open();
    if (!finished.wait(30000)) {
        problem = QStringLiteral("the live connection did not finish");
        return std::nullopt;
    }
    if (echoes != expectedEchoes) {
        problem = QStringLiteral("%1 echoes instead of %2").arg(echoes).arg(expectedEchoes);
        return std::nullopt;
    }
    if (server.connections().size() != 1) {
        problem = QStringLiteral("the server saw %1 connections").arg(server.connections().size());
        return std::nullopt;
    }
    ServerConnection *serverSide = server.connections().first();
    // Let both ends' teardown trackers record the TCP states that place the FINs.
    for (TcpTeardownTracker *tracker : {client.teardown(), serverSide->teardown()}) {
        if (tracker && !tracker->isSettled()) {
            QSignalSpy settled(tracker, &TcpTeardownTracker::settled);
            settled.wait(5000);
        }
    }
    return LiveRun {client.sharedSession(), serverSide->sharedSession()};
}

/// A client session whose TCP states were read before the last bytes were: the
/// client's kernel was in CLOSE-WAIT (the server's FIN had arrived) before the client
/// read the server's Close frame from its buffer. The FIN still follows that frame.
std::unique_ptr<Session> lateReadSession()
{
    auto session = std::make_unique<Session>();
    session->setInfo({QStringLiteral("ws://127.0.0.1:8080/chat"), Role::Client, kStartedAt, {}});
    session->appendEvent(0, EventKind::TcpConnected, Direction::None,
        TcpDetail {QStringLiteral("127.0.0.1"), 51000, QStringLiteral("127.0.0.1"), 8080});
    SessionBuilder b(*session);
    b.event(EventKind::HandshakeRequest, kToServer, HandshakeDetail {},
        clientRequest("127.0.0.1:8080"));
    b.event(EventKind::HandshakeResponse, kToClient, HandshakeDetail {}, serverResponse());
    b.frame(kToClient, Opcode::Close, closeBody(1001, "going away"));
    tcpState(b, Role::Client, TcpState::CloseWait);
    tcpState(b, Role::Server, TcpState::FinWait2, Observation::Inferred);
    b.frame(kToServer, Opcode::Close, closeBody(1001, "going away"));
    b.frame(kToClient, Opcode::Text, "read after CLOSE-WAIT was seen");
    tcpState(b, Role::Client, TcpState::LastAck);
    tcpState(b, Role::Client, TcpState::Closed);
    return session;
}

// --- tshark --------------------------------------------------------------------------

/// Preferences that make the result independent of anyone's Wireshark profile.
const QStringList kTsharkPreferences {
    QStringLiteral("-o"),
    QStringLiteral("tcp.desegment_tcp_streams:TRUE"),
    QStringLiteral("-o"),
    QStringLiteral("tcp.analyze_sequence_numbers:TRUE"),
    QStringLiteral("-o"),
    QStringLiteral("tcp.try_heuristic_first:FALSE"),
    QStringLiteral("-o"),
    QStringLiteral("tcp.check_checksum:TRUE"),
    QStringLiteral("-o"),
    QStringLiteral("ip.check_checksum:TRUE"),
    QStringLiteral("-o"),
    QStringLiteral("http.desegment_headers:TRUE"),
    QStringLiteral("-o"),
    QStringLiteral("websocket.decompress:TRUE"),
};

/// The first difference between what the Session shows for frame `index` and what tshark
/// decoded, as a sentence; empty when they agree. `fragments`: the unmasked payload of
/// each fragment tshark reassembled, by packet (tshark shows a fragment's own payload
/// only there).
QString compareFrame(const Session &s, std::uint32_t index, const TsharkFrame &f,
    std::uint16_t clientPort, const QHash<int, QByteArray> &fragments)
{
    const FrameHeader header = s.frameHeader(index);
    const QByteArray payload = s.framePayload(index);
    const auto differs = [&](const char *what, const QString &actual, const QString &expected) {
        return QStringLiteral("%1: tshark says “%2”, the session “%3”")
            .arg(QLatin1String(what), actual.left(80), expected.left(80));
    };
    if (f.show.value(QStringLiteral("websocket.fin")) != QString::number(header.fin))
        return differs(
            "FIN", f.show.value(QStringLiteral("websocket.fin")), QString::number(header.fin));
    if (f.show.value(QStringLiteral("websocket.rsv")).toUInt(nullptr, 16) != header.rsvBits())
        return differs("RSV", f.show.value(QStringLiteral("websocket.rsv")),
            QString::number(header.rsvBits()));
    if (f.show.value(QStringLiteral("websocket.opcode")) != QString::number(header.opcode))
        return differs("opcode", f.show.value(QStringLiteral("websocket.opcode")),
            QString::number(header.opcode));
    if (f.show.value(QStringLiteral("websocket.mask")) != QString::number(header.masked))
        return differs(
            "MASK", f.show.value(QStringLiteral("websocket.mask")), QString::number(header.masked));
    const QByteArray key = header.masked
        ? QByteArray(reinterpret_cast<const char *>(header.maskKey.data()), 4)
        : QByteArray();
    if (f.value.value(QStringLiteral("websocket.masking_key")) != key)
        return differs("masking key",
            QString::fromLatin1(f.value.value(QStringLiteral("websocket.masking_key")).toHex()),
            QString::fromLatin1(key.toHex()));
    const QString length7 = QString::number(header.secondByte() & 0x7F);
    if (f.show.value(QStringLiteral("websocket.payload_length")) != length7)
        return differs(
            "7-bit length", f.show.value(QStringLiteral("websocket.payload_length")), length7);
    const QString length = QString::number(header.payloadLength);
    const QString ext16 = header.lengthEncoding == LengthEncoding::Bits16 ? length : QString();
    const QString ext64 = header.lengthEncoding == LengthEncoding::Bits64 ? length : QString();
    if (f.show.value(QStringLiteral("websocket.payload_length_ext_16")) != ext16)
        return differs("16-bit length",
            f.show.value(QStringLiteral("websocket.payload_length_ext_16")), ext16);
    if (f.show.value(QStringLiteral("websocket.payload_length_ext_64")) != ext64)
        return differs("64-bit length",
            f.show.value(QStringLiteral("websocket.payload_length_ext_64")), ext64);

    // The unmasked payload: a fragment's own bytes, or the field tshark's WebSocket
    // dissector gives each opcode.
    QByteArray decoded;
    if (fragments.contains(f.packet)) {
        decoded = fragments.value(f.packet);
    } else {
        switch (header.opcode) {
        case 0x1:
            decoded = f.value.value(QStringLiteral("websocket.payload.text"));
            break;
        case 0x2:
            decoded = f.value.value(QStringLiteral("data.data"));
            break;
        case 0x0:
            decoded = f.value.value(QStringLiteral("websocket.payload.continue"));
            break;
        case 0x9:
            decoded = f.value.value(QStringLiteral("websocket.payload.ping"));
            break;
        case 0xA:
            decoded = f.value.value(QStringLiteral("websocket.payload.pong"));
            break;
        case 0x8:
            decoded = f.value.value(QStringLiteral("websocket.payload.close.status_code"))
                + f.value.value(QStringLiteral("websocket.payload.close.reason"));
            break;
        default:
            decoded = f.value.value(QStringLiteral("websocket.payload.unknown"));
            break;
        }
    }
    // A frame cut by the capture limit: tshark decodes its header and at most the bytes
    // that were kept.
    if (s.frameTruncated(index) ? !payload.startsWith(decoded) : decoded != payload)
        return differs(
            "payload", QString::fromLatin1(decoded.toHex()), QString::fromLatin1(payload.toHex()));
    if (header.opcode == 0x8 && payload.size() >= 2 && !s.frameTruncated(index)) {
        const QString code
            = QString::number(std::uint8_t(payload[0]) << 8 | std::uint8_t(payload[1]));
        if (f.show.value(QStringLiteral("websocket.payload.close.status_code")) != code)
            return differs("close code",
                f.show.value(QStringLiteral("websocket.payload.close.status_code")), code);
        if (f.show.value(QStringLiteral("websocket.payload.close.reason"))
            != QString::fromUtf8(payload.mid(2)))
            return differs("close reason",
                f.show.value(QStringLiteral("websocket.payload.close.reason")),
                QString::fromUtf8(payload.mid(2)));
    }
    const bool fromClient = s.event(index).direction == kToServer;
    if ((f.sourcePort == clientPort) != fromClient)
        return QStringLiteral("sent from port %1, the wrong end").arg(f.sourcePort);
    return {};
}

} // namespace

class TestPcapng : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void structure_data();
    void structure();
    void tsharkDecodesTheSameFrames_data();
    void tsharkDecodesTheSameFrames();
    void tsharkFindsNothingWrong_data();
    void tsharkFindsNothingWrong();
    void tsharkNoticesADamagedFile();
    void decryptedBytesOnPort443();
    void missedBytesShowAsNotCaptured();
    void truncatedFrames_data();
    void truncatedFrames();
    void timestamps_data();
    void timestamps();
    void finSegmentsFollowTheTcpStates_data();
    void finSegmentsFollowTheTcpStates();
    void noTeardownNoFin();
    void optionsOverrideAddresses();
    void addressText_data();
    void addressText();
    void placeholdersWithoutTcpDetails_data();
    void placeholdersWithoutTcpDetails();
    void sameSessionSameBytes();
    void writeErrors();

private:
    const Session &session(const QString &name) const;
    QByteArray exportToBytes(const Session &session, const PcapngOptions &options = {});
    QString exportToFile(
        const Session &session, const QString &name, const PcapngOptions &options = {});
    /// Runs tshark on `file`; its standard output (stderr, where it warns about running
    /// as root, is ignored). Empty on failure, with a warning saying why.
    QByteArray tshark(const QString &file, const QStringList &arguments);
    /// Every WebSocket frame tshark decodes in `file`.
    QList<TsharkFrame> tsharkFrames(
        const QString &file, const QStringList &arguments, QString &problem);
    /// Expert infos of severity Warning or Error, one line per packet that has any.
    QStringList tsharkWarnings(const QString &file, const QStringList &arguments = {});
    /// Compares every frame of the session with tshark's decoding of its export.
    void checkFramesDecoded(const Session &session, const QString &file,
        const QStringList &arguments, const PcapngOptions &options = {});
    QStringList decodeAs(const Session &session) const;

    QString m_tshark;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::map<QString, std::shared_ptr<Session>> m_sessions;
};

void TestPcapng::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_tshark = QStandardPaths::findExecutable(QStringLiteral("tshark"));
    // Not a skip: proving that Wireshark reads the export is the point of this test, and
    // scripts/install-deps.sh test installs tshark.
    QVERIFY2(
        !m_tshark.isEmpty(), "tshark is not installed (scripts/install-deps.sh test installs it)");
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());

    QString problem;
    for (const bool tls : {false, true}) {
        const std::optional<LiveRun> run = runLive(tls, 64u * 1024 * 1024, problem);
        QVERIFY2(run, qPrintable(problem));
        m_sessions[tls ? QStringLiteral("live wss client") : QStringLiteral("live client")]
            = run->client;
        m_sessions[tls ? QStringLiteral("live wss server") : QStringLiteral("live server")]
            = run->server;
    }
    const std::optional<LiveRun> cut = runLive(false, 1000, problem);
    QVERIFY2(cut, qPrintable(problem));
    m_sessions[QStringLiteral("live client, 1000-byte capture limit")] = cut->client;

    m_sessions[QStringLiteral("ipv4")] = handBuiltSession({});
    m_sessions[QStringLiteral("ipv6")] = handBuiltSession({.ipv6 = true});
    m_sessions[QStringLiteral("100-byte capture limit")] = handBuiltSession({.captureLimit = 100});
    m_sessions[QStringLiteral("no tcp details")]
        = handBuiltSession({.tcpDetails = false, .teardown = false});
    m_sessions[QStringLiteral("bytes the session missed")] = handBuiltSession({.gap = true});
    m_sessions[QStringLiteral("states read before the bytes")] = lateReadSession();
}

void TestPcapng::cleanup()
{
    // Keep the files of a failed test for a person to open in Wireshark.
    if (QTest::currentTestFailed() && m_dir && m_dir->autoRemove()) {
        m_dir->setAutoRemove(false);
        qInfo("The captures are kept in %s", qPrintable(m_dir->path()));
    }
}

const Session &TestPcapng::session(const QString &name) const
{
    return *m_sessions.at(name);
}

QByteArray TestPcapng::exportToBytes(const Session &s, const PcapngOptions &options)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    if (!writePcapng(s, buffer, &error, options)) {
        qWarning("writePcapng failed: %s", qPrintable(error));
        return {};
    }
    return buffer.data();
}

QString TestPcapng::exportToFile(
    const Session &s, const QString &name, const PcapngOptions &options)
{
    QString fileName = name;
    fileName.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9]+")), QStringLiteral("-"));
    const QString path = m_dir->filePath(fileName + QStringLiteral(".pcapng"));
    QFile file(path);
    QString error;
    if (!file.open(QIODevice::WriteOnly) || !writePcapng(s, file, &error, options)) {
        qWarning("could not export %s: %s", qPrintable(path), qPrintable(error));
        return {};
    }
    return path;
}

QByteArray TestPcapng::tshark(const QString &file, const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // An empty configuration directory: no personal profile, preferences or Decode As.
    environment.insert(
        QStringLiteral("WIRESHARK_CONFIG_DIR"), m_dir->filePath(QStringLiteral("wireshark")));
    process.setProcessEnvironment(environment);
    process.start(m_tshark,
        QStringList {QStringLiteral("-n"), QStringLiteral("-r"), file} + kTsharkPreferences
            + arguments);
    if (!process.waitForFinished(120000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        qWarning("tshark failed on %s: %s", qPrintable(file),
            process.readAllStandardError().constData());
        return {};
    }
    return process.readAllStandardOutput();
}

QList<TsharkFrame> TestPcapng::tsharkFrames(
    const QString &file, const QStringList &arguments, QString &problem)
{
    const QByteArray pdml = tshark(file,
        arguments
            + QStringList {QStringLiteral("-Y"), QStringLiteral("websocket"), QStringLiteral("-T"),
                QStringLiteral("pdml")});
    if (pdml.isEmpty()) {
        problem = QStringLiteral("tshark gave nothing");
        return {};
    }
    return readPdml(pdml, problem);
}

QStringList TestPcapng::tsharkWarnings(const QString &file, const QStringList &arguments)
{
    // Severity values of epan/proto.h: PI_WARN 0x00600000, PI_ERROR 0x00800000.
    const QByteArray out = tshark(file,
        arguments
            + QStringList {QStringLiteral("-Y"),
                QStringLiteral("_ws.expert.severity >= 0x00600000"), QStringLiteral("-T"),
                QStringLiteral("fields"), QStringLiteral("-E"), QStringLiteral("occurrence=a"),
                QStringLiteral("-e"), QStringLiteral("frame.number"), QStringLiteral("-e"),
                QStringLiteral("_ws.expert.message")});
    QStringList lines = QString::fromUtf8(out).split(u'\n');
    lines.removeAll(QString());
    return lines;
}

QStringList TestPcapng::decodeAs(const Session &s) const
{
    // wss: the plaintext on the server's port decoded as HTTP, as a person would ask
    // Wireshark to with Decode As on a port it gives to TLS.
    bool tls = false;
    const TcpDetail *tcp = nullptr;
    for (std::uint32_t i = 0; i < s.eventCount(); ++i) {
        tls = tls || s.event(i).kind == EventKind::TlsEstablished;
        if (!tcp)
            tcp = std::get_if<TcpDetail>(&s.detail(i));
    }
    if (!tls || !tcp)
        return {};
    const std::uint16_t port = s.info().localRole == Role::Server ? tcp->localPort : tcp->peerPort;
    return {QStringLiteral("-d"), QStringLiteral("tcp.port==%1,http").arg(port)};
}

void TestPcapng::checkFramesDecoded(const Session &s, const QString &file,
    const QStringList &arguments, const PcapngOptions &options)
{
    QString problem;
    const QList<TsharkFrame> decoded = tsharkFrames(file, arguments, problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QHash<int, QByteArray> fragments;
    for (const TsharkFrame &frame : decoded) {
        for (const auto &[packet, bytes] : frame.fragments)
            fragments.insert(packet, bytes);
    }
    const Capture capture = readCapture(exportToBytes(s, options));
    QVERIFY(!capture.packets.isEmpty());
    const std::uint16_t clientPort = capture.packets.first().sourcePort; // the SYN's

    const QList<std::uint32_t> frames = frameEvents(s);
    QCOMPARE(decoded.size(), frames.size());
    for (qsizetype k = 0; k < frames.size(); ++k) {
        const QString mismatch = compareFrame(s, frames[k], decoded[k], clientPort, fragments);
        QVERIFY2(mismatch.isEmpty(),
            qPrintable(QStringLiteral("frame %1 (event %2, packet %3): %4")
                           .arg(k + 1)
                           .arg(frames[k])
                           .arg(decoded[k].packet)
                           .arg(mismatch)));
    }
}

void TestPcapng::structure_data()
{
    QTest::addColumn<QString>("name");
    for (const auto &[name, s] : m_sessions)
        QTest::newRow(qPrintable(name)) << name;
}

void TestPcapng::structure()
{
    QFETCH(QString, name);
    const Session &s = session(name);
    const Capture capture = readCapture(exportToBytes(s));
    QVERIFY2(capture.problem.isEmpty(), qPrintable(capture.problem));

    // Section and interface (draft-ietf-opsawg-pcapng §4.1, §4.2).
    QCOMPARE(capture.byteOrderMagic, 0x1A2B3C4Du);
    QCOMPARE(capture.userApplication, QByteArray("Frameline " FRAMELINE_VERSION));
    QVERIFY(capture.sectionComment.contains("made up"));
    QCOMPARE(capture.linkType, std::optional<std::uint16_t>(1));
    QCOMPARE(capture.tsresol, std::optional<std::uint8_t>(9));
    QVERIFY(capture.packets.size() >= 3);

    // The connection opens with the three-way handshake (RFC 9293 §3.5).
    const Packet &syn = capture.packets[0];
    QCOMPARE(syn.flags, std::uint8_t(0x02));
    QCOMPARE(capture.packets[1].flags, std::uint8_t(0x12));
    QCOMPARE(capture.packets[2].flags, std::uint8_t(0x10));

    // Per direction: sequence numbers continue exactly (a jump only where the session's
    // frame offsets show bytes it missed), and every ACK acknowledges all the other side
    // sent so far.
    std::array<std::uint32_t, 2> nextSeq {};
    std::array<bool, 2> started {};
    std::array<Stream, 2> streams;
    std::uint64_t previousTime = 0;
    std::uint32_t missed = 0;
    for (qsizetype n = 0; n < capture.packets.size(); ++n) {
        const Packet &p = capture.packets[n];
        const QByteArray where = "packet " + QByteArray::number(n + 1);
        QVERIFY2(p.timeNs >= previousTime, where.constData());
        previousTime = p.timeNs;
        QVERIFY2(p.ipChecksumValid, where.constData());
        if (p.capturedLength == p.originalLength)
            QVERIFY2(p.tcpChecksumValid.value_or(false), where.constData());
        QVERIFY2(p.originalLength - 14 <= 65535 + (p.v6 ? 40u : 0u), where.constData());
        QCOMPARE(p.v6, syn.v6);
        const bool fromClient = p.source == syn.source && p.sourcePort == syn.sourcePort;
        QVERIFY2(fromClient || (p.destination == syn.source && p.destinationPort == syn.sourcePort),
            where.constData());
        const std::size_t d = fromClient ? 0 : 1;
        if (!started[d]) {
            QVERIFY2(p.syn(), where.constData());
            started[d] = true;
        } else if (p.seq != nextSeq[d]) {
            QVERIFY2(missed == 0 && p.seq - nextSeq[d] < 1000, where.constData());
            missed = p.seq - nextSeq[d];
        }
        nextSeq[d] = p.seq + p.payloadLength + (p.syn() ? 1 : 0) + (p.fin() ? 1 : 0);
        if (p.hasAck())
            QVERIFY2(p.ack == nextSeq[1 - d], where.constData());
        QVERIFY2(p.hasAck() || n == 0, where.constData());
        streams[d].captured += p.payload;
        streams[d].wireLength += p.payloadLength;
        // epb_flags (§4.3.1): outbound for what the side Frameline played sent.
        const bool outbound = fromClient == (s.info().localRole == Role::Client);
        QCOMPARE(p.epbFlags & 3u, outbound ? 2u : 1u);
    }
    // Each direction carries exactly the session's bytes, in order, and its last byte
    // (or FIN) is acknowledged.
    const Stream toServer = expectedStream(s, kToServer);
    const Stream toClient = expectedStream(s, kToClient);
    QCOMPARE(streams[0].wireLength, toServer.wireLength);
    QVERIFY(streams[0].captured == toServer.captured);
    QCOMPARE(streams[1].wireLength, toClient.wireLength);
    QVERIFY(streams[1].captured == toClient.captured);
    QCOMPARE(missed, name == QLatin1String("bytes the session missed") ? 10u : 0u);
    QCOMPARE(capture.packets.last().flags, std::uint8_t(0x10));
    QCOMPARE(capture.packets.last().ack,
        nextSeq[capture.packets.last().sourcePort == syn.sourcePort ? 1 : 0]);
}

void TestPcapng::tsharkDecodesTheSameFrames_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : {"live client", "live server", "live wss client", "live wss server",
             "ipv4", "ipv6", "states read before the bytes"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestPcapng::tsharkDecodesTheSameFrames()
{
    QFETCH(QString, name);
    const Session &s = session(name);
    const QString file = exportToFile(s, name);
    QVERIFY(!file.isEmpty());
    checkFramesDecoded(s, file, decodeAs(s));
}

void TestPcapng::tsharkFindsNothingWrong_data()
{
    tsharkDecodesTheSameFrames_data();
}

void TestPcapng::tsharkFindsNothingWrong()
{
    // No malformed packet, bad checksum, lost or out-of-order segment, window problem:
    // nothing Wireshark rates Warning or Error.
    QFETCH(QString, name);
    const Session &s = session(name);
    const QString file = exportToFile(s, name);
    QVERIFY(!file.isEmpty());
    const QStringList warnings = tsharkWarnings(file, decodeAs(s));
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
}

void TestPcapng::tsharkNoticesADamagedFile()
{
    // The check above can fail: one payload byte changed behind the TCP checksum's back.
    QByteArray bytes = exportToBytes(session(QStringLiteral("ipv4")));
    const qsizetype at = bytes.indexOf("Upgrade: websocket");
    QVERIFY(at > 0);
    bytes[at] = 'u';
    QFile file(m_dir->filePath(QStringLiteral("damaged.pcapng")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
    file.close();
    const QStringList warnings = tsharkWarnings(file.fileName());
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().contains(QLatin1String("checksum"), Qt::CaseInsensitive),
        qPrintable(warnings.first()));
}

void TestPcapng::decryptedBytesOnPort443()
{
    // A wss session on the usual port: tshark 4.0 sees that the bytes on 443 are not TLS
    // and decodes them as HTTP and WebSocket with no Decode As, warning only that HTTP
    // travels unencrypted on an encrypted port, which is what the capture's comments
    // explain.
    const Session &s = session(QStringLiteral("live wss client"));
    PcapngOptions options;
    options.serverPort = 443;
    const QString file = exportToFile(s, QStringLiteral("wss on 443"), options);
    QVERIFY(!file.isEmpty());
    checkFramesDecoded(s, file, {});
    for (const QString &warning : tsharkWarnings(file))
        QVERIFY2(warning.contains(
                     QLatin1String("Unencrypted HTTP protocol detected over encrypted port")),
            qPrintable(warning));
    const Capture capture = readCapture(exportToBytes(s, options));
    QVERIFY(capture.sectionComment.contains("decrypted"));
    QVERIFY(capture.packets.first().comment.contains("decrypted"));
}

void TestPcapng::missedBytesShowAsNotCaptured()
{
    // Bytes the session does not hold (its frame offsets jump) are what Wireshark calls
    // a segment not captured; the frames around them decode as usual.
    const Session &s = session(QStringLiteral("bytes the session missed"));
    const QString file = exportToFile(s, QStringLiteral("missed"));
    QVERIFY(!file.isEmpty());
    checkFramesDecoded(s, file, {});
    // The next packet of the other side acknowledges the missed bytes too, which
    // Wireshark reports as well.
    const QStringList warnings = tsharkWarnings(file);
    QCOMPARE(warnings.size(), 2);
    QVERIFY2(warnings[0].contains(QLatin1String("Previous segment(s) not captured")),
        qPrintable(warnings[0]));
    QVERIFY2(warnings[1].contains(QLatin1String("ACKed segment that wasn't captured")),
        qPrintable(warnings[1]));
    const Capture capture = readCapture(exportToBytes(s));
    const int packet = warnings.first().section(u'\t', 0, 0).toInt();
    QVERIFY(packet >= 1 && packet <= capture.packets.size());
    QVERIFY(capture.packets[packet - 1].comment.contains("did not record the 10 bytes"));
}

void TestPcapng::truncatedFrames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("hand-built, 100-byte limit") << QStringLiteral("100-byte capture limit");
    QTest::newRow("live, 1000-byte limit")
        << QStringLiteral("live client, 1000-byte capture limit");
}

void TestPcapng::truncatedFrames()
{
    // Frames cut by the capture limit keep their place in the sequence space, their
    // packets captured in part like a snap length: tshark decodes the cut frames' headers,
    // every other frame in full, and finds nothing wrong beyond the cut packets.
    QFETCH(QString, name);
    const Session &s = session(name);
    QList<std::uint32_t> truncated = frameEvents(s);
    truncated.removeIf([&](std::uint32_t i) { return !s.frameTruncated(i); });
    QVERIFY(!truncated.isEmpty());
    QVERIFY(truncated.last() < frameEvents(s).last()); // whole frames follow the cut ones

    const QByteArray bytes = exportToBytes(s);
    const Capture capture = readCapture(bytes);
    QVERIFY2(capture.problem.isEmpty(), qPrintable(capture.problem));
    QSet<qsizetype> cutPackets;
    int comments = 0;
    for (qsizetype n = 0; n < capture.packets.size(); ++n) {
        const Packet &p = capture.packets[n];
        if (p.capturedLength < p.originalLength)
            cutPackets.insert(n + 1);
        comments += p.comment.contains("capture limit") ? 1 : 0;
    }
    QCOMPARE(comments, truncated.size());
    QVERIFY(!cutPackets.isEmpty());

    const QString file = exportToFile(s, name);
    QVERIFY(!file.isEmpty());
    checkFramesDecoded(s, file, {});
    for (const QString &warning : tsharkWarnings(file)) {
        const int packet = warning.section(u'\t', 0, 0).toInt();
        QVERIFY2(cutPackets.contains(packet), qPrintable(warning));
    }
}

void TestPcapng::timestamps_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("hand-built, connected at time 0") << QStringLiteral("ipv4");
    QTest::newRow("live") << QStringLiteral("live client");
}

void TestPcapng::timestamps()
{
    // Packet times are the session's start plus each event's time, in nanoseconds
    // (if_tsresol 9): the handshake at the TCP connect, a write's segments at its event.
    QFETCH(QString, name);
    const Session &s = session(name);
    const Capture capture = readCapture(exportToBytes(s));
    std::int64_t connectedNs = -1;
    QList<std::int64_t> writes; // events with stream bytes, in order
    for (std::uint32_t i = 0; i < s.eventCount(); ++i) {
        const EventRecord &r = s.event(i);
        if (r.kind == EventKind::TcpConnected && connectedNs < 0)
            connectedNs = r.timeNs;
        if (r.kind == EventKind::Frame || r.kind == EventKind::HandshakeRequest
            || r.kind == EventKind::HandshakeResponse)
            writes.append(r.timeNs);
    }
    QVERIFY(connectedNs >= 0);
    QCOMPARE(capture.packets.first().timeNs, epochNs(s, connectedNs));
    if (name == QLatin1String("ipv4"))
        QCOMPARE(capture.packets.first().timeNs,
            std::uint64_t(kStartedAt.toMSecsSinceEpoch()) * 1'000'000u);
    // Every segment with data carries the time of the write it belongs to; a write over
    // several segments gives them all its time, so compare the distinct times.
    QList<std::uint64_t> dataTimes;
    for (const Packet &p : capture.packets) {
        if (p.payloadLength > 0)
            dataTimes.append(p.timeNs);
    }
    QList<std::uint64_t> expected;
    for (const std::int64_t t : writes)
        expected.append(epochNs(s, t));
    for (QList<std::uint64_t> *times : {&dataTimes, &expected}) {
        std::sort(times->begin(), times->end());
        times->erase(std::unique(times->begin(), times->end()), times->end());
    }
    QCOMPARE(dataTimes, expected);

    // tshark reads the same nanoseconds.
    const QString file = exportToFile(s, name);
    const QByteArray out = tshark(file,
        {QStringLiteral("-c"), QStringLiteral("1"), QStringLiteral("-T"), QStringLiteral("fields"),
            QStringLiteral("-e"), QStringLiteral("frame.time_epoch")});
    const std::uint64_t first = capture.packets.first().timeNs;
    QCOMPARE(out.trimmed(),
        QByteArray::number(first / 1'000'000'000u) + '.'
            + QByteArray::number(first % 1'000'000'000u).rightJustified(9, '0'));
}

void TestPcapng::finSegmentsFollowTheTcpStates_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QList<Role>>("finOrder");
    QTest::newRow("hand-built, the client closes first")
        << QStringLiteral("ipv4") << QList<Role> {Role::Client, Role::Server};
    QTest::newRow("CLOSE-WAIT seen before the peer's last frame was read") << QStringLiteral(
        "states read before the bytes") << QList<Role> {Role::Server, Role::Client};
    // RFC 6455 §7.1.1: the server closes TCP first. Where the platform cannot report TCP
    // states, the session has none and no FIN is written.
    const QList<Role> serverFirst
        = TcpStateProbe::isSupported() ? QList<Role> {Role::Server, Role::Client} : QList<Role> {};
    QTest::newRow("live, client side") << QStringLiteral("live client") << serverFirst;
    QTest::newRow("live, server side") << QStringLiteral("live server") << serverFirst;
}

void TestPcapng::finSegmentsFollowTheTcpStates()
{
    // A FIN where the TCP states show one (FIN-WAIT-1 for the first, LAST-ACK for the
    // second; RFC 9293 §3.6), after every byte its sender wrote, and acknowledged.
    QFETCH(QString, name);
    QFETCH(QList<Role>, finOrder);
    const Session &s = session(name);
    const Capture capture = readCapture(exportToBytes(s));
    QVERIFY2(capture.problem.isEmpty(), qPrintable(capture.problem));
    const std::uint16_t clientPort = capture.packets.first().sourcePort;
    QList<Role> fins;
    for (qsizetype n = 0; n < capture.packets.size(); ++n) {
        const Packet &fin = capture.packets[n];
        if (!fin.fin())
            continue;
        fins.append(fin.sourcePort == clientPort ? Role::Client : Role::Server);
        bool acknowledged = false;
        for (qsizetype later = n + 1; later < capture.packets.size(); ++later) {
            const Packet &p = capture.packets[later];
            if (p.sourcePort == fin.sourcePort)
                QVERIFY2(p.payloadLength == 0 && !p.fin(), "its sender sent more after the FIN");
            else
                acknowledged = acknowledged || p.ack == fin.seq + 1;
        }
        QVERIFY(acknowledged);
    }
    QCOMPARE(fins, finOrder);
}

void TestPcapng::noTeardownNoFin()
{
    // A session that ended with a closing handshake but no TCP states: the capture ends
    // with the connection still up rather than inventing a teardown nobody saw.
    const Session &s = session(QStringLiteral("no tcp details"));
    bool closed = false;
    for (const std::uint32_t i : frameEvents(s))
        closed = closed || s.frameHeader(i).opcode == std::uint8_t(Opcode::Close);
    QVERIFY(closed);
    const Capture capture = readCapture(exportToBytes(s));
    QVERIFY2(capture.problem.isEmpty(), qPrintable(capture.problem));
    for (const Packet &p : capture.packets)
        QVERIFY(!p.fin());
    QVERIFY(capture.sectionComment.contains("no FIN segments"));
}

void TestPcapng::optionsOverrideAddresses()
{
    const Session &s = session(QStringLiteral("ipv4"));
    PcapngOptions options;
    options.clientAddress = QStringLiteral("192.0.2.1");
    options.serverAddress = QStringLiteral("2001:db8::2");
    options.clientPort = 40000;
    options.serverPort = 9000;
    const Capture capture = readCapture(exportToBytes(s, options));
    QVERIFY2(capture.problem.isEmpty(), qPrintable(capture.problem));
    // Two families: the IPv4 end is written IPv4-mapped (RFC 4291 §2.5.5.2).
    const QByteArray client = QByteArray::fromHex("00000000000000000000ffffc0000201");
    const QByteArray server = QByteArray::fromHex("20010db8000000000000000000000002");
    for (const Packet &p : capture.packets) {
        QVERIFY(p.v6);
        const bool fromClient = p.sourcePort == 40000;
        QCOMPARE(fromClient ? p.destinationPort : p.sourcePort, std::uint16_t(9000));
        QCOMPARE(p.source, fromClient ? client : server);
        QCOMPARE(p.destination, fromClient ? server : client);
    }
    const QString file = exportToFile(s, QStringLiteral("options"), options);
    QVERIFY(!file.isEmpty());
    checkFramesDecoded(s, file, {}, options);

    options.serverAddress = QStringLiteral("example.com");
    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    QString error;
    QVERIFY(!writePcapng(s, buffer, &error, options));
    QVERIFY2(error.contains(QLatin1String("example.com")), qPrintable(error));
}

void TestPcapng::addressText_data()
{
    // Against a session whose server is 127.0.0.1; empty `written`: refused.
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("written");
    QTest::newRow("IPv4") << QStringLiteral("1.2.3.4") << QByteArray("01020304");
    QTest::newRow("IPv4-mapped, next to IPv4: IPv4")
        << QStringLiteral("::ffff:10.0.0.1") << QByteArray("0a000001");
    QTest::newRow("IPv6 loopback")
        << QStringLiteral("::1") << QByteArray("00000000000000000000000000000001");
    QTest::newRow("in brackets") << QStringLiteral("[2001:db8::7]")
                                 << QByteArray("20010db8000000000000000000000007");
    QTest::newRow("with a scope") << QStringLiteral("fe80::1%eth0")
                                  << QByteArray("fe800000000000000000000000000001");
    QTest::newRow("eight groups") << QStringLiteral("1:2:3:4:5:6:7:AbCd")
                                  << QByteArray("0001000200030004000500060007abcd");
    QTest::newRow("dotted tail") << QStringLiteral("1:2::7.8.9.10")
                                 << QByteArray("0001000200000000000000000708090a");
    QTest::newRow("unspecified") << QStringLiteral("::")
                                 << QByteArray("00000000000000000000000000000000");
    QTest::newRow("a name") << QStringLiteral("localhost") << QByteArray();
    QTest::newRow("three parts") << QStringLiteral("1.2.3") << QByteArray();
    QTest::newRow("five parts") << QStringLiteral("1.2.3.4.5") << QByteArray();
    QTest::newRow("past 255") << QStringLiteral("256.1.1.1") << QByteArray();
    QTest::newRow("seven groups") << QStringLiteral("1:2:3:4:5:6:7") << QByteArray();
    QTest::newRow("nine groups") << QStringLiteral("1:2:3:4:5:6:7:8:9") << QByteArray();
    QTest::newRow("eight groups and ::") << QStringLiteral("1::2:3:4:5:6:7:8") << QByteArray();
    QTest::newRow("two ::") << QStringLiteral("1::2::3") << QByteArray();
    QTest::newRow("five hex digits") << QStringLiteral("12345::") << QByteArray();
    QTest::newRow("not hex") << QStringLiteral("::g") << QByteArray();
    QTest::newRow("dotted head") << QStringLiteral("1.2.3.4::") << QByteArray();
}

void TestPcapng::addressText()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, written);
    PcapngOptions options;
    options.clientAddress = text;
    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    QString error;
    const bool ok = writePcapng(session(QStringLiteral("ipv4")), buffer, &error, options);
    QCOMPARE(ok, !written.isEmpty());
    if (!ok) {
        QVERIFY2(error.contains(text), qPrintable(error));
        return;
    }
    const Capture capture = readCapture(buffer.data());
    QVERIFY2(capture.problem.isEmpty(), qPrintable(capture.problem));
    QCOMPARE(capture.packets.first().source.toHex(), written);
    // The server, 127.0.0.1, follows the client's family.
    QCOMPARE(capture.packets.first().destination.toHex(),
        written.size() == 8 ? QByteArray("7f000001")
                            : QByteArray("00000000000000000000ffff7f000001"));
}

void TestPcapng::placeholdersWithoutTcpDetails_data()
{
    // A session without a TCP connect event (one loaded from a HAR file): the URL's
    // address and port when it has them, loopback and the scheme's port when not.
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("server");
    QTest::addColumn<int>("serverPort");
    QTest::newRow("address and port")
        << QStringLiteral("ws://10.1.2.3:8080/") << QByteArray("0a010203") << 8080;
    QTest::newRow("host name") << QStringLiteral("ws://example.com/") << QByteArray("7f000001")
                               << 80;
    QTest::newRow("wss host name")
        << QStringLiteral("wss://example.com/x") << QByteArray("7f000001") << 443;
    QTest::newRow("IPv6 address") << QStringLiteral("ws://[2001:db8::1]:9000/")
                                  << QByteArray("20010db8000000000000000000000001") << 9000;
}

void TestPcapng::placeholdersWithoutTcpDetails()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, server);
    QFETCH(int, serverPort);
    Session s;
    s.setInfo({url, Role::Client, kStartedAt, {}});
    SessionBuilder b(s);
    b.event(
        EventKind::HandshakeRequest, kToServer, HandshakeDetail {}, clientRequest("example.com"));
    b.event(EventKind::HandshakeResponse, kToClient, HandshakeDetail {}, serverResponse());
    b.textMessage(kToServer, "hi");
    const Capture capture = readCapture(exportToBytes(s));
    QVERIFY2(capture.problem.isEmpty(), qPrintable(capture.problem));
    const Packet &syn = capture.packets.first();
    QCOMPARE(syn.destination.toHex(), server);
    QCOMPARE(int(syn.destinationPort), serverPort);
    QCOMPARE(syn.source.toHex(),
        server.size() == 8 ? QByteArray("7f000001")
                           : QByteArray("00000000000000000000000000000001"));
    QCOMPARE(syn.sourcePort, std::uint16_t(49152));
    // The handshake comes just before the first byte, at its time.
    QCOMPARE(syn.timeNs, epochNs(s, s.event(0).timeNs));
    QVERIFY(capture.sectionComment.contains("placeholders"));
    QCOMPARE(capture.sectionComment.contains("decrypted"), url.startsWith(QLatin1String("wss")));

    const QString file = exportToFile(s, url);
    QVERIFY(!file.isEmpty());
    checkFramesDecoded(
        s, file, {QStringLiteral("-d"), QStringLiteral("tcp.port==%1,http").arg(serverPort)});
}

void TestPcapng::sameSessionSameBytes()
{
    // Nothing random and no clock: one session always exports to the same file.
    const QByteArray first = exportToBytes(session(QStringLiteral("live client")));
    QVERIFY(!first.isEmpty());
    QCOMPARE(exportToBytes(session(QStringLiteral("live client"))), first);
}

namespace {

/// A device that fills up after `room` bytes.
class FullDevice : public QIODevice
{
public:
    explicit FullDevice(qint64 room)
        : m_room(room)
    {
        open(QIODevice::WriteOnly);
    }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *, qint64 size) override
    {
        if (size > m_room) {
            setErrorString(QStringLiteral("No space left on device"));
            return -1;
        }
        m_room -= size;
        return size;
    }

private:
    qint64 m_room;
};

} // namespace

void TestPcapng::writeErrors()
{
    const Session &s = session(QStringLiteral("ipv4"));
    QString error;
    QBuffer closed;
    QVERIFY(!writePcapng(s, closed, &error));
    QVERIFY2(error.contains(QLatin1String("not open for writing")), qPrintable(error));

    for (const qint64 room : {0, 100, 5000}) {
        FullDevice full(room);
        error.clear();
        QVERIFY(!writePcapng(s, full, &error));
        QVERIFY2(error.contains(QLatin1String("No space left on device")), qPrintable(error));
        FullDevice again(room);
        QVERIFY(!writePcapng(s, again)); // no error wanted: no crash
    }

    // An empty session: a valid capture without packets.
    Session empty;
    const Capture capture = readCapture(exportToBytes(empty));
    QVERIFY2(capture.problem.isEmpty(), qPrintable(capture.problem));
    QVERIFY(capture.packets.isEmpty());
    QCOMPARE(capture.linkType, std::optional<std::uint16_t>(1));
    QVERIFY(capture.sectionComment.contains("start time is unknown"));
}

QTEST_MAIN(TestPcapng)
#include "tst_pcapng.moc"
