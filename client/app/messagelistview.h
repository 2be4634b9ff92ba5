// The conversation's list of messages, with what people expect of chat text: select a
// message's text with the mouse and copy it (Ctrl+C), click links to open them, a
// context menu (Copy, Copy Text, Copy Link, Copy Message Link), Retry/Discard on failed
// messages. Typing while it has focus goes to the composer.
#pragma once

#include <QListView>
#include <QPointer>

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

Q_SIGNALS:
    void linkActivated(const QString &url);
    void retryRequested(const QString &clientId);
    void discardRequested(const QString &clientId);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    QStyleOptionViewItem optionFor(const QModelIndex &index) const;
    int textPositionAt(const QModelIndex &index, const QPoint &point) const;
    void updateCursor(const QPoint &point);
    void copySelection() const;

    MessageDelegate *m_delegate;
    QPointer<QWidget> m_typingTarget;
    std::function<QString(qint64)> m_linkBuilder;
    QPersistentModelIndex m_pressIndex;
    QPoint m_pressPoint;
    int m_anchor = -1;
    int m_position = -1;
    bool m_selecting = false;
};

} // namespace Confab::Desktop
