// The conversation's list of messages, with what people expect of chat text: select a
// message's text with the mouse and copy it (Ctrl+C), click links to open them, a
// context menu (Reply, React, Copy, Copy Text, Copy Link, Copy Message Link, Edit,
// Delete), the hover actions, reaction chips and quotes to click, Retry/Discard on
// failed messages. Typing while it has focus goes to the composer. The menu and the
// emoji picker: messagelistviewmenu.cpp; the hover actions: messagelistviewhover.cpp.
#pragma once

#include "attachmentchips.h"

#include "messagehoverbar.h"

#include <QListView>
#include <QPointer>

class QHelpEvent;
class QMenu;
class QVariantAnimation;

namespace Confab::Desktop {

class MessageDelegate;

class MessageListView : public QListView
{
    Q_OBJECT
public:
    MessageListView(MessageDelegate *delegate, QWidget *parent = nullptr);

    // Where typed text goes (the composer).
    void setTypingTarget(QWidget *target) { m_typingTarget = target; }
    // The selected text, or empty.
    QString selectedText() const;
    void clearTextSelection();
    // Builds the "Copy Message Link" link for a seq.
    void setMessageLinkBuilder(std::function<QString(qint64 seq)> builder) { m_linkBuilder = std::move(builder); }
    // Tints the row for a moment, fading out: the message a quote or a search led to.
    void flash(const QModelIndex &index);
    // The hover actions of the message under the pointer (viewport coordinates), or an
    // empty rect. They may reach into the row above.
    QRect hoverBarRect() const;

Q_SIGNALS:
    void linkActivated(const QString &url);
    void retryRequested(const QString &clientId);
    void discardRequested(const QString &clientId);
    void replyRequested(const QModelIndex &index);
    void editRequested(const QModelIndex &index);
    void deleteRequested(const QModelIndex &index);
    // The user's reaction with emoji: added, or taken back when it is there.
    void reactionToggled(const QModelIndex &index, const QString &emoji);
    // The quote above a reply was clicked: seq is the quoted message's.
    void quoteActivated(qint64 seq);
    // A file chip was clicked (Open) or Save As… chosen: file is {id, name, size, type}.
    void fileActivated(const QVariantMap &file, Confab::Desktop::FileAction action);
    void flashed(const QModelIndex &index);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    QStyleOptionViewItem optionFor(const QModelIndex &index) const;
    int textPositionAt(const QModelIndex &index, const QPoint &point) const;
    void updateCursor(const QPoint &point);
    // messagelistviewhover.cpp: the row under the pointer gets the hover actions; the
    // delegate draws the chip or quote under it hovered.
    void updatePointer(const QPoint &point);
    // The pointer did not move but what is under it may have: the list scrolled, a menu
    // or a dialog closed. {-1, -1} when it is elsewhere.
    void refreshPointer();
    void repaintHover();
    MessageHoverBar::Action hoverActionAt(const QPoint &point) const;
    void triggerHoverAction(MessageHoverBar::Action action);
    bool showHoverToolTip(const QHelpEvent *event);
    void copySelection() const;
    void showMessageMenu(const QModelIndex &index, const QPoint &globalPos, const QString &link,
                         const QVariantMap &file = {});
    void addReactMenu(QMenu *menu, const QModelIndex &index);
    void showEmojiPicker(const QModelIndex &index, const QPoint &globalPos);

    MessageDelegate *m_delegate;
    QPointer<QWidget> m_typingTarget;
    std::function<QString(qint64)> m_linkBuilder;
    QPersistentModelIndex m_pressIndex;
    QPersistentModelIndex m_pointerIndex; // the row the hover actions are drawn on
    QPoint m_pointer { -1, -1 };
    QPersistentModelIndex m_flashIndex;
    QVariantAnimation *m_flash;
    QPoint m_pressPoint;
    int m_anchor = -1;
    int m_position = -1;
    bool m_selecting = false;
};

} // namespace Confab::Desktop
