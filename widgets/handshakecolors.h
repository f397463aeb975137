#pragma once

#include <QtGui/QColor>

QT_BEGIN_NAMESPACE
class QPalette;
QT_END_NAMESPACE

namespace frameline {

/// The colours of a verdict (a check that passed, failed, or needs a warning), derived
/// from a palette rather than fixed: text colours at a lightness that reads on the
/// palette's Base (dark on light themes, light on dark ones), and tints that are Base
/// mixed towards the hue, so a tinted row never becomes a white box on a dark theme.
/// Shared by the handshake and TLS views.
struct VerdictColors
{
    QColor error;
    QColor success;
    QColor warning;
    QColor muted; ///< secondary text (CRLF markers, "not checked")
    QColor errorTint; ///< background of a failed row or banner
    QColor successTint;
    QColor warningTint;
    QColor neutralTint; ///< background of a banner that is neither good nor bad

    static VerdictColors fromPalette(const QPalette &palette);
};

} // namespace frameline
