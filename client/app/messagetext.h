// The text of one message laid out for a width: line breaks as typed, wrapping at word
// boundaries (anywhere for long words), right-to-left paragraphs aligned right, http(s)
// links underlined and @mentions highlighted. Text with Markdown (see messagemarkdown.h)
// is a QTextDocument, plain text a QTextLayout, cheaper. One layout serves measuring,
// painting and hit-testing, so the row's height is always the painted text's height.
#pragma once

#include <QColor>
#include <QList>
#include <QRectF>
#include <QString>
#include <QTextLayout>

#include <memory>

class QPalette;
class QTextDocument;

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
    ~MessageText();

    int height() const { return m_height; }
    // Draws at topLeft, with [selectionStart, selectionEnd) highlighted. Positions, here
    // and below, are in shownText().
    void draw(QPainter *painter, const QPointF &topLeft, int selectionStart = -1, int selectionEnd = -1) const;
    // The character position under point (relative to the text's top left), -1 when outside.
    int positionAt(const QPointF &point) const;
    // The link under point, or an empty string.
    QString linkAt(const QPointF &point) const;
    const QList<MessageLink> &links() const { return m_links; }
    // The text as shown (Markdown's marks left out, the note included): what a selection copies.
    QString shownText() const { return m_shownText; }
    // The formatted text, or null for plain text (for tests).
    const QTextDocument *document() const { return m_document.get(); }

private:
    void layOutPlain(const QString &text, const QFont &font, int width, const QPalette &palette, const QString &note);
    void layOutMarkdown(const QString &text, const QFont &font, int width, const QPalette &palette,
                        const QString &note);

    std::unique_ptr<QTextLayout> m_layout;     // plain text
    std::unique_ptr<QTextDocument> m_document; // text with Markdown
    QList<QRectF> m_codeBlocks;                // their backgrounds, in m_document
    QList<QRectF> m_quoteBars;
    QList<MessageLink> m_links;
    QString m_shownText;
    QColor m_selectionBackground;
    QColor m_selectionText;
    QColor m_codeBackground;
    QColor m_quoteBar;
    int m_height = 0;
};

} // namespace Confab::Desktop
