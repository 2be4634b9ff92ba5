// The conversation's list of messages, with what people expect of chat text: select a
// message's text with the mouse and copy it (Ctrl+C), click links to open them, a
// context menu (Reply, React, Copy, Copy Text, Copy Link, Copy Message Link, Edit,
// Delete), the hover actions, reaction chips and quotes to click, Retry/Discard on
// failed messages. Typing while it has focus goes to the composer. The menu and the
// emoji picker: messagelistviewmenu.cpp.
#pragma once

#include <QListView>
#include <QPointer>

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
    void flashed(const QModelIndex &index);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    QStyleOptionViewItem optionFor(const QModelIndex &index) const;
    int textPositionAt(const QModelIndex &index, const QPoint &point) const;
    void updateCursor(const QPoint &point);
    // The delegate draws the hover actions and the chip under the pointer.
    void updatePointer(const QPoint &point);
    void copySelection() const;
    void showMessageMenu(const QModelIndex &index, const QPoint &globalPos, const QString &link);
    void addReactMenu(QMenu *menu, const QModelIndex &index);
    void showEmojiPicker(const QModelIndex &index, const QPoint &globalPos);

    MessageDelegate *m_delegate;
    QPointer<QWidget> m_typingTarget;
    std::function<QString(qint64)> m_linkBuilder;
    QPersistentModelIndex m_pressIndex;
    QPersistentModelIndex m_pointerIndex; // the row the hover actions are drawn on
    QPersistentModelIndex m_flashIndex;
    QVariantAnimation *m_flash;
    QPoint m_pressPoint;
    int m_anchor = -1;
    int m_position = -1;
    bool m_selecting = false;
};

} // namespace Confab::Desktop
