#pragma once

#include <QtCore/QString>

namespace frameline {

/// The window's colours: "system" keeps the platform's palette (light or dark as the
/// desktop says), "light" and "dark" choose one whatever the desktop does. Every view
/// paints from the palette, so switching repaints everything with no restart.
enum class Theme { System, Light, Dark };

Theme themeFromName(const QString &name);
QString themeName(Theme theme);
/// Applies `theme` to the whole application. The first call remembers the platform's
/// own style and palette, so System can go back to them.
void applyTheme(Theme theme);
/// True when the current application palette is dark (text lighter than the window).
bool paletteIsDark();

} // namespace frameline
