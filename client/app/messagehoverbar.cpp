#include "messagehoverbar.h"

#include <QFontMetrics>
#include <QPainter>
#include <QPalette>

namespace Confab::Desktop {

namespace {

constexpr int Buttons = 3;
constexpr int RightMargin = 14;

QRect buttonAt(const QRect &bar, int button)
{
    const int side = bar.height();
    return { bar.left() + button * side, bar.top(), side, side };
}

// Glyphs most fonts have (DejaVu, Noto, Segoe), rather than icons to ship for three buttons.
QString glyphOf(MessageHoverBar::Action action)
{
    switch (action) {
    case MessageHoverBar::Action::Reply: return QStringLiteral("↩");
    case MessageHoverBar::Action::React: return QStringLiteral("☺");
    case MessageHoverBar::Action::More: return QStringLiteral("⋯");
    case MessageHoverBar::Action::None: break;
    }
    return {};
}

} // namespace

QRect MessageHoverBar::rect(const QRect &body, const QRect &viewport, const QFont &font)
{
    const int side = QFontMetrics(font).height() + 8;
    const int top
        = std::clamp(body.top() - side / 2, viewport.top() + 1, std::max(viewport.top() + 1, viewport.bottom() - side));
    return { body.right() - RightMargin - Buttons * side + 1, top, Buttons * side, side };
}

void MessageHoverBar::paint(QPainter *painter, const QRect &bar, const QPalette &palette, Action hovered)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QColor border = palette.color(QPalette::Text);
    border.setAlpha(45);
    painter->setPen(border);
    painter->setBrush(palette.color(QPalette::Base));
    painter->drawRoundedRect(QRectF(bar).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);
    for (int button = 0; button < Buttons; ++button) {
        const auto action = Action(button + 1);
        const QRect rect = buttonAt(bar, button);
        if (action == hovered) {
            QColor tint = palette.color(QPalette::Text);
            tint.setAlpha(25);
            painter->setPen(Qt::NoPen);
            painter->setBrush(tint);
            painter->drawRoundedRect(QRectF(rect).adjusted(2, 2, -2, -2), 4, 4);
        }
        painter->setPen(palette.color(QPalette::Text));
        painter->drawText(rect, Qt::AlignCenter, glyphOf(action));
    }
    painter->restore();
}

MessageHoverBar::Action MessageHoverBar::actionAt(const QRect &bar, const QPoint &point)
{
    for (int button = 0; button < Buttons; ++button) {
        if (buttonAt(bar, button).contains(point))
            return Action(button + 1);
    }
    return Action::None;
}

QRect MessageHoverBar::buttonRect(const QRect &bar, Action action)
{
    return action == Action::None ? QRect() : buttonAt(bar, int(action) - 1);
}

QString MessageHoverBar::toolTip(Action action)
{
    switch (action) {
    case Action::Reply: return tr("Reply");
    case Action::React: return tr("Add Reaction");
    case Action::More: return tr("More Actions");
    case Action::None: break;
    }
    return {};
}

} // namespace Confab::Desktop
