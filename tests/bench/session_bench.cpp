// Session files at scale: writing and reading back a journal of N frames (the issue's
// "10^6 frames open in a few seconds"), against reading the same bytes with no parsing
// at all, in the same run. Reported per frame and per byte; never asserted.

#include "frameencoder.h"
#include "session.h"
#include "sessionjournal.h"

#include <QtCore/QBuffer>
#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QTemporaryDir>

#include <benchmark/benchmark.h>

using namespace frameline;

namespace {

/// A chat-like session: short text frames both ways, client frames masked.
std::unique_ptr<Session> chatSession(std::int64_t frames)
{
    auto session = std::make_unique<Session>();
    SessionInfo info;
    info.url = QStringLiteral("ws://127.0.0.1:9001/");
    info.startedAt = QDateTime::currentDateTimeUtc();
    session->setInfo(info);
    std::uint64_t offsets[2] = {0, 0};
    for (std::int64_t i = 0; i < frames; ++i) {
        const bool fromClient = i % 2 == 0;
        FrameSpec spec;
        spec.opcode = std::uint8_t(Opcode::Text);
        if (fromClient)
            spec.maskKey = MaskKey {0x37, 0xfa, 0x21, 0x3d};
        const QByteArray payload = QByteArrayLiteral("message number ") + QByteArray::number(i);
        const QByteArray wire = encodeFrame(spec, payload);
        const FrameHeader header = headerFor(spec, std::uint64_t(payload.size()));
        std::uint64_t &offset = offsets[fromClient ? 0 : 1];
        session->appendFrame(i * 1000, fromClient ? Direction::ClientToServer : Direction::ServerToClient, header,
                             wire, offset);
        offset += std::uint64_t(wire.size());
    }
    return session;
}

QByteArray journalBytes(const Session &session)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    SessionJournalWriter writer(buffer);
    writer.finish(session);
    return buffer.data();
}

void BM_JournalWrite(benchmark::State &state)
{
    const auto session = chatSession(state.range(0));
    std::int64_t bytes = 0;
    for (auto _ : state) {
        const QByteArray data = journalBytes(*session);
        bytes = data.size();
        benchmark::DoNotOptimize(data.constData());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * bytes);
}

void BM_JournalLoad(benchmark::State &state)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.jsonl"));
    {
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(journalBytes(*chatSession(state.range(0))));
    }
    for (auto _ : state) {
        Session session;
        const SessionLoadResult result = loadSession(path, session);
        if (!result.isComplete())
            state.SkipWithError("the journal did not load");
        benchmark::DoNotOptimize(session.eventCount());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * QFileInfo(path).size());
}

/// The floor: the same file read into memory and scanned for line ends.
void BM_ReadLinesOnly(benchmark::State &state)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.jsonl"));
    {
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(journalBytes(*chatSession(state.range(0))));
    }
    for (auto _ : state) {
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        const QByteArray all = file.readAll();
        benchmark::DoNotOptimize(all.count('\n'));
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * QFileInfo(path).size());
}

} // namespace

BENCHMARK(BM_JournalWrite)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JournalLoad)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadLinesOnly)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
