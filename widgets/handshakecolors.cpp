#include "handshakecolors.h"

#include <QtGui/QPalette>

namespace frameline {
namespace {

QColor mix(const QColor &a, const QColor &b, float t)
{
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t, a.blueF() + (b.blueF() - a.blueF()) * t);
}

} // namespace

VerdictColors VerdictColors::fromPalette(const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const bool dark = base.lightness() < 128;
    // Dark text hues on a light base, light ones on a dark base: both keep a contrast
    // near 4.5:1 against white and against a #202020-ish base.
    const int lightness = dark ? 175 : 85;
    VerdictColors c;
    c.error = QColor::fromHsl(0, 190, lightness);
    c.success = QColor::fromHsl(125, 150, dark ? 165 : 70);
    c.warning = QColor::fromHsl(32, 200, dark ? 170 : 75);
    c.muted = mix(text, base, 0.45f);
    c.errorTint = mix(base, c.error, dark ? 0.28f : 0.14f);
    c.successTint = mix(base, c.success, dark ? 0.22f : 0.12f);
    c.warningTint = mix(base, c.warning, dark ? 0.26f : 0.16f);
    c.neutralTint = mix(base, text, 0.06f);
    return c;
}

} // namespace frameline
