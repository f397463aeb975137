// In-memory codec benchmarks (Google Benchmark), with the inputs of the reference
// codec_bench in shared/perf (WORKLOADS.md section B) so the numbers sit beside Beast's:
// masked frames with key 37 fa 21 3d, payload byte i = 'a' + i % 26, batches of 4096
// masked 16-byte frames, and single masked 1 MiB frames. memcpy of 1 MiB runs in the same
// program as the ceiling for anything that touches every payload byte once.
//
// The decode benchmarks take the server role (client frames arrive masked), as the
// reference's BeastRead_* do. FrameDecoder reads the fed chunk in place and unmasks each
// payload into its own buffer: one copy, where Beast's in-memory stream makes two.

#include "framedecoder.h"
#include "mask.h"
#include "utf8validator.h"

#include <QtCore/QByteArray>

#include <benchmark/benchmark.h>
#include <cstring>
#include <vector>

using namespace frameline;

namespace {

constexpr std::size_t kMiB = std::size_t(1) << 20;
constexpr MaskKey kKey {0x37, 0xfa, 0x21, 0x3d};
constexpr int kFramesPerBatch = 4096;

// One masked frame (FIN set) with the standard payload, length in its minimal encoding.
QByteArray maskedFrame(Opcode opcode, std::size_t size)
{
    QByteArray frame;
    frame.append(char(0x80 | int(opcode)));
    if (size < 126) {
        frame.append(char(0x80 | size));
    } else if (size <= 0xFFFF) {
        frame.append(char(0x80 | 126));
        frame.append(char(size >> 8));
        frame.append(char(size & 0xFF));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((std::uint64_t(size) >> shift) & 0xFF));
    }
    frame.append(reinterpret_cast<const char *>(kKey.data()), 4);
    const qsizetype payloadAt = frame.size();
    frame.resize(payloadAt + qsizetype(size));
    auto *payload = reinterpret_cast<std::uint8_t *>(frame.data() + payloadAt);
    for (std::size_t i = 0; i < size; ++i)
        payload[i] = std::uint8_t('a' + i % 26);
    applyMask(payload, size, kKey);
    return frame;
}

void Memcpy_1MiB(benchmark::State &state)
{
    std::vector<char> from(kMiB, 'a');
    std::vector<char> to(kMiB);
    for (auto _ : state) {
        std::memcpy(to.data(), from.data(), kMiB);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kMiB));
}

void Unmask_ApplyMask_1MiB(benchmark::State &state)
{
    std::vector<std::uint8_t> data(kMiB, 'a');
    for (auto _ : state) {
        benchmark::DoNotOptimize(applyMask(data.data(), data.size(), kKey));
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kMiB));
}

void Unmask_CopyMasked_1MiB(benchmark::State &state)
{
    std::vector<std::uint8_t> from(kMiB, 'a');
    std::vector<std::uint8_t> to(kMiB);
    for (auto _ : state) {
        benchmark::DoNotOptimize(copyMasked(to.data(), from.data(), kMiB, kKey));
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kMiB));
}

void validateRepeatedly(benchmark::State &state, const QByteArray &text)
{
    Utf8Validator validator;
    for (auto _ : state) {
        validator.reset();
        const Utf8Validator::Status status = validator.feed(text);
        benchmark::DoNotOptimize(status);
        if (status != Utf8Validator::Status::Complete) {
            state.SkipWithError("valid text was not accepted");
            return;
        }
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * text.size());
}

void Utf8_Ascii_1MiB(benchmark::State &state)
{
    validateRepeatedly(state, QByteArray(qsizetype(kMiB), 'a'));
}

void Utf8_Hangul_1MiB(benchmark::State &state)
{
    // "안녕" repeated: 3-byte sequences throughout, as in the reference.
    const QByteArray syllables = QByteArrayLiteral("\xec\x95\x88\xeb\x85\x95");
    QByteArray text;
    text.reserve(qsizetype(kMiB));
    while (std::size_t(text.size() + syllables.size()) <= kMiB)
        text.append(syllables);
    validateRepeatedly(state, text);
}

// Feeds `framesPerIteration` copies of one masked frame as one chunk per iteration and
// drains the decoder; text payloads also go through the UTF-8 validator, as a receiver
// must check them (RFC 6455 §8.1).
void decode(benchmark::State &state, Opcode opcode, std::size_t size, int framesPerIteration)
{
    const QByteArray one = maskedFrame(opcode, size);
    QByteArray batch;
    batch.reserve(one.size() * framesPerIteration);
    for (int i = 0; i < framesPerIteration; ++i)
        batch.append(one);

    const bool text = opcode == Opcode::Text;
    FrameDecoder decoder(Role::Server);
    Utf8Validator validator;
    for (auto _ : state) {
        decoder.feed(batch);
        int frames = 0;
        DecodeStatus status;
        while ((status = decoder.next()) == DecodeStatus::Complete) {
            const QByteArrayView payload = decoder.frame().payload;
            benchmark::DoNotOptimize(payload.data());
            if (text) {
                validator.reset();
                if (validator.feed(payload) != Utf8Validator::Status::Complete) {
                    state.SkipWithError("text payload failed UTF-8 validation");
                    return;
                }
            }
            ++frames;
        }
        benchmark::ClobberMemory();
        if (status != DecodeStatus::NeedMore || frames != framesPerIteration
            || decoder.pendingBytes() != 0) {
            state.SkipWithError("the decoder did not yield every frame");
            return;
        }
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * framesPerIteration);
    state.SetBytesProcessed(
        std::int64_t(state.iterations()) * framesPerIteration * std::int64_t(size));
}

void Decode_Binary16(benchmark::State &state)
{
    decode(state, Opcode::Binary, 16, kFramesPerBatch);
}

void Decode_Text16(benchmark::State &state)
{
    decode(state, Opcode::Text, 16, kFramesPerBatch);
}

void Decode_Binary1MiB(benchmark::State &state)
{
    decode(state, Opcode::Binary, kMiB, 1);
}

void Decode_Text1MiB(benchmark::State &state)
{
    decode(state, Opcode::Text, kMiB, 1);
}

} // namespace

BENCHMARK(Memcpy_1MiB);
BENCHMARK(Unmask_ApplyMask_1MiB);
BENCHMARK(Unmask_CopyMasked_1MiB);
BENCHMARK(Utf8_Ascii_1MiB);
BENCHMARK(Utf8_Hangul_1MiB);
BENCHMARK(Decode_Binary16);
BENCHMARK(Decode_Text16);
BENCHMARK(Decode_Binary1MiB);
BENCHMARK(Decode_Text1MiB);

BENCHMARK_MAIN();
