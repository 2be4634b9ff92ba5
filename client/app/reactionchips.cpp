#include "reactionchips.h"

#include "emoji.h"

#include <QFontMetrics>
#include <QLocale>
#include <QPainter>
#include <QPalette>

namespace Confab::Desktop {

namespace {

constexpr int Gap = 4;      // above the chips, and between them
constexpr int Padding = 8;  // inside a chip, left and right
constexpr int Space = 4;    // between the emoji and the count
constexpr int MaxNamed = 8; // a tooltip names this many, then counts the rest

} // namespace

ReactionChips::ReactionChips(const QVariantList &reactions, const QFont &font, int width)
    : m_font(font)
    , m_emojiFont(emojiFont(font))
{
    if (reactions.isEmpty())
        return;
    const QFontMetrics metrics(font);
    const QFontMetrics emojiMetrics(m_emojiFont);
    const int chipHeight = std::max(metrics.height(), emojiMetrics.height()) + 6;
    const QLocale locale;
    int x = 0;
    int y = Gap;
    for (const QVariant &value : reactions) {
        const QVariantMap reaction = value.toMap();
        Chip chip;
        chip.emoji = reaction.value(QStringLiteral("emoji")).toString();
        chip.total = reaction.value(QStringLiteral("count")).toInt();
        chip.count = locale.toString(chip.total);
        chip.users = reaction.value(QStringLiteral("users")).toStringList();
        chip.mine = reaction.value(QStringLiteral("mine")).toBool();
        chip.emojiWidth = emojiMetrics.horizontalAdvance(chip.emoji);
        const int chipWidth = chip.emojiWidth + Space + metrics.horizontalAdvance(chip.count) + 2 * Padding;
        if (x > 0 && x + chipWidth > width) { // wraps like words
            x = 0;
            y += chipHeight + Gap;
        }
        chip.rect = QRect(x, y, chipWidth, chipHeight);
        x += chipWidth + Gap;
        m_chips.append(chip);
    }
    m_height = y + chipHeight;
}

void ReactionChips::paint(QPainter *painter, const QPoint &topLeft, const QPalette &palette, int hovered) const
{
    painter->save();
    const QColor highlight = palette.color(QPalette::Highlight);
    QColor idle = palette.color(QPalette::Text);
    for (int i = 0; i < m_chips.size(); ++i) {
        const Chip &chip = m_chips.at(i);
        const QRectF rect = QRectF(chip.rect.translated(topLeft)).adjusted(0.5, 0.5, -0.5, -0.5);
        QColor fill = chip.mine ? highlight : idle;
        fill.setAlpha(chip.mine ? (i == hovered ? 70 : 45) : (i == hovered ? 30 : 14));
        QColor border = chip.mine ? highlight : idle;
        border.setAlpha(chip.mine ? 220 : 40);
        painter->setPen(border);
        painter->setBrush(fill);
        painter->drawRoundedRect(rect, rect.height() / 2, rect.height() / 2);
        painter->setPen(palette.color(QPalette::Text));
        const QRectF content = rect.adjusted(Padding, 0, -Padding, 0);
        painter->setFont(m_emojiFont);
        painter->drawText(content, Qt::AlignLeft | Qt::AlignVCenter, chip.emoji);
        painter->setFont(m_font);
        painter->drawText(content.adjusted(chip.emojiWidth + Space, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                          chip.count);
    }
    painter->restore();
}

int ReactionChips::chipAt(const QPoint &point) const
{
    for (int i = 0; i < m_chips.size(); ++i) {
        if (m_chips.at(i).rect.contains(point))
            return i;
    }
    return -1;
}

QString ReactionChips::toolTip(int chip) const
{
    if (chip < 0 || chip >= m_chips.size())
        return {};
    const Chip &reaction = m_chips.at(chip);
    QStringList named = reaction.users.mid(0, MaxNamed);
    // The server names the first twenty; the count has them all.
    const int others = reaction.total - int(named.size());
    const QLocale locale;
    QString who;
    if (named.isEmpty())
        who = reaction.count;
    else if (others > 0)
        who = tr("%1 and %2 more").arg(named.join(QStringLiteral(", ")), locale.toString(others));
    else if (named.size() == 1)
        who = named.at(0);
    else
        who = tr("%1 and %2").arg(QStringList(named.mid(0, named.size() - 1)).join(QStringLiteral(", ")), named.last());
    return tr("%1 reacted with %2").arg(who, reaction.emoji);
}

} // namespace Confab::Desktop
