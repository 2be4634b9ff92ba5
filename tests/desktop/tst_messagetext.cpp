// MessageText: Markdown in messages (Qt's parser, GitHub dialect, raw HTML as text), laid
// out so that what is measured is what is painted, hit-tested on the rendered text; emoji
// drawn with the colour emoji fonts.
#include "emoji.h"
#include "messagemarkdown.h"
#include "messagetext.h"

#include <QAbstractTextDocumentLayout>
#include <QImage>
#include <QPainter>
#include <QPalette>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextList>

using namespace Confab;
using Desktop::MessageText;

class tst_MessageText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plainTextKeepsTheCheapLayout();
    void markupIsDetected_data();
    void markupIsDetected();
    void inlineFormats();
    void fencedCodeIsFixedPitchAndPadded();
    void quotesAndLists();
    void lineBreaksAsTyped();
    void htmlIsShownAsText();
    void imagesAreNotLoaded();
    void onlyWebLinksAreLinks();
    void mentionsAreHighlighted();
    void linksAreHitOnTheRenderedText();
    void longCodeGrowsAndWrapsWithinTheWidth();
    void nothingIsPaintedOutsideTheWidth();
    void selectionPositionsAreInTheShownText();
    void notes();
    void emojiAreFoundAndDrawnInColour();
    void plainTextDropsTheMarkers();

private:
    QFont m_font;
    QPalette m_palette;
};

namespace {

// The format of the character at position in document.
QTextCharFormat formatAt(const QTextDocument *document, int position)
{
    QTextCursor cursor(const_cast<QTextDocument *>(document));
    cursor.setPosition(position + 1);
    return cursor.charFormat();
}

QTextBlock blockWith(const QTextDocument *document, const QString &text)
{
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        if (block.text() == text)
            return block;
    }
    return {};
}

// The middle of the character at position, in the text's coordinates.
// Where a block's lines are (blockBoundingRect leaves its margins out of the position).
QRectF blockRect(const QTextBlock &block)
{
    return block.layout()->boundingRect().translated(block.layout()->position());
}

QPointF pointAt(const QTextDocument *document, int position)
{
    const QTextBlock block = document->findBlock(position);
    const QTextLayout *layout = block.layout();
    const int inBlock = position - block.position();
    const QTextLine line = layout->lineForTextPosition(inBlock);
    const qreal x = (line.cursorToX(inBlock) + line.cursorToX(inBlock + 1)) / 2;
    return layout->position() + QPointF(x, line.y() + line.height() / 2);
}

} // namespace

void tst_MessageText::plainTextKeepsTheCheapLayout()
{
    const MessageText text(QStringLiteral("just words, see https://example.org/a. @bob 2.5 - x"), m_font, 400,
                           m_palette);
    QVERIFY(!text.document());
    QCOMPARE(text.shownText(), QStringLiteral("just words, see https://example.org/a. @bob 2.5 - x"));
    QCOMPARE(text.links().size(), 1);
    QCOMPARE(text.links().at(0).url, QStringLiteral("https://example.org/a"));
}

void tst_MessageText::markupIsDetected_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("markup");
    QTest::newRow("plain") << QStringLiteral("hello there, 3 - 2 = 1 > 0") << false;
    QTest::newRow("html") << QStringLiteral("<b>x</b>") << false;
    QTest::newRow("bold") << QStringLiteral("a **b**") << true;
    QTest::newRow("code") << QStringLiteral("a `b`") << true;
    QTest::newRow("strike") << QStringLiteral("~~b~~") << true;
    QTest::newRow("link") << QStringLiteral("[a](https://example.org)") << true;
    QTest::newRow("quote") << QStringLiteral("x\n  > quoted") << true;
    QTest::newRow("list") << QStringLiteral("- one") << true;
    QTest::newRow("numbered") << QStringLiteral("intro\n12. twelve") << true;
    QTest::newRow("number") << QStringLiteral("12.5 degrees") << false;
}

void tst_MessageText::markupIsDetected()
{
    QFETCH(QString, text);
    QFETCH(bool, markup);
    QCOMPARE(Desktop::hasMarkup(text), markup);
    QCOMPARE(MessageText(text, m_font, 400, m_palette).document() != nullptr, markup);
}

void tst_MessageText::inlineFormats()
{
    const MessageText text(QStringLiteral("**bold** *italic* ~~gone~~ `code()`"), m_font, 400, m_palette);
    const QTextDocument *document = text.document();
    QVERIFY(document);
    QCOMPARE(text.shownText(), QStringLiteral("bold italic gone code()"));
    QCOMPARE(formatAt(document, 0).fontWeight(), int(QFont::Bold));
    QVERIFY(!formatAt(document, 0).fontItalic());
    QVERIFY(formatAt(document, 5).fontItalic());
    QCOMPARE(formatAt(document, 5).fontWeight(), int(QFont::Normal));
    QVERIFY(formatAt(document, 12).fontStrikeOut());
    QVERIFY(!formatAt(document, 11).fontStrikeOut());
    QVERIFY(formatAt(document, 17).fontFixedPitch());
    QVERIFY(formatAt(document, 17).background().style() != Qt::NoBrush); // code on a tint
    QVERIFY(!formatAt(document, 16).fontFixedPitch());
}

void tst_MessageText::fencedCodeIsFixedPitchAndPadded()
{
    const MessageText text(QStringLiteral("before\n```cpp\nint x = 1;\n\n  return x;\n```\nafter"), m_font, 400,
                           m_palette);
    const QTextDocument *document = text.document();
    QVERIFY(document);
    QCOMPARE(text.shownText(), QStringLiteral("before\nint x = 1;\n\n  return x;\nafter"));
    const QTextBlock code = blockWith(document, QStringLiteral("int x = 1;"));
    QVERIFY(code.isValid());
    const QTextCharFormat format = formatAt(document, code.position());
    QVERIFY(format.fontFixedPitch());
    const QFontMetrics mono(format.font()); // a monospaced font, whatever fontconfig calls it
    QCOMPARE(mono.horizontalAdvance(QLatin1Char('i')), mono.horizontalAdvance(QLatin1Char('W')));
    QVERIFY(formatAt(document, blockWith(document, QStringLiteral("  return x;")).position() + 2).fontFixedPitch());
    QVERIFY(!formatAt(document, 0).fontFixedPitch());
    QVERIFY(!formatAt(document, blockWith(document, QStringLiteral("after")).position()).fontFixedPitch());
    // Padded: the code's text starts in from the left and apart from the text around it.
    const QRectF codeRect = blockRect(code);
    QVERIFY2(codeRect.left() >= Desktop::CodeBlockPadding, qPrintable(QString::number(codeRect.left())));
    const QRectF before = blockRect(document->firstBlock());
    QVERIFY(codeRect.top() >= before.bottom() + Desktop::CodeBlockPadding);
    const QRectF after = blockRect(blockWith(document, QStringLiteral("after")));
    const QRectF last = blockRect(blockWith(document, QStringLiteral("  return x;")));
    QVERIFY(after.top() >= last.bottom() + Desktop::CodeBlockPadding);

    // A message that is only a code block keeps its padding inside its height.
    const MessageText only(QStringLiteral("```\nx\n```"), m_font, 400, m_palette);
    QVERIFY(only.document());
    QCOMPARE(only.shownText(), QStringLiteral("x"));
    const QRectF onlyRect = blockRect(only.document()->firstBlock());
    QVERIFY(onlyRect.top() >= Desktop::CodeBlockPadding);
    QVERIFY(only.height() >= onlyRect.bottom() + Desktop::CodeBlockPadding);
}

void tst_MessageText::quotesAndLists()
{
    const MessageText text(QStringLiteral("> quoted\n\nplain\n\n- one\n- two\n\n1. first\n2. second"), m_font, 400,
                           m_palette);
    const QTextDocument *document = text.document();
    QVERIFY(document);
    QCOMPARE(text.shownText(), QStringLiteral("quoted\nplain\none\ntwo\nfirst\nsecond"));
    const QTextBlock quoted = blockWith(document, QStringLiteral("quoted"));
    QCOMPARE(quoted.blockFormat().intProperty(QTextFormat::BlockQuoteLevel), 1);
    QCOMPARE(quoted.blockFormat().leftMargin(), qreal(Desktop::QuoteIndent));
    QCOMPARE(blockWith(document, QStringLiteral("plain")).blockFormat().intProperty(QTextFormat::BlockQuoteLevel), 0);
    QVERIFY(!blockWith(document, QStringLiteral("plain")).textList());
    const QTextList *bullets = blockWith(document, QStringLiteral("one")).textList();
    QVERIFY(bullets);
    QCOMPARE(bullets->count(), 2);
    QVERIFY(bullets->format().style() == QTextListFormat::ListDisc
            || bullets->format().style() == QTextListFormat::ListCircle);
    const QTextList *numbers = blockWith(document, QStringLiteral("second")).textList();
    QVERIFY(numbers);
    QCOMPARE(numbers->format().style(), QTextListFormat::ListDecimal);
    QCOMPARE(numbers->itemText(blockWith(document, QStringLiteral("second"))), QStringLiteral("2."));
}

void tst_MessageText::lineBreaksAsTyped()
{
    const QFontMetrics metrics(m_font);
    // Markdown joins the lines of a paragraph; a chat message keeps them.
    const MessageText text(QStringLiteral("**one.**\ntwo https://example.org/x\nthree"), m_font, 400, m_palette);
    QVERIFY(text.document());
    QCOMPARE(text.shownText(), QStringLiteral("one.\ntwo https://example.org/x\nthree"));
    QCOMPARE(formatAt(text.document(), 0).fontWeight(), int(QFont::Bold)); // the emphasis closed
    QCOMPARE(text.links().size(), 1);
    QCOMPARE(text.links().at(0).url, QStringLiteral("https://example.org/x")); // the link ended at its line
    QVERIFY2(text.height() >= 3 * metrics.height() - 1, qPrintable(QString::number(text.height())));
    QVERIFY(text.height() < 4 * metrics.height());
    // In lists and quotes too, and a list after a line still starts.
    const MessageText list(QStringLiteral("*intro*\n- a\nstill a\n- b"), m_font, 400, m_palette);
    QCOMPARE(list.shownText(), QStringLiteral("intro\na\nstill a\nb"));
    QVERIFY(blockWith(list.document(), QStringLiteral("b")).textList());
}

void tst_MessageText::htmlIsShownAsText()
{
    const QString html = QStringLiteral("**x** <b>y</b> <img src=\"https://example.org/i.png\"> <script>z</script>");
    const MessageText text(html, m_font, 400, m_palette);
    QVERIFY(text.document());
    QCOMPARE(text.shownText(), QStringLiteral("x <b>y</b> <img src=\"https://example.org/i.png\"> <script>z</script>"));
    const int y = int(text.shownText().indexOf(QLatin1String("<b>y")));
    QCOMPARE(formatAt(text.document(), y + 3).fontWeight(), int(QFont::Normal));
    // An HTML block as well.
    const MessageText block(QStringLiteral("<div>\n*a*\n</div>"), m_font, 400, m_palette);
    QVERIFY(block.shownText().contains(QLatin1String("<div>")));
    QVERIFY(block.shownText().contains(QLatin1String("</div>")));
    // Without Markdown, as typed.
    const MessageText plain(QStringLiteral("<b>x</b>"), m_font, 400, m_palette);
    QCOMPARE(plain.shownText(), QStringLiteral("<b>x</b>"));
}

void tst_MessageText::imagesAreNotLoaded()
{
    const MessageText text(QStringLiteral("look ![a cat](file:///etc/passwd) ![c](https://example.org/c.png)"), m_font,
                           400, m_palette);
    const QTextDocument *document = text.document();
    QVERIFY(document);
    QCOMPARE(text.shownText(), QStringLiteral("look a cat c"));
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it)
            QVERIFY(!it.fragment().charFormat().isImageFormat());
    }
    QCOMPARE(text.links().size(), 1); // the web address only
    QCOMPARE(text.links().at(0).url, QStringLiteral("https://example.org/c.png"));
}

void tst_MessageText::onlyWebLinksAreLinks()
{
    const MessageText text(QStringLiteral(
                               "[run](javascript:alert(1)) [file](file:///etc/passwd) [ok](https://a.example)"),
                           m_font, 400, m_palette);
    QCOMPARE(text.shownText(), QStringLiteral("run file ok"));
    QCOMPARE(text.links().size(), 1);
    QCOMPARE(text.links().at(0).url, QStringLiteral("https://a.example"));
    QCOMPARE(text.links().at(0).start, 9);
    QCOMPARE(text.linkAt(pointAt(text.document(), 1)), QString());
    QCOMPARE(text.linkAt(pointAt(text.document(), 5)), QString());
    QVERIFY(!formatAt(text.document(), 1).fontUnderline());
    QCOMPARE(text.linkAt(pointAt(text.document(), 10)), QStringLiteral("https://a.example"));
}

void tst_MessageText::mentionsAreHighlighted()
{
    const MessageText text(QStringLiteral("*hi* @bob.smith, mail a@b.example `@code`"), m_font, 400, m_palette);
    const QTextDocument *document = text.document();
    QVERIFY(document);
    const QString shown = text.shownText();
    const int bob = int(shown.indexOf(QLatin1String("@bob")));
    QCOMPARE(formatAt(document, bob).fontWeight(), int(QFont::Bold));
    QCOMPARE(formatAt(document, bob).foreground().color(), m_palette.color(QPalette::Link));
    QCOMPARE(formatAt(document, bob + 9).fontWeight(), int(QFont::Bold));    // "@bob.smith"
    QCOMPARE(formatAt(document, bob + 10).fontWeight(), int(QFont::Normal)); // not the comma
    const int mail = int(shown.indexOf(QLatin1String("@b.example")));
    QCOMPARE(formatAt(document, mail).fontWeight(), int(QFont::Normal));
    const int code = int(shown.indexOf(QLatin1String("@code")));
    QCOMPARE(formatAt(document, code).fontWeight(), int(QFont::Normal));
}

void tst_MessageText::linksAreHitOnTheRenderedText()
{
    const MessageText text(QStringLiteral("see [the docs](https://example.org/docs) or https://example.org/b now"),
                           m_font, 400, m_palette);
    const QTextDocument *document = text.document();
    QVERIFY(document);
    QCOMPARE(text.shownText(), QStringLiteral("see the docs or https://example.org/b now"));
    QCOMPARE(text.links().size(), 2);
    QCOMPARE(text.links().at(0).start, 4);
    QCOMPARE(text.links().at(0).length, 8);
    QCOMPARE(text.links().at(0).url, QStringLiteral("https://example.org/docs"));
    QCOMPARE(text.links().at(1).url, QStringLiteral("https://example.org/b"));
    QVERIFY(formatAt(document, 5).fontUnderline());
    QCOMPARE(formatAt(document, 5).foreground().color(), m_palette.color(QPalette::Link));

    QCOMPARE(text.linkAt(pointAt(document, 4)), QStringLiteral("https://example.org/docs"));
    QCOMPARE(text.linkAt(pointAt(document, 11)), QStringLiteral("https://example.org/docs"));
    QCOMPARE(text.linkAt(pointAt(document, 1)), QString());
    QCOMPARE(text.linkAt(pointAt(document, 13)), QString());
    QCOMPARE(text.linkAt(pointAt(document, 20)), QStringLiteral("https://example.org/b"));
    QCOMPARE(text.positionAt(pointAt(document, 1) - QPointF(1, 0)), 1);
    QCOMPARE(text.linkAt(QPointF(5, text.height() + 5)), QString());
}

void tst_MessageText::longCodeGrowsAndWrapsWithinTheWidth()
{
    const int width = 200;
    QStringList lines;
    for (int i = 0; i < 12; ++i)
        lines.append(QStringLiteral("line %1;").arg(i));
    const MessageText one(QStringLiteral("```\nline;\n```"), m_font, width, m_palette);
    const MessageText twelve(QStringLiteral("```\n") + lines.join(QLatin1Char('\n')) + QStringLiteral("\n```"), m_font,
                             width, m_palette);
    QVERIFY(one.document() && twelve.document());
    const QFontMetrics mono(formatAt(twelve.document(), 0).font());
    QVERIFY2(twelve.height() >= one.height() + 11 * mono.height() - 1,
             qPrintable(QStringLiteral("%1 %2").arg(one.height()).arg(twelve.height())));

    // A line longer than the width wraps, unbreakable or not; nothing is wider than the width.
    for (const QString &longLine : { QString(300, QLatin1Char('x')), QStringLiteral("word ").repeated(60) }) {
        const MessageText code(QStringLiteral("```\n") + longLine + QStringLiteral("\n```"), m_font, width, m_palette);
        const QTextDocument *document = code.document();
        QVERIFY(document);
        QVERIFY2(code.height() > 3 * mono.height(), qPrintable(QString::number(code.height())));
        QVERIFY2(document->idealWidth() <= width, qPrintable(QString::number(document->idealWidth())));
        QVERIFY(document->size().width() <= width);
        const QTextBlock block = document->firstBlock();
        QVERIFY(block.layout()->lineCount() > 2);
        QVERIFY(blockRect(block).right() <= width - Desktop::CodeBlockPadding);
        QVERIFY(code.height() >= document->size().height());
    }
}

void tst_MessageText::nothingIsPaintedOutsideTheWidth()
{
    const int width = 160;
    const MessageText text(QStringLiteral("> quote\n\n```\n") + QString(200, QLatin1Char('y'))
                               + QStringLiteral("\n```\n**bold** ") + QString(80, QLatin1Char('z')),
                           m_font, width, m_palette);
    QVERIFY(text.document());
    QImage image(width + 60, text.height() + 60, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        painter.setPen(Qt::black);
        text.draw(&painter, QPointF(0, 0), 0, int(text.shownText().size()));
    }
    bool paintedInside = false;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (qAlpha(image.pixel(x, y)) == 0)
                continue;
            QVERIFY2(x < width && y < text.height(), qPrintable(QStringLiteral("painted at %1,%2").arg(x).arg(y)));
            paintedInside = true;
        }
    }
    QVERIFY(paintedInside);
}

void tst_MessageText::selectionPositionsAreInTheShownText()
{
    const MessageText text(QStringLiteral("**bold** and [link](https://example.org)\n- item"), m_font, 400, m_palette);
    const QTextDocument *document = text.document();
    QVERIFY(document);
    const QString shown = text.shownText();
    QCOMPARE(shown, QStringLiteral("bold and link\nitem"));
    QCOMPARE(document->characterCount() - 1, shown.size());
    for (const int position : { 0, 2, 5, 9, 14, 16 }) {
        const QPointF point = pointAt(document, position) - QPointF(0.4, 0);
        QCOMPARE(text.positionAt(point), position);
    }
    QCOMPARE(text.positionAt(QPointF(1, -1)), -1);
    QCOMPARE(text.positionAt(QPointF(1, text.height())), -1);
    const int start = text.positionAt(pointAt(document, 9) - QPointF(1, 0));
    const int end = text.positionAt(pointAt(document, 16) - QPointF(1, 0));
    QCOMPARE(shown.mid(start, end - start), QStringLiteral("link\nit"));

    // The selection is painted: its background appears, and nothing without one.
    QImage image(400, text.height(), QImage::Format_ARGB32_Premultiplied);
    const QColor highlight = m_palette.color(QPalette::Highlight);
    auto highlighted = [&](int from, int to) {
        image.fill(Qt::white);
        QPainter painter(&image);
        text.draw(&painter, QPointF(0, 0), from, to);
        painter.end();
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                if (image.pixelColor(x, y) == highlight)
                    return true;
            }
        }
        return false;
    };
    QVERIFY(highlighted(start, end));
    QVERIFY(!highlighted(-1, -1));
}

void tst_MessageText::notes()
{
    const MessageText edited(QStringLiteral("**x**"), m_font, 400, m_palette, QStringLiteral("(edited)"));
    QVERIFY(edited.document());
    QCOMPARE(edited.shownText(), QStringLiteral("x (edited)"));
    QVERIFY(formatAt(edited.document(), 3).fontItalic());
    QCOMPARE(formatAt(edited.document(), 3).foreground().color(), m_palette.color(QPalette::PlaceholderText));
    QVERIFY(!formatAt(edited.document(), 0).fontItalic());
    // After a code block, on a line of its own, not in the code.
    const MessageText code(QStringLiteral("```\nx\n```"), m_font, 400, m_palette, QStringLiteral("(edited)"));
    QCOMPARE(code.shownText(), QStringLiteral("x\n(edited)"));
    QVERIFY(!formatAt(code.document(), 2).fontFixedPitch());
    // A deleted message: the note alone, plain.
    const MessageText deleted(QString(), m_font, 400, m_palette, QStringLiteral("This message was deleted."));
    QVERIFY(!deleted.document());
    QCOMPARE(deleted.shownText(), QStringLiteral("This message was deleted."));
    QVERIFY(deleted.height() > 0);
    const MessageText plainEdited(QStringLiteral("plain"), m_font, 400, m_palette, QStringLiteral("(edited)"));
    QCOMPARE(plainEdited.shownText(), QStringLiteral("plain (edited)"));
}

void tst_MessageText::emojiAreFoundAndDrawnInColour()
{
    using Desktop::EmojiRun;
    using Desktop::emojiRuns;
    // Pictographs with skin tones and joiners, flags and keycaps are one run each; a row of them too.
    QCOMPARE(emojiRuns(QStringLiteral("Ha 😂 nice")), (QList<EmojiRun> { { 3, 2 } }));
    QCOMPARE(emojiRuns(QStringLiteral("👍🏽 👩‍💻 🇫🇷")),
             (QList<EmojiRun> { { 0, 4 }, { 5, 5 }, { 11, 4 } }));
    QCOMPARE(emojiRuns(QStringLiteral("🎉🎉")), (QList<EmojiRun> { { 0, 4 } }));
    QCOMPARE(emojiRuns(QStringLiteral("1️⃣ #️⃣")), (QList<EmojiRun> { { 0, 3 }, { 4, 3 } }));
    // Symbols are emoji when asked to be (U+FE0F), text otherwise; digits and '#' are text.
    QCOMPARE(emojiRuns(QStringLiteral("❤️ ❤ ☺ 42 #3 © — ok")), (QList<EmojiRun> { { 0, 2 } }));
    QCOMPARE(emojiRuns(QString()), QList<EmojiRun> {});

    // Within Markdown (bold, code) the emoji take the colour fonts, their formatting kept.
    const MessageText text(QStringLiteral("**bold 😎** and `code 🚀`"), m_font, 400, m_palette);
    QVERIFY(text.document());
    const QString shown = text.shownText();
    const QTextCharFormat bold = formatAt(text.document(), int(shown.indexOf(QStringLiteral("😎"))));
    QCOMPARE(bold.fontFamilies().toStringList().value(0), QStringLiteral("Noto Color Emoji"));
    QVERIFY(bold.fontWeight() >= QFont::Bold);
    const QTextCharFormat code = formatAt(text.document(), int(shown.indexOf(QStringLiteral("🚀"))));
    QCOMPARE(code.fontFamilies().toStringList().value(0), QStringLiteral("Noto Color Emoji"));
    QCOMPARE(
        formatAt(text.document(), int(shown.indexOf(QStringLiteral("bold")))).fontFamilies().toStringList().value(0)
            == QStringLiteral("Noto Color Emoji"),
        false);
}

// The room list's preview of the last message: as it reads.
void tst_MessageText::plainTextDropsTheMarkers()
{
    using Desktop::plainTextOf;
    QCOMPARE(plainTextOf(QStringLiteral("just words, no markup")), QStringLiteral("just words, no markup"));
    QCOMPARE(plainTextOf(QStringLiteral("**bold** and *it* and ~~gone~~ and `code()`")),
             QStringLiteral("bold and it and gone and code()"));
    QCOMPARE(plainTextOf(QStringLiteral("see [the docs](https://example.org)")), QStringLiteral("see the docs"));
    // HTML stays text, as in the conversation.
    QCOMPARE(plainTextOf(QStringLiteral("<b>not bold</b> **bold**")), QStringLiteral("<b>not bold</b> bold"));
}

QTEST_MAIN(tst_MessageText)
#include "tst_messagetext.moc"
