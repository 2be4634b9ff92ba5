// Paints a room member: a presence dot, the name, and the status in words
// ("Away", "Last seen 5 min ago"; "offline?" while we are disconnected and cannot know).
#pragma once

#include <QStyledItemDelegate>

namespace Confab::Desktop {

class MemberDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;
    // The words under the name: "Online", "Last seen …", "offline?".
    static QString detailText(const QModelIndex &index);
};

} // namespace Confab::Desktop
