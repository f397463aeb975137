#pragma once

#include <QtGui/QColor>
#include <QtWidgets/QFrame>

#include <cstdint>

QT_BEGIN_NAMESPACE
class QLabel;
class QPalette;
QT_END_NAMESPACE

namespace frameline {

/// The colours of a verdict (a check that passed, failed, or needs a warning), derived
/// from a palette rather than fixed: text colours at a lightness that reads on the
/// palette's Base (dark on light themes, light on dark ones), and tints that are Base
/// mixed towards the hue, so a tinted row never becomes a white box on a dark theme.
/// Shared by the handshake and TLS views.
enum class VerdictTone : std::uint8_t { Neutral, Good, Warning, Bad };

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
    /// The text colour of a tone (invalid for Neutral: the inherited one).
    QColor text(VerdictTone tone) const;
    QColor tint(VerdictTone tone) const;
};

/// A label for text from the wire or a certificate: plain text (never markup),
/// selectable.
QLabel *plainTextLabel(QWidget *parent, bool wrap = true);
/// Sets only the text colour (an invalid colour: the inherited one); every other role
/// stays inherited, so the widget follows later palette changes.
void setTextColor(QWidget *widget, const QColor &color);
/// A tinted background with its text colour.
void setTint(QWidget *widget, const QColor &tint, const QColor &text);

/// The strip on top of a pane that says how something ended (a title in the tone's
/// colour, a detail under it) on the tone's tint.
class VerdictBanner : public QFrame
{
public:
    explicit VerdictBanner(QWidget *parent = nullptr);

    void setMessage(const QString &title, const QString &detail, VerdictTone tone, const VerdictColors &colors);
    QLabel *titleLabel() const { return m_title; }
    QLabel *detailLabel() const { return m_detail; }

private:
    QLabel *m_title = nullptr;
    QLabel *m_detail = nullptr;
};

} // namespace frameline
