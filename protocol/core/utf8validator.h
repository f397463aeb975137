#pragma once

#include <QtCore/QByteArrayView>

#include <cstddef>
#include <cstdint>

namespace frameline {

/// Incremental UTF-8 validation (RFC 3629, as RFC 6455 §8.1 requires for text). Feed
/// the payload in any pieces; it fails at the first byte that cannot belong to a valid
/// sequence (overlong forms, surrogates, code points above U+10FFFF, bytes C0, C1,
/// F5–FF), not at the end of the message.
class Utf8Validator
{
public:
    enum class Status : std::uint8_t {
        Complete,   ///< valid, ends on a character boundary
        Incomplete, ///< valid so far, ends inside a multi-byte sequence
        Invalid,    ///< cannot be valid whatever follows
    };

    /// Validates the next piece; once Invalid, stays Invalid until reset().
    Status feed(const std::uint8_t *data, std::size_t size) noexcept;
    Status feed(QByteArrayView data) noexcept
    {
        return feed(reinterpret_cast<const std::uint8_t *>(data.data()), std::size_t(data.size()));
    }

    Status status() const noexcept;
    /// Offset, counted over everything fed since reset(), of the first byte that made
    /// the input invalid; meaningful only when status() is Invalid.
    std::uint64_t invalidOffset() const noexcept { return m_invalidOffset; }
    void reset() noexcept;

private:
    std::uint32_t m_state = 0; // automaton state; 0 = at a character boundary
    std::uint64_t m_fed = 0;
    std::uint64_t m_invalidOffset = 0;
    bool m_invalid = false;
};

/// True when the whole buffer is valid, complete UTF-8.
bool isValidUtf8(QByteArrayView data) noexcept;

} // namespace frameline
