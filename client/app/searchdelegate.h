// Paints a search result (SearchModel): the room (when searching everywhere), the sender
// and the time on top, then the message's text on up to three lines with the matched
// words bold on a marker background, elided; a match deep in a long message is shown with
// the words just before it.
#pragma once

#include "searchmodel.h"

#include <QStyledItemDelegate>

namespace Confab::Desktop {

class SearchDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    static constexpr int MaxTextLines = 3;

    using QStyledItemDelegate::QStyledItemDelegate;

    void setShowRooms(bool show) { m_showRooms = show; }
    bool showsRooms() const { return m_showRooms; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // What the row shows of a message: whitespace as spaces, starting a little before the
    // first match when that would not show in `visibleCharacters`; the ranges follow.
    struct Snippet
    {
        QString text;
        QList<TextRange> ranges;
    };
    static Snippet snippet(const QString &text, const QList<TextRange> &ranges, qsizetype visibleCharacters);
    // "14:05" today, "Yesterday", a weekday this week, else the short date.
    static QString timeText(qint64 ms);

private:
    bool m_showRooms = false;
};

} // namespace Confab::Desktop
