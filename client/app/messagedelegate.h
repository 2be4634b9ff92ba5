// Paints one message of the conversation: a day separator when the day changes, the
// sender's name, avatar and time when the sender changes (or after a pause), the text,
// and for the user's own messages a state icon; failed ones offer "Retry" and "Discard".
#pragma once

#include <QStyledItemDelegate>

namespace Confab::Desktop {

class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit MessageDelegate(QObject *parent = nullptr);

    void setCurrentUser(const QString &user) { m_user = user; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

Q_SIGNALS:
    void retryRequested(const QString &clientId);
    void discardRequested(const QString &clientId);

private:
    struct Layout
    {
        QRect day;
        QRect header;
        QRect avatar;
        QRect text;
        QRect state;
        QRect retry;
        QRect discard;
        int height = 0;
    };
    Layout layout(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    QString m_user;
};

} // namespace Confab::Desktop
