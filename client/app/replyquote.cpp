#include "replyquote.h"

#include "theme.h"

#include <QFontMetrics>
#include <QPainter>
#include <QPalette>
#include <QRect>

namespace Confab::Desktop {

namespace {

constexpr int Bar = 3;
constexpr int Gap = 4; // between the quote and the text under it

} // namespace

int ReplyQuote::height(const QFont &font)
{
    return QFontMetrics(font).height() + 6 + Gap;
}

QString ReplyQuote::preview(const QString &text)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (!line.trimmed().isEmpty())
            return line.trimmed();
    }
    return {};
}

void ReplyQuote::paint(QPainter *painter, const QRect &rect, const QVariantMap &replyTo, const QFont &font,
                       const QPalette &palette, bool hovered)
{
    const QString from = replyTo.value(QStringLiteral("from")).toString();
    const QString text = preview(replyTo.value(QStringLiteral("text")).toString());
    const bool dark = isDark(palette);
    const QRect block = rect.adjusted(0, 0, 0, -Gap);
    painter->save();
    QColor background = palette.color(QPalette::Text);
    background.setAlpha(hovered ? (dark ? 30 : 20) : (dark ? 18 : 10));
    painter->fillRect(block, background);
    painter->fillRect(QRect(block.topLeft(), QSize(Bar, block.height())), senderColor(from, dark));

    QFont nameFont = font;
    nameFont.setBold(true);
    const QRect inner = block.adjusted(Bar + 8, 0, -8, 0);
    const QFontMetrics nameMetrics(nameFont);
    const QString name = nameMetrics.elidedText(from, Qt::ElideRight, inner.width() / 2);
    painter->setFont(nameFont);
    painter->setPen(senderColor(from, dark));
    painter->drawText(inner, Qt::AlignLeft | Qt::AlignVCenter, name);

    QFont textFont = font;
    // The original is gone: say so, quieter, as the deleted message itself does.
    textFont.setItalic(text.isEmpty());
    painter->setFont(textFont);
    painter->setPen(palette.color(QPalette::PlaceholderText));
    const QRect textRect = inner.adjusted(nameMetrics.horizontalAdvance(name) + 8, 0, 0, 0);
    const QString shown = text.isEmpty() ? tr("Deleted message") : text;
    painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(textFont).elidedText(shown, Qt::ElideRight, textRect.width()));
    painter->restore();
}

} // namespace Confab::Desktop
