#include "utf8validator.h"

#include <array>
#include <cstring>

// The automaton follows the well-formed byte sequences of RFC 3629 §4 (Unicode Table
// 3-7). Each state remembers what the next byte must be, so an overlong form, a
// surrogate or a code point above U+10FFFF is rejected at the first byte that shows it.
//
// Encoding: a state is a bit position, a multiple of 6. For every input byte one 64-bit
// word holds, in the 6-bit field at position s, the position of the state that follows
// s. A step is therefore one table load and one shift, with no branch and no
// multiplication on the dependency chain.

namespace frameline {
namespace {

enum State : std::uint32_t {
    Accept, // at a character boundary
    Reject, // no continuation can make the input valid; absorbing
    Tail1, // one continuation byte 80–BF left
    Tail2, // two continuation bytes left
    Tail3, // three continuation bytes left
    AfterE0, // E0 A0–BF: smaller second bytes would be overlong
    AfterED, // ED 80–9F: larger second bytes would be surrogates
    AfterF0, // F0 90–BF: smaller second bytes would be overlong
    AfterF4, // F4 80–8F: larger second bytes would be above U+10FFFF
    StateCount
};

constexpr unsigned kFieldBits = 6;
constexpr std::uint64_t kFieldMask = (1u << kFieldBits) - 1;
static_assert(StateCount * kFieldBits <= 64, "every state needs a field in one word");

constexpr std::uint32_t position(State s)
{
    return std::uint32_t(s) * kFieldBits;
}

constexpr bool inRange(unsigned byte, unsigned low, unsigned high)
{
    return byte >= low && byte <= high;
}

// The transition function written out once, as RFC 3629 §4 states the syntax.
constexpr State successor(State from, unsigned byte)
{
    switch (from) {
    case Accept:
        if (byte <= 0x7F)
            return Accept;
        // RFC 3629 §4: C0, C1 (overlong two-byte forms) and F5–FF never appear.
        if (inRange(byte, 0xC2, 0xDF))
            return Tail1;
        if (byte == 0xE0)
            return AfterE0;
        if (byte == 0xED)
            return AfterED;
        if (inRange(byte, 0xE1, 0xEF))
            return Tail2;
        if (byte == 0xF0)
            return AfterF0;
        if (byte == 0xF4)
            return AfterF4;
        if (inRange(byte, 0xF1, 0xF3))
            return Tail3;
        // RFC 3629 §3: a continuation byte cannot start a character.
        return Reject;
    case Tail1:
        return inRange(byte, 0x80, 0xBF) ? Accept : Reject;
    case Tail2:
        return inRange(byte, 0x80, 0xBF) ? Tail1 : Reject;
    case Tail3:
        return inRange(byte, 0x80, 0xBF) ? Tail2 : Reject;
    // RFC 3629 §4: E0 is followed by A0–BF (shorter forms are overlong).
    case AfterE0:
        return inRange(byte, 0xA0, 0xBF) ? Tail1 : Reject;
    // RFC 3629 §4: ED is followed by 80–9F (U+D800–U+DFFF are surrogates, not characters).
    case AfterED:
        return inRange(byte, 0x80, 0x9F) ? Tail1 : Reject;
    // RFC 3629 §4: F0 is followed by 90–BF (shorter forms are overlong).
    case AfterF0:
        return inRange(byte, 0x90, 0xBF) ? Tail2 : Reject;
    // RFC 3629 §4: F4 is followed by 80–8F (U+10FFFF is the last code point).
    case AfterF4:
        return inRange(byte, 0x80, 0x8F) ? Tail2 : Reject;
    case Reject:
    case StateCount:
        break;
    }
    return Reject;
}

constexpr std::array<std::uint64_t, 256> makeTransitions()
{
    std::array<std::uint64_t, 256> table {};
    for (unsigned byte = 0; byte < 256; ++byte) {
        std::uint64_t word = 0;
        for (std::uint32_t s = 0; s < StateCount; ++s)
            word |= std::uint64_t(position(successor(State(s), byte))) << position(State(s));
        table[byte] = word;
    }
    return table;
}

constexpr std::array<std::uint64_t, 256> kTransitions = makeTransitions();

// `state` is a bit position; only its low 6 bits count, which lets the step skip the
// mask (x86 and ARM shifts take the count modulo 64 anyway).
inline std::uint64_t step(std::uint64_t state, std::uint8_t byte) noexcept
{
    return kTransitions[byte] >> (state & 63);
}

constexpr std::uint64_t kAcceptPos = position(Accept);
constexpr std::uint64_t kRejectPos = position(Reject);

// Whole blocks are stepped without looking at the state in between; Reject absorbs, so
// one check after the block tells whether it went wrong.
constexpr std::size_t kBlock = 16;

inline bool isAsciiBlock(const std::uint8_t *p) noexcept
{
    std::uint64_t a;
    std::uint64_t b;
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + 8, 8);
    return ((a | b) & 0x8080808080808080ull) == 0;
}

} // namespace

Utf8Validator::Status Utf8Validator::feed(const std::uint8_t *data, std::size_t size) noexcept
{
    if (m_invalid)
        return Status::Invalid;

    std::uint64_t state = m_state;
    std::size_t i = 0;
    while (i < size) {
        const std::size_t n = size - i < kBlock ? size - i : kBlock;
        if (n == kBlock && (state & kFieldMask) == kAcceptPos && isAsciiBlock(data + i)) {
            i += kBlock;
            continue;
        }
        const std::uint64_t before = state;
        for (std::size_t j = 0; j < n; ++j)
            state = step(state, data[i + j]);
        if ((state & kFieldMask) == kRejectPos) {
            // Walk the block again to find the first byte that could not be valid.
            state = before;
            std::size_t j = 0;
            while ((state & kFieldMask) != kRejectPos)
                state = step(state, data[i + j++]);
            m_invalid = true;
            m_invalidOffset = m_fed + i + j - 1;
            m_state = std::uint32_t(kRejectPos);
            m_fed += size;
            return Status::Invalid;
        }
        i += n;
    }
    m_state = std::uint32_t(state & kFieldMask);
    m_fed += size;
    return status();
}

Utf8Validator::Status Utf8Validator::status() const noexcept
{
    if (m_invalid)
        return Status::Invalid;
    return m_state == kAcceptPos ? Status::Complete : Status::Incomplete;
}

void Utf8Validator::reset() noexcept
{
    m_state = std::uint32_t(kAcceptPos);
    m_fed = 0;
    m_invalidOffset = 0;
    m_invalid = false;
}

bool isValidUtf8(QByteArrayView data) noexcept
{
    Utf8Validator validator;
    return validator.feed(data) == Utf8Validator::Status::Complete;
}

} // namespace frameline
