// The reactions under a message as chips, "👍 2", wrapped to the text's width. One
// layout serves measuring, painting and hit-testing, so the row's height is always what
// is painted. The user's own reactions are tinted with the palette's highlight; the emoji
// are drawn in colour (emojiFont), the count in the text's font.
#pragma once

#include <QCoreApplication>
#include <QFont>
#include <QList>
#include <QRect>
#include <QStringList>
#include <QVariantList>

class QPainter;
class QPalette;

namespace Confab::Desktop {

class ReactionChips
{
    Q_DECLARE_TR_FUNCTIONS(ReactionChips)

public:
    // reactions: MessageModel::ReactionsRole, [{emoji, count, users, mine}].
    ReactionChips(const QVariantList &reactions, const QFont &font, int width);

    bool isEmpty() const { return m_chips.isEmpty(); }
    // Including the gap above the chips; 0 without reactions.
    int height() const { return m_height; }
    // hovered: the chip under the pointer (-1: none), drawn a little stronger.
    void paint(QPainter *painter, const QPoint &topLeft, const QPalette &palette, int hovered = -1) const;
    // The chip at point (relative to the chips' top left), -1 when none.
    int chipAt(const QPoint &point) const;
    // Relative to the chips' top left, as chipAt takes points.
    QRect chipRect(int chip) const { return m_chips.value(chip).rect; }
    QString emojiOf(int chip) const { return m_chips.value(chip).emoji; }
    bool isMine(int chip) const { return m_chips.value(chip).mine; }
    // "bob and carol reacted with 👍"
    QString toolTip(int chip) const;

private:
    struct Chip
    {
        QRect rect;
        QString emoji;
        QString count; // as the locale writes it
        int emojiWidth = 0;
        int total = 0;
        QStringList users;
        bool mine = false;
    };
    QList<Chip> m_chips;
    QFont m_font;
    QFont m_emojiFont;
    int m_height = 0;
};

} // namespace Confab::Desktop
