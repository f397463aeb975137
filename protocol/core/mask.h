#pragma once

#include "frame.h"

#include <cstddef>
#include <cstdint>

namespace frameline {

/// XORs `size` bytes in place with the masking key (RFC 6455 §5.3). `phase` is the
/// key index of the first byte (0–3), so a payload can be masked in pieces; the
/// return value is the phase for the byte after the last one. Works a vector at a
/// time, not a byte at a time.
std::size_t applyMask(std::uint8_t *data, std::size_t size, const MaskKey &key,
                      std::size_t phase = 0) noexcept;

/// Writes `src` XOR key into `dst` (which may equal `src` but must not otherwise
/// overlap it). Same phase rules as applyMask().
std::size_t copyMasked(std::uint8_t *dst, const std::uint8_t *src, std::size_t size,
                       const MaskKey &key, std::size_t phase = 0) noexcept;

} // namespace frameline
