// The quoted message above a reply's text, as Telegram and Slack show it: a bar in the
// quoted sender's colour, their name, and the first line of what they wrote, elided to
// one line. Clicking it leads to the original.
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QVariantMap>

class QFont;
class QPainter;
class QPalette;
class QRect;

namespace Confab::Desktop {

class ReplyQuote
{
    Q_DECLARE_TR_FUNCTIONS(ReplyQuote)

public:
    // The block's height for the font, with the gap under it.
    static int height(const QFont &font);
    // replyTo: MessageModel::ReplyToRole, {id, seq, from, text}.
    static void paint(QPainter *painter, const QRect &rect, const QVariantMap &replyTo, const QFont &font,
                      const QPalette &palette, bool hovered);
    // The first line with text, trimmed: what a quote or the reply banner shows.
    static QString preview(const QString &text);
};

} // namespace Confab::Desktop
