// MessageListView: the hover actions (reply, react, the menu) over the message under the
// pointer. The list paints them over its rows, so a one-line message gets full-size
// buttons that reach into the row above, and hit-tests them before the rows: over the
// bar the pointer stays the bar's row. They follow the pointer also when it did not move
// (the list scrolled), and go when the pointer or the window's activation does.
#include "messagelistview.h"

#include "messagedelegate.h"

#include <QCursor>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace Confab::Desktop {

QRect MessageListView::hoverBarRect() const
{
    if (!m_pointerIndex.isValid() || !MessageDelegate::hasActions(m_pointerIndex))
        return {};
    return MessageHoverBar::rect(m_delegate->bodyRect(optionFor(m_pointerIndex), m_pointerIndex), viewport()->rect(),
                                 font());
}

MessageHoverBar::Action MessageListView::hoverActionAt(const QPoint &point) const
{
    return MessageHoverBar::actionAt(hoverBarRect(), point);
}

void MessageListView::updatePointer(const QPoint &point)
{
    const QRect bar = hoverBarRect();
    // Over the bar the row is the bar's, also where the bar reaches into the row above.
    const QModelIndex index = bar.contains(point) ? QModelIndex(m_pointerIndex) : indexAt(point);
    if (index != m_pointerIndex)
        repaintHover(); // the row left loses the bar
    m_pointer = point;
    m_pointerIndex = index;
    m_delegate->setPointer(point);
    repaintHover(); // the row entered gains it; within a row, the part under the pointer changes
}

void MessageListView::refreshPointer()
{
    const QPoint point = viewport()->mapFromGlobal(QCursor::pos());
    const bool here = isVisible() && isActiveWindow() && viewport()->rect().contains(point);
    updatePointer(here ? point : QPoint(-1, -1));
}

void MessageListView::repaintHover()
{
    if (m_pointerIndex.isValid())
        viewport()->update(visualRect(m_pointerIndex) | hoverBarRect());
}

void MessageListView::triggerHoverAction(MessageHoverBar::Action action)
{
    const QPersistentModelIndex index = m_pointerIndex;
    // Popups open under the button, as a toolbar's do.
    const QPoint below
        = viewport()->mapToGlobal(MessageHoverBar::buttonRect(hoverBarRect(), action).bottomLeft() + QPoint(0, 1));
    switch (action) {
    case MessageHoverBar::Action::Reply: Q_EMIT replyRequested(index); break;
    case MessageHoverBar::Action::React: showEmojiPicker(index, below); break;
    case MessageHoverBar::Action::More: showMessageMenu(index, below, {}); break;
    case MessageHoverBar::Action::None: break;
    }
}

bool MessageListView::showHoverToolTip(const QHelpEvent *event)
{
    const MessageHoverBar::Action action = hoverActionAt(event->pos());
    if (action == MessageHoverBar::Action::None)
        return false;
    QToolTip::showText(event->globalPos(), MessageHoverBar::toolTip(action), viewport(),
                       MessageHoverBar::buttonRect(hoverBarRect(), action));
    return true;
}

void MessageListView::paintEvent(QPaintEvent *event)
{
    QListView::paintEvent(event);
    const QRect bar = hoverBarRect();
    if (!bar.isValid())
        return;
    // Over the rows, as a popover: it covers the end of a long first line.
    QPainter painter(viewport());
    MessageHoverBar::paint(&painter, bar, palette(), MessageHoverBar::actionAt(bar, m_pointer));
}

void MessageListView::scrollContentsBy(int dx, int dy)
{
    QListView::scrollContentsBy(dx, dy);
    refreshPointer(); // another row is under the pointer now
}

bool MessageListView::event(QEvent *event)
{
    // A dialog (Delete's confirmation) or another window took the activation: the bar
    // goes; it comes back where the pointer is when the window is active again.
    if (event->type() == QEvent::WindowDeactivate)
        updatePointer({ -1, -1 });
    else if (event->type() == QEvent::WindowActivate)
        refreshPointer();
    return QListView::event(event);
}

} // namespace Confab::Desktop
