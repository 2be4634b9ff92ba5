// The buttons at the top right of the message under the pointer, as Slack has them:
// reply, add a reaction, and the message's menu. Painted by the list over its rows (it
// may reach into the row above) and hit-tested with the same geometry.
#pragma once

#include <QCoreApplication>
#include <QRect>

class QFont;
class QPainter;
class QPalette;

namespace Confab::Desktop {

class MessageHoverBar
{
    Q_DECLARE_TR_FUNCTIONS(MessageHoverBar)

public:
    enum class Action { None, Reply, React, More };

    // The bar at the top right of body (the message without its day or unread divider),
    // straddling the body's top edge as Slack's does: a one-line message gets buttons of
    // full size too. Kept inside viewport.
    static QRect rect(const QRect &body, const QRect &viewport, const QFont &font);
    // hovered: the button under the pointer, tinted.
    static void paint(QPainter *painter, const QRect &bar, const QPalette &palette, Action hovered);
    static Action actionAt(const QRect &bar, const QPoint &point);
    static QRect buttonRect(const QRect &bar, Action action);
    static QString toolTip(Action action);
};

} // namespace Confab::Desktop
