#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QCoreApplication>
#include <QtCore/QString>

#include <cstdint>

namespace frameline {

/// A payload made readable for the payload pane, always as plain text: text as text
/// (JSON pretty-printed when it parses as a JSON object or array), anything else as a
/// hex dump. Long payloads are cut, with a last line saying how much was left out.
struct PayloadText
{
    Q_DECLARE_TR_FUNCTIONS(frameline::PayloadText)

public:
    enum class Format : std::uint8_t { Empty, Text, Json, Hex };
    /// What the sender said the bytes are: text (a text frame or message: shown as
    /// text when valid UTF-8), binary (always hex), or unknown (a continuation or
    /// control frame: text when valid UTF-8 without control characters, else hex).
    enum class Kind : std::uint8_t { Text, Binary, Unknown };

    static constexpr qsizetype kMaxTextBytes = 1024 * 1024;
    static constexpr qsizetype kMaxHexBytes = 64 * 1024;

    Format format = Format::Empty;
    QString text;

    static PayloadText from(QByteArrayView payload, Kind kind,
        qsizetype maxTextBytes = kMaxTextBytes, qsizetype maxHexBytes = kMaxHexBytes);
    /// "0000  48 65 6c 6c 6f …" lines of 16 bytes.
    static QString hexDump(QByteArrayView bytes);
};

} // namespace frameline
