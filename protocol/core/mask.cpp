#include "mask.h"

#include <cstring>

// RFC 6455 §5.3: byte i of the payload is XORed with key[i % 4]. The work is done a
// vector at a time: the key, rotated to the phase of the first byte of a block, is
// repeated across a vector, and since every vector width is a multiple of 4 the same
// key vector fits every block after it. The few bytes before the first aligned
// destination address and after the last whole vector go one at a time.

namespace frameline {
namespace {

#if defined(__GNUC__) || defined(__clang__)
// GCC and Clang vector extensions: SSE2 on x86-64 (AVX2 when the build enables it),
// NEON on ARM, and plain scalar code where a target has no vectors.
#if defined(__AVX2__)
constexpr std::size_t kVectorBytes = 32;
#else
constexpr std::size_t kVectorBytes = 16;
#endif
using Vector = std::uint8_t __attribute__((vector_size(kVectorBytes)));
#else
// Other compilers: 64-bit words, still eight bytes per step.
constexpr std::size_t kVectorBytes = 8;
using Vector = std::uint64_t;
#endif

// Four vectors per loop turn keep several loads and stores in flight.
constexpr std::size_t kBlockBytes = 4 * kVectorBytes;

inline Vector loadVector(const std::uint8_t *p) noexcept
{
    Vector v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void storeVector(std::uint8_t *p, Vector v) noexcept
{
    std::memcpy(p, &v, sizeof v);
}

// The key repeated across a vector, starting at key[phase].
inline Vector keyVector(const MaskKey &key, std::size_t phase) noexcept
{
    std::uint8_t bytes[sizeof(Vector)];
    for (std::size_t i = 0; i < sizeof bytes; ++i)
        bytes[i] = key[(phase + i) & 3];
    return loadVector(bytes);
}

// Byte-wise XOR for heads and tails shorter than a vector.
inline std::size_t maskBytes(std::uint8_t *dst, const std::uint8_t *src, std::size_t size,
    const MaskKey &key, std::size_t phase) noexcept
{
    for (std::size_t i = 0; i < size; ++i)
        dst[i] = std::uint8_t(src[i] ^ key[(phase + i) & 3]);
    return (phase + size) & 3;
}

std::size_t maskInto(std::uint8_t *dst, const std::uint8_t *src, std::size_t size,
    const MaskKey &key, std::size_t phase) noexcept
{
    phase &= 3;
    if (size < kBlockBytes)
        return maskBytes(dst, src, size, key, phase);

    // Bring the destination to a vector boundary so that no store splits a cache line;
    // loads from `src` may stay unaligned (copyMasked cannot align both).
    const std::size_t misalignment = reinterpret_cast<std::uintptr_t>(dst) % kVectorBytes;
    const std::size_t head = misalignment == 0 ? 0 : kVectorBytes - misalignment;
    phase = maskBytes(dst, src, head, key, phase);
    dst += head;
    src += head;
    size -= head;

    const Vector k = keyVector(key, phase);
    std::size_t i = 0;
    for (; i + kBlockBytes <= size; i += kBlockBytes) {
        const Vector a = loadVector(src + i) ^ k;
        const Vector b = loadVector(src + i + kVectorBytes) ^ k;
        const Vector c = loadVector(src + i + 2 * kVectorBytes) ^ k;
        const Vector d = loadVector(src + i + 3 * kVectorBytes) ^ k;
        storeVector(dst + i, a);
        storeVector(dst + i + kVectorBytes, b);
        storeVector(dst + i + 2 * kVectorBytes, c);
        storeVector(dst + i + 3 * kVectorBytes, d);
    }
    for (; i + kVectorBytes <= size; i += kVectorBytes)
        storeVector(dst + i, loadVector(src + i) ^ k);
    // Every step above covered a multiple of 4 bytes, so the phase is unchanged here.
    return maskBytes(dst + i, src + i, size - i, key, phase);
}

} // namespace

std::size_t applyMask(
    std::uint8_t *data, std::size_t size, const MaskKey &key, std::size_t phase) noexcept
{
    return maskInto(data, data, size, key, phase);
}

std::size_t copyMasked(std::uint8_t *dst, const std::uint8_t *src, std::size_t size,
    const MaskKey &key, std::size_t phase) noexcept
{
    return maskInto(dst, src, size, key, phase);
}

} // namespace frameline
