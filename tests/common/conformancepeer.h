#pragma once

// The scripted peer's side of a conformance case: write the case's bytes, then read
// what the side under test answers until its Close frame or the end of TCP.

#include "conformancecases.h"
#include "framedecoder.h"

#include <QtCore/QElapsedTimer>
#include <QtNetwork/QTcpSocket>

namespace frameline::test {

struct Reply
{
    QStringList items;
    int closeCode = -1; ///< -1: no Close frame; 0: a Close frame without a code
    bool tcpClosedWithoutClose = false;
};

/// Writes `bytes` (`chop` at a time, all at once when 0) and, if `thenClose`, a Close 1000.
inline void writeCase(QTcpSocket &socket, const QByteArray &bytes, int chop, bool thenClose, Role peer)
{
    QByteArray script = bytes;
    if (thenClose)
        script += CaseFrames(peer).close(1000);
    for (qsizetype at = 0; at < script.size();) {
        const qsizetype n = chop > 0 ? std::min<qsizetype>(chop, script.size() - at) : script.size();
        socket.write(script.constData() + at, n);
        socket.waitForBytesWritten(5000);
        at += n;
        if (chop > 0 && chop < 64)
            QTest::qWait(1);
    }
}

/// Reads the answers of the side under test (frames as `peer` receives them).
inline Reply readReply(QTcpSocket &socket, Role peer, int timeoutMs = 15000)
{
    Reply reply;
    FrameDecoder decoder(peer, DecoderLimits {256ull << 20});
    QByteArray message;
    std::uint8_t messageOpcode = 0;
    QElapsedTimer timer;
    timer.start();
    bool done = false;
    while (!done && timer.elapsed() < timeoutMs) {
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(200)) {
            if (socket.state() != QAbstractSocket::ConnectedState) {
                reply.tcpClosedWithoutClose = true;
                break;
            }
            continue;
        }
        decoder.feed(socket.readAll());
        while (!done && decoder.next() == DecodeStatus::Complete) {
            const DecodedFrame &frame = decoder.frame();
            const std::uint8_t opcode = frame.header.opcode;
            if (opcode == 0x8) {
                reply.closeCode = frame.payload.size() >= 2
                    ? (std::uint8_t(frame.payload[0]) << 8 | std::uint8_t(frame.payload[1]))
                    : 0;
                done = true;
            } else if (opcode == 0xA) {
                reply.items.append(echoOf(opcode, frame.payload.toByteArray()));
            } else if (opcode == 0x9) {
                reply.items.append(QStringLiteral("ping"));
            } else {
                if (opcode != 0x0)
                    messageOpcode = opcode;
                message += frame.payload.toByteArray();
                if (frame.header.fin) {
                    reply.items.append(echoOf(messageOpcode, message));
                    message.clear();
                }
            }
        }
    }
    return reply;
}

} // namespace frameline::test
