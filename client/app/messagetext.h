// The text of one message laid out for a width: line breaks as typed, wrapping at word
// boundaries (anywhere for long words), right-to-left paragraphs aligned right, and
// http(s) links underlined. One layout serves measuring, painting and hit-testing, so
// the row's height is always the painted text's height.
#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QTextLayout>

#include <memory>

class QPalette;

namespace Confab::Desktop {

struct MessageLink
{
    int start = 0;
    int length = 0;
    QString url;
};

// The http(s) links in text, trailing punctuation left out.
QList<MessageLink> findLinks(const QString &text);

class MessageText
{
public:
    // `note` follows the text, quieter and in italics: "(edited)", or stands alone for a
    // deleted message.
    MessageText(const QString &text, const QFont &font, int width, const QPalette &palette, const QString &note = {});

    int height() const { return m_height; }
    // Draws at topLeft, with [selectionStart, selectionEnd) highlighted.
    void draw(QPainter *painter, const QPointF &topLeft, int selectionStart = -1, int selectionEnd = -1) const;
    // The character position under point (relative to the text's top left), -1 when outside.
    int positionAt(const QPointF &point) const;
    // The link under point, or an empty string.
    QString linkAt(const QPointF &point) const;
    const QList<MessageLink> &links() const { return m_links; }

private:
    std::unique_ptr<QTextLayout> m_layout;
    QList<MessageLink> m_links;
    QColor m_selectionBackground;
    QColor m_selectionText;
    int m_height = 0;
};

} // namespace Confab::Desktop
