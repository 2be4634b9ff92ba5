// Paints one message of the conversation: a day separator when the day changes, the
// "New messages" divider, the sender's name, avatar and time when the sender changes (or
// after a pause), the text (links, selection), and for the user's own messages a state
// icon; failed ones say why and offer "Retry" (when retrying can help) and "Discard".
// A reply shows the message it quotes above its text; its files and then its reactions
// show as chips under it.
// The hover actions over the message under the pointer are the list's (messagelistview.h).
// Row heights are cached per message and width, so a new message costs one layout, not
// one per row of the window.
#pragma once

#include "attachmentchips.h"
#include "messagetext.h"

#include <QCache>
#include <QHash>
#include <QPersistentModelIndex>
#include <QStyledItemDelegate>

namespace Confab::Desktop {

class ImageCache;

class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit MessageDelegate(QObject *parent = nullptr);

    void setCurrentUser(const QString &user) { m_user = user; }
    // Where inline pictures come from; without it they stay placeholders.
    void setImageCache(ImageCache *images) { m_images = images; }
    QString currentUser() const { return m_user; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // Hit-testing for the list's mouse handling; point in the list's viewport coordinates.
    enum class Part { None, Text, Link, Retry, Discard, Quote, Reaction, Attachment };
    Part partAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &point,
                QString *link = nullptr, int *textPosition = nullptr) const;
    // The emoji of the reaction chip at point, or an empty string.
    QString reactionAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &point) const;
    // The file chip at point: {id, name, size, type} (pending ones {name, size, pending}),
    // or nothing.
    QVariantMap attachmentAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &point) const;
    // Where a message's chip-th file is, in the viewport; null when it has no such file.
    QRect attachmentRect(const QStyleOptionViewItem &option, const QModelIndex &index, int chip) const;
    // Whether a message offers the hover actions (stored and not deleted).
    static bool hasActions(const QModelIndex &index);
    // The message itself, below its day or unread divider: where the hover actions go.
    QRect bodyRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    // Where the pointer is in the viewport ({-1, -1}: elsewhere): the chip or quote under
    // it is drawn hovered.
    void setPointer(const QPoint &point) { m_pointer = point; }
    // A row drawn tinted, strength 1 fading to 0: the message a quote or a search led to.
    void setFlash(const QModelIndex &index, qreal strength);
    QPersistentModelIndex flashIndex() const { return m_flash; }
    // The selected characters of one message, painted highlighted.
    void setSelection(const QModelIndex &index, int start, int end);
    QPersistentModelIndex selectionIndex() const { return m_selection; }
    // The measured height of a row (for tests: it must fit the painted text).
    int cachedHeight(const QModelIndex &index) const;
    int textHeight(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    int cacheSize() const { return int(m_heights.size()); }
    // The text of a message as shown (Markdown's marks left out): what selection positions
    // count in and a selection copies.
    QString shownText(const QStyleOptionViewItem &option, const QModelIndex &index) const;

private:
    struct Layout
    {
        QRect day;
        QRect unread;
        QRect header;
        QRect avatar;
        QRect body; // the message itself, below any divider
        QRect quote;
        QRect text;
        QRect attachments;
        QRect reactions;
        QRect state;
        QRect failure;
        QRect retry;
        QRect discard;
        int height = 0;
    };
    // What a row's height depends on besides its flags, measured once per message and width.
    struct Measures
    {
        int text = 0;
        int reactions = 0;
        int attachments = 0;
    };
    struct CachedHeight
    {
        int width = 0;
        Measures measures;
    };
    int flagsOf(const QModelIndex &index) const;
    AttachmentChips attachmentsOf(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    static int shownTextHeight(const MessageText &text, const AttachmentChips &files);
    Measures measure(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    Layout layout(const QStyleOptionViewItem &option, const QModelIndex &index, int flags,
                  const Measures &measures) const;
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
    // The tip for what is at point, and the area it is about: it goes when the pointer leaves that.
    std::pair<QString, QRect> toolTipAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                        const Layout &rects, const QPoint &point) const;

    QString m_user;
    ImageCache *m_images = nullptr;
    QPersistentModelIndex m_selection;
    int m_selectionStart = -1;
    int m_selectionEnd = -1;
    QPoint m_pointer { -1, -1 };
    QPersistentModelIndex m_flash;
    qreal m_flashStrength = 0;
    mutable QHash<QString, CachedHeight> m_heights; // by message key
    mutable QCache<QString, MessageText> m_texts;   // by message key and width
    mutable QFont m_cachedFont;
    mutable qint64 m_cachedPalette = 0;
};

} // namespace Confab::Desktop
