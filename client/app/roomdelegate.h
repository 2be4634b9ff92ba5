// Paints a room in the room list: its title, the last message on a second line, and
// an unread badge; rooms with unread messages are bold.
#pragma once

#include <QStyledItemDelegate>

namespace Confab::Desktop {

class RoomDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace Confab::Desktop
