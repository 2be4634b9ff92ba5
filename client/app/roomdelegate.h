// Paints a room in the room list: its title, the last message on a second line, and
// an unread badge; rooms with unread messages are bold. The last message shows as it
// reads, without its Markdown markers.
#pragma once

#include <QCache>
#include <QStyledItemDelegate>

namespace Confab::Desktop {

class RoomDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    // Parsed once per text, not at every paint: by the message's text.
    QString previewOf(const QString &text) const;
    mutable QCache<QString, QString> m_previews { 64 };
};

} // namespace Confab::Desktop
