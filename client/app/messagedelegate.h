// Paints one message of the conversation: a day separator when the day changes, the
// "New messages" divider, the sender's name, avatar and time when the sender changes (or
// after a pause), the text (links, selection), and for the user's own messages a state
// icon; failed ones say why and offer "Retry" (when retrying can help) and "Discard".
// Row heights are cached per message and width, so a new message costs one layout, not
// one per row of the window.
#pragma once

#include "messagetext.h"

#include <QCache>
#include <QHash>
#include <QPersistentModelIndex>
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
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // Hit-testing for the list's mouse handling; point in the list's viewport coordinates.
    enum class Part { None, Text, Link, Retry, Discard };
    Part partAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &point,
                QString *link = nullptr, int *textPosition = nullptr) const;
    // The selected characters of one message, painted highlighted.
    void setSelection(const QModelIndex &index, int start, int end);
    QPersistentModelIndex selectionIndex() const { return m_selection; }
    // The measured height of a row (for tests: it must fit the painted text).
    int cachedHeight(const QModelIndex &index) const;
    int textHeight(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    int cacheSize() const { return int(m_heights.size()); }

private:
    struct Layout
    {
        QRect day;
        QRect unread;
        QRect header;
        QRect avatar;
        QRect text;
        QRect state;
        QRect failure;
        QRect retry;
        QRect discard;
        int height = 0;
    };
    struct CachedHeight
    {
        int width = 0;
        int height = 0;
    };
    int flagsOf(const QModelIndex &index) const;
    Layout layout(const QStyleOptionViewItem &option, const QModelIndex &index, int flags, int textHeight) const;
    // The laid-out text of a row, kept for the rows on screen: painting a new message must
    // not shape the text of every other visible one again.
    const MessageText &textOf(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void clearCachesIfStyleChanged(const QStyleOptionViewItem &option) const;
    void paintDivider(QPainter *painter, const QRect &rect, const QString &label, const QColor &color, bool bold) const;
    void paintBackground(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                         const Layout &rects) const;
    void paintHeader(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                     const Layout &rects) const;
    void paintFailure(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                      const Layout &rects) const;

    QString m_user;
    QPersistentModelIndex m_selection;
    int m_selectionStart = -1;
    int m_selectionEnd = -1;
    mutable QHash<QString, CachedHeight> m_heights; // by message key
    mutable QCache<QString, MessageText> m_texts;   // by message key and width
    mutable QFont m_cachedFont;
    mutable qint64 m_cachedPalette = 0;
};

} // namespace Confab::Desktop
