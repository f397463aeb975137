#include "verdictcolors.h"

#include <QtGui/QPalette>
#include <QtWidgets/QLabel>
#include <QtWidgets/QVBoxLayout>

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

QColor VerdictColors::text(VerdictTone tone) const
{
    switch (tone) {
    case VerdictTone::Good:
        return success;
    case VerdictTone::Warning:
        return warning;
    case VerdictTone::Bad:
        return error;
    case VerdictTone::Neutral:
        break;
    }
    return {};
}

QColor VerdictColors::tint(VerdictTone tone) const
{
    switch (tone) {
    case VerdictTone::Good:
        return successTint;
    case VerdictTone::Warning:
        return warningTint;
    case VerdictTone::Bad:
        return errorTint;
    case VerdictTone::Neutral:
        break;
    }
    return neutralTint;
}

QLabel *plainTextLabel(QWidget *parent, bool wrap)
{
    auto *label = new QLabel(parent);
    // Values come from the peer: never read them as markup.
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(wrap);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

void setTextColor(QWidget *widget, const QColor &color)
{
    QPalette palette;
    if (color.isValid())
        palette.setColor(QPalette::WindowText, color);
    widget->setPalette(palette);
}

void setTint(QWidget *widget, const QColor &tint, const QColor &text)
{
    QPalette palette;
    palette.setColor(QPalette::Window, tint);
    palette.setColor(QPalette::WindowText, text);
    widget->setPalette(palette);
}

VerdictBanner::VerdictBanner(QWidget *parent)
    : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_title = plainTextLabel(this);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_detail = plainTextLabel(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(m_title);
    layout->addWidget(m_detail);
}

void VerdictBanner::setMessage(const QString &title, const QString &detail, VerdictTone tone,
                               const VerdictColors &colors)
{
    m_title->setText(title);
    m_detail->setText(detail);
    m_detail->setVisible(!detail.isEmpty());
    setTint(this, colors.tint(tone), parentWidget() ? parentWidget()->palette().color(QPalette::Text)
                                                    : palette().color(QPalette::Text));
    setTextColor(m_title, colors.text(tone));
}

} // namespace frameline
